/**
 * The language service: a workspace of manifest texts, analysed on demand. Each file is parsed once per
 * text; the analysis and the diagnostics are computed once per change of the workspace or the settings
 * and shared by every feature. The host (LSP server, CLI, a browser worker) feeds it texts.
 */
import { computeDiagnostics, type PolicyFindings } from './diagnostics/index';
import { quickFixes, type Fix } from './fixes/index';
import { compareAnalyses, comparisonProblems, COMPARISON_CODE, type Comparison } from './comparison';
import { analyzeParsed, sortProblems, type Analysis, type SourceFile } from './index';
import { parseFile, type ParsedFile, type ParseOptions } from './parse';
import { DEFAULT_SETTINGS, type Settings } from './settings';
import type { Problem, Range } from './types';

export interface LanguageServiceHost {
  /** Called when a rule or feature throws; the service carries on without it. */
  onError?(what: string, error: unknown): void;
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

export interface LanguageService {
  /**
   * Sets a file's text. `relevantOnly` (for files the user does not have open: a workspace scan) skips
   * the documents that no analysis reads without parsing them (see prefilter.ts).
   */
  setFile(uri: string, text: string, options?: ParseOptions): void;
  deleteFile(uri: string): void;
  hasFile(uri: string): boolean;
  uris(): string[];
  text(uri: string): string | undefined;
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
  diagnostics(uri: string): Problem[];
  /** Fixes for the diagnostics of `uri` that overlap `range`. */
  codeActions(uri: string, range: Range, only?: readonly string[]): { problem: Problem; fix: Fix }[];
}

/** Problems by uri (only uris with problems), in their order. */
function groupByUri(problems: readonly Problem[]): Map<string, Problem[]> {
  const byUri = new Map<string, Problem[]>();
  for (const problem of problems) {
    const list = byUri.get(problem.uri);
    if (list) list.push(problem);
    else byUri.set(problem.uri, [problem]);
  }
  return byUri;
}

function overlaps(a: Range, b: Range): boolean {
  return a.start.offset <= b.end.offset && b.start.offset <= a.end.offset;
}

export function createLanguageService(host: LanguageServiceHost = {}): LanguageService {
  const files = new Map<string, ParsedFile>();
  let settings: Settings = DEFAULT_SETTINGS;
  let generation = 0;
  let cached: WorkspaceState | undefined;

  const invalidate = () => {
    generation++;
    cached = undefined;
  };

  /** Findings of the 'policy'-scoped rules per policy object; they hold for one set of settings. */
  let policyFindings: PolicyFindings = new WeakMap();

  /** Diagnostics of the 'file'-scoped rules, per parsed file (a new text is a new ParsedFile). */
  const fileDiagnostics = new WeakMap<ParsedFile, { settings: Settings; problems: Problem[] }>();

  /** Warm-up rounds so far: each edits one file, in turn. */
  let warmUps = 0;

  let base: { label: string; files: ParsedFile[]; analysis?: Analysis; settings?: Settings } | undefined;

  const baseAnalysis = (): Analysis | undefined => {
    if (!base) return undefined;
    if (base.settings !== settings)
      base = { ...base, analysis: analyzeParsed(base.files, settings), settings };
    return base.analysis;
  };

  const compare = (analysis: Analysis): { comparison?: Comparison; problems: Problem[] } => {
    const old = baseAnalysis();
    if (!old || !base) return { problems: [] };
    const comparison = compareAnalyses(old, analysis, base.label);
    const severity = settings.severity[COMPARISON_CODE];
    if (severity === 'off') return { comparison, problems: [] };
    const problems = comparisonProblems(comparison).map((p) => (severity ? { ...p, severity } : p));
    return { comparison, problems };
  };

  const analyse = (parsed: readonly ParsedFile[] = [...files.values()]): WorkspaceState => {
    const analysis = analyzeParsed(parsed, settings);
    const options = {
      severities: settings.severity,
      onRuleError: (code: string, error: unknown) => host.onError?.(`diagnostic rule ${code}`, error),
    };
    const problems = computeDiagnostics(analysis, { ...options, scope: 'workspace', policyFindings });
    const ownProblems = groupByUri(analysis.problems);
    for (const file of analysis.files) {
      let entry = fileDiagnostics.get(file);
      if (entry?.settings !== settings) {
        // The rules see this file alone, with its own problems (they skip what those already explain).
        const alone = { ...analysis, files: [file], problems: ownProblems.get(file.uri) ?? [] };
        entry = { settings, problems: computeDiagnostics(alone, { ...options, scope: 'file' }) };
        fileDiagnostics.set(file, entry);
      }
      problems.push(...entry.problems);
    }
    const { comparison, problems: changes } = compare(analysis);
    problems.push(...changes);
    return { analysis, comparison, diagnostics: groupByUri(sortProblems(problems)), generation };
  };

  const state = (): WorkspaceState => (cached ??= analyse());

  return {
    setFile(uri, text, options = {}) {
      const held = files.get(uri);
      const relevantOnly = options.relevantOnly === true;
      // A file parsed with the pre-filter is parsed again in full when it is opened.
      if (held?.source.text === text && (relevantOnly || !held.relevantOnly)) return;
      // The previous parse hands its unchanged `---` sections over to the new one.
      files.set(uri, parseFile(uri, text, held, { relevantOnly }));
      invalidate();
    },
    deleteFile(uri) {
      if (files.delete(uri)) invalidate();
    },
    hasFile: (uri) => files.has(uri),
    uris: () => [...files.keys()],
    text: (uri) => files.get(uri)?.source.text,
    setSettings(next) {
      settings = next;
      policyFindings = new WeakMap();
      invalidate();
    },
    settings: () => settings,
    setComparisonBase(next) {
      base = next && { label: next.label, files: next.files.map((f) => parseFile(f.uri, f.text)) };
      invalidate();
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
    diagnostics: (uri) => state().diagnostics.get(uri) ?? [],
    codeActions(uri, range, only) {
      const current = state();
      return (current.diagnostics.get(uri) ?? [])
        .filter((p) => overlaps(p.range, range) && (!only || only.includes(p.code)))
        .flatMap((problem) => quickFixes(current.analysis, problem).map((fix) => ({ problem, fix })));
    },
  };
}
