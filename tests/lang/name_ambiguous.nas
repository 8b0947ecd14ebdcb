// NAS0306: a name declared by two used modules and not by this one.
use "./modules/ambiguous_a.nas"
use "./modules/ambiguous_b.nas"
let w = size * 2
// expect: error NAS0306 at 4:9
// expect: note at modules/ambiguous_a.nas:2:5
// expect: note at modules/ambiguous_b.nas:2:5
