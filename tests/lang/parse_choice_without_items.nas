// A named choice needs its items: `choice width` followed by a new declaration.
let w = choice width
let v = 2
// expect: error NAS0201 at 3:1
