// The graph's element data (what view-model.ts builds for cytoscape), the view's filters, live-update
// diffs and the details of an edge or node. No DOM here: everything is plain data, so it is
// unit-tested in Node (test/unit/webview-graph-model.test.ts).
import type {
  DeniedPair,
  GraphResult,
  JsonConnection,
  JsonConnections,
  JsonLocation,
  JsonSide,
  Protocol,
} from '../../../server/src/protocol';

export type { Protocol };

export interface PortFilter {
  port: number;
  /** Absent: any protocol. */
  protocol?: Protocol;
}

export interface GraphFilters {
  /** Namespaces left out of the view; EXTERNAL_GROUP hides the external address ranges. */
  hiddenNamespaces: string[];
  /** Only connections that allow this port. */
  port?: PortFilter;
  /** Also draw pod pairs that may not connect (or not on the filtered port). */
  showDenied: boolean;
}

export const DEFAULT_FILTERS: GraphFilters = { hiddenNamespaces: [], showDenied: false };

/** The namespace filter's entry for the external address ranges. */
export const EXTERNAL_GROUP = 'external:';
const NAMESPACE_PREFIX = 'ns:';

export type NodeKind = 'namespace' | 'namespace-summary' | 'external-group' | 'pod' | 'external';

export interface NodeData {
  id: string;
  label: string;
  kind: NodeKind;
  parent?: string;
  namespace?: string;
  implicit?: boolean;
  inferred?: boolean;
  /** An external node: the engine's ranges (peer ids) it stands for. */
  peers?: string[];
}

export type EdgeKind = 'allowed' | 'denied' | 'removed';

export interface EdgeData {
  id: string;
  source: string;
  target: string;
  label: string;
  kind: EdgeKind;
  /** Every protocol and port is allowed. */
  all: boolean;
  /** A cluster-scoped tier decides it ("Admin: deny-other"), not the NetworkPolicies or the default. */
  tier?: TierTag;
}

export interface TierTag {
  tier: 'Admin' | 'Baseline';
  /** `Admin: deny-other`, or `Admin: a, b` when several policies of the tier decide. */
  text: string;
}

/**
 * The tier whose Allow (for an allowed pair) or Deny (for a denied one) decides it on some side, as an
 * edge shows it: the Admin tier before the Baseline tier, the policies by name.
 */
export function decidingTier(sides: readonly JsonSide[], action: 'Allow' | 'Deny'): TierTag | undefined {
  // Most pairs have no cluster tier: every draw asks for each of thousands of them.
  if (!sides.some((s) => s.tiers !== undefined && s.tiers.length > 0)) return undefined;
  const matches = sides.flatMap((s) => s.tiers ?? []).filter((m) => m.action === action);
  for (const tier of ['Admin', 'Baseline'] as const) {
    const names = [...new Set(matches.filter((m) => m.tier === tier).map((m) => m.policy))].sort();
    if (names.length > 0) return { tier, text: `${tier}: ${names.join(', ')}` };
  }
  return undefined;
}

/** The cytoscape class that colours an edge's label by its deciding tier. */
export function tierClass(tag: TierTag | undefined): string {
  return tag ? `tier-${tag.tier.toLowerCase()}` : '';
}

/** The notice for policy kinds the analysis leaves out; undefined when there are none. */
export function unanalysedNotice(graph: GraphResult): string | undefined {
  const list = graph.reachability.unanalysed ?? [];
  if (list.length === 0) return undefined;
  const named = list
    .slice(0, 3)
    .map((u) => `${u.kind} ${u.namespace ? `${u.namespace}/` : ''}${u.name}`)
    .join(', ');
  const more = list.length > 3 ? ` and ${list.length - 3} more` : '';
  const count = list.length === 1 ? '1 policy' : `${list.length} policies`;
  return `Not analysed: ${count} of kinds netpol-lens does not evaluate (${named}${more}). The graph leaves them out, so a connection drawn here may be denied in the cluster.`;
}

export interface GraphElement<T> {
  data: T;
  /** Space-separated cytoscape classes, for styling. */
  classes: string;
}

export interface GraphElements {
  nodes: GraphElement<NodeData>[];
  edges: GraphElement<EdgeData>[];
}

export function namespaceNodeId(namespace: string): string {
  return NAMESPACE_PREFIX + namespace;
}

export function allowedEdgeId(src: string, dst: string): string {
  return `allow:${src}->${dst}`;
}

export function deniedEdgeId(src: string, dst: string): string {
  return `deny:${src}->${dst}`;
}

/** "80", "80/TCP", "tcp/80", " 53 / udp " → a filter; '' → undefined; anything else → 'invalid'. */
export function parsePortFilter(text: string): PortFilter | undefined | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  const match = /^(\d+)\s*(?:\/\s*([A-Za-z]+))?$/.exec(trimmed) ?? /^([A-Za-z]+)\s*\/\s*(\d+)$/.exec(trimmed);
  if (!match) return 'invalid';
  const [portText, protocolText] = /^\d/.test(match[1]) ? [match[1], match[2]] : [match[2], match[1]];
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return 'invalid';
  if (protocolText === undefined) return { port };
  const protocol = protocolText.toUpperCase();
  if (protocol !== 'TCP' && protocol !== 'UDP' && protocol !== 'SCTP') return 'invalid';
  return { port, protocol };
}

