// A named controller whose settings share one line (§1: no terminator needed; §3.8).
controller ctl { algorithm reinforce seed 2 }
