/**
 * The language service: the one door into the analysis core for every host (the LSP server, the CLI, a
 * browser worker later) and for the tests.
 *
 * It holds a workspace of manifest texts and analyses it on demand. Each file is parsed once per text;
 * the analysis and the diagnostics are computed once per change of the workspace or the settings and
 * shared by every feature. Positions are offsets into the text the service holds for a uri: a host must
 * only ask about a document whose text it has handed over with {@link LanguageService.setFile}.
 *
 * ```ts
 * const service = createLanguageService();
 * service.setFile('file:///w/policy.yaml', text);
 * service.diagnostics('file:///w/policy.yaml');       // located problems, sorted
 * service.hover('file:///w/policy.yaml', offset);     // plain English for the element at offset
 * service.reachability('txt');                        // the connectivity list, as `netpol-lens reach`
 * ```
 */
import { CODES } from './codes';
import { explainClusterPolicy, renderClusterExplanation } from './cluster/describe';
import { unanalysedNote } from './cluster/kinds';
import type { ClusterPolicyModel } from './cluster/types';
import { analyzeParsed, sortProblems, type Analysis } from './analysis';
import {
  computeDiagnostics,
  withSeverities,
  WORKSPACE_RULE_CODES,
  type PolicyFindings,
} from './diagnostics/index';
import { explainPolicy, explainQuery, explainUnreadable, renderExplanation } from './explain';
import { workspaceFolder } from './paths';
import { actsAsPolicy } from './unreadable';
import { evaluateExpectations, type ExpectationResult } from './expectations/evaluate';
import { recordExpectations, type RecordedExpectations } from './expectations/record';
import { codeLenses, type CodeLens } from './features/lenses';
import { completions, type CompletionItem } from './features/completion';
import { hover, type Hover, type HoverFormat } from './features/hover';
import { findFile } from './features/locate';
import { definition, references, type Location } from './features/navigation';
import { documentSymbols, type DocumentSymbol } from './features/symbols';
import { quickFixes, type Fix } from './fixes/index';
import { compareAnalyses, comparisonLenses, comparisonProblems, type Comparison } from './comparison';
import type { SourceFile } from './analysis';
import { formatReachability, type OutputFormat } from './output';
import { diffJson, formatDiff, type DiffJson } from './diff-output';
import { buildGraph, deniedPairsOf, type DeniedPair, type GraphModel } from './graph';
import {
  parseFile,
  skippedNothing,
  type ParsedFile,
  type ParseOptions,
  unreadableFile,
  unreadableMessage,
} from './parse';
import { peerLookupError } from './queries';
import type { Peer, PortQuery, QueryResult } from './reachability';
import { reachabilityJson, type ReachabilityJson } from './reachability-json';
import { analysisOptions, DEFAULT_SETTINGS, type Settings } from './settings';
import { preparing } from './prepare';
import { groupedBy } from './grouping';
import type { PolicyModel, Problem, Range, UnreadableObject } from './types';

export interface LanguageServiceHost {
  /** Called when a rule or feature throws; the service carries on without it. */
  onError?(what: string, error: unknown): void;
  /**
   * The workspace is analysed once and never edited (the CLI): nothing is kept for a next analysis, such
   * as each policy's lint results (about 8 MB for the 21,000 policies of a 10 MB file).
   */
  analysedOnce?: boolean;
}

/** What the workspace is compared with (a git revision or a folder, read by the host). */
export interface ComparisonBase {
  /** As people read it, e.g. `HEAD`. */
  label: string;
  files: readonly SourceFile[];
}

export interface WorkspaceState {
  analysis: Analysis;
  /** The comparison with the base, when one is set. */
  comparison?: Comparison;
  /** All diagnostics, by uri (only uris with diagnostics). */
  diagnostics: ReadonlyMap<string, Problem[]>;
  /** Increases with every change; results of an older generation are stale. */
  generation: number;
}

/** A workspace analysed: the analysis, its comparison with the base and the diagnostics that makes. */
interface Analysed {
  analysis: Analysis;
  comparison?: Comparison;
  changes: Problem[];
}

