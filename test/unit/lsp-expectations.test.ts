// ConnectivityExpectations through the real server (in-process LSP connection) on the shop-expectations
// fixture: diagnostics of each outcome, re-evaluation when another file changes, code lenses, hover,
// completion of fields, peers, ports and verdicts, and the "Record Connectivity as Expectations" request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeLens,
  CompletionItem,
  Diagnostic,
  DocumentSymbol,
  Hover,
  Location,
  MarkupContent,
} from 'vscode-languageserver/node';
import { RECORD_EXPECTATIONS, type RecordExpectationsResult } from '../../server/src/protocol';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';
import { cursor, fileOf, loadFixture, unescapeMarkdown } from '../support/fixtures';

const FOLDER = 'test-fixtures/shop-expectations';
const SHOP = loadFixture('shop-expectations');
const CONTRACT = fileOf(SHOP, 'contract.yaml');
const POLICIES = fileOf(SHOP, 'policies/shop.yaml');
const NEW_FILE = pathToFileURL(resolve(FOLDER, 'more-expectations.yaml')).toString();

/** The db-from-api policy opened to every pod of shop: web → db on TCP 5432 becomes allowed. */
const OPENED_POLICIES = POLICIES.text.replace(
  'podSelector:\n            matchLabels:\n              app: api\n      ports:\n        - port: 5432',
  'podSelector: {}\n      ports:\n        - port: 5432',
);

async function start(): Promise<TestClient> {
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  await initializeWorkspace(client, resolve(FOLDER));
  await client.session!.ready;
  return client;
}

async function open(client: TestClient, uri: string, text: string): Promise<Diagnostic[]> {
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text },
  });
  return (await client.waitFor(() => client.latest(uri)?.version === 1 && client.latest(uri), `${uri} v1`))
    .diagnostics;
}

async function change(client: TestClient, uri: string, text: string, version: number): Promise<void> {
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
}

function position(text: string, offset: number) {
  return TextDocument.create('file:///x', 'yaml', 1, text).positionAt(offset);
}

function lenses(client: TestClient, uri: string): Promise<CodeLens[]> {
  return client.connection.sendRequest('textDocument/codeLens', { textDocument: { uri } }) as Promise<
    CodeLens[]
  >;
}

/** The diagnostics last published for `uri` once `probe` accepts them. */
function published(client: TestClient, uri: string, probe: (d: Diagnostic[]) => boolean, what: string) {
  return client.waitFor(() => {
    const latest = client.latest(uri)?.diagnostics;
    return latest && probe(latest) && latest;
  }, what);
}

test('expectations are re-evaluated when a policy in another file changes, and lenses follow', async () => {
  const client = await start();
  try {
    assert.deepEqual(await open(client, CONTRACT.uri, CONTRACT.text), []);
    const before = await lenses(client, CONTRACT.uri);
    assert.deepEqual(
      before.map((l) => [l.range.start.line, l.command?.title]),
      [
        [7, 'holds'],
        [11, 'holds'],
        [15, 'holds'],
        [19, 'holds'],
        [23, 'holds (all 3 pairs)'],
        [26, 'holds'],
        [30, 'holds'],
        [33, 'holds'],
      ],
    );

    const [outline] = (await client.connection.sendRequest('textDocument/documentSymbol', {
      textDocument: { uri: CONTRACT.uri },
    })) as DocumentSymbol[];
    assert.equal(outline.name, 'shop-contract');
    assert.deepEqual(
      outline.children?.slice(0, 3).map((c) => [c.name, c.detail]),
      [
        ['shop/web → shop/api', 'allow 8080/TCP'],
        ['shop/api → shop/db', 'allow 5432/TCP'],
        ['shop/web → shop/db', 'deny'],
      ],
    );
    assert.equal(outline.children?.length, 8);

    // Go to definition from a peer: the workloads it names.
    const definitions = async (needle: string) =>
      (
        (await client.connection.sendRequest('textDocument/definition', {
          textDocument: { uri: CONTRACT.uri },
          position: position(CONTRACT.text, cursor(CONTRACT.text, needle)),
        })) as Location[]
      ).map((l) => `${l.uri.split('/').pop()}:${l.range.start.line}`);
    const shopFile = fileOf(SHOP, 'shop-expectations/shop.yaml');
    const webName = position(shopFile.text, cursor(shopFile.text, 'name: |web\n  namespace: shop')).line;
    assert.deepEqual(await definitions('- from: shop/w|eb'), [`shop.yaml:${webName}`]);
    assert.deepEqual(await definitions('from: tools/|*'), ['tools.yaml:3', 'tools.yaml:16', 'tools.yaml:32']);
    assert.deepEqual(await definitions('from: 203.0.|113.7\n    to: shop/web'), []);

    await open(client, POLICIES.uri, POLICIES.text);
    await change(client, POLICIES.uri, OPENED_POLICIES, 2);
    const violated = await published(client, CONTRACT.uri, (d) => d.length > 0, 'a violation');
    assert.deepEqual(
      violated.map((d) => [d.code, d.severity, d.range.start.line, d.range.end.line]),
      [['netpol.expectation-violated', 1, 15, 19]],
    );
    assert.equal(
      violated[0].message,
      'Expected shop/web → shop/db to be denied, but it is allowed: egress of shop/web[Deployment] is not isolated (no policy selects it for egress); ingress of shop/db[StatefulSet] allowed by shop/db-from-api spec.ingress[0] (TCP 5432).',
    );
    assert.match(String(violated[0].codeDescription?.href), /diagnostics\.md#netpolexpectation-violated$/);
    const after = await lenses(client, CONTRACT.uri);
    assert.equal(after[2].command?.title, 'violated: allowed, expected denied');

    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: CONTRACT.uri },
      position: position(CONTRACT.text, cursor(CONTRACT.text, 'from: shop/w|eb\n    to: shop/db')),
    })) as Hover;
    const text = unescapeMarkdown((hover.contents as MarkupContent).value);
    assert.match(text, /^expectations\[2\] · ConnectivityExpectations shop-contract\n\nViolated: Expected/);
    assert.match(text, /the web tier never talks to the database directly/);
    assert.match(text, /VIOLATED · ALLOWED: shop\/web\[Deployment\] => shop\/db\[StatefulSet\]/);
    assert.match(text, /allowed by shop\/db-from-api spec\.ingress\[0\] \(TCP 5432\)/);
    assert.equal(hover.range?.start.line, 15);

    // Undo: the expectation holds again.
    await change(client, POLICIES.uri, POLICIES.text, 3);
    await published(client, CONTRACT.uri, (d) => d.length === 0, 'the violation to go');
    assert.equal((await lenses(client, CONTRACT.uri))[2].command?.title, 'holds');
  } finally {
    await client.close();
  }
});

