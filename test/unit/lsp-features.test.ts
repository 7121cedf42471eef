// The editor features and quick-fixes through the real server over an in-process LSP connection:
// hover, code lens, completion, document symbols, definition, references; diagnostics per code; and
// every quick-fix's round trip (codeAction → WorkspaceEdit applied → re-published diagnostics).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeAction,
  CodeLens,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  InitializeResult,
  Location,
  MarkupContent,
  TextDocumentEdit,
  WorkspaceEdit,
} from 'vscode-languageserver/node';
import { fixableCodes, RULES } from '../../server/src/core/index';
import { COMPARE } from '../../server/src/protocol';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';
import { cursor, fileOf, loadFixture, unescapeMarkdown, withCursor } from '../support/fixtures';

/** Every rule on (those off by default as information), so each code can be observed. */
const ALL_ON = Object.fromEntries(
  RULES.map((r) => [r.code, r.defaultSeverity === 'off' ? 'information' : r.defaultSeverity]),
);

async function start(
  folder: string | undefined,
  settings: Record<string, unknown> = {},
  workspaceCapabilities: Record<string, unknown> = {},
): Promise<{ client: TestClient; capabilities: InitializeResult['capabilities'] }> {
  const client = inProcessClient(() => ({ debounceMs: 5, ...settings }));
  const result = await initializeWorkspace(client, folder ?? null, { workspace: workspaceCapabilities });
  return { client, capabilities: result.capabilities };
}

/**
 * Opens a document and waits until its diagnostics for that version are published, with the workspace's
 * (before the scan is in, the file gets its own diagnostics first).
 */
async function open(client: TestClient, uri: string, text: string, version = 1): Promise<Diagnostic[]> {
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version, text },
  });
  await client.session!.ready;
  // The workspace publish is followed by the analysis state; the file's own early list may come first.
  await client.waitFor(
    () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
    'the workspace analysis',
  );
  const published = await client.waitFor(
    () => client.latest(uri)?.version === version && client.latest(uri),
    `diagnostics of ${uri} v${version}`,
  );
  return published.diagnostics;
}

async function change(client: TestClient, uri: string, text: string, version: number): Promise<Diagnostic[]> {
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
  const published = await client.waitFor(
    () => client.latest(uri)?.version === version && client.latest(uri),
    `diagnostics of ${uri} v${version}`,
  );
  return published.diagnostics;
}

function position(text: string, offset: number) {
  return TextDocument.create('file:///x', 'yaml', 1, text).positionAt(offset);
}

const THREE_TIER = loadFixture('three-tier');
const BACKEND_POLICIES = fileOf(THREE_TIER, 'policies/backend.yaml');

test('capabilities: hover, code lens, completion with triggers, symbols, definition, references', async () => {
  const { client, capabilities } = await start(undefined);
  try {
    assert.equal(capabilities.hoverProvider, true);
    assert.deepEqual(capabilities.codeLensProvider, { resolveProvider: false });
    assert.deepEqual(capabilities.completionProvider?.triggerCharacters, [':', ' ']);
    assert.equal(capabilities.documentSymbolProvider, true);
    assert.equal(capabilities.definitionProvider, true);
    assert.equal(capabilities.referencesProvider, true);
    assert.ok(capabilities.codeActionProvider, 'the session keeps its own capabilities');
  } finally {
    await client.close();
  }
});

