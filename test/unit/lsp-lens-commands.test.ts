// Clickable code lenses through the real server (in-process LSP connection): a client announcing
// `experimental.netpolLens.showLocations` gets lenses that run netpolLens.showLocations with
// (uri, position, Location[]) — the selected workloads for a policy, the selecting policies for a
// workload; any other client gets title-only lenses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeLens, Location, Position } from 'vscode-languageserver/node';
import { SHOW_IN_GRAPH_COMMAND, SHOW_LOCATIONS_COMMAND } from '../../server/src/protocol';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';
import { cursor, fileOf, loadFixture } from '../support/fixtures';

const THREE_TIER = loadFixture('three-tier');
const FOLDER = 'test-fixtures/three-tier';

async function start(experimental: unknown): Promise<TestClient> {
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  await initializeWorkspace(client, FOLDER, { capabilities: { experimental } });
  return client;
}

/** Opens a document, waits for its diagnostics (the analysis is in), and returns its lenses. */
async function lensesOf(client: TestClient, uri: string, text: string): Promise<CodeLens[]> {
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text },
  });
  await client.session!.ready; // the workspace scan is in (before it, the file is published alone)
  await client.waitFor(() => client.latest(uri)?.version === 1, `diagnostics of ${uri}`);
  return (await client.connection.sendRequest('textDocument/codeLens', {
    textDocument: { uri },
  })) as CodeLens[];
}

function position(text: string, offset: number): Position {
  return TextDocument.create('file:///x', 'yaml', 1, text).positionAt(offset);
}

/** Where a click leads, as `file:line:character` of each location's start. */
function targets(lens: CodeLens): string[] {
  const [, , locations] = lens.command?.arguments as [string, Position, Location[]];
  return locations.map((l) => `${l.uri}:${l.range.start.line}:${l.range.start.character}`);
}

function at(file: { uri: string; text: string }, needle: string): string {
  const p = position(file.text, cursor(file.text, needle));
  return `${file.uri}:${p.line}:${p.character}`;
}

const policies = fileOf(THREE_TIER, 'policies/backend.yaml');
const backend = fileOf(THREE_TIER, 'backend.yaml');

test('a client that runs the command gets lenses that peek the related definitions', async () => {
  const client = await start({ netpolLens: { showLocations: true } });
  try {
    const policyLenses = await lensesOf(client, policies.uri, policies.text);
    assert.equal(policyLenses.length, 3);
    for (const lens of policyLenses) {
      assert.equal(lens.command?.command, SHOW_LOCATIONS_COMMAND, lens.command?.title);
      const [uri, start] = lens.command?.arguments as [string, Position];
      assert.equal(uri, policies.uri);
      assert.deepEqual(start, lens.range.start, 'the peek opens at the lens');
      // Every backend policy selects the backend Deployment: the peek shows its name.
      assert.deepEqual(targets(lens), [at(backend, 'name: |backend')], lens.command?.title);
    }

    const [workloadLens] = await lensesOf(client, backend.uri, backend.text);
    assert.match(workloadLens.command!.title, /^selected by 3 policies/);
    assert.equal(workloadLens.command?.command, SHOW_LOCATIONS_COMMAND);
    assert.deepEqual(
      targets(workloadLens).sort(),
      [
        at(policies, 'name: |default-deny-all-backend'),
        at(policies, 'name: |allow-egress-to-database'),
        at(policies, 'name: |allow-ingress-from-frontend'),
      ].sort(),
    );

    // Nothing to peek, nothing to click (like a references lens with 0 results).
    const uri = pathToFileURL(resolve('test-fixtures/three-tier/policies/none.yaml')).toString();
    const [empty] = await lensesOf(
      client,
      uri,
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: none, namespace: backend}\nspec: {podSelector: {matchLabels: {app: nothing}}}\n',
    );
    assert.match(empty.command!.title, /^selects no workload/);
    assert.equal(empty.command?.command, '');
    assert.equal(empty.command?.arguments, undefined);
  } finally {
    await client.close();
  }
});

test('other clients (no capability, or a different one) keep title-only lenses', async () => {
  for (const experimental of [undefined, { netpolLens: { showLocations: 'yes' } }, { other: true }]) {
    const client = await start(experimental);
    try {
      const lenses = await lensesOf(client, policies.uri, policies.text);
      assert.equal(lenses.length, 3);
      for (const lens of lenses) {
        assert.match(lens.command!.title, /^selects 1 workload/);
        assert.equal(lens.command?.command, '', JSON.stringify(experimental));
        assert.equal(lens.command?.arguments, undefined);
      }
    } finally {
      await client.close();
    }
  }
});

test('a client that announces showInGraph gets a "Show in Graph" lens and hover link on each workload', async () => {
  const client = await start({ netpolLens: { showLocations: true, showInGraph: true } });
  try {
    const lenses = await lensesOf(client, backend.uri, backend.text);
    assert.deepEqual(
      lenses.map((l) => [l.command?.title.split(' ·')[0], l.command?.command, l.command?.arguments?.[0]]),
      [
        ['selected by 3 policies', SHOW_LOCATIONS_COMMAND, backend.uri],
        ['Show in Graph', SHOW_IN_GRAPH_COMMAND, 'backend/backend[Deployment]'],
      ],
    );
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: backend.uri },
      position: position(backend.text, cursor(backend.text, 'name: |backend')),
    })) as { contents: { value: string } };
    const link = `command:${SHOW_IN_GRAPH_COMMAND}?${encodeURIComponent('["backend/backend[Deployment]"]')}`;
    assert.ok(hover.contents.value.endsWith(`[Show in Graph](${link})`), hover.contents.value);
    // Policy lenses have no workload to show.
    const policyLenses = await lensesOf(client, policies.uri, policies.text);
    assert.ok(policyLenses.every((l) => l.command?.command !== SHOW_IN_GRAPH_COMMAND));
  } finally {
    await client.close();
  }
  // Without the capability: neither the lens nor the link.
  const plain = await start({ netpolLens: { showLocations: true } });
  try {
    const lenses = await lensesOf(plain, backend.uri, backend.text);
    assert.equal(lenses.length, 1);
    const hover = (await plain.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: backend.uri },
      position: position(backend.text, cursor(backend.text, 'name: |backend')),
    })) as { contents: { value: string } };
    assert.ok(!hover.contents.value.includes('command:'));
  } finally {
    await plain.close();
  }
});
