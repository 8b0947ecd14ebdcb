// Dilated convolutions (issue 18): a kernel k at dilation d spans (k - 1) * d + 1 pixels with
// k * k weights; "same" pads (k - 1) * d / 2. Worked out by hand:
//   conv 3x3 d2 same 3->8 on 16x16:        8*27 + 8 =  224 params, 8*16*16*27   = 55296 MACs
//   depthwise 3x3 d3 s2 same on 8x16x16:  pad 3, span 7, (16 + 6 - 7) / 2 + 1 = 8:
//                                          8*9       =   72 params, 8*8*8*9      =  4608 MACs
//   conv 3x3 d2 valid 8->4 on 8x8:        span 5, 8 - 5 + 1 = 4:
//                                          4*72 + 4  =  292 params, 4*4*4*72     =  4608 MACs
//   dense 64->10:                                       650 params,                  640 MACs
//   total 1238 params, 65152 MACs (an undilated valid conv would leave 6x6: 2570 params)
use std.layers

model net(x: tensor[3, 16, 16]) -> tensor[10] {
    x = x |> conv2d(8, kernel = 3, dilation = 2) |> relu
    x = x |> depthwise_conv2d(kernel = 3, stride = 2, dilation = 3)
    x = x |> conv2d(4, kernel = 3, dilation = 2, padding = "valid")
    return x |> flatten |> dense(10)
}
// expect-output: 1 architectures
// expect-output: params:       1238 .. 1238 (exact, whole space)
// expect-output: MACs:         65152 .. 65152 at batch 1 (exact, whole space)