export function formatPortFilter(filter: PortFilter): string {
  return filter.protocol ? `${filter.port}/${filter.protocol}` : `${filter.port}`;
}

/** Whether a connection set (per-protocol inclusive ranges) allows the port. */
export function connectionsAllow(connections: JsonConnections, filter: PortFilter): boolean {
  const ranges = filter.protocol ? [connections[filter.protocol] ?? []] : Object.values(connections);
  return ranges.some((list) => list.some(([lo, hi]) => lo <= filter.port && filter.port <= hi));
}

/** The edge label: "all" for every connection, else the engine's text ("TCP 80,UDP 53"). */
export function connectionLabel(conn: string): string {
  return conn === 'All Connections' ? 'all' : conn;
}

/** Sorted namespaces of the pods, for the namespace filter. */
export function namespacesOf(graph: GraphResult): string[] {
  const names = new Set<string>();
  for (const peer of graph.reachability.peers) if (peer.type === 'pod') names.add(peer.namespace);
  return [...names].sort();
}

// ---------------------------------------------------------------------------------------------
// Live updates

export interface ElementsDiff {
  add: GraphElement<NodeData | EdgeData>[];
  /** Ids of elements to remove. */
  remove: string[];
  /** Elements whose data or classes changed, with their new values. */
  update: GraphElement<NodeData | EdgeData>[];
}

/** What to change in the drawn graph to get from `previous` to `next`, keeping every untouched element. */
export function diffElements(previous: GraphElements, next: GraphElements): ElementsDiff {
  const before = new Map<string, GraphElement<NodeData | EdgeData>>();
  for (const e of [...previous.nodes, ...previous.edges]) before.set(e.data.id, e);
  const diff: ElementsDiff = { add: [], remove: [], update: [] };
  const seen = new Set<string>();
  for (const element of [...next.nodes, ...next.edges]) {
    seen.add(element.data.id);
    const old = before.get(element.data.id);
    if (!old) diff.add.push(element);
    else if (structuralChange(old, element)) {
      // A node that moves to another parent (or an edge with new ends) must be re-added.
      diff.remove.push(old.data.id);
      diff.add.push(element);
    } else if (JSON.stringify(old) !== JSON.stringify(element)) diff.update.push(element);
  }
  for (const id of before.keys()) if (!seen.has(id)) diff.remove.push(id);
  return diff;
}

function structuralChange(
  a: GraphElement<NodeData | EdgeData>,
  b: GraphElement<NodeData | EdgeData>,
): boolean {
  type Ends = { parent?: string; source?: string; target?: string };
  const x = a.data as Ends;
  const y = b.data as Ends;
  return x.parent !== y.parent || x.source !== y.source || x.target !== y.target;
}

// ---------------------------------------------------------------------------------------------
// Details of an edge: the rules that allow it on each side, or the policies that isolate it

export interface DetailLink {
  text: string;
  location?: JsonLocation;
}

export interface SideDetails {
  heading: string;
  summary: string;
  links: DetailLink[];
}

export interface EdgeDetails {
  title: string;
  verdict: string;
  sides: SideDetails[];
}

export function edgeDetails(graph: GraphResult, edgeId: string): EdgeDetails | undefined {
  const connection = graph.reachability.connections.find((c) => allowedEdgeId(c.src, c.dst) === edgeId);
  if (connection) return allowedDetails(graph, connection);
  const pair =
    graph.denied.find((d) => deniedEdgeId(d.src, d.dst) === edgeId) ?? deniedForPort(graph, edgeId);
  return pair ? deniedPairDetails(graph, pair) : undefined;
}

/** A pair shown as denied only because of the port filter: its sides are those of the allowed edge. */
function deniedForPort(graph: GraphResult, edgeId: string): DeniedPair | undefined {
  const c = graph.reachability.connections.find((x) => deniedEdgeId(x.src, x.dst) === edgeId);
  return c ? { src: c.src, dst: c.dst, egress: c.egress, ingress: c.ingress } : undefined;
}

function allowedDetails(graph: GraphResult, c: JsonConnection): EdgeDetails {
  return {
    title: `${c.src} → ${c.dst}`,
    verdict: `Allowed: ${c.conn}`,
    sides: [side(graph, 'Egress of', c.src, c.egress), side(graph, 'Ingress of', c.dst, c.ingress)],
  };
}

/**
 * A denied pair: from the graph's list, from the host's list for a focus (when the graph's is cut
 * short), or one the port filter hides (allowed on other ports).
 */
