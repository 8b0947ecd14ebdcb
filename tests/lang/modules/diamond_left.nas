// modules/diamond_left.nas — uses common.nas; so does diamond_right.nas (a diamond).
use "./common.nas"
block left(x: tensor) -> tensor { return conv_bn(x, base_width) }
