// The other direction of an explanation: for one workload, the policies that select it and who may
// reach it / what it may reach, from the reachability results.
import { readableInterval } from '../addresses';
import type { Analysis } from '../index';
import type { ConnectionSet } from '../connections';
import type { Peer } from '../reachability';
import { selectorMatches } from '../selectors';
import type { PolicyModel, WorkloadModel } from '../types';
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
}

export function policiesSelecting(analysis: Analysis, workload: WorkloadModel): PolicyModel[] {
  return analysis.model.policies.filter(
    (p) => p.namespace === workload.namespace && selectorMatches(p.podSelector, workload.labels),
  );
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
  const allowed = (pairs: PeerConnections[]) => pairs.filter((p) => !p.connections.isEmpty());
  return {
    workload,
    policies,
    ingress: { isolated: ingress.length > 0, policies: ingress },
    egress: { isolated: egress.length > 0, policies: egress },
    from: self ? allowed(sources.map((peer) => ({ peer, connections: reach.connections(peer, self) }))) : [],
    to: self
      ? allowed(destinations.map((peer) => ({ peer, connections: reach.connections(self, peer) })))
      : [],
    candidates: { from: sources.length, to: destinations.length },
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

function reachLine(verb: string, pairs: PeerConnections[], candidates: number): string {
  if (pairs.length === 0) return `${verb} nothing.`;
  const everything = pairs.length === candidates && pairs.every((p) => p.connections.isAll());
  if (everything) return `${verb} every pod and address on all connections.`;
  return `${verb} ${groupedPeers(pairs)}.`;
}

function isolationLine(direction: 'ingress' | 'egress', side: WorkloadSummary['ingress']): string {
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
  return [
    `**${escapeMarkdown(w.id)}**`,
    selected,
    `${isolationLine('ingress', summary.ingress)}  \n${isolationLine('egress', summary.egress)}`,
    reachLine('Reachable from', summary.from, summary.candidates.from),
    reachLine('May reach', summary.to, summary.candidates.to),
  ].join('\n\n');
}
