// ConnectivityExpectations documents on the shop-expectations fixture: every outcome (allow/deny × with
// and without a port × holds/violated), `ns/*` expansion, IPv4 peers, invalid items, and recording. The
// expected outcomes are worked out by hand from the fixture's README, not taken from the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExpectationResult, SourceFile } from '../../server/src/core/index';
import { fileOf, loadFixture, serviceOf } from '../support/fixtures';

const SHOP = loadFixture('shop-expectations');
const EXTRA = 'file:///extra/expectations.yaml';

function document(items: string): string {
  return `apiVersion: netpol-lens/v1
kind: ConnectivityExpectations
metadata:
  name: test
expectations:
${items}`;
}

/** One expectation written as `from to [port] expect`, e.g. `shop/web shop/api 8080/TCP allow`. */
function item(line: string): string {
  const words = line.split(' ');
  const [from, to] = words;
  const expect = words[words.length - 1];
  const port = words.length === 4 ? `    port: ${words[2]}\n` : '';
  return `  - from: ${from}\n    to: ${to}\n${port}    expect: ${expect}\n`;
}

function analyse(extra: string, files: SourceFile[] = SHOP) {
  return serviceOf([...files, { uri: EXTRA, text: extra }]);
}

function evaluate(...lines: string[]): ExpectationResult[] {
  return analyse(document(lines.map(item).join('')))
    .expectations()
    .filter((r) => r.document.uri === EXTRA);
}

function one(line: string): ExpectationResult {
  const [result] = evaluate(line);
  return result;
}

