// The analysis pipeline in one call: parsed files → model (with its problems) → address checks →
// reachability. The language service runs it once per change of the workspace; see service.ts.
import { checkAddresses } from './checks';
import { buildModel, type Model } from './model';
import { parseFile, type ParsedFile, type ParseOptions } from './parse';
import { preparing } from './prepare';
import { Reachability } from './reachability';
import { plainRange, TextRange } from './text';
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

/** The options over the defaults; keys that are no analysis option (editor settings) are left out. */
export function resolveOptions(options: Partial<AnalysisOptions> = {}): AnalysisOptions {
  const given = options as Record<string, unknown>;
  const defined = Object.keys(DEFAULT_OPTIONS).filter((key) => given[key] !== undefined);
  return { ...DEFAULT_OPTIONS, ...Object.fromEntries(defined.map((key) => [key, given[key]])) };
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
  const prepared = preparing(parse, resolveOptions(options).defaultNamespace);
  return analyzeParsed(
    files.map((f) => parseFile(f.uri, f.text, undefined, prepared)),
    options,
  );
}

/**
 * The problems without repeats, sorted by uri, then position, then code; each with a plain range (see
 * TextRange in text.ts): problems are few beside the model's ranges, they are handed to other threads and
 * compared, and their positions are read many times (this sort included).
 *
 * A repeat has the uri, range, code and message of an earlier problem, and is dropped. Sorted first (the
 * sort is stable), a problem's repeats follow it within its run of problems of the same uri, start and
 * code, so only those are compared: no key string per problem.
 */
export function sortProblems(problems: Problem[]): Problem[] {
  for (let i = 0; i < problems.length; i++) {
    const p = problems[i];
    if (p.range instanceof TextRange) p.range = plainRange(p.range);
  }
  const sorted = problems.slice().sort(compareProblems);
  const result: Problem[] = [];
  let runStart = 0;
  let runKeys: Set<string> | undefined;
  for (let i = 0; i < sorted.length; i++) {
    const p = sorted[i];
    if (i > 0 && compareProblems(sorted[i - 1], p) !== 0) {
      runStart = result.length;
      runKeys = undefined;
    }
    if (result.length - runStart < SCANNED_RUN) {
      if (!repeatIn(result, runStart, p)) result.push(p);
      continue;
    }
    // A long run (many problems at one place): its kept problems by end and message.
    if (!runKeys) {
      runKeys = new Set();
      for (let j = runStart; j < result.length; j++) runKeys.add(runKey(result[j]));
    }
    const key = runKey(p);
    if (runKeys.has(key)) continue;
    runKeys.add(key);
    result.push(p);
  }
  return result;
}

/** Runs of problems at one place up to this long are scanned for repeats. */
const SCANNED_RUN = 16;

function compareProblems(a: Problem, b: Problem): number {
  return (
    (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) ||
    a.range.start.offset - b.range.start.offset ||
    (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)
  );
}

/** Whether a kept problem from `from` on (same uri, start and code as `p`) has p's end and message. */
function repeatIn(kept: readonly Problem[], from: number, p: Problem): boolean {
  for (let j = from; j < kept.length; j++) {
    const q = kept[j];
    if (q.range.end.offset === p.range.end.offset && q.message === p.message) return true;
  }
  return false;
}

function runKey(p: Problem): string {
  return `${p.range.end.offset}|${p.message}`;
}
