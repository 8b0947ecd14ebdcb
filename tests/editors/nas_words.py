#!/usr/bin/env python3
"""nas_words.py — the one list of keywords and builtin names the editor grammars carry.

Sources of truth (read, never copied by hand):
  keywords   grammar/nas.l: flex rules whose pattern is a quoted word ("model" { ... }),
             or a keyword table {"model", TOKEN}; docs/language.md section 1 until nas.l exists
  units      compiler/front/units.c: its units[] table ({"ms", DIM_TIME, ...}), which the scanner
             grammar/nas.l reads; docs section 1 until then
  types      compiler/sema/sema_types.c: its type-name table ({"int", &sema_ty_int}); docs/language.md
             "Types:" until then; every type a stdlib signature uses must be there
  layers     stdlib/*.nas: `extern block NAME` and `block NAME`
  functions  stdlib/*.nas: `extern fn NAME` and `fn NAME`
  controllers compiler/sema/sema_settings.c: the o_algorithm[] options; docs section 3.8 until then

  nas_words.py            check: every editor grammar carries exactly these words (exit 1 if not)
  nas_words.py --write    rewrite the generated lists in the three editor files, then check
  nas_words.py --print    print the word lists

Every keyword must belong to one highlighting category below: a keyword the lexer gains is
an error here until it is given one.
"""
import json
import os
import re
import sys

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TM_FILE = os.path.join(ROOT, "editors/vscode/syntaxes/nas.tmLanguage.json")
VIM_FILE = os.path.join(ROOT, "editors/vim/syntax/nas.vim")
EMACS_FILE = os.path.join(ROOT, "editors/emacs/nas-mode.el")

# Highlighting categories: (name, TextMate scope, vim group). Words are highlighted anywhere,
# except typename (only after ':' or '->') and unit (only right after a number).
CATEGORIES = [
    ("declaration", "keyword.declaration.nas", "nasDeclaration"),
    ("control", "keyword.control.nas", "nasControl"),
    ("decision", "keyword.other.decision.nas", "nasDecision"),
    ("clause", "keyword.other.clause.nas", "nasClause"),
    ("logical", "keyword.operator.logical.nas", "nasLogical"),
    ("boolean", "constant.language.boolean.nas", "nasBoolean"),
    ("type", "support.type.nas", "nasType"),
    ("typename", "support.type.nas", "nasTypeName"),
    ("unit", "keyword.other.unit.nas", "nasUnit"),
    ("layer", "support.function.layer.nas", "nasLayer"),
    ("function", "support.function.builtin.nas", "nasFunction"),
    ("controller", "support.class.controller.nas", "nasController"),
]
KEYWORD_CATEGORY = {}
for _cat, _words in [
    ("declaration", "use extern dataset block model fn reward controller search train proxy tune trainer let"),
    ("control", "return repeat if else when"),
    ("decision", "choice oneof of step log"),
    ("clause", "maximize minimize subject to soft hard split from top ref"),
    ("logical", "and or not"),
    ("boolean", "true false"),
    ("type", "bool"),
]:
    for _w in _words.split():
        KEYWORD_CATEGORY[_w] = _cat


class WordError(Exception):
    pass


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def strip_c_comments(text):
    """Drop // and (nested) /* */ comments outside strings; .nas and C/flex code alike."""
    out, i, n = [], 0, len(text)
    while i < n:
        c = text[i]
        if c == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            out.append(text[i:j + 1])
            i = j + 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if text.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif text.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
            out.append(" ")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def docs_keywords():
    doc = read(os.path.join(ROOT, "docs/language.md"))
    m = re.search(r"\*\*Keywords\*\*.*?```\n(.*?)```", doc, re.S)
    if not m:
        raise WordError("docs/language.md: no ```-fenced list after **Keywords**")
    return set(m.group(1).split())


