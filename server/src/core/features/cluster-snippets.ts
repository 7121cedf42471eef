// Snippets for the common cluster guardrails, in AdminNetworkPolicy/BaselineAdminNetworkPolicy
// (v1alpha1) and ClusterNetworkPolicy (v1alpha2) spellings: deny all but the cluster's own namespaces,
// allow monitoring everywhere, baseline default deny. The cluster's own namespaces (kube-system by
// default) stay out of the subjects, so cluster DNS keeps working.
import type { Range } from '../types';
import type { CompletionItem } from './completion';

interface Guardrail {
  label: string;
  detail: string;
  /** The whole object in LSP snippet syntax. */
  body: string;
}

const NOT_CLUSTER_NAMESPACES = `  subject:
    namespaces:
      matchExpressions:
        - key: kubernetes.io/metadata.name
          operator: NotIn
          values: [\${3:kube-system}]`;

function header(kind: string, apiVersion: string, name: string, tier?: string, priority?: string): string {
  const lines = [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, 'spec:'];
  if (tier) lines.push(`  tier: ${tier}`);
  if (priority) lines.push(`  priority: ${priority}`);
  return lines.join('\n');
}

const EGRESS_INSIDE_CLUSTER = (pass: string, deny: string) => `  egress:
    - name: pass-cluster-pods
      action: ${pass}
      to:
        - namespaces: {}
    - name: deny-outside-cluster
      action: ${deny}
      to:
        - networks: ["0.0.0.0/0"]`;

const INGRESS_FROM_MONITORING = (allow: string) => `  subject:
    namespaces: {}
  ingress:
    - name: allow-from-monitoring
      action: ${allow}
      from:
        - namespaces:
            matchLabels:
              kubernetes.io/metadata.name: \${3:monitoring}`;

const INGRESS_DEFAULT_DENY = `  ingress:
    - name: default-deny-ingress
      action: Deny
      from:
        - namespaces: {}`;

const V1 = 'policy.networking.k8s.io/v1alpha1';
const V2 = 'policy.networking.k8s.io/v1alpha2';
const DENY_OUTSIDE =
  "Pods outside the cluster's own namespaces connect only inside the cluster: traffic to pods is passed to the NetworkPolicies, every other address is denied";
const MONITORING = 'Let the monitoring namespace reach every pod, whatever the NetworkPolicies say';
const BASELINE = "Deny ingress to pods outside the cluster's own namespaces unless a NetworkPolicy allows it";

const GUARDRAILS: Guardrail[] = [
  {
    label: "AdminNetworkPolicy: deny all but the cluster's own namespaces",
    detail: DENY_OUTSIDE,
    body: `${header('AdminNetworkPolicy', V1, '${1:cluster-only}', undefined, '${2:10}')}
${NOT_CLUSTER_NAMESPACES}
${EGRESS_INSIDE_CLUSTER('Pass', 'Deny')}`,
  },
  {
    label: 'AdminNetworkPolicy: allow monitoring everywhere',
    detail: MONITORING,
    body: `${header('AdminNetworkPolicy', V1, '${1:allow-monitoring}', undefined, '${2:20}')}
${INGRESS_FROM_MONITORING('Allow')}`,
  },
  {
    label: 'BaselineAdminNetworkPolicy: default deny',
    detail: BASELINE,
    body: `${header('BaselineAdminNetworkPolicy', V1, 'default')}
${NOT_CLUSTER_NAMESPACES}
${INGRESS_DEFAULT_DENY}`,
  },
  {
    label: "ClusterNetworkPolicy (Admin): deny all but the cluster's own namespaces",
    detail: DENY_OUTSIDE,
    body: `${header('ClusterNetworkPolicy', V2, '${1:cluster-only}', 'Admin', '${2:10}')}
${NOT_CLUSTER_NAMESPACES}
${EGRESS_INSIDE_CLUSTER('Pass', 'Deny')}`,
  },
  {
    label: 'ClusterNetworkPolicy (Admin): allow monitoring everywhere',
    detail: MONITORING,
    body: `${header('ClusterNetworkPolicy', V2, '${1:allow-monitoring}', 'Admin', '${2:20}')}
${INGRESS_FROM_MONITORING('Accept')}`,
  },
  {
    label: 'ClusterNetworkPolicy (Baseline): default deny',
    detail: BASELINE,
    body: `${header('ClusterNetworkPolicy', V2, '${1:default-deny}', 'Baseline', '${2:100}')}
${NOT_CLUSTER_NAMESPACES}
${INGRESS_DEFAULT_DENY}`,
  },
];

/** The guardrail snippets, sorted after the NetworkPolicy and expectations snippets (sort texts 0-9). */
export function guardrailSnippets(range: Range): CompletionItem[] {
  return GUARDRAILS.map((g, i) => ({
    label: g.label,
    kind: 'snippet' as const,
    detail: g.detail,
    insertText: `${g.body}\n$0`,
    snippet: true,
    range,
    sortText: `9${i}`,
  }));
}
