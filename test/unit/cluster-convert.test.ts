// The quick-fix that converts an AdminNetworkPolicy or BaselineAdminNetworkPolicy into the equivalent
// ClusterNetworkPolicy (spec §3): on every fixture with cluster policies (the worked examples and the
// e2e-model truth tables), applying every conversion leaves the connectivity list unchanged and adds no
// error; the converted text is checked on one example written down by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { analyzeFiles, formatReachability, type SourceFile } from '../../server/src/core/index';
import { convertAll, serviceOf } from '../support/convert';
import { loadFixture } from '../support/fixtures';

const OPTIONS = { implicitDns: false, inferPods: false };

function errorsOf(files: SourceFile[]): string[] {
  return serviceOf(files, OPTIONS)
    .allDiagnostics()
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.code} ${p.message}`);
}

function assertUnchanged(label: string, files: SourceFile[]): number {
  const before = formatReachability(analyzeFiles(files, OPTIONS), 'txt');
  const { files: after, converted } = convertAll(files, OPTIONS);
  assert.equal(formatReachability(analyzeFiles(after, OPTIONS), 'txt'), before, label);
  assert.deepEqual(errorsOf(after), errorsOf(files), `${label}: the conversion adds errors`);
  const again = convertAll(after, OPTIONS);
  assert.equal(again.converted, 0, `${label}: something is left to convert`);
  return converted;
}

const EXAMPLES = join(__dirname, '..', '..', 'test-fixtures', 'cluster-policies');
const MODEL = join(__dirname, '..', 'e2e-model');

test('converting every AdminNetworkPolicy and BaselineAdminNetworkPolicy keeps each connectivity list', () => {
  let converted = 0;
  for (const example of readdirSync(EXAMPLES))
    converted += assertUnchanged(example, loadFixture(`cluster-policies/${example}`));
  for (const folder of ['three-tier', 'secure-app', 'db-policy', 'default-deny-dns', 'namespace-isolation'])
    converted += assertUnchanged(folder, loadFixture(folder));
  const base = readFileSync(join(MODEL, 'base.yaml'), 'utf8');
  for (const file of readdirSync(join(MODEL, 'cases'))) {
    const policies = (parse(readFileSync(join(MODEL, 'cases', file), 'utf8')) as { policies: string })
      .policies;
    converted += assertUnchanged(file, [
      { uri: 'file:///base.yaml', text: base },
      { uri: 'file:///case.yaml', text: policies },
    ]);
  }
  assert.ok(converted >= 25, `only ${converted} policies converted`);
});

test('the converted text of E6 (named port, port range) and of a baseline', () => {
  const files = loadFixture('cluster-policies/e6-ports');
  const policies = convertAll(files).files.find((f) => f.uri.endsWith('policies.yaml'))!.text;
  assert.equal(
    policies,
    `# E6. Ports, ranges and named ports (namedPort is in the experimental CRD).
apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: web-ports
spec:
  tier: Admin
  priority: 10
  subject:
    pods:
      namespaceSelector:
        matchLabels:
          team: a
      podSelector:
        matchLabels:
          app: web
  ingress:
    - name: http-by-name
      action: Accept
      from:
        - namespaces:
            matchLabels:
              team: b
      protocols:
        - destinationNamedPort: http
    - name: udp-50-60
      action: Accept
      from:
        - namespaces:
            matchLabels:
              team: b
      protocols:
        - udp:
            destinationPort:
              range:
                start: 50
                end: 60
    - name: deny-rest
      action: Deny
      from:
        - namespaces:
            matchLabels:
              team: b
`,
  );
  const banp = convertAll(loadFixture('cluster-policies/e5-baseline-under-networkpolicy')).files.find((f) =>
    f.uri.endsWith('policies.yaml'),
  )!.text;
  assert.ok(
    banp.includes(
      'kind: ClusterNetworkPolicy\nmetadata:\n  name: default\nspec:\n  tier: Baseline\n  priority: 1000\n',
    ),
    banp,
  );
});

test('no conversion through anchors or beyond the v1alpha2 limits', () => {
  const anchored = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: a}
spec:
  priority: 1
  subject: &all {namespaces: {}}
  ingress: [{action: Deny, from: [*all]}]
`;
  assert.equal(convertAll([{ uri: 'file:///a.yaml', text: anchored }]).converted, 0);
  const rules = Array.from({ length: 26 }, () => '    - {action: Deny, from: [{namespaces: {}}]}').join('\n');
  const big = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: a}
spec:
  priority: 1
  subject: {namespaces: {}}
  ingress:
${rules}
`;
  assert.equal(convertAll([{ uri: 'file:///a.yaml', text: big }]).converted, 0);
});

test('a BaselineAdminNetworkPolicy not named default is not converted: it would start to decide', () => {
  // The API server rejects it, so it decides nothing; a Baseline ClusterNetworkPolicy of that name would
  // deny c/client -> a/web (allowed by the default today).
  const base = loadFixture('cluster-policies/e1-priority').filter((f) =>
    f.uri.endsWith('namespaces-and-pods.yaml'),
  );
  const banp = (name: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: ${name}}
spec:
  subject: {namespaces: {matchLabels: {team: a}}}
  ingress:
    - {name: deny-c, action: Deny, from: [{namespaces: {matchLabels: {team: c}}}]}
`;
  const files = (name: string) => [...base, { uri: 'file:///w/banp.yaml', text: banp(name) }];
  assert.equal(convertAll(files('other'), OPTIONS).converted, 0);
  assert.equal(assertUnchanged('default', files('default')), 1);
});
