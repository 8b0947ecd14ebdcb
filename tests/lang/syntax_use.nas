// `use` of standard modules (§2); a module used twice is loaded once.
use std.layers
use std.blocks
use std.layers
