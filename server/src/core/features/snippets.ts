// Snippets for the tutorial patterns: default deny, allow DNS, allow from a namespace, allow from pods.
// The namespace placeholder offers the namespaces of the workspace, the file's own first.
import { dnsEgressRuleYaml } from '../dns';
import type { Analysis } from '../index';
import type { ParsedFile } from '../parse';
import type { Range } from '../types';
import type { CompletionItem } from './completion';

interface Pattern {
  label: string;
  detail: string;
  /** Snippet body after `metadata:`, `$NS` standing for the namespace placeholder. */
  name: string;
  spec: string;
}

const PATTERNS: Pattern[] = [
  {
    label: 'NetworkPolicy: default deny',
    detail: 'Isolate every pod of the namespace for ingress and egress',
    name: 'default-deny-all',
    spec: `  podSelector: {}
  policyTypes:
    - Ingress
    - Egress`,
  },
  {
    label: 'NetworkPolicy: allow DNS',
    detail: 'Let every pod of the namespace reach cluster DNS on UDP and TCP 53',
    name: 'allow-dns',
    spec: `  podSelector: {}
  policyTypes:
    - Egress
  egress:
${dnsEgressRuleYaml(4)}`,
  },
  {
    label: 'NetworkPolicy: allow from namespace',
    detail: 'Let every pod of another namespace reach the selected pods',
    name: 'allow-from-namespace',
    spec: `  podSelector:
    matchLabels:
      \${3:app}: \${4:backend}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: \${5:frontend}`,
  },
  {
    label: 'NetworkPolicy: allow from pods',
    detail: 'Let pods with a label of the same namespace reach the selected pods on a port',
    name: 'allow-from-pods',
    spec: `  podSelector:
    matchLabels:
      \${3:app}: \${4:backend}
  policyTypes:
    - Ingress
  ingress:
    - from:
        - podSelector:
            matchLabels:
              \${5:app}: \${6:frontend}
      ports:
        - protocol: TCP
          port: \${7:80}`,
  },
];

/** Namespace names can be offered as a snippet choice only without the choice syntax's characters. */
const CHOICE_SAFE = /^[a-z0-9.-]+$/;

function namespacePlaceholder(analysis: Analysis, file: ParsedFile): string {
  const own = analysis.model.workloads
    .filter((w) => w.source?.uri === file.uri)
    .map((w) => w.namespace)
    .concat(analysis.model.policies.filter((p) => p.uri === file.uri).map((p) => p.namespace))
    .concat(analysis.model.namespaces.filter((n) => n.source?.uri === file.uri).map((n) => n.name));
  // The file's own namespaces, then those of the workspace, then the default one.
  const all = [...own, ...analysis.model.namespaces.map((n) => n.name), analysis.options.defaultNamespace];
  const names = [...new Set(all)].filter((n) => CHOICE_SAFE.test(n));
  return names.length > 1 ? `\${2|${names.join(',')}|}` : `\${2:${names[0] ?? 'default'}}`;
}

export function tutorialSnippets(analysis: Analysis, file: ParsedFile, range: Range): CompletionItem[] {
  const namespace = namespacePlaceholder(analysis, file);
  return PATTERNS.map((pattern, index) => ({
    label: pattern.label,
    kind: 'snippet' as const,
    detail: pattern.detail,
    insertText: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: \${1:${pattern.name}}
  namespace: ${namespace}
spec:
${pattern.spec}
$0`,
    snippet: true,
    range,
    sortText: String(index),
  }));
}
