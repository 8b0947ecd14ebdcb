#!/usr/bin/env python3
"""lsp_editor.py EDITOR NASLS ROOT — a real editor opens a broken .nas file with nasls as its
language server and the diagnostic must appear at the right place: after a string holding a
2-byte and a 4-byte character, so the UTF-16 positions nasls sends must be right for the editor
to land on the name.
  nvim   headless Neovim (Debian's neovim 0.7), the built-in client (nvim_lsp.lua): line 2
         (0-based), byte column 19
  emacs  Emacs --batch with eglot (emacs_lsp.el; Debian 12's Emacs 28 needs elpa-eglot): line 3,
         character 15 of the line"""
import os, shutil, subprocess, sys, tempfile

editor, nasls, root = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
tool = {"nvim": "nvim", "emacs": "emacs"}[editor]
if not shutil.which(tool):
    print("%s is missing: apt-get install %s (.ci/setup-test installs it)" % (tool, {"nvim": "neovim", "emacs": "emacs-nox elpa-eglot"}[editor]))
    sys.exit(1)
work = tempfile.mkdtemp(prefix="nasls-%s-" % editor)
try:
    path = os.path.join(work, "broken.nas")
    with open(path, "wb") as f:
        f.write('use std.layers\n\nlet a = "é😀" + reluu\n'.encode())
    out = os.path.join(work, "out.txt")
    env = dict(os.environ, NASLS=nasls, NASLS_ROOT=root, NASLS_EDITOR_FILE=path, NASLS_EDITOR_OUT=out, HOME=work,
               XDG_CONFIG_HOME=work, XDG_DATA_HOME=work, XDG_STATE_HOME=work, XDG_CACHE_HOME=work)
    if editor == "nvim":
        cmd = ["nvim", "--headless", "--clean", "--cmd", "set rtp^=" + os.path.join(root, "editors/vim"),
               "-u", os.path.join(root, "tests/editors/nvim_lsp.lua"), path]
        want = "2 19 NAS0301 undefined name `reluu`"
    else:
        # Debian's elpa-eglot is found through its site-lisp start file, which -Q skips: loaded here
        cmd = ["emacs", "--batch", "-Q"]
        for d in ("/usr/share/emacs/site-lisp/elpa", "/usr/share/emacs/site-lisp/elpa-src"):
            if os.path.isdir(d):
                cmd += ["--eval", "(dolist (d (directory-files %s t \"^eglot-\")) (add-to-list 'load-path d))"
                        % ('"' + d + '"')]
        cmd += ["-l", os.path.join(root, "tests/editors/emacs_lsp.el")]
        want = "3 15 nasc [NAS0301]: undefined name `reluu`"
    try:
        p = subprocess.run(cmd, env=env, cwd=work, timeout=90, stdin=subprocess.DEVNULL, capture_output=True)
        err = p.stderr.decode("utf-8", "replace")[-2000:]
    except subprocess.TimeoutExpired:
        err = "(the editor did not exit within 90 s)"
    got = open(out).read().strip() if os.path.exists(out) else "(no output)\n" + err
    print(editor + ":", got)
    if got != want:
        print("FAIL: expected %r" % want)
        sys.exit(1)
    print("ok")
finally:
    shutil.rmtree(work, ignore_errors=True)
