// The language server as VS Code's client library talks to it: `nnc lsp` started as a
// process, spoken to over stdio with vscode-languageserver-protocol's connection and types.
const { test } = require('node:test');
const assert = require('node:assert');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const protocol = require('vscode-languageserver-protocol/node');

const root = path.resolve(__dirname, '..', '..', '..');
const jar = process.env.NNC_JAR || path.join(root, 'compiler', 'target', 'nnc.jar');
const uri = 'file:///work/fashion.nn';

function start() {
  const server = spawn('java', ['-jar', jar, 'lsp'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = protocol.createProtocolConnection(
    new protocol.StreamMessageReader(server.stdout), new protocol.StreamMessageWriter(server.stdin));
  const waiting = [];
  const published = [];
  connection.onNotification(protocol.PublishDiagnosticsNotification.type, (params) => {
    if (waiting.length > 0) waiting.shift()(params.diagnostics); else published.push(params.diagnostics);
  });
  connection.listen();
  const nextDiagnostics = () => published.length > 0
    ? Promise.resolve(published.shift()) : new Promise((resolve) => waiting.push(resolve));
  return { server, connection, nextDiagnostics };
}

/** The position of the first occurrence of a piece of the text, plus `into` characters. */
function at(text, piece, into) {
  const offset = text.indexOf(piece) + into;
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

test('fashion.nn: no diagnostics, shapes on hover and as inlay hints, nnc check\'s error as one types', async () => {
  const { server, connection, nextDiagnostics } = start();
  try {
    await connection.sendRequest(protocol.InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {} });
    connection.sendNotification(protocol.InitializedNotification.type, {});
    const text = fs.readFileSync(path.join(root, 'examples', 'fashion', 'fashion.nn'), 'utf8');
    connection.sendNotification(protocol.DidOpenTextDocumentNotification.type,
      { textDocument: { uri, languageId: 'nn', version: 1, text } });
    assert.deepStrictEqual(await nextDiagnostics(), []);

    const hover = await connection.sendRequest(protocol.HoverRequest.type,
      { textDocument: { uri }, position: at(text, 'dense(256)', 2) });
    assert.match(hover.contents.value, /\[256\]/);
    assert.match(hover.contents.value, /200,960 parameters/);

    const hints = await connection.sendRequest(protocol.InlayHintRequest.type,
      { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 1000, character: 0 } } });
    const labels = hints.map((h) => h.label);
    for (const shape of [' [256]', ' [128]', ' [10]']) assert.ok(labels.includes(shape), labels.join(','));

    const typed = text.replace('dense(256)', 'dense(-1)');
    const started = process.hrtime.bigint();
    connection.sendNotification(protocol.DidChangeTextDocumentNotification.type,
      { textDocument: { uri, version: 2 }, contentChanges: [{ text: typed }] });
    const diagnostics = await nextDiagnostics();
    console.log(`nnc lsp: diagnostics ${(Number(process.hrtime.bigint() - started) / 1e6).toFixed(1)} ms after the change`);
    assert.strictEqual(diagnostics.length, 1);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'nnc-')), 'typed.nn');
    fs.writeFileSync(file, typed);
    const check = spawnSync('java', ['-jar', jar, 'check', file], { encoding: 'utf8' });
    assert.ok(check.stderr.includes(diagnostics[0].message), `${check.stderr} / ${diagnostics[0].message}`);
    assert.strictEqual(diagnostics[0].range.start.line, at(typed, 'dense(-1)', 0).line);

    connection.sendNotification(protocol.DidChangeTextDocumentNotification.type,
      { textDocument: { uri, version: 3 }, contentChanges: [{ text }] });
    assert.deepStrictEqual(await nextDiagnostics(), []);

    const completion = await connection.sendRequest(protocol.CompletionRequest.type,
      { textDocument: { uri }, position: at(text, 'dense(256)', 6) });
    assert.deepStrictEqual(completion.map((c) => c.label), ['units', 'bias']);

    const messy = text.replace('    optimizer', 'optimizer   ');
    connection.sendNotification(protocol.DidChangeTextDocumentNotification.type,
      { textDocument: { uri, version: 4 }, contentChanges: [{ text: messy }] });
    await nextDiagnostics();
    const edits = await connection.sendRequest(protocol.DocumentFormattingRequest.type,
      { textDocument: { uri }, options: { tabSize: 4, insertSpaces: true } });
    const fmt = spawnSync('java', ['-jar', jar, 'fmt', path.join(root, 'examples', 'fashion', 'fashion.nn')], { encoding: 'utf8' });
    assert.strictEqual(edits.length, 1);
    assert.strictEqual(edits[0].newText, fmt.stdout);

    await connection.sendRequest(protocol.ShutdownRequest.type);
    connection.sendNotification(protocol.ExitNotification.type);
  } finally {
    await new Promise((resolve) => {
      if (server.exitCode !== null) resolve(); else { server.on('exit', resolve); setTimeout(() => { server.kill(); resolve(); }, 10000); }
    });
    connection.dispose();
  }
});
