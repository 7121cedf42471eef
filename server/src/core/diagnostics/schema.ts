// JSON Schema validation of NetworkPolicies (schemas/networkpolicy-networking-v1.json). Users whose
// editor already validates Kubernetes schemas (Red Hat's YAML extension) can turn it 'off'.
import { CODES } from '../codes';
import { endOffsetOf, startOffsetOf } from '../text';
import type { Range } from '../types';
import type { Analysis } from '../index';
import { apiFindings } from './api-objects';
import type { DiagnosticRule } from './rule';
import { schemaIssues } from './schema-errors';
import { policySchemaErrors, validatedAsPolicy } from './schema-validate';

/**
 * Ranges other diagnostics already explain: wrong types the model reported (netpol.type) and values
 * the API-server rules report in the API server's words (an enum, a missing cidr). Keyed `uri|start|end`.
 */
function explainedElsewhere(analysis: Analysis): Set<string> {
  const key = (p: { uri: string; range: Range }) =>
    `${p.uri}|${startOffsetOf(p.range)}|${endOffsetOf(p.range)}`;
  const types = analysis.problems.filter((p) => p.code === CODES.type);
  return new Set([...types, ...apiFindings(analysis)].map(key));
}

export const SCHEMA_RULES: DiagnosticRule[] = [
  {
    code: CODES.schema,
    defaultSeverity: 'error',
    title: 'The NetworkPolicy does not match the Kubernetes schema',
    description:
      'An unknown field (often a typo such as `ingres` or `podselector`, which kubectl rejects and older clusters silently dropped), a missing required field, or a value of the wrong type, checked against the `networking.k8s.io/v1` NetworkPolicy schema. Turn it off when another extension already validates Kubernetes schemas.',
    bad: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingres:
    - from:
        - podSelector: {}
`,
    good: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - from:
        - podSelector: {}
`,
    scope: 'file',
    check({ analysis, report }) {
      let skip: Set<string> | undefined;
      for (const file of analysis.files) {
        const objects = file.objects;
        for (let i = 0; i < objects.length; i++) {
          const obj = objects[i];
          if (!validatedAsPolicy(obj)) continue;
          const errors = policySchemaErrors(obj);
          if (errors.length === 0) continue;
          skip ??= explainedElsewhere(analysis);
          const seen = new Set<string>();
          for (const { range, message } of schemaIssues(obj.reader, obj.node, errors)) {
            const key = `${file.uri}|${startOffsetOf(range)}|${endOffsetOf(range)}`;
            if (skip.has(key) || seen.has(`${key}|${message}`)) continue;
            seen.add(`${key}|${message}`);
            report({ uri: file.uri, range, message });
          }
        }
      }
    },
  },
];
