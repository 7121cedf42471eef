// What the graph draws for a view of the workspace: the overview (one node per namespace, one edge
// per ordered namespace pair with the number of workload pairs), namespaces expanded in place into
// their workloads, and the focus on one workload's one-hop neighbourhood. External ranges are drawn
// as the server grouped them (merged where identical, labelled as the policies wrote them).
// Pure data in, plain data out: unit-tested in Node (test/unit/webview-view-model.test.ts).
import type {
  DeniedPair,
  ExternalGroup,
  GraphDiffEdge,
  GraphResult,
  JsonConnection,
  JsonPodPeer,
} from '../../../server/src/protocol';
import {
  DEFAULT_FILTERS,
  EXTERNAL_GROUP,
  allowedEdgeId,
  connectionLabel,
  connectionsAllow,
  decidingTier,
  deniedEdgeId,
  formatPortFilter,
  namespaceNodeId,
  tierClass,
  type EdgeData,
  type GraphElement,
  type GraphElements,
  type GraphFilters,
  type NodeData,
  type TierTag,
} from './graph-model';

/** Which part of the workspace the view draws. */
export interface ViewSpec {
  filters: GraphFilters;
  /** Namespaces drawn with their workloads; the others are one node each. 'all': every namespace. */
  expanded: readonly string[] | 'all';
  /** A workload id: only it and the peers it reaches or is reached by. */
  focus?: string;
  /** Every denied pair from or to the focused workload, when `graph.denied` is truncated. */
  focusDenied?: readonly DeniedPair[];
}

/** Past this many distinct connection sets, an aggregated edge shows only its number of pairs. */
const FEW_PORTS = 2;

export interface NamespaceSummary {
  name: string;
  workloads: number;
  /** How many of its workloads some policy isolates, per direction. */
  isolated: { ingress: number; egress: number };
  /** Policies (`namespace/name`) isolating at least one of its workloads, per direction. */
  policies: { ingress: string[]; egress: string[] };
}

/** The view's model: the elements, and the workload pairs behind each drawn edge (for its details). */
export interface ViewModel {
  elements: GraphElements;
  /** Edge id → the engine's connections it stands for (one for a workload pair). */
  members: Map<string, JsonConnection[]>;
  /** Edge id → denied pairs it stands for. */
  denied: Map<string, DeniedPair[]>;
  /** Workload pairs allowed inside each collapsed namespace. */
  inside: Map<string, number>;
  namespaces: Map<string, NamespaceSummary>;
  /** The focused workload, when the focus applies (it exists and is not filtered out). */
  focus?: string;
  /** Diff mode: allowed-edge id → the diff rows behind it (a removed-only edge is `removed:` + id). */
  changes: Map<string, EdgeChanges>;
}

/** Counted once per graph: every draw asks (the overview threshold), and a graph never changes. */
const workloadCounts = new WeakMap<GraphResult, number>();

export function workloadCount(graph: GraphResult): number {
  let count = workloadCounts.get(graph);
  if (count === undefined) {
    count = graph.reachability.peers.filter((p) => p.type === 'pod').length;
    workloadCounts.set(graph, count);
  }
  return count;
}

/** The overview is the first view past `threshold` workloads: every namespace starts collapsed. */
export function initialExpansion(graph: GraphResult, threshold: number): readonly string[] | 'all' {
  return workloadCount(graph) > threshold ? [] : 'all';
}

export function namespaceSummaries(graph: GraphResult): Map<string, NamespaceSummary> {
  const summaries = new Map<string, NamespaceSummary>();
  for (const peer of graph.reachability.peers) {
    if (peer.type !== 'pod') continue;
    let s = summaries.get(peer.namespace);
    if (!s) {
      s = {
        name: peer.namespace,
        workloads: 0,
        isolated: { ingress: 0, egress: 0 },
        policies: { ingress: [], egress: [] },
      };
      summaries.set(peer.namespace, s);
    }
    s.workloads++;
    const isolation = graph.isolation?.[peer.id];
    for (const direction of ['ingress', 'egress'] as const) {
      const policies = isolation?.[direction] ?? [];
      if (policies.length > 0) s.isolated[direction]++;
      for (const p of policies) if (!s.policies[direction].includes(p)) s.policies[direction].push(p);
    }
  }
  return new Map([...summaries].sort(([a], [b]) => a.localeCompare(b)));
}

