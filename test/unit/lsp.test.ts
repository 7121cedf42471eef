// The real server session over an in-process connection: workspace indexing, diagnostics, edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { initializeWorkspace, inProcessClient, stdioClient, type TestClient } from '../support/lsp-client';

const NAMESPACE = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;
const BROKEN_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: [80]
`;
const FIXED_POLICY = BROKEN_POLICY.replace('[80]', '80');
const EGRESS_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - podSelector: {}
`;

function workspace(files: Record<string, string>): { root: string; uri: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'netpol-lsp-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return { root, uri: (name) => pathToFileURL(join(root, name)).toString() };
}

async function start(root: string, settings: Record<string, unknown> = {}): Promise<TestClient> {
  const client = inProcessClient(() => ({ debounceMs: 5, ...settings }));
  await initializeWorkspace(client, root, {
    workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
  });
  return client;
}

const codes = (client: TestClient, uri: string) => client.latest(uri)?.diagnostics.map((d) => d.code) ?? [];

test('indexes workspace files on disk and publishes their diagnostics without opening them', async () => {
  const ws = workspace({
    'ns.yaml': NAMESPACE,
    'policies/web.yaml': BROKEN_POLICY,
    'node_modules/x.yaml': BROKEN_POLICY,
  });
  const client = await start(ws.root);
  try {
    const published = await client.waitFor(
      () => client.latest(ws.uri('policies/web.yaml')),
      'diagnostics for web.yaml',
    );
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
      [
        [
          'netpol.unreadable',
          3,
          'NetworkPolicy shop/web cannot be read (spec.ingress[0].ports[0].port: expected an integer or a string, line 10): what it allows is unknown, so connections of the pods in namespace shop are reported as unknown, never as allowed.',
        ],
        ['netpol.type', 9, 'spec.ingress[0].ports[0].port: expected an integer or a string'],
      ],
    );
    assert.match(String(published.diagnostics[1].codeDescription?.href), /docs\/diagnostics\.md#netpoltype$/);
    assert.equal(client.latest(ws.uri('node_modules/x.yaml')), undefined, 'node_modules is skipped');
    const state = await client.waitFor(
      () =>
        client.notifications.find((n) => n.method === 'netpolLens/analysisState')?.params as {
          policies: number;
          files: number;
        },
      'analysis state',
    );
    assert.equal(state.policies, 1);
    assert.equal(state.files, 2);
  } finally {
    await client.close();
  }
});

test('open documents override disk; edits re-analyse and only the latest version is published', async () => {
  const ws = workspace({ 'ns.yaml': NAMESPACE, 'web.yaml': BROKEN_POLICY });
  const uri = ws.uri('web.yaml');
  // A debounce far longer than the gap between the three notifications, even on a loaded machine.
  const client = await start(ws.root, { debounceMs: 500 });
  try {
    await client.waitFor(() => codes(client, uri).length === 2, 'initial errors');
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: FIXED_POLICY },
    });
    await client.waitFor(
      () => client.latest(uri)?.version === 1 && codes(client, uri).length === 0,
      'clean after open',
    );
    const before = client.published.length;
    for (let version = 2; version <= 4; version++) {
      const text = version === 4 ? BROKEN_POLICY : FIXED_POLICY.replace('80', String(80 + version));
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
    }
    const last = await client.waitFor(
      () => (client.latest(uri)?.version === 4 ? client.latest(uri) : undefined),
      'version 4',
    );
    assert.deepEqual(
      last.diagnostics.map((d) => d.code),
      ['netpol.unreadable', 'netpol.type'],
    );
    const versions = client.published
      .slice(before)
      .filter((p) => p.uri === uri)
      .map((p) => p.version);
    assert.deepEqual(versions, [4], 'the burst of edits is debounced into one publish of the latest version');
  } finally {
    await client.close();
  }
});

