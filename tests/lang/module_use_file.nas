// `use "./f.nas"` (§2): a relative module brings its top-level names into scope.
use std.layers
use "./modules/common.nas"

block twice(x: tensor) -> tensor {
    return x |> conv_bn(base_width) |> conv_bn(base_width, k = 5)
}
