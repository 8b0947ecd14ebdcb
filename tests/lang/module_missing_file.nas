// `use "./f.nas"` for a file that does not exist (§2).
use "./modules/no_such_file.nas"
// expect: error NAS0004 at 2:5
