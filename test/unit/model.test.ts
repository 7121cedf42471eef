import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../../server/src/core/index';

function analyze(text: string, options = {}) {
  return analyzeFiles([{ uri: 'file:///w/a.yaml', text }], options);
}

function slice(text: string, range: { start: { offset: number }; end: { offset: number } }): string {
  return text.slice(range.start.offset, range.end.offset);
}

const POLICY = `# leading comment
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-allow
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              team: ops
          podSelector:
            matchExpressions:
              - { key: role, operator: In, values: [probe, monitor] }
      ports:
        - port: 8080
          endPort: 8090
        - protocol: UDP
`;

test('every model element keeps its exact source range', () => {
  const a = analyze(POLICY);
  assert.deepEqual(a.problems, []);
  const [policy] = a.model.policies;
  assert.equal(policy.name, 'web-allow');
  assert.equal(slice(POLICY, policy.nameRange!), 'web-allow');
  assert.equal(policy.nameRange!.start.line, 4);
  assert.equal(policy.nameRange!.start.character, 8);
  assert.equal(slice(POLICY, policy.podSelector.range).trim(), 'matchLabels:\n      app: web');
  const rule = policy.ingress[0];
  const peer = rule.peers![0];
  assert.match(slice(POLICY, peer.range), /^namespaceSelector:/);
  assert.equal(
    slice(POLICY, peer.podSelector!.matchExpressions[0].range),
    '{ key: role, operator: In, values: [probe, monitor] }',
  );
  assert.equal(slice(POLICY, rule.ports![1].range).trim(), 'protocol: UDP');
  assert.equal(rule.ports![0].endPort, 8090);
  assert.equal(rule.ports![1].port, undefined);
  assert.equal(rule.ports![0].protocol, 'TCP');
});

test('effective policyTypes follow the API defaulting', () => {
  const doc = (name: string, spec: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: ns1}\nspec:\n${spec}`;
  const a = analyze(
    [
      doc('omitted-ingress-only', '  podSelector: {}\n  ingress: [{}]\n'),
      doc('omitted-with-egress', '  podSelector: {}\n  egress: [{}]\n'),
      doc('omitted-empty-egress', '  podSelector: {}\n  egress: []\n'),
      doc('egress-only', '  podSelector: {}\n  policyTypes: [Egress]\n  ingress: [{}]\n'),
      doc('empty-list', '  podSelector: {}\n  policyTypes: []\n  egress: [{}]\n'),
    ].join('---\n'),
  );
  const affects = Object.fromEntries(a.model.policies.map((p) => [p.name, p.affects]));
  assert.deepEqual(affects, {
    'omitted-ingress-only': { ingress: true, egress: false },
    'omitted-with-egress': { ingress: true, egress: true },
    'omitted-empty-egress': { ingress: true, egress: false },
    'egress-only': { ingress: false, egress: true },
    'empty-list': { ingress: true, egress: true },
  });
});

test('List and *List kinds contribute their items', () => {
  const a = analyze(`apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Namespace
    metadata: {name: one}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicyList
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: p, namespace: one}
    spec: {podSelector: {}}
`);
  assert.deepEqual(a.problems, []);
  assert.deepEqual(
    a.model.policies.map((p) => p.name),
    ['p'],
  );
  assert.ok(a.model.namespaces.some((n) => n.name === 'one' && !n.implicit));
});

test('YAML errors are located problems and the other documents are still analysed', () => {
  const text = `apiVersion: v1
kind: Namespace
metadata: {name: good}
---
apiVersion: v1
kind: Namespace
metadata: {name: "unclosed}
`;
  const a = analyze(text);
  const syntax = a.problems.filter((p) => p.code === 'netpol.yaml-syntax');
  assert.ok(syntax.length >= 1);
  assert.ok(syntax[0].range.start.line >= 4, 'the error points into the second document');
  assert.ok(a.model.namespaces.some((n) => n.name === 'good'));
});

test('non-Kubernetes YAML is ignored quietly', () => {
  const a = analyze('name: CI\non:\n  push: {branches: [main]}\njobs: {build: {runs-on: ubuntu}}\n');
  assert.deepEqual(a.problems, []);
  assert.equal(a.model.policies.length, 0);
  const broken = analyze('just: [a broken\nlist');
  assert.deepEqual(broken.problems, []);
});

test('a Helm template policy is reported once and unreadable, not dropped', () => {
  const a = analyze(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .Release.Name }}-deny
  namespace: {{ .Values.ns | quote }}
spec:
  podSelector: {}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
`);
  const templates = a.problems.filter((p) => p.code === 'netpol.template');
  assert.equal(templates.length, 1);
  assert.equal(templates[0].range.start.line, 0);
  assert.deepEqual(
    a.problems.filter((p) => p.code !== 'netpol.template').map((p) => [p.code, p.range.start.line]),
    [['netpol.unreadable', 3]],
    'no YAML errors for the template; the policy is unreadable, at its name',
  );
  assert.equal(a.model.policies.length, 0);
  assert.deepEqual(
    a.model.unreadable.map((u) => [u.kind, u.namespace]),
    [['NetworkPolicy', undefined]],
  );
  assert.ok(a.model.namespaces.some((n) => n.name === 'plain'));
});

test('wrong types give located problems, and a policy with a value left out is unreadable, not widened', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns1}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: "everyone"
      ports:
        - port: [80]
        - port: 443
    - from:
        - podSelector: {matchLabels: {app: 5}}
