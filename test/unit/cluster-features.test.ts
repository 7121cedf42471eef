// Editor features and diagnostics on cluster-scoped policies: CRD validation worded like the API server,
// the lints, hovers, outline and code lenses, and the warning for unanalysed policy kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, type SourceFile } from '../../server/src/core/index';
import { serviceOf } from '../support/convert';
import { loadFixture } from '../support/fixtures';

const URI = 'file:///w/policies.yaml';

function diagnostics(text: string) {
  return serviceOf([{ uri: URI, text }]).allDiagnostics();
}

function diagnosticsOf(files: SourceFile[]) {
  return serviceOf(files).allDiagnostics();
}

function messages(text: string, code: string): string[] {
  return diagnostics(text)
    .filter((p) => p.code === code)
    .map((p) => p.message);
}

const ANP = (spec: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata:
  name: guard
spec:
${spec}`;

test('CRD validation: priority, action, exactly one of, CIDR, port range, with the API server wording', () => {
  const text = ANP(`  priority: 1001
  subject:
    namespaces: {}
    pods: {namespaceSelector: {}, podSelector: {}}
  ingress:
    - action: Alow
      from: [{namespaces: {}}]
  egress:
    - action: Deny
      to: [{networks: ["10.0.0.0/33"]}]
      ports: [{portRange: {start: 90, end: 80}}]
`);
  assert.deepEqual(messages(text, 'netpol.cluster-out-of-range'), [
    'spec.priority: Invalid value: 1001: spec.priority in body should be less than or equal to 1000',
    'spec.egress[0].ports[0].portRange: Invalid value: "90-80": end may not be less than start (the range matches no port)',
  ]);
  assert.deepEqual(messages(text, 'netpol.cluster-unsupported-value'), [
    'spec.ingress[0].action: Unsupported value: "Alow": supported values: "Allow", "Deny", "Pass"',
  ]);
  assert.deepEqual(messages(text, 'netpol.cluster-exactly-one'), [
    'spec.subject: Invalid value: "object": spec.subject in body should have at most 1 properties (exactly one of namespaces, pods)',
  ]);
  assert.deepEqual(messages(text, 'netpol.cluster-invalid-cidr'), [
    'spec.egress[0].to[0].networks[0]: Invalid value: "string": Invalid CIDR format provided',
  ]);
});

test('CRD validation: v1alpha2 needs tier and start < end; 25 rules at most; BANP named default', () => {
  const rules = Array.from({ length: 26 }, () => '    - {action: Deny, from: [{namespaces: {}}]}').join('\n');
  const cnp = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata:
  name: c
spec:
  priority: 5
  subject: {namespaces: {}}
  ingress:
${rules}
  egress:
    - action: Accept
      to: [{namespaces: {}}]
      protocols: [{tcp: {destinationPort: {range: {start: 80, end: 80}}}}]
---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: baseline
spec:
  subject: {namespaces: {}}
`;
  assert.deepEqual(messages(cnp, 'netpol.cluster-required'), ['spec.tier: Required value']);
  assert.deepEqual(messages(cnp, 'netpol.cluster-too-many'), [
    'spec.ingress: Too many: 26: must have at most 25 items',
  ]);
  assert.deepEqual(messages(cnp, 'netpol.cluster-out-of-range'), [
    'spec.egress[0].protocols[0].tcp.destinationPort.range: Invalid value: "object": Start port must be less than End port',
  ]);
  assert.match(
    messages(cnp, 'netpol.banp-singleton')[0],
    /Only one baseline admin network policy with metadata\.name="default"/,
  );
});

test('the worked examples are free of errors', () => {
  for (const example of ['e1-priority', 'e4-deny-above-networkpolicy', 'e6-ports', 'e8-baseline-pass']) {
    const problems = diagnosticsOf(loadFixture(`cluster-policies/${example}`));
    assert.deepEqual(
      problems.filter((p) => p.severity === 'error').map((p) => p.message),
      [],
      example,
    );
  }
});

