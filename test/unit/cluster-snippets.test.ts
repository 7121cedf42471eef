// The guardrail snippets (v1alpha1 and ClusterNetworkPolicy v1alpha2): offered in an empty document,
// each expands (placeholders at their defaults) to a policy that validates with no diagnostic and gives
// the verdicts its description promises. The verdicts are written down from the snippets' intent, on the
// spec's base workspace (namespaces a, b, c; a/web, b/client, c/client) plus a monitoring namespace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceFile } from '../../server/src/core/index';
import { serviceOf } from '../support/convert';
import { loadFixture } from '../support/fixtures';

const BASE: SourceFile[] = [
  ...loadFixture('cluster-policies/e1-priority').filter((f) => f.uri.endsWith('namespaces-and-pods.yaml')),
  {
    uri: 'file:///w/monitoring.yaml',
    text: `apiVersion: v1
kind: Namespace
metadata: {name: monitoring}
---
apiVersion: v1
kind: Pod
metadata: {name: prometheus, namespace: monitoring, labels: {app: prometheus}}
spec: {containers: [{name: p, image: prom/prometheus}]}
`,
  },
];

const DEFAULT_DENY_A = {
  uri: 'file:///w/default-deny.yaml',
  text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: a}
spec: {podSelector: {}, policyTypes: [Ingress]}
`,
};

const EMPTY = 'file:///w/new.yaml';

/** The guardrail snippets offered in an empty file, by label. */
function snippets(): Map<string, string> {
  const items = serviceOf([...BASE, { uri: EMPTY, text: '' }]).completions(EMPTY, 0);
  return new Map(items.filter((i) => i.sortText?.startsWith('9')).map((i) => [i.label, i.insertText]));
}

/** LSP snippet syntax → the text the editor inserts when every placeholder keeps its default. */
function expand(snippet: string): string {
  return snippet
    .replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1')
    .replace(/\$\{\d+:([^}]*)\}/g, '$1')
    .replace(/\$0/g, '');
}

function verdicts(policy: string, extra: SourceFile[], pairs: [string, string, string?][]): string[] {
  const service = serviceOf([...BASE, ...extra, { uri: EMPTY, text: policy }]);
  const reach = service.state().analysis.reachability;
  return pairs.map(([from, to, port]) => {
    const source = reach.findPeer(from, 'source')!;
    const destination = reach.findPeer(to, 'destination')!;
    assert.ok(source && destination, `${from} -> ${to}`);
    const [number, protocol] = (port ?? '').split('/');
    const query = port ? { port: Number(number), protocol: protocol as 'TCP' } : undefined;
    const allowed = reach.query(source, destination, query).allowed;
    return `${from} -> ${to}${port ? ` ${port}` : ''}: ${allowed ? 'allowed' : 'denied'}`;
  });
}

const LABELS = [
  "AdminNetworkPolicy: deny all but the cluster's own namespaces",
  'AdminNetworkPolicy: allow monitoring everywhere',
  'BaselineAdminNetworkPolicy: default deny',
  "ClusterNetworkPolicy (Admin): deny all but the cluster's own namespaces",
  'ClusterNetworkPolicy (Admin): allow monitoring everywhere',
  'ClusterNetworkPolicy (Baseline): default deny',
];

test('six guardrail snippets are offered in an empty document, after the others', () => {
  assert.deepEqual([...snippets().keys()], LABELS);
});

test('each snippet expands to a policy with no diagnostic (v1alpha1: only the hint to convert)', () => {
  for (const [label, body] of snippets()) {
    const problems = serviceOf([...BASE, { uri: EMPTY, text: expand(body) }])
      .allDiagnostics()
      .filter((p) => p.uri === EMPTY)
      .map((p) => p.code);
    const expected = label.startsWith('ClusterNetworkPolicy') ? [] : ['netpol.cluster-v1alpha1'];
    assert.deepEqual(problems, expected, label);
  }
});

test("deny all but the cluster's own namespaces: pods connect inside the cluster only; kube-system is exempt", () => {
  const pairs: [string, string, string?][] = [
    ['a/web', '8.8.8.8'],
    ['a/web', 'b/client'],
    ['kube-system/kube-dns', '8.8.8.8'],
  ];
  const expected = [
    'a/web -> 8.8.8.8: denied',
    'a/web -> b/client: allowed',
    'kube-system/kube-dns -> 8.8.8.8: allowed',
  ];
  const all = snippets();
  for (const label of [LABELS[0], LABELS[3]]) {
    assert.deepEqual(verdicts(expand(all.get(label)!), [], pairs), expected, label);
  }
});

test('allow monitoring everywhere: through a default deny, only from monitoring', () => {
  const pairs: [string, string, string?][] = [
    ['monitoring/prometheus', 'a/web', '9090/TCP'],
    ['b/client', 'a/web', '9090/TCP'],
  ];
  const expected = ['monitoring/prometheus -> a/web 9090/TCP: allowed', 'b/client -> a/web 9090/TCP: denied'];
  const all = snippets();
  for (const label of [LABELS[1], LABELS[4]]) {
    assert.deepEqual(verdicts(expand(all.get(label)!), [DEFAULT_DENY_A], pairs), expected, label);
  }
});

test('baseline default deny: pods without NetworkPolicies are closed; kube-system stays open', () => {
  const pairs: [string, string, string?][] = [
    ['b/client', 'a/web'],
    ['a/web', 'c/client'],
    ['a/web', 'kube-system/kube-dns', '53/UDP'],
    ['a/web', '8.8.8.8'],
  ];
  const expected = [
    'b/client -> a/web: denied',
    'a/web -> c/client: denied',
    'a/web -> kube-system/kube-dns 53/UDP: allowed',
    'a/web -> 8.8.8.8: allowed',
  ];
  const all = snippets();
  for (const label of [LABELS[2], LABELS[5]]) {
    assert.deepEqual(verdicts(expand(all.get(label)!), [], pairs), expected, label);
  }
});