`;
  const a = analyze(text);
  const messages = a.problems.map((p) => `${p.range.start.line + 1}: ${p.message}`);
  assert.deepEqual(messages, [
    '3: NetworkPolicy ns1/p cannot be read (spec.ingress[0].from: expected a list, line 7): what it allows is unknown, so connections of the pods in namespace ns1 are reported as unknown, never as allowed.',
    '7: spec.ingress[0].from: expected a list',
    '9: spec.ingress[0].ports[0].port: expected an integer or a string',
    '12: spec.ingress[1].from[0].podSelector.matchLabels.app: expected a string; YAML reads 5 as a number, quote it ("5")',
  ]);
  // Read without its `from`, the first rule would allow ingress from everywhere.
  assert.deepEqual(a.model.policies, []);
  assert.equal(a.model.unreadable.length, 1);
  assert.equal(a.model.unreadable[0].namespace, 'ns1');
  assert.equal(a.model.unreadable[0].reasonRange.start.line, 6);
});

test('a number where a string belongs is read as written: the policy stays readable', () => {
  const a = analyze(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns1}
spec:
  podSelector: {matchLabels: {app: 5}}
`);
  assert.equal(a.model.policies.length, 1);
  assert.deepEqual(a.model.policies[0].podSelector.matchLabels, { app: '5' });
  assert.deepEqual(a.model.unreadable, []);
});

test('workloads: template labels, container ports, default namespace and owners', () => {
  const a = analyze(
    `apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        metadata: {labels: {app: backup}}
        spec:
          containers:
            - name: c
              ports: [{containerPort: 9000, name: metrics}, {containerPort: 53, protocol: UDP}]
---
apiVersion: v1
kind: Pod
metadata:
  name: web-7d9-abcde
  namespace: shop
  labels: {app: web}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-7d9, controller: true, uid: x}
spec: {containers: [{name: c}]}
`,
    { defaultNamespace: 'team-a', implicitDns: false },
  );
  const ids = a.model.workloads.map((w) => w.id);
  assert.deepEqual(ids, ['shop/web-7d9[ReplicaSet]', 'team-a/nightly[CronJob]']);
  const cron = a.model.workloads.find((w) => w.kind === 'CronJob')!;
  assert.deepEqual(cron.labels, { app: 'backup' });
  assert.deepEqual(cron.ports, [
    { name: 'metrics', containerPort: 9000, protocol: 'TCP' },
    { name: undefined, containerPort: 53, protocol: 'UDP' },
  ]);
});

test('namespaces carry the automatic name label; referenced ones exist implicitly', () => {
  const a = analyze(
    `apiVersion: v1
kind: Namespace
metadata: {name: shop, labels: {team: a}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: other}
spec:
  podSelector: {}
  egress:
    - to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
`,
    { implicitDns: false, inferPods: false },
  );
  const byName = Object.fromEntries(a.model.namespaces.map((n) => [n.name, n]));
  assert.deepEqual(byName.shop.labels, { team: 'a', 'kubernetes.io/metadata.name': 'shop' });
  assert.equal(byName.shop.implicit, false);
  assert.deepEqual(byName.other.labels, { 'kubernetes.io/metadata.name': 'other' });
  assert.equal(byName.other.implicit, true);
  assert.equal(byName.monitoring.implicit, true);
});

test('implicit kube-dns unless defined, and switchable', () => {
  const dns = (text: string, options = {}) =>
    analyze(text, options)
      .model.workloads.filter((w) => w.namespace === 'kube-system')
      .map((w) => `${w.id}:${w.implicit}`);
  assert.deepEqual(dns(''), ['kube-system/kube-dns[Deployment]:true']);
  assert.deepEqual(dns('', { implicitDns: false }), []);
  assert.deepEqual(
    dns(`apiVersion: apps/v1
kind: Deployment
metadata: {name: coredns, namespace: kube-system}
spec: {template: {metadata: {labels: {k8s-app: kube-dns}}, spec: {containers: [{name: c}]}}}
`),
    ['kube-system/coredns[Deployment]:false'],
  );
});

test('policy-only namespaces get one inferred pod per distinct selector', () => {
  const a = analyze(
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: app}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: allow, namespace: app}
spec:
  podSelector: {matchLabels: {app: backend}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: frontend}}}]
    - from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: [frontend]}]}}]
`,
    { implicitDns: false },
  );
  const inferred = a.model.workloads.filter((w) => w.inferred).map((w) => w.id);
  assert.deepEqual(inferred, ['app/backend[Pod]', 'app/frontend[Pod]', 'app/pod[Pod]']);
  assert.equal(analyze('', { inferPods: false }).model.workloads.filter((w) => w.inferred).length, 0);
});

test('IPv6 ipBlocks are reported as not analysed', () => {
  const a = analyze(`apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: ns1}
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock: {cidr: 10.0.0.0/8}
        - ipBlock: {cidr: "2001:db8::/32"}
`);
  assert.deepEqual(
    a.problems.map((p) => [p.code, p.severity, p.range.start.line + 1]),
    [['netpol.ipv6', 'warning', 9]],
  );
});

test('a read kind spelt another way (case, plural, spaces) is an error at the kind, not skipped in silence', () => {
  const doc = (kind: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: ${kind}\nmetadata: {name: a, namespace: shop}\nspec: {podSelector: {}}\n`;
  const spellings = ['networkpolicy', 'NetworkPolicies', '"NetworkPolicy "', 'Networkpolicy'];
  const a = analyze(spellings.map(doc).join('---\n'));
  assert.deepEqual(
    a.problems.map((p) => [
      p.code,
      p.range.start.line,
      /NetworkPolicy\); the API server rejects/.test(p.message),
    ]),
    spellings.map((_, i) => ['netpol.type', 1 + 5 * i, true]),
  );
  assert.equal(a.model.policies.length, 0);
  // Kinds no analysis reads stay quiet, spelt any way.
  assert.deepEqual(analyze(doc('configmap').replace('networking.k8s.io/v1', 'v1')).problems, []);
});
