// Custom requests behind the client's graph webview and exports (the connectivity list), "Can A reach B?" and "Explain This Policy".
// Thin: the graph model and every answer come from the language service (core/graph.ts builds the graph
// from the JSON connectivity document), so the editor shows exactly what the CLI prints.
import type { CancellationToken, Connection, ResponseError } from 'vscode-languageserver/node';
import {
  EMPTY_SIDE,
  emptyGraph,
  jsonLocation,
  jsonSide,
  policyLocations,
  policyName,
  readableInterval,
  describeUnreadable,
  type CanReachAnswer,
  type Range,
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
  type PolicyExplanationSummary,
  type GraphDeniedParams,
  type GraphParams,
  type GraphResult,
  type PeerSummary,
  type ReachabilityParams,
  type ReachabilityResult,
} from '../protocol';
import { settledOrCancelled } from './indexing-gate';
import { runSafe } from './run-safe';

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
      await settledOrCancelled(indexed, token);
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
      runSafe(connection, 'graph', token, emptyGraph(), (): GraphResult =>
        // Diff mode: against the base the comparison request set (compare.ts).
        service.graph({ maxDenied: params?.maxDenied, diff: params?.compare !== undefined }),
      ),
    ),
  );

  connection.onRequest(
    GRAPH_DENIED,
    afterIndexing((params: GraphDeniedParams | undefined, token) =>
      runSafe(connection, 'graphDenied', token, [] as DeniedPair[], () =>
        service.deniedPairs(String(params?.peer ?? '')),
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
  const uri = String(params?.uri ?? '');
  const { line, character } = params.position;
  const before = (a: { line: number; character: number }, b: { line: number; character: number }) =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  const summary = (name: string, text: string, range: Range): PolicyExplanationSummary => ({
    name,
    text,
    location: jsonLocation(uri, range),
    atPosition: before(range.start, { line, character }) && before({ line, character }, range.end),
  });
  const summaries = [
    ...service
      .explainPolicies(uri)
      .map(({ policy, text }) => summary(policyName(policy), text, policy.range)),
    // Cluster-scoped policies are explained as `netpol-lens explain` does, tier and priority first.
    ...service
      .explainClusterPolicies(uri)
      .map(({ policy, text }) => summary(`${policy.kind} ${policy.name}`, text, policy.range)),
    // A policy that cannot be read is explained as `netpol-lens explain` does: why, and what that means.
    ...service
      .explainUnreadable(uri)
      .map(({ object, text }) => summary(describeUnreadable(object), text, object.range)),
  ];
  // In the order of the file, so that a file mixing kinds lists them as they are written.
  return summaries.sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

function peerSummary(peer: Peer): PeerSummary {
  if (peer.kind === 'external')
    return { id: peer.id, type: 'external', addresses: readableInterval(peer.interval) };
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
