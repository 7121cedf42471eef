// Repository-scale part of the benchmark: the 1,800-policy, 3,900-document and 21 MB workspaces and single
// files of many policies, each timed as `netpol-lens check` does its work (parse, model, reachability,
// every diagnostic rule) next to parse-only baselines with `yaml` and js-yaml, in the same run.
//
// Also a command line for whole-process measurements: `node dist/bench.js --write DIR` writes the
// workspaces as folders (DIR/docs-3900, DIR/repo-21mb, DIR/repo-21mb-relevant, DIR/single-*), and
// `node dist/bench.js --parse-only yaml|js-yaml DIR` only reads and parses a folder's YAML, so that
// `/usr/bin/time -v node dist/cli.js check DIR` can be compared with what parsing alone costs.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { loadAll } from 'js-yaml';
import { parseAllDocuments } from 'yaml';
import { computeDiagnostics } from '../server/src/core/diagnostics/index';
import { analyzeParsed } from '../server/src/core/index';
import { parseFile } from '../server/src/core/parse';
import { preparing } from '../server/src/core/prepare';
import { DEFAULT_OPTIONS } from '../server/src/core/types';
import type { GeneratedFile, Workspace } from './generate';
import {
  DOCS_3900,
  generateRepository,
  generateServices,
  generateSingleFile,
  POLICIES_ONLY,
} from './generate-repo';
import { generateWorkspace } from './generate';

const gc = (globalThis as { gc?: () => void }).gc;
const KB = 1024;
const MB = 1024 * 1024;

interface RepoResult {
  name: string;
  bytes: number;
  files: number;
  yamlMs: number;
  jsYamlMs: number;
  checkMs: number;
  problems: number;
  peakRssMb: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function timed(fn: () => unknown): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** What `netpol-lens check` computes: parse, model, reachability and every diagnostic rule. */
export function check(files: readonly GeneratedFile[]): number {
  // Read as `netpol-lens check` reads files no editor has open: with the relevance pre-filter, each
  // document's checks done while it is read.
  const reading = preparing({ relevantOnly: true }, DEFAULT_OPTIONS.defaultNamespace);
  const analysis = analyzeParsed(files.map((f) => parseFile(f.uri, f.text, undefined, reading)));
  return analysis.problems.length + computeDiagnostics(analysis).length;
}

function parseWithYaml(files: readonly GeneratedFile[]): void {
  for (const f of files) parseAllDocuments(f.text, { version: '1.1' });
}

function parseWithJsYaml(files: readonly GeneratedFile[]): void {
  for (const f of files) loadAll(f.text);
}

/** Median of `runs` (A, B, C alternating) after one warm-up round. */
function measure(workspace: Workspace, runs: number): RepoResult {
  const samples = { yaml: [] as number[], js: [] as number[], check: [] as number[] };
  let problems = 0;
  let peakRss = 0;
  for (let run = 0; run <= runs; run++) {
    gc?.();
    const y = timed(() => parseWithYaml(workspace.files));
    gc?.();
    const j = timed(() => parseWithJsYaml(workspace.files));
    gc?.();
    const c = timed(() => (problems = check(workspace.files)));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    if (run === 0) continue; // warm-up
    samples.yaml.push(y);
    samples.js.push(j);
    samples.check.push(c);
  }
  return {
    name: workspace.size.name,
    bytes: workspace.bytes,
    files: workspace.files.length,
    yamlMs: median(samples.yaml),
    jsYamlMs: median(samples.js),
    checkMs: median(samples.check),
    problems,
    peakRssMb: peakRss / MB,
  };
}

const ms = (v: number) => `${v.toFixed(0)} ms`;

function size(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${(bytes / KB).toFixed(0)} KB`;
}

/** The repository-scale table; `quick` leaves out the largest single file. */
export function benchRepository({ quick = false } = {}): void {
  console.log('');
  console.log('Repository scale (median of 3 after a warm-up; check = parse + model + reachability + rules)');
  const repo = generateRepository();
  const workspaces = [
    generateWorkspace(POLICIES_ONLY),
    generateWorkspace(DOCS_3900),
    repo,
    generateServices(800),
  ];
  const results = workspaces.map((w) => measure(w, 3));
  const singles = (quick ? [2, 4] : [2, 4, 10]).map((mb) => measure(generateSingleFile(mb), 1));
  const header = ['workspace', 'size', 'files', 'yaml', 'js-yaml', 'check', 'check/js-yaml', 'problems'];
  console.log(header.map((h, i) => (i === 0 ? h.padEnd(16) : h.padStart(13))).join(''));
  for (const r of [...results, ...singles]) {
    const row = [
      r.name.padEnd(16),
      size(r.bytes),
      String(r.files),
      ms(r.yamlMs),
      ms(r.jsYamlMs),
      ms(r.checkMs),
      `${(r.checkMs / r.jsYamlMs).toFixed(2)}x`,
      String(r.problems),
    ];
    console.log(row.map((c, i) => (i === 0 ? c : c.padStart(13))).join(''));
  }
  const [, docs, whole] = results;
  console.log(
    `  21 MB repository / its relevant 1.6 MB: ${(whole.checkMs / docs.checkMs).toFixed(2)}x time (goal <= 1.25x), problems ${whole.problems} vs ${docs.problems}`,
  );
  console.log(
    `  3,900 documents: check / js-yaml parse-only ${(docs.checkMs / docs.jsYamlMs).toFixed(2)}x (goal <= 3x)`,
  );
  const [small, big] = [singles[0], singles[singles.length - 1]];
  const growth = big.bytes / small.bytes;
  console.log(
    `  single file ${size(small.bytes)} -> ${size(big.bytes)} (${growth.toFixed(1)}x input): check ${(big.checkMs / small.checkMs).toFixed(2)}x time (linear: <= ${growth.toFixed(1)}x)`,
  );
}

/** Writes the workspaces as folders under `root`, for whole-process measurements. */
export function writeWorkspaces(root: string): void {
  const repo = generateRepository();
  const sets: [string, readonly GeneratedFile[]][] = [
    ['policies-1800', generateWorkspace(POLICIES_ONLY).files],
    ['docs-3900', generateWorkspace(DOCS_3900).files],
    ['repo-21mb', repo.files],
    ['repo-21mb-relevant', generateWorkspace(DOCS_3900).files],
    ['services-800', generateServices(800).files],
    ...[2.5, 5, 10, 20, 50].map((mb): [string, GeneratedFile[]] => [
      `single-${mb}mb`,
      generateSingleFile(mb).files,
    ]),
  ];
  for (const [name, files] of sets) {
    for (const file of files) {
      const path = join(root, name, file.uri.replace('file:///bench/', ''));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, file.text);
    }
    console.log(`${join(root, name)}: ${files.length} files`);
  }
}

function yamlFilesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? yamlFilesUnder(join(path, e.name))
      : /\.ya?ml$/.test(e.name)
        ? [join(path, e.name)]
        : [],
  );
}

/** Reads and parses every YAML file under `path` with one parser, and nothing else. */
export function parseOnly(parser: string, path: string): void {
  const files = yamlFilesUnder(path).map((p) => ({ uri: p, text: readFileSync(p, 'utf8') }));
  if (parser === 'js-yaml') parseWithJsYaml(files);
  else parseWithYaml(files);
}
