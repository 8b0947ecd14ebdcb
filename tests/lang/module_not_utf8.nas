// A used module that is not UTF-8 (modules/latin1.nas has a Latin-1 é, byte 0xE9, on line 1,
// byte column 81: the em dash before it counts its 3 UTF-8 bytes)
// is reported in that module at the bad byte (NAS0002).
use "./modules/latin1.nas"
// expect: error NAS0002 at modules/latin1.nas:1:81
