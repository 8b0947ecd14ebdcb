// Comments: line comments, block comments, and nested block comments (§1).
/* a block comment
   over several lines */
/* outer /* inner */ still a comment */
/* /* /* three deep */ */ */
let a = 1 /* inline */ + 2   // trailing
let b = /* between tokens */ a
// A `/*` inside a line comment opens nothing: /*
let c = "/* not a comment */ // nor this"
