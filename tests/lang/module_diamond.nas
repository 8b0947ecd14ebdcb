// Two modules both use modules/common.nas: it is loaded once, so its names are not duplicated (§2).
use "./modules/diamond_left.nas"
use "./modules/diamond_right.nas"
use "./modules/common.nas"

block both(x: tensor) -> tensor { return x |> left |> right |> conv_bn(base_width) }
