// NAS_STDLIB overrides the stdlib directory (§2): `use std.alt_only` finds
// modules/stdlib_alt/alt_only.nas, which the real stdlib does not have.
// env: NAS_STDLIB={dir}/modules/stdlib_alt
use std.alt_only
let w = alt_width * 2
