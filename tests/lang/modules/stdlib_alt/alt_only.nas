// modules/stdlib_alt/alt_only.nas — a stand-in standard library for module_stdlib_env.nas.
let alt_width = 12
