// SYNTAX TEST "source.nas" "declarations, declared names and keyword classes"
use std.layers
// <--- keyword.declaration.nas
//  ^^^ variable.other.nas
//     ^ punctuation.accessor.nas
//      ^^^^^^ variable.other.member.nas
use "./common.nas"
// <--- keyword.declaration.nas
//   ^^^^^^^^^^^^ string.quoted.double.nas

extern block conv2d(x: tensor, filters: int, kernel: int = 3) -> tensor
// <------ keyword.declaration.nas
//     ^^^^^ keyword.declaration.nas
//           ^^^^^^ entity.name.function.nas
//                  ^ variable.other.nas
//                     ^^^^^^ support.type.nas
//                                      ^^^ support.type.nas
//                                                       ^ keyword.operator.assignment.nas
//                                                         ^ constant.numeric.integer.nas
//                                                            ^^ keyword.operator.arrow.nas
//                                                               ^^^^^^ support.type.nas
extern fn mnasnet(acc: float, w: float = -0.07) -> float
//     ^^ keyword.declaration.nas
//        ^^^^^^^ entity.name.function.nas
//                     ^^^^^ support.type.nas
//                                       ^ keyword.operator.arithmetic.nas
//                                        ^^^^ constant.numeric.float.nas

dataset fashion {
// <------- keyword.declaration.nas
//      ^^^^^^^ entity.name.type.nas
    path    "/usr/share/datasets/fashion-mnist"
//  ^^^^ variable.other.nas
//           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.nas
    input   [1, 28, 28]
//          ^ punctuation.section.brackets.nas
//           ^ constant.numeric.integer.nas
}

block conv_bn(x: tensor, c: int, k: int = 3) -> tensor {
// <----- keyword.declaration.nas
//    ^^^^^^^ entity.name.function.nas
    return x |> conv2d(c, kernel = k) |> batchnorm |> relu
//  ^^^^^^ keyword.control.nas
//           ^^ keyword.operator.pipeline.nas
//              ^^^^^^ support.function.layer.nas
//                     ^ variable.other.nas
//                                       ^^^^^^^^^ support.function.layer.nas
}

model net(x: tensor[1, 28, 28]) -> tensor[10] {
// <----- keyword.declaration.nas
//    ^^^ entity.name.function.nas
//           ^^^^^^ support.type.nas
//                 ^ meta.type.shape.nas punctuation.section.shape.begin.nas
//                  ^ meta.type.shape.nas constant.numeric.integer.nas
//                   ^ meta.type.shape.nas punctuation.separator.comma.nas
//                     ^^ meta.type.shape.nas constant.numeric.integer.nas
//                           ^ meta.type.shape.nas punctuation.section.shape.end.nas
//                            ^ - meta.type.shape.nas
//                                 ^^^^^^ support.type.nas
//                                        ^^ meta.type.shape.nas constant.numeric.integer.nas
    let width = choice width [16, 24, 32, 48]
//  ^^^ keyword.declaration.nas
//      ^^^^^ variable.other.definition.nas
//              ^^^^^^ keyword.other.decision.nas
//                     ^^^^^ entity.name.decision.nas
    repeat choice 1 .. 3 { x = stage(x, width) }
//  ^^^^^^ keyword.control.nas
//         ^^^^^^ keyword.other.decision.nas
//                ^ constant.numeric.integer.nas
//                  ^^ keyword.operator.range.nas
//                     ^ constant.numeric.integer.nas
    if choice bool { x = x + 1 } else { x = oneof [global_avgpool(x), flatten(x)] }
//  ^^ keyword.control.nas
//            ^^^^ support.type.nas
//                               ^^^^ keyword.control.nas
//                                          ^^^^^ keyword.other.decision.nas
    let skips = choice 2 of [a, b, c]
//                       ^^ keyword.other.decision.nas
    let lr = choice 1e-4 .. 1e-1 log
//                  ^^^^ constant.numeric.float.nas
//                       ^^ keyword.operator.range.nas
//                               ^^^ keyword.other.decision.nas
    let drop = choice 0.0 .. 0.5 step 0.1
//                               ^^^^ keyword.other.decision.nas
    return dense(x, 10)
}

