// std.spaces.resnet_se — a small ResNet space with squeeze-and-excitation, sized for 28x28
// grey images and a budget of about 100K parameters (issue 16): a 3x3 stem, then three
// residual stages at full, half and quarter resolution. Each stage searches its width, its
// depth (1 or 2 residual blocks), squeeze-and-excitation on or off and, in the first two, a
// 3x3 or 5x5 kernel; blocks inside a stage share these decisions. The widths go up to what
// 100K parameters allow: the widest third stage (64) fits with one block only, two 5x5
// blocks of the widest second stage (32) not at all, so the space spans 19,810 to 254,354
// parameters and a file using it adds `subject to params <= 100K hard` (64% of the
// architectures meet it) for the search to learn that corner.
// Use: `return resnet_se_space(x, 10)` in a model whose input has 1 channel.
use std.layers
use std.blocks

// One stage of std.blocks' residual blocks: c output channels and kernel k (the caller
// decides both, so the next stage knows its input width), a first block with the stage's
// stride, then 0 or 1 more; squeeze-and-excitation on or off for the whole stage. The first
// block projects its shortcut when the stage downsamples; the first stage's input already
// has its width (the stem's), so it starts on an identity shortcut.
block resnet_se_stage(x: tensor, c: int, k: int, stride: int) -> tensor {
    let se = choice se bool
    x = residual(x, c, stride = stride, project = stride != 1, kernel = k, se = se)
    repeat choice extra_blocks 0 .. 1 {
        x = residual(x, c, project = false, kernel = k, se = se)
    }
    return x
}

// The space: the stem's width is the first stage's, so that stage starts on an identity
// shortcut. At 7x7 the third stage keeps 3x3 kernels: one 5x5 convolution of 48 channels
// alone is 57,600 parameters.
block resnet_se_space(x: tensor, classes: int) -> tensor {
    let c1 = choice width1 [8, 12, 16]
    let c2 = choice width2 [16, 24, 32]
    let c3 = choice width3 [32, 48, 64]
    x = conv_bn_relu(x, c1)
    x = resnet_se_stage(x, c1, choice kernel1 [3, 5], 1) // 28x28
    x = resnet_se_stage(x, c2, choice kernel2 [3, 5], 2) // 14x14
    x = resnet_se_stage(x, c3, 3, 2) // 7x7
    return x |> global_avgpool |> dense(classes)
}
