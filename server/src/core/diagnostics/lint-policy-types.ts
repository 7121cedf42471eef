// Lints about policyTypes: rules it makes ineffective, and the API's defaulting when it is omitted.
import { CODES } from '../codes';
import { isSeq } from 'yaml';
import type { Analysis } from '../index';
import { selectorMatches } from '../selectors';
import type { Direction, PolicyModel } from '../types';
import { keyRange, policyNode, tighten, valueOf, valueRange } from './lint-yaml';
import type { CheckContext, DiagnosticRule } from './rule';

const TYPE_NAME: Record<Direction, string> = { ingress: 'Ingress', egress: 'Egress' };

const POLICY = (spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
${spec}`;
const EGRESS_RULES = `  egress:
    - to:
        - podSelector:
            matchLabels:
              app: db
`;

function typesOmitted(policy: PolicyModel): boolean {
  return policy.policyTypes === null || policy.policyTypes.length === 0;
}

function specKeyRange(analysis: Analysis, policy: PolicyModel, key: string) {
  const located = policyNode(analysis, policy);
  const range = located && keyRange(located.file, located.spec, key);
  return range ?? tighten(analysis, policy.uri, policy.range);
}

const DIRECTIONS = ['ingress', 'egress'] as const;

function checkRulesIgnored({ analysis, report }: CheckContext): void {
  const policies = analysis.model.policies;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    if (typesOmitted(policy)) continue;
    for (let d = 0; d < DIRECTIONS.length; d++) {
      const direction = DIRECTIONS[d];
      const count = policy[direction].length;
      if (policy.affects[direction] || count === 0) continue;
      report({
        uri: policy.uri,
        range: specKeyRange(analysis, policy, direction),
        message: `${count} ${direction} rule${count === 1 ? ' is' : 's are'} ignored: policyTypes does not include ${TYPE_NAME[direction]}.`,
        data: { add: TYPE_NAME[direction] },
      });
    }
  }
}

/** Every pod the policy selects is isolated for ingress by another policy anyway. */
function isolatedElsewhere(analysis: Analysis, policy: PolicyModel): boolean {
  const selected = analysis.reachability.selectedWorkloads(policy);
  return (
    selected.length > 0 &&
    selected.every((w) =>
      analysis.model.policies.some(
        (p) =>
          p !== policy &&
          p.affects.ingress &&
          p.namespace === w.namespace &&
          selectorMatches(p.podSelector, w.labels),
      ),
    )
  );
}

function checkImplicitIngress({ analysis, policies, report }: CheckContext): void {
  for (const policy of policies) {
    if (!typesOmitted(policy) || policy.egress.length === 0 || policy.ingressRange) continue;
    if (isolatedElsewhere(analysis, policy)) continue;
    report({
      uri: policy.uri,
      range: specKeyRange(analysis, policy, 'egress'),
      message:
        'Without policyTypes this policy is of type Ingress too (the API server adds Ingress whenever policyTypes is omitted), so it also denies all ingress to the selected pods. Add `policyTypes: [Egress]` if only egress was meant.',
      data: { policyTypes: ['Egress'] },
    });
  }
}

function checkEmptyEgress({ analysis, policies, report }: CheckContext): void {
  for (const policy of policies) {
    // No `egress` key (the model says so): no need to read the policy's node (a large file's is read again).
    if (policy.affects.egress || !policy.egressRange) continue;
    const located = policyNode(analysis, policy);
    const value = valueOf(located?.spec, 'egress');
    if (!located || !isSeq(value) || value.items.length > 0) continue;
    const omitted = typesOmitted(policy);
    report({
      uri: policy.uri,
      range: valueRange(located.file, located.spec, 'egress')!,
      message: omitted
        ? '`egress: []` without policyTypes denies nothing: the API server adds Egress to policyTypes only when there are egress rules. Add policyTypes with Egress to deny all egress.'
        : '`egress: []` denies nothing: policyTypes does not include Egress. Add Egress to policyTypes to deny all egress.',
      data: omitted ? { policyTypes: ['Ingress', 'Egress'] } : { add: 'Egress' },
    });
  }
}

export const POLICY_TYPE_RULES: DiagnosticRule[] = [
  {
    code: CODES.rulesIgnored,
    defaultSeverity: 'warning',
    title: 'Rules ignored because policyTypes omits their direction',
    description:
      'When `policyTypes` is written, only the listed directions are in effect: `egress` rules of a policy whose policyTypes is `[Ingress]` are ignored, and so are `ingress` rules without `Ingress`.',
    bad: POLICY(`  policyTypes:\n    - Ingress\n${EGRESS_RULES}`),
    good: POLICY(`  policyTypes:\n    - Ingress\n    - Egress\n${EGRESS_RULES}`),
    scope: 'policy',
    check: checkRulesIgnored,
  },
  {
    code: CODES.implicitIngressIsolation,
    defaultSeverity: 'warning',
    title: 'An egress policy without policyTypes also denies all ingress',
    description:
      'When `policyTypes` is omitted the API server sets it to `Ingress`, plus `Egress` when there are egress rules. A policy with only `egress` rules therefore also isolates the selected pods for ingress and, having no ingress rules, denies all their ingress (unless another policy isolates those pods for ingress anyway, in which case nothing is reported). Write `policyTypes: [Egress]` for an egress-only policy (or `[Ingress, Egress]` if the ingress isolation is intended).',
    bad: POLICY(EGRESS_RULES),
    good: POLICY(`  policyTypes:\n    - Egress\n${EGRESS_RULES}`),
    reportsPerPolicy: true,
    check: checkImplicitIngress,
  },
  {
    code: CODES.emptyEgress,
    defaultSeverity: 'warning',
    title: '`egress: []` that denies nothing',
    description:
      '`egress: []` reads like "deny all egress", but without `policyTypes` the API server adds `Egress` only when there are egress rules, and with a policyTypes that omits `Egress` egress is not affected either. Add `Egress` to policyTypes to deny all egress of the selected pods.',
    bad: POLICY('  egress: []\n'),
    good: POLICY('  policyTypes:\n    - Ingress\n    - Egress\n  egress: []\n'),
    reportsPerPolicy: true,
    check: checkEmptyEgress,
  },
];
