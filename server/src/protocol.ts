// The custom part of the protocol between the netpol-lens client and server, typed in one place.
// Plain method names and types (no runtime import), so client and server bundles share it freely.
import type { ExternalGroup } from './core/external-groups';

/** Notification, server → client, after every analysis: what the status bar shows. */
export const ANALYSIS_STATE = 'netpolLens/analysisState';
export interface AnalysisStateParams {
  policies: number;
  workloads: number;
  files: number;
  problems: { error: number; warning: number; information: number; hint: number };
}

/** Request, client → server: the workspace's connectivity list in one of the CLI's output formats. */
export const REACHABILITY = 'netpolLens/reachability';
export interface ReachabilityParams {
  format: 'txt' | 'json' | 'md' | 'csv' | 'dot' | 'mermaid';
}
export type ReachabilityResult = string;

// ---------------------------------------------------------------------------------------------
// The reachability graph, the "can A reach B?" query and policy explanations (server/src/lsp/graph.ts).

/** A place in a manifest, 1-based like the JSON output (docs/json-output.md). */
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

export interface JsonSide {
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

/** The engine's `reach -o json` document (docs/json-output.md). */
export interface ReachabilityJson {
  version: number;
  options: Record<string, unknown>;
  peers: JsonPeer[];
  connections: JsonConnection[];
  problems: { code: string; severity: string; message: string; location: JsonLocation }[];
}

/** A pod-to-pod pair with no connection at all, and the policies that isolate each side. */
export interface DeniedPair {
  src: string;
  dst: string;
  egress: JsonSide;
  ingress: JsonSide;
}

/** Request, client → server: everything the graph webview draws. */
export const GRAPH = 'netpolLens/graph';
export interface GraphParams {
  /** Upper bound on denied pairs returned (they grow with the square of the pods). */
  maxDenied?: number;
}
export interface GraphResult {
  reachability: ReachabilityJson;
  denied: DeniedPair[];
  /** True when more pairs are denied than `denied` lists. */
  deniedTruncated: boolean;
  /** Where each policy (`namespace/name`) is written. */
  policies: Record<string, JsonLocation>;
  /** Per pod id: the policies (`namespace/name`) that isolate it, per direction; empty: open. */
  isolation: Record<string, PeerIsolation>;
  /** The external ranges that have connections, merged where identical and labelled as written. */
  externalGroups: ExternalGroup[];
}

export interface PeerIsolation {
  ingress: string[];
  egress: string[];
}

export type { ExternalGroup };

/** Request, client → server: every denied pair from or to one pod (the graph's focus view). */
export const GRAPH_DENIED = 'netpolLens/graphDenied';
export interface GraphDeniedParams {
  peer: string;
}
export type GraphDeniedResult = DeniedPair[];

/** Request, client → server: the workspace's peers, for pickers. */
export const PEERS = 'netpolLens/peers';
export interface PeerSummary {
  id: string;
  type: 'pod' | 'external';
  namespace?: string;
  name?: string;
  kind?: string;
  implicit?: boolean;
  inferred?: boolean;
}

/** Request, client → server: may `source` connect to `destination` (on a port), and which rules decide. */
export const CAN_REACH = 'netpolLens/canReach';
export interface CanReachParams {
  source: string;
  /** A peer id, or an IPv4 address for external destinations. */
  destination: string;
  port?: { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' };
}
export interface CanReachResult {
  /** False when a peer was not found; `message` says why. */
  found: boolean;
  message?: string;
  allowed: boolean;
  /** The plain-text account `netpol-lens can` prints. */
  text: string;
  connections: string;
  egress: JsonSide;
  ingress: JsonSide;
  policies: Record<string, JsonLocation>;
}

/** Request, client → server: the explanation of the policies of a document, the one at `position` first. */
export const EXPLAIN_POLICY = 'netpolLens/explainPolicy';
export interface ExplainPolicyParams {
  uri: string;
  /** 0-based LSP position. */
  position: { line: number; character: number };
}
export interface PolicyExplanationSummary {
  name: string;
  /** Plain text (no markup). */
  text: string;
  location: JsonLocation;
  /** The position lies inside this policy. */
  atPosition: boolean;
}
export type ExplainPolicyResult = PolicyExplanationSummary[];

// ---------------------------------------------------------------------------------------------
// Clickable code lenses.

/**
 * Client command a code lens runs when clicked, like VS Code's references lens: peek the related
 * definitions. Arguments: the document URI, the lens position (0-based LSP) and LSP `Location[]`.
 * The server sets it only for clients announcing `experimental.netpolLens.showLocations: true`;
 * other clients (Neovim, Helix) keep title-only lenses.
 */
export const SHOW_LOCATIONS_COMMAND = 'netpolLens.showLocations';
export interface NetpolLensExperimentalCapabilities {
  netpolLens?: { showLocations?: boolean };
}

// ---------------------------------------------------------------------------------------------
// Connectivity expectations (server/src/lsp/expectations.ts).

/**
 * Request, client → server: today's connectivity of the chosen namespaces as a `ConnectivityExpectations`
 * document (every pair of workloads with an end in one of them, allowed or denied).
 */
export const RECORD_EXPECTATIONS = 'netpolLens/recordExpectations';
export interface RecordExpectationsParams {
  namespaces: string[];
}
export interface RecordExpectationsResult {
  /** The document's YAML text. */
  text: string;
  allowed: number;
  denied: number;
}
