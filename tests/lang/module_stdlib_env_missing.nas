// With NAS_STDLIB pointing elsewhere, `std.layers` is looked up there and not found (§2).
// env: NAS_STDLIB={dir}/modules/stdlib_alt
use std.layers
// expect: error NAS0004 at 3:5
