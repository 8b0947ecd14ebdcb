// modules/diamond_right.nas — uses common.nas; so does diamond_left.nas (a diamond).
use "./common.nas"
block right(x: tensor) -> tensor { return conv_bn(x, base_width * 2) }
