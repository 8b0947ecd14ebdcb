// NAS0611: at most one `controller` and one `reward` per program.
controller { algorithm random }
controller second { algorithm grid }
// expect: error NAS0611 at 3:1
// expect: note at 2:1
reward { maximize accuracy }
reward other { maximize accuracy }
// expect: error NAS0611 at 7:1
