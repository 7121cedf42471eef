// The reachability graph's model (the editor's graph webview): the JSON connectivity document
// (reachability-json.ts, the one producer of peers and sides), plus what only the graph draws: the pod
// pairs with no connection and why, which policies isolate each pod, and the external ranges merged
// where their connections are identical. The diff mode's edges are in graph-diff.ts.
import type { Analysis } from './analysis';
import type { Comparison } from './comparison';
import { groupExternalRanges, writtenBlocks, type ExternalGroup } from './external-groups';
import { graphDiff, type GraphDiff } from './graph-diff';
import type { Peer } from './reachability';
import {
  jsonSide,
  policyLocations,
  policyName,
  reachabilityJson,
  type JsonLocation,
  type JsonSide,
  type ReachabilityJson,
} from './reachability-json';

/** Denied pairs grow with the square of the pods; past this the graph would be unreadable anyway. */
export const DEFAULT_MAX_DENIED = 2000;

/** A pod-to-pod pair with no connection at all, and the policies that isolate each side. */
export interface DeniedPair {
  src: string;
  dst: string;
  egress: JsonSide;
  ingress: JsonSide;
}

/** The policies (`namespace/name`) that isolate a pod, per direction; empty: open. */
export interface PeerIsolation {
  ingress: string[];
  egress: string[];
}

/** Everything the graph webview draws. */
export interface GraphModel {
  reachability: ReachabilityJson;
  denied: DeniedPair[];
  /** True when more pairs are denied than `denied` lists. */
  deniedTruncated: boolean;
  /** Where each policy (`namespace/name`) is written. */
  policies: Record<string, JsonLocation>;
  /** In diff mode: the edges that changed against the base. */
  diff?: GraphDiff;
  /** Per pod id: the policies that isolate it, per direction. */
  isolation: Record<string, PeerIsolation>;
  /** The external ranges that have connections, merged where identical and labelled as written. */
  externalGroups: ExternalGroup[];
}

export interface GraphOptions {
  /** Upper bound on the denied pairs listed (default {@link DEFAULT_MAX_DENIED}). */
  maxDenied?: number;
  /** Diff mode: the comparison whose rows become `diff` (undefined: "no base" in `diff`). */
  diffWith?: { comparison: Comparison | undefined };
}

export function buildGraph(analysis: Analysis, options: GraphOptions = {}): GraphModel {
  const reachability = reachabilityJson(analysis);
  const { denied, deniedTruncated } = deniedPairs(analysis, options.maxDenied ?? DEFAULT_MAX_DENIED);
  const graph: GraphModel = {
    reachability,
    denied,
    deniedTruncated,
    policies: policyLocations(analysis.model.policies),
    isolation: isolationOf(analysis),
    externalGroups: externalGroupsOf(analysis, reachability),
  };
  if (options.diffWith) graph.diff = graphDiff(options.diffWith.comparison, analysis);
  return graph;
}

/** The model of a workspace with nothing in it (what a host answers when the analysis failed). */
export function emptyGraph(): GraphModel {
  return {
    reachability: { version: 1, options: {}, peers: [], connections: [], problems: [] },
    denied: [],
    deniedTruncated: false,
    policies: {},
    isolation: {},
    externalGroups: [],
  };
}

function deniedPairs(
  analysis: Analysis,
  maxDenied: number,
): { denied: DeniedPair[]; deniedTruncated: boolean } {
  const reach = analysis.reachability;
  const pods = reach.peers.filter((p) => p.kind === 'pod');
  const denied: DeniedPair[] = [];
  for (const source of pods) {
    for (const destination of pods) {
      if (source === destination || !reach.connections(source, destination).isEmpty()) continue;
      if (denied.length >= maxDenied) return { denied, deniedTruncated: true };
      if (reach.unknownBecause(source, destination).length > 0) continue; // see reachability.unknown
      denied.push(deniedPair(analysis, source, destination));
    }
  }
  return { denied, deniedTruncated: false };
}

function deniedPair(analysis: Analysis, source: Peer, destination: Peer): DeniedPair {
  const result = analysis.reachability.query(source, destination);
  return {
    src: source.id,
    dst: destination.id,
    egress: jsonSide(result.egress),
    ingress: jsonSide(result.ingress),
  };
}

/** No connection at all, for sure (an answer an unreadable object could change is unknown, not denied). */
function isDenied(reach: Analysis['reachability'], source: Peer, destination: Peer): boolean {
  return (
    reach.connections(source, destination).isEmpty() && reach.unknownBecause(source, destination).length === 0
  );
}

/** Every pod pair from or to the pod with no connection at all (none when the peer is not a pod). */
export function deniedPairsOf(analysis: Analysis, peerId: string): DeniedPair[] {
  const reach = analysis.reachability;
  const self = reach.peer(peerId);
  if (!self || self.kind !== 'pod') return [];
  const pairs: DeniedPair[] = [];
  for (const other of reach.peers) {
    if (other === self || other.kind !== 'pod') continue;
    if (isDenied(reach, self, other)) pairs.push(deniedPair(analysis, self, other));
    if (isDenied(reach, other, self)) pairs.push(deniedPair(analysis, other, self));
  }
  return pairs;
}

/** Which policies isolate each pod, per direction (the same verdict `can` reports for the side). */
function isolationOf(analysis: Analysis): Record<string, PeerIsolation> {
  const reach = analysis.reachability;
  const result: Record<string, PeerIsolation> = {};
  for (const pod of reach.peers) {
    if (pod.kind !== 'pod') continue;
    result[pod.id] = {
      ingress: reach.side(pod, pod, 'ingress').policies.map(policyName),
      egress: reach.side(pod, pod, 'egress').policies.map(policyName),
    };
  }
  return result;
}

/** The connected external ranges, merged where their connections are identical (external-groups.ts). */
function externalGroupsOf(analysis: Analysis, reachability: ReachabilityJson): ExternalGroup[] {
  const keys = new Map<string, string[]>();
  const note = (id: string, key: string) => {
    const list = keys.get(id);
    if (list) list.push(key);
    else keys.set(id, [key]);
  };
  const external = new Set(reachability.peers.filter((p) => p.type === 'external').map((p) => p.id));
  for (const c of reachability.connections) {
    if (external.has(c.src)) note(c.src, `to ${c.dst}: ${c.conn}`);
    if (external.has(c.dst)) note(c.dst, `from ${c.src}: ${c.conn}`);
  }
  const ranges = analysis.reachability.peers.flatMap((p) =>
    p.kind === 'external' && keys.has(p.id)
      ? [{ id: p.id, interval: p.interval, connectivity: keys.get(p.id)!.sort().join('\n') }]
      : [],
  );
  return groupExternalRanges(ranges, writtenBlocks(analysis.model.policies));
}
