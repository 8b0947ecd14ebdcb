// Quantities: a number immediately followed by a unit (§1), every unit of every dimension.
let t1 = 250us
let t2 = 2ms
let t3 = 1.5s
let t4 = 30min
let t5 = 2h
let m1 = 512B
let m2 = 64KB
let m3 = 64MB
let m4 = 2GB
let r1 = 90%
let r2 = 12.5%
let c1 = 3K
let c2 = 3M
let c3 = 1G
let tsum = t2 + t1            // same dimension: fine
let msum = m3 + m2
let faster = t2 < 1s