test('hover, code lens, symbols, definition and references over a fixture workspace', async () => {
  const { client } = await start('test-fixtures/three-tier');
  try {
    const { uri, text } = BACKEND_POLICIES;
    await open(client, uri, text);
    const request = <T>(method: string, offset?: number, extra: object = {}) =>
      client.connection.sendRequest(method, {
        textDocument: { uri },
        ...(offset === undefined ? {} : { position: position(text, offset) }),
        ...extra,
      }) as Promise<T>;

    const onSelector = (await request<Hover>('textDocument/hover', cursor(text, 'tier: fron|tend')))!;
    const markdown = (onSelector.contents as MarkupContent).value;
    assert.equal((onSelector.contents as MarkupContent).kind, 'markdown');
    assert.match(unescapeMarkdown(markdown), /This selects namespaces tier=frontend\./);
    const frontend = fileOf(THREE_TIER, 'frontend.yaml');
    assert.ok(markdown.includes(`](${frontend.uri}#L2,1)`), 'the frontend Deployment, linked (line 2)');

    const onName = (await request<Hover>(
      'textDocument/hover',
      cursor(text, 'name: allow-ingress-from-fro|ntend'),
    ))!;
    assert.match(
      unescapeMarkdown((onName.contents as MarkupContent).value),
      /^NetworkPolicy backend\/allow-ingress-from-frontend\n\nisolates 1 workload for ingress; allows ingress only from all pods in namespaces tier=frontend, on all ports and protocols; egress unchanged\./,
    );
    assert.equal(onName.range?.start.line, position(text, cursor(text, 'name: |allow-ingress')).line);
    assert.equal(await request('textDocument/hover', cursor(text, '# Back|end tier')), null);

    const lenses = await request<CodeLens[]>('textDocument/codeLens');
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title]),
      [
        [1, 'selects 1 workload · ingress: deny all · egress: deny all'],
        [12, 'selects 1 workload · ingress: deny all · egress to 2 workloads'],
        [37, 'selects 1 workload · ingress from 1 workload · egress unchanged'],
      ],
    );

    const symbols = await request<DocumentSymbol[]>('textDocument/documentSymbol');
    assert.deepEqual(
      symbols.map((s) => [s.name, s.children?.map((c) => c.name)]),
      [
        ['backend/default-deny-all-backend', ['podSelector']],
        ['backend/allow-egress-to-database', ['podSelector', 'egress']],
        ['backend/allow-ingress-from-frontend', ['podSelector', 'ingress']],
      ],
    );

    const targets = await request<Location[]>(
      'textDocument/definition',
      cursor(text, 'namespace|Selector:\n            matchLabels:\n              tier: frontend'),
    );
    const namespaces = fileOf(THREE_TIER, 'namespaces.yaml');
    assert.deepEqual(targets, [
      {
        uri: namespaces.uri,
        range: {
          start: position(namespaces.text, cursor(namespaces.text, 'name: |frontend')),
          end: position(namespaces.text, cursor(namespaces.text, 'name: frontend|')),
        },
      },
    ]);

    // From the backend Deployment: the three policies selecting it, and the peers naming it (the
    // database ingress from tier=backend, the frontend egress to tier=backend).
    const backend = fileOf(THREE_TIER, 'backend.yaml');
    await open(client, backend.uri, backend.text);
    const refs = (await client.connection.sendRequest('textDocument/references', {
      textDocument: { uri: backend.uri },
      position: position(backend.text, cursor(backend.text, 'kind: Deploy|ment')),
      context: { includeDeclaration: false },
    })) as Location[];
    assert.deepEqual(
      refs.map((r) => r.uri.split('/').slice(-2).join('/')),
      [
        'policies/backend.yaml',
        'policies/backend.yaml',
        'policies/backend.yaml',
        'policies/database.yaml',
        'policies/frontend.yaml',
      ],
    );
  } finally {
    await client.close();
  }
});

test('completion of workspace labels and tutorial snippets', async () => {
  const { client } = await start('test-fixtures/three-tier');
  try {
    const uri = pathToFileURL(resolve('test-fixtures/three-tier/policies/new.yaml')).toString();
    const { text, offset } = withCursor(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: backend}
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              tier:|
`);
    await open(client, uri, text);
    const items = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: position(text, offset),
      context: { triggerKind: 2, triggerCharacter: ':' },
    })) as CompletionItem[];
    assert.deepEqual(
      items.map((i) => [
        i.label,
        i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : undefined,
        i.kind,
      ]),
      [
        ['backend', ' backend', 12],
        ['database', ' database', 12],
        ['frontend', ' frontend', 12],
      ],
    );

    const empty = pathToFileURL(resolve('test-fixtures/three-tier/policies/empty.yaml')).toString();
    await open(client, empty, '');
    const snippets = (await client.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: empty },
      position: { line: 0, character: 0 },
    })) as CompletionItem[];
    assert.equal(
      snippets.length,
      11,
      'four policy patterns, an expectations document, six cluster guardrails',
    );
    assert.ok(snippets.every((s) => s.insertTextFormat === 2 && s.kind === 15));
  } finally {
    await client.close();
  }
});

test('a YAML document without Kubernetes content gets nothing from the features', async () => {
  const { client } = await start(undefined);
  try {
    const uri = 'file:///w/compose.yaml';
    const text = 'services:\n  web:\n    image: nginx\n    labels: {app: web}\n';
    await open(client, uri, text);
    const at = { textDocument: { uri }, position: position(text, cursor(text, 'app: w|eb')) };
    assert.equal(await client.connection.sendRequest('textDocument/hover', at), null);
    assert.deepEqual(await client.connection.sendRequest('textDocument/completion', at), []);
    assert.deepEqual(await client.connection.sendRequest('textDocument/definition', at), []);
    assert.deepEqual(
      await client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }),
      [],
    );
    assert.deepEqual(
      await client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }),
      [],
    );
    // An unknown document, too.
    assert.equal(
      await client.connection.sendRequest('textDocument/hover', {
        ...at,
        textDocument: { uri: 'file:///w/none.yaml' },
      }),
      null,
    );
  } finally {
    await client.close();
  }
});

test('features answer for the version the client has, right after an edit', async () => {
  const { client } = await start(undefined);
  try {
    const uri = 'file:///w/policy.yaml';
    const first =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: shop}\nspec: {podSelector: {}}\n';
    await open(client, uri, first);
    const second = `# renamed\n${first.replace('name: a', 'name: renamed')}`;
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: second }],
    });
    // No wait for the debounced publish: the request follows the change on the same connection.
    const symbols = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri },
    })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => [s.name, s.range.start.line]),
      [['shop/renamed', 1]],
    );
  } finally {
    await client.close();
  }
});

