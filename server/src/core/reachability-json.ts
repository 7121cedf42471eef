// The one producer of the JSON connectivity document (`reach -o json`, docs/json-output.md) and of its
// parts, typed. The CLI's output, the editor's graph and "Can A Reach B?" all build their JSON here, so
// they cannot drift apart.
import { displayText } from './display';
import { describeUnreadable } from './unreadable';
import type { Analysis } from './analysis';
import type { ClusterRuleMatch } from './cluster/evaluate';
import { clusterDecision } from './cluster/explain';
import { compare } from './model';
import type { AllowedPair, Peer, SideVerdict } from './reachability';
import type { PolicyModel, Problem, Range } from './types';

/** A place in a manifest, 1-based. */
export interface JsonLocation {
  uri: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Allowed connections per protocol, as inclusive port ranges (absent protocol: nothing). */
export type JsonConnections = Partial<Record<'TCP' | 'UDP' | 'SCTP', [number, number][]>>;

export interface JsonPodPeer {
  id: string;
  type: 'pod';
  kind: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  ports: { name?: string; containerPort: number; protocol: string }[];
  implicit: boolean;
  inferred: boolean;
  source: JsonLocation | null;
}

export interface JsonExternalPeer {
  id: string;
  type: 'external';
  range: string;
}

export type JsonPeer = JsonPodPeer | JsonExternalPeer;

export interface JsonRule {
  policy: string;
  direction: 'ingress' | 'egress';
  ruleIndex: number;
  conn: string;
  location: JsonLocation;
}

/** A cluster-scoped rule that decided part of a side. */
export interface JsonTierMatch {
  tier: 'Admin' | 'Baseline';
  kind: string;
  policy: string;
  priority: number | null;
  rule: string | null;
  direction: 'ingress' | 'egress';
  ruleIndex: number;
  action: 'Allow' | 'Deny' | 'Pass';
  conn: string;
  location: JsonLocation;
}

export interface JsonSide {
  /** Present when cluster-scoped policies select the pod for this direction: their deciding rules, in order. */
  tiers?: JsonTierMatch[];
  /** Present with `tiers`: which tier, policy and rule decide, in one sentence. */
  decision?: string;
  isolated: boolean;
  policies: string[];
  rules: JsonRule[];
}

export interface JsonConnection {
  src: string;
  dst: string;
  conn: string;
  connections: JsonConnections;
  egress: JsonSide;
  ingress: JsonSide;
}

export interface JsonProblem {
  code: string;
  severity: string;
  message: string;
  location: JsonLocation;
}

/** The engine's `reach -o json` document (docs/json-output.md). */
export interface ReachabilityJson {
  version: number;
  /** The analysis options the document was computed with (never editor settings). */
  options: Record<string, unknown>;
  peers: JsonPeer[];
  connections: JsonConnection[];
  problems: JsonProblem[];
  /** Policies of kinds the engine does not evaluate: the connections leave them out. */
  unanalysed?: JsonUnanalysed[];
  /** Pairs that objects which cannot be read could change: neither allowed nor denied (absent: none). */
  unknown?: JsonUnknownPair[];
}

export interface JsonUnanalysed {
  kind: string;
  apiVersion: string;
  name: string;
  namespace: string | null;
  location: JsonLocation;
}

/** A source range as the JSON output writes it: 1-based lines and columns. */
export function jsonLocation(uri: string, range: Range): JsonLocation {
  return {
    uri,
    line: range.start.line + 1,
    column: range.start.character + 1,
    endLine: range.end.line + 1,
    endColumn: range.end.character + 1,
  };
}

/** `namespace/name`: how every output names a policy. */
export function policyName(policy: PolicyModel): string {
  return `${policy.namespace}/${policy.name}`;
}

/** Where each policy (`namespace/name`) is written; the first of equal names wins. */
export function policyLocations(policies: readonly PolicyModel[]): Record<string, JsonLocation> {
  const result: Record<string, JsonLocation> = {};
  for (const policy of policies) result[policyName(policy)] ??= jsonLocation(policy.uri, policy.range);
  return result;
}

export function jsonPeer(peer: Peer): JsonPeer {
  if (peer.kind === 'external') {
    return { id: peer.id, type: 'external', range: peer.id.replace('[External]', '') };
  }
  const w = peer.workload;
  return {
    id: peer.id,
    type: 'pod',
    kind: w.kind,
    namespace: w.namespace,
    name: w.name,
    labels: w.labels,
    ports: w.ports,
    implicit: w.implicit,
    inferred: w.inferred,
    source: w.source ? jsonLocation(w.source.uri, w.source.range) : null,
  };
}

function jsonTierMatch(m: ClusterRuleMatch): JsonTierMatch {
  return {
    tier: m.tier,
    kind: m.policy.kind,
    policy: m.policy.name,
    priority: m.policy.priority ?? null,
    rule: m.rule.name ?? null,
    direction: m.rule.direction,
    ruleIndex: m.rule.index,
    action: m.action,
    conn: m.connections.toString(),
    location: jsonLocation(m.policy.uri, m.rule.range),
  };
}

/** One side's verdict: the rule is located by the rule itself, never by indexing the list of rules. */
export function jsonSide(side: SideVerdict): JsonSide {
  const cluster =
    side.clusterPolicies.length > 0
      ? {
          tiers: [...side.admin, ...side.baseline].map(jsonTierMatch),
          decision: clusterDecision(side, undefined),
        }
      : {};
  return {
    ...cluster,
    isolated: side.isolated,
    policies: side.policies.map(policyName),
    rules: side.rules.map((r) => ({
      policy: policyName(r.policy),
      direction: r.direction,
      ruleIndex: r.ruleIndex,
      conn: r.connections.toString(),
      location: jsonLocation(r.policy.uri, r.rule.range),
    })),
  };
}

/** A side that no policy decides (a peer that was not found, or nothing to say). */
export const EMPTY_SIDE: JsonSide = { isolated: false, policies: [], rules: [] };

export function jsonProblem(p: Problem): JsonProblem {
  return {
    code: p.code,
    severity: p.severity,
    message: displayText(p.message),
    location: jsonLocation(p.uri, p.range),
  };
}

/** Allowed pairs sorted as plain strings by `SRC => DST`, like netpol-analyzer's connectivity list. */
export function sortedPairs(analysis: Analysis): AllowedPair[] {
  const key = (pair: AllowedPair) => `${pair.source.id} => ${pair.destination.id}`;
  return [...analysis.reachability.allowedPairs()].sort((a, b) => compare(key(a), key(b)));
}

export interface JsonUnknownPair {
  src: string;
  dst: string;
  /** The objects that cannot be read ("NetworkPolicy shop/web"), why, and where. */
  because: { object: string; reason: string; location: JsonLocation }[];
}

/** `unknown`: only when there are such pairs, so the output of readable workspaces stays as it was. */
function unknownJson(analysis: Analysis): { unknown?: JsonUnknownPair[] } {
  const unknown = [...analysis.reachability.unknownPairs()].map((pair) => ({
    src: pair.source.id,
    dst: pair.destination.id,
    because: pair.because.map((u) => ({
      object: describeUnreadable(u),
      reason: u.reason,
      location: jsonLocation(u.uri, u.reasonRange),
    })),
  }));
  return unknown.length > 0 ? { unknown } : {};
}

export function reachabilityJson(
  analysis: Analysis,
  pairs: readonly AllowedPair[] = sortedPairs(analysis),
): ReachabilityJson {
  const reach = analysis.reachability;
  return {
    version: 1,
    options: { ...analysis.options },
    peers: reach.peers.map(jsonPeer),
    connections: pairs.map((pair) => {
      const result = reach.query(pair.source, pair.destination);
      return {
        src: pair.source.id,
        dst: pair.destination.id,
        conn: pair.connections.toString(),
        connections: pair.connections.toJSON(),
        egress: jsonSide(result.egress),
        ingress: jsonSide(result.ingress),
      };
    }),
    problems: analysis.problems.map(jsonProblem),
    ...unknownJson(analysis),
    unanalysed: analysis.model.unanalysed.map((u) => ({
      kind: u.kind,
      apiVersion: u.apiVersion,
      name: u.name,
      namespace: u.namespace ?? null,
      location: jsonLocation(u.uri, u.range),
    })),
  };
}