test('a nodes or domainNames peer is reported where it is written and matches nothing', () => {
  const text = ANP(`  priority: 10
  subject: {namespaces: {}}
  egress:
    - action: Deny
      to: [{nodes: {}}]
`);
  const found = diagnostics(text).filter((p) => p.code === 'netpol.cluster-peer-not-evaluated');
  assert.equal(found.length, 1);
  assert.equal(text.slice(found[0].range.start.offset, found[0].range.end.offset), '{nodes: {}}');
});

test('equal priorities of overlapping policies are reported on both', () => {
  const text = loadFixture('cluster-policies/e1-priority')
    .map((f) => f.text)
    .join('---\n')
    .replace('priority: 20', 'priority: 10');
  assert.equal(messages(text, 'netpol.cluster-same-priority').length, 2);
});

test('unanalysed policy kinds: one warning per document, none for ordinary objects', () => {
  const text = `apiVersion: cilium.io/v2
kind: CiliumClusterwideNetworkPolicy
metadata: {name: a}
---
apiVersion: crd.projectcalico.org/v1
kind: GlobalNetworkPolicy
metadata: {name: b}
---
apiVersion: k8s.cni.cncf.io/v1beta1
kind: MultiNetworkPolicy
metadata: {name: c, namespace: x}
---
apiVersion: policy.networking.k8s.io/v1beta1
kind: AdminNetworkPolicy
metadata: {name: d}
---
apiVersion: cilium.io/v2
kind: CiliumIdentity
metadata: {name: e}
`;
  const analysis = analyzeFiles([{ uri: URI, text }]);
  assert.deepEqual(
    analysis.model.unanalysed.map((u) => u.kind),
    ['CiliumClusterwideNetworkPolicy', 'GlobalNetworkPolicy', 'MultiNetworkPolicy', 'AdminNetworkPolicy'],
  );
  const warnings = diagnostics(text).filter((p) => p.code === 'netpol.unanalysed-policy');
  assert.deepEqual(
    warnings.map((w) => w.range.start.line),
    [1, 5, 9, 13],
  );
  assert.equal(analysis.model.clusterPolicies.length, 0);
});

/** Hover markdown without its escapes, to compare with plain text. */
function plain(markdown: string | undefined): string {
  return (markdown ?? '').replace(/\\(.)/g, '$1');
}

test('hover on a cluster policy name, a rule and the subject', () => {
  const files = loadFixture('cluster-policies/e4-deny-above-networkpolicy');
  const service = serviceOf(files);
  const file = files.find((f) => f.uri.endsWith('policies.yaml'))!;
  const at = (needle: string) => file.text.indexOf(needle) + 1;
  const onName = service.hover(file.uri, at('guardrails'));
  assert.match(
    plain(onName?.contents),
    /Admin tier, priority 5: denies ingress to pods app=web in namespaces team=a from all pods in namespaces team=b, on TCP 8080, before any NetworkPolicy/,
  );
  assert.match(plain(onName?.contents), /a\/web/);
  const onRule = service.hover(file.uri, at('allow-c'));
  assert.match(
    plain(onRule?.contents),
    /allows ingress .* from all pods in namespaces team=c, on all ports, before any NetworkPolicy/,
  );
  assert.match(plain(onRule?.contents), /c\/client/);
  const onSubject = service.hover(file.uri, at('subject:'));
  assert.match(plain(onSubject?.contents), /Selects pods app=web in namespaces team=a/);
});

test('outline and code lens of a cluster policy', () => {
  const files = loadFixture('cluster-policies/e6-ports');
  const service = serviceOf(files);
  const file = files.find((f) => f.uri.endsWith('policies.yaml'))!;
  const [symbol] = service.documentSymbols(file.uri);
  assert.equal(symbol.name, 'web-ports');
  assert.equal(symbol.detail, 'AdminNetworkPolicy · Admin tier, priority 10');
  assert.deepEqual(
    symbol.children.map((c) => c.name),
    ['subject', 'ingress'],
  );
  assert.deepEqual(
    symbol.children[1].children.map((c) => c.name),
    ['ingress[0] http-by-name', 'ingress[1] udp-50-60', 'ingress[2] deny-rest'],
  );
  const lenses = service.codeLenses(file.uri);
  assert.deepEqual(
    lenses.map((l) => l.title),
    ['Admin tier, priority 10 · subject: 1 workload · 3 ingress rules · no egress rule'],
  );
});
