// SYNTAX TEST "source.nas" "operators and punctuation"
let y = x |> conv2d(16) |> choice op [relu, identity]
//        ^^ keyword.operator.pipeline.nas
//                      ^^ keyword.operator.pipeline.nas
//                         ^^^^^^ keyword.other.decision.nas
//                                ^^ entity.name.decision.nas
let z = a == b and a != c or a < b and a <= c and a > b and a >= c
//        ^^ keyword.operator.comparison.nas
//             ^^^ keyword.operator.logical.nas
//                   ^^ keyword.operator.comparison.nas
//                        ^^ keyword.operator.logical.nas
//                             ^ keyword.operator.comparison.nas
//                                       ^^ keyword.operator.comparison.nas
//                                                  ^ keyword.operator.comparison.nas
//                                                            ^^ keyword.operator.comparison.nas
let w = -a + b * c / d - 1
//      ^ keyword.operator.arithmetic.nas
//         ^ keyword.operator.arithmetic.nas
//             ^ keyword.operator.arithmetic.nas
//                 ^ keyword.operator.arithmetic.nas
//                     ^ keyword.operator.arithmetic.nas
block f(x: tensor) -> tensor { return x }
//       ^ punctuation.separator.colon.nas
//                 ^^ keyword.operator.arrow.nas
//                           ^ punctuation.section.braces.nas
let n = choice lo .. hi step 2
//                ^^ keyword.operator.range.nas
let bad = x | relu
//          ^ invalid.illegal.character.nas - keyword.operator.pipeline.nas
//            ^^^^ - invalid.illegal.character.nas
let bad2 = x ! y
//           ^ invalid.illegal.character.nas
