// Every operator of §4 at every precedence level, with and without parentheses.
let a = 1
let b = 2
let c = 3
let arith = a + b * c - a / b
let grouped = (a + b) * (c - a)
let neg = -a * -b
let nested = -(a + b)
let cmp1 = a + 1 == b
let cmp2 = a != b
let cmp3 = a < b
let cmp4 = a <= b
let cmp5 = a > b
let cmp6 = a >= b
let logic = a < b and b < c or not a == c
let notnot = not not true
let paren_cmp = (a < b) == (b < c)
let left_assoc = a - b - c
let div_chain = 12 / 3 / 2
