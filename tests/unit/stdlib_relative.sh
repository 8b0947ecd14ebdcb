#!/bin/sh
# stdlib_relative.sh NASC STDLIB — nasc copied into PREFIX/bin finds PREFIX/share/nas/stdlib
# (a module that only that copy of the stdlib has), $NAS_STDLIB overrides it, and without the
# installed stdlib nasc falls back to the source tree's (which lacks the module).
set -u
nasc=$1 stdlib=$2
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail=0
check() {   # check WHAT EXPECTED-STATUS GREP-PATTERN (stdout+stderr of the last run in $tmp/out)
    if [ "$rc" != "$2" ] || ! grep -q -- "$3" "$tmp/out"; then
        echo "FAIL: $1 (exit $rc, expected $2; output must contain '$3'):"; cat "$tmp/out"; fail=1
    else
        echo "ok: $1"
    fi
}
mkdir -p "$tmp/prefix/bin" "$tmp/prefix/share/nas" "$tmp/moved"
cp "$nasc" "$tmp/prefix/bin/nasc"
cp -r "$stdlib" "$tmp/prefix/share/nas/stdlib"
printf 'let marker = 1\n' > "$tmp/prefix/share/nas/stdlib/only_installed.nas"
printf 'use std.only_installed\nuse std.layers\nlet x = marker + 1\n' > "$tmp/t.nas"

unset NAS_STDLIB
"$tmp/prefix/bin/nasc" "$tmp/t.nas" > "$tmp/out" 2>&1; rc=$?
check "installed nasc uses PREFIX/share/nas/stdlib" 0 "ok (3 modules)"

NAS_STDLIB=$stdlib "$tmp/prefix/bin/nasc" "$tmp/t.nas" > "$tmp/out" 2>&1; rc=$?
check "NAS_STDLIB overrides the installed stdlib" 1 "NAS0004"

mv "$tmp/prefix" "$tmp/moved/prefix"
"$tmp/moved/prefix/bin/nasc" "$tmp/t.nas" > "$tmp/out" 2>&1; rc=$?
check "a moved prefix still finds its stdlib" 0 "ok (3 modules)"

rm -r "$tmp/moved/prefix/share"
"$tmp/moved/prefix/bin/nasc" "$tmp/t.nas" > "$tmp/out" 2>&1; rc=$?
check "without an installed stdlib: the source tree's" 1 "looked for $stdlib/only_installed.nas"
exit $fail
