// Texts a reader saw and stumbled over, each written down here as it should read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceOf } from '../support/fixtures';

const uri = 'file:///w/a.yaml';
const one = (text: string) => serviceOf([{ uri, text }]);

const POLICIES_ONLY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
    - from: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}]
  egress:
    - to: [{podSelector: {matchLabels: {app: web}}}]
`;

test('lenses count workloads and ipBlocks, say "deny all", and tell inferred pods apart', () => {
  const [lens] = one(POLICIES_ONLY).codeLenses(uri);
  // One ipBlock, although its except cuts it into two address ranges; the pods are inferred.
  assert.equal(
    lens.title,
    'selects 2 inferred pods · ingress from 1 workload and 1 ipBlock · egress unchanged',
  );
  const deny = one(POLICIES_ONLY.replace(/ {2}ingress:[\s\S]*/, '  ingress: []\n')).codeLenses(uri)[0];
  assert.equal(deny.title, 'selects 1 inferred pod · ingress: deny all · egress unchanged');
});

test('explain: one ignored rule is singular; rules and peers are joined alike', () => {
  const text = one(POLICIES_ONLY).explainPolicies()[0].text;
  assert.match(
    text,
    /Egress: not affected by this policy\. Its egress rule is ignored: policyTypes does not include Egress\./,
  );
  assert.match(
    text,
    /allows ingress only from pods app=web in namespace shop, on all ports and protocols; or from addresses 0\.0\.0\.0\/0 except 10\.0\.0\.0\/8, on all ports and protocols/,
  );
  const two = one(POLICIES_ONLY.replace('  egress:\n', '  egress:\n    - to: []\n')).explainPolicies()[0]
    .text;
  assert.match(two, /Its 2 egress rules are ignored/);
});

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: dbb}}
  ingress: []
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress: []
`;

test('can: no connection reads as a sentence, not "All connections allowed: No Connections"', () => {
  const answer = one(PODS).canReach('shop/db', 'shop/web');
  assert.ok(answer.found);
  assert.match(answer.text, /\nNo connection is allowed between them\.$/);
  assert.doesNotMatch(answer.text, /No Connections/);
});

test('selects-nothing lists what the namespace has, not as if the selector selected it', () => {
  const problem = one(PODS)
    .allDiagnostics()
    .find((p) => p.code === 'netpol.selects-nothing');
  assert.equal(
    problem?.message,
    'podSelector app=dbb selects no workload in namespace shop (the namespace has: shop/db[Pod], shop/web[Pod]): the policy has no effect.',
  );
});

// --- Second reading: texts generated from every fixture and the hostile corpus, read as a user would.

const ANP = (priority: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
${priority}  subject: {namespaces: {}}
  ingress:
    - name: deny-b
      action: Deny
      from: [{namespaces: {matchLabels: {team: b}}}]
`;

test('a cluster policy without a priority says so and how it is evaluated, never "priority ?"', () => {
  const service = one(ANP(''));
  const [lens] = service.codeLenses(uri);
  assert.equal(
    lens.title,
    'Admin tier, no priority, evaluated as priority 0 · subject: 1 workload · 1 ingress rule · no egress rule',
  );
  const text = service.explainClusterPolicies()[0].text;
  assert.match(text, /^AdminNetworkPolicy guard \(no priority, evaluated as priority 0\)\n/);
  assert.doesNotMatch(text, /\?/);
  assert.equal(
    one(ANP('  priority: 7\n')).codeLenses(uri)[0].title.split(' · ')[0],
    'Admin tier, priority 7',
  );
});

test('a template says what is not analysed and what that means for the answers', () => {
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ .Values.name }}
  namespace: shop
spec:
  podSelector: {}
`;
  const message = (text: string) =>
    one(text)
      .allDiagnostics()
      .find((p) => p.code === 'netpol.template')?.message;
  assert.equal(
    message(policy),
    'This NetworkPolicy is a Helm/Go template ({{ … }}) whose expressions are only in names, labels or annotations: it is analysed as written.',
  );
  assert.equal(
    message(policy.replace('podSelector: {}', 'podSelector: {{ .Values.selector }}')),
    'This NetworkPolicy is a Helm/Go template ({{ … }}) and cannot be read as written: every answer it could change is unknown. Analyse the rendered output (helm template) instead, or exclude the chart.',
  );
  assert.equal(
    message(policy.replace('kind: NetworkPolicy', 'kind: Deployment')),
    'This Deployment is a Helm/Go template ({{ … }}) and is not analysed: whatever it renders to (pods, namespace labels, policies) is missing from every answer. Analyse the rendered output (helm template) instead.',
  );
  assert.match(
    message(policy.replace('kind: NetworkPolicy', 'kind: {{ .Values.kind }}')) ?? '',
    /^This document is a Helm\/Go template/,
  );
});

