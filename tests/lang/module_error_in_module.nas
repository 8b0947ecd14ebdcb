// A syntax error in a used module is reported in that module's file, at its line and column.
use "./modules/broken.nas"
// expect: error NAS0201 at modules/broken.nas:3:5
