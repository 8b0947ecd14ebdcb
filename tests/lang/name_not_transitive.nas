// NAS0301: `use` is not transitive: modules/diamond_left.nas uses common.nas, but this file
// does not, so common's `base_width` is not visible here.
use "./modules/diamond_left.nas"
let w = base_width
// expect: error NAS0301 at 4:9
