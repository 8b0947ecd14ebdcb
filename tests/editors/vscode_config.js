// vscode_config.js — check the VS Code extension's manifest and language configuration:
// package.json contributes the nas language and its grammar, the comment and bracket settings
// match the language, every regex compiles in JavaScript (as VS Code reads them), and the
// indentation rules agree with the reference indentation in tests/editors/indent/*.nas:
// a line after which the next deepens by one level and that ends with an opening bracket
// matches increaseIndentPattern, a line after which it does not never does, and exactly the
// lines starting with a closing bracket match decreaseIndentPattern.
// Usage: node vscode_config.js PROJECT_ROOT
'use strict';
const fs = require('fs');
const path = require('path');

const root = process.argv[2] || path.join(__dirname, '..', '..');
const ext = path.join(root, 'editors', 'vscode');
const errors = [];
const check = (ok, msg) => { if (!ok) errors.push(msg); };
const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));

const pkg = readJson(path.join(ext, 'package.json'));
const lang = (pkg.contributes.languages || []).find((l) => l.id === 'nas');
check(lang, 'package.json: no language with id nas');
const grammarRef = (pkg.contributes.grammars || []).find((g) => g.language === 'nas');
check(grammarRef, 'package.json: no grammar for nas');
if (lang && grammarRef) {
  check((lang.extensions || []).includes('.nas'), 'package.json: .nas is not among the extensions');
  check(fs.existsSync(path.join(ext, lang.configuration)), 'package.json: configuration file missing');
  const grammar = readJson(path.join(ext, grammarRef.path));
  check(grammar.scopeName === grammarRef.scopeName, 'package.json: scopeName differs from the grammar');
}

// The language server: package.json activates extension.js on nas files, which starts the
// configured command (nasls by default) through vscode-languageclient, pinned in the lockfile.
check(pkg.main === './extension.js' && fs.existsSync(path.join(ext, pkg.main)), 'package.json: main is not ./extension.js');
check((pkg.activationEvents || []).includes('onLanguage:nas'), 'package.json: not activated on the nas language');
const serverPath = ((pkg.contributes.configuration || {}).properties || {})['nas.server.path'];
check(serverPath && serverPath.default === 'nasls', 'package.json: setting nas.server.path (default nasls) missing');
const lock = readJson(path.join(ext, 'package-lock.json'));
const dep = (pkg.dependencies || {})['vscode-languageclient'];
check(dep && lock.packages[''].dependencies['vscode-languageclient'] === dep &&
      (lock.packages['node_modules/vscode-languageclient'] || {}).version === dep,
      'vscode-languageclient: package.json and package-lock.json disagree');
const engine = (lock.packages['node_modules/vscode-languageclient'] || {}).engines || {};
check(engine.vscode === pkg.engines.vscode, `engines.vscode ${pkg.engines.vscode} is not the client's ${engine.vscode}`);
const extSrc = fs.readFileSync(path.join(ext, 'extension.js'), 'utf8');
try { new (require('vm').Script)(extSrc, {filename: 'extension.js'}); } catch (e) { errors.push(`extension.js: ${e.message}`); }
check(/require\('vscode-languageclient\/node'\)/.test(extSrc) && /TransportKind\.stdio/.test(extSrc) &&
      /get\('server\.path'\)/.test(extSrc), 'extension.js does not start the server over stdio from nas.server.path');

const conf = readJson(path.join(ext, 'language-configuration.json'));
check(conf.comments.lineComment === '//', 'lineComment is not //');
check(JSON.stringify(conf.comments.blockComment) === '["/*","*/"]', 'blockComment is not /* */');
for (const pair of ['{}', '[]', '()']) {
  check(conf.brackets.some((b) => b[0] === pair[0] && b[1] === pair[1]), `brackets lack ${pair}`);
  check(conf.autoClosingPairs.some((p) => p.open === pair[0] && p.close === pair[1]), `autoClosingPairs lack ${pair}`);
  check(conf.surroundingPairs.some((b) => b[0] === pair[0] && b[1] === pair[1]), `surroundingPairs lack ${pair}`);
}
check(conf.autoClosingPairs.some((p) => p.open === '"' && (p.notIn || []).includes('string')),
      'autoClosingPairs lack " (not in strings)');

const regex = (name, src) => {
  try { return new RegExp(src); } catch (e) { errors.push(`${name}: ${e.message}`); return null; }
};
regex('wordPattern', conf.wordPattern);
for (const r of conf.onEnterRules || []) regex('onEnterRules.beforeText', r.beforeText);
const inc = regex('increaseIndentPattern', conf.indentationRules.increaseIndentPattern);
const dec = regex('decreaseIndentPattern', conf.indentationRules.decreaseIndentPattern);
const word = regex('wordPattern', `^(?:${conf.wordPattern})$`);
if (word) {
  for (const w of ['conv2d', '2ms', '64MB', '1e-3', '90%']) check(word.test(w), `wordPattern does not take ${w} whole`);
}

const indentDir = path.join(__dirname, 'indent');
const refs = fs.readdirSync(indentDir).filter((f) => f.endsWith('.nas') && !f.endsWith('.in.nas'));
check(refs.length > 0, 'no reference files in tests/editors/indent');
let lines = 0;
for (const f of refs) {
  const text = fs.readFileSync(path.join(indentDir, f), 'utf8').split('\n');
  const ind = (s) => s.match(/^ */)[0].length;
  let inComment = false;
  text.forEach((line, i) => {
    const startsInComment = inComment;
    const code = line.replace(/"([^"\\]|\\.)*"/g, '""');
    if (code.includes('/*') && !code.includes('*/')) inComment = true;
    if (inComment && code.includes('*/')) inComment = false;
    if (startsInComment || !line.trim()) return;
    lines++;
    const where = `${f}:${i + 1}`;
    check(dec.test(line) === /^\s*[}\])]/.test(line), `${where}: decreaseIndentPattern is wrong on ${JSON.stringify(line)}`);
    let j = i + 1;
    while (j < text.length && !text[j].trim()) j++;
    if (j >= text.length || /^\s*\|>/.test(text[j])) return;
    const deeper = ind(text[j]) - ind(line) === 4 && !/^\s*\|>/.test(line);
    const endsOpen = /[{[(]\s*(\/\/.*)?$/.test(code);
    if (deeper && endsOpen) check(inc.test(line), `${where}: increaseIndentPattern misses ${JSON.stringify(line)}`);
    if (!deeper) check(!inc.test(line), `${where}: increaseIndentPattern wrongly matches ${JSON.stringify(line)}`);
  });
}

if (errors.length) {
  console.log(errors.map((e) => `vscode config: FAIL: ${e}`).join('\n'));
  process.exit(1);
}
console.log(`vscode config: ok: manifest, language configuration, indentation rules on ${lines} lines`);