def lexer_keywords():
    """Keywords of grammar/nas.l, or None when the lexer does not exist yet."""
    path = os.path.join(ROOT, "grammar/nas.l")
    if not os.path.exists(path):
        return None
    text = read(path)
    parts = text.split("\n%%")
    rules = parts[1] if len(parts) > 1 else text
    words = set(re.findall(r'^"([A-Za-z_][A-Za-z0-9_]*)"\s', rules, re.M))
    if not words:  # an identifier rule plus a lookup table {"word", TOKEN}
        words = set(re.findall(r'\{\s*"([a-z_][a-z0-9_]*)"\s*,\s*[A-Z_][A-Z0-9_]*\s*\}', text))
    if not words:
        raise WordError("grammar/nas.l: found no keyword rules (\"word\" { ... }) nor a keyword "
                        "table ({\"word\", TOKEN}); teach tests/editors/nas_words.py its form")
    return words


def c_table(relpath, pattern, what):
    """Names from a C table (a regex with one group), None when the file does not exist."""
    path = os.path.join(ROOT, relpath)
    if not os.path.exists(path):
        return None
    names = set(re.findall(pattern, read(path)))
    if not names:
        raise WordError("%s: found no %s; teach tests/editors/nas_words.py its form" % (relpath, what))
    return names


def lexer_units():
    units = c_table("compiler/front/units.c", r'\{\s*"([^"]+)"\s*,\s*DIM_[A-Z]+', "units[] table")
    if units is None:
        doc = read(os.path.join(ROOT, "docs/language.md"))
        units = set()
        for row in re.findall(r"^\| (?:time|memory|ratio|count) \|([^|]*)\|", doc, re.M):
            units.update(re.findall(r"`([^`]+)`", row))
    return units


def doc_types():
    doc = read(os.path.join(ROOT, "docs/language.md"))
    m = re.search(r"Types:\s*(.*?)(?:\(|\n\n)", doc, re.S)
    if not m:
        raise WordError("docs/language.md: no 'Types:' sentence in section 3.4")
    return set(re.findall(r"`([a-z]+)`", m.group(1)))


def sema_types():
    return c_table("compiler/sema/sema_types.c", r'\{\s*"([a-z_]+)"\s*,\s*&sema_ty_\w+\s*\}',
                   "type-name table") or doc_types()


def sema_controllers():
    path = os.path.join(ROOT, "compiler/sema/sema_settings.c")
    if not os.path.exists(path):
        return None
    m = re.search(r"o_algorithm\[\]\s*=\s*\{(.*?)\};", read(path), re.S)
    if not m:
        raise WordError("compiler/sema/sema_settings.c: no o_algorithm[] table")
    return set(re.findall(r'OPT0?\("(\w+)"', m.group(1)))


def stdlib_externs():
    """{'block': set, 'fn': set, 'types': set} from stdlib/*.nas (types: of extern signatures)."""
    found = {"block": set(), "fn": set(), "types": set()}
    d = os.path.join(ROOT, "stdlib")
    for name in sorted(os.listdir(d)) if os.path.isdir(d) else []:
        if not name.endswith(".nas"):
            continue
        text = strip_c_comments(read(os.path.join(d, name)))
        for kind, word in re.findall(r"\b(block|fn)\s+([A-Za-z_]\w*)", text):
            found[kind].add(word)
        for sig in re.findall(r"\bextern\s+\w+\s+\w+\s*\(([^)]*)\)\s*(?:->\s*(\w+))?", text):
            found["types"].update(re.findall(r":\s*([A-Za-z_]\w*)", sig[0]))
            if sig[1]:
                found["types"].add(sig[1])
    return found


def docs_controllers():
    doc = read(os.path.join(ROOT, "docs/language.md"))
    m = re.search(r"### 3\.8.*?```nas\n(.*?)```", doc, re.S)
    if not m:
        raise WordError("docs/language.md: no controller example in section 3.8")
    words = set()
    for line in m.group(1).splitlines():
        if "algorithm" in line or words:
            comment = line.split("//", 1)[1] if "//" in line else ""
            words.update(re.findall(r"[a-z_]+", comment))
        if "algorithm" in line:
            words.update(re.findall(r"algorithm\s+([a-z_]+)", line))
    return words


