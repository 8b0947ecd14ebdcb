// A top-level token that cannot start a declaration (§3: decl := use | extern | ...).
let a = 1
42
// expect: error NAS0201 at 3:1
