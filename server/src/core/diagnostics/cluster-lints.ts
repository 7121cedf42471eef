// Semantic lints of cluster-scoped policies: what the API server accepts but what does something else than
// it seems to (peers that cannot be evaluated, equal priorities, a Pass with nothing below it, networks that
// also hit pods in a real cluster, an Admin Allow that namespace owners cannot restrict).
import { ipBlockIntervals, parseCidr, type AddressInterval } from '../addresses';
import { selectionMatchesClass } from '../cluster/evaluate';
import type { ClusterPolicyModel, ClusterRuleModel } from '../cluster/types';
import type { Analysis } from '../index';
import type { PodClass } from '../reachability';
import { isEmptySelector } from '../selectors';
import { anp, INGRESS_DENY_B, POD_A, SUBJECT_TEAM_A as NAMESPACES_A } from './cluster-examples';
import type { DiagnosticRule } from './rule';

function anpDoc(name: string, priority: number, body: string): string {
  return anp(`  priority: ${priority}\n${NAMESPACES_A}${body}`, name);
}

function subjectClasses(analysis: Analysis, policy: ClusterPolicyModel): PodClass[] {
  const subject = policy.subject;
  return subject ? analysis.reachability.classes.filter((c) => selectionMatchesClass(subject, c)) : [];
}

function evaluated(policy: ClusterPolicyModel): boolean {
  return (
    policy.subject !== undefined &&
    (policy.kind === 'BaselineAdminNetworkPolicy' || policy.priority !== undefined)
  );
}

/** Whether a NetworkPolicy selects the class for the direction. */
function isolatedByNetworkPolicy(
  analysis: Analysis,
  podClass: PodClass,
  direction: 'ingress' | 'egress',
): boolean {
  return analysis.model.policies.some(
    (p) => p.affects[direction] && analysis.reachability.selectedClasses(p).includes(podClass),
  );
}

/** The usual pod networks when none is configured: RFC 1918 and the carrier-grade NAT range. */
const USUAL_POD_NETWORKS = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10'];

function podNetworks(analysis: Analysis): AddressInterval[] {
  const configured = analysis.options.podCIDRs;
  return (configured.length > 0 ? configured : USUAL_POD_NETWORKS).flatMap((c) => {
    const parsed = parseCidr(c);
    return parsed.family === 'ipv4' ? [parsed.interval] : [];
  });
}

function overlaps(a: AddressInterval, b: AddressInterval): boolean {
  return a.lo <= b.hi && b.lo <= a.hi;
}

/** An `Allow` or `Pass` of every port to every pod (`namespaces: {}`, or `pods` with empty selectors). */
function decidesAllPods(rule: ClusterRuleModel): boolean {
  if ((rule.action !== 'Allow' && rule.action !== 'Pass') || rule.ports !== null) return false;
  return rule.peers.some(
    (p) =>
      (p.namespaces && !p.pods && isEmptySelector(p.namespaces)) ||
      (p.pods &&
        !p.namespaces &&
        isEmptySelector(p.pods.podSelector) &&
        (!p.pods.namespaceSelector || isEmptySelector(p.pods.namespaceSelector))),
  );
}

function rulesOf(policy: ClusterPolicyModel): ClusterRuleModel[] {
  return [...policy.ingress, ...policy.egress];
}