test('the fixture contract holds as written (8 expectations, no diagnostics at all)', () => {
  const analysis = serviceOf(SHOP);
  const results = analysis.expectations();
  assert.deepEqual(
    results.map((r) => r.status),
    ['holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'holds', 'holds'],
  );
  assert.deepEqual(analysis.allDiagnostics(), []);
  // Not a Kubernetes object with wrong fields: the reader reports nothing about it.
  const contract = fileOf(SHOP, 'contract.yaml').uri;
  assert.deepEqual(
    analysis.state().analysis.problems.filter((p) => p.uri === contract),
    [],
  );
});

test('allow with a port: holds when that port is allowed, violated when it is not', () => {
  assert.equal(one('shop/web shop/api 8080/TCP allow').status, 'holds');
  const violated = one('shop/web shop/api 9090/TCP allow');
  assert.equal(violated.status, 'violated');
  assert.equal(violated.summary, 'violated: denied, expected allowed');
  assert.equal(
    violated.message,
    'Expected shop/web → shop/api on 9090/TCP to be allowed, but it is denied: ingress of shop/api[Deployment] isolated by shop/default-deny-ingress, shop/api-from-web, and no ingress rule of them allows it.',
  );
});

test('allow without a port: holds when some connection is allowed, violated when none is', () => {
  assert.equal(one('shop/api shop/db allow').status, 'holds');
  const violated = one('shop/web shop/db allow');
  assert.equal(violated.status, 'violated');
  assert.match(violated.message, /^Expected shop\/web → shop\/db to be allowed, but it is denied: /);
  assert.match(violated.message, /isolated by shop\/default-deny-ingress, shop\/db-from-api/);
});

test('deny with a port: holds when that port is denied, violated when it is allowed', () => {
  assert.equal(one('shop/web shop/db 5432/TCP deny').status, 'holds');
  // Only TCP 5432 is open to the api: the same number over UDP is denied.
  assert.equal(one('shop/api shop/db 5432/UDP deny').status, 'holds');
  const violated = one('shop/api shop/db 5432/TCP deny');
  assert.equal(violated.status, 'violated');
  assert.equal(
    violated.message,
    'Expected shop/api → shop/db on 5432/TCP to be denied, but it is allowed: egress of shop/api[Deployment] is not isolated (no policy selects it for egress); ingress of shop/db[StatefulSet] allowed by shop/db-from-api spec.ingress[0] (TCP 5432).',
  );
});

test('deny without a port: holds when nothing is allowed, violated when anything is', () => {
  assert.equal(one('shop/web shop/cache deny').status, 'holds');
  const violated = one('tools/debug shop/web deny');
  assert.equal(violated.status, 'violated');
  assert.match(violated.message, /allowed by shop\/web-from-anywhere spec\.ingress\[0\] \(TCP 8080\)/);
});

test('a port written as a number means TCP', () => {
  const [result] = analyse(
    document('  - from: shop/api\n    to: shop/cache\n    port: 6379\n    expect: allow\n'),
  )
    .expectations()
    .filter((r) => r.document.uri === EXTRA);
  assert.equal(result.status, 'holds');
  assert.deepEqual(result.expectation.port, { port: 6379, protocol: 'TCP' });
});

test('ns/* expands to every workload of the namespace and every pair must hold', () => {
  // shop has api, cache, db and web; only the api reaches the db on 5432.
  const db = one('shop/* shop/db 5432/TCP deny');
  assert.equal(db.status, 'violated');
  assert.equal(db.pairs.length, 3, 'api, cache and web → db (the db is not paired with itself)');
  assert.deepEqual(
    db.pairs.filter((p) => !p.holds).map((p) => p.source.id),
    ['shop/api[Deployment]'],
  );
  assert.equal(db.summary, 'violated: 1 of 3 pairs allowed');
  // tools has debug and the report Job and CronJob; shop/db admits the api alone.
  const tools = one('tools/* shop/db deny');
  assert.equal(tools.status, 'holds');
  assert.equal(tools.summary, 'holds (all 3 pairs)');
  // 3 × 4 pairs; the web admits everyone on TCP 8080.
  const all = one('tools/* shop/* deny');
  assert.equal(all.pairs.length, 12);
  assert.deepEqual(
    all.pairs.filter((p) => !p.holds).map((p) => `${p.source.id} → ${p.destination.id}`),
    [
      'tools/debug[Pod] → shop/web[Deployment]',
      'tools/report[CronJob] → shop/web[Deployment]',
      'tools/report[Job] → shop/web[Deployment]',
    ],
  );
  assert.match(
    all.message,
    /^Expected every pair of tools\/\* → shop\/\* to be denied, but 3 of 12 are allowed: /,
  );
});

test('IPv4 peers resolve to the external range that contains them, on either side', () => {
  assert.equal(one('203.0.113.7 shop/web 8080/TCP allow').status, 'holds');
  const db = one('203.0.113.7 shop/db 5432/TCP allow');
  assert.equal(db.status, 'violated');
  assert.match(db.message, /203\.0\.113\.7 → shop\/db on 5432\/TCP to be allowed, but it is denied/);
  // Nothing isolates the db's egress.
  assert.equal(one('shop/db 198.51.100.1 443/TCP allow').status, 'holds');
});

/** The netpol.expectation-invalid diagnostics for the items, as `line: message`. */
function invalid(items: string): string[] {
  const text = document(items);
  return analyse(text)
    .allDiagnostics()
    .filter((p) => p.uri === EXTRA)
    .map((p) => {
      assert.equal(p.code, 'netpol.expectation-invalid', p.message);
      return `${p.range.start.line + 1}: ${text.slice(p.range.start.offset, p.range.end.offset).split('\n')[0]}: ${p.message}`;
    });
}

test('invalid: a peer in the wrong syntax, at its value', () => {
  assert.deepEqual(invalid(item('shop/web shop allow')), [
    '7: shop: to: "shop" is not a peer; expected namespace/name, namespace/name[Kind], namespace/* or an IPv4 address',
  ]);
});

test('invalid: an unknown workload, namespace, or an ambiguous name, with what there is instead', () => {
  assert.deepEqual(invalid(item('shop/wbe shop/web allow')), [
    '6: shop/wbe: shop/wbe: no such peer; namespace shop has shop/api, shop/cache, shop/db, shop/web',
  ]);
  assert.deepEqual(invalid(item('shop/web nope/* allow')), [
    '7: nope/*: nope/*: no namespace nope in the workspace',
  ]);
  assert.deepEqual(invalid(item('shop/web shop/web[Pod] allow')), [
    '7: shop/web[Pod]: shop/web[Pod]: no such peer; did you mean shop/web[Deployment]?',
  ]);
  assert.deepEqual(invalid(item('tools/report shop/web allow')), [
    '6: tools/report: tools/report is ambiguous: tools/report[CronJob], tools/report[Job]; name the kind, e.g. tools/report[CronJob]',
  ]);
  // The kind makes it unique.
  assert.equal(one('tools/report[Job] shop/web 8080/TCP allow').status, 'holds');
});

test('invalid: bad ports', () => {
  assert.deepEqual(
    invalid(
      item('shop/web shop/api 99999 allow') +
        item('shop/web shop/api http allow') +
        item('shop/web shop/api 80/ICMP allow'),
    ),
    [
      '8: 99999: port: "99999" is not a port; expected PORT[/PROTOCOL], e.g. 80/TCP, 53/UDP (port 1-65535)',
      '12: http: port: "http" is not a port; expected PORT[/PROTOCOL], e.g. 80/TCP, 53/UDP (port 1-65535)',
      '16: 80/ICMP: port: "80/ICMP" is not a port; expected PORT[/PROTOCOL], e.g. 80/TCP, 53/UDP (port 1-65535)',
    ],
  );
});

test('invalid: malformed items and documents, each at its place', () => {
  assert.deepEqual(
    invalid(
      '  - just a string\n' +
        '  - from: shop/web\n    to: shop/api\n' +
        '  - from: shop/web\n    to: shop/api\n    expect: maybe\n' +
        '  - from: shop/web\n    to: shop/api\n    expect: allow\n    colour: red\n' +
        '  - from: 5\n    to: shop/api\n    expect: allow\n',
    ),
    [
      '6: just a string: expectations[0]: must be a mapping',
      '7: from: shop/web: expectations[1].expect: required field is missing',
      '11: maybe: expectations[2].expect: must be one of "allow", "deny"',
      '15: colour: unknown field expectations[3].colour',
      '16: 5: expectations[4].from: must be string',
    ],
  );
  const wrongVersion = document('').replace('netpol-lens/v1', 'netpol-lens/v2') + '  - just a string\n';
  const problems = analyse(wrongVersion)
    .allDiagnostics()
    .filter((p) => p.uri === EXTRA);
  assert.deepEqual(
    problems.map((p) => `${p.code} ${p.message}`),
    [
      'netpol.expectation-invalid ConnectivityExpectations apiVersion "netpol-lens/v2" is not supported; use netpol-lens/v1. Not checked.',
    ],
  );
  const notAList = analyse(document('').replace('expectations:', 'expectations: 3')).allDiagnostics();
  assert.deepEqual(
    notAList.filter((p) => p.uri === EXTRA).map((p) => p.message),
    ['expectations: must be a list'],
  );
});

test('violations are errors at the list item; the editor re-evaluates them on a policy edit elsewhere', () => {
  const text = document(item('shop/web shop/db deny') + item('shop/api shop/db 5432/TCP allow'));
  assert.deepEqual(analyse(text).allDiagnostics(), []);
  // Open the db to every pod of shop: the first expectation breaks, the second still holds.
  const policies = fileOf(SHOP, 'policies/shop.yaml');
  const opened = SHOP.map((f) =>
    f === policies
      ? {
          ...f,
          text: f.text.replace(
            'podSelector:\n            matchLabels:\n              app: api\n      ports:\n        - port: 5432',
            'podSelector: {}\n      ports:\n        - port: 5432',
          ),
        }
      : f,
  );
  assert.notEqual(opened, SHOP);
  const problems = analyse(text, opened).allDiagnostics();
  // Compared as sets: the order across files follows the URIs, which depend on the checkout path.
  const byUri = (a: unknown[], b: unknown[]) => String(a[2]).localeCompare(String(b[2]));
  assert.deepEqual(
    problems
      .map((p) => [p.code, p.severity, p.uri, p.range.start.line + 1, p.range.end.line + 1])
      .sort(byUri),
    [
      ['netpol.expectation-violated', 'error', EXTRA, 6, 9],
      // The fixture's own contract promises the same (its third item, with a description).
      ['netpol.expectation-violated', 'error', fileOf(SHOP, 'contract.yaml').uri, 16, 20],
    ].sort(byUri),
  );
});

test('recording: every pair with an end in the namespaces, allowed or denied, sorted; it holds as recorded', () => {
  const analysis = serviceOf(SHOP);
  // 8 workloads (4 in shop, 3 in tools, the implicit kube-dns) → 56 ordered pairs, 12 with no end in
  // shop. Allowed: anyone → web (7), web → api, api → cache, api → db, shop → the 4 others outside (16).
  const shop = analysis.recordExpectations(['shop']);
  assert.deepEqual([shop.allowed, shop.denied], [26, 18]);
  // tools: 36 pairs; denied are its 3 workloads → api, cache, db.
  const tools = analysis.recordExpectations(['tools']);
  assert.deepEqual([tools.allowed, tools.denied], [27, 9]);
  assert.equal(analysis.recordExpectations(['tools']).text, tools.text, 'deterministic');
  const lines = shop.text.split('\n');
  const firstItem = lines.indexOf('  - from: kube-system/kube-dns');
  assert.deepEqual(lines.slice(firstItem, firstItem + 6), [
    '  - from: kube-system/kube-dns',
    '    to: shop/api',
    '    expect: deny',
    '  - from: kube-system/kube-dns',
    '    to: shop/cache',
    '    expect: deny',
  ]);
  assert.ok(
    shop.text.includes('  - from: "tools/report[Job]"\n    to: shop/web\n    expect: allow # TCP 8080\n'),
  );
  const recorded = analyse(shop.text);
  assert.equal(recorded.expectations().filter((r) => r.document.uri === EXTRA).length, 44);
  assert.deepEqual(recorded.allDiagnostics(), []);
  // Remove the web's opening: all 7 recorded "→ shop/web: allow" pairs are now violated.
  const policies = fileOf(SHOP, 'policies/shop.yaml');
  const closed = SHOP.map((f) =>
    f === policies ? { ...f, text: f.text.replace('    - ports:\n        - port: 8080\n', '') } : f,
  );
  const violated = analyse(shop.text, closed)
    .allDiagnostics()
    .filter((p) => p.code === 'netpol.expectation-violated');
  assert.equal(violated.filter((p) => p.uri === EXTRA).length, 7);
  // The fixture's contract also promised 203.0.113.7 → shop/web on 8080/TCP.
  assert.equal(violated.filter((p) => p.uri !== EXTRA).length, 1);
});

test('the snippet for a new document offers the workspace peers and expands to a checked expectation', () => {
  const analysis = serviceOf(SHOP).state().analysis;
  const [snippet] = serviceOf([...SHOP, { uri: EXTRA, text: '' }])
    .completions(EXTRA, 0)
    .filter((i) => i.label.startsWith('ConnectivityExpectations'));
  assert.ok(snippet, 'offered in an empty file');
  assert.match(
    snippet.insertText,
    /from: \$\{2\|kube-system\/kube-dns,shop\/api,shop\/cache,shop\/db,shop\/web,tools\/debug\|\}/,
  );
  // The first choice of each placeholder, as accepting the snippet with Tab would give.
  const expanded = snippet.insertText
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace('$0', '');
  assert.equal(analysis.model.policies.length, 5);
  const [result] = analyse(expanded)
    .expectations()
    .filter((r) => r.document.uri === EXTRA);
  // kube-dns → kube-dns on 80/TCP: one peer with itself, denied by nothing; "deny" is violated.
  assert.equal(result.status, 'violated');
  assert.equal(
    result.message.split(':')[0],
    'Expected kube-system/kube-dns → kube-system/kube-dns on 80/TCP to be denied, but it is allowed',
  );
});
