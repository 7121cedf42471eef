// The custom part of the protocol between the netpol-lens client and server, typed in one place.
// Plain method names and types (no runtime import), so client and server bundles share it freely.

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
