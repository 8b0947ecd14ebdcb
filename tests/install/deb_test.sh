#!/bin/sh
# deb_test.sh BUILD — `cpack -G DEB` builds a Debian package; its file list and control fields must
# hold the programs, the stdlib, the man pages and the editor files, and its dependencies must name
# the libraries the programs link (dpkg-shlibdeps).
set -eu
build=$1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$build" && cpack -G DEB -B "$tmp" > "$tmp/cpack.log" 2>&1) || { cat "$tmp/cpack.log"; exit 1; }
deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
[ -n "$deb" ] || { echo "FAIL: cpack made no .deb"; cat "$tmp/cpack.log"; exit 1; }
dpkg-deb -c "$deb" | awk '{print $6}' > "$tmp/files"
for f in ./usr/bin/nasc ./usr/bin/nasls ./usr/bin/nasrun ./usr/bin/nastrain ./usr/share/nas/stdlib/layers.nas \
         ./usr/share/man/man1/nasrun.1 ./usr/share/vim/vimfiles/syntax/nas.vim; do
  grep -qx "$f" "$tmp/files" || { echo "FAIL: $f is not in $(basename "$deb")"; cat "$tmp/files"; exit 1; }
done
dpkg-deb -f "$deb" Package | grep -qx nas || { echo "FAIL: package name"; exit 1; }
deps=$(dpkg-deb -f "$deb" Depends)
for lib in libdnnl libsqlite3 libllvm libopenblas; do
  echo "$deps" | grep -q "$lib" || { echo "FAIL: Depends lacks $lib: $deps"; exit 1; }
done
echo "deb_test: ok ($(basename "$deb"), $(wc -l < "$tmp/files") entries; Depends: $deps)"
