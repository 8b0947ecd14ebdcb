// SYNTAX TEST "source.nas" "numbers, quantities with units, strings and escapes"
let a = [0, 42, 1_000_000, 0.5, 3.0, 1e-3, 2.5e+4]
//       ^ constant.numeric.integer.nas
//          ^^ constant.numeric.integer.nas
//              ^^^^^^^^^ constant.numeric.integer.nas
//                         ^^^ constant.numeric.float.nas
//                              ^^^ constant.numeric.float.nas
//                                   ^^^^ constant.numeric.float.nas
//                                         ^^^^^^ constant.numeric.float.nas
let t = [5us, 2ms, 1s, 30min, 2h]
//       ^ constant.numeric.integer.nas
//        ^^ keyword.other.unit.nas
//            ^ constant.numeric.integer.nas
//             ^^ keyword.other.unit.nas
//                  ^ keyword.other.unit.nas
//                     ^^ constant.numeric.integer.nas
//                       ^^^ keyword.other.unit.nas
//                             ^ keyword.other.unit.nas
let m = [512B, 4KB, 64MB, 2GB, 1.5GB]
//       ^^^ constant.numeric.integer.nas
//          ^ keyword.other.unit.nas
//              ^^ keyword.other.unit.nas
//                  ^^ constant.numeric.integer.nas
//                    ^^ keyword.other.unit.nas
//                         ^^ keyword.other.unit.nas
//                             ^^^ constant.numeric.float.nas
//                                ^^ keyword.other.unit.nas
let r = [90%, 10 %, 3K, 3M, 1G]
//       ^^ constant.numeric.integer.nas
//         ^ keyword.other.unit.nas
//               ^ invalid.illegal.character.nas
//                   ^ keyword.other.unit.nas
//                       ^ keyword.other.unit.nas
//                           ^ keyword.other.unit.nas
let ms = 5 ms
//  ^^ variable.other.definition.nas
//       ^ constant.numeric.integer.nas
//         ^^ variable.other.nas - keyword.other.unit.nas
let range = choice 1..8
//                 ^ constant.numeric.integer.nas
//                  ^^ keyword.operator.range.nas
//                    ^ constant.numeric.integer.nas
let x2 = conv2d
//  ^^ variable.other.definition.nas - constant.numeric.integer.nas
let s = "plain \"quoted\" back\\slash \n\t end"
//      ^ string.quoted.double.nas punctuation.definition.string.begin.nas
//       ^^^^^ string.quoted.double.nas - constant.character.escape.nas
//             ^^ string.quoted.double.nas constant.character.escape.nas
//               ^^^^^^ string.quoted.double.nas - constant.character.escape.nas
//                            ^^ string.quoted.double.nas constant.character.escape.nas
//                                    ^^ string.quoted.double.nas constant.character.escape.nas
//                                      ^^ string.quoted.double.nas constant.character.escape.nas
//                                         ^^^^ string.quoted.double.nas
let k = "if else choice 2ms |> // not a comment /* nor this"
//       ^^ string.quoted.double.nas - keyword.control.nas
//               ^^^^^^ string.quoted.double.nas - keyword.other.decision.nas
//                      ^^^ string.quoted.double.nas - constant.numeric.integer.nas keyword.other.unit.nas
//                          ^^ string.quoted.double.nas - keyword.operator.pipeline.nas
//                             ^^^^^^ string.quoted.double.nas - comment.line.double-slash.nas
//                                              ^^ string.quoted.double.nas - comment.block.nas
let after = 1
//  ^^^^^ variable.other.definition.nas - string.quoted.double.nas comment.block.nas
