// NAS0201: after `choice NAME` comes a list, a range, `bool`, `k of [...]` or the name of a
// list; an expression such as `(1 + 2)` is none of them.
let c = choice e3 (1 + 2)
// expect: error NAS0201 at 3:20
