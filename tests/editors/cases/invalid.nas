// SYNTAX TEST "source.nas" "what the lexer rejects is marked invalid"
let a = 2m
//      ^ constant.numeric.integer.nas
//       ^ invalid.illegal.unit.nas
let b = 64mb + 3Ms + 2e
//        ^^ invalid.illegal.unit.nas
//              ^^ invalid.illegal.unit.nas
//                    ^ invalid.illegal.unit.nas
let c = @x # y $ z ? ^ & ~ ` '
//      ^ invalid.illegal.character.nas
//         ^ invalid.illegal.character.nas
//             ^ invalid.illegal.character.nas
//                 ^ invalid.illegal.character.nas
//                   ^ invalid.illegal.character.nas
//                     ^ invalid.illegal.character.nas
//                       ^ invalid.illegal.character.nas
//                         ^ invalid.illegal.character.nas
//                           ^ invalid.illegal.character.nas
let d = "bad \q escape"
//           ^^ string.quoted.double.nas invalid.illegal.escape.nas
let e = "unterminated
//       ^^^^^^^^^^^^ string.quoted.double.nas
let f = 1
//  ^ variable.other.definition.nas - string.quoted.double.nas
let g = [1_, 90%x, 5ms%]
//       ^ constant.numeric.integer.nas
//        ^ invalid.illegal.unit.nas
//           ^^ constant.numeric.integer.nas
//             ^^ invalid.illegal.unit.nas
//                  ^^^ invalid.illegal.unit.nas
