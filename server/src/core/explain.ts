// Stage 5: plain-English accounts of selectors, peers, policies and reachability answers. The text is
// plain (no markup); adapters that render markdown must escape it.
import { NAMESPACE_NAME_LABEL } from './extract';
import { ipBlockIntervals, parseCidr, readableInterval } from './addresses';
import { clusterDecision, clusterSideLines, describeClusterPolicy } from './cluster/explain';
import type { Peer, PortQuery, QueryResult, Reachability, SideVerdict } from './reachability';
import { isEmptySelector, selectorMatches } from './selectors';
import {
  isProtocol,
  type Direction,
  type LabelRequirement,
  type LabelSelector,
  type NamespaceModel,
  type PeerModel,
  type PolicyModel,
  type PortModel,
  type RuleModel,
  type UnreadableObject,
  type WorkloadModel,
} from './types';
import type { ConnectionSet } from './connections';
import { acceptedLabel, acceptedPort } from './diagnostics/accepted';
import { displayLines } from './display';
import { placeUnder } from './paths';
import { formatPosition } from './text';
import { describeUnreadable } from './unreadable';
import { workloadList, workloadListOf } from './workload-list';

/** How many workloads a rule's line of an explanation names. */
const WORKLOADS_SHOWN = 8;

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
    ...Object.entries(selector.matchLabels).map(([k, v]) =>
      // No object can carry a label the API server rejects, so the condition selects nothing.
      acceptedLabel(k, v) ? `${k}=${v}` : `${k}=${v} [invalid label: selects nothing]`,
    ),
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
  // A value that is not a CIDR has its own error: say what the analysis makes of it, never echo it as valid.
  if (!isCidr(block.cidr))
    return `an invalid ipBlock (cidr ${block.cidr} is not a CIDR) that matches nothing`;
  const invalid = block.except.filter((text) => !isCidr(text));
  if (invalid.length > 0) {
    const which = `${invalid.join(', ')} ${invalid.length === 1 ? 'is' : 'are'}`;
    return `an invalid ipBlock (except ${which} not a CIDR) that matches nothing`;
  }
  const except = block.except.length > 0 ? ` except ${block.except.join(', ')}` : '';
  return `addresses ${block.cidr}${except}`;
}

