// Keywords are reserved (§1): `model` cannot name a binding. The error is at the keyword.
let model = 3
// expect: error NAS0201 at 2:5
