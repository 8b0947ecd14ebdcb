// The settings that end a search early, and the trainer's timeout, each shown by its own
// search (an external trainer that acts by stage): `stop when trials >= 2` ends a search of 10
// trials after 2; with every trial failing, `max_failed 3` cancels a search of 10 at the fourth
// failure; `time_limit 1s` ends a search of 100 trials of 0.3 s each after a few; a trial that
// outlives the trainer's `timeout 1s` fails as timed out.
// covers: search.stop, search.max_failed, search.time_limit, trainer.timeout
// write: t.sh = "case $NAS_STAGE in 2) exit 1;; 3) sleep 0.3;; 4) sleep 20;; esac\necho '{\"accuracy\": 0.5}'\n"
use std.layers

dataset blobs {
    format  synthetic(n = 10, seed = 1)
    input   [8]
    classes 2
}

model m(x: tensor[8]) -> tensor[2] {
    return x |> dense(choice w 1 .. 1000) |> relu |> dense(2)
}

reward { maximize accuracy }

trainer t {
    exec    "sh t.sh"
    timeout 1s
}

search stopped {
    data   blobs.train split 50% / 50%
    trials 10
    stop   when trials >= 2
}

search failing {
    data       blobs.train split 50% / 50%
    trials     10
    max_failed 3
}

search limited {
    data       blobs.train split 50% / 50%
    trials     100
    time_limit 1s
}

search hanging {
    data   blobs.train split 50% / 50%
    trials 1
}

// run: {file} --stage 1
// expect-store: SELECT count(*), sum(state = 1) FROM trial WHERE stage = 1 => [[2, 2]]
// run: {file} --stage 2
// expect-exit: 3
// expect-stderr: 4 trials failed, more than max_failed = 3: the search is cancelled
// expect-store: SELECT count(*) FROM trial WHERE stage = 2 AND state = 1 => [[0]]
// run: {file} --stage 3
// expect-store: SELECT count(*) < 20, sum(state = 1) >= 1 FROM trial WHERE stage = 3 => [[1, 1]]
// run: {file} --stage 4
// expect-exit: 3
// expect-store: SELECT reason FROM trial WHERE stage = 4 => [["timed out after 1 s"]]
