#!/bin/sh
# nastrain_label_smoothing.sh NASTRAIN — `nastrain --label-smoothing EPS` trains against the
# smoothed target: the same first epoch (same seed, data, initialisation) reports a higher
# training loss with EPS 0.3 than without (the smoothed cross-entropy has a floor above 0 and
# the one-hot part is only 0.7 of it); an EPS outside [0, 1) is refused with exit 2.
set -u
nastrain=$1
fail=0
loss() {   # loss [OPTIONS]: the first epoch's training loss
    "$nastrain" mlp --synthetic 1000 --epochs 1 --threads 1 --seed 3 --no-jit "$@" |
        sed -n 's/^epoch 1  train loss \([0-9.]*\) .*/\1/p'
}
plain=$(loss) smooth=$(loss --label-smoothing 0.3)
echo "first-epoch training loss: plain $plain, label smoothing 0.3: $smooth"
if [ -z "$plain" ] || [ -z "$smooth" ] || ! awk -v a="$plain" -v b="$smooth" 'BEGIN { exit !(b > a + 0.1) }'; then
    echo "FAIL: the smoothed loss must be above the plain one by more than 0.1"; fail=1
fi
for bad in 1 -0.1 0.5x; do
    out=$("$nastrain" mlp --synthetic 100 --label-smoothing "$bad" 2>&1); rc=$?
    case "$rc:$out" in
    "2:"*"--label-smoothing takes EPS in [0, 1) (got '$bad')"*) echo "ok: --label-smoothing $bad refused" ;;
    *) echo "FAIL: --label-smoothing $bad: exit $rc: $out"; fail=1 ;;
    esac
done
exit $fail