test('invalid items are errors at the offending field, published for the file being typed', async () => {
  const client = await start();
  try {
    const text = `apiVersion: netpol-lens/v1
kind: ConnectivityExpectations
expectations:
  - from: shop/wbe
    to: shop/db
    expect: deny
  - from: shop/api
    to: shop/db
    port: 5432/ICMP
    expect: allow
`;
    const diagnostics = await open(client, NEW_FILE, text);
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.message]),
      [
        [
          'netpol.expectation-invalid',
          3,
          10,
          'shop/wbe: no such peer; namespace shop has shop/api, shop/cache, shop/db, shop/web',
        ],
        [
          'netpol.expectation-invalid',
          8,
          10,
          'port: "5432/ICMP" is not a port; expected PORT[/PROTOCOL], e.g. 80/TCP, 53/UDP (port 1-65535)',
        ],
      ],
    );
    const [first, second] = await lenses(client, NEW_FILE);
    assert.match(String(first.command?.title), /^invalid: shop\/wbe: no such peer/);
    assert.match(String(second.command?.title), /^invalid: port:/);
  } finally {
    await client.close();
  }
});

async function complete(client: TestClient, version: number, text: string, offset: number) {
  await change(client, NEW_FILE, text, version);
  await client.waitFor(() => client.latest(NEW_FILE)?.version === version, `v${version}`);
  const items = (await client.connection.sendRequest('textDocument/completion', {
    textDocument: { uri: NEW_FILE },
    position: position(text, offset),
  })) as CompletionItem[];
  return items;
}

test('completion of fields, peers (workloads and ns/*), ports and verdicts', async () => {
  const client = await start();
  try {
    const head = 'apiVersion: netpol-lens/v1\nkind: ConnectivityExpectations\nexpectations:\n';
    await open(client, NEW_FILE, head);

    const from = head + '  - from: \n';
    const peers = await complete(client, 2, from, from.length - 1);
    assert.deepEqual(
      peers.map((i) => i.label),
      [
        'kube-system/kube-dns',
        'shop/api',
        'shop/cache',
        'shop/db',
        'shop/web',
        'tools/debug',
        'tools/report[CronJob]',
        'tools/report[Job]',
        'kube-system/*',
        'shop/*',
        'tools/*',
      ],
    );
    const job = peers.find((i) => i.label === 'tools/report[Job]')!;
    assert.equal(
      (job.textEdit as { newText: string }).newText,
      '"tools/report[Job]"',
      'quoted: [ ] are YAML',
    );
    assert.equal(peers.find((i) => i.label === 'shop/*')?.detail, 'every workload of shop (4)');

    const port = head + '  - from: shop/web\n    to: shop/db\n    port: \n';
    const ports = await complete(client, 3, port, port.length - 1);
    assert.deepEqual(
      ports.map((i) => [i.label, i.detail]),
      [['5432/TCP', 'container port of shop/db (postgres)']],
    );

    const field = head + '  - from: shop/web\n    \n';
    const fields = await complete(client, 4, field, field.length - 1);
    assert.deepEqual(
      fields.map((i) => i.label),
      ['to', 'port', 'expect', 'description'],
    );

    const verdict = head + '  - from: shop/web\n    to: shop/db\n    expect: \n';
    const verdicts = await complete(client, 5, verdict, verdict.length - 1);
    assert.deepEqual(
      verdicts.map((i) => i.label),
      ['allow', 'deny'],
    );
  } finally {
    await client.close();
  }
});

test('Record Connectivity as Expectations: the document the core writes, which then holds', async () => {
  const client = await start();
  try {
    const result = (await client.connection.sendRequest(RECORD_EXPECTATIONS, {
      namespaces: ['tools'],
    })) as RecordExpectationsResult;
    // tools' 3 workloads with the 5 others and each other: 36 pairs; its pods → api, cache, db are denied.
    assert.deepEqual([result.allowed, result.denied], [27, 9]);
    assert.match(result.text, /^# Connectivity of tools as NetPol Lens analysed it: 27 allowed and 9 denied/);
    const untitled = 'untitled:Untitled-1';
    assert.deepEqual(await open(client, untitled, result.text), []);
    const recorded = await lenses(client, untitled);
    assert.equal(recorded.length, 36);
    assert.ok(recorded.every((l) => l.command?.title === 'holds'));
  } finally {
    await client.close();
  }
});