test('an unreadable Namespace is named as the cluster-scoped object it is: "Namespace shop"', () => {
  const problem = one(`apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: *missing
`)
    .allDiagnostics()
    .find((p) => p.code === 'netpol.unreadable');
  assert.equal(
    problem?.message,
    'Namespace shop cannot be read (Unresolved alias *missing: no anchor &missing before it in this document, line 5): its labels are unknown, so connections that policies decide by namespace labels are reported as unknown.',
  );
});

const INFERRED = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: api}}}, {podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 5432}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-egress, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{port: 53, protocol: UDP}]
`;

test('inferred and assumed workloads are said in words, without brackets inside brackets', () => {
  const service = one(INFERRED);
  const [db, web] = service.explainPolicies().map((e) => e.text);
  assert.match(db, /Selects pods app=db in namespace shop: the inferred pod shop\/db\[Pod\]\./);
  assert.match(
    db,
    /- spec\.ingress\[0\]: from pods app=api in namespace shop; or pods app=web in namespace shop, on TCP 5432 \(matches the inferred pods shop\/api\[Pod\], shop\/web\[Pod\]\)/,
  );
  assert.match(web, /on UDP 53 \(matches the assumed cluster DNS kube-system\/kube-dns\[Deployment\]\)/);
  const dns = service.allDiagnostics().find((p) => p.code === 'netpol.dns-egress-missing');
  assert.equal(
    dns?.message,
    'spec.egress[0] allows cluster DNS (kube-system/kube-dns) on UDP 53 but not on TCP 53 (for the inferred pod shop/web[Pod]): DNS falls back to TCP for large answers, so lookups fail.',
  );
  for (const text of [db, web, dns?.message ?? '']) assert.doesNotMatch(text, /\([^()]*\([^()]*\)[^()]*\)/);
});

test('a policy that selects nothing is summed up without "of 0 workloads"', () => {
  const text = one(
    INFERRED.split('---')[0]
      .replace('app: db}}\n', 'app: db}}\n  policyTypes: [Ingress]\n')
      .replace(/ {2}ingress:[\s\S]*/, '  ingress: []\n'),
  ).explainPolicies()[0].text;
  assert.match(text, /denies all ingress of 1 workload/);
  const none = one(PODS).explainPolicies()[0].text;
  assert.match(
    none,
    /denies all ingress of the pods it selects \(none in the workspace\); egress unchanged\./,
  );
  assert.doesNotMatch(none, /of 0 workloads/);
});

test('can: what is allowed between the two reads as a sentence; Pass rules say who decides next', () => {
  const allowed = one(INFERRED).canReach('shop/api', 'shop/db');
  assert.ok(allowed.found);
  assert.match(allowed.text, /\nEverything allowed between them: TCP 5432$/);
  const pass = one(ANP('  priority: 3\n').replace('action: Deny', 'action: Pass')).explainClusterPolicies()[0]
    .text;
  assert.match(pass, /on all ports, leaving the decision to the NetworkPolicies/);
  assert.doesNotMatch(pass, /ports on to/);
});
