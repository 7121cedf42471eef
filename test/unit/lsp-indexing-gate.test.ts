// Requests whose answer is about the whole workspace, asked while the workspace scan is still reading the
// disk, must wait for it: Can A Reach B? and the graph (a wrong "allowed" or "not found"), and the
// hovers and code lenses that name what other files hold (a wrong "No NetworkPolicy selects it",
// "ingress: open" or "selects no workload"). A client that cancels such a request is not kept waiting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  LSPErrorCodes,
  type CodeLens,
  type Hover,
} from 'vscode-languageserver/node';
import { CAN_REACH, GRAPH, type CanReachResult, type GraphResult } from '../../server/src/protocol';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';

/**
 * A server on a copy of db-policy whose scan is held back: it starts once the server has its settings,
 * and they are given only once `release()` is called with a later, ungated request (documentSymbol) the
 * server answers after reading the requests sent before it.
 */
async function heldScan(): Promise<{
  client: TestClient;
  root: string;
  uri: (path: string) => string;
  release: () => void;
  done: () => Promise<void>;
}> {
  const root = mkdtempSync(join(tmpdir(), 'netpol-gate-'));
  cpSync('test-fixtures/db-policy', root, { recursive: true });
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  const uri = (path: string) => pathToFileURL(join(root, path)).toString();
  let taken: Promise<unknown> | undefined;
  client.connection.onRequest('workspace/configuration', async (params: { items: unknown[] }) => {
    await client.waitFor(() => taken, 'the requests to be sent');
    await taken;
    return params.items.map(() => ({ debounceMs: 0 }));
  });
  await initializeWorkspace(client, root);
  return {
    client,
    root,
    uri,
    release: () => {
      taken = client.connection.sendRequest('textDocument/documentSymbol', {
        textDocument: { uri: uri('none.yaml') },
      });
    },
    done: async () => {
      await client.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

test('reachability requests sent before the workspace scan are answered on the whole workspace', async () => {
  const { client, release, done } = await heldScan();
  try {
    // Written down from the tutorial: the web pod lacks name=api-pod, so db-policy keeps it out.
    const answer = client.connection.sendRequest<CanReachResult>(CAN_REACH, {
      source: 'default/web',
      destination: 'default/db',
      port: { port: 3306, protocol: 'TCP' },
    });
    const graph = client.connection.sendRequest<GraphResult>(GRAPH, {});
    release();
    const result = await answer;
    assert.equal(result.found, true, result.message);
    assert.equal(result.allowed, false, result.text);
    assert.match(result.text, /^DENIED: default\/web\[Pod\] => default\/db\[Pod\]/);
    const edges = (await graph).reachability.connections.map((c) => `${c.src} -> ${c.dst}`);
    assert.ok(edges.includes('default/api-pod[Pod] -> default/db[Pod]'), edges.join('\n'));
    assert.ok(!edges.includes('default/web[Pod] -> default/db[Pod]'), edges.join('\n'));
  } finally {
    await done();
  }
});

/** The 0-based line of the first line of `text` that starts with `prefix`, after line `after`. */
function lineOf(text: string, prefix: string, after = -1): number {
  const line = text.split('\n').findIndex((l, i) => i > after && l.startsWith(prefix));
  assert.ok(line >= 0, `no line starting with ${prefix}`);
  return line;
}

test('hovers and code lenses asked before the workspace scan name the policies and workloads of every file', async () => {
  const { client, uri, root, release, done } = await heldScan();
  try {
    // Open the default pods and the prod policy: the policy selecting the one and the workloads the
    // other selects are in files the scan has not read yet.
    const pods = readFileSync(join(root, 'default/pods.yaml'), 'utf8');
    for (const path of ['default/pods.yaml', 'prod/db-policy.yaml'])
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: {
          uri: uri(path),
          languageId: 'yaml',
          version: 1,
          text: readFileSync(join(root, path), 'utf8'),
        },
      });
    // The db pod's header: its `kind: Pod` line after `name: db`'s document starts.
    const dbKind = lineOf(pods, 'kind: Pod', lineOf(pods, '  name: api-pod'));
    const hover = client.connection.sendRequest<Hover | null>('textDocument/hover', {
      textDocument: { uri: uri('default/pods.yaml') },
      position: { line: dbKind, character: 7 },
    });
    const podLenses = client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri: uri('default/pods.yaml') },
    });
    const policyLenses = client.connection.sendRequest<CodeLens[]>('textDocument/codeLens', {
      textDocument: { uri: uri('prod/db-policy.yaml') },
    });
    release();
    // Written down from the manifests: default/db-policy selects the db pod (role=db) and isolates it both
    // ways; prod/db-policy selects prod/db and admits prod/api.
    const text = JSON.stringify((await hover)?.contents);
    assert.match(text, /Selected by 1 policy/, text);
    assert.match(text, /isolated by .*default\/db-policy/, text);
    const titles = (lenses: CodeLens[]) => lenses.map((l) => l.command?.title ?? '');
    assert.ok(
      titles(await podLenses).includes('selected by 1 policy · ingress: isolated · egress: isolated'),
      titles(await podLenses).join('\n'),
    );
    assert.match(titles(await policyLenses)[0] ?? '', /^selects 1 workload · ingress from 1 workload\b/);
  } finally {
    await done();
  }
});

test('a hover cancelled while the workspace scan runs is answered "cancelled" at once', async () => {
  const { client, uri, root, release, done } = await heldScan();
  try {
    const pods = readFileSync(join(root, 'default/pods.yaml'), 'utf8');
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri('default/pods.yaml'), languageId: 'yaml', version: 1, text: pods },
    });
    const cancel = new CancellationTokenSource();
    const hover = client.connection.sendRequest(
      'textDocument/hover',
      { textDocument: { uri: uri('default/pods.yaml') }, position: { line: 1, character: 7 } },
      cancel.token,
    );
    // Once the server has taken the hover (it answers a later, ungated request after it), cancel it.
    await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: uri('default/pods.yaml') },
    });
    cancel.cancel();
    // The scan is still held (no release yet): only the cancellation can answer the request.
    await assert.rejects(hover, (error: { code?: number }) => error.code === LSPErrorCodes.RequestCancelled);
    release();
  } finally {
    await done();
  }
});
