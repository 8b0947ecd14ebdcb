// LeNet-5 (LeCun et al. 1998) as a space of one architecture: nasc instantiates it and
// reports its parameters and multiply-adds, worked out by hand:
//   conv 5x5 1->6 valid:  6*25 + 6         =    156 params, 6*28*28*25       = 117600 MACs
//   conv 5x5 6->16 valid: 16*6*25 + 16     =   2416 params, 16*10*10*6*25   = 240000 MACs
//   dense 400->120: 48120, 120->84: 10164, 84->10: 850 params; 48000+10080+840 = 58920 MACs
//   total 61706 params, 416520 MACs (pooling and activations are not MACs)
use std.layers

model lenet5(x: tensor[1, 32, 32]) -> tensor[10] {
    x = x |> conv2d(6, kernel = 5, padding = "valid") |> tanh |> avgpool(2)
    x = x |> conv2d(16, kernel = 5, padding = "valid") |> tanh |> avgpool(2)
    return x |> flatten |> dense(120) |> tanh |> dense(84) |> tanh |> dense(10)
}
// expect-output: 1 architectures
// expect-output: params:       61706 .. 61706 (exact, whole space)
// expect-output: MACs:         416520 .. 416520 at batch 1 (exact, whole space)
// expect-output: every architecture type- and shape-checks (proved statically
