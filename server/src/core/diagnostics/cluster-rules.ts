// Diagnostics about cluster-scoped policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
// ClusterNetworkPolicy) and about policy kinds the engine does not evaluate. The CRD validation lives in
// cluster-validate.ts, the semantic lints in cluster-lints.ts.
import { classifyPolicyKind, UNANALYSED_CODE } from '../cluster/kinds';
import { CLUSTER_V1ALPHA1_CODE } from '../fixes/fix-convert';
import { CLUSTER_SHADOW_RULES } from './cluster-lint-shadowed';
import { CLUSTER_LINT_RULES } from './cluster-lints';
import { CLUSTER_API, clusterFindings } from './cluster-validate';
import { anp, cnp, INGRESS_DENY_B as DENY_FROM_B, SUBJECT_TEAM_A as SUBJECT } from './cluster-examples';
import type { DiagnosticRule } from './rule';

function validationRule(
  code: string,
  title: string,
  description: string,
  bad: string,
  good: string,
): DiagnosticRule {
  return {
    code,
    defaultSeverity: 'error',
    title,
    description: `${description} The API server rejects the whole policy, so \`kubectl apply\` fails; netpol-lens does not evaluate what it cannot read.`,
    bad,
    good,
    scope: 'file',
    check({ analysis, report }) {
      for (const finding of clusterFindings(analysis)) {
        if (finding.code === code)
          report({ uri: finding.uri, range: finding.range, message: finding.message });
      }
    },
  };
}

