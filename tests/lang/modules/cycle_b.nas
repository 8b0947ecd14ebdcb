// modules/cycle_b.nas — uses cycle_a.nas, which uses this file: a cycle.
use "./cycle_a.nas"
let b = 2
