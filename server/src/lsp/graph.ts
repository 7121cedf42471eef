// Custom requests behind the client's graph webview and exports (the connectivity list), "Can A reach B?" and "Explain This Policy".
// Everything is built from the core's own outputs (the JSON connectivity document, explainQuery,
// explainPolicy), so the editor shows exactly what the CLI prints.
import type { CancellationToken, Connection, ResponseError } from 'vscode-languageserver/node';
import {
  EMPTY_SIDE,
  jsonLocation,
  jsonSide,
  policyLocations,
  groupExternalRanges,
  policyName,
  reachabilityJson,
  writtenBlocks,
  type Analysis,
  type ExternalGroup,
  type ReachabilityJson,
  type CanReachAnswer,
  type LanguageService,
  type Peer,
} from '../core/index';
import {
  CAN_REACH,
  EXPLAIN_POLICY,
  GRAPH,
  GRAPH_DENIED,
  PEERS,
  REACHABILITY,
  type CanReachParams,
  type CanReachResult,
  type DeniedPair,
  type ExplainPolicyParams,
  type ExplainPolicyResult,
  type GraphDeniedParams,
  type GraphParams,
  type GraphResult,
  type PeerIsolation,
  type PeerSummary,
  type ReachabilityParams,
  type ReachabilityResult,
} from '../protocol';
import { graphDiff } from './compare';
import { runSafe } from './run-safe';

/** Denied pairs grow with the square of the pods; past this the graph would be unreadable anyway. */
const DEFAULT_MAX_DENIED = 2000;

/**
 * `indexed` resolves once the service holds the workspace as on disk: every answer here is about the
 * whole workspace, and one given mid-scan could miss a policy.
 */
export function registerGraphRequests(
  connection: Connection,
  service: LanguageService,
  indexed: () => Promise<void> = () => Promise.resolve(),
): void {
  const afterIndexing =
    <P, R>(handler: (params: P, token: CancellationToken) => R) =>
    async (params: P, token: CancellationToken): Promise<R> => {
      await indexed();
      return handler(params, token);
    };
  connection.onRequest(
    REACHABILITY,
    afterIndexing((params: ReachabilityParams, token): ReachabilityResult | ResponseError<void> =>
      runSafe(connection, 'reachability', token, '', () => service.reachability(params.format)),
    ),
  );

  connection.onRequest(
    GRAPH,
    afterIndexing((params: GraphParams | undefined, token) =>
      runSafe(connection, 'graph', token, emptyGraph(), () => {
        const state = service.state();
        const graph = buildGraph(state.analysis, params?.maxDenied ?? DEFAULT_MAX_DENIED);
        // Diff mode: the comparison with the base the comparison request set (compare.ts).
        return params?.compare ? { ...graph, diff: graphDiff(state.comparison, state.analysis) } : graph;
      }),
    ),
  );

  connection.onRequest(
    GRAPH_DENIED,
    afterIndexing((params: GraphDeniedParams | undefined, token) =>
      runSafe(connection, 'graphDenied', token, [] as DeniedPair[], () =>
        deniedPairsOf(service.state().analysis, String(params?.peer ?? '')),
      ),
    ),
  );

  connection.onRequest(
    PEERS,
    afterIndexing((_params: unknown, token) =>
      runSafe(connection, 'peers', token, [] as PeerSummary[], () => service.peers().map(peerSummary)),
    ),
  );

  connection.onRequest(
    CAN_REACH,
    afterIndexing((params: CanReachParams, token) =>
      runSafe(connection, 'canReach', token, notFound('The analysis failed; see the output channel.'), () =>
        canReach(service, params),
      ),
    ),
  );

  connection.onRequest(
    EXPLAIN_POLICY,
    afterIndexing((params: ExplainPolicyParams, token) =>
      runSafe(connection, 'explainPolicy', token, [] as ExplainPolicyResult, () =>
        explainDocument(service, params),
      ),
    ),
  );
}

/** The graph webview's model: the JSON connectivity document, plus the denied pod pairs and why. */
export function buildGraph(analysis: Analysis, maxDenied: number): GraphResult {
  const reachability = reachabilityJson(analysis);
  const reach = analysis.reachability;
  const pods = reach.peers.filter((p) => p.kind === 'pod');
  const denied: DeniedPair[] = [];
  let deniedTruncated = false;
  for (const source of pods) {
    for (const destination of pods) {
      if (source === destination || !reach.connections(source, destination).isEmpty()) continue;
      if (denied.length >= maxDenied) {
        deniedTruncated = true;
        break;
      }
      if (reach.unknownBecause(source, destination).length > 0) continue; // see reachability.unknown
      denied.push(deniedPair(analysis, source, destination));
    }
    if (deniedTruncated) break;
  }
  return {
    reachability,
    denied,
    deniedTruncated,
    policies: policyLocations(analysis.model.policies),
    isolation: isolationOf(analysis),
    externalGroups: externalGroupsOf(analysis, reachability),
  };
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

/** The connected external ranges, merged where their connections are identical (core/external-groups). */
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

function emptyGraph(): GraphResult {
  return {
    reachability: { version: 1, options: {}, peers: [], connections: [], problems: [] },
    denied: [],
    deniedTruncated: false,
    policies: {},
    isolation: {},
    externalGroups: [],
  };
}

function canReach(service: LanguageService, params: CanReachParams): CanReachResult {
  const answer: CanReachAnswer = service.canReach(
    String(params?.source ?? ''),
    String(params?.destination ?? ''),
    params?.port,
  );
  if (!answer.found) {
    const hint = answer.suggestions.length > 0 ? ` Did you mean ${answer.suggestions.join(', ')}?` : '';
    return notFound(`No peer ${JSON.stringify(answer.spec)} in the workspace.${hint}`);
  }
  const { result, text } = answer;
  return {
    found: true,
    source: result.source.id,
    destination: result.destination.id,
    allowed: result.allowed,
    text,
    connections: result.connections.toString(),
    egress: jsonSide(result.egress),
    ingress: jsonSide(result.ingress),
    policies: policyLocations([...result.egress.policies, ...result.ingress.policies]),
  };
}

function notFound(message: string): CanReachResult {
  return {
    found: false,
    message,
    allowed: false,
    text: message,
    connections: '',
    egress: EMPTY_SIDE,
    ingress: EMPTY_SIDE,
    policies: {},
  };
}

function explainDocument(service: LanguageService, params: ExplainPolicyParams): ExplainPolicyResult {
  const { line, character } = params.position;
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return service.explainPolicies(String(params?.uri ?? '')).map(({ policy, text }) => ({
    name: policyName(policy),
    text,
    location: jsonLocation(policy.uri, policy.range),
    atPosition:
      before(policy.range.start, { line, character }) && before({ line, character }, policy.range.end),
  }));
}

function peerSummary(peer: Peer): PeerSummary {
  if (peer.kind === 'external') return { id: peer.id, type: 'external' };
  const w = peer.workload;
  return {
    id: peer.id,
    type: 'pod',
    namespace: w.namespace,
    name: w.name,
    kind: w.kind,
    implicit: w.implicit,
    inferred: w.inferred,
  };
}
