// Egress isolation that cuts pods off from cluster DNS. Judged on the pods' combined egress (every
// policy that selects them), so a policy is not blamed when another one already allows DNS.
import { CODES } from '../codes';
import { ConnectionSet } from '../connections';
import type { Analysis } from '../index';
import { DNS_PORT, DNS_PROTOCOLS, dnsEgressRuleYaml, isClusterDns, KUBE_SYSTEM } from '../dns';
import type { PodPeer, PortQuery, Reachability, RuleMatch } from '../reachability';
import type { PolicyModel, Protocol, WorkloadModel } from '../types';
import { keyRange, policyNode, ruleNode, tighten, tightRange, valueOf } from './lint-yaml';
import { workloadList } from '../workload-list';
import type { CheckContext, DiagnosticRule } from './rule';

interface DnsVerdict {
  missing: Protocol[];
  /** Rules that allow DNS on some but not all of the DNS protocols. */
  partial: RuleMatch[];
}

/** The cluster DNS pods, by id, and one of them per pod class (a side towards a pod is the same for its class). */
function dnsPeers(reach: Reachability): { ids: Set<string>; perClass: PodPeer[] } {
  const ids = new Set<string>();
  const perClass = new Map<number, PodPeer>();
  for (const w of reach.model.workloads.filter(isClusterDns)) {
    const peer = reach.peer(w.id);
    if (peer?.kind !== 'pod') continue;
    ids.add(peer.id);
    if (!perClass.has(peer.classIndex)) perClass.set(peer.classIndex, peer);
  }
  return { ids, perClass: [...perClass.values()] };
}

function allowsDns(connections: ConnectionSet): boolean {
  return DNS_PROTOCOLS.some((p) => connections.contains(p, DNS_PORT));
}

/** The ports of DNS: the sides below leave out the rules that allow none of them. */
const DNS_QUERIES: readonly PortQuery[] = DNS_PROTOCOLS.map((protocol) => ({ protocol, port: DNS_PORT }));

function verdictFor(reach: Reachability, source: PodPeer, dns: PodPeer[]): DnsVerdict {
  let allowed = ConnectionSet.NONE;
  const partial: RuleMatch[] = [];
  for (const destination of dns) {
    const egress = reach.side(source, destination, 'egress', DNS_QUERIES);
    if (!egress.isolated) return { missing: [], partial: [] };
    allowed = allowed.union(egress.connections);
    partial.push(...egress.rules.filter((r) => allowsDns(r.connections)));
  }
  return { missing: DNS_PROTOCOLS.filter((p) => !allowed.contains(p, DNS_PORT)), partial };
}

interface Blame {
  policy: PolicyModel;
  ruleIndex?: number;
  missing: Set<Protocol>;
  /** The pods cut off, by id. */
  pods: Map<string, WorkloadModel>;
}

/**
 * The policies among `policies` to blame, and for which pods. A rule that allows DNS in part belongs to a
 * policy that selects the pod as well, so going through these policies' pods alone finds all their blame.
 */
function collectBlame(reach: Reachability, policies: readonly PolicyModel[]): Blame[] {
  const { ids: dnsIds, perClass: dns } = dnsPeers(reach);
  // The verdict depends on the egress policies selecting the source only: one per egress profile.
  const byProfile = new Map<number, DnsVerdict>();
  const blames = new Map<string, Blame>();
  const entryOf = (policy: PolicyModel, ruleIndex: number | undefined, missing: Protocol[]) => {
    const key = `${policy.id}/${ruleIndex ?? ''}`;
    let entry = blames.get(key);
    if (!entry) blames.set(key, (entry = { policy, ruleIndex, missing: new Set(), pods: new Map() }));
    for (const p of missing) entry.missing.add(p);
    return entry;
  };
  if (dns.length === 0) return [];
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    if (!policy.affects.egress) continue;
    const classes = reach.selectedClasses(policy);
    for (let c = 0; c < classes.length; c++) {
      const podClass = classes[c];
      const members = podClass.members;
      const first = members.findIndex((m) => !dnsIds.has(m.id));
      if (first < 0) continue;
      const profile = reach.egressProfile(podClass.index);
      let verdict = byProfile.get(profile);
      if (!verdict) byProfile.set(profile, (verdict = verdictFor(reach, members[first], dns)));
      if (verdict.missing.length === 0) continue;
      // The verdict holds for every member of the class (one egress profile): the blamed entries are
      // found once per class, not once per pod.
      const entries =
        verdict.partial.length === 0
          ? [entryOf(policy, undefined, verdict.missing)]
          : verdict.partial.map((match) => entryOf(match.policy, match.ruleIndex, verdict.missing));
      for (let i = first; i < members.length; i++) {
        const source = members[i];
        if (dnsIds.has(source.id)) continue;
        for (let e = 0; e < entries.length; e++) entries[e].pods.set(source.id, source.workload);
      }
    }
  }
  return [...blames.values()];
}

