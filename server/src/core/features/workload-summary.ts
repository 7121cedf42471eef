// The other direction of an explanation: for one workload, the policies that select it and who may
// reach it / what it may reach, from the reachability results.
import { readableInterval } from '../addresses';
import type { Analysis } from '../index';
import type { ConnectionSet } from '../connections';
import type { Peer } from '../reachability';
import type { PolicyModel, UnreadableObject, WorkloadModel } from '../types';
import { actsAsPolicy, actsClusterWide, describeUnreadable } from '../unreadable';
import { bulletList, escapeMarkdown, policyLink, workloadLink } from './markdown';

export interface PeerConnections {
  peer: Peer;
  connections: ConnectionSet;
}

export interface WorkloadSummary {
  workload: WorkloadModel;
  /** Every policy whose podSelector selects the workload (in its namespace). */
  policies: PolicyModel[];
  ingress: { isolated: boolean; policies: PolicyModel[] };
  egress: { isolated: boolean; policies: PolicyModel[] };
  /** Peers that may connect to the workload, and on what. */
  from: PeerConnections[];
  /** Peers the workload may connect to, and on what. */
  to: PeerConnections[];
  /** How many peers could be sources / destinations at all (to tell "everything" apart). */
  candidates: { from: number; to: number };
  /**
   * Peers whose connections from / to the workload unreadable objects could change (never in `from` or
   * `to`: no answer is given for them), and those objects.
   */
  unknown: { from: number; to: number; because: UnreadableObject[] };
}

export function policiesSelecting(analysis: Analysis, workload: WorkloadModel): PolicyModel[] {
  return analysis.reachability.policiesSelecting(workload);
}

export function workloadSummary(analysis: Analysis, workload: WorkloadModel): WorkloadSummary {
  const reach = analysis.reachability;
  const policies = policiesSelecting(analysis, workload);
  const ingress = policies.filter((p) => p.affects.ingress);
  const egress = policies.filter((p) => p.affects.egress);
  const self = reach.peer(workload.id);
  const others = reach.peers.filter((p) => p !== self);
  const sources = others.filter((p) => p.kind === 'pod' || p.sourceAtom !== undefined);
  const destinations = others.filter((p) => p.kind === 'pod' || p.destinationAtom !== undefined);
  const because = new Set<UnreadableObject>();
  /** The known pairs that allow something; a pair in doubt is counted and its doubts kept instead. */
  const known = (pairs: [Peer, Peer][]) => {
    const allowed: PeerConnections[] = [];
    let unknown = 0;
    for (const [source, destination] of pairs) {
      const doubts = reach.connectionsInDoubt(source, destination);
      if (doubts.length > 0) {
        unknown++;
        for (const d of doubts) because.add(d);
        continue;
      }
      const connections = reach.connections(source, destination);
      const peer = source === self ? destination : source;
      if (!connections.isEmpty()) allowed.push({ peer, connections });
    }
    return { allowed, unknown };
  };
  const from = self ? known(sources.map((peer): [Peer, Peer] => [peer, self])) : { allowed: [], unknown: 0 };
  const to = self
    ? known(destinations.map((peer): [Peer, Peer] => [self, peer]))
    : { allowed: [], unknown: 0 };
  return {
    workload,
    policies,
    ingress: { isolated: ingress.length > 0, policies: ingress },
    egress: { isolated: egress.length > 0, policies: egress },
    from: from.allowed,
    to: to.allowed,
    candidates: { from: sources.length, to: destinations.length },
    unknown: { from: from.unknown, to: to.unknown, because: [...because] },
  };
}

/** How many peers the reach summary names before "and N more". */
const SHOWN_PEERS = 8;

function peerText(peer: Peer): string {
  if (peer.kind === 'external') return escapeMarkdown(readableInterval(peer.interval));
  return workloadLink(peer.workload);
}

function connectionsText(connections: ConnectionSet): string {
  return connections.isAll() ? 'all connections' : escapeMarkdown(connections.toString());
}