/** "isolated" (every workload), "open" (none) or "3/5 isolated". */
export function isolationText(isolated: number, workloads: number): string {
  if (isolated === 0) return 'open';
  if (isolated === workloads) return 'isolated';
  return `${isolated}/${workloads} isolated`;
}

export function namespaceLabel(s: NamespaceSummary): string {
  const count = `${s.workloads} workload${s.workloads === 1 ? '' : 's'}`;
  const state = `in: ${isolationText(s.isolated.ingress, s.workloads)} · out: ${isolationText(s.isolated.egress, s.workloads)}`;
  return `${s.name}\n${count}\n${state}`;
}

function podNode(peer: JsonPodPeer): GraphElement<NodeData> {
  const classes = ['pod', peer.implicit ? 'implicit' : '', peer.inferred ? 'inferred' : ''].filter(Boolean);
  return {
    data: {
      id: peer.id,
      label: `${peer.name} [${peer.kind}]`,
      kind: 'pod',
      parent: namespaceNodeId(peer.namespace),
      namespace: peer.namespace,
      implicit: peer.implicit,
      inferred: peer.inferred,
    },
    classes: classes.join(' '),
  };
}

function externalNode(group: ExternalGroup): GraphElement<NodeData> {
  return {
    data: { id: group.id, label: group.label, kind: 'external', parent: EXTERNAL_GROUP, peers: group.peers },
    classes: group.asWritten ? 'external as-written' : 'external',
  };
}

/** Where a peer is drawn in this view: itself, its collapsed namespace, its external group, or nowhere. */
type Placement = (peerId: string) => string | undefined;

interface Aggregate {
  source: string;
  target: string;
  connections: JsonConnection[];
  pairs: Set<string>;
  conns: Set<string>;
}