/**
 * A workspace as plain data (structured-clone safe): every file's text and how it was parsed, in the
 * service's order, and the settings. {@link serviceOfSnapshot} builds a service that analyses exactly the
 * same, e.g. on another thread.
 */
export interface WorkspaceSnapshot {
  settings: Settings;
  files: ({ uri: string; text: string; relevantOnly: boolean } | { uri: string; unreadable: string })[];
}

/** A fix for one diagnostic. */
export interface CodeActionResult {
  problem: Problem;
  fix: Fix;
}

/** One policy explained in plain text, as `netpol-lens explain` prints it. */
export interface PolicyExplanationText {
  policy: PolicyModel;
  /** Plain text, several lines (no markup). */
  text: string;
}

/** The comparison with the base, as `netpol-lens diff` prints it (`ref1` the base, `ref2` the workspace). */
export interface ComparisonReport {
  /** The base as people read it, e.g. `HEAD`. */
  label: string;
  /** `diff -o json` (docs/diff-output.md). */
  json: DiffJson;
  /** `diff -o md`: the same rows as a table. */
  markdown: string;
}

/** The answer to "may `source` connect to `destination`?". */
export type CanReachAnswer =
  | {
      found: true;
      result: QueryResult;
      /** The plain-text account `netpol-lens can` prints. */
      text: string;
    }
  | {
      found: false;
      /** Which end was not found, and how it was written. */
      role: 'source' | 'destination';
      spec: string;
      /** Why it names no peer (ambiguous, or unknown with the peers it resembles). */
      message: string;
      /** Peer ids that look like what was asked for. */
      suggestions: string[];
    };

export interface LanguageService {
  // --- The workspace ---------------------------------------------------------------------------

  /**
   * Adds or replaces a file. Unchanged text is a no-op; a changed one is re-parsed incrementally.
   * `relevantOnly` (for files the user does not have open: a workspace scan, the CLI) skips the documents
   * that no analysis reads without parsing them (see prefilter.ts).
   */
  setFile(uri: string, text: string, options?: ParseOptions): void;
  deleteFile(uri: string): void;
  /** A workspace file that cannot be read (a FIFO, too large, not decodable): reported, with no content. */
  setUnreadable(uri: string, reason: string): void;
  hasFile(uri: string): boolean;
  uris(): string[];
  /** The text the service holds for `uri`. */
  text(uri: string): string | undefined;
  /** The files and settings as plain data, for a service elsewhere that must find the same problems. */
  snapshot(): WorkspaceSnapshot;
  /** The settings; only their analysis options reach the engine and its outputs. */
  setSettings(settings: Settings): void;
  settings(): Settings;
  /**
   * Compares every analysis with this base from now on (undefined: no comparison): the diff, and an
   * Information diagnostic on each policy whose edit changes reachability. The base is parsed once and
   * analysed once per settings.
   */
  setComparisonBase(base: ComparisonBase | undefined): void;
  /** The current analysis and diagnostics, computed if anything changed. */
  state(): WorkspaceState;
  /** Increases with every change of the files or the settings. */
  generation(): number;
  /**
   * Analyses the workspace as if one file (each call the next) had been edited, and throws the result
   * away, leaving {@link state} and the files as they are. Run in idle time after a cold start, it lets V8
   * optimise the code a keystroke runs before the first keystroke (the first couple of dozen analyses of
   * a session otherwise take about twice as long as the later ones).
   */
  warmUp(): void;

  // --- Diagnostics and fixes -------------------------------------------------------------------

  /**
   * Makes `problems` the diagnostics of {@link state} when the workspace is still at `generation`: every
   * diagnostic of it, computed elsewhere as {@link allDiagnostics} has them (mergeDiagnosticParts), so a
   * host that computed them on two threads does not run the rules again. Returns whether they were taken.
   */
  adoptDiagnostics(problems: readonly Problem[], generation: number): boolean;

