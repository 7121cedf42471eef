/**
 * The netpol-lens analysis core: pure functions from manifest text to located, plain data.
 *
 * ```ts
 * const analysis = analyzeFiles([{ uri, text }], { defaultNamespace: 'default' });
 * analysis.problems;                       // located YAML/type problems
 * analysis.model.policies;                 // the NetworkPolicies, with source ranges
 * analysis.reachability.allowedPairs();    // who may connect to whom, on which ports
 * ```
 *
 * The core imports neither the editor nor Node built-ins, so it can run in a browser worker. Parse a file
 * once per version with {@link parseFile} and hand the parsed files to {@link analyzeParsed} to reuse work.
 */
import { checkAddresses } from './checks';
import { buildModel, type Model } from './model';
import { parseFile, type ParsedFile, type ParseOptions } from './parse';
import { Reachability } from './reachability';
import { DEFAULT_OPTIONS, type AnalysisOptions, type Problem } from './types';

export interface SourceFile {
  uri: string;
  text: string;
}

export interface Analysis {
  files: ParsedFile[];
  model: Model;
  reachability: Reachability;
  /** Sorted by uri, then position. */
  problems: Problem[];
  options: AnalysisOptions;
}

export function resolveOptions(options: Partial<AnalysisOptions> = {}): AnalysisOptions {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_OPTIONS, ...defined };
}

/** Analyses already parsed files (see {@link parseFile}). */
export function analyzeParsed(
  files: readonly ParsedFile[],
  options: Partial<AnalysisOptions> = {},
): Analysis {
  const resolved = resolveOptions(options);
  const problems: Problem[] = [];
  const model = buildModel(files, resolved, problems);
  problems.push(...checkAddresses(model));
  const reachability = new Reachability(model, resolved);
  return { files: [...files], model, reachability, problems: sortProblems(problems), options: resolved };
}

/**
 * Parses and analyses a set of files. Never throws on bad input. `parse.relevantOnly` skips documents no
 * analysis reads (see prefilter.ts), as a command-line check of a whole repository wants.
 */
export function analyzeFiles(
  files: readonly SourceFile[],
  options: Partial<AnalysisOptions> = {},
  parse: ParseOptions = {},
): Analysis {
  return analyzeParsed(
    files.map((f) => parseFile(f.uri, f.text, undefined, parse)),
    options,
  );
}

export function sortProblems(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.uri}|${p.range.start.offset}|${p.range.end.offset}|${p.code}|${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort(
      (a, b) =>
        (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
        a.range.start.offset - b.range.start.offset ||
        (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
    );
}

export { parseFile } from './parse';
export { readingSummary, formatReadingSummary, type ReadingSummary } from './summary';
export type { ParsedFile, KubeObject, ParseOptions, SkippedDocument } from './parse';
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
export { explainPolicy, explainQuery, describeSelector, describePeer } from './explain';
export { formatReachability, OUTPUT_FORMATS, type OutputFormat } from './output';
export {
  diffConnectivity,
  diffLine,
  diffProvenance,
  type ConnectivityDiff,
  type DiffRow,
  type DiffType,
  type DiffEndpoint,
} from './diff';
export { formatDiff, DIFF_FORMATS, type DiffFormat, type DiffLabels } from './diff-output';
