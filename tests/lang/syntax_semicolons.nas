// Statements and settings need no terminator; `;` between them is allowed and ignored (§1).
use std.layers;

let a = 1; let b = 2;
let c = a + b

controller { algorithm random; seed 3; }

block twice(x: tensor, c: int) -> tensor {
    let y = conv2d(x, c, kernel = 3); y = relu(y);
    return y;
}
