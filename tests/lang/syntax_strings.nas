// Strings with every escape (§1): \" \\ \n \t.
let plain = "hello"
let quote = "say \"hi\""
let backslash = "C:\\data\\x"
let newline = "line1\nline2"
let tab = "a\tb"
let empty = ""
let slashes = "// not a comment"
