// Cluster-scoped policies over a real LSP connection: completion of actions and workspace labels, and go to
// definition from a subject to the selected workload.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CompletionItem, Location } from 'vscode-languageserver/node';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';
import { withCursor } from '../support/fixtures';

const FOLDER = 'test-fixtures/cluster-policies/e1-priority';

function position(text: string, offset: number) {
  return TextDocument.create('file:///x', 'yaml', 1, text).positionAt(offset);
}

test('LSP: completion and definition in a ClusterNetworkPolicy', async () => {
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  try {
    await initializeWorkspace(client, resolve(FOLDER));
    const uri = pathToFileURL(resolve(FOLDER, 'new.yaml')).toString();
    const { text, offset } = withCursor(`apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
  tier: Admin
  priority: 5
  subject: {namespaces: {matchLabels: {team: a}}}
  ingress:
    - action: |
      from: [{namespaces: {matchLabels: {team: b}}}]
`);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await client.session!.ready; // the workspace scan is in (before it, the file is published alone)
    await client.waitFor(() => client.latest(uri)?.version === 1, `diagnostics of ${uri}`);
    const actions = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: position(text, offset),
    })) as CompletionItem[];
    assert.deepEqual(
      actions.map((i) => i.label),
      ['Accept', 'Deny', 'Pass'],
    );
    const labelAt = text.indexOf('team: b') + 'team: '.length;
    const values = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: position(text, labelAt),
    })) as CompletionItem[];
    assert.deepEqual(
      values.map((i) => i.label),
      ['a', 'b', 'c'],
    );
    const definition = (await client.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: position(text, text.indexOf('team: a')),
    })) as Location[];
    assert.deepEqual(
      definition.map((l) => [l.uri.split('/').pop(), l.range.start.line]),
      [
        ['namespaces-and-pods.yaml', 6],
        ['namespaces-and-pods.yaml', 27],
      ],
    );
  } finally {
    await client.close();
  }
});
