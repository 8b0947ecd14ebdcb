// modules/ambiguous_b.nas — declares `size`, as does ambiguous_a.nas (name_ambiguous.nas).
let size = 32
