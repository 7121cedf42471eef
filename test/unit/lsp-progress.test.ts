// The cold workspace scan reports its progress (window/workDoneProgress) to clients that support it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';

const POLICY = (name: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector: {}
`;

async function scan(capabilities: Record<string, unknown>): Promise<TestClient> {
  const root = mkdtempSync(join(tmpdir(), 'netpol-progress-'));
  for (const name of ['a', 'b', 'c']) writeFileSync(join(root, `${name}.yaml`), POLICY(name));
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  await initializeWorkspace(client, root, { capabilities });
  await client.waitFor(
    () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
    'the analysis of the three files',
  );
  return client;
}

type Progress = { token: unknown; value: { kind: string; title?: string; message?: string } };

test('the workspace scan shows "Analysing N of M files" and has ended once the analysis is published', async () => {
  const client = await scan({ window: { workDoneProgress: true } });
  try {
    const progress = client.notifications
      .filter((n) => n.method === '$/progress')
      .map((n) => n.params as Progress);
    const kinds = progress.map((p) => p.value.kind);
    assert.equal(kinds[0], 'begin');
    assert.equal(kinds[kinds.length - 1], 'end');
    assert.ok(
      kinds.slice(1, -1).every((k) => k === 'report'),
      kinds.join(','),
    );
    assert.equal(progress[0].value.title, 'NetPol Lens');
    assert.equal(progress[0].value.message, 'Analysing 0 of 3 files');
    assert.ok(
      progress.every((p) => p.token === progress[0].token),
      'one progress',
    );
  } finally {
    await client.close();
  }
});

test('no progress is sent to a client that does not support it', async () => {
  const client = await scan({});
  try {
    assert.deepEqual(
      client.notifications.filter((n) => n.method === '$/progress'),
      [],
    );
  } finally {
    await client.close();
  }
});