  /** The diagnostics of one file, sorted by position (the analysis' own problems and every rule's). */
  diagnostics(uri: string): Problem[];
  /**
   * The diagnostics of a few files (e.g. the one being edited), exactly as {@link diagnostics} has them,
   * at a fraction of the cost of all: the rules that report per policy run for these files' policies
   * alone. The analysis is kept, so {@link state} after it only adds the other files' diagnostics.
   */
  leadingDiagnostics(uris: readonly string[]): Map<string, Problem[]>;
  /** The diagnostics of every file, sorted by uri and position: what `netpol-lens check` reports. */
  allDiagnostics(): Problem[];
  /**
   * {@link allDiagnostics} as units of work that two services on the same files and settings can share
   * (two threads; see {@link snapshot}): each rule of the workspace, then each file's file-scoped rules.
   */
  diagnosticUnitCount(): number;
  /**
   * The problems of the units `take` hands out (numbers below {@link diagnosticUnitCount}), one after
   * another until it returns undefined, sorted; `withOwn` adds the parser's, the model's and the
   * comparison's. `mergeDiagnosticParts(withOwn part, other part)` over parts that took every unit once
   * is then allDiagnostics, problem for problem.
   */
  diagnosticsOfUnits(take: () => number | undefined, withOwn: boolean): Problem[];
  /**
   * What can be said of one file before the rest of the workspace is read: its YAML problems and the
   * rules that look at a file alone (schema and API-server validation), sorted by position. A subset of
   * {@link diagnostics} once the workspace is in; the workspace-wide lints come only with those.
   */
  fileDiagnostics(uri: string): Problem[];
  /** Fixes for the diagnostics of `uri` that overlap `range` (optionally only of the codes `only`). */
  codeActions(uri: string, range: Range, only?: readonly string[]): CodeActionResult[];

  // --- Editor features (offsets into the text held for `uri`) ----------------------------------

  /**
   * What the element at `offset` means in plain English, or the reach summary of a workload. Markdown
   * by default (every user-provided string escaped); `plaintext` for clients that render no markup.
   */
  hover(uri: string, offset: number, format?: HoverFormat): Hover | undefined;
  /** One line of counts over each policy and each workload of the file. */
  codeLenses(uri: string): CodeLens[];
  /** Label keys and values, field names, enumerations and (in an empty file) policy snippets. */
  completions(uri: string, offset: number): CompletionItem[];
  /** The outline of the file: policies with their selector, rules and peers; the other objects. */
  documentSymbols(uri: string): DocumentSymbol[];
  /** From a selector or peer to the workloads and namespaces it selects (and a policy to its pods). */
  definition(uri: string, offset: number): Location[];
  /** Where the element at `offset` is selected: the policies and peers that select a workload. */
  references(uri: string, offset: number, options?: { includeDeclaration?: boolean }): Location[];

  // --- Reachability and explanations -----------------------------------------------------------

  /** Every policy of the workspace (or of the file `uri`) explained in plain text. */
  explainPolicies(uri?: string): PolicyExplanationText[];
  /** Each cluster-scoped policy (of `uri`, or all) explained in plain text, in file order. */
  explainClusterPolicies(uri?: string): { policy: ClusterPolicyModel; text: string }[];
  /** Each object (of `uri`, or all) that cannot be read and may act as a NetworkPolicy: why, and what that means. */
  explainUnreadable(uri?: string): { object: UnreadableObject; text: string }[];
  /** One line saying that policies of kinds the engine does not evaluate exist; undefined when none. */
  unanalysedNote(): string | undefined;
  /** The connectivity list in one of the CLI's output formats (as `netpol-lens reach -o format`). */
  reachability(format: OutputFormat): string;
  /** The connectivity list as the typed JSON document (docs/json-output.md). */
  reachabilityJson(): ReachabilityJson;
  /** The peers: workloads (one per pod class) and external address ranges. */
  peers(): readonly Peer[];
  /**
   * May `source` connect to `destination` (on `port`)? Peers are written `namespace/name[Kind]`,
   * `namespace/name` when unambiguous, or as an IPv4 address.
   */
  canReach(source: string, destination: string, port?: PortQuery): CanReachAnswer;

