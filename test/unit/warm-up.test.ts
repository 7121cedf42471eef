// The idle-time warm-up after the scan (lsp/warm-up.ts) must not hold up a publish the user waits for:
// an editor opening its tabs right after the scan schedules publishes, and the rounds wait for them; the
// first round waits until the first publish has been written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import { warmUpWhileIdle } from '../../server/src/lsp/warm-up';
import { serviceOf } from '../support/fixtures';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

const connection = { console: { error: () => {} } } as unknown as Connection;

function countingService() {
  const service = serviceOf([
    { uri: 'file:///w/a.yaml', text: readFileSync('test-fixtures/three-tier/backend.yaml', 'utf8') },
  ]);
  const events: string[] = [];
  const warmUp = service.warmUp.bind(service);
  service.warmUp = () => {
    events.push('round');
    warmUp();
  };
  return { service, events };
}

test('no warm-up round runs while a publish is pending; the rounds follow once it has gone out', async () => {
  const { service, events } = countingService();
  let pendingChecks = 0;
  const publishing = () => {
    pendingChecks++;
    const pending = pendingChecks <= 3;
    events.push(pending ? 'pending' : 'idle');
    return pending;
  };
  await warmUpWhileIdle(connection, service, () => false, publishing);
  assert.deepEqual(events.slice(0, 4), ['pending', 'pending', 'pending', 'idle']);
  assert.ok(events.includes('round'), events.join(', '));
  assert.ok(events.indexOf('round') > events.lastIndexOf('pending'), events.join(', '));
});

test('an edit while it waits ends the warm-up without a round', async () => {
  const { service, events } = countingService();
  let checks = 0;
  const publishing = () => {
    // The user types while the publish of the opened tab is pending.
    if (++checks === 2) service.setFile('file:///w/a.yaml', '# edited\n');
    return true;
  };
  await warmUpWhileIdle(connection, service, () => false, publishing);
  assert.deepEqual(events, []);
});

test("the server's first warm-up round waits until the first publish's analysis state is written", async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-warm-up-order-'));
  // The transport writes one message at a time, each once the one before has been taken.
  const client = inProcessClient(() => ({}), { laggingTransport: true });
  try {
    const fixture = readFileSync('test-fixtures/three-tier/backend.yaml', 'utf8');
    for (let i = 0; i < 30; i++) writeFileSync(join(root, `ns-${i}.yaml`), fixture);
    const events: string[] = [];
    const service = client.session!.service;
    const warmUp = service.warmUp.bind(service);
    service.warmUp = () => {
      events.push('round');
      warmUp();
    };
    client.onServerData!((chunk) => {
      if (chunk.includes('"netpolLens/analysisState"')) events.push('state written');
    });
    await initializeWorkspace(client, root);
    await client.session!.warmedUp;
    assert.ok(events.includes('round'), `the warm-up ran: ${events.join(', ')}`);
    assert.equal(events[0], 'state written', events.join(', '));
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});
