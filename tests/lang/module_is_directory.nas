// `use` of a path that is a directory, not a file.
use "./modules/nested"
// expect: error NAS0001 at 2:5
