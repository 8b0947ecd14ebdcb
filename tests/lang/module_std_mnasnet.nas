// std.spaces.mnasnet (§2) through std.blocks' mbconv, which reads its input width from
// x.channels: each stage expands by the width the previous stage's skew gives. The residual
// test `stride == 1 and x.channels == filters` is false for a strided stage whatever the
// widths, and for the stride-1 stages the two stages' widths never meet, so the space keeps
// its 36 unconditional decisions (no branch over two decisions).
use std.layers
use std.spaces.mnasnet
model m(x: tensor[3, 32, 32]) -> tensor[10] { return mnasnet_space(x, 10) }
// expect-output: 36 decisions (0 conditional), 570630428688384 architectures
// expect-output: every architecture type- and shape-checks (proved statically
// expect-output: params:       376934 .. 24638082 (24.6M) (exact, whole space)
