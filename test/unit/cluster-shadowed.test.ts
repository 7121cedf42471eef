// netpol.cluster-rule-shadowed: a cluster rule whose traffic earlier rules (of its policy, of policies of
// higher precedence, or a Pass) already decide. Expected messages are written down from the spec's
// evaluation order (§1), not taken from the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceFile } from '../../server/src/core/index';
import { serviceOf } from '../support/convert';
import { loadFixture } from '../support/fixtures';
import { toSarif } from '../../server/src/cli/sarif';

const CODE = 'netpol.cluster-rule-shadowed';
const BASE = loadFixture('cluster-policies/e1-priority').filter((f) =>
  f.uri.endsWith('namespaces-and-pods.yaml'),
);

function shadowed(policies: string): { message: string; at: string }[] {
  const files: SourceFile[] = [...BASE, { uri: 'file:///w/policies.yaml', text: policies }];
  return serviceOf(files)
    .allDiagnostics()
    .filter((p) => p.code === CODE)
    .map((p) => ({ message: p.message, at: policies.slice(p.range.start.offset, p.range.end.offset) }));
}

const ANP = (
  name: string,
  priority: number,
  ingress: string,
) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: ${name}}
spec:
  priority: ${priority}
  subject: {namespaces: {matchLabels: {team: a}}}
  ingress:
${ingress}`;

const FROM_B = 'from: [{namespaces: {matchLabels: {team: b}}}]';

test('the E1 example: allow-from-b at priority 20 is decided by deny-from-b at priority 10', () => {
  const files = loadFixture('cluster-policies/e1-priority');
  const found = serviceOf(files)
    .allDiagnostics()
    .filter((p) => p.code === CODE);
  assert.deepEqual(
    found.map((p) => p.message),
    [
      'This rule never decides anything: all the ingress traffic it matches in this workspace is already decided by deny-from-b (spec.ingress[0]) of AdminNetworkPolicy deny-b. Put it first, or narrow what decides before it.',
    ],
  );
  assert.ok(found[0].uri.endsWith('/policies.yaml'));
});

test('an earlier rule of the same policy that covers the later one', () => {
  const found = shadowed(
    ANP(
      'guard',
      10,
      `    - {name: deny-b, action: Deny, ${FROM_B}}
    - {name: allow-b-http, action: Allow, ${FROM_B}, ports: [{portNumber: {port: 8080}}]}
`,
    ),
  );
  assert.deepEqual(found, [
    {
      message:
        'This rule never decides anything: all the ingress traffic it matches in this workspace is already decided by deny-b (spec.ingress[0]). Put it first, or narrow what decides before it.',
      at: 'Allow',
    },
  ]);
});

test('the other order, and a partial overlap, are fine', () => {
  assert.deepEqual(
    shadowed(
      ANP(
        'guard',
        10,
        `    - {name: allow-b-http, action: Allow, ${FROM_B}, ports: [{portNumber: {port: 8080}}]}
    - {name: deny-b, action: Deny, ${FROM_B}}
`,
      ),
    ),
    [],
  );
  assert.deepEqual(
    shadowed(
      ANP(
        'guard',
        10,
        `    - {name: deny-b-http, action: Deny, ${FROM_B}, ports: [{portNumber: {port: 8080}}]}
    - {name: allow-all, action: Allow, from: [{namespaces: {}}]}
`,
      ),
    ),
    [],
  );
});

test('a Pass hides the rest of the Admin tier; a Baseline rule under an Admin Deny is dead', () => {
  const pass = shadowed(
    `${ANP('pass-b', 5, `    - {name: pass-from-b, action: Pass, ${FROM_B}}\n`)}---
${ANP('deny-b', 50, `    - {name: deny-from-b, action: Deny, ${FROM_B}}\n`)}`,
  );
  assert.deepEqual(
    pass.map((p) => p.message),
    [
      'This rule never decides anything: all the ingress traffic it matches in this workspace is already decided by pass-from-b (spec.ingress[0]) of AdminNetworkPolicy pass-b. Put it first, or narrow what decides before it.',
    ],
  );
  const baseline = shadowed(
    `${ANP('deny-b', 5, `    - {name: deny-from-b, action: Deny, ${FROM_B}}\n`)}---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: default}
spec:
  subject: {namespaces: {matchLabels: {team: a}}}
  ingress:
    - {name: allow-b, action: Allow, ${FROM_B}}
    - {name: deny-rest, action: Deny, from: [{namespaces: {}}]}
`,
  );
  assert.deepEqual(
    baseline.map((p) => p.message),
    [
      'This rule never decides anything: all the ingress traffic it matches in this workspace is already decided by deny-from-b (spec.ingress[0]) of AdminNetworkPolicy deny-b. Put it first, or narrow what decides before it.',
    ],
  );
});

test('a rule that matches no workload of the workspace is not called shadowed', () => {
  assert.deepEqual(
    shadowed(
      ANP(
        'guard',
        10,
        `    - {name: deny-all, action: Deny, from: [{namespaces: {}}]}
    - {name: allow-z, action: Allow, from: [{namespaces: {matchLabels: {team: z}}}]}
`,
      ),
    ),
    [],
  );
});

test('SARIF: the cluster-policy diagnostics come with their rule metadata', () => {
  const files = loadFixture('cluster-policies/e1-priority');
  const problems = serviceOf(files).allDiagnostics();
  const run = (
    toSarif(problems, '0.0.0', '/w') as {
      runs: {
        tool: {
          driver: { rules: { id: string; shortDescription: { text: string }; help: { text: string } }[] };
        };
        results: { ruleId: string; ruleIndex: number; level: string }[];
      }[];
    }
  ).runs[0];
  const rules = run.tool.driver.rules;
  for (const code of [
    'netpol.cluster-rule-shadowed',
    'netpol.cluster-same-priority',
    'netpol.cluster-pass-no-effect',
    'netpol.cluster-networks-cover-pods',
    'netpol.admin-overrides-default-deny',
    'netpol.cluster-peer-not-evaluated',
    'netpol.cluster-out-of-range',
    'netpol.banp-singleton',
    'netpol.unanalysed-policy',
  ]) {
    const rule = rules.find((r) => r.id === code);
    assert.ok(rule, code);
    assert.ok(rule.shortDescription.text.length > 10 && rule.help.text.length > 10, code);
  }
  const shadowed = run.results.find((r) => r.ruleId === CODE);
  assert.ok(shadowed);
  assert.equal(shadowed.level, 'warning');
  assert.equal(rules[shadowed.ruleIndex].id, CODE);
});
