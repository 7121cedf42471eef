// Protocol abuse over LSP (the in-process server session): document versions that go backwards or
// repeat are ignored, and a message naming another file tells two folders' `pol.yaml` apart.
// (Framing errors and $/cancelRequest are sent as raw bytes to the built server: test/hostile/corpus.ts.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';

const POLICY = (name: string, app: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector: {matchLabels: {app: ${app}}}
  policyTypes: [Ingress]
`;

function workspace(files: Record<string, string>): { root: string; uri: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'netpol-lsp-hostile-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return { root, uri: (name) => pathToFileURL(join(root, name)).toString() };
}

async function start(root: string): Promise<TestClient> {
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  await initializeWorkspace(client, root);
  return client;
}

test('didChange with a version that goes backwards or repeats is ignored', async () => {
  const ws = workspace({});
  const client = await start(ws.root);
  try {
    const uri = ws.uri('pol.yaml');
    const change = (version: number, text: string) =>
      client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: POLICY('v1', 'one') },
    });
    await change(3, POLICY('v3', 'three'));
    await change(2, POLICY('v2-stale', 'two')); // backwards
    await change(3, POLICY('v3-repeated', 'again')); // the same version again
    // A request after them is answered after they were handled (messages are handled in order).
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as { name: string }[];
    assert.equal(client.session!.service.text(uri), POLICY('v3', 'three'));
    assert.ok(JSON.stringify(symbols).includes('v3'), JSON.stringify(symbols));
    assert.ok(!JSON.stringify(symbols).includes('stale'));
    // A newer version is applied as usual.
    await change(4, POLICY('v4', 'four'));
    await client.waitFor(() => client.session!.service.text(uri) === POLICY('v4', 'four'), 'version 4');
    const published = await client.waitFor(() => client.latest(uri)?.version === 4, 'version 4 published');
    assert.ok(published);
  } finally {
    await client.close();
    rmSync(ws.root, { recursive: true, force: true });
  }
});

test('"the same spec as … (pol.yaml)" names the folder when two folders hold a pol.yaml', async () => {
  const ws = workspace({
    'team-a/pol.yaml': POLICY('first', 'web'),
    'team-b/pol.yaml': POLICY('second', 'web'),
  });
  const client = await start(ws.root);
  try {
    const uri = ws.uri('team-b/pol.yaml');
    const published = await client.waitFor(
      () => client.latest(uri)?.diagnostics.find((d) => d.code === 'netpol.duplicate-policy'),
      'the duplicate spec reported on team-b/pol.yaml',
    );
    // Written down: the other file, relative to the workspace, and where its policy's name is.
    const message = String(published.message);
    assert.match(message, /the same spec as shop\/first \(team-a\/pol\.yaml:4:9\)/);
    assert.ok(!message.includes(ws.root), 'no absolute path');
  } finally {
    await client.close();
    rmSync(ws.root, { recursive: true, force: true });
  }
});
