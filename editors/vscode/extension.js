// extension.js — starts nasls, the nas language server, for .nas files (vscode-languageclient
// over stdio). Highlighting, comments and brackets are declarative (package.json) and work
// without it; the server needs `npm ci --omit=dev` in this folder once, and nasls on PATH (or
// the setting nas.server.path).
'use strict';
const vscode = require('vscode');

let client;

function activate(context) {
  let lc;
  try {
    lc = require('vscode-languageclient/node');
  } catch (e) {
    vscode.window.showWarningMessage('nas: the language client is not installed; run `npm ci --omit=dev` in ' +
                                     context.extensionPath + ' for diagnostics, hover and completion');
    return;
  }
  const command = vscode.workspace.getConfiguration('nas').get('server.path') || 'nasls';
  const server = {command, args: [], transport: lc.TransportKind.stdio};
  client = new lc.LanguageClient('nasls', 'nas language server', server, {
    documentSelector: [{scheme: 'file', language: 'nas'}, {scheme: 'untitled', language: 'nas'}],
  });
  client.start();
  context.subscriptions.push({dispose: () => client && client.stop()});
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = {activate, deactivate};
