// Proxy-task design with the built-in trainer: `--stage design` trains the 3 references
// fully (the train's 3 epochs on all 200 of d.train) and under the one candidate (2 epochs on
// 50% of the search's 160-example split), and prints the table. No candidate can meet the
// rule (a correlation is at most 1), so the best-correlated is used, with a warning. The next
// run designs nothing more and stage 1 trains under the chosen proxy: 2 epochs, 80 examples.
// covers: proxy.reference, proxy.epochs, proxy.data, proxy.keep
use std.layers

dataset d {
    format  synthetic(n = 200, seed = 3)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w [2, 4, 8, 16]) |> relu |> dense(2)
}

reward { maximize accuracy }

search s {
    data   d.train split 80% / 20%
    batch  16
    trials 2
}

train full {
    from   s top 1
    data   d.train / d.test
    epochs 3
    batch  16
}

proxy design {
    reference 3
    epochs    [2]
    data      [50%]
    keep when correlation > 2
}
// run: {file} --stage design
// expect-stdout: proxy design design: 3 reference architectures
// expect-stdout: <- chosen
// expect-stderr: no candidate proxy meets `keep when`
// expect-store: SELECT stage, count(*), min(json_extract(metrics, '$.train_examples')), max(json_array_length(curve)) FROM trial GROUP BY stage ORDER BY stage => [[-2, 3, 80, 2], [-1, 3, 200, 3]]
// run: {file}
// expect-stderr: [stage 1] search s, under the proxy chosen by the design (2 epochs on 50% of the training split
// expect-not: [design] proxy design
// expect-store: SELECT stage, count(*), min(json_extract(metrics, '$.train_examples')), max(json_array_length(curve)) FROM trial WHERE stage = 1 GROUP BY stage => [[1, 2, 80, 2]]
// expect-store: SELECT count(*) FROM trial WHERE stage < 0 => [[6]]
// run: {file} --status
// expect-stdout: design: 6 done, 0 running, 0 failed, 0 infeasible
// run: {file} --stage design
// expect-stdout: <- chosen
// expect-not: [design] proxy design
// expect-store: SELECT count(*) FROM trial => [[9]]