/** The elements (and their members) the view draws for the graph. */
export function buildView(graph: GraphResult, spec: ViewSpec): ViewModel {
  const hidden = new Set(spec.filters.hiddenNamespaces);
  const pods = new Map<string, JsonPodPeer>();
  const diff = graph.diff && !graph.diff.error ? graph.diff : undefined;
  // In diff mode, workloads that exist only in the base and ranges as the diff cuts them are drawn too.
  const allPeers = [...graph.reachability.peers, ...(diff?.extraPeers ?? [])];
  for (const p of allPeers) if (p.type === 'pod' && !hidden.has(p.namespace)) pods.set(p.id, p);
  const groupOf = new Map<string, ExternalGroup>();
  if (!hidden.has(EXTERNAL_GROUP)) {
    for (const g of graph.externalGroups ?? []) for (const id of g.peers) groupOf.set(id, g);
    for (const p of diff?.extraPeers ?? [])
      if (p.type === 'external' && !groupOf.has(p.id))
        groupOf.set(p.id, { id: p.id, label: p.range, asWritten: false, peers: [p.id], ranges: [p.range] });
  }
  const removedWorkloads = new Set(diff?.removedWorkloads ?? []);
  const addedWorkloads = new Set(diff?.addedWorkloads ?? []);
  const focus = spec.focus !== undefined && pods.has(spec.focus) ? spec.focus : undefined;
  const expanded = spec.expanded === 'all' || focus !== undefined ? undefined : new Set(spec.expanded);
  const isExpanded = (namespace: string) => expanded === undefined || expanded.has(namespace);
  const externalsExpanded = isExpanded(EXTERNAL_GROUP);

  // A peer's drawn node: pods of collapsed namespaces are their namespace's node.
  const placement: Placement = (id) => {
    const pod = pods.get(id);
    if (pod) return isExpanded(pod.namespace) ? id : namespaceNodeId(pod.namespace);
    const group = groupOf.get(id);
    if (!group) return undefined;
    return externalsExpanded ? group.id : EXTERNAL_GROUP;
  };
  const touchesFocus = (c: { src: string; dst: string }) =>
    focus === undefined || c.src === focus || c.dst === focus;

  const aggregates = new Map<string, Aggregate>();
  const inside = new Map<string, number>();
  const denied = new Map<string, DeniedPair[]>();
  const deniedEdges: GraphElement<EdgeData>[] = [];
  const addDenied = (pair: DeniedPair, label: string, tier?: TierTag) => {
    const id = deniedEdgeId(pair.src, pair.dst);
    if (denied.has(id)) return;
    denied.set(id, [pair]);
    deniedEdges.push({
      data: {
        id,
        source: pair.src,
        target: pair.dst,
        label: tier ? `${label} · ${tier.text}` : label,
        kind: 'denied',
        all: false,
        ...(tier ? { tier } : {}),
      },
      classes: ['denied', tierClass(tier)].filter(Boolean).join(' '),
    });
  };
  const port = spec.filters.port;
  for (const c of graph.reachability.connections) {
    if (!touchesFocus(c)) continue;
    const source = placement(c.src);
    const target = placement(c.dst);
    if (source === undefined || target === undefined) continue;
    if (port && !connectionsAllow(c.connections, port)) {
      // Allowed, but not on the filtered port: a denied pair of workloads for this view.
      if (
        spec.filters.showDenied &&
        source === c.src &&
        target === c.dst &&
        pods.has(c.src) &&
        pods.has(c.dst)
      )
        addDenied(
          { src: c.src, dst: c.dst, egress: c.egress, ingress: c.ingress },
          `not ${formatPortFilter(port)}`,
        );
      continue;
    }
    if (source === target) {
      inside.set(source, (inside.get(source) ?? 0) + 1);
      continue;
    }
    const id = allowedEdgeId(source, target);
    let aggregate = aggregates.get(id);
    if (!aggregate) {
      aggregate = { source, target, connections: [], pairs: new Set(), conns: new Set() };
      aggregates.set(id, aggregate);
    }
    aggregate.connections.push(c);
    // An external group's ranges share their connections: a pod and a group make one pair.
    aggregate.pairs.add(`${groupOf.get(c.src)?.id ?? c.src}>${groupOf.get(c.dst)?.id ?? c.dst}`);
    aggregate.conns.add(c.conn);
  }
  if (spec.filters.showDenied) {
    const pairs = focus !== undefined && graph.deniedTruncated ? (spec.focusDenied ?? []) : graph.denied;
    for (const pair of pairs) {
      if (!touchesFocus(pair) || placement(pair.src) !== pair.src || placement(pair.dst) !== pair.dst)
        continue;
      addDenied(pair, 'denied', decidingTier([pair.egress, pair.ingress], 'Deny'));
    }
  }

  const members = new Map<string, JsonConnection[]>();
  const edges: GraphElement<EdgeData>[] = [];
  const changes = diff ? diffByEdge(diff.edges, placement, touchesFocus) : new Map<string, EdgeChanges>();
  for (const [id, a] of aggregates) {
    members.set(id, a.connections);
    edges.push(withChanges(aggregateEdge(id, a), changes.get(id)));
  }
  for (const [id, change] of changes) if (!aggregates.has(id)) edges.push(removedEdge(id, change));
  edges.push(...deniedEdges);

  const namespaces = namespaceSummaries(graph);
  const nodes = drawnNodes({ graph, pods, groupOf, edges, focus, isExpanded, namespaces, inside });
  for (const node of nodes) {
    if (removedWorkloads.has(node.data.id)) node.classes += ' removed';
    if (addedWorkloads.has(node.data.id)) node.classes += ' added';
  }
  return { elements: { nodes, edges }, members, denied, inside, namespaces, focus, changes };
}