function isCidr(text: string): boolean {
  return parseCidr(text).family !== 'invalid';
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

export function describePort(port: PortModel): string {
  // The API server rejects the entry (its own error says why): never describe it as if it allowed a port.
  if (!acceptedPort(port)) return `an invalid port entry (${writtenPort(port)}) that allows nothing`;
  if (port.port === undefined) return `all ${port.protocol} ports`;
  if (typeof port.port === 'string') return `${port.protocol} named port ${port.port}`;
  if (port.endPort !== undefined && port.endPort !== port.port)
    return `${port.protocol} ${port.port}-${port.endPort}`;
  return `${port.protocol} ${port.port}`;
}

/** A port entry as written: `protocol TCPX, port 8080`, `port 5432, endPort 5430`. */
function writtenPort(port: PortModel): string {
  return [
    `protocol ${port.protocol}`,
    ...(port.port === undefined ? [] : [`port ${port.port}`]),
    ...(port.endPort === undefined ? [] : [`endPort ${port.endPort}`]),
  ].join(', ');
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
        ? ` ${rules.length === 1 ? `Its ${direction} rule is` : `Its ${rules.length} ${direction} rules are`} ignored: policyTypes does not include ${name}.`
        : '';
    return [`${name}: not affected by this policy.${ignored}`];
  }
  if (rules.length === 0)
    return [`${name}: isolates the selected pods and allows nothing (deny all ${direction}).`];
  const lines = [`${name}: isolates the selected pods; allows traffic that matches any of these rules:`];
  rules.forEach((rule) => {
    // The first few and a count from the engine's shared selections: joining the peers' lists for each
    // rule grew with the square of a large file.
    const { first, count } = reach.ruleWorkloadsHead(policy, rule, WORKLOADS_SHOWN);
    const who =
      rule.peers && rule.peers.length > 0 && count > 0
        ? ` (matches ${workloadListOf(first, count, WORKLOADS_SHOWN)})`
        : '';
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

/** How many rules the one-line summary spells out before "and N more". */
const SUMMARY_RULES = 3;

function summaryOf(policy: PolicyModel, selected: WorkloadModel[]): string {
  const count =
    selected.length === 0
      ? 'the pods it selects (none in the workspace)'
      : `${selected.length} workload${selected.length === 1 ? '' : 's'}`;
  const parts: string[] = [];
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = policy[direction];
    if (!policy.affects[direction]) {
      parts.push(`${direction} unchanged`);
    } else if (rules.length === 0) {
      parts.push(`denies all ${direction} of ${count}`);
    } else {
      const shown = rules.slice(0, SUMMARY_RULES).map((r) => describeRule(policy, r));
      const hidden = rules.length - SUMMARY_RULES;
      const more = hidden > 0 ? `; or ${hidden} more ${hidden === 1 ? 'rule' : 'rules'}` : '';
      // Rules are joined as peers are ("; or "): each rule's own text has commas (ports, selectors).
      parts.push(
        `isolates ${count} for ${direction}; allows ${direction} only ${shown.join('; or ')}${more}`,
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
    `Selects ${describeSelector(policy.podSelector)} in namespace ${policy.namespace}${namespaceNote}: ${workloadList(selected)}.`,
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
  return displayLines([
    explanation.title,
    `  ${explanation.summary}.`,
    ...explanation.lines.map((l) => `  ${l}`),
  ]);
}

function sideLines(verdict: SideVerdict, self: Peer, port: PortQuery | undefined): string[] {
  const label = `${verdict.direction === 'egress' ? 'Egress of' : 'Ingress of'} ${self.id}`;
  if (self.kind === 'external') return [`${label}: external address, no policy applies.`];
  if (verdict.clusterPolicies.length > 0) return tieredSideLines(verdict, label, port);
  if (!verdict.isolated)
    return [`${label}: not isolated (no policy selects it for ${verdict.direction}); all allowed.`];
  return [`${label}: isolated by ${networkPolicyList(verdict)}.`, ...networkPolicyLines(verdict)];
}

function networkPolicyList(verdict: SideVerdict): string {
  return verdict.policies.map((p) => `${p.namespace}/${p.name}`).join(', ');
}

/** A side under cluster policies: each tier in evaluation order, then the sentence that decides. */
function tieredSideLines(verdict: SideVerdict, label: string, port: PortQuery | undefined): string[] {
  const names = verdict.clusterPolicies.map(describeClusterPolicy).join(', ');
  const lines = [
    `${label}: subject of ${names}.`,
    ...clusterSideLines(verdict).filter((l) => l.includes('Admin tier')),
  ];
  lines.push(
    verdict.isolated
      ? `  NetworkPolicy: isolated by ${networkPolicyList(verdict)}.`
      : `  NetworkPolicy: none selects it for ${verdict.direction}.`,
  );
  if (verdict.isolated) lines.push(...networkPolicyLines(verdict).map((l) => `  ${l}`));
  lines.push(...clusterSideLines(verdict).filter((l) => l.includes('Baseline tier')));
  lines.push(`  ${clusterDecision(verdict, port)}`);
  return lines;
}

function networkPolicyLines(verdict: SideVerdict): string[] {
  const lines: string[] = [];
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

/** The text `netpol-lens can` prints; files are named under `folder` (the workspace's, see paths.ts). */
export function explainQuery(result: QueryResult, folder = ''): string {
  const port = result.port ? ` on ${result.port.port}/${result.port.protocol}` : '';
  const verdict = result.unknown.length > 0 ? 'UNKNOWN' : result.allowed ? 'ALLOWED' : 'DENIED';
  return displayLines([
    `${verdict}: ${result.source.id} => ${result.destination.id}${port}`,
    ...unknownLines(result.unknown, folder),
    ...sideLines(result.egress, result.source, result.port),
    ...sideLines(result.ingress, result.destination, result.port),
    allowedBetween(result.connections, result.unknown.length > 0),
  ]);
}

/** The last line of `can`: every connection allowed between the two, or that none is. */
function allowedBetween(connections: ConnectionSet, unknown: boolean): string {
  if (connections.isEmpty())
    return unknown
      ? 'The readable policies allow no connection between them.'
      : 'No connection is allowed between them.';
  return unknown
    ? `Everything the readable policies allow between them: ${connections.toString()}`
    : `Everything allowed between them: ${connections.toString()}`;
}

/** Why an answer is unknown: the objects that cannot be read, and where (files named under `folder`). */
export function unknownLines(unknown: readonly UnreadableObject[], folder = ''): string[] {
  return unknown.map(
    (u) =>
      `  ${describeUnreadable(u)} (${unreadablePlace(u, folder)}) ${u.ambiguous ? 'is ambiguous' : 'cannot be read'}: ${u.reason}; it could change this answer.`,
  );
}

/** What `explain` and hovers say about an object that cannot be read (files named under `folder`). */
export function explainUnreadable(u: UnreadableObject, folder = ''): string {
  return displayLines([
    describeUnreadable(u),
    `  ${u.ambiguous ? 'Ambiguous' : 'Cannot be read'}: ${u.reason} (${unreadablePlace(u, folder)}).`,
    '  What it selects and allows is unknown; answers it could change are reported as unknown, never as allowed.',
  ]);
}

function unreadablePlace(u: UnreadableObject, folder: string): string {
  return placeUnder(folder, u.uri, formatPosition(u.reasonRange));
}

/** `p/name spec.ingress[0] (TCP 80)`: a rule that allows (part of) a connection. */
function ruleWords(match: SideVerdict['rules'][number]): string {
  return `${match.policy.namespace}/${match.policy.name} spec.${match.direction}[${match.ruleIndex}] (${match.connections.toString()})`;
}

function sideLabel(verdict: SideVerdict, self: Peer): string {
  return `${verdict.direction} of ${self.id}`;
}

/** One side of a connection in a clause: what allows it, or what isolates it without allowing it. */
function sideClause(verdict: SideVerdict, self: Peer): string {
  const label = sideLabel(verdict, self);
  if (self.kind === 'external') return `${self.id} is an external address (no policy applies)`;
  if (!verdict.isolated) return `${label} is not isolated (no policy selects it for ${verdict.direction})`;
  if (verdict.rules.length > 0) return `${label} allowed by ${verdict.rules.map(ruleWords).join(', ')}`;
  const policies = verdict.policies.map((p) => `${p.namespace}/${p.name}`).join(', ');
  return `${label} isolated by ${policies}, and no ${verdict.direction} rule of ${verdict.policies.length === 1 ? 'it' : 'them'} allows it`;
}

/**
 * Which rules decide a {@link QueryResult}, in one line (the provenance `netpol-lens can` prints, folded):
 * for an allowed connection what allows it on both sides, for a denied one the side(s) that deny it.
 */
export function explainDecision(result: QueryResult): string {
  const sides = [
    { verdict: result.egress, self: result.source },
    { verdict: result.ingress, self: result.destination },
  ];
  if (result.allowed) return sides.map((s) => sideClause(s.verdict, s.self)).join('; ');
  const denying = sides.filter((s) => s.verdict.isolated && s.verdict.rules.length === 0);
  if (denying.length > 0) return denying.map((s) => sideClause(s.verdict, s.self)).join('; ');
  // Both sides allow something, but not the same thing (only possible without a port).
  const only = sides.map(
    (s) =>
      `${sideLabel(s.verdict, s.self)} allows only ${s.verdict.connections.toString()} (${s.verdict.rules.map(ruleWords).join(', ')})`,
  );
  return `${only.join('; ')}: nothing in common`;
}

// ---------------------------------------------------------------------------------------------
// Per-element explanations, for editor hovers: what one selector, peer, port or field means.

export interface ElementExplanation {
  /** Plain-text paragraphs. */
  lines: string[];
  /** The workloads the element selects or matches, when it is about pods. */
  workloads?: WorkloadModel[];
  /** The namespaces a namespaceSelector selects. */
  namespaces?: NamespaceModel[];
}

function preposition(direction: Direction): string {
  return direction === 'ingress' ? 'from' : 'to';
}

function ignoredNote(policy: PolicyModel, direction: Direction): string[] {
  if (policy.affects[direction]) return [];
  const name = direction === 'ingress' ? 'Ingress' : 'Egress';
  return [`Ignored: policyTypes does not include ${name}, so this ${direction} rule has no effect.`];
}

function affectedDirections(policy: PolicyModel): string {
  const list = (['ingress', 'egress'] as const).filter((d) => policy.affects[d]);
  return list.length > 0 ? list.join(' and ') : 'no direction (policyTypes names neither)';
}

/** The policy's own `spec.podSelector`. */
export function explainPodSelector(policy: PolicyModel, reach: Reachability): ElementExplanation {
  return {
    lines: [
      `This selects ${describeSelector(policy.podSelector)} in namespace ${policy.namespace}: the pods this policy applies to.`,
      `It isolates them for ${affectedDirections(policy)}.`,
    ],
    workloads: reach.selectedWorkloads(policy),
  };
}

/** One `from`/`to` entry as a whole. */
export function explainPeer(
  policy: PolicyModel,
  rule: RuleModel,
  peer: PeerModel,
  reach: Reachability,
): ElementExplanation {
  if (peer.ipBlock) return explainIpBlock(policy, rule, peer, reach);
  const lines = [
    `This ${rule.direction} peer allows traffic ${preposition(rule.direction)} ${describePeer(policy, peer)}, ${describePorts(rule)}.`,
  ];
  if (peer.podSelector && peer.namespaceSelector) {
    lines.push(
      'podSelector and namespaceSelector are in the same entry, so a pod must match both (AND); separate entries would mean OR.',
    );
  }
  lines.push(...ignoredNote(policy, rule.direction));
  return { lines, workloads: reach.peerWorkloads(policy, peer) };
}

/** A podSelector or namespaceSelector inside a peer. */
export function explainPeerSelector(
  policy: PolicyModel,
  rule: RuleModel,
  peer: PeerModel,
  role: 'pod' | 'namespace',
  reach: Reachability,
): ElementExplanation {
  const workloads = reach.peerWorkloads(policy, peer);
  if (role === 'pod' || !peer.namespaceSelector) {
    return {
      lines: [`This selects ${describePeer(policy, peer)}.`, ...ignoredNote(policy, rule.direction)],
      workloads,
    };
  }
  const selector = peer.namespaceSelector;
  const namespaces = reach.model.namespaces.filter((ns) => selectorMatches(selector, ns.labels));
  const lines = [`This selects ${describeSelector(selector, 'namespaces')}.`];
  lines.push(
    peer.podSelector
      ? `Together with the podSelector of the same entry, the peer is ${describePeer(policy, peer)}.`
      : `Without a podSelector, the peer is every pod in those namespaces.`,
  );
  return { lines: [...lines, ...ignoredNote(policy, rule.direction)], workloads, namespaces };
}

/** How many address ranges an ipBlock explanation spells out. */
const SHOWN_INTERVALS = 6;

export function explainIpBlock(
  policy: PolicyModel,
  rule: RuleModel,
  peer: PeerModel,
  reach: Reachability,
): ElementExplanation {
  const block = peer.ipBlock!;
  const lines = [
    `This ${rule.direction} peer allows traffic ${preposition(rule.direction)} ${describeIpBlock(peer)}, ${describePorts(rule)}.`,
  ];
  const family = parseCidr(block.cidr).family;
  if (family === 'ipv6') lines.push('IPv6 blocks are not analysed.');
  else if (family === 'invalid')
    lines.push(`"${block.cidr}" is not a valid CIDR: this peer matches nothing.`);
  else {
    const intervals = ipBlockIntervals(block);
    const shown = intervals.slice(0, SHOWN_INTERVALS).map(readableInterval).join(', ');
    const more = intervals.length > SHOWN_INTERVALS ? ` and ${intervals.length - SHOWN_INTERVALS} more` : '';
    lines.push(intervals.length > 0 ? `That is ${shown}${more}.` : 'The exceptions remove every address.');
  }
  lines.push(
    reach.options.ipBlockMatchesPods
      ? 'ipBlocks also match pod IPs here (ipBlockMatchesPods): a block matches every pod when it contains the whole pod network.'
      : 'ipBlocks are taken to match addresses outside the cluster, not pod IPs (Kubernetes leaves this to the network plugin).',
  );
  return { lines: [...lines, ...ignoredNote(policy, rule.direction)] };
}

/** The pods a rule's named ports resolve against: the selected pods (ingress) or the peers (egress). */
function portDestinations(policy: PolicyModel, rule: RuleModel, reach: Reachability): WorkloadModel[] {
  if (rule.direction === 'ingress') return reach.selectedWorkloads(policy);
  if (rule.peers === null || rule.peers.length === 0) return reach.model.workloads;
  return reach.ruleWorkloads(policy, rule);
}

/** How many workloads a named-port resolution lists. */
const SHOWN_RESOLUTIONS = 5;

function namedPortLines(
  policy: PolicyModel,
  rule: RuleModel,
  port: PortModel,
  reach: Reachability,
): string[] {
  const name = port.port as string;
  const resolved: string[] = [];
  const missing: string[] = [];
  for (const w of portDestinations(policy, rule, reach)) {
    const match = w.ports.find((cp) => cp.name === name && cp.protocol === port.protocol);
    if (match) resolved.push(`${port.protocol} ${match.containerPort} on ${w.id}`);
    else missing.push(w.id);
  }
  const cap = (list: string[]) =>
    list.slice(0, SHOWN_RESOLUTIONS).join(', ') +
    (list.length > SHOWN_RESOLUTIONS ? ` and ${list.length - SHOWN_RESOLUTIONS} more` : '');
  const lines = [`The named port ${name} resolves against the destination pod's container ports.`];
  if (resolved.length > 0) lines.push(`It is ${cap(resolved)}.`);
  if (missing.length > 0)
    lines.push(`No ${port.protocol} container port named ${name} on ${cap(missing)}: nothing there.`);
  if (rule.direction === 'egress' && (rule.peers ?? []).some((p) => p.ipBlock))
    lines.push('A named port never matches an external address.');
  return lines;
}

function portEntryLines(
  policy: PolicyModel,
  rule: RuleModel,
  port: PortModel,
  reach: Reachability,
): string[] {
  if (!isProtocol(port.protocol))
    return [`Unknown protocol ${port.protocol}: the API server rejects it; this entry allows nothing.`];
  if (typeof port.port === 'string') return namedPortLines(policy, rule, port, reach);
  if (typeof port.port === 'number' && port.endPort !== undefined && port.endPort < port.port)
    return [`endPort ${port.endPort} is below port ${port.port}: this entry allows nothing.`];
  return [];
}

export function explainPorts(policy: PolicyModel, rule: RuleModel, reach: Reachability): ElementExplanation {
  const lines = [`This ${rule.direction} rule allows traffic ${describePorts(rule)}.`];
  if (rule.ports === null || rule.ports.length === 0)
    lines.push('Absent or empty ports: every protocol and port.');
  for (const port of rule.ports ?? []) lines.push(...portEntryLines(policy, rule, port, reach));
  return { lines: [...lines, ...ignoredNote(policy, rule.direction)] };
}

export function explainPort(
  policy: PolicyModel,
  rule: RuleModel,
  port: PortModel,
  reach: Reachability,
): ElementExplanation {
  return {
    lines: [
      `This port entry allows ${describePort(port)} (one of the ports of spec.${rule.direction}[${rule.index}]).`,
      ...portEntryLines(policy, rule, port, reach),
      ...ignoredNote(policy, rule.direction),
    ],
  };
}

export function explainPolicyTypes(policy: PolicyModel, reach: Reachability): ElementExplanation {
  return {
    lines: [
      typesLine(policy),
      directionLines(policy, reach, 'ingress')[0],
      directionLines(policy, reach, 'egress')[0],
    ],
  };
}

/** An `ingress:`/`egress:` list as a whole: the lines `explain` prints for the direction. */
export function explainDirection(
  policy: PolicyModel,
  direction: Direction,
  reach: Reachability,
): ElementExplanation {
  return { lines: directionLines(policy, reach, direction).map((l) => l.replace(/^ {2}- /, '')) };
}

export function explainRule(policy: PolicyModel, rule: RuleModel, reach: Reachability): ElementExplanation {
  const workloads = reach.ruleWorkloads(policy, rule);
  return {
    lines: [
      `spec.${rule.direction}[${rule.index}] allows traffic ${describeRule(policy, rule)}.`,
      ...ignoredNote(policy, rule.direction),
    ],
    workloads: rule.peers && rule.peers.length > 0 ? workloads : undefined,
  };
}
