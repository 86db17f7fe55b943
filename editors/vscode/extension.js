// The VS Code side of nnc: starts `nnc lsp` (the command in the setting nnc.path) for
// .nn files and lets the language client do the rest.
const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration('nnc').get('path') || 'nnc';
  client = new LanguageClient('nnc', 'nnc', { command, args: ['lsp'] }, {
    documentSelector: [{ language: 'nn' }],
  });
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
