// Stage 5: plain-English accounts of selectors, peers, policies and reachability answers. The text is
// plain (no markup); adapters that render markdown must escape it.
import { NAMESPACE_NAME_LABEL } from './extract';
import type { Peer, QueryResult, Reachability, SideVerdict } from './reachability';
import { isEmptySelector } from './selectors';
import type {
  LabelRequirement,
  LabelSelector,
  PeerModel,
  PolicyModel,
  PortModel,
  RuleModel,
  WorkloadModel,
} from './types';

function describeRequirement(r: LabelRequirement): string {
  switch (r.operator) {
    case 'In':
      return r.values.length === 1 ? `${r.key}=${r.values[0]}` : `${r.key} in (${r.values.join(', ')})`;
    case 'NotIn':
      return r.values.length === 1 ? `${r.key}!=${r.values[0]}` : `${r.key} not in (${r.values.join(', ')})`;
    case 'Exists':
      return `with label ${r.key}`;
    case 'DoesNotExist':
      return `without label ${r.key}`;
    default:
      return `${r.key} ${r.operator} (${r.values.join(', ')}) [invalid operator: selects nothing]`;
  }
}

/** "app=backend, tier in (a, b)" — the conditions of a selector, or '' for `{}`. */
function conditions(selector: LabelSelector): string {
  return [
    ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...selector.matchExpressions.map(describeRequirement),
  ].join(', ');
}

/** "all pods" or "pods app=backend". */
export function describeSelector(selector: LabelSelector, noun = 'pods'): string {
  return isEmptySelector(selector) ? `all ${noun}` : `${noun} ${conditions(selector)}`;
}

function describeNamespaces(selector: LabelSelector): string {
  if (isEmptySelector(selector)) return 'in all namespaces';
  const byName = selector.matchLabels[NAMESPACE_NAME_LABEL];
  if (
    byName !== undefined &&
    Object.keys(selector.matchLabels).length === 1 &&
    selector.matchExpressions.length === 0
  ) {
    return `in namespace ${byName}`;
  }
  return `in namespaces ${conditions(selector)}`;
}

function describeIpBlock(peer: PeerModel): string {
  const block = peer.ipBlock!;
  const except = block.except.length > 0 ? ` except ${block.except.join(', ')}` : '';
  return `addresses ${block.cidr}${except}`;
}

/** What one `from`/`to` entry selects, in the words of the policy's namespace. */
export function describePeer(policy: PolicyModel, peer: PeerModel): string {
  if (peer.ipBlock) return describeIpBlock(peer);
  const { podSelector, namespaceSelector } = peer;
  if (!podSelector && !namespaceSelector) return 'nothing (an empty peer is invalid)';
  const pods = podSelector ? describeSelector(podSelector) : 'all pods';
  const where = namespaceSelector
    ? describeNamespaces(namespaceSelector)
    : `in namespace ${policy.namespace}`;
  return `${pods} ${where}`;
}

function describePort(port: PortModel): string {
  if (port.port === undefined) return `all ${port.protocol} ports`;
  if (typeof port.port === 'string') return `${port.protocol} named port ${port.port}`;
  if (port.endPort !== undefined && port.endPort !== port.port)
    return `${port.protocol} ${port.port}-${port.endPort}`;
  return `${port.protocol} ${port.port}`;
}

export function describePorts(rule: RuleModel): string {
  if (rule.ports === null || rule.ports.length === 0) return 'on all ports and protocols';
  return `on ${rule.ports.map(describePort).join(', ')}`;
}

export function describeRule(policy: PolicyModel, rule: RuleModel): string {
  const preposition = rule.direction === 'ingress' ? 'from' : 'to';
  const peers =
    rule.peers === null || rule.peers.length === 0
      ? `${preposition} everywhere (all pods in all namespaces and all addresses)`
      : `${preposition} ${rule.peers.map((p) => describePeer(policy, p)).join('; or ')}`;
  return `${peers}, ${describePorts(rule)}`;
}

function listWorkloads(workloads: WorkloadModel[], limit = 8): string {
  if (workloads.length === 0) return 'no workload in the workspace';
  const shown = workloads
    .slice(0, limit)
    .map((w) => w.id + (w.implicit ? ' (implicit)' : w.inferred ? ' (inferred)' : ''));
  const more = workloads.length > limit ? ` and ${workloads.length - limit} more` : '';
  return shown.join(', ') + more;
}

export interface PolicyExplanation {
  policy: PolicyModel;
  title: string;
  /** One line: what the policy does as a whole. */
  summary: string;
  selected: WorkloadModel[];
  /** Lines of plain text, in order. */
  lines: string[];
}

