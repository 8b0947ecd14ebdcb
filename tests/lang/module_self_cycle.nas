// A file that uses itself is the smallest `use` cycle (§2).
use "./module_self_cycle.nas"
// expect: error NAS0005 at 2:5
