// A repeat whose body branches on a decision, with `zero` among the ops: layers feeding only
// `zero` are dead (not counted), and a layer reading only zero is linted (NAS0902).
// expect-feasible: exact
use std.layers
model net(x: tensor[8]) -> tensor[2] {
    repeat 4 {
        if choice deep bool {
            x = x |> dense(choice w [4, 8])
        }
        x = x |> choice op [relu, zero]
    }
    return dense(x, 2)
}
