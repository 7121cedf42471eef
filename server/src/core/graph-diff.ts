// The graph's diff mode: the rows of the comparison with a base (comparison.ts) as edges, and the ends
// of those edges the current graph does not have (workloads only in the base, ranges as the diff cuts them).
import type { Analysis } from './analysis';
import type { Comparison } from './comparison';
import { diffEndpointJson } from './diff-output';
import { jsonPeer, type JsonPeer } from './reachability-json';

/** How an edge of the graph changed from the base to now. */
export type GraphEdgeChange = 'added' | 'removed' | 'changed';

/** An edge of the graph in diff mode: one diff row. */
export interface GraphDiffEdge {
  /** Peer ids: a workload, or an external range as the diff cuts it (see `GraphDiff.extraPeers`). */
  src: string;
  dst: string;
  change: GraphEdgeChange;
  /** The connections in the base and now (`No Connections` on the side without any). */
  old: string;
  new: string;
  /** What the edge shows: `TCP 80 → TCP 80,443` when changed, the connections when added or removed. */
  label: string;
  /** `workload A added`, … (see docs/diff-output.md); absent when the workloads exist on both sides. */
  workloadsDiffInfo?: string;
}

/** What changed against a base (GraphModel.diff). */
export interface GraphDiff {
  /** The base as people read it, e.g. `HEAD`. */
  base: string;
  /** Set when the base cannot be read; `edges` is then empty. */
  error?: string;
  edges: GraphDiffEdge[];
  /**
   * Ends of `edges` that are not in `GraphModel.reachability.peers`: workloads that exist only in the
   * base (their edges are removed ones) and external ranges as the diff merges them.
   */
  extraPeers: JsonPeer[];
  /** Ids of the workloads that exist now but not in the base, and in the base but not now. */
  addedWorkloads: string[];
  removedWorkloads: string[];
}

/** The graph's diff mode from a comparison (undefined: none is set). */
export function graphDiff(comparison: Comparison | undefined, current: Analysis): GraphDiff {
  if (!comparison)
    return {
      base: '',
      error: 'No base to compare with.',
      edges: [],
      extraPeers: [],
      addedWorkloads: [],
      removedWorkloads: [],
    };
  const currentPeers = new Set(current.reachability.peers.map((p) => p.id));
  const currentPods = current.reachability.peers.filter((p) => p.kind === 'pod').map((p) => p.id);
  const basePods = new Set(
    comparison.base.reachability.peers.filter((p) => p.kind === 'pod').map((p) => p.id),
  );
  return {
    base: comparison.label,
    edges: comparison.diff.rows.map((row) => ({
      src: row.source.id,
      dst: row.destination.id,
      change: row.type,
      old: row.ref1,
      new: row.ref2,
      label:
        row.type === 'changed' ? `${row.ref1} → ${row.ref2}` : row.type === 'added' ? row.ref2 : row.ref1,
      ...(row.workloadsDiffInfo ? { workloadsDiffInfo: row.workloadsDiffInfo } : {}),
    })),
    extraPeers: extraPeers(comparison, currentPeers),
    addedWorkloads: currentPods.filter((id) => !basePods.has(id)),
    removedWorkloads: [...basePods].filter((id) => !currentPeers.has(id)),
  };
}

/** The ends of the diff rows the current graph lacks, once each. */
function extraPeers(comparison: Comparison, currentPeers: ReadonlySet<string>): JsonPeer[] {
  const extra = new Map<string, JsonPeer>();
  for (const row of comparison.diff.rows) {
    for (const end of [row.source, row.destination]) {
      if (currentPeers.has(end.id) || extra.has(end.id)) continue;
      const json = diffEndpointJson(end);
      const old = comparison.base.reachability.peer(end.id);
      if (json.type === 'external') extra.set(end.id, json);
      else if (old) extra.set(end.id, jsonPeer(old));
    }
  }
  return [...extra.values()];
}