function policyAnchor(analysis: Analysis, policy: PolicyModel) {
  const located = policyNode(analysis, policy);
  const range =
    located &&
    (keyRange(located.file, located.spec, 'egress') ?? keyRange(located.file, located.spec, 'policyTypes'));
  return range ?? policy.nameRange ?? tighten(analysis, policy.uri, policy.range);
}

function ruleAnchor(analysis: Analysis, policy: PolicyModel, ruleIndex: number) {
  const located = policyNode(analysis, policy);
  const ports = located && valueOf(ruleNode(located, 'egress', ruleIndex), 'ports');
  return located && ports ? tightRange(located.file, ports) : policyAnchor(analysis, policy);
}

function checkDns({ analysis, policies, report }: CheckContext): void {
  const dnsName = `cluster DNS (${KUBE_SYSTEM}/kube-dns)`;
  for (const { policy, ruleIndex, missing, pods } of collectBlame(analysis.reachability, policies)) {
    const protocols = DNS_PROTOCOLS.filter((p) => missing.has(p));
    const who = workloadList(
      [...pods.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      3,
    );
    if (ruleIndex === undefined) {
      report({
        uri: policy.uri,
        range: policyAnchor(analysis, policy),
        message: `Egress of ${who} is isolated and no rule allows ${dnsName} on UDP 53 and TCP 53: name lookups will fail.`,
        data: { kind: 'add-rule', protocols },
      });
    } else {
      const allowed = DNS_PROTOCOLS.filter((p) => !missing.has(p));
      report({
        uri: policy.uri,
        range: ruleAnchor(analysis, policy, ruleIndex),
        message: `spec.egress[${ruleIndex}] allows ${dnsName} on ${allowed.map((p) => `${p} 53`).join(', ')} but not on ${protocols.map((p) => `${p} 53`).join(', ')} (for ${who}): DNS falls back to TCP for large answers, so lookups fail.`,
        data: { kind: 'add-port', ruleIndex, protocols },
      });
    }
  }
}

const POLICY = (protocols: readonly Protocol[]) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Egress
  egress:
${dnsEgressRuleYaml(4, protocols)}
`;

export const DNS_RULES: DiagnosticRule[] = [
  {
    code: CODES.dnsEgressMissing,
    defaultSeverity: 'warning',
    title: 'Egress isolation without cluster DNS',
    description:
      'Pods isolated for egress can resolve names only when some rule allows cluster DNS (`kube-system/kube-dns`, the implicit one unless the workspace defines pods labelled `k8s-app: kube-dns` in kube-system) on UDP 53 **and** TCP 53; DNS uses TCP for answers that do not fit in a UDP datagram. Reported once per policy that isolates pods lacking DNS (on the DNS rule itself when it allows only one of the protocols); a policy is not blamed when another policy already allows DNS for its pods.',
    // Written out when the docs ask: yaml's first stringify costs milliseconds of every start.
    get bad() {
      return POLICY(['UDP']);
    },
    get good() {
      return POLICY(DNS_PROTOCOLS);
    },
    reportsPerPolicy: true,
    check: checkDns,
  },
];