test('after each analysis the server asks clients that support it to refresh code lenses', async () => {
  const { client } = await start(undefined, {}, { codeLens: { refreshSupport: true } });
  let refreshes = 0;
  client.connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes++;
    return null;
  });
  try {
    const policy =
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: shop}\nspec: {podSelector: {}}\n';
    await open(client, 'file:///w/policy.yaml', policy);
    // A workload in another file changes the policy's lens ("selects 1 workload").
    await open(
      client,
      'file:///w/pod.yaml',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec: {containers: [{name: c, image: x}]}\n',
    );
    await client.waitFor(() => refreshes >= 2, 'a lens refresh per analysis');
    const [lens] = (await client.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri: 'file:///w/policy.yaml' },
    })) as CodeLens[];
    assert.match(String(lens.command?.title), /^selects 1 workload/);
  } finally {
    await client.close();
  }
});

test('a publish of an unchanged workspace asks for no lens refresh', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'netpol-lens-refresh-'));
  const path = join(folder, 'policy.yaml');
  writeFileSync(
    path,
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: a, namespace: shop}\nspec: {podSelector: {}}\n',
  );
  const { client } = await start(folder, {}, { codeLens: { refreshSupport: true } });
  let refreshes = 0;
  client.connection.onRequest('workspace/codeLens/refresh', () => {
    refreshes++;
    return null;
  });
  const states = () => client.notifications.filter((n) => n.method === 'netpolLens/analysisState').length;
  try {
    await client.session!.ready;
    await client.waitFor(() => states() >= 1 && refreshes >= 1, 'the first publish and its refresh');
    const [before, asked] = [states(), refreshes];
    // The file "changed" on disk with the same text (a checkout that rewrote it): published again, as is.
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: pathToFileURL(path).toString(), type: 2 }],
    });
    await client.waitFor(() => states() > before, 'the publish after the file event');
    // A request answered after that publish: a refresh asked for by it would have reached the client first.
    await client.connection.sendRequest('textDocument/codeLens', {
      textDocument: { uri: pathToFileURL(path).toString() },
    });
    assert.equal(refreshes, asked, 'no refresh for a workspace that did not change');
  } finally {
    await client.close();
  }
});

// ---------------------------------------------------------------------------------------------
// Diagnostics per code, through the server

