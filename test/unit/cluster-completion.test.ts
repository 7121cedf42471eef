// Completion and go to definition in cluster-scoped policies, through the language service: kinds and
// apiVersions, each kind's fields and actions, tiers, protocols, container port names, and label keys and
// values of the workspace in subjects and peers; definition from subjects and peers to what they select.
// The expected lists are written down from the spec (§2) and the fixture's manifests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceOf } from '../support/convert';
import { loadFixture, withCursor } from '../support/fixtures';

const BASE = loadFixture('cluster-policies/e1-priority').filter((f) =>
  f.uri.endsWith('namespaces-and-pods.yaml'),
);
const URI = 'file:///w/new.yaml';

function labels(marked: string): string[] {
  const { text, offset } = withCursor(marked);
  return serviceOf([...BASE, { uri: URI, text }])
    .completions(URI, offset)
    .map((i) => i.label);
}

const ANP_HEAD = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
`;
const CNP_HEAD = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
`;
const BANP_HEAD = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
`;

test('kind offers the policy kinds; apiVersion the version of the written kind', () => {
  assert.deepEqual(labels('apiVersion: policy.networking.k8s.io/v1alpha1\nkind: |\n'), [
    'NetworkPolicy',
    'AdminNetworkPolicy',
    'BaselineAdminNetworkPolicy',
    'ClusterNetworkPolicy',
  ]);
  assert.deepEqual(labels('apiVersion: |\nkind: ClusterNetworkPolicy\n'), [
    'policy.networking.k8s.io/v1alpha2',
  ]);
  assert.deepEqual(labels('apiVersion: |\nkind: BaselineAdminNetworkPolicy\n'), [
    'policy.networking.k8s.io/v1alpha1',
  ]);
  assert.deepEqual(labels('apiVersion: |\nkind: Deployment\n'), []);
});

test('spec fields per kind, and tier only for ClusterNetworkPolicy', () => {
  assert.deepEqual(labels(`${ANP_HEAD}  |\n`), ['priority', 'subject', 'ingress', 'egress']);
  assert.deepEqual(labels(`${BANP_HEAD}  |\n`), ['subject', 'ingress', 'egress']);
  assert.deepEqual(labels(`${CNP_HEAD}  priority: 10\n  |\n`), ['tier', 'subject', 'ingress', 'egress']);
  assert.deepEqual(labels(`${CNP_HEAD}  tier: |\n`), ['Admin', 'Baseline']);
});

test('actions per kind: Allow/Deny/Pass, Allow/Deny, Accept/Deny/Pass', () => {
  const rule = '  ingress:\n    - action: |\n';
  assert.deepEqual(labels(`${ANP_HEAD}${rule}`), ['Allow', 'Deny', 'Pass']);
  assert.deepEqual(labels(`${BANP_HEAD}${rule}`), ['Allow', 'Deny']);
  assert.deepEqual(labels(`${CNP_HEAD}${rule}`), ['Accept', 'Deny', 'Pass']);
});

test('subject, rule, peer and port keys', () => {
  assert.deepEqual(labels(`${ANP_HEAD}  subject:\n    |\n`), ['namespaces', 'pods']);
  assert.deepEqual(labels(`${ANP_HEAD}  subject:\n    pods:\n      |\n`), [
    'namespaceSelector',
    'podSelector',
  ]);
  assert.deepEqual(labels(`${ANP_HEAD}  egress:\n    - action: Deny\n      |\n`), ['name', 'to', 'ports']);
  assert.deepEqual(labels(`${CNP_HEAD}  ingress:\n    - action: Deny\n      |\n`), [
    'name',
    'from',
    'protocols',
  ]);
  assert.deepEqual(labels(`${ANP_HEAD}  ingress:\n    - from:\n        - |\n`), ['namespaces', 'pods']);
  assert.deepEqual(labels(`${ANP_HEAD}  egress:\n    - to:\n        - |\n`), [
    'namespaces',
    'pods',
    'networks',
    'nodes',
    'domainNames',
  ]);
  assert.deepEqual(labels(`${BANP_HEAD}  egress:\n    - to:\n        - |\n`), [
    'namespaces',
    'pods',
    'networks',
    'nodes',
  ]);
  assert.deepEqual(labels(`${ANP_HEAD}  ingress:\n    - ports:\n        - |\n`), [
    'portNumber',
    'portRange',
    'namedPort',
  ]);
  assert.deepEqual(labels(`${ANP_HEAD}  ingress:\n    - ports:\n        - portRange:\n            |\n`), [
    'protocol',
    'start',
    'end',
  ]);
  assert.deepEqual(labels(`${ANP_HEAD}  ingress:\n    - ports:\n        - portNumber: {protocol: |}\n`), [
    'TCP',
    'UDP',
    'SCTP',
  ]);
  assert.deepEqual(labels(`${CNP_HEAD}  ingress:\n    - protocols:\n        - |\n`), [
    'tcp',
    'udp',
    'sctp',
    'destinationNamedPort',
  ]);
  assert.deepEqual(
    labels(
      `${CNP_HEAD}  ingress:\n    - protocols:\n        - tcp:\n            destinationPort:\n              |\n`,
    ),
    ['number', 'range'],
  );
});

test('container port names of the workspace for named ports', () => {
  assert.deepEqual(labels(`${ANP_HEAD}  ingress:\n    - ports:\n        - namedPort: |\n`), ['dns', 'http']);
  assert.deepEqual(labels(`${CNP_HEAD}  ingress:\n    - protocols:\n        - destinationNamedPort: |\n`), [
    'dns',
    'http',
  ]);
});

test('label keys and values: namespaces for namespace selectors, workloads for podSelector', () => {
  assert.deepEqual(labels(`${ANP_HEAD}  subject:\n    namespaces:\n      matchLabels:\n        |\n`), [
    'kubernetes.io/metadata.name',
    'team',
  ]);
  assert.deepEqual(labels(`${ANP_HEAD}  subject:\n    namespaces:\n      matchLabels:\n        team: |\n`), [
    'a',
    'b',
    'c',
  ]);
  assert.deepEqual(
    labels(
      `${ANP_HEAD}  ingress:\n    - from:\n        - pods:\n            podSelector:\n              matchLabels:\n                app: |\n`,
    ),
    ['client', 'web'],
  );
  assert.deepEqual(
    labels(
      `${CNP_HEAD}  egress:\n    - to:\n        - pods:\n            namespaceSelector:\n              matchExpressions:\n                - {key: team, operator: In, values: [|]}\n`,
    ),
    ['a', 'b', 'c'],
  );
});

test('definition: subject and peers lead to the workloads (and namespaces) they select; back from a workload', () => {
  const files = loadFixture('cluster-policies/e4-deny-above-networkpolicy');
  const service = serviceOf(files);
  const policies = files.find((f) => f.uri.endsWith('/policies.yaml'))!;
  const base = files.find((f) => f.uri.endsWith('/namespaces-and-pods.yaml'))!;
  const at = (needle: string) => policies.text.indexOf(needle) + needle.length - 2;
  const shown = (offset: number, uri = policies.uri) =>
    service.definition(uri, offset).map((l) => {
      const file = files.find((f) => f.uri === l.uri)!;
      const line = file.text.slice(0, l.range.start.offset).split('\n').length;
      return `${file.uri.split('/').pop()}:${line}:${file.text.slice(l.range.start.offset, l.range.end.offset)}`;
    });
  // subject.pods.podSelector app=web in team=a: the pod a/web (metadata.name on line 28 of the base).
  assert.deepEqual(shown(at('podSelector: {matchLabels: {app: web}}')), ['namespaces-and-pods.yaml:28:web']);
  // subject.pods.namespaceSelector team=a: the namespace a.
  assert.deepEqual(shown(at('subject: {pods: {namespaceSelector: {matchLabels: {team: a}}')), [
    'namespaces-and-pods.yaml:7:a',
  ]);
  // A `namespaces` peer team=c: the pods of c, and c itself.
  assert.deepEqual(shown(at('from: [{namespaces: {matchLabels: {team: c}}')), [
    'namespaces-and-pods.yaml:21:c',
    'namespaces-and-pods.yaml:52:client',
  ]);
  // From the pod c/client back: the peer that selects it.
  const back = service.references(base.uri, base.text.lastIndexOf('name: client') + 7);
  assert.ok(
    back.some(
      (l) =>
        l.uri === policies.uri &&
        policies.text.slice(l.range.start.offset, l.range.end.offset).includes('team: c'),
    ),
    JSON.stringify(back),
  );
});
