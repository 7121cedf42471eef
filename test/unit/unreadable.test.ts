// Objects that cannot be read (an unresolved alias, a YAML error, a value of the wrong type) are reported
// where they break, and every answer they could change is unknown: never "allowed" because the broken part
// read as absent. The expected answers below are worked out by hand from test-fixtures/unreadable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeFiles,
  formatReachability,
  type Analysis,
  type SourceFile,
} from '../../server/src/core/index';
import { main } from '../../server/src/cli/main';
import { fileOf, loadFixture, serviceOf } from '../support/fixtures';

const FIXTURE = loadFixture('unreadable');
const noImplicit = { implicitDns: false, inferPods: false };

function withText(suffix: string, text: string): SourceFile[] {
  return FIXTURE.map((f) => (f.uri.endsWith(`/${suffix}`) ? { ...f, text } : f));
}

function ask(analysis: Analysis, from: string, to: string, port?: number) {
  const reach = analysis.reachability;
  const result = reach.query(
    reach.findPeer(from, 'source')!,
    reach.findPeer(to, 'destination')!,
    port ? { port, protocol: 'TCP' } : undefined,
  );
  return result.unknown.length > 0 ? 'unknown' : result.allowed ? 'allowed' : 'denied';
}

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const FOLDER = 'test-fixtures/unreadable';