reward main {
// <------ keyword.declaration.nas
//     ^^^^ entity.name.type.nas
    maximize accuracy
//  ^^^^^^^^ keyword.other.clause.nas
//           ^^^^^^^^ variable.other.nas
    minimize latency ref 5ms
//  ^^^^^^^^ keyword.other.clause.nas
//                   ^^^ keyword.other.clause.nas
    subject to latency <= 2ms soft(weight = -0.07)
//  ^^^^^^^ keyword.other.clause.nas
//          ^^ keyword.other.clause.nas
//                     ^^ keyword.operator.comparison.nas
//                            ^^^^ keyword.other.clause.nas
    subject to params <= 1M hard
//                          ^^^^ keyword.other.clause.nas
}

controller {
// <---------- keyword.declaration.nas
    algorithm evolution(population = 64, sample = 16)
//            ^^^^^^^^^ support.class.controller.nas
}

search stage1 {
// <------ keyword.declaration.nas
//     ^^^^^^ entity.name.type.nas
    data       fashion.train split 90% / 10%
//                     ^^^^^ variable.other.member.nas - keyword.declaration.nas
//                           ^^^^^ keyword.other.clause.nas
    stop when  converged(window = 100) or failed > 20%
//       ^^^^ keyword.control.nas
//                                     ^^ keyword.operator.logical.nas
}

train stage2 {
// <----- keyword.declaration.nas
//    ^^^^^^ entity.name.type.nas
    from     stage1 top 10
//  ^^^^ keyword.other.clause.nas
//                  ^^^ keyword.other.clause.nas
    data     fashion.train / fashion.test
//                   ^^^^^ variable.other.member.nas
}

proxy design {
// <----- keyword.declaration.nas
//    ^^^^^^ entity.name.type.nas
    keep when  correlation >= 0.8 and not false
//                                ^^^ keyword.operator.logical.nas
//                                    ^^^ keyword.operator.logical.nas
//                                        ^^^^^ constant.language.boolean.nas
}

trainer exec "python3 train.py --arch $NAS_ARCH_FILE"
// <------- keyword.declaration.nas
//      ^^^^ variable.other.nas
//           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.double.nas
trainer custom {
//      ^^^^^^ entity.name.type.nas
    timeout 30min
//          ^^ constant.numeric.integer.nas
//            ^^^ keyword.other.unit.nas
}
let base = 16; let on = true
// <--- keyword.declaration.nas
//  ^^^^ variable.other.definition.nas
//           ^ punctuation.terminator.nas
//                      ^^^^ constant.language.boolean.nas
extern fn tunas(accuracy: float, latency: time, target: time) -> float
//        ^^^^^ entity.name.function.nas
//                      ^ punctuation.separator.colon.nas
//                        ^^^^^ support.type.nas
//                                        ^^^^ support.type.nas
reward { report params, flops, memory }
//                             ^^^^^^ variable.other.nas - support.type.nas
let cells = conv_bn_relu(x, 16) |> residual(16) |> tunas
//          ^^^^^^^^^^^^ support.function.layer.nas
//                                 ^^^^^^^^ support.function.layer.nas
//                                                 ^^^^^ support.function.builtin.nas
let se = choice se bool; let e = choice extra 0 .. 2; let p = choice skips 2 of [a, b]
//  ^^ variable.other.definition.nas
//              ^^ entity.name.decision.nas
//                 ^^^^ support.type.nas
//                                      ^^^^^ entity.name.decision.nas
//                                                                   ^^^^^ entity.name.decision.nas
//                                                                           ^^ keyword.other.decision.nas
let q = choice k of [a, b]; let r = choice lo .. hi; let u = oneof head [a, b]
//             ^ variable.other.nas - entity.name.decision.nas
//                                         ^^ variable.other.nas - entity.name.decision.nas
//                                                                 ^^^^ entity.name.decision.nas
