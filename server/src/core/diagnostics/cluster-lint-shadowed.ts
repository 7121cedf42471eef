// A cluster rule that never decides anything: an earlier rule of its policy, or a policy of higher
// precedence, already decides all the traffic it matches (see cluster/shadowing.ts).
import { clusterPolicyLabel, clusterRuleLabel } from '../cluster/types';
import { anp, POD_A, SUBJECT_TEAM_A } from './cluster-examples';
import type { DiagnosticRule } from './rule';

const NAMESPACE_B = `apiVersion: v1
kind: Namespace
metadata:
  name: b
  labels:
    team: b
`;

const FROM_B = `      from:
        - namespaces:
            matchLabels:
              team: b
`;

const ALLOW_HTTP_FROM_B = `    - name: allow-http-from-b
      action: Allow
${FROM_B}      ports:
        - portNumber:
            protocol: TCP
            port: 80
`;

const DENY_FROM_B = `    - name: deny-from-b
      action: Deny
${FROM_B}`;

function guardrails(first: string, second: string): string {
  return `${anp(
    `  priority: 10
${SUBJECT_TEAM_A}  ingress:
${first}${second}`,
  )}---
${POD_A}---
${NAMESPACE_B}`;
}

const MORE = 2;

export const CLUSTER_SHADOW_RULES: DiagnosticRule[] = [
  {
    code: 'netpol.cluster-rule-shadowed',
    defaultSeverity: 'warning',
    title: 'A cluster rule that never decides anything: earlier rules already decide all its traffic',
    description:
      'In the Admin and Baseline tiers the first matching rule decides. When an earlier rule of the same policy, or a policy of higher precedence (a lower priority, or the Admin tier above the Baseline tier), already decides everything a rule matches, the rule is dead: usually the rules are in the wrong order, or the earlier rule is wider than meant. A `Pass` counts as deciding: it hides the rest of its tier. Judged on the workloads and namespaces of the workspace.',
    bad: guardrails(DENY_FROM_B, ALLOW_HTTP_FROM_B),
    good: guardrails(ALLOW_HTTP_FROM_B, DENY_FROM_B),
    check({ analysis, report }) {
      for (const { policy, rule, by } of analysis.reachability.shadowedClusterRules()) {
        const names = by
          .slice(0, MORE)
          .map(
            (d) =>
              `${clusterRuleLabel(d.rule)}${d.policy === policy ? '' : ` of ${clusterPolicyLabel(d.policy)}`}`,
          );
        const rest = by.length > MORE ? ` and ${by.length - MORE} more` : '';
        report({
          uri: policy.uri,
          range: rule.actionRange ?? rule.range,
          message: `This rule never decides anything: all the ${rule.direction} traffic it matches in this workspace is already decided by ${names.join(', ')}${rest}. Put it first, or narrow what decides before it.`,
        });
      }
    },
  },
];
