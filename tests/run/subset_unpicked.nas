// The tensors a subset does not pick are not in a trial's graph: not run, not trained, no
// parameters. Each of the 3 architectures trains one of a (8 units: 40 params), b (16: 80)
// and c (32: 160), so the weights file of the one picking a (58 params with the head) is
// smaller than the 280 params of a, b and c together (1120 bytes; with the unpicked layers
// kept it held all of them: 1832 bytes), and the files grow with the params trials report.
// run: --keep-weights {file}
use std.layers

dataset blobs {
    format  synthetic(n = 64, seed = 3)
    input   [4]
    classes 2
}

model m(x: tensor[4]) -> tensor[2] {
    let a = dense(x, 8)
    let b = dense(x, 16)
    let c = dense(x, 32)
    let s = choice picked 1 of [a, b, c]
    return dense(concat(s), 2)
}

reward { maximize accuracy }

controller { algorithm grid }

search s {
    data   blobs.train split 50% / 50%
    batch  16
    epochs 1
    trials 3
}

// expect-store: SELECT count(*), max(w.bytes) < 280 * 4 FROM trial t JOIN weights w ON w.arch_id = t.arch_id WHERE json_extract(t.metrics, '$.params') = 58 => [[1, 1]]
// expect-store: SELECT group_concat(json_extract(t.metrics, '$.params'), ',') FROM (SELECT * FROM trial ORDER BY json_extract(metrics, '$.params')) t JOIN weights w ON w.arch_id = t.arch_id ORDER BY 1 => [["58,114,226"]]
// expect-store: SELECT count(*) FROM trial a JOIN weights wa ON wa.arch_id = a.arch_id JOIN trial b JOIN weights wb ON wb.arch_id = b.arch_id WHERE json_extract(a.metrics, '$.params') < json_extract(b.metrics, '$.params') AND wa.bytes >= wb.bytes => [[0]]