export const CLUSTER_RULES: DiagnosticRule[] = [
  {
    code: UNANALYSED_CODE,
    defaultSeverity: 'warning',
    title: 'A policy kind netpol-lens does not evaluate',
    description:
      'CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico `NetworkPolicy`/`GlobalNetworkPolicy` (`crd.projectcalico.org`, `projectcalico.org/v3`), MultiNetworkPolicy, Antrea policies and unknown versions of `policy.networking.k8s.io` are reported here and left out of every verdict: traffic they deny may be shown as allowed. `can`, `explain`, `reach` (on stderr, or in the `unanalysed` list of the JSON output) and the graph say that such policies exist.',
    bad: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: deny-other
  namespace: shop
spec:
  endpointSelector:
    matchLabels:
      app: web
`,
    good: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
`,
  },
  validationRule(
    CLUSTER_API.required,
    'A field the CRD requires is missing',
    "Every field of these kinds is required unless marked optional: `priority` (not in a BaselineAdminNetworkPolicy), `subject`, `tier` (ClusterNetworkPolicy), each rule's `action` and `from`/`to`, `pods.podSelector` (and `pods.namespaceSelector` in v1alpha1), a port's `port` or `start`/`end`, a protocol's `destinationPort`.",
    anp(`${SUBJECT}${DENY_FROM_B}`),
    anp(`  priority: 10\n${SUBJECT}${DENY_FROM_B}`),
  ),
  validationRule(
    CLUSTER_API.enum,
    "A value outside the CRD's enum",
    'Actions are `Allow`, `Deny` and `Pass` in an AdminNetworkPolicy, `Allow` and `Deny` in a BaselineAdminNetworkPolicy, `Accept`, `Deny` and `Pass` in a ClusterNetworkPolicy; `tier` is `Admin` or `Baseline`.',
    cnp(`  tier: Admin\n  priority: 10\n${SUBJECT}${DENY_FROM_B.replace('Deny', 'Allow')}`),
    cnp(`  tier: Admin\n  priority: 10\n${SUBJECT}${DENY_FROM_B.replace('Deny', 'Accept')}`),
  ),
  validationRule(
    CLUSTER_API.range,
    'A number outside what the CRD allows',
    '`priority` is 0 to 1000 (lower runs first); ports, `start` and `end` are 1 to 65535; a v1alpha2 `range` needs `start < end` (use `number` for one port); a v1alpha1 `portRange` whose `end` is below its `start` matches no port.',
    anp(`  priority: 1001\n${SUBJECT}${DENY_FROM_B}`),
    anp(`  priority: 1000\n${SUBJECT}${DENY_FROM_B}`),
  ),
  validationRule(
    CLUSTER_API.size,
    'A list or name longer than the CRD allows',
    'v1alpha1 allows at most 100 rules per direction, 100 peers and 100 ports per rule; v1alpha2 25 of each; `networks` 1 to 25 CIDRs; rule names 100 bytes; an empty `from`/`to`/`ports`/`protocols`/`networks` list is rejected too.',
    anp(`  priority: 10\n${SUBJECT}  ingress:\n    - action: Deny\n      from: []\n`),
    anp(`  priority: 10\n${SUBJECT}${DENY_FROM_B}`),
  ),
  validationRule(
    CLUSTER_API.oneOf,
    'Not exactly one of the fields',
    'A `subject` and an ingress peer are exactly one of `namespaces` or `pods`; an egress peer one of `namespaces`, `pods`, `networks`, `nodes` or `domainNames`; a v1alpha1 port one of `portNumber`, `portRange` or `namedPort`; a v1alpha2 protocol one of `tcp`, `udp`, `sctp` or `destinationNamedPort`, and a `destinationPort` one of `number` or `range`. For pods of some namespaces, use `pods` with a `namespaceSelector`.',
    anp(`  priority: 10
  subject:
    namespaces:
      matchLabels:
        team: a
    pods:
      namespaceSelector: {}
      podSelector:
        matchLabels:
          app: web
${DENY_FROM_B}`),
    anp(`  priority: 10
  subject:
    pods:
      namespaceSelector:
        matchLabels:
          team: a
      podSelector:
        matchLabels:
          app: web
${DENY_FROM_B}`),
  ),
  validationRule(
    CLUSTER_API.cidr,
    'A `networks` entry that is not a CIDR',
    "Each `networks` entry must be an IPv4 or IPv6 CIDR such as `10.0.0.0/8` (the CRD's CEL rule `isCIDR(self)`).",
    anp(`  priority: 10
${SUBJECT}  egress:
    - action: Deny
      to:
        - networks: [10.0.0.0/33]
`),
    anp(`  priority: 10
${SUBJECT}  egress:
    - action: Deny
      to:
        - networks: [10.0.0.0/8]
`),
  ),
  validationRule(
    CLUSTER_API.singleton,
    'A BaselineAdminNetworkPolicy not named `default`, or a second one',
    'The BaselineAdminNetworkPolicy is a singleton: the CRD only accepts the name `default`, so there is at most one in a cluster. For several baselines, use ClusterNetworkPolicies with `tier: Baseline`.',
    `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: baseline
spec:
${SUBJECT}${DENY_FROM_B}`,
    `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
${SUBJECT}${DENY_FROM_B}`,
  ),
  {
    code: CLUSTER_V1ALPHA1_CODE,
    defaultSeverity: 'hint',
    title: 'A v1alpha1 cluster policy that ClusterNetworkPolicy supersedes',
    description:
      "AdminNetworkPolicy and BaselineAdminNetworkPolicy (`v1alpha1`) are succeeded by ClusterNetworkPolicy (`v1alpha2`, tiers `Admin` and `Baseline`); only the v1alpha2 CRDs ship on the project's main branch. A quick-fix rewrites the object: `tier`, `Allow` → `Accept`, `ports` → `protocols`, and priority 1000 for a baseline. The connectivity is the same.",
    bad: anp(`  priority: 10\n${SUBJECT}${DENY_FROM_B}`),
    good: cnp(`  tier: Admin\n  priority: 10\n${SUBJECT}${DENY_FROM_B}`),
    scope: 'file',
    check({ analysis, report }) {
      for (const file of analysis.files) {
        for (const obj of file.objects) {
          const verdict = classifyPolicyKind(obj.kind, obj.apiVersion);
          if (verdict?.kind !== 'cluster' || verdict.clusterKind === 'ClusterNetworkPolicy') continue;
          const kindNode = obj.reader.get(obj.node, 'kind');
          report({
            uri: file.uri,
            range: obj.reader.range(kindNode ?? obj.node),
            message: `${obj.kind} (v1alpha1) is succeeded by ClusterNetworkPolicy (v1alpha2) with tier ${verdict.clusterKind === 'AdminNetworkPolicy' ? 'Admin' : 'Baseline'}; a quick-fix converts it.`,
          });
        }
      }
    },
  },
  ...CLUSTER_LINT_RULES,
  ...CLUSTER_SHADOW_RULES,
];
