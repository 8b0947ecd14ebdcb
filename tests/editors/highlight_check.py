#!/usr/bin/env python3
"""highlight_check.py — run a real highlighter over .nas files and check what it did.

  highlight_check.py EDITOR syntax   the annotated files tests/editors/cases/*.nas: each
                                     `// ^^^ scope - excluded` assertion (vscode-tmgrammar-test
                                     format) checked by that editor; vim and emacs translate
                                     the TextMate scopes through SCOPE_MAP below
  highlight_check.py EDITOR clean    examples/*.nas and stdlib/*.nas: no token is invalid
  highlight_check.py EDITOR indent   tests/editors/indent/*.in.nas re-indented (gg=G,
                                     indent-region) must equal the matching *.nas
  highlight_check.py vscode config   the extension manifest and language configuration
                                     (tests/editors/vscode_config.js)

EDITOR is vscode, vim or emacs. A missing tool is a failure that says how to install it.
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.realpath(os.path.join(HERE, "..", ".."))
TIMEOUT = 300

# TextMate scope prefix -> (vim syntax group, emacs faces). The longest matching prefix wins.
# Vim: the group of the innermost item (synID), "@G" = G anywhere in the synstack, "" = none.
# Emacs: the character's face list must contain one of the faces; () = no face at all.
# None: the scope is not checked in that editor.
COMMENT_FACES = ("font-lock-comment-face", "font-lock-comment-delimiter-face")
SCOPE_MAP = {
    "comment.line": ("nasLineComment", COMMENT_FACES),
    "comment.block": ("nasBlockComment", COMMENT_FACES),
    "string.quoted": ("nasString", ("font-lock-string-face",)),
    "constant.character.escape": ("nasEscape", ("nas-escape-face",)),
    "keyword.declaration": ("nasDeclaration", ("font-lock-keyword-face",)),
    "keyword.control": ("nasControl", ("font-lock-keyword-face",)),
    "keyword.other.decision": ("nasDecision", ("nas-decision-face",)),
    "keyword.other.clause": ("nasClause", ("font-lock-keyword-face",)),
    "keyword.operator.logical": ("nasLogical", ("font-lock-keyword-face",)),
    "constant.language.boolean": ("nasBoolean", ("font-lock-constant-face",)),
    "support.type": ("nasType|nasTypeName", ("font-lock-type-face",)),
    "support.function.layer": ("nasLayer", ("font-lock-builtin-face",)),
    "support.function.builtin": ("nasFunction", ("font-lock-builtin-face",)),
    "support.class.controller": ("nasController", ("font-lock-builtin-face",)),
    "entity.name.function": ("nasFuncName", ("font-lock-function-name-face",)),
    "entity.name.type": ("nasSectionName", ("font-lock-type-face",)),
    "entity.name.decision": ("nasDecisionName", ("font-lock-variable-name-face",)),
    "variable.other.definition": ("nasLetName", ("font-lock-variable-name-face",)),
    "variable.other.member": ("nasMember", ()),
    "variable.other": ("", ()),
    "constant.numeric": ("nasNumber", ("nas-number-face",)),
    "keyword.other.unit": ("nasUnit", ("nas-unit-face",)),
    "keyword.operator.pipeline": ("nasPipe", ("nas-operator-face",)),
    "keyword.operator.range": ("nasRange", ("nas-operator-face",)),
    "keyword.operator.arrow": ("nasArrow", ("nas-operator-face",)),
    "keyword.operator": ("nasOperator", ()),
    "meta.type.shape": ("@nasShape", None),
    "invalid.illegal.unit": ("nasBadUnit", ("font-lock-warning-face",)),
    "invalid.illegal.escape": ("nasBadEscape", ("font-lock-warning-face",)),
    "invalid.illegal": ("nasError", ("font-lock-warning-face",)),
}
VIM_INVALID = {v for k, (v, _) in SCOPE_MAP.items() if k.startswith("invalid")}
EMACS_INVALID = "font-lock-warning-face"

INSTALL = {
    "vim": "vim is not installed: apt-get install vim (sh .ci/setup installs it)",
    "emacs": "emacs is not installed: apt-get install emacs-nox (sh .ci/setup installs it)",
    "node": "node is not installed: apt-get install nodejs npm (sh .ci/setup installs them)",
    "tmgrammar": "vscode-tmgrammar-test is not installed in tests/editors/node_modules: "
                 "run sh tests/editors/setup.sh (sh .ci/setup runs it)",
}


class Fail(Exception):
    pass


def need(tool):
    if tool == "tmgrammar":
        need("node")
        if not os.path.exists(os.path.join(HERE, "node_modules/.bin/vscode-tmgrammar-test")):
            raise Fail(INSTALL[tool])
    elif shutil.which(tool) is None:
        raise Fail(INSTALL[tool])


def run(cmd):
    try:
        p = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=TIMEOUT, text=True)
    except subprocess.TimeoutExpired:
        raise Fail("timed out after %ds: %s" % (TIMEOUT, " ".join(cmd)))
    return p.returncode, p.stdout


# ---- assertions (the format of vscode-tmgrammar-test, dist/unit/parsing.js) -----------------

UP = re.compile(r"^\s*((?:(?:\^+)\s*)+)((?:\s*\w[-\w.]*)*)(?:\s*-)?((?:\s*\w[-\w.]*)*)\s*$")
LEFT = re.compile(r"^(\s*)<([~]*)([-]+)((?:\s*\w[-\w.]*)*)(?:\s*-)?((?:\s*\w[-\w.]*)*)\s*$")


def parse_assertions(path):
    """[(file line, first col, last col (0-based chars), required scopes, excluded scopes)]."""
    lines = open(path, encoding="utf-8").read().split("\n")
    m = re.match(r'^(\S+)\s+SYNTAX\s+TEST\s+"([^"]+)"', lines[0])
    if not m:
        raise Fail("%s: first line is not a SYNTAX TEST header" % path)
    token = m.group(1)
    out, src = [], None
    for i, line in enumerate(lines[1:], start=2):
        rest = line[len(token):]
        if not (line.startswith(token) and re.match(r"^\s*(\^|<~*-+)", rest)):
            src = i
            continue
        if rest.strip().startswith("^"):
            a = UP.match(rest)
            if not a:
                raise Fail("%s:%d: bad assertion" % (path, i))
            req, exc = a.group(2).split(), a.group(3).split()
            for c in re.finditer(r"\^+", rest):
                out.append((src, len(token) + c.start(), len(token) + c.end(), req, exc))
        else:
            a = LEFT.match(rest)
            if not a:
                raise Fail("%s:%d: bad assertion" % (path, i))
            start = len(a.group(2))
            out.append((src, start, start + len(a.group(3)), a.group(4).split(), a.group(5).split()))
    return out


def lookup(scope, editor):
    best = None
    for prefix in SCOPE_MAP:
        if (scope == prefix or scope.startswith(prefix + ".")) and (best is None or len(prefix) > len(best)):
            best = prefix
    if best is None:
        return None
    return SCOPE_MAP[best][0 if editor == "vim" else 1]


# ---- dumps from the editors ------------------------------------------------------------------

def dump(editor, files, out):
    """Run the editor over files; return [(meta dict, {(line, col): info}, indented text)]."""
    if editor == "vim":
        need("vim")
        cmd = ["vim", "-N", "-u", "NONE", "-i", "NONE", "-n", "-es",
               "--cmd", "let g:out = '%s'" % out, "--cmd", "set rtp^=%s" % os.path.join(ROOT, "editors/vim"),
               "-S", os.path.join(HERE, "vim_dump.vim")] + files
    else:
        need("emacs")
        cmd = ["emacs", "--batch", "-Q", "-L", os.path.join(ROOT, "editors/emacs"),
               "-l", os.path.join(HERE, "emacs_dump.el"), out] + files
    rc, log = run(cmd)
    result = []
    for n in range(len(files)):
        syn = os.path.join(out, "%d.syn" % n)
        if not os.path.exists(syn):
            raise Fail("%s produced no dump for %s (exit %d):\n%s" % (editor, files[n], rc, log))
        meta, cells = {}, {}
        for line in open(syn, encoding="utf-8").read().split("\n"):
            if line.startswith("#"):
                key, _, val = line[1:].partition(" ")
                meta[key] = val
            elif line:
                f = line.split("\t")
                cells[(int(f[0]), int(f[1]))] = f[2:]
        indented = open(os.path.join(out, "%d.indent" % n), encoding="utf-8").read()
        result.append((meta, cells, indented))
    return result


def cell_col(editor, text, col):
    """Editor column (1-based) of character col (0-based) of a line: vim counts bytes."""
    return len(text[:col].encode("utf-8")) + 1 if editor == "vim" else col + 1


def check_cell(editor, cells, key, required, excluded):
    """Problems at one position, [] when the highlighter agrees with the assertion."""
    info = cells.get(key, ["", ""] if editor == "vim" else [""])
    problems = []
    if editor == "vim":
        inner, stack = info[0], [s for s in info[1].split(",") if s]
        mapped = [(s, lookup(s, "vim")) for s in required if lookup(s, "vim") is not None]
        tokens = [(s, g) for s, g in mapped if not g.startswith("@")]
        for s, g in mapped:
            if g.startswith("@"):
                ok = g[1:] in stack
            elif (s, g) == tokens[-1]:
                ok = inner in g.split("|")
            else:
                ok = bool(set(g.split("|")) & set(stack))
            if not ok:
                problems.append("%s should be %s, is %s (stack %s)" % (s, g or "no group", inner or "no group",
                                                                     ",".join(stack) or "-"))
        for s in excluded:
            g = lookup(s, "vim")
            if g and set(g.lstrip("@").split("|")) & set(stack):
                problems.append("must not be %s (%s), stack %s" % (s, g.lstrip("@"), ",".join(stack)))
    else:
        faces = [f for f in info[0].split(",") if f]
        for s in required:
            want = lookup(s, "emacs")
            if want is None:
                continue
            if (want == () and faces) or (want and not set(want) & set(faces)):
                problems.append("%s should be %s, is %s" % (s, " or ".join(want) or "no face",
                                                            ",".join(faces) or "no face"))
        for s in excluded:
            want = lookup(s, "emacs")
            if want and set(want) & set(faces):
                problems.append("must not be %s (%s)" % (s, ",".join(faces)))
    return problems


# ---- the three checks ------------------------------------------------------------------------

def case_files():
    files = sorted(glob.glob(os.path.join(HERE, "cases", "*.nas")))
    if not files:
        raise Fail("no test files in tests/editors/cases")
    return files


def clean_files():
    files = sorted(glob.glob(os.path.join(ROOT, "examples", "*.nas")) +
                   glob.glob(os.path.join(ROOT, "stdlib", "*.nas")))
    if not files:
        raise Fail("no examples/*.nas nor stdlib/*.nas to check")
    return files


def syntax(editor, tmp):
    files = case_files()
    if editor == "vscode":
        need("tmgrammar")
        rc, log = run([os.path.join(HERE, "node_modules/.bin/vscode-tmgrammar-test"), "--compact",
                       "--config", os.path.join(ROOT, "editors/vscode/package.json")] + files)
        print(log.rstrip())
        if rc != 0 or "failed" in log:
            raise Fail("vscode-tmgrammar-test found wrong scopes")
        return "%d files passed vscode-tmgrammar-test" % len(files)
    checked, problems = 0, []
    if editor == "emacs":  # the mode byte-compiles without a warning
        elc = os.path.join(tmp, "nas-mode.elc")
        rc, log = run(["emacs", "--batch", "-Q", "--eval", "(setq byte-compile-error-on-warn t)",
                       "--eval", "(setq byte-compile-dest-file-function (lambda (_) \"%s\"))" % elc,
                       "-f", "batch-byte-compile", os.path.join(ROOT, "editors/emacs/nas-mode.el")])
        if rc != 0:
            problems.append("editors/emacs/nas-mode.el does not byte-compile cleanly:\n" + log)
    for path, (meta, cells, _) in zip(files, dump(editor, files, tmp)):
        rel = os.path.relpath(path, ROOT)
        if meta.get("err"):
            problems.append("%s: %s reported: %s" % (rel, editor, meta["err"]))
        if editor == "vim" and (meta.get("ft") != "nas" or meta.get("cms") != "// %s"):
            problems.append("%s: filetype %r commentstring %r, want nas and '// %%s'"
                            % (rel, meta.get("ft"), meta.get("cms")))
        if editor == "emacs" and (meta.get("mode") != "nas-mode" or meta.get("cms") != "// "):
            problems.append("%s: major mode %r comment-start %r, want nas-mode and '// '"
                            % (rel, meta.get("mode"), meta.get("cms")))
        text = open(path, encoding="utf-8").read().split("\n")
        for line, first, last, req, exc in parse_assertions(path):
            for col in range(first, last):
                checked += 1
                key = (line, cell_col(editor, text[line - 1], col))
                for p in check_cell(editor, cells, key, req, exc):
                    problems.append("%s:%d:%d: %r: %s" % (rel, line, col + 1, text[line - 1][col:col + 1], p))
    if problems:
        raise Fail("\n".join(problems))
    return "%d positions in %d files agree with their assertions" % (checked, len(files))


def clean(editor, tmp):
    files = clean_files()
    if editor == "vscode":
        need("node")
        need("tmgrammar")
        rc, log = run(["node", os.path.join(HERE, "tm_clean.js"),
                       os.path.join(ROOT, "editors/vscode/syntaxes/nas.tmLanguage.json")] + files)
        print(log.rstrip())
        if rc != 0:
            raise Fail("invalid tokens (or a tokenizer error) above")
        return "%d files, no invalid token" % len(files)
    problems = []
    for path, (_, cells, _) in zip(files, dump(editor, files, tmp)):
        for (line, col), info in sorted(cells.items()):
            names = set(info[1].split(",")) if editor == "vim" else set(info[0].split(","))
            bad = names & VIM_INVALID if editor == "vim" else names & {EMACS_INVALID}
            if bad:
                problems.append("%s:%d:%d: %s" % (os.path.relpath(path, ROOT), line, col, ",".join(sorted(bad))))
    if problems:
        raise Fail("invalid highlighting:\n" + "\n".join(problems))
    return "%d files, no invalid token" % len(files)


def indent(editor, tmp):
    bad = sorted(glob.glob(os.path.join(HERE, "indent", "*.in.nas")))
    if not bad:
        raise Fail("no tests/editors/indent/*.in.nas")
    problems = []
    for path, (_, _, got) in zip(bad, dump(editor, bad, tmp)):
        want_path = path[:-len(".in.nas")] + ".nas"
        want = open(want_path, encoding="utf-8").read()
        if got.rstrip("\n") != want.rstrip("\n"):
            g, w = got.rstrip("\n").split("\n"), want.rstrip("\n").split("\n")
            for i in range(max(len(g), len(w))):
                a = g[i] if i < len(g) else "<missing>"
                b = w[i] if i < len(w) else "<missing>"
                if a != b:
                    problems.append("%s:%d: got %r, want %r" % (os.path.relpath(want_path, ROOT), i + 1, a, b))
    if problems:
        raise Fail("\n".join(problems))
    return "%d files re-indented as expected" % len(bad)


def config(editor, tmp):
    need("node")
    rc, log = run(["node", os.path.join(HERE, "vscode_config.js"), ROOT])
    if rc != 0:
        raise Fail(log.rstrip())
    return log.strip().replace("vscode config: ok: ", "")


CHECKS = {"vscode": {"syntax": syntax, "clean": clean, "config": config},
          "vim": {"syntax": syntax, "clean": clean, "indent": indent},
          "emacs": {"syntax": syntax, "clean": clean, "indent": indent}}


def main(argv):
    if len(argv) != 2 or argv[1] not in CHECKS.get(argv[0], {}):
        print(__doc__)
        return 2
    editor, what = argv
    tmp = tempfile.mkdtemp(prefix="nas-editors-")
    try:
        msg = CHECKS[editor][what](editor, tmp)
    except Fail as e:
        print("%s %s: FAIL: %s" % (editor, what, e))
        return 1
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print("%s %s: ok: %s" % (editor, what, msg))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