  // --- The reachability graph and the comparison with a base ------------------------------------

  /**
   * The graph webview's model: the JSON connectivity document ({@link reachabilityJson}), the pod pairs
   * with no connection and why (at most `maxDenied`, default 2000: they grow with the square of the
   * pods), the policies isolating each pod, and the connected external ranges merged where identical.
   * With `diff`, also the edges that changed against the comparison base ({@link setComparisonBase}), or
   * why there is none.
   */
  graph(options?: { maxDenied?: number; diff?: boolean }): GraphModel;
  /** Every pod pair from or to the pod `peer` (a peer id) with no connection at all; none for other peers. */
  deniedPairs(peer: string): DeniedPair[];
  /** The comparison with the base as `netpol-lens diff` prints it; undefined when no base is set. */
  comparisonReport(): ComparisonReport | undefined;

  // --- Connectivity expectations (kind: ConnectivityExpectations) ------------------------------

  /** Every expectation of the workspace's expectations documents, evaluated against the analysis. */
  expectations(): ExpectationResult[];
  /** An expectations document recording today's verdict of every pair with an end in `namespaces`. */
  recordExpectations(namespaces: readonly string[]): RecordedExpectations;
}

/** Code-unit order, as sortProblems orders uris. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Problems by uri (only uris with problems), in their order. */
function groupByUri(problems: readonly Problem[]): Map<string, Problem[]> {
  return groupedBy(problems, (problem) => problem.uri);
}

function overlaps(a: Range, b: Range): boolean {
  return a.start.offset <= b.end.offset && b.start.offset <= a.end.offset;
}

