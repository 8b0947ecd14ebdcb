// NAS0001: `use` of a symlink loop says so ("Too many levels of symbolic links"), not
// "module not found".
// input: use-symlink-loop
// expect: error NAS0001 at 1:5
