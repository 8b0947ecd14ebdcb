// Decisions inside a subset's elements exist only when the element is picked: w's value 4
// fails (the add's shapes differ) only in the picks holding its element, v and the oneof's
// decision change params only when theirs is picked. Per element 1, 1, 2, 2, 1 + 3 architectures:
// e_2(1, 1, 2, 2, 4) = 37 in all.
use std.layers
model m(x: tensor[8]) -> tensor[2] {
    let a = dense(x, 8)
    let picked = choice inputs 2 of [x, a, dense(x, choice w [8, 4]) + x, dense(a, choice v [8, 16]),
                                    oneof [dense(x, 4), dense(x, choice u [2, 6, 10])]]
    return concat(picked) |> dense(2)
}
