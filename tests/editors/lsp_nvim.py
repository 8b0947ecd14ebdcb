#!/usr/bin/env python3
"""lsp_nvim.py NASLS ROOT — headless Neovim (Debian's neovim) opens a broken .nas file with nasls
as its language server (nvim_lsp.lua) and the diagnostic must appear at the right place: line 3,
byte column 19, after a string with a 2-byte and a 4-byte character (so the UTF-16 positions
nasls sends must have been right for Neovim to land on that byte)."""
import os, shutil, subprocess, sys, tempfile

nasls, root = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
if not shutil.which("nvim"):
    print("nvim is missing: apt-get install neovim (.ci/setup-test installs it)")
    sys.exit(1)
work = tempfile.mkdtemp(prefix="nasls-nvim-")
try:
    path = os.path.join(work, "broken.nas")
    with open(path, "wb") as f:
        f.write('use std.layers\n\nlet a = "é😀" + reluu\n'.encode())
    out = os.path.join(work, "out.txt")
    env = dict(os.environ, NASLS=nasls, NASLS_NVIM_OUT=out, HOME=work,
               XDG_CONFIG_HOME=work, XDG_DATA_HOME=work, XDG_STATE_HOME=work, XDG_CACHE_HOME=work)
    subprocess.run(["nvim", "--headless", "--clean", "--cmd", "set rtp^=" + os.path.join(root, "editors/vim"),
                    "-u", os.path.join(root, "tests/editors/nvim_lsp.lua"), path],
                   env=env, cwd=work, timeout=60, stdin=subprocess.DEVNULL, capture_output=True)
    got = open(out).read() if os.path.exists(out) else "(no output)"
    want = "2 19 NAS0301 undefined name `reluu`"
    print("neovim:", got)
    if got.strip() != want:
        print("FAIL: expected %r" % want)
        sys.exit(1)
    print("ok")
finally:
    shutil.rmtree(work, ignore_errors=True)
