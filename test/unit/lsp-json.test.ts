// JSON manifests in the editor: an open `.json` document is analysed as `check` analyses the file (its own
// diagnostics, and its workloads counted by the policies of other files), its edits re-analyse the
// workspace, and JSON that holds no Kubernetes object (package.json, tsconfig.json) gets nothing at all.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../../server/src/cli/main';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - podSelector: {}
`;

/** A PodList as older `kubectl get -o json` wrote it: the items carry no kind. */
function pods(app: string, tier: string = '"front"'): string {
  return `{
  "apiVersion": "v1",
  "kind": "PodList",
  "items": [
    {"metadata": {"name": "p1", "namespace": "shop", "labels": {"app": "${app}", "tier": ${tier}}}}
  ]
}
`;
}

const PACKAGE_JSON = '{\n  "name": "shop",\n  "version": "1.0.0",\n  "scripts": {"build": "tsc"}\n}\n';
const TSCONFIG = '{\n  // comments, as tsconfig allows\n  "compilerOptions": {"strict": true,},\n}\n';

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'netpol-lsp-json-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** `file:line:column severity code` of `check`'s output on a folder. */
async function checkProblems(folder: string): Promise<string[]> {
  let out = '';
  await main(['check', '--no-implicit', '--fail-on', 'never', folder], {
    out: (t) => (out += t),
    err: () => {},
  });
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [where, severity, code] = line.split(' ');
      const [, file, position] = /^(.*?)(:\d+:\d+)$/.exec(where)!;
      return `${relative(folder, file)}${position} ${severity} ${code}`;
    })
    .sort();
}

/** The same lines from what the server last published for each file. */
function serverProblems(client: TestClient, folder: string): string[] {
  const latest = new Map(client.published.map((p) => [p.uri, p]));
  return [...latest.values()]
    .flatMap((p) =>
      p.diagnostics.map(
        (d) =>
          `${relative(folder, fileURLToPath(p.uri))}:${d.range.start.line + 1}:${d.range.start.character + 1} ${['', 'error', 'warning', 'information', 'hint'][d.severity ?? 1]} ${String(d.code)}`,
      ),
    )
    .sort();
}

async function start(root: string): Promise<TestClient> {
  const client = inProcessClient(() => ({ debounceMs: 5, implicitDns: false, inferPods: false }));
  await initializeWorkspace(client, root);
  return client;
}

test('an open, edited pods.json is analysed as check analyses it, and changes a policy diagnostic', async () => {
  const files = {
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
    'policy.yaml': POLICY,
    'pods.json': pods('db'),
    'package.json': PACKAGE_JSON,
    'tsconfig.json': TSCONFIG,
  };
  const root = workspace(files);
  const uri = (name: string) => pathToFileURL(join(root, name)).toString();
  const client = await start(root);
  try {
    // On disk: the only pod is app=db, so the policy for app=web selects nothing.
    const initial = await checkProblems(root);
    assert.deepEqual(initial, ['policy.yaml:8:5 warning netpol.selects-nothing'], 'the premise');
    await client.waitFor(() => client.latest(uri('policy.yaml'))?.diagnostics.length === 1, 'the warning');
    assert.deepEqual(serverProblems(client, root), initial);

    for (const [name, languageId] of [
      ['pods.json', 'json'],
      ['package.json', 'json'],
      ['tsconfig.json', 'jsonc'],
    ] as const) {
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: uri(name), languageId, version: 1, text: files[name] },
      });
    }
    await client.waitFor(() => client.latest(uri('tsconfig.json')), 'a publish for every open document');

    // Edited (unsaved): the pod becomes app=web, and its tier label a number (an error in pods.json).
    const edited = pods('web', '5');
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri('pods.json'), version: 2 },
      contentChanges: [{ text: edited }],
    });
    await client.waitFor(
      () =>
        client.latest(uri('pods.json'))?.version === 2 &&
        client.latest(uri('policy.yaml'))?.diagnostics.length === 0,
      'the policy warning to go once the edited pods.json defines an app=web pod',
    );
    const expected = await checkProblems(workspace({ ...files, 'pods.json': edited }));
    assert.ok(
      expected.some((line) => line.startsWith('pods.json:')),
      `check reports the edit: ${expected}`,
    );
    assert.deepEqual(serverProblems(client, root), expected);

    // Nothing at all for JSON without Kubernetes objects: no diagnostics, completions, symbols or hovers.
    for (const name of ['package.json', 'tsconfig.json']) {
      assert.deepEqual(client.latest(uri(name))?.diagnostics, [], name);
      const position = { line: 1, character: 4 };
      const textDocument = { uri: uri(name) };
      assert.deepEqual(
        await client.connection.sendRequest('textDocument/completion', { textDocument, position }),
        [],
      );
      assert.deepEqual(
        await client.connection.sendRequest('textDocument/documentSymbol', { textDocument }),
        [],
      );
      assert.equal(
        await client.connection.sendRequest('textDocument/hover', { textDocument, position }),
        null,
      );
    }
    // Completion items are YAML text: none in a JSON manifest either.
    const inPods = { textDocument: { uri: uri('pods.json') }, position: { line: 4, character: 60 } };
    assert.deepEqual(await client.connection.sendRequest('textDocument/completion', inPods), []);
  } finally {
    await client.close();
  }
});

test('the workspace scan reads JSON manifests on disk next to JSON that holds no object (package-lock.json)', async () => {
  const lock = `{"name": "shop", "packages": {"node_modules/kind-of": {"version": "6.0.3"}}}\n`;
  const files = {
    'ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
    'policy.yaml': POLICY,
    'pods.json': pods('web'),
    'package-lock.json': lock,
    'tsconfig.json': TSCONFIG,
  };
  const root = workspace(files);
  const uri = (name: string) => pathToFileURL(join(root, name)).toString();
  const client = await start(root);
  try {
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri('policy.yaml'), languageId: 'yaml', version: 1, text: POLICY },
    });
    // The app=web pod lives only in the unopened pods.json: without it the policy would select nothing.
    const states = () =>
      client.notifications
        .filter((n) => n.method === 'netpolLens/analysisState')
        .map((n) => n.params as { workloads: number; policies: number; files: number });
    await client.waitFor(() => states().some((s) => s.workloads > 0), 'the workspace analysis');
    assert.deepEqual(states().at(-1), { ...states().at(-1), workloads: 1, policies: 1 });
    await client.waitFor(() => client.latest(uri('policy.yaml'))?.version === 1, 'the policy diagnostics');
    assert.deepEqual(client.latest(uri('policy.yaml'))?.diagnostics, []);
    assert.deepEqual(await checkProblems(root), [], 'check agrees');
    const withoutPods = workspace({ ...files, 'pods.json': pods('db') });
    assert.deepEqual(
      await checkProblems(withoutPods),
      ['policy.yaml:8:5 warning netpol.selects-nothing'],
      'the premise: the pods of pods.json make the difference',
    );
  } finally {
    await client.close();
  }
});
