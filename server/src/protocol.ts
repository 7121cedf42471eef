// The custom part of the protocol between the netpol-lens client and server, typed in one place.
// Plain method names and types (no runtime import), so client and server bundles share it freely.
import type { ExternalGroup } from './core/index';

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
  format: OutputFormat;
}
export type ReachabilityResult = string;

// ---------------------------------------------------------------------------------------------
// The reachability graph, the "can A reach B?" query and policy explanations (server/src/lsp/graph.ts).

// The JSON shapes have one home, the core's typed producer (core/reachability-json.ts); type-only, so
// the client bundle takes no code from the core.
export type {
  JsonLocation,
  JsonConnections,
  JsonPodPeer,
  JsonExternalPeer,
  JsonPeer,
  JsonRule,
  JsonSide,
  JsonConnection,
  ReachabilityJson,
} from './core/index';
import type {
  JsonConnections,
  JsonLocation,
  JsonPeer,
  JsonSide,
  OutputFormat,
  ReachabilityJson,
} from './core/index';

export interface JsonUnknownPair {
  src: string;
  dst: string;
  /** The objects that cannot be read ("NetworkPolicy shop/web"), why, and where. */
  because: { object: string; reason: string; location: JsonLocation }[];
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
  /** Diff mode: compare with this base and fill `GraphResult.diff`. */
  compare?: CompareBase;
}
export interface GraphResult {
  reachability: ReachabilityJson;
  denied: DeniedPair[];
  /** True when more pairs are denied than `denied` lists. */
  deniedTruncated: boolean;
  /** Where each policy (`namespace/name`) is written. */
  policies: Record<string, JsonLocation>;
  /** In diff mode (`GraphParams.compare`): the edges that changed against the base. */
  diff?: GraphDiff;
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
  /** The peer ids the source and destination resolved to (when found). */
  source?: string;
  destination?: string;
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
  netpolLens?: {
    showLocations?: boolean;
    showInGraph?: boolean;
    /**
     * `false`: the workspace is not trusted (VS Code's workspace trust), so the server runs no git in
     * it and compares only with a folder base. Absent: trusted (clients without workspace trust).
     */
    workspaceTrusted?: boolean;
  };
}

/** Client → server notification (no params): the user has granted the workspace trust since the start. */
export const WORKSPACE_TRUSTED = 'netpolLens/workspaceTrusted';

/**
 * Client command that opens the graph on one workload's neighbourhood. Argument: the workload's peer
 * id (`ns/name[Kind]`). The server adds a "Show in Graph" lens and hover link for it only for clients
 * announcing `experimental.netpolLens.showInGraph: true`.
 */
export const SHOW_IN_GRAPH_COMMAND = 'netpolLens.showInGraph';

/** The `command:` link a hover uses to run {@link SHOW_IN_GRAPH_COMMAND} on a workload. */
export function showInGraphLink(peer: string): string {
  return `command:${SHOW_IN_GRAPH_COMMAND}?${encodeURIComponent(JSON.stringify([peer]))}`;
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

// ---------------------------------------------------------------------------------------------
// Comparing the workspace's connectivity with a base (server/src/lsp/compare.ts).

/** What the workspace is compared with: a git revision of its folders, or another folder. */
export type CompareBase = { kind: 'revision'; revision: string } | { kind: 'folder'; uri: string };

/** One end of a diff row: a workload, or an external range as the diff cuts it (docs/diff-output.md). */
export type JsonDiffEndpoint = { id: string; type: 'pod' } | { id: string; type: 'external'; range: string };

/** One row of `netpol-lens diff -o json` (docs/diff-output.md). */
export interface JsonDiffRow {
  diffType: 'changed' | 'added' | 'removed';
  src: string;
  dst: string;
  source: JsonDiffEndpoint;
  destination: JsonDiffEndpoint;
  /** The connections in the base (`No Connections` for added rows), as the txt output writes them. */
  ref1: string;
  /** The connections now (`No Connections` for removed rows). */
  ref2: string;
  ref1Connections: JsonConnections;
  ref2Connections: JsonConnections;
  workloadsDiffInfo: string | null;
  /** Per side, the policies and rules that decide the pair; null when that side lacks a workload of it. */
  provenance: {
    ref1: { egress: JsonSide; ingress: JsonSide } | null;
    ref2: { egress: JsonSide; ingress: JsonSide } | null;
  };
}

/**
 * Request, client → server: the connectivity diff of the workspace (ref2) against a base (ref1). Without
 * `base`, the `netpolLens.compareWith` setting's base (default `HEAD`).
 */
export const COMPARE = 'netpolLens/compare';
export interface CompareParams {
  base?: CompareBase;
}
export interface CompareResult {
  /** The base as people read it: `HEAD`, `main (3f2a9c1)`, a folder path. */
  base: string;
  /** Set when the base cannot be read (no git repository, unknown revision, untrusted workspace…): why. */
  error?: string;
  rows: JsonDiffRow[];
  /** The same rows as `netpol-lens diff -o md` prints them, for a list view. */
  markdown: string;
}

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

/** The graph's diff mode: what changed against a base (GraphResult.diff). */
export interface GraphDiff {
  /** The base as people read it, e.g. `HEAD`. */
  base: string;
  /** Set when the base cannot be read; `edges` is then empty. */
  error?: string;
  edges: GraphDiffEdge[];
  /**
   * Ends of `edges` that are not in `GraphResult.reachability.peers`: workloads that exist only in the
   * base (their edges are removed ones) and external ranges as the diff merges them.
   */
  extraPeers: JsonPeer[];
  /** Ids of the workloads that exist now but not in the base, and in the base but not now. */
  addedWorkloads: string[];
  removedWorkloads: string[];
}