test('an undefined alias is an error at the alias, and its policy is unreadable, not "from everywhere"', () => {
  const analysis = analyzeFiles(FIXTURE, noImplicit);
  const problems = serviceOf(FIXTURE).allDiagnostics();
  const file = fileOf(FIXTURE, 'web-ingress.yaml');
  const at = (p: { range: { start: { line: number; character: number } } }) =>
    `${p.range.start.line + 1}:${p.range.start.character + 1}`;
  const alias = problems.find((p) => p.code === 'netpol.yaml-syntax');
  assert.ok(alias, JSON.stringify(problems.map((p) => p.message)));
  assert.equal(alias.uri, file.uri);
  assert.equal(at(alias), '9:13'); // `*trusted_peers`
  assert.equal(alias.severity, 'error');
  const unreadable = problems.find((p) => p.code === 'netpol.unreadable');
  assert.ok(unreadable);
  assert.equal(at(unreadable), '5:18'); // the policy's name
  assert.match(unreadable.message, /NetworkPolicy a\/web-from-trusted cannot be read \(Unresolved alias/);
  assert.match(unreadable.message, /namespace a are reported as unknown/);
  // Not analysed from what is left of it.
  assert.deepEqual(
    analysis.model.policies.map((p) => p.name),
    ['to-web-only'],
  );
});

test('answers the unreadable policy could change are unknown; the others stand', () => {
  const analysis = analyzeFiles(FIXTURE, noImplicit);
  // a/web's ingress and egress depend on the policy in namespace a.
  assert.equal(ask(analysis, 'b/client', 'a/web', 80), 'unknown');
  assert.equal(ask(analysis, 'a/web', 'b/db'), 'unknown');
  assert.equal(ask(analysis, '10.0.0.1', 'a/web'), 'unknown');
  // b's egress allows only TCP 80 to a's web pods: whatever a's policy says, 443 is denied.
  assert.equal(ask(analysis, 'b/client', 'a/web', 443), 'denied');
  // Nothing in namespace a is involved.
  assert.equal(ask(analysis, 'b/client', 'b/db'), 'denied');
  assert.equal(ask(analysis, '10.0.0.1', 'b/db'), 'allowed');

  // Once the anchor is written, the answers are known again.
  const fixed = withText(
    'web-ingress.yaml',
    fileOf(FIXTURE, 'web-ingress.yaml').text.replace(
      'from: *trusted_peers',
      'from: &trusted_peers [{namespaceSelector: {matchLabels: {team: data}}, podSelector: {matchLabels: {app: client}}}]',
    ),
  );
  const readable = analyzeFiles(fixed, noImplicit);
  assert.deepEqual(readable.model.unreadable, []);
  assert.equal(ask(readable, 'b/client', 'a/web', 80), 'allowed');
  assert.equal(ask(readable, 'b/db', 'a/web', 80), 'denied');
  assert.equal(ask(readable, '10.0.0.1', 'a/web'), 'denied');
});

test('reach lists only known connections and counts the unknown ones on stderr', async () => {
  const { code, out, err } = await cli('reach', '--no-implicit', '-q', FOLDER);
  assert.equal(code, 1); // the input has errors
  assert.equal(
    out,
    [
      '0.0.0.0-255.255.255.255[External] => b/client[Pod] : All Connections',
      '0.0.0.0-255.255.255.255[External] => b/db[Pod] : All Connections',
      '',
    ].join('\n'),
  );
  // a/web to and from b/client, b/db and the outside world.
  assert.match(err, /6 connection\(s\) are unknown and not listed/);
  assert.match(err, /NetworkPolicy a\/web-from-trusted \(.*web-ingress\.yaml:9:13\): Unresolved alias/);

  const json = JSON.parse(formatReachability(analyzeFiles(FIXTURE, noImplicit), 'json')) as {
    unknown: { src: string; dst: string; because: { object: string }[] }[];
  };
  assert.equal(json.unknown.length, 6);
  assert.ok(json.unknown.every((u) => u.src === 'a/web[Pod]' || u.dst === 'a/web[Pod]'));
  assert.equal(json.unknown[0].because[0].object, 'NetworkPolicy a/web-from-trusted');
});

test('can says UNKNOWN, and why, with exit code 3; explain and hover say the policy cannot be read', async () => {
  const unknown = await cli('can', '-q', FOLDER, '--from', 'b/client', '--to', 'a/web', '--port', '80');
  assert.equal(unknown.code, 3);
  assert.match(unknown.out, /^UNKNOWN: b\/client\[Pod\] => a\/web\[Pod\] on 80\/TCP\n/);
  assert.match(unknown.out, /NetworkPolicy a\/web-from-trusted \(.*:9:13\) cannot be read/);
  const denied = await cli('can', '-q', FOLDER, '--from', 'b/client', '--to', 'a/web', '--port', '443');
  assert.equal(denied.code, 1);
  assert.match(denied.out, /^DENIED/);

  const explained = await cli('explain', '-q', FOLDER);
  assert.match(explained.out, /NetworkPolicy a\/web-from-trusted\n {2}Cannot be read: Unresolved alias/);
  assert.doesNotMatch(explained.out, /everywhere/);

  const file = fileOf(FIXTURE, 'web-ingress.yaml');
  const shown = serviceOf(FIXTURE).hover(file.uri, file.text.indexOf('podSelector'));
  assert.ok(shown);
  assert.match(shown.contents, /Cannot be read/);
});

/** A policy in namespace a that selects a/web, with `rule` as its only ingress rule. */
function policyWith(rule: string): SourceFile[] {
  return withText(
    'web-ingress.yaml',
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-from-trusted, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
${rule}`,
  );
}

// Relatives: every way a broken part could read as "absent" and so widen what the policy allows.
const RELATIVES: [string, string][] = [
  ['a string where the peer list belongs', '    - from: "trusted"\n'],
  ['a list where a podSelector belongs', '    - from: [{podSelector: [app=client]}]\n'],
  [
    'a matchExpressions entry that is not a mapping',
    '    - from: [{podSelector: {matchExpressions: [x]}}]\n',
  ],
  ['matchLabels of the wrong type', '    - from: [{podSelector: {matchLabels: [app, client]}}]\n'],
  ['a port list that is a string', '    - from: [{podSelector: {}}]\n      ports: "80"\n'],
  ['an unresolved alias in matchLabels', '    - from: [{podSelector: {matchLabels: *labels}}]\n'],
  ['an unresolved alias as a peer', '    - from: [*peer]\n'],
  ['a YAML syntax error inside the rule', '    - from: [{podSelector: {matchLabels: {app: client}}]\n'],
];

for (const [what, rule] of RELATIVES) {
  test(`unreadable, not widened: ${what}`, () => {
    const analysis = analyzeFiles(policyWith(rule), noImplicit);
    assert.deepEqual(
      analysis.model.policies.map((p) => p.name),
      ['to-web-only'],
      `${what}: read as ${JSON.stringify(analysis.model.policies.map((p) => p.ingress))}`,
    );
    assert.equal(analysis.model.unreadable.length, 1);
    assert.ok(analysis.problems.some((p) => p.code === 'netpol.unreadable' && p.severity === 'error'));
    assert.equal(ask(analysis, '10.0.0.1', 'a/web'), 'unknown');
  });
}

const HIDDEN_KIND: [string, string][] = [
  [
    'an unclosed quote swallows the rest',
    'apiVersion: networking.k8s.io/v1\nkind: "NetworkPolicy\nmetadata: {name: web-from-trusted, namespace: a}\nspec:\n  podSelector: {}\n',
  ],
  [
    'a stray sequence dash',
    '- apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web-from-trusted, namespace: a}\n',
  ],
];

for (const [what, text] of HIDDEN_KIND) {
  test(`a YAML error that hides the kind leaves a NetworkPolicy unknown, in any namespace: ${what}`, () => {
    const analysis = analyzeFiles(withText('web-ingress.yaml', text), noImplicit);
    assert.ok(analysis.problems.some((p) => p.code === 'netpol.yaml-syntax'));
    assert.equal(
      analysis.model.unreadable.length,
      1,
      JSON.stringify(analysis.problems.map((p) => p.message)),
    );
    assert.equal(analysis.model.unreadable[0].kind, 'NetworkPolicy');
    assert.equal(analysis.model.unreadable[0].namespace, undefined);
    // Its namespace cannot be trusted: it may be in b and allow what b's own policy does not.
    assert.equal(ask(analysis, '10.0.0.1', 'b/db'), 'unknown');
    assert.equal(ask(analysis, 'b/client', 'b/db'), 'unknown');
  });
}

test('an unreadable Namespace makes sides that select by namespace labels unknown', () => {
  const workloads = fileOf(FIXTURE, 'workloads.yaml').text.replace(
    'metadata: {name: a, labels: {team: web}}',
    'metadata: {name: a, labels: *team}',
  );
  const files = withText('workloads.yaml', workloads).filter((f) => !f.uri.endsWith('/web-ingress.yaml'));
  const analysis = analyzeFiles(files, noImplicit);
  assert.ok(analysis.problems.some((p) => p.code === 'netpol.unreadable' && /Namespace a/.test(p.message)));
  // b's egress to a/web is decided by a's labels.
  assert.equal(ask(analysis, 'b/client', 'a/web', 80), 'unknown');
  // a/web's own sides are not isolated and do not look at labels.
  assert.equal(ask(analysis, 'a/web', '10.0.0.1'), 'allowed');
});

test('one broken item of a List leaves the other items readable', () => {
  const list = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: broken, namespace: a}
    spec: {podSelector: {}, ingress: [{from: *nowhere}]}
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: fine, namespace: b}
    spec: {podSelector: {}}
`;
  const analysis = analyzeFiles([{ uri: 'file:///list.yaml', text: list }], noImplicit);
  assert.deepEqual(
    analysis.model.policies.map((p) => p.name),
    ['fine'],
  );
  assert.deepEqual(
    analysis.model.unreadable.map((u) => `${u.namespace}/${u.name}`),
    ['a/broken'],
  );
});

test('an unreadable cluster-scoped policy makes every answer unknown, and once readable it decides', () => {
  // Independent of the fixture's own broken policy: only the workloads, plus an AdminNetworkPolicy.
  const workloads = FIXTURE.filter((f) => f.uri.endsWith('/workloads.yaml'));
  const anp = (from: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: deny-from-data}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {team: web}}}
  ingress:
    - name: deny-data
      action: Deny
      from: ${from}
`;
  const broken = analyzeFiles(
    [...workloads, { uri: 'file:///cluster/anp.yaml', text: anp('*data_namespaces') }],
    noImplicit,
  );
  assert.deepEqual(
    broken.model.unreadable.map((u) => `${u.kind} ${u.name}`),
    ['AdminNetworkPolicy deny-from-data'],
  );
  assert.deepEqual(broken.model.clusterPolicies, []);
  assert.ok(
    broken.problems.some((p) => p.code === 'netpol.unreadable' && /AdminNetworkPolicy/.test(p.message)),
  );
  // Without the policy every one of these is allowed (no NetworkPolicy selects anything); with a broken
  // Admin policy, none of them may be read as allowed.
  assert.equal(ask(broken, 'b/client', 'a/web', 80), 'unknown');
  assert.equal(ask(broken, 'b/client', 'b/db'), 'unknown');
  assert.equal(ask(broken, 'a/web', '10.0.0.1'), 'unknown');

  const readable = analyzeFiles(
    [
      ...workloads,
      { uri: 'file:///cluster/anp.yaml', text: anp('[{namespaces: {matchLabels: {team: data}}}]') },
    ],
    noImplicit,
  );
  assert.deepEqual(readable.model.unreadable, []);
  assert.equal(ask(readable, 'b/client', 'a/web', 80), 'denied');
  assert.equal(ask(readable, 'b/client', 'b/db'), 'allowed');
  assert.equal(ask(readable, 'a/web', '10.0.0.1'), 'allowed');
});

test('an ipBlock whose except is not a CIDR admits nothing, never the addresses the except keeps out', () => {
  const workloads = FIXTURE.filter((f) => f.uri.endsWith('/workloads.yaml'));
  const policy = (except: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-egress, namespace: a}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to: [{ipBlock: {cidr: 0.0.0.0/0, except: [${except}]}}]
`;
  const analyse = (except: string) =>
    analyzeFiles([...workloads, { uri: 'file:///w/egress.yaml', text: policy(except) }], noImplicit);
  const valid = analyse('169.254.0.0/16');
  assert.equal(ask(valid, 'a/web', '169.254.169.254'), 'denied');
  assert.equal(ask(valid, 'a/web', '8.8.8.8'), 'allowed');
  // The API server rejects `/99`; read without the except, the block would open 169.254.169.254.
  const invalid = analyse('169.254.0.0/99');
  assert.equal(ask(invalid, 'a/web', '169.254.169.254'), 'denied');
  assert.equal(ask(invalid, 'a/web', '8.8.8.8'), 'denied');
});
