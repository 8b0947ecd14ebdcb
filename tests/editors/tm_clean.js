// tm_clean.js — tokenize .nas files with the VS Code TextMate engine (vscode-textmate +
// vscode-oniguruma) and fail on any token in an "invalid" scope.
// Usage: node tm_clean.js GRAMMAR FILE... ; --dump prints every token instead.
'use strict';
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

async function main(argv) {
  const dump = argv[0] === '--dump';
  if (dump) argv = argv.slice(1);
  const [grammarPath, ...files] = argv;
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (p) => new oniguruma.OnigScanner(p),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath),
  });
  const grammar = await registry.loadGrammar('source.nas');
  let bad = 0;
  for (const file of files) {
    let stack = vsctm.INITIAL;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      const r = grammar.tokenizeLine(line, stack);
      for (const t of r.tokens) {
        const text = line.slice(t.startIndex, t.endIndex);
        if (dump) console.log(`${i + 1}:${t.startIndex + 1}\t${JSON.stringify(text)}\t${t.scopes.join(' ')}`);
        else if (t.scopes.some((s) => s.startsWith('invalid'))) {
          console.log(`${file}:${i + 1}:${t.startIndex + 1}: ${JSON.stringify(text)} is ${t.scopes.join(' ')}`);
          bad++;
        }
      }
      stack = r.ruleStack;
    });
  }
  if (!dump) console.log(`tm_clean: ${files.length} files, ${bad} invalid tokens`);
  return bad ? 1 : 0;
}

main(process.argv.slice(2)).then((rc) => process.exit(rc), (e) => { console.error(e); process.exit(2); });
