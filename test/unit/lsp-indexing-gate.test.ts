// Can A Reach B? (and the graph) asked while the workspace scan is still reading the disk must wait for
// it: an answer computed mid-scan misses the policies not read yet, a wrong "allowed" or "not found".
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CAN_REACH, GRAPH, type CanReachResult, type GraphResult } from '../../server/src/protocol';
import { inProcessClient } from '../support/lsp-client';

test('reachability requests sent before the workspace scan are answered on the whole workspace', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-gate-'));
  cpSync('test-fixtures/db-policy', root, { recursive: true });
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  // The scan starts once the server has its settings. They are held back until the server has taken the
  // requests below: it answers a later, ungated request (documentSymbol) only after reading them.
  let taken: Promise<unknown> | undefined;
  client.connection.onRequest('workspace/configuration', async (params: { items: unknown[] }) => {
    await client.waitFor(() => taken, 'the requests to be sent');
    await taken;
    return params.items.map(() => ({ debounceMs: 0 }));
  });
  try {
    await client.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'ws' }],
      capabilities: { workspace: { configuration: true } },
    });
    await client.connection.sendNotification('initialized', {});
    // Written down from the tutorial: the web pod lacks name=api-pod, so db-policy keeps it out.
    const answer = client.connection.sendRequest<CanReachResult>(CAN_REACH, {
      source: 'default/web',
      destination: 'default/db',
      port: { port: 3306, protocol: 'TCP' },
    });
    const graph = client.connection.sendRequest<GraphResult>(GRAPH, {});
    taken = client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: pathToFileURL(join(root, 'none.yaml')).toString() },
    });
    const result = await answer;
    assert.equal(result.found, true, result.message);
    assert.equal(result.allowed, false, result.text);
    assert.match(result.text, /^DENIED: default\/web\[Pod\] => default\/db\[Pod\]/);
    const edges = (await graph).reachability.connections.map((c) => `${c.src} -> ${c.dst}`);
    assert.ok(edges.includes('default/api-pod[Pod] -> default/db[Pod]'), edges.join('\n'));
    assert.ok(!edges.includes('default/web[Pod] -> default/db[Pod]'), edges.join('\n'));
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});
