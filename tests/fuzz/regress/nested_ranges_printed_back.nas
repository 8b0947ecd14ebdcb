let a = choice n choice 1 .. 2 .. 3 step choice 1 .. 2 log log
let b = choice (choice 1 .. 2) of [x]
let c = choice f(1).x .. 3
let d = choice n (-2) .. 2
let e = choice (f(2)) .. 8