function directionLines(policy: PolicyModel, reach: Reachability, direction: 'ingress' | 'egress'): string[] {
  const name = direction === 'ingress' ? 'Ingress' : 'Egress';
  const rules = policy[direction];
  if (!policy.affects[direction]) {
    const ignored =
      rules.length > 0
        ? ` Its ${rules.length} ${direction} rule(s) are ignored: policyTypes does not include ${name}.`
        : '';
    return [`${name}: not affected by this policy.${ignored}`];
  }
  if (rules.length === 0)
    return [`${name}: isolates the selected pods and allows nothing (deny all ${direction}).`];
  const lines = [`${name}: isolates the selected pods; allows traffic that matches any of these rules:`];
  rules.forEach((rule) => {
    const matched = (rule.peers ?? [])
      .filter((p) => !p.ipBlock)
      .flatMap((p) => reach.peerWorkloads(policy, p));
    const unique = [...new Map(matched.map((w) => [w.id, w])).values()];
    const who =
      rule.peers && rule.peers.length > 0 && unique.length > 0 ? ` (matches ${listWorkloads(unique)})` : '';
    lines.push(`  - spec.${direction}[${rule.index}]: ${describeRule(policy, rule)}${who}`);
  });
  return lines;
}

function typesLine(policy: PolicyModel): string {
  const affected = [policy.affects.ingress ? 'Ingress' : '', policy.affects.egress ? 'Egress' : ''].filter(
    Boolean,
  );
  const list = affected.length > 0 ? affected.join(' and ') : 'nothing';
  if (policy.policyTypes === null || policy.policyTypes.length === 0) {
    return `Policy types: ${list} (policyTypes omitted: Ingress is implied${policy.affects.egress ? ', Egress because egress rules are present' : ''}).`;
  }
  return `Policy types: ${list}.`;
}

function summaryOf(policy: PolicyModel, selected: WorkloadModel[]): string {
  const count = `${selected.length} workload${selected.length === 1 ? '' : 's'}`;
  const parts: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    if (!policy.affects[direction]) {
      parts.push(`${direction} unchanged`);
    } else if (policy[direction].length === 0) {
      parts.push(`denies all ${direction} of ${count}`);
    } else {
      const preposition = direction === 'ingress' ? 'from' : 'to';
      parts.push(
        `isolates ${count} for ${direction} and allows ${direction} only ${preposition} what its ${policy[direction].length} rule(s) allow`,
      );
    }
  }
  return parts.join('; ');
}

export function explainPolicy(policy: PolicyModel, reach: Reachability): PolicyExplanation {
  const selected = reach.selectedWorkloads(policy);
  const namespaceNote = policy.namespaceExplicit
    ? ''
    : ' (no metadata.namespace: applies to whatever namespace kubectl targets)';
  const lines = [
    `Selects ${describeSelector(policy.podSelector)} in namespace ${policy.namespace}${namespaceNote}: ${listWorkloads(selected)}.`,
    typesLine(policy),
    ...directionLines(policy, reach, 'ingress'),
    ...directionLines(policy, reach, 'egress'),
  ];
  return {
    policy,
    title: `NetworkPolicy ${policy.namespace}/${policy.name}`,
    summary: summaryOf(policy, selected),
    selected,
    lines,
  };
}

export function renderExplanation(explanation: PolicyExplanation): string {
  return [explanation.title, `  ${explanation.summary}.`, ...explanation.lines.map((l) => `  ${l}`)].join(
    '\n',
  );
}

function sideLines(verdict: SideVerdict, self: Peer): string[] {
  const label = `${verdict.direction === 'egress' ? 'Egress of' : 'Ingress of'} ${self.id}`;
  if (self.kind === 'external') return [`${label}: external address, no policy applies.`];
  if (!verdict.isolated)
    return [`${label}: not isolated (no policy selects it for ${verdict.direction}); all allowed.`];
  const policies = verdict.policies.map((p) => `${p.namespace}/${p.name}`).join(', ');
  const lines = [`${label}: isolated by ${policies}.`];
  if (verdict.rules.length === 0) {
    lines.push(`  no ${verdict.direction} rule of these policies allows it.`);
  }
  for (const match of verdict.rules) {
    lines.push(
      `  allowed by ${match.policy.namespace}/${match.policy.name} spec.${match.direction}[${match.ruleIndex}] (${match.connections.toString()})`,
    );
  }
  return lines;
}

/** The text `netpol-lens can` prints. */
export function explainQuery(result: QueryResult): string {
  const port = result.port ? ` on ${result.port.port}/${result.port.protocol}` : '';
  const verdict = result.allowed ? 'ALLOWED' : 'DENIED';
  return [
    `${verdict}: ${result.source.id} => ${result.destination.id}${port}`,
    ...sideLines(result.egress, result.source),
    ...sideLines(result.ingress, result.destination),
    `All connections allowed between them: ${result.connections.toString()}`,
  ].join('\n');
}
