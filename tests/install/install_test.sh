#!/bin/sh
# install_test.sh BUILD SOURCE — `cmake --install` into a temporary prefix, move the prefix, and
# run nasc and a tiny search from there: the installed programs must find their stdlib beside
# themselves (share/nas/stdlib), not in the source tree. A module that exists only in the moved
# prefix proves where it was read from.
set -eu
build=$1; src=$2
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/a" > "$tmp/install.log" || { cat "$tmp/install.log"; exit 1; }
mv "$tmp/a" "$tmp/b"
p=$tmp/b
for f in bin/nasc bin/nasls bin/nasrun bin/nastrain share/nas/stdlib/layers.nas share/nas/stdlib/spaces/mlp.nas \
         share/man/man1/nasc.1 share/man/man1/nasls.1 share/man/man1/nasrun.1 share/vim/vimfiles/syntax/nas.vim \
         share/emacs/site-lisp/nas/nas-mode.el share/nas/editors/vscode/package.json share/doc/nas/LICENSE; do
  [ -e "$p/$f" ] || { echo "FAIL: $f is not installed"; exit 1; }
done
# a module only the installed stdlib has
printf '// install test\nuse std.layers\nblock install_probe(x: tensor) -> tensor { return x |> dense(4) }\n' \
  > "$p/share/nas/stdlib/install_probe.nas"
sed -e 's/^use std.layers$/use std.layers\nuse std.install_probe/' \
    -e 's/return dense(x, 4)/return install_probe(x)/' "$src/examples/tiny.nas" > "$tmp/tiny.nas"
cd "$tmp"
unset NAS_STDLIB
"$p/bin/nasc" tiny.nas > nasc.out 2>&1 || { echo "FAIL: installed nasc:"; cat nasc.out; exit 1; }
grep -q "9 architectures" nasc.out || { echo "FAIL: nasc did not report the space:"; cat nasc.out; exit 1; }
"$p/bin/nasrun" tiny.nas --trials 3 --quiet > run.out 2>&1 || { echo "FAIL: installed nasrun:"; cat run.out; exit 1; }
"$p/bin/nasrun" tiny.nas --status > status.out 2>&1 || { echo "FAIL: nasrun --status:"; cat status.out; exit 1; }
grep -q "done" status.out || { echo "FAIL: no finished trial in the status:"; cat status.out; exit 1; }
# the installed language server reads the installed stdlib too: the probe's layer is known
PYTHONPATH="$src/tests/editors" python3 - "$p/bin/nasls" "$tmp/tiny.nas" <<'PY' || { echo "FAIL: installed nasls"; exit 1; }
import sys
from lsp_client import Client, uri_of
c = Client(sys.argv[1])
c.initialize()
u = uri_of(sys.argv[2])
c.open(u, open(sys.argv[2]).read())
d = c.wait_diagnostics(u)
assert d == [], d
assert c.close() == 0
PY
MANPATH="$p/share/man" man -w nasrun > /dev/null 2>&1 || [ ! -x /usr/bin/man ] || { echo "FAIL: man nasrun not found"; exit 1; }
echo "install_test: ok (prefix moved to $p)"
