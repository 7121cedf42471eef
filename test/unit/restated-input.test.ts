// A rule must not restate input another rule already rejected: after the API-server error on a field,
// no other diagnostic echoes the bad value as if it were valid, and explain says the entry is invalid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceOf } from '../support/fixtures';

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c}]}
---
`;

const policy = (rules: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  policyTypes: [Ingress, Egress]
${rules}`;

/** Each case: the rules, the one code that rejects the value, the bad value as it is written. */
const CASES: [string, string, string, string][] = [
  [
    'an unknown protocol',
    '  ingress: [{ports: [{port: 8080, protocol: TCPX}]}]',
    'netpol.invalid-protocol',
    'TCPX',
  ],
  [
    'a lower-case protocol',
    '  ingress: [{ports: [{port: 5432, protocol: tcp}]}]',
    'netpol.invalid-protocol',
    'tcp',
  ],
  [
    'endPort below port',
    '  ingress: [{ports: [{port: 5432, endPort: 5430}]}]',
    'netpol.invalid-end-port',
    '5432-5430',
  ],
  ['a port out of range', '  ingress: [{ports: [{port: 70000}]}]', 'netpol.invalid-port', '70000'],
  ['a numeric port name', '  ingress: [{ports: [{port: "8080"}]}]', 'netpol.invalid-port', '8080'],
  [
    'an invalid CIDR',
    '  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/33}}]}]',
    'netpol.invalid-cidr',
    '10.0.0.0/33',
  ],
  [
    'an invalid except',
    '  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [169.254.0.0/99]}}]}]',
    'netpol.invalid-except',
    '169.254.0.0/99',
  ],
  [
    'an invalid label key',
    '  ingress: [{from: [{podSelector: {matchLabels: {"team name": x}}}]}]',
    'netpol.invalid-label-key',
    'team name',
  ],
];

/** Codes about the workspace as a whole, which do not look at the bad field. */
const UNRELATED = new Set(['netpol.dns-egress-missing', 'netpol.no-default-deny']);

for (const [what, rules, code, value] of CASES) {
  test(`after ${what}, only ${code} speaks of the value`, () => {
    const service = serviceOf([{ uri: 'file:///w/a.yaml', text: PODS + policy(rules) }]);
    const problems = service.allDiagnostics().filter((p) => !UNRELATED.has(p.code));
    assert.deepEqual(
      problems.map((p) => p.code),
      [code],
      problems.map((p) => `${p.code}: ${p.message}`).join('\n'),
    );
    const [explanation] = service.explainPolicies();
    for (const line of explanation.text.split('\n').filter((l) => l.includes(value))) {
      assert.match(line, /invalid/, `explain echoes ${value} as valid: ${line}`);
    }
  });
}

test('explain says what the analysis makes of invalid entries', () => {
  const service = serviceOf([
    {
      uri: 'file:///w/a.yaml',
      text:
        PODS +
        policy(
          '  ingress: [{ports: [{port: 8080, protocol: TCPX}]}]\n  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/33]}}]}]\n',
        ),
    },
  ]);
  const text = service.explainPolicies()[0].text;
  assert.match(text, /on an invalid port entry \(protocol TCPX, port 8080\) that allows nothing/);
  // Leaving the except out would admit what it keeps out: the block matches nothing instead.
  assert.match(text, /to an invalid ipBlock \(except 10\.0\.0\.0\/33 is not a CIDR\) that matches nothing/);
});
