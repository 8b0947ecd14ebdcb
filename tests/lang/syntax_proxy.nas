// `proxy` (§3.11): proxy-task design by rank correlation with full training.
proxy design {
    reference  10
    epochs     [1, 2, 4]
    data       [10%, 25%, 100%]
    keep when  correlation >= 0.8
}
