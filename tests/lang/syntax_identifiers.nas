// Identifiers (§1): letters, digits and `_`; text that starts like a keyword
// (`model_width`, `use_bias`, `top_k`, `iffy`) is an ordinary identifier.
let model_width = 16
let use_bias = true
let top_k = 3
let iffy = false
let _private = 1
let x9 = model_width * 2
let Mixed_Case_2 = top_k + _private
