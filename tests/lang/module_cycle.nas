// A `use` cycle (§2) is an error naming the cycle; it is reported once, at the use that closes it.
use "./modules/cycle_a.nas"
// expect: error NAS0005 at modules/cycle_b.nas:2:5
// expect-stderr: cycle of `use`
// expect-stderr: cycle_b.nas -> 
