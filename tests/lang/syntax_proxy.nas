// `proxy` (§3.11): proxy-task design parses and its settings are checked, but nasrun does not
// carry it out yet, so nasc refuses it (NAS0706) rather than accept a declaration no run reads.
proxy design {
// expect: error NAS0706 at 3:1
    reference  10
    epochs     [1, 2, 4]
    data       [10%, 25%, 100%]
    keep when  correlation >= 0.8
}
