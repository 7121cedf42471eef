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
