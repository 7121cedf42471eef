// The server empties V8's young generation once a publish has handed every file's diagnostics over, so
// that the next keystroke's analysis does not stop for a scavenge (node/young-generation.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { TextDocuments } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Connection } from 'vscode-languageserver/node';
import { createLanguageService, RULES } from '../../server/src/core/index';
import { createDiagnosticsPublisher } from '../../server/src/lsp/diagnostics-publisher';
import { youngGenerationCollector } from '../../server/src/node/young-generation';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

/** Records V8's collections (their kind and start on the performance timeline) while `work` runs. */
async function collections<T>(work: () => Promise<T>): Promise<{ result: T; gcs: PerformanceEntry[] }> {
  const gcs: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  try {
    const result = await work();
    // Entries reach the observer in a later task.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { result, gcs };
  } finally {
    observer.disconnect();
  }
}

const detailOf = (entry: PerformanceEntry) =>
  (entry as PerformanceEntry & { detail?: { kind?: number; flags?: number } }).detail ?? {};
const isForced = (entry: PerformanceEntry) =>
  ((detailOf(entry).flags ?? 0) & constants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0;
const isMinor = (entry: PerformanceEntry) =>
  (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind ===
  constants.NODE_PERFORMANCE_GC_MINOR;

test('the collector runs a young-generation collection, also in a process started without --expose-gc', async () => {
  const collect = youngGenerationCollector();
  assert.ok(collect, 'V8 offers a collector');
  const { gcs } = await collections(async () => collect());
  assert.ok(gcs.some(isMinor), `a scavenge ran: ${gcs.map((g) => g.name).join(', ')}`);
  // The flag set at run time exposes `gc` to new contexts only, not to the server's own global scope.
  assert.equal(
    typeof (globalThis as { gc?: unknown }).gc === 'function',
    process.execArgv.includes('--expose-gc'),
  );
});

test('the publisher calls onDiagnosticsSent after every file of a publish and before the analysis state', () => {
  const service = createLanguageService();
  const policy = RULES.find((r) => r.code === 'netpol.selects-nothing')!.bad;
  service.setFile('file:///w/a.yaml', policy);
  service.setFile('file:///w/b.yaml', RULES.find((r) => r.code === 'netpol.dns-egress-missing')!.bad);
  const events: string[] = [];
  const connection = {
    sendDiagnostics: (params: { uri: string }) => events.push(`diagnostics ${params.uri}`),
    sendNotification: (method: string) => events.push(`notification ${method}`),
  } as unknown as Connection;
  const publisher = createDiagnosticsPublisher(connection, new TextDocuments(TextDocument), service, {
    isOurs: () => true,
    onPublished: () => events.push('published'),
    onDiagnosticsSent: () => events.push('idle'),
  });
  publisher.markScanned();
  publisher.publishNow();
  assert.deepEqual(events, [
    'diagnostics file:///w/a.yaml',
    'diagnostics file:///w/b.yaml',
    'idle',
    'notification netpolLens/analysisState',
    'published',
  ]);
});

test('after an edit the server collects its young generation once per full publish', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-young-'));
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  try {
    const text = RULES.find((r) => r.code === 'netpol.selects-nothing')!.good;
    const path = join(root, 'a.yaml');
    writeFileSync(path, text);
    const uri = pathToFileURL(path).toString();
    const states = () => client.notifications.filter((n) => n.method === 'netpolLens/analysisState').length;
    await initializeWorkspace(client, root, { name: 'w' });
    await client.waitFor(() => states() > 0, 'the scan');
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await client.waitFor(() => client.latest(uri)?.version === 1 && states() > 1, 'the opened file');
    const before = states();
    let sent = 0;
    let received = 0;
    const { gcs } = await collections(async () => {
      sent = performance.now();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: `${text}\n# edited\n` }],
      });
      await client.waitFor(() => client.latest(uri)?.version === 2 && states() > before, 'the edit');
      received = performance.now();
    });
    // Asked for, not V8's own (which come when an allocation fills the generation).
    const forced = gcs.filter(
      (g) => isMinor(g) && isForced(g) && g.startTime >= sent && g.startTime <= received,
    );
    assert.equal(forced.length, states() - before, `forced scavenges: ${forced.length}`);
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('the first scan publishes without a collection; the warm-up after it ends with one', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-young-cold-'));
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  try {
    writeFileSync(join(root, 'a.yaml'), RULES.find((r) => r.code === 'netpol.selects-nothing')!.good);
    writeFileSync(join(root, 'b.yaml'), RULES.find((r) => r.code === 'netpol.dns-egress-missing')!.bad);
    const states = () => client.notifications.filter((n) => n.method === 'netpolLens/analysisState').length;
    let published = 0;
    let warmedUp = 0;
    const { gcs } = await collections(async () => {
      await initializeWorkspace(client, root, { name: 'w' });
      await client.waitFor(() => states() > 0, 'the scan');
      published = performance.now();
      await client.session!.warmedUp;
      warmedUp = performance.now();
    });
    const forced = (from: number, to: number) =>
      gcs.filter((g) => isMinor(g) && isForced(g) && g.startTime >= from && g.startTime <= to).length;
    assert.equal(forced(0, published), 0, 'none before the first diagnostics are all out');
    assert.equal(forced(published, warmedUp), 1, 'one when the warm-up ends');
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});