export function createLanguageService(host: LanguageServiceHost = {}): LanguageService {
  const files = new Map<string, ParsedFile>();
  /** Why each file set with {@link LanguageService.setUnreadable} was not read, for the snapshot. */
  const unreadableReasons = new Map<string, string>();
  let settings: Settings = DEFAULT_SETTINGS;
  let generation = 0;
  let cached: WorkspaceState | undefined;

  /** The analysis of the current generation, computed before its diagnostics when a few files go first. */
  let analysed: Analysed | undefined;

  /**
   * The diagnostics of the files that went first (see leadingDiagnostics), for the analysis they came
   * from: they are the full run's for those files, so the full run computes the other files' alone.
   */
  let leading:
    { analysed: Analysed; uris: ReadonlySet<string>; diagnostics: Map<string, Problem[]> } | undefined;

  /**
   * The rules' diagnostics (every one but the comparison's) of one analysis, by uri: a new comparison base
   * changes the comparison's alone, so they are kept for it (see rebase).
   */
  let ruled: { analysis: Analysis; diagnostics: Map<string, Problem[]> } | undefined;

  const invalidate = () => {
    generation++;
    cached = undefined;
    analysed = undefined;
    leading = undefined;
    ruled = undefined;
  };

  /**
   * Findings of the 'policy'-scoped rules per policy object, for the next analysis after an edit (none
   * when there is no next one); they hold for one set of settings.
   */
  const newPolicyFindings = (): PolicyFindings | undefined => (host.analysedOnce ? undefined : new WeakMap());
  let policyFindings = newPolicyFindings();

  /** Diagnostics of the 'file'-scoped rules, per parsed file (a new text is a new ParsedFile). */
  const fileDiagnostics = new WeakMap<ParsedFile, { settings: Settings; problems: Problem[] }>();

  /** {@link LanguageService.fileDiagnostics}, per parsed file. */
  const fileAloneDiagnostics = new WeakMap<ParsedFile, { settings: Settings; problems: Problem[] }>();

  /** Warm-up rounds so far: each edits one file, in turn. */
  let warmUps = 0;

  let base: { label: string; files: ParsedFile[]; analysis?: Analysis; settings?: Settings } | undefined;

  const baseAnalysis = (): Analysis | undefined => {
    if (!base) return undefined;
    if (base.settings !== settings)
      base = { ...base, analysis: analyzeParsed(base.files, analysisOptions(settings)), settings };
    return base.analysis;
  };

  const compare = (analysis: Analysis): { comparison?: Comparison; problems: Problem[] } => {
    const old = baseAnalysis();
    if (!old || !base) return { problems: [] };
    const comparison = compareAnalyses(old, analysis, base.label);
    const severity = settings.severity[CODES.reachabilityChanged];
    if (severity === 'off') return { comparison, problems: [] };
    const problems = comparisonProblems(comparison).map((p) => (severity ? { ...p, severity } : p));
    return { comparison, problems };
  };

  const ruleOptions = () => ({
    severities: settings.severity,
    onRuleError: (code: string, error: unknown) => host.onError?.(`diagnostic rule ${code}`, error),
  });

  /** The analysis of a set of files and its comparison with the base: what every diagnostic is made of. */
  const analyseFiles = (parsed: readonly ParsedFile[]): Analysed => {
    const analysis = analyzeParsed(parsed, analysisOptions(settings));
    const { comparison, problems: changes } = compare(analysis);
    return { analysis, comparison, changes };
  };

  /** The 'file' rules' diagnostics of one file in the analysed workspace, once per version and settings. */
  const fileRuleProblems = (analysis: Analysis, file: ParsedFile, own: Map<string, Problem[]>) => {
    let entry = fileDiagnostics.get(file);
    if (entry?.settings !== settings) {
      // The rules see this file alone, with its own problems (they skip what those already explain).
      const alone = { ...analysis, files: [file], problems: own.get(file.uri) ?? [] };
      entry = { settings, problems: computeDiagnostics(alone, { ...ruleOptions(), scope: 'file' }) };
      fileDiagnostics.set(file, entry);
    }
    return entry.problems;
  };

  /**
   * The rules' diagnostics of the analysed workspace by uri, of every file or of the files `uris` alone:
   * every diagnostic but the comparison's, which {@link withChanges} adds.
   */
  const diagnose = ({ analysis }: Analysed, uris?: ReadonlySet<string>) => {
    const options = { ...ruleOptions(), scope: 'workspace' as const, policyFindings, uris };
    const problems = computeDiagnostics(analysis, options);
    const own = groupByUri(analysis.problems);
    for (const file of analysis.files)
      if (!uris || uris.has(file.uri)) problems.push(...fileRuleProblems(analysis, file, own));
    return groupByUri(sortProblems(problems));
  };

  /**
   * `byUri` with the comparison's diagnostics of its files (or of `uris`) added, each file's in the order
   * sortProblems gives all of them together (its sort is stable and the comparison's came last).
   */
  const withChanges = (
    byUri: Map<string, Problem[]>,
    changes: readonly Problem[],
    uris?: ReadonlySet<string>,
  ): Map<string, Problem[]> => {
    const added = groupByUri(uris ? changes.filter((p) => uris.has(p.uri)) : changes);
    if (added.size === 0) return byUri;
    const merged = new Map(byUri);
    for (const [uri, problems] of added)
      merged.set(uri, sortProblems([...(byUri.get(uri) ?? []), ...problems]));
    return byUri.size === merged.size ? merged : new Map([...merged].sort(([a], [b]) => compareText(a, b)));
  };

  /**
   * The diagnostics of the units of work `take` hands out (see {@link LanguageService.diagnosticUnitCount}),
   * in the order {@link diagnose} finds them, with the analysis' own problems and the comparison's when
   * `withOwn`. The 'file' rules' cache holds every rule's findings of a file, so a unit computes them afresh.
   */
  const diagnoseUnits = (
    { analysis, changes }: Analysed,
    take: () => number | undefined,
    withOwn: boolean,
  ) => {
    const options = { ...ruleOptions(), policyFindings, ownProblems: false };
    const problems = withOwn ? withSeverities(analysis.problems, settings.severity) : [];
    const own = groupByUri(analysis.problems);
    for (let unit = take(); unit !== undefined; unit = take()) {
      if (unit < WORKSPACE_RULE_CODES.length) {
        const code = WORKSPACE_RULE_CODES[unit];
        problems.push(
          ...computeDiagnostics(analysis, { ...options, scope: 'workspace', rules: (c) => c === code }),
        );
      } else {
        const file = analysis.files[unit - WORKSPACE_RULE_CODES.length];
        const alone = { ...analysis, files: [file], problems: own.get(file.uri) ?? [] };
        problems.push(...computeDiagnostics(alone, { ...options, scope: 'file' }));
      }
    }
    if (withOwn) problems.push(...changes);
    return problems;
  };

  /** The current workspace analysed (kept until the next change). */
  const current = (): Analysed => (analysed ??= analyseFiles([...files.values()]));

  /** The rules' diagnostics of every file, taking those of the files that went first as they are. */
  const diagnoseAll = (done: Analysed): Map<string, Problem[]> => {
    if (ruled?.analysis === done.analysis) return ruled.diagnostics;
    let diagnostics: Map<string, Problem[]>;
    if (leading?.analysed !== done) diagnostics = diagnose(done);
    else {
      const went = leading;
      const others = new Set(done.analysis.files.map((f) => f.uri).filter((uri) => !went.uris.has(uri)));
      const byUri = [...diagnose(done, others), ...went.diagnostics];
      // In the order a full run groups them: by uri, as sortProblems sorts.
      diagnostics = new Map(byUri.sort(([a], [b]) => compareText(a, b)));
    }
    ruled = { analysis: done.analysis, diagnostics };
    return diagnostics;
  };

  const analyse = (parsed?: readonly ParsedFile[]): WorkspaceState => {
    const done = parsed ? analyseFiles(parsed) : current();
    const { analysis, comparison, changes } = done;
    const diagnostics = withChanges(parsed ? diagnose(done) : diagnoseAll(done), changes);
    return { analysis, comparison, diagnostics, generation };
  };

  const state = (): WorkspaceState => (cached ??= analyse());
  const analysis = () => state().analysis;

  /** Runs a feature on a file with Kubernetes content; any other file gets the fallback. */
  function onKubernetes<T>(uri: string, fallback: T, work: (current: Analysis) => T): T {
    const current = analysis();
    const file = findFile(current, uri);
    return file && file.objects.length > 0 ? work(current) : fallback;
  }

  return {
    setFile(uri, text, options = {}) {
      const held = files.get(uri);
      const relevantOnly = options.relevantOnly === true;
      if (held?.source.text === text) {
        if (relevantOnly || !held.relevantOnly) return;
        // Opened with its text on disk: parsed again in full only if the pre-filter skipped a document,
        // so opening the files of a workspace scan neither parses nor analyses them again.
        if (skippedNothing(held)) {
          held.relevantOnly = false;
          return;
        }
      }
      // The previous parse hands its unchanged `---` sections over to the new one.
      const parse = preparing({ ...options, relevantOnly }, analysisOptions(settings).defaultNamespace);
      files.set(uri, parseFile(uri, text, held, parse));
      unreadableReasons.delete(uri);
      invalidate();
    },
    deleteFile(uri) {
      unreadableReasons.delete(uri);
      if (files.delete(uri)) invalidate();
    },
    setUnreadable(uri, reason) {
      const held = files.get(uri);
      if (held?.source.text === '' && held.problems[0]?.message === unreadableMessage(reason)) return;
      files.set(uri, unreadableFile(uri, reason));
      unreadableReasons.set(uri, reason);
      invalidate();
    },
    snapshot: () => ({
      settings,
      files: [...files.values()].map(({ uri, source, relevantOnly }) => {
        const reason = unreadableReasons.get(uri);
        return reason !== undefined ? { uri, unreadable: reason } : { uri, text: source.text, relevantOnly };
      }),
    }),
    hasFile: (uri) => files.has(uri),
    uris: () => [...files.keys()],
    text: (uri) => files.get(uri)?.source.text,
    setSettings(next) {
      settings = next;
      policyFindings = newPolicyFindings();
      invalidate();
    },
    settings: () => settings,
    setComparisonBase(next) {
      // No editor has the base's files open: the documents no analysis reads are skipped, as in a scan.
      const parsed = next?.files.map((f) => parseFile(f.uri, f.text, undefined, { relevantOnly: true }));
      base = next && parsed && { label: next.label, files: parsed };
      // The workspace's analysis and its rules' diagnostics hold: only the comparison is made again.
      const kept = analysed;
      const rules = ruled;
      invalidate();
      if (kept) {
        const { comparison, problems: changes } = compare(kept.analysis);
        analysed = { analysis: kept.analysis, comparison, changes };
        ruled = rules;
      }
    },
    state,
    generation: () => generation,
    warmUp() {
      const all = [...files.values()];
      if (all.length === 0) return;
      // What a keystroke costs: one file changes (a blank line in its middle), is parsed from its
      // previous version (a private copy: the held one must stay intact) and analysed with the rest.
      const index = warmUps++ % all.length;
      const { uri, source } = all[index];
      const middle = source.text.indexOf('\n', source.text.length >> 1) + 1;
      const edited = source.text.slice(0, middle) + '\n' + source.text.slice(middle);
      const { relevantOnly } = all[index];
      all[index] = parseFile(uri, edited, parseFile(uri, source.text, undefined, { relevantOnly }), {
        relevantOnly,
      });
      analyse(all);
    },

    adoptDiagnostics(problems, at) {
      if (at !== generation || cached) return false;
      const { analysis, comparison } = current();
      cached = { analysis, comparison, diagnostics: groupByUri(problems), generation };
      return true;
    },
    diagnostics: (uri) => state().diagnostics.get(uri) ?? [],
    leadingDiagnostics(uris) {
      const wanted = new Set(uris);
      let found = cached?.diagnostics;
      if (!found) {
        const done = current();
        if (leading?.analysed !== done || [...wanted].some((uri) => !leading!.uris.has(uri))) {
          leading = { analysed: done, uris: wanted, diagnostics: diagnose(done, wanted) };
        }
        found = withChanges(leading.diagnostics, done.changes, wanted);
      }
      return new Map([...wanted].map((uri) => [uri, found.get(uri) ?? []]));
    },
    allDiagnostics: () => sortProblems([...state().diagnostics.values()].flat()),
    diagnosticUnitCount: () => WORKSPACE_RULE_CODES.length + current().analysis.files.length,
    diagnosticsOfUnits: (take, withOwn) => sortProblems(diagnoseUnits(current(), take, withOwn)),
    fileDiagnostics(uri) {
      const file = files.get(uri);
      if (!file) return [];
      let entry = fileAloneDiagnostics.get(file);
      if (entry?.settings !== settings) {
        // Not the cache of the full analysis: there the rules see the file's problems in the whole workspace.
        const alone = { ...analyzeParsed([file], analysisOptions(settings)), problems: file.problems };
        const options = { ...ruleOptions(), scope: 'file' as const };
        const problems = sortProblems([
          ...withSeverities(file.problems, settings.severity),
          ...computeDiagnostics(alone, options),
        ]);
        fileAloneDiagnostics.set(file, (entry = { settings, problems }));
      }
      return entry.problems;
    },
    codeActions(uri, range, only) {
      const current = state();
      return (current.diagnostics.get(uri) ?? [])
        .filter((p) => overlaps(p.range, range) && (!only || only.includes(p.code)))
        .flatMap((problem) => quickFixes(current.analysis, problem).map((fix) => ({ problem, fix })));
    },

    hover: (uri, offset, format = 'markdown') =>
      onKubernetes(uri, undefined, (current) => hover(current, uri, offset, format)),
    codeLenses: (uri) =>
      onKubernetes(uri, [], (current) => {
        const comparison = state().comparison;
        const changes = comparison ? comparisonLenses(comparison, uri) : [];
        return [...codeLenses(current, uri), ...changes.map((lens) => ({ ...lens, locations: [] }))];
      }),
    // Not onKubernetes: an empty file may receive the policy snippets.
    completions: (uri, offset) => (findFile(analysis(), uri) ? completions(analysis(), uri, offset) : []),
    documentSymbols: (uri) => onKubernetes(uri, [], (current) => documentSymbols(current, uri)),
    definition: (uri, offset) => onKubernetes(uri, [], (current) => definition(current, uri, offset)),
    references: (uri, offset, options) =>
      onKubernetes(uri, [], (current) => references(current, uri, offset, options)),

    explainPolicies(uri) {
      const current = analysis();
      return current.model.policies
        .filter((policy) => uri === undefined || policy.uri === uri)
        .map((policy) => ({
          policy,
          text: renderExplanation(explainPolicy(policy, current.reachability)),
        }));
    },
    explainClusterPolicies(uri) {
      const current = analysis();
      return current.model.clusterPolicies
        .filter((policy) => uri === undefined || policy.uri === uri)
        .map((policy) => ({
          policy,
          text: renderClusterExplanation(explainClusterPolicy(policy, current.reachability)),
        }));
    },
    explainUnreadable(uri) {
      const current = analysis();
      const folder = workspaceFolder(current);
      return current.model.unreadable
        .filter((u) => actsAsPolicy(u) && (uri === undefined || u.uri === uri))
        .map((object) => ({ object, text: explainUnreadable(object, folder) }));
    },
    unanalysedNote: () => unanalysedNote(analysis().model.unanalysed),
    reachability: (format) => formatReachability(analysis(), format),
    reachabilityJson: () => reachabilityJson(analysis()),
    peers: () => analysis().reachability.peers,
    canReach(source, destination, port) {
      const reach = analysis().reachability;
      const ends = [
        ['source', source, reach.findPeer(source, 'source')],
        ['destination', destination, reach.findPeer(destination, 'destination')],
      ] as const;
      for (const [role, spec, peer] of ends) {
        if (!peer) {
          const message = peerLookupError(reach, spec);
          return { found: false, role, spec, message, suggestions: reach.suggestPeers(spec) };
        }
      }
      const result = reach.query(ends[0][2]!, ends[1][2]!, port);
      // No verdict may look more certain than it is: policies the engine leaves out are named.
      const note = unanalysedNote(analysis().model.unanalysed);
      const text = explainQuery(result, workspaceFolder(analysis()));
      return { found: true, result, text: text + (note ? `\n${note}` : '') };
    },

    graph(options = {}) {
      const current = state();
      const diffWith = options.diff ? { comparison: current.comparison } : undefined;
      return buildGraph(current.analysis, { maxDenied: options.maxDenied, diffWith });
    },
    deniedPairs: (peer) => deniedPairsOf(analysis(), peer),
    comparisonReport() {
      const { analysis: current, comparison } = state();
      if (!comparison) return undefined;
      const labels = { ref1: comparison.label, ref2: 'workspace' };
      return {
        label: comparison.label,
        json: diffJson(comparison.base, current, comparison.diff, labels),
        markdown: formatDiff(comparison.base, current, comparison.diff, 'md', labels),
      };
    },

    expectations: () => evaluateExpectations(analysis()),
    recordExpectations: (namespaces) => recordExpectations(analysis(), namespaces),
  };
}

/** A service holding the workspace of `snapshot` (taken from another service), not yet analysed. */
export function serviceOfSnapshot(
  snapshot: WorkspaceSnapshot,
  host: LanguageServiceHost = {},
): LanguageService {
  const service = createLanguageService(host);
  service.setSettings(snapshot.settings);
  for (const file of snapshot.files) {
    if ('unreadable' in file) service.setUnreadable(file.uri, file.unreadable);
    else service.setFile(file.uri, file.text, { relevantOnly: file.relevantOnly });
  }
  return service;
}

/**
 * {@link LanguageService.allDiagnostics} from two parts (see diagnosticsOfUnits). A unit is one rule, or
 * one file's rules, so problems that sort as equal (same uri, start and code) come from one unit, in the
 * order a single run finds them, which the stable sort keeps; the parser's own problems come first, as
 * there (dropping a later duplicate of one of them, as there).
 */
export function mergeDiagnosticParts(withOwn: readonly Problem[], other: readonly Problem[]): Problem[] {
  return sortProblems([...withOwn, ...other]);
}
