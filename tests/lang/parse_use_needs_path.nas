// `use` takes `std.name` or a string path (§2), not a number.
use 42
// expect: error NAS0201 at 2:5
let a = 1
