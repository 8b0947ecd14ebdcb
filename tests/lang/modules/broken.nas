// modules/broken.nas — has a syntax error; module_error_in_module.nas expects it here.
let ok = 1
let = 2