/** "a, b on TCP 80; c on all connections", peers grouped by what they may use, capped. */
export function groupedPeers(pairs: PeerConnections[], limit = SHOWN_PEERS): string {
  const groups = new Map<string, { connections: ConnectionSet; peers: Peer[] }>();
  for (const { peer, connections } of pairs.slice(0, limit)) {
    const key = connections.key();
    const group = groups.get(key) ?? { connections, peers: [] };
    group.peers.push(peer);
    groups.set(key, group);
  }
  const text = [...groups.values()]
    .map((g) => `${g.peers.map(peerText).join(', ')} on ${connectionsText(g.connections)}`)
    .join('; ');
  return pairs.length > limit ? `${text}; and ${pairs.length - limit} more` : text;
}

function reachLine(verb: string, pairs: PeerConnections[], candidates: number, unknown: number): string {
  const rest =
    unknown === 0 ? '' : ` Unknown for ${unknown} ${unknown === 1 ? 'peer' : 'peers'} (see below).`;
  if (unknown > 0 && pairs.length === 0) return `${verb} no peer as far as is known.${rest}`;
  if (pairs.length === 0) return `${verb} nothing.`;
  if (unknown > 0) return `${verb} ${groupedPeers(pairs)}.${rest}`;
  const everything = pairs.length === candidates && pairs.every((p) => p.connections.isAll());
  if (everything) return `${verb} every pod and address on all connections.`;
  return `${verb} ${groupedPeers(pairs)}.`;
}

function isolationLine(
  direction: 'ingress' | 'egress',
  side: WorkloadSummary['ingress'],
  inDoubt: boolean,
): string {
  if (!side.isolated && inDoubt)
    return `**${direction}**: open as far as the readable policies go (none of them selects it for ${direction})`;
  if (!side.isolated) return `**${direction}**: open (no policy selects it for ${direction})`;
  return `**${direction}**: isolated by ${side.policies.map(policyLink).join(', ')}`;
}

/** The workload hover: policies, isolation per direction, and a reach summary. */
export function renderWorkloadSummary(summary: WorkloadSummary): string {
  const w = summary.workload;
  const selected =
    summary.policies.length === 0
      ? 'No NetworkPolicy selects it.'
      : `Selected by ${summary.policies.length} ${summary.policies.length === 1 ? 'policy' : 'policies'}:\n\n${bulletList(summary.policies.map(policyLink))}`;
  const { unknown } = summary;
  // Its own isolation is in doubt when an unreadable object may be a policy that selects it.
  const ownDoubt = unknown.because.some(
    (u) => actsClusterWide(u) || (actsAsPolicy(u) && (u.namespace ?? w.namespace) === w.namespace),
  );
  return [
    `**${escapeMarkdown(w.id)}**`,
    selected,
    `${isolationLine('ingress', summary.ingress, ownDoubt)}  \n${isolationLine('egress', summary.egress, ownDoubt)}`,
    reachLine('Reachable from', summary.from, summary.candidates.from, unknown.from),
    reachLine('May reach', summary.to, summary.candidates.to, unknown.to),
    ...(unknown.because.length > 0 ? [doubtsLine(unknown.because)] : []),
  ].join('\n\n');
}

/** Why some of its connections are unknown: the objects that cannot be read (at most a few, named). */
function doubtsLine(because: readonly UnreadableObject[]): string {
  const named = because.slice(0, SHOWN_PEERS).map((u) => escapeMarkdown(describeUnreadable(u)));
  const more = because.length > SHOWN_PEERS ? ` and ${because.length - SHOWN_PEERS} more` : '';
  const verb =
    because.length === 1
      ? because[0].ambiguous
        ? 'is ambiguous'
        : 'cannot be read'
      : 'cannot be read or are ambiguous';
  return `Unknown: ${named.join(', ')}${more} ${verb}, and could change those connections; they are reported as unknown, never as allowed or denied.`;
}
