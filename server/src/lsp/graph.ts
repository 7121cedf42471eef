// Custom requests behind the client's graph webview and exports (the connectivity list), "Can A reach B?" and "Explain This Policy".
// Everything is built from the core's own outputs (the JSON connectivity document, explainQuery,
// explainPolicy), so the editor shows exactly what the CLI prints.
import type { Connection } from 'vscode-languageserver/node';
import {
  EMPTY_SIDE,
  jsonLocation,
  jsonSide,
  policyLocations,
  policyName,
  reachabilityJson,
  type Analysis,
  type CanReachAnswer,
  type LanguageService,
  type Peer,
} from '../core/index';
import {
  CAN_REACH,
  EXPLAIN_POLICY,
  GRAPH,
  PEERS,
  REACHABILITY,
  type CanReachParams,
  type CanReachResult,
  type DeniedPair,
  type ExplainPolicyParams,
  type ExplainPolicyResult,
  type GraphParams,
  type GraphResult,
  type PeerSummary,
  type ReachabilityParams,
  type ReachabilityResult,
} from '../protocol';
import { runSafe } from './run-safe';

/** Denied pairs grow with the square of the pods; past this the graph would be unreadable anyway. */
const DEFAULT_MAX_DENIED = 2000;

export function registerGraphRequests(connection: Connection, service: LanguageService): void {
  connection.onRequest(REACHABILITY, (params: ReachabilityParams, token): ReachabilityResult =>
    runSafe(connection, 'reachability', token, '', () => service.reachability(params.format)),
  );

  connection.onRequest(GRAPH, (params: GraphParams | undefined, token) =>
    runSafe(connection, 'graph', token, emptyGraph(), () =>
      buildGraph(service.state().analysis, params?.maxDenied ?? DEFAULT_MAX_DENIED),
    ),
  );

  connection.onRequest(PEERS, (_params: unknown, token) =>
    runSafe(connection, 'peers', token, [] as PeerSummary[], () => service.peers().map(peerSummary)),
  );

  connection.onRequest(CAN_REACH, (params: CanReachParams, token) =>
    runSafe(connection, 'canReach', token, notFound('The analysis failed; see the output channel.'), () =>
      canReach(service, params),
    ),
  );

  connection.onRequest(EXPLAIN_POLICY, (params: ExplainPolicyParams, token) =>
    runSafe(connection, 'explainPolicy', token, [] as ExplainPolicyResult, () =>
      explainDocument(service, params),
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
      const result = reach.query(source, destination);
      denied.push({
        src: source.id,
        dst: destination.id,
        egress: jsonSide(result.egress),
        ingress: jsonSide(result.ingress),
      });
    }
    if (deniedTruncated) break;
  }
  return { reachability, denied, deniedTruncated, policies: policyLocations(analysis.model.policies) };
}

function emptyGraph(): GraphResult {
  return {
    reachability: { version: 1, options: {}, peers: [], connections: [], problems: [] },
    denied: [],
    deniedTruncated: false,
    policies: {},
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
