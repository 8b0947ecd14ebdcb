// Range decisions (§5): integer, stepped integer, stepped float, log-scale float; `1..8` is a range.
let depth   = choice 1 .. 8
let tight   = choice 1..8
let width   = choice width 16 .. 128 step 16
let drop    = choice 0.0 .. 0.5 step 0.1
let scale   = choice 0.001 .. 1.0 log
let named   = choice lr 1e-4 .. 1e-1 log
