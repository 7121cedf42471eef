/**
 * The netpol-lens analysis core: its public surface, and the only module a host may import.
 *
 * Everything a host needs goes through {@link createLanguageService}: diagnostics, code actions, hover,
 * lenses, completion, symbols, navigation, explanations, reach/can and the JSON connectivity document.
 *
 * ```ts
 * const service = createLanguageService({ onError: (what, error) => console.error(what, error) });
 * service.setFile(uri, text);
 * service.diagnostics(uri);                        // located problems
 * service.canReach('shop/web', 'shop/db', { port: 5432, protocol: 'TCP' });
 * ```
 *
 * The core imports neither the editor nor Node built-ins nor anything outside `server/src/core`, so it can
 * run in a browser worker (eslint.config.mjs keeps it so, and keeps other code out of its internals).
 * {@link analyzeFiles} is the one-shot analysis the service runs, for engine tests and scripts.
 */

// The door.
export {
  createLanguageService,
  serviceOfSnapshot,
  mergeDiagnosticParts,
  type LanguageService,
  type LanguageServiceHost,
  type WorkspaceState,
  type CodeActionResult,
  type PolicyExplanationText,
  type CanReachAnswer,
  type ComparisonBase,
  type ComparisonReport,
  type WorkspaceSnapshot,
} from './service';
export { CODES, type DiagnosticCode } from './codes';
export { describeRow, type Comparison } from './comparison';
export {
  DEFAULT_SETTINGS,
  resolveSettings,
  analysisOptions,
  type Settings,
  type EditorSettings,
} from './settings';

// One-shot analysis (what the service computes per change).
export {
  analyzeFiles,
  analyzeParsed,
  resolveOptions,
  sortProblems,
  type Analysis,
  type SourceFile,
} from './analysis';
export { parseFile } from './parse';
export { readingSummary, formatReadingSummary, type ReadingSummary } from './summary';
export type { ParsedFile, KubeObject, ParseOptions, SkippedDocument } from './parse';

// The data the door hands out.
export type { Model } from './model';
export { Reachability } from './reachability';
export type {
  Peer,
  PodPeer,
  ExternalPeer,
  QueryResult,
  SideVerdict,
  RuleMatch,
  AllowedPair,
  PortQuery,
} from './reachability';
export { ConnectionSet } from './connections';
export * from './types';
export type { Hover, HoverFormat } from './features/hover';
export type { CodeLens, PolicyRef } from './features/lenses';
export type { CompletionItem, CompletionKind } from './features/completion';
export type { DocumentSymbol, SymbolKind } from './features/symbols';
export type { Location } from './features/navigation';
export type { Fix, TextEdit } from './fixes/index';
export { fixableCodes } from './fixes/index';
export {
  explainPolicy,
  explainQuery,
  explainUnreadable,
  renderExplanation,
  describeSelector,
  describePeer,
} from './explain';
export { actsAsPolicy, describeUnreadable } from './unreadable';
export { placeUnder, workspaceFolder } from './paths';
export { formatPosition, plainRange } from './text';
export { readableInterval } from './addresses';
export { parsePortQuery, formatPortQuery, PORT_QUERY_FORMAT } from './queries';

export type { ExpectationResult, ExpectationStatus } from './expectations/evaluate';
export type { RecordedExpectations } from './expectations/record';

// Outputs.
export { formatReachability, OUTPUT_FORMATS, type OutputFormat } from './output';
export {
  jsonLocation,
  jsonSide,
  policyLocations,
  policyName,
  EMPTY_SIDE,
  jsonPeer,
  reachabilityJson,
  type JsonLocation,
  type JsonConnections,
  type JsonPodPeer,
  type JsonExternalPeer,
  type JsonPeer,
  type JsonRule,
  type JsonSide,
  type JsonConnection,
  type JsonProblem,
  type JsonUnknownPair,
  type ReachabilityJson,
} from './reachability-json';

// The reachability graph's model (LanguageService.graph); buildGraph is its one-shot form, for tests.
export {
  buildGraph,
  deniedPairsOf,
  emptyGraph,
  DEFAULT_MAX_DENIED,
  type GraphModel,
  type GraphOptions,
  type DeniedPair,
  type PeerIsolation,
} from './graph';
export type { GraphDiff, GraphDiffEdge, GraphEdgeChange } from './graph-diff';
export type { ExternalGroup, ExternalRange, WrittenBlock } from './external-groups';

// Connectivity diffs (`netpol-lens diff`, the editor's comparison).
export {
  diffConnectivity,
  diffLine,
  diffProvenance,
  type ConnectivityDiff,
  type DiffRow,
  type DiffType,
  type DiffEndpoint,
} from './diff';
export {
  formatDiff,
  DIFF_FORMATS,
  type DiffFormat,
  type DiffLabels,
  type DiffJson,
  type JsonDiffRow,
  type JsonDiffEndpoint,
} from './diff-output';

// The diagnostic rules' metadata: codes, default severities, docs (docs/diagnostics.md, SARIF rules).
export { RULES, ruleFor, inputProblems } from './diagnostics/index';
export type { DiagnosticRule, SeveritySetting } from './diagnostics/rule';
export { diagnosticAnchor, renderDiagnosticsDoc } from './diagnostics/docs';

// Text from manifests made safe to print: control characters escaped, long values cut.
export { displayJson, displayText, displayLines, thousands } from './display';
