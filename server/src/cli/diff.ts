// `netpol-lens diff OLD NEW`: the connectivity diff of two folders, files or `REV:PATH` git revisions.
import { statSync } from 'node:fs';
import {
  analyzeFiles,
  diffConnectivity,
  displayText,
  formatDiff,
  type Analysis,
  type AnalysisOptions,
  type DiffFormat,
  type ParseOptions,
  type Problem,
  type SourceFile,
} from '../core/index';
import { GitError, parseRevisionSpec, readRevisionFiles } from '../git/revision-files';
import { largestFileChars, loadFiles } from './files';

export interface DiffRun {
  oldSpec: string;
  newSpec: string;
  options: Partial<AnalysisOptions>;
  /** How the CLI parses (documents no analysis reads are skipped). */
  parse: ParseOptions;
  format: DiffFormat;
  exitCode: boolean;
  quiet: boolean;
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
  formatProblem: (problem: Problem) => string;
  /** Told the characters of the largest file of either side, before the sides are parsed. */
  beforeParse?: (largestFileChars: number) => void;
}

/** One side's files; undefined (after saying why) when the argument cannot be read at all. */
async function loadSide(
  spec: string,
  run: DiffRun,
): Promise<{ files: SourceFile[]; bad: boolean } | undefined> {
  const revision = existsOnDisk(spec) ? undefined : parseRevisionSpec(spec);
  if (revision) {
    try {
      const { files, notes } = await readRevisionFiles(revision.revision, revision.path, run.cwd);
      for (const note of notes) run.err(`netpol-lens: ${displayText(note)}\n`);
      return { files, bad: false };
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      run.err(`netpol-lens: cannot read ${spec} from git: ${error.message}\n`);
      return undefined;
    }
  }
  const loaded = await loadFiles([spec]);
  const files = loaded.files;
  const errors = [...loaded.errors, ...loaded.unreadable.map((u) => `cannot read ${u.uri}: ${u.reason}`)];
  for (const error of errors) run.err(`netpol-lens: ${displayText(error)}\n`);
  // A side that cannot be read is not an empty side: comparing with it would report everything as changed.
  if (files.length === 0 && errors.length > 0) return undefined;
  return { files, bad: errors.length > 0 };
}

function existsOnDisk(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function analyzeSide(files: SourceFile[], run: DiffRun): { analysis: Analysis; bad: boolean } {
  const analysis = analyzeFiles(files, run.options, run.parse);
  if (!run.quiet) for (const p of analysis.problems) run.err(run.formatProblem(p) + '\n');
  return { analysis, bad: analysis.problems.some((p) => p.severity === 'error') };
}

/** Runs the diff; resolves to the exit code (1: bad input, or differences with `--exit-code`). */
export async function runDiff(run: DiffRun): Promise<number> {
  const [oldFiles, newFiles] = [await loadSide(run.oldSpec, run), await loadSide(run.newSpec, run)];
  if (!oldFiles || !newFiles) return 1;
  run.beforeParse?.(largestFileChars([...oldFiles.files, ...newFiles.files]));
  const old = analyzeSide(oldFiles.files, run);
  const next = analyzeSide(newFiles.files, run);
  const diff = diffConnectivity(old.analysis.reachability, next.analysis.reachability);
  run.out(
    formatDiff(old.analysis, next.analysis, diff, run.format, { ref1: run.oldSpec, ref2: run.newSpec }),
  );
  const bad = oldFiles.bad || newFiles.bad || old.bad || next.bad;
  return bad || (run.exitCode && diff.rows.length > 0) ? 1 : 0;
}