export function deniedPairDetails(graph: GraphResult, d: DeniedPair): EdgeDetails {
  const allowed = graph.reachability.connections.find((x) => x.src === d.src && x.dst === d.dst);
  return {
    title: `${d.src} → ${d.dst}`,
    verdict: allowed ? `Allowed only on: ${allowed.conn}` : 'Denied: no connection allowed',
    sides: [side(graph, 'Egress of', d.src, d.egress), side(graph, 'Ingress of', d.dst, d.ingress)],
  };
}

function side(graph: GraphResult, heading: string, peer: string, verdict: JsonSide): SideDetails {
  const external = graph.reachability.peers.find((p) => p.id === peer)?.type === 'external';
  if (external)
    return { heading: `${heading} ${peer}`, summary: 'External address: no policy applies.', links: [] };
  if (verdict.tiers && verdict.decision) return tieredSide(`${heading} ${peer}`, verdict);
  if (!verdict.isolated) {
    return {
      heading: `${heading} ${peer}`,
      summary: 'Not isolated: no policy selects it, so all is allowed.',
      links: [],
    };
  }
  const rules = verdict.rules.map((r) => ({
    text: `${r.policy} spec.${r.direction}[${r.ruleIndex}]: ${r.conn}`,
    location: r.location,
  }));
  const isolating = verdict.policies.map((name) => ({
    text: `${name} (isolates)`,
    location: graph.policies[name],
  }));
  return {
    heading: `${heading} ${peer}`,
    summary:
      rules.length > 0
        ? `Isolated by ${verdict.policies.join(', ')}; allowed by:`
        : `Isolated by ${verdict.policies.join(', ')}; no rule allows it.`,
    links: rules.length > 0 ? rules : isolating,
  };
}

/** A side that cluster-scoped policies select: each tier's deciding rules in order, then the NetworkPolicy rules. */
function tieredSide(heading: string, verdict: JsonSide): SideDetails {
  const tiers = (verdict.tiers ?? []).map((m) => ({
    text: `${m.tier}: ${m.kind} ${m.policy} ${m.rule ?? `spec.${m.direction}[${m.ruleIndex}]`} ${m.action === 'Allow' ? 'allows' : m.action === 'Deny' ? 'denies' : 'passes'} ${m.conn}`,
    location: m.location,
  }));
  const rules = verdict.rules.map((r) => ({
    text: `NetworkPolicy ${r.policy} spec.${r.direction}[${r.ruleIndex}]: ${r.conn}`,
    location: r.location,
  }));
  return { heading, summary: verdict.decision ?? '', links: [...tiers, ...rules] };
}

/** What the panel says about a selected node: what it reaches, what reaches it, where it is defined. */
export function nodeDetails(
  graph: GraphResult,
  nodeId: string,
  drawn: GraphElements,
): EdgeDetails | undefined {
  const node = drawn.nodes.find((n) => n.data.id === nodeId);
  if (!node) return undefined;
  const edges = drawn.edges.filter((e) => e.data.kind === 'allowed');
  const members =
    node.data.kind === 'namespace' || node.data.kind === 'external-group'
      ? new Set(drawn.nodes.filter((n) => n.data.parent === nodeId).map((n) => n.data.id))
      : new Set([nodeId]);
  const reaches = new Set(edges.filter((e) => members.has(e.data.source)).map((e) => e.data.target));
  const reachedBy = new Set(edges.filter((e) => members.has(e.data.target)).map((e) => e.data.source));
  const peer = graph.reachability.peers.find((p) => p.id === nodeId);
  const defined: DetailLink[] =
    peer?.type === 'pod'
      ? [
          peer.source
            ? { text: `${peer.kind} ${peer.namespace}/${peer.name}`, location: peer.source }
            : {
                text: peer.implicit
                  ? 'Added by the analysis (cluster DNS)'
                  : 'Inferred from policy selectors',
              },
        ]
      : [];
  const byId = new Map(drawn.nodes.map((n) => [n.data.id, n.data] as const));
  const list = (ids: Set<string>) =>
    [...ids]
      .map((id) => ({ text: shownName(byId.get(id)) ?? id }))
      .sort((a, b) => a.text.localeCompare(b.text));
  return {
    title: node.data.label,
    verdict: `Reaches ${reaches.size}; reached by ${reachedBy.size} (in this view)`,
    sides: [
      ...(defined.length > 0 ? [{ heading: 'Defined in', summary: '', links: defined }] : []),
      { heading: 'Reaches', summary: reaches.size === 0 ? 'nothing' : '', links: list(reaches) },
      { heading: 'Reached by', summary: reachedBy.size === 0 ? 'nothing' : '', links: list(reachedBy) },
    ],
  };
}

/**
 * A drawn node as people write it, never an internal id: `shop/web [Deployment]` for a workload, the
 * name of a (collapsed) namespace, `External addresses`, an address range as the policy wrote it.
 */
function shownName(node: NodeData | undefined): string | undefined {
  if (!node) return undefined;
  const firstLine = node.label.split('\n')[0];
  if (node.kind === 'pod') return `${node.namespace}/${firstLine}`;
  if (node.kind === 'namespace-summary' && node.namespace !== EXTERNAL_GROUP) return `namespace ${firstLine}`;
  return firstLine;
}
