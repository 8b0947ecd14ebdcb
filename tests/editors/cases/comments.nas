// SYNTAX TEST "source.nas" "line comments and nested block comments"
// model if choice 2ms |> "not a string"
// <-- comment.line.double-slash.nas
// ^^^^^ comment.line.double-slash.nas - keyword.declaration.nas
//       ^^ comment.line.double-slash.nas - keyword.control.nas
//                 ^^^ comment.line.double-slash.nas - constant.numeric.integer.nas
//                        ^^^^ comment.line.double-slash.nas - string.quoted.double.nas
let a = 1   // trailing comment with return
// <--- keyword.declaration.nas
//      ^ constant.numeric.integer.nas
//          ^^^^^^^^^^^ comment.line.double-slash.nas
//                                   ^^^^^^ comment.line.double-slash.nas - keyword.control.nas
/* outer /* inner */ still a comment: model */ let b = 2
// <-- comment.block.nas punctuation.definition.comment.begin.nas
// ^^^^^ comment.block.nas
//       ^^^^^^^^^^^ comment.block.nas comment.block.nas
//                   ^^^^^ comment.block.nas
//                                    ^^^^^ comment.block.nas - keyword.declaration.nas
//                                          ^^ comment.block.nas punctuation.definition.comment.end.nas
//                                             ^^^ keyword.declaration.nas - comment.block.nas
//                                                     ^ constant.numeric.integer.nas
/* a block comment
   spanning lines /* with a nested one
   */ still inside: choice
   "no string here
*/
// <-- comment.block.nas
let c = 3 /* short */ + 4
// <--- keyword.declaration.nas - comment.block.nas
//        ^^^^^^^^^^^ comment.block.nas
//                    ^ keyword.operator.arithmetic.nas - comment.block.nas
//                      ^ constant.numeric.integer.nas
let d = 6 / 2 // division, then a comment
//        ^ keyword.operator.arithmetic.nas - comment.line.double-slash.nas
//          ^ constant.numeric.integer.nas
//            ^^ comment.line.double-slash.nas
