// The custom part of the protocol between the netpol-lens client and server, typed in one place.
// Plain method names and types (no runtime import), so client and server bundles share it freely.
import type { ExternalGroup, GraphModel, Protocol } from './core/index';

export type { Protocol };

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

// The JSON shapes have one home, the core's typed producers (core/reachability-json.ts, core/graph.ts,
// core/diff-output.ts); type-only, so the client bundle takes no code from the core.
export type {
  DeniedPair,
  GraphDiff,
  GraphDiffEdge,
  GraphEdgeChange,
  PeerIsolation,
  JsonDiffEndpoint,
  JsonDiffRow,
  JsonUnknownPair,
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
import type { DeniedPair, JsonDiffRow, JsonLocation, JsonSide, OutputFormat } from './core/index';

/** Request, client → server: everything the graph webview draws. */
export const GRAPH = 'netpolLens/graph';
export interface GraphParams {
  /** Upper bound on denied pairs returned (they grow with the square of the pods). */
  maxDenied?: number;
  /** Diff mode: compare with this base and fill `GraphResult.diff`. */
  compare?: CompareBase;
}
/** The graph's model, as the core's language service builds it (core/graph.ts: `LanguageService.graph`). */
export type GraphResult = GraphModel;
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
  /** An external peer's addresses as a reader wants them: `192.168.5.10`, or `lo-hi`. */
  addresses?: string;
}

/** Request, client → server: may `source` connect to `destination` (on a port), and which rules decide. */
export const CAN_REACH = 'netpolLens/canReach';
export interface CanReachParams {
  source: string;
  /** A peer id, or an IPv4 address for external destinations. */
  destination: string;
  port?: { port: number; protocol: Protocol };
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
