// The file the user opened gets its own diagnostics (YAML, schema, API-server validation) before the
// workspace scan is in; the workspace-wide lints follow with the full analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

test('an opened file is published alone first, then with the workspace lints', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-first-'));
  cpSync('test-fixtures/three-tier', root, { recursive: true });
  const path = join(root, 'policies', 'frontend.yaml');
  const uri = pathToFileURL(path).toString();
  // The open text has a port the API server rejects (a file-scoped check); on disk the file also misses
  // TCP DNS (a workspace lint: it needs the kube-dns pods of another file).
  const text = readFileSync(path, 'utf8').replace('port: 53', 'port: 70000');
  assert.notEqual(text, readFileSync(path, 'utf8'));

  const client = inProcessClient(() => ({ debounceMs: 0 }));
  // The server starts the scan only once it has the settings: they are given once the first diagnostics
  // of the open file are in, so the test does not depend on how fast the scan is.
  client.connection.onRequest('workspace/configuration', async (params: { items: unknown[] }) => {
    await client.waitFor(() => client.published.some((p) => p.uri === uri), 'the open file alone');
    return params.items.map(() => ({ debounceMs: 0 }));
  });
  try {
    await initializeWorkspace(client, root);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await client.waitFor(
      () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
      'the full analysis',
    );
    await client.session!.ready;

    const codes = (i: number) => client.published[i].diagnostics.map((d) => d.code);
    // First publication of all: the open file alone, with its API-server finding and no lint.
    assert.equal(client.published[0].uri, uri);
    assert.equal(client.published[0].version, 1);
    assert.deepEqual(codes(0), ['netpol.invalid-port']);
    assert.match(String(client.published[0].diagnostics[0].message), /70000/);
    // Then the whole workspace: the same file once more, now with the DNS lint of the other egress rule.
    const forOpenFile = client.published.filter((p) => p.uri === uri);
    assert.equal(forOpenFile.length, 2);
    const final = forOpenFile[1].diagnostics.map((d) => d.code);
    assert.ok(final.includes('netpol.invalid-port'), final.join(', '));
    assert.ok(final.includes('netpol.dns-egress-missing'), final.join(', '));
    // Every other file's diagnostics come after the first publication only.
    const others = client.published.filter((p) => p.uri !== uri).map((p) => p.uri);
    assert.ok(others.length > 0, 'the other files are published too');
    assert.equal(client.published.slice(1).length, others.length + 1);
  } finally {
    await client.close();
  }
});
