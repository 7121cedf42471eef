// A large file of the workspace scan keeps no yaml nodes in the server (its sections are read again when
// asked): its diagnostics, a hover and a quick-fix still come through the language server, and once the
// user edits it, it is parsed with its documents kept and published again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateSingleFile } from '../../bench/generate-repo';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/core/index';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

test('the server publishes, hovers and fixes a large unopened file as it does a kept one, and after an edit', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-large-'));
  const text = generateSingleFile(1.2).files[0].text;
  assert.ok(text.length > 1024 * 1024, `a file large enough to rebuild: ${text.length}`);
  const path = join(root, 'all.yaml');
  writeFileSync(path, text);
  const uri = pathToFileURL(path).toString();
  // What the same text gives with its documents kept.
  const kept = createLanguageService();
  kept.setSettings({ ...DEFAULT_SETTINGS });
  kept.setFile(uri, text, { rebuildDocuments: false });
  const expected = kept.diagnostics(uri);
  assert.ok(expected.length > 100, `diagnostics of the generated file: ${expected.length}`);

  const client = inProcessClient(() => ({ debounceMs: 0 }));
  try {
    await initializeWorkspace(client, root);
    const scanned = await client.waitFor(() => client.latest(uri), 'the scanned file', 120_000);
    assert.equal(scanned.diagnostics.length, expected.length);
    assert.deepEqual(
      scanned.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character]),
      expected.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    );

    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    const at = text.lastIndexOf('podSelector:');
    const line = text.slice(0, at).split('\n').length - 1;
    const position = { line, character: at - text.lastIndexOf('\n', at - 1) - 1 };
    const hover = await client.connection.sendRequest<{ contents: unknown } | null>('textDocument/hover', {
      textDocument: { uri },
      position,
    });
    assert.ok(hover && JSON.stringify(hover.contents).length > 20, 'a hover on the last podSelector');
    const fixable = expected.find((d) => kept.codeActions(uri, d.range).length > 0);
    assert.ok(fixable, 'a diagnostic with a quick-fix');
    const actions = await client.connection.sendRequest<unknown[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: fixable.range,
      context: { diagnostics: scanned.diagnostics.filter((d) => d.code === fixable.code) },
    });
    assert.ok(actions.length > 0, `quick-fixes for ${fixable.code}`);

    const before = client.published.length;
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: `${text}\n` }],
    });
    const edited = await client.waitFor(
      () => client.published.slice(before).find((p) => p.uri === uri && p.version === 2),
      'the edited file',
      120_000,
    );
    assert.equal(edited.diagnostics.length, expected.length);
  } finally {
    await client.close();
  }
});