/** The diff rows behind one drawn edge (diff mode). */
export interface EdgeChanges {
  source: string;
  target: string;
  added: GraphDiffEdge[];
  removed: GraphDiffEdge[];
  changed: GraphDiffEdge[];
}

function diffByEdge(
  rows: readonly GraphDiffEdge[],
  placement: (id: string) => string | undefined,
  touchesFocus: (row: { src: string; dst: string }) => boolean,
): Map<string, EdgeChanges> {
  const changes = new Map<string, EdgeChanges>();
  for (const row of rows) {
    if (!touchesFocus(row)) continue;
    const source = placement(row.src);
    const target = placement(row.dst);
    if (source === undefined || target === undefined || source === target) continue;
    const id = allowedEdgeId(source, target);
    let entry = changes.get(id);
    if (!entry) {
      entry = { source, target, added: [], removed: [], changed: [] };
      changes.set(id, entry);
    }
    entry[row.change].push(row);
  }
  return changes;
}

function changeCount(c: EdgeChanges): number {
  return c.added.length + c.removed.length + c.changed.length;
}

/** `+2 −1 ~3`: how many pairs behind an aggregated edge were added, removed or changed. */
function changeSummary(c: EdgeChanges): string {
  const parts = [
    c.added.length > 0 ? `+${c.added.length}` : '',
    c.removed.length > 0 ? `−${c.removed.length}` : '',
    c.changed.length > 0 ? `~${c.changed.length}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** An allowed edge in diff mode: one changed pair shows `old → new`; an aggregate counts its changes. */
function withChanges(edge: GraphElement<EdgeData>, c: EdgeChanges | undefined): GraphElement<EdgeData> {
  if (!c) return edge;
  const single = changeCount(c) === 1 && !edge.classes.split(' ').includes('aggregate');
  if (single && c.changed.length === 1)
    return { data: { ...edge.data, label: c.changed[0].label }, classes: `${edge.classes} changed` };
  if (single && c.added.length === 1) return { ...edge, classes: `${edge.classes} added` };
  return {
    data: { ...edge.data, label: `${edge.data.label} (${changeSummary(c)})` },
    classes: `${edge.classes} ${c.added.length === changeCount(c) ? 'added' : 'changed'}`,
  };
}

/** Pairs that connected in the base and no longer do: a dashed edge where no allowed one is left. */
function removedEdge(id: string, c: EdgeChanges): GraphElement<EdgeData> {
  const rows = [...c.removed, ...c.changed, ...c.added];
  const label = rows.length === 1 ? `removed: ${rows[0].old}` : `${rows.length} pairs removed`;
  return {
    data: { id: `removed:${id}`, source: c.source, target: c.target, label, kind: 'removed', all: false },
    classes: 'removed',
  };
}

function aggregateEdge(id: string, a: Aggregate): GraphElement<EdgeData> {
  const all = a.connections.every((c) => c.conn === 'All Connections');
  const single = a.pairs.size === 1;
  const conns = [...a.conns].sort().map(connectionLabel);
  let label: string;
  if (single) label = conns.join(' | ');
  else {
    const count = `${a.pairs.size} pairs`;
    label = conns.length <= FEW_PORTS ? `${count}: ${conns.join(' | ')}` : count;
  }
  // The deciding tier shows when every pair behind the edge has the same one.
  const tags = a.connections.map((c) => decidingTier([c.egress, c.ingress], 'Allow'));
  const tier = tags.every((t) => t?.text === tags[0]?.text) ? tags[0] : undefined;
  if (tier) label = `${label} · ${tier.text}`;
  const classes = ['allowed', all ? 'all' : '', single ? '' : 'aggregate', tierClass(tier)]
    .filter(Boolean)
    .join(' ');
  return {
    data: { id, source: a.source, target: a.target, label, kind: 'allowed', all, ...(tier ? { tier } : {}) },
    classes,
  };
}

interface NodeInputs {
  graph: GraphResult;
  pods: Map<string, JsonPodPeer>;
  groupOf: Map<string, ExternalGroup>;
  edges: GraphElement<EdgeData>[];
  focus: string | undefined;
  isExpanded(namespace: string): boolean;
  namespaces: Map<string, NamespaceSummary>;
  inside: Map<string, number>;
}

/**
 * Namespaces (a compound when expanded, a summary node when collapsed), their workloads when expanded,
 * and the external groups that connect to something. In focus, only the focus and the peers it touches.
 */
function drawnNodes(input: NodeInputs): GraphElement<NodeData>[] {
  const { pods, focus, edges } = input;
  const ends = new Set(edges.flatMap((e) => [e.data.source, e.data.target]));
  const shown = (pod: JsonPodPeer) =>
    focus === undefined ? input.isExpanded(pod.namespace) : pod.id === focus || ends.has(pod.id);
  const parents = new Map<string, GraphElement<NodeData>>();
  const leaves: GraphElement<NodeData>[] = [];
  for (const pod of pods.values()) {
    const id = namespaceNodeId(pod.namespace);
    if (!shown(pod)) {
      if (focus === undefined && !parents.has(id)) parents.set(id, collapsedNamespace(input, pod.namespace));
      continue;
    }
    if (!parents.has(id) || parents.get(id)!.data.kind !== 'namespace')
      parents.set(id, { data: { id, label: pod.namespace, kind: 'namespace' }, classes: 'namespace' });
    leaves.push(podNode(pod));
  }
  const groups = new Map<string, ExternalGroup>();
  for (const g of input.groupOf.values()) if (ends.has(g.id)) groups.set(g.id, g);
  const externals: GraphElement<NodeData>[] = [];
  if (ends.has(EXTERNAL_GROUP)) externals.push(collapsedExternals(input));
  else if (groups.size > 0) {
    externals.push({
      data: {
        id: EXTERNAL_GROUP,
        label: 'External addresses',
        kind: 'external-group',
        namespace: EXTERNAL_GROUP,
      },
      classes: 'external-group',
    });
    externals.push(...[...groups.values()].map(externalNode));
  }
  return [...parents.values(), ...externals.slice(0, 1), ...leaves, ...externals.slice(1)];
}

/** The external addresses as one node, like a collapsed namespace. */
function collapsedExternals(input: NodeInputs): GraphElement<NodeData> {
  const groups = new Set([...input.groupOf.values()].map((g) => g.id)).size;
  return {
    data: {
      id: EXTERNAL_GROUP,
      label: `External addresses\n${groups} address group${groups === 1 ? '' : 's'}`,
      kind: 'namespace-summary',
      namespace: EXTERNAL_GROUP,
    },
    classes: 'namespace-summary external-summary',
  };
}

function collapsedNamespace(input: NodeInputs, namespace: string): GraphElement<NodeData> {
  // A namespace only the diff's base has: no workload now.
  const summary = input.namespaces.get(namespace) ?? {
    name: namespace,
    workloads: 0,
    isolated: { ingress: 0, egress: 0 },
    policies: { ingress: [], egress: [] },
  };
  const id = namespaceNodeId(namespace);
  return {
    data: { id, label: namespaceLabel(summary), kind: 'namespace-summary', namespace },
    classes: 'namespace-summary',
  };
}

/** The elements of the detailed view (every namespace expanded) under the filters. */
export function buildElements(graph: GraphResult, filters: GraphFilters = DEFAULT_FILTERS): GraphElements {
  return buildView(graph, { filters, expanded: 'all' }).elements;
}

/** A workload by id (`ns/name[Kind]`), `ns/name` or a bare name, when exactly one matches. */
export function findWorkload(graph: GraphResult, text: string): string | undefined {
  const pods = graph.reachability.peers.filter((p): p is JsonPodPeer => p.type === 'pod');
  const exact = pods.find((p) => p.id === text);
  if (exact) return exact.id;
  const byName = pods.filter((p) => `${p.namespace}/${p.name}` === text || p.name === text);
  return byName.length === 1 ? byName[0].id : undefined;
}