for (const rule of RULES) {
  test(`diagnostics over LSP: ${rule.code} on its bad example, not on its good one`, async () => {
    // A rule about the comparison with a base: the base is a folder holding its exampleBase.
    const base = rule.exampleBase === undefined ? undefined : mkdtempSync(join(tmpdir(), 'netpol-base-'));
    if (base) writeFileSync(join(base, 'example.yaml'), rule.exampleBase!);
    const { client } = await start(undefined, {
      ...rule.exampleOptions,
      severity: ALL_ON,
      compareWith: base ?? '',
    });
    try {
      await client.session!.ready;
      // The base is analysed after the first publish; the comparison request answers once it is in.
      if (base) await client.connection.sendRequest(COMPARE, {});
      const uri = 'file:///w/example.yaml';
      const bad = await open(client, uri, rule.bad);
      const found = bad.filter((d) => d.code === rule.code);
      assert.ok(found.length > 0, `${rule.code} on the bad example: ${bad.map((d) => d.code).join(', ')}`);
      assert.ok(
        found.every((d) => d.source === 'netpol-lens' && d.codeDescription?.href.includes('diagnostics.md#')),
      );
      const good = await change(client, uri, rule.good, 2);
      assert.deepEqual(
        good.filter((d) => d.code === rule.code),
        [],
      );
    } finally {
      await client.close();
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Quick-fix round trips

/** YAML documents of a text (split at `---` lines), to check that untouched ones stay byte-identical. */
function yamlDocuments(text: string): { text: string; start: number; end: number }[] {
  const found: { text: string; start: number; end: number }[] = [];
  let start = 0;
  for (const match of text.matchAll(/^---[^\n]*\n/gm)) {
    found.push({ text: text.slice(start, match.index), start, end: match.index! });
    start = match.index! + match[0].length;
  }
  found.push({ text: text.slice(start), start, end: text.length });
  return found;
}

interface Case {
  code: string;
  text: string;
  settings?: Record<string, unknown>;
}

const EXTRA_CASES: Case[] = [
  {
    // No DNS rule at all: the fix adds one (the rule's own example is the UDP-only case).
    code: 'netpol.dns-egress-missing',
    text: `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 192.0.2.0/24 # the partner API
`,
  },
  {
    // An except without a prefix length: repaired to /32 first, removed second.
    code: 'netpol.invalid-except',
    text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/8
            except:
              - 10.1.2.3
`,
  },
];

/**
 * Findings a fix may bring to light by doing what it says: turning egress isolation on (policyTypes
 * gains Egress) leaves the selected pods without cluster DNS unless something else allows it.
 */
const CONSEQUENCES: Record<string, string[]> = {
  'netpol.rules-ignored': ['netpol.dns-egress-missing'],
  'netpol.empty-egress': ['netpol.dns-egress-missing'],
};

const CASES: Case[] = [
  ...fixableCodes().map((code) => {
    const rule = RULES.find((r) => r.code === code)!;
    return { code, text: rule.bad, settings: rule.exampleOptions };
  }),
  ...EXTRA_CASES,
];

async function codeActions(client: TestClient, uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return (await client.connection.sendRequest('textDocument/codeAction', {
    textDocument: { uri },
    range: diagnostic.range,
    context: { diagnostics: [diagnostic], only: ['quickfix'] },
  })) as CodeAction[];
}

test('every fixable code is covered by a round trip below', () => {
  const covered = new Set(CASES.map((c) => c.code));
  for (const code of fixableCodes()) assert.ok(covered.has(code), code);
  // The fixes issue 4 asks for, by the codes they repair.
  for (const code of [
    'netpol.dns-egress-missing',
    'netpol.split-peer',
    'netpol.rules-ignored',
    'netpol.implicit-ingress-isolation',
    'netpol.namespace-label-missing',
    'netpol.invalid-except',
    'netpol.except-no-op',
    'netpol.missing-namespace',
    'netpol.service-port',
    'netpol.no-default-deny',
  ])
    assert.ok(new Set<string>(fixableCodes()).has(code), `${code} has a quick-fix`);
});

for (const [caseIndex, testCase] of CASES.entries()) {
  test(`quick-fixes over LSP round-trip: ${testCase.code} (case ${caseIndex})`, async () => {
    const uri = 'file:///w/example.yaml';
    // Fresh sessions per fix: each fix applies to the original text.
    const first = await start(undefined, { ...testCase.settings, severity: ALL_ON });
    let titles: string[];
    try {
      const before = await open(first.client, uri, testCase.text);
      const target = before.find((d) => d.code === testCase.code);
      assert.ok(target, `${testCase.code} is reported`);
      titles = (await codeActions(first.client, uri, target))
        .filter((a) => a.diagnostics?.some((d) => d.code === testCase.code))
        .map((a) => a.title);
      assert.ok(titles.length > 0, `${testCase.code} has code actions`);
    } finally {
      await first.client.close();
    }
    for (const title of titles) {
      const { client } = await start(undefined, { ...testCase.settings, severity: ALL_ON });
      try {
        const before = await open(client, uri, testCase.text);
        const target = before.find((d) => d.code === testCase.code)!;
        const action = (await codeActions(client, uri, target)).find((a) => a.title === title)!;
        assert.equal(action.kind, 'quickfix');
        assert.deepEqual(
          action.diagnostics?.map((d) => d.code),
          [testCase.code],
        );
        const { texts, edited } = applyWorkspaceEdit(action.edit!, { [uri]: testCase.text }, { [uri]: 1 });
        const after = await change(client, uri, texts[uri], 2);
        // A created file is opened as the editor would; then the file's diagnostics are published again.
        const seen = client.published.length;
        const created = Object.entries(texts).filter(([other]) => other !== uri);
        for (const [other, text] of created) await open(client, other, text);
        const settled =
          created.length === 0
            ? after
            : (
                await client.waitFor(
                  () => client.published.slice(seen).find((p) => p.uri === uri),
                  'diagnostics after opening the created file',
                )
              ).diagnostics;
        const count = (list: Diagnostic[], code: string) => list.filter((d) => d.code === code).length;
        assert.ok(
          count(settled, testCase.code) < count(before, testCase.code) &&
            count(after, testCase.code) <= count(before, testCase.code),
          `"${title}" leaves ${testCase.code}:\n${texts[uri]}`,
        );
        const allowed = CONSEQUENCES[testCase.code] ?? [];
        for (const d of settled) {
          const code = String(d.code);
          if (!allowed.includes(code))
            assert.ok(count(settled, code) <= count(before, code), `"${title}" introduced ${code}`);
        }
        // Documents of the file that no edit touched are byte-identical.
        const untouched = yamlDocuments(testCase.text).filter(
          (doc) => !edited[uri]?.some((r) => r.start <= doc.end && doc.start <= r.end),
        );
        const now = yamlDocuments(texts[uri]).map((d) => d.text);
        for (const doc of untouched)
          assert.ok(now.includes(doc.text), `"${title}" changed an unrelated document`);
      } finally {
        await client.close();
      }
    }
  });
}

/** Applies a WorkspaceEdit (versioned text edits, file creations) to texts; returns the edited offsets. */
function applyWorkspaceEdit(
  edit: WorkspaceEdit,
  texts: Record<string, string>,
  versions: Record<string, number>,
): { texts: Record<string, string>; edited: Record<string, { start: number; end: number }[]> } {
  const result = { ...texts };
  const edited: Record<string, { start: number; end: number }[]> = {};
  for (const change of edit.documentChanges ?? []) {
    if ('kind' in change) {
      assert.equal(change.kind, 'create');
      assert.equal(result[change.uri], undefined, 'a created file must be new');
      result[change.uri] = '';
      continue;
    }
    const documentEdit = change as TextDocumentEdit;
    const uri = documentEdit.textDocument.uri;
    assert.ok(uri in result, `edit of an unknown document ${uri}`);
    if (uri in versions) assert.equal(documentEdit.textDocument.version, versions[uri], 'versioned edit');
    const document = TextDocument.create(uri, 'yaml', 1, result[uri]);
    // Plain text edits only: a quick-fix never sends snippets.
    const edits = documentEdit.edits.map((e) => {
      assert.ok('newText' in e, 'a plain text edit');
      return e;
    });
    edited[uri] = edits.map((e) => ({
      start: document.offsetAt(e.range.start),
      end: document.offsetAt(e.range.end),
    }));
    result[uri] = TextDocument.applyEdits(document, edits);
  }
  return { texts: result, edited };
}

test('a client that renders only plain text gets hovers without markdown or its escapes', async () => {
  const text = `apiVersion: apps/v1
kind: Deployment
metadata: {name: admin-ui, namespace: web}
spec:
  template:
    metadata: {labels: {app: admin-ui}}
    spec: {containers: [{name: c}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: admin-ui-in, namespace: web}
spec:
  podSelector: {matchLabels: {app: admin-ui}}
  ingress: [{from: [{podSelector: {}}]}]
`;
  const uri = 'file:///plain/admin.yaml';
  const hoverOnName = async (contentFormat: string[]) => {
    const client = inProcessClient(() => ({ debounceMs: 5 }));
    try {
      await initializeWorkspace(client, null, {
        capabilities: { textDocument: { hover: { contentFormat } } },
      });
      await open(client, uri, text);
      const hover = (await client.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: position(text, cursor(text, 'name: admin-ui-|in')),
      })) as Hover;
      return hover.contents as MarkupContent;
    } finally {
      await client.close();
    }
  };
  const plain = await hoverOnName(['plaintext']);
  assert.equal(plain.kind, 'plaintext');
  assert.ok(plain.value.includes('web/admin-ui[Deployment]'), plain.value);
  assert.doesNotMatch(plain.value, /\\[/\-[\]_*]|\*\*|\]\(file:/, 'no escapes, emphasis or links');
  // The same hover for a markdown client is escaped, so the test above can tell them apart.
  const markdown = await hoverOnName(['markdown', 'plaintext']);
  assert.equal(markdown.kind, 'markdown');
  assert.ok(markdown.value.includes('web\\/admin\\-ui\\[Deployment\\]'), markdown.value);
});
