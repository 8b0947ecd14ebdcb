// modules/nested/inner.nas — uses "../common.nas": paths are relative to the using file.
use "../common.nas"
let inner_width = base_width * 4
