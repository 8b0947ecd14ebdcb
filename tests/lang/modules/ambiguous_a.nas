// modules/ambiguous_a.nas — declares `size`, as does ambiguous_b.nas (name_ambiguous.nas).
let size = 16
