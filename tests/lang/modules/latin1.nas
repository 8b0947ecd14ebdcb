// modules/latin1.nas â€” saved as Latin-1 on purpose (module_not_utf8.nas): café
let z = 1
