// `use std.x` for a module that is not in the stdlib directory (§2).
use std.layers
use std.no_such_module
// expect: error NAS0004 at 3:5
