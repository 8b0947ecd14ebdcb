// modules/cycle_a.nas — uses cycle_b.nas, which uses this file back: a cycle.
use "./cycle_b.nas"
let a = 1