def source_words():
    """{category: sorted list} from the sources, plus notes on which sources were used."""
    notes = []
    keywords = lexer_keywords()
    documented = docs_keywords()
    if keywords is None:
        notes.append("grammar/nas.l absent: keywords taken from docs/language.md section 1")
        keywords = documented
    elif keywords != documented:
        raise WordError("grammar/nas.l and docs/language.md section 1 disagree on the keywords: "
                        "only in nas.l: %s; only in the docs: %s"
                        % (sorted(keywords - documented) or "-", sorted(documented - keywords) or "-"))
    unclassified = sorted(keywords - set(KEYWORD_CATEGORY))
    if unclassified:
        raise WordError("keywords with no highlighting category: %s; add them to KEYWORD_CATEGORY "
                        "in tests/editors/nas_words.py and run it with --write" % unclassified)
    words = {cat: set() for cat, _, _ in CATEGORIES}
    for w in keywords:
        words[KEYWORD_CATEGORY[w]].add(w)
    ext = stdlib_externs()
    types = sema_types()
    unknown = ext["types"] - types
    if unknown:
        raise WordError("stdlib signatures use types sema does not know: %s" % sorted(unknown))
    words["typename"] = types - keywords
    words["unit"] = lexer_units()
    words["layer"] = ext["block"]
    words["function"] = ext["fn"] - ext["block"]
    words["controller"] = sema_controllers()
    if words["controller"] is None:
        words["controller"] = docs_controllers()
        notes.append("controllers taken from docs/language.md section 3.8")
    if not ext["block"]:
        notes.append("stdlib/ declares no block: no layer names yet")
    clash = (words["layer"] | words["function"] | words["controller"] | words["typename"]) & keywords
    if clash:
        raise WordError("stdlib names that are keywords: %s" % sorted(clash))
    return {k: sorted(v) for k, v in words.items()}, notes


# ---- the lists as each editor file carries them ---------------------------------------------

UNITS_TM = re.compile(r"\(\?:\(([A-Za-z%|]+)\)\(\?!")


def tm_words(text):
    """{category: words} from repository entries "words-<category>" of the TextMate grammar,
    and the units of its "number" rule."""
    repo = json.loads(text).get("repository", {})
    m = UNITS_TM.search(repo.get("number", {}).get("match", ""))
    got = {"unit": sorted(m.group(1).split("|")) if m else []}
    for cat, _, _ in CATEGORIES:
        entry = repo.get("words-" + cat)
        if entry is None:
            continue
        m = re.search(r"\(\?:([A-Za-z0-9_|]*)\)", entry.get("match", ""))
        got[cat] = sorted(w for w in (m.group(1).split("|") if m else []) if w)
    return got


VIM_OPTIONS = {"contained", "transparent", "skipwhite", "skipnl", "skipempty", "display",
               "extend", "fold", "conceal", "oneline", "keepend", "excludenl"}


def vim_words(text):
    groups = {g: cat for cat, _, g in CATEGORIES}
    got = {}
    for group, rest in re.findall(r"^syn(?:tax)?\s+keyword\s+(\w+)\s+(.*)$", text, re.M):
        if group in groups:
            got.setdefault(groups[group], []).extend(
                w for w in rest.split() if "=" not in w and w not in VIM_OPTIONS)
    for group, pattern in re.findall(r"^syn(?:tax)?\s+match\s+(\w+)\s+(/.*/)", text, re.M):
        m = re.search(r"\\%\(((?:[A-Za-z0-9_%]+\\\|)*[A-Za-z0-9_%]+)\\\)", pattern)
        if group in groups and m:
            got.setdefault(groups[group], []).extend(m.group(1).split("\\|"))
    return {k: sorted(v) for k, v in got.items()}


def emacs_words(text):
    got = {}
    for cat, body in re.findall(r"\(defconst nas-words-([a-z]+)\s*'\(((?:\s*\"[^\"]*\")*)\s*\)", text):
        got[cat] = sorted(re.findall(r'"([^"]*)"', body))
    return got


# ---- rewriting the generated lists -----------------------------------------------------------