export const CLUSTER_LINT_RULES: DiagnosticRule[] = [
  {
    code: 'netpol.cluster-peer-not-evaluated',
    defaultSeverity: 'warning',
    title: 'A `nodes` or `domainNames` peer, which the analysis cannot evaluate',
    description:
      'Node addresses and DNS names are not in the manifests, so netpol-lens (like netpol-analyzer) treats such a peer as matching nothing: traffic to nodes or to those names is decided by the rules after it, the NetworkPolicies or the default. Both fields are in the experimental CRDs only.',
    bad: anpDoc(
      'egress-dns-names',
      10,
      `  egress:
    - name: allow-api
      action: Allow
      to:
        - domainNames: ["api.example.com"]
`,
    ),
    good: anpDoc(
      'egress-networks',
      10,
      `  egress:
    - name: allow-api
      action: Allow
      to:
        - networks: ["203.0.113.0/24"]
`,
    ),
    check({ analysis, report }) {
      for (const policy of analysis.model.clusterPolicies) {
        for (const rule of rulesOf(policy)) {
          for (const peer of rule.peers) {
            if (!peer.unevaluable) continue;
            report({
              uri: policy.uri,
              range: peer.range,
              message: `${peer.unevaluable} peers cannot be evaluated from manifests (${peer.unevaluable === 'nodes' ? 'node addresses' : 'DNS answers'} are not in them): in the analysis this peer matches nothing.`,
            });
          }
        }
      }
    },
  },
  {
    code: 'netpol.cluster-same-priority',
    defaultSeverity: 'warning',
    title: 'Two policies of one tier with the same priority select the same pods',
    description:
      'When two policies of a tier have the same priority and both could match a connection, the API leaves the order undefined: implementations may apply either. netpol-lens orders them by kind and name; netpol-analyzer rejects the input. Give them different priorities.',
    bad: `${anpDoc('deny-b', 10, INGRESS_DENY_B)}---
${anpDoc('allow-b', 10, INGRESS_DENY_B.replace('Deny', 'Allow').replace('deny-from', 'allow-from'))}---
${POD_A}`,
    good: `${anpDoc('deny-b', 10, INGRESS_DENY_B)}---
${anpDoc('allow-b', 20, INGRESS_DENY_B.replace('Deny', 'Allow').replace('deny-from', 'allow-from'))}---
${POD_A}`,
    check({ analysis, report }) {
      const policies = analysis.model.clusterPolicies.filter(
        (p) => evaluated(p) && p.kind !== 'BaselineAdminNetworkPolicy',
      );
      for (const [i, a] of policies.entries()) {
        for (const b of policies.slice(i + 1)) {
          if (a.tier !== b.tier || a.priority !== b.priority) continue;
          const direction = (['ingress', 'egress'] as const).find((d) => a[d].length > 0 && b[d].length > 0);
          if (!direction) continue;
          const shared = subjectClasses(analysis, a).some((c) => subjectClasses(analysis, b).includes(c));
          if (!shared) continue;
          for (const [self, other] of [
            [a, b],
            [b, a],
          ]) {
            report({
              uri: self.uri,
              range: self.priorityRange ?? self.range,
              message: `${self.kind} ${self.name} and ${other.kind} ${other.name} are both at priority ${self.priority} of the ${self.tier} tier and select the same pods for ${direction}: their order is undefined in a real cluster.`,
            });
          }
        }
      }
    },
  },
  {
    code: 'netpol.cluster-pass-no-effect',
    defaultSeverity: 'information',
    title: 'A `Pass` with nothing below it',
    description:
      'A `Pass` hands the traffic to the NetworkPolicies and then to the baseline. When no later Admin-tier rule, no NetworkPolicy and no baseline rule applies to the pods it selects, it changes nothing: the default allows. Either this is meant as `Allow`, or the NetworkPolicy or baseline it expects is missing.',
    bad: `${anpDoc('pass-b', 10, INGRESS_DENY_B.replace('Deny', 'Pass').replace('deny-from', 'pass-from'))}---
${POD_A}`,
    good: `${anpDoc('pass-b', 10, INGRESS_DENY_B.replace('Deny', 'Pass').replace('deny-from', 'pass-from'))}---
apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata:
  name: default
spec:
${NAMESPACES_A}${INGRESS_DENY_B}---
${POD_A}`,
    check({ analysis, report }) {
      const policies = analysis.model.clusterPolicies.filter(evaluated);
      for (const policy of policies.filter((p) => p.tier === 'Admin')) {
        const classes = subjectClasses(analysis, policy);
        if (classes.length === 0) continue;
        for (const direction of ['ingress', 'egress'] as const) {
          const passes = policy[direction].filter((r) => r.action === 'Pass');
          if (passes.length === 0) continue;
          const below = (rule: ClusterRuleModel) =>
            policy[direction].indexOf(rule) < policy[direction].length - 1 ||
            policies.some(
              (other) =>
                other !== policy &&
                other[direction].length > 0 &&
                (other.tier === 'Baseline' || (other.priority ?? 0) >= (policy.priority ?? 0)) &&
                classes.some((c) => selectionMatchesClass(other.subject!, c)),
            ) ||
            classes.some((c) => isolatedByNetworkPolicy(analysis, c, direction));
          for (const rule of passes) {
            if (below(rule)) continue;
            report({
              uri: policy.uri,
              range: rule.actionRange ?? rule.range,
              message: `This Pass changes nothing: no later Admin rule, no NetworkPolicy and no baseline rule applies to ${direction} of the pods it selects, so the default allows what it passes (as it would without the rule).`,
            });
          }
        }
      }
    },
  },
  {
    code: 'netpol.cluster-networks-cover-pods',
    defaultSeverity: 'warning',
    title: 'A `Deny` or `Pass` of `networks` that also covers pod addresses',
    description:
      'In a real cluster `networks` also matches pod IPs, so a `Deny` of `0.0.0.0/0` or of the pod network drops pod-to-pod traffic too. netpol-lens (like netpol-analyzer) matches `networks` only against external addresses unless `--ipblock-matches-pods` / `netpolLens.ipBlockMatchesPods` is on, so its verdicts for pods may be more open than the cluster. Put a `Pass` or `Allow` rule for pods (`namespaces: {}`) before it; then this is not reported. The pod network is `--pod-cidr` / `netpolLens.podCIDRs` when set, otherwise the private ranges.',
    bad: anpDoc(
      'deny-internet',
      10,
      `  egress:
    - name: deny-all-addresses
      action: Deny
      to:
        - networks: ["0.0.0.0/0"]
`,
    ),
    good: anpDoc(
      'deny-internet',
      10,
      `  egress:
    - name: deny-some-addresses
      action: Deny
      to:
        - networks: ["198.51.100.0/24"]
`,
    ),
    check({ analysis, report }) {
      const pods = podNetworks(analysis);
      for (const policy of analysis.model.clusterPolicies) {
        for (const rule of policy.egress) {
          if (rule.action !== 'Deny' && rule.action !== 'Pass') continue;
          // The advice followed: an earlier rule already decides every port to every pod.
          if (policy.egress.slice(0, policy.egress.indexOf(rule)).some(decidesAllPods)) continue;
          for (const peer of rule.peers) {
            for (const block of peer.networks ?? []) {
              if (!ipBlockIntervals(block).some((iv) => pods.some((net) => overlaps(iv, net)))) continue;
              report({
                uri: policy.uri,
                range: block.range,
                message: `${block.cidr} also covers pod addresses: in a real cluster this ${rule.action} hits pod-to-pod traffic too, which the analysis does not assume (see --ipblock-matches-pods).`,
              });
            }
          }
        }
      }
    },
  },
  {
    code: 'netpol.admin-overrides-default-deny',
    defaultSeverity: 'hint',
    title: "An Admin-tier `Allow` overrides a namespace's default-deny NetworkPolicy",
    description:
      'An Admin-tier `Allow`/`Accept` is final: a NetworkPolicy that denies everything for the same pods cannot restrict it, so namespace owners lose control over that traffic. Often intended (monitoring, DNS), worth knowing.',
    bad: `${anpDoc(
      'allow-monitoring',
      10,
      `  ingress:
    - name: allow-monitoring
      action: Allow
      from:
        - namespaces:
            matchLabels:
              team: monitoring
`,
    )}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: a
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
${POD_A}`,
    good: `${anpDoc(
      'pass-monitoring',
      10,
      `  ingress:
    - name: pass-monitoring
      action: Pass
      from:
        - namespaces:
            matchLabels:
              team: monitoring
`,
    )}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: a
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
${POD_A}`,
    check({ analysis, report }) {
      const denyAll = analysis.model.policies.filter((p) =>
        (['ingress', 'egress'] as const).some((d) => p.affects[d] && p[d].length === 0),
      );
      if (denyAll.length === 0) return;
      for (const policy of analysis.model.clusterPolicies.filter((p) => p.tier === 'Admin' && evaluated(p))) {
        const classes = subjectClasses(analysis, policy);
        for (const direction of ['ingress', 'egress'] as const) {
          const overridden = denyAll.filter(
            (np) =>
              np.affects[direction] &&
              np[direction].length === 0 &&
              analysis.reachability.selectedClasses(np).some((c) => classes.includes(c)),
          );
          if (overridden.length === 0) continue;
          for (const rule of policy[direction].filter((r) => r.action === 'Allow')) {
            report({
              uri: policy.uri,
              range: rule.actionRange ?? rule.range,
              message: `This Admin-tier Allow overrides the default-deny NetworkPolicy ${overridden.map((p) => `${p.namespace}/${p.name}`).join(', ')} for ${direction}: namespace owners cannot restrict this traffic. Use Pass to leave the decision to them.`,
            });
          }
        }
      }
    },
  },
];