test('watched file changes on disk are picked up; closing an edited document reverts to disk', async () => {
  const ws = workspace({ 'ns.yaml': NAMESPACE });
  const client = await start(ws.root);
  try {
    await client.waitFor(
      () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
      'first analysis',
    );
    writeFileSync(join(ws.root, 'new.yaml'), BROKEN_POLICY);
    const uri = ws.uri('new.yaml');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri, type: 1 }],
    });
    await client.waitFor(() => codes(client, uri).length === 2, 'diagnostics for the created file');
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: FIXED_POLICY },
    });
    await client.waitFor(
      () => client.latest(uri)?.version === 1 && codes(client, uri).length === 0,
      'clean while open',
    );
    await client.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await client.waitFor(() => codes(client, uri).length === 2, 'disk content again after close');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri, type: 3 }],
    });
    await client.waitFor(() => client.latest(uri)?.diagnostics.length === 0, 'cleared after delete');
  } finally {
    await client.close();
  }
});

test('exclude globs and severity settings apply', async () => {
  const ws = workspace({
    'ns.yaml': NAMESPACE,
    'generated/web.yaml': BROKEN_POLICY,
    'web.yaml': BROKEN_POLICY,
  });
  const client = await start(ws.root, { exclude: ['generated/**'], severity: { 'netpol.type': 'warning' } });
  try {
    const diagnostics = await client.waitFor(
      () => client.latest(ws.uri('web.yaml'))?.diagnostics,
      'web.yaml',
    );
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.severity]),
      [
        ['netpol.unreadable', 1],
        ['netpol.type', 2],
      ],
    );
    assert.equal(client.latest(ws.uri('generated/web.yaml')), undefined);
  } finally {
    await client.close();
  }
});

test('a document without Kubernetes content gets an empty list', async () => {
  const ws = workspace({});
  const client = await start(ws.root);
  try {
    const uri = ws.uri('ci.yaml');
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: 'on: push\njobs: {build: {runs-on: x}}\n' },
    });
    const published = await client.waitFor(() => client.latest(uri), 'a publish for the open document');
    assert.deepEqual(published.diagnostics, []);
  } finally {
    await client.close();
  }
});

test(
  'dist/server.js --stdio serves a plain LSP client',
  { skip: !existsSync('dist/server.js') && 'run npm run build first' },
  async () => {
    const ws = workspace({});
    const client = stdioClient('dist/server.js');
    try {
      const init = (await client.connection.sendRequest('initialize', {
        processId: process.pid,
        rootUri: null,
        workspaceFolders: null,
        capabilities: {},
      })) as { serverInfo: { name: string } };
      assert.equal(init.serverInfo.name, 'netpol-lens');
      await client.connection.sendNotification('initialized', {});
      const uri = ws.uri('web.yaml');
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: BROKEN_POLICY },
      });
      const published = await client.waitFor(() => client.latest(uri), 'diagnostics over stdio');
      assert.deepEqual(
        published.diagnostics.map((d) => d.code),
        ['netpol.unreadable', 'netpol.type'],
      );

      // Once fixed, a hover over `podSelector` explains it in plain English.
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 },
        contentChanges: [{ text: FIXED_POLICY }],
      });
      await client.waitFor(() => client.latest(uri)?.version === 2, 'the fixed version analysed');
      const line = FIXED_POLICY.split('\n').findIndex((l) => l.includes('podSelector'));
      const hover = (await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line, character: 4 },
      })) as { contents: { kind: string; value: string } } | null;
      assert.ok(hover, 'a hover over podSelector');
      assert.match(hover.contents.value, /all pods in namespace shop/);

      // A DNS-less egress policy gets the DNS warning and its quick-fix as a code action.
      const egressUri = ws.uri('egress.yaml');
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: egressUri, languageId: 'yaml', version: 1, text: EGRESS_POLICY },
      });
      const egress = await client.waitFor(() => client.latest(egressUri), 'egress diagnostics over stdio');
      const dns = egress.diagnostics.find((d) => d.code === 'netpol.dns-egress-missing');
      assert.ok(dns, 'the DNS warning');
      const actions = (await client.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: egressUri },
        range: dns.range,
        context: { diagnostics: [dns] },
      })) as { title: string; kind: string; edit?: unknown }[];
      const fix = actions.find((a) => /DNS/.test(a.title));
      assert.ok(fix?.edit, `a DNS quick-fix with an edit among ${actions.map((a) => a.title).join('; ')}`);
      assert.equal(fix.kind, 'quickfix');
    } finally {
      await client.close();
    }
    await client.waitFor(
      () => client.process.exitCode !== null || client.process.signalCode !== null,
      'server exit',
    );
  },
);