def write_tm(text, words):
    grammar = json.loads(text)
    repo = grammar["repository"]
    for cat, scope, _ in CATEGORIES:
        alt = "|".join(words[cat])
        if cat == "unit":
            m = UNITS_TM.search(repo["number"]["match"])
            if not m:
                raise WordError("%s: the number rule has no (?:(units)(?! group" % TM_FILE)
            repo["number"]["match"] = repo["number"]["match"].replace(m.group(1), alt, 1)
        elif not words[cat]:
            repo.pop("words-" + cat, None)
        elif cat == "typename":
            repo["words-" + cat] = {
                "match": "(?:(:)|(->))\\s*\\b((?:%s))\\b" % alt,
                "captures": {"1": {"name": "punctuation.separator.colon.nas"},
                             "2": {"name": "keyword.operator.arrow.nas"},
                             "3": {"name": scope}},
            }
        else:
            repo["words-" + cat] = {"match": "\\b(?:%s)\\b" % alt, "name": scope}
    return json.dumps(grammar, indent=2) + "\n"


def replace_block(text, begin, end, body, path):
    m = re.search(re.escape(begin) + r".*?\n(.*?)" + re.escape(end), text, re.S)
    if not m:
        raise WordError("%s: no '%s ... %s' block to rewrite" % (path, begin, end))
    return text[:m.start(1)] + body + text[m.end(1):]


def write_vim(text, words):
    lines = []
    for cat, _, group in CATEGORIES:
        ws = words[cat]
        alt = "\\|".join(ws)
        if cat == "typename" and ws:
            lines.append("syn match %s /\\%%(\\%%(:\\|->\\)\\s*\\)\\@<=\\<\\%%(%s\\)\\>/" % (group, alt))
        elif cat == "unit":
            lines.append("syn match %s /\\%%(%s\\)[A-Za-z0-9_%%]\\@!/ contained" % (group, alt))
        else:
            for i in range(0, len(ws), 12):
                lines.append("syn keyword %s %s" % (group, " ".join(ws[i:i + 12])))
    return replace_block(text, '" BEGIN GENERATED WORDS', '" END GENERATED WORDS',
                         "\n".join(lines) + "\n", VIM_FILE)


def write_emacs(text, words):
    lines = []
    for cat, _, _ in CATEGORIES:
        quoted = " ".join('"%s"' % w for w in words[cat])
        lines.append("(defconst nas-words-%s '(%s))" % (cat, quoted))
    return replace_block(text, ";; BEGIN GENERATED WORDS", ";; END GENERATED WORDS",
                         "\n".join(lines) + "\n", EMACS_FILE)


EDITORS = [(TM_FILE, tm_words, write_tm), (VIM_FILE, vim_words, write_vim),
           (EMACS_FILE, emacs_words, write_emacs)]


def check(words):
    errors = []
    for path, parse, _ in EDITORS:
        if not os.path.exists(path):
            errors.append("%s: missing" % os.path.relpath(path, ROOT))
            continue
        got = parse(read(path))
        for cat, _, _ in CATEGORIES:
            want, have = set(words[cat]), set(got.get(cat, []))
            rel = os.path.relpath(path, ROOT)
            if want - have:
                errors.append("%s: %s words missing: %s" % (rel, cat, " ".join(sorted(want - have))))
            if have - want:
                errors.append("%s: %s words the sources no longer have: %s"
                              % (rel, cat, " ".join(sorted(have - want))))
    return errors


def main(argv):
    try:
        words, notes = source_words()
    except WordError as e:
        print("nas_words: FAIL: %s" % e)
        return 1
    for n in notes:
        print("nas_words: note: %s" % n)
    if "--print" in argv:
        for cat, _, _ in CATEGORIES:
            print("%-11s %s" % (cat, " ".join(words[cat])))
        return 0
    if "--write" in argv:
        for path, _, write in EDITORS:
            try:
                new = write(read(path), words)
            except WordError as e:
                print("nas_words: FAIL: %s" % e)
                return 1
            with open(path, "w", encoding="utf-8") as f:
                f.write(new)
            print("nas_words: wrote %s" % os.path.relpath(path, ROOT))
    errors = check(words)
    for e in errors:
        print("nas_words: FAIL: %s" % e)
    if errors:
        print("nas_words: fix: python3 tests/editors/nas_words.py --write")
        return 1
    total = sum(len(v) for v in words.values())
    print("nas_words: ok: %d words in %d categories match in %d editor files"
          % (total, len(CATEGORIES), len(EDITORS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
