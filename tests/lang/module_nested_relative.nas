// A module's own `use "../common.nas"` is relative to that module, not to this file (§2).
use "./modules/nested/inner.nas"
use "./modules/common.nas"

let w = inner_width + base_width
