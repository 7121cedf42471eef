// The netpol-lens benchmark: synthetic workspaces of three sizes, timed stage by stage against a
// parse-only baseline with `yaml`, then the editor latency through the language server. Run with
// `npm run bench` (builds, then `node --expose-gc dist/bench.js`). Targets are printed as PASS/MISS; the
// process always exits 0 (the figures go to bench/RESULTS.md).
import { parseAllDocuments } from 'yaml';
import { checkAddresses } from '../server/src/core/checks';
import { computeDiagnostics } from '../server/src/core/diagnostics/index';
import { resolveOptions, sortProblems, type Analysis } from '../server/src/core/index';
import { buildModel } from '../server/src/core/model';
import { parseFile, type ParsedFile } from '../server/src/core/parse';
import { Reachability } from '../server/src/core/reachability';
import type { Problem } from '../server/src/core/types';
import { generateWorkspace, SIZES, type SizeSpec, type Workspace } from './generate';
import { measureLatency } from './latency';
import { compareWithYamlLanguageServer } from './lsp-compare';
import { benchRepository, parseOnly, writeWorkspaces } from './repo';

const TARGET_REACH_MS = 1000;
const TARGET_RATIO = 2;
const TARGET_MB = 500;
const TARGET_P95_MS = 30;
/** Keystrokes measured in the editor-latency part. */
const LATENCY_EDITS = 100;

/** Runs per size: the median is reported. Warm-up runs (JIT) are not counted. */
const RUNS: Record<string, number> = { small: 7, medium: 5, large: 3 };
const WARMUP: Record<string, number> = { small: 2, medium: 1, large: 0 };

interface Timings {
  parseOnly: number;
  parse: number;
  model: number;
  reach: number;
  /** Every diagnostic rule over the analysis (what `netpol-lens check` and the editor add). */
  diagnostics: number;
}

interface SizeResult {
  workspace: Workspace;
  timings: Timings;
  runs: number;
  peers: number;
  classes: number;
  egressProfiles: number;
  ingressProfiles: number;
  connectionSets: number;
  nonEmptyPairs: number;
  problems: number;
  peakRssMb: number;
  peakHeapMb: number;
  retainedHeapMb: number;
}

const gc = (globalThis as { gc?: () => void }).gc;
const MB = 1024 * 1024;

let peakRss = 0;
let peakHeap = 0;
function sample(): void {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}

function time<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const value = fn();
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  sample();
  return [value, ms];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function runSize(size: SizeSpec): SizeResult {
  const workspace = generateWorkspace(size);
  gc?.();
  peakRss = 0;
  peakHeap = 0;
  sample();
  const runs = RUNS[size.name] ?? 3;
  const samples: Timings[] = [];
  let last: { reach: Reachability; matrix: Int32Array; problems: Problem[] } | undefined;
  const warmup = WARMUP[size.name] ?? 0;
  for (let run = 0; run < warmup + runs; run++) {
    if (run === warmup) samples.length = 0;
    last = undefined;
    gc?.();
    // Baseline: what reading the same YAML costs with nothing else.
    const [, parseOnly] = time(() => workspace.files.map((f) => parseAllDocuments(f.text)));
    gc?.(); // The baseline's documents are garbage now; keep them out of the analysis' memory figures.
    const [parsed, parse] = time(() => workspace.files.map((f): ParsedFile => parseFile(f.uri, f.text)));
    const options = resolveOptions();
    const [modelResult, model] = time(() => {
      const problems: Problem[] = [];
      const m = buildModel(parsed, options, problems);
      problems.push(...checkAddresses(m));
      return { model: m, problems: sortProblems(problems) };
    });
    const [reachResult, reach] = time(() => {
      const r = new Reachability(modelResult.model, options);
      return { reach: r, matrix: r.classMatrix() };
    });
    const analysis: Analysis = {
      files: parsed,
      model: modelResult.model,
      reachability: reachResult.reach,
      problems: modelResult.problems,
      options,
    };
    const [diagnosticProblems, diagnostics] = time(() => computeDiagnostics(analysis));
    samples.push({ parseOnly, parse, model, reach, diagnostics });
    last = { ...reachResult, problems: diagnosticProblems };
  }
  // What the analysis keeps alive (parsed files, model, reachability, matrix), after a full collection.
  gc?.();
  const retainedHeapMb = process.memoryUsage().heapUsed / MB;
  const { reach, matrix, problems } = last!;
  let nonEmptyPairs = 0;
  for (const id of matrix) if (id !== 0) nonEmptyPairs++;
  const stats = reach.stats;
  return {
    workspace,
    timings: {
      parseOnly: median(samples.map((s) => s.parseOnly)),
      parse: median(samples.map((s) => s.parse)),
      model: median(samples.map((s) => s.model)),
      reach: median(samples.map((s) => s.reach)),
      diagnostics: median(samples.map((s) => s.diagnostics)),
    },
    runs,
    peers: stats.peers,
    classes: stats.classes,
    egressProfiles: stats.egressProfiles,
    ingressProfiles: stats.ingressProfiles,
    connectionSets: stats.connectionSets,
    nonEmptyPairs,
    problems: problems.length,
    peakRssMb: peakRss / MB,
    peakHeapMb: peakHeap / MB,
    retainedHeapMb,
  };
}

function pad(value: string | number, width: number, left = false): string {
  const text = String(value);
  return left ? text.padEnd(width) : text.padStart(width);
}

const ms = (v: number) => `${v.toFixed(1)} ms`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const after = (flag: string, n = 1) => argv.slice(argv.indexOf(flag) + 1, argv.indexOf(flag) + 1 + n);
  // Whole-process measurements: write the workspaces as folders, or only parse a folder (see repo.ts).
  if (argv.includes('--write')) return writeWorkspaces(after('--write')[0]);
  if (argv.includes('--parse-only')) return parseOnly(...(after('--parse-only', 2) as [string, string]));
  if (!gc) console.log('note: run with --expose-gc for comparable memory figures (npm run bench does).');
  console.log(`netpol-lens benchmark — node ${process.version}, ${process.platform}/${process.arch}`);
  // `--latency` runs only the editor-latency part, `--repo` only the repository-scale part, `--vs-yaml-ls
  // SERVER_JS [RUNS]` only the comparison with yaml-language-server (see lsp-compare.ts).
  const yamlLs = argv.includes('--vs-yaml-ls') ? after('--vs-yaml-ls', 2) : undefined;
  if (yamlLs) return compareWithYamlLanguageServer(yamlLs[0], Number(yamlLs[1] ?? 3));
  if (argv.includes('--repo')) return benchRepository({ quick: argv.includes('--quick') });
  if (!argv.includes('--latency')) {
    benchCore();
    benchRepository();
  }
  await benchLatency();
  if (!argv.includes('--latency')) await compareWithYamlLanguageServer(process.env.YAML_LANGUAGE_SERVER);
}

function benchCore(): void {
  console.log('');
  const results: SizeResult[] = [];
  for (const size of SIZES) {
    results.push(runSize(size));
    gc?.();
  }

  const rows: [string, (r: SizeResult) => string][] = [
    ['workspace: bytes', (r) => `${(r.workspace.bytes / 1024).toFixed(0)} KiB`],
    ['workspace: files', (r) => String(r.workspace.files.length)],
    ['workspace: objects', (r) => String(r.workspace.objects)],
    [
      'namespaces / pods / policies',
      (r) => `${r.workspace.size.namespaces}/${r.workspace.size.pods}/${r.workspace.size.policies}`,
    ],
    ['peers (pods + ext. ranges)', (r) => String(r.peers)],
    ['classes', (r) => String(r.classes)],
    ['egress / ingress profiles', (r) => `${r.egressProfiles}/${r.ingressProfiles}`],
    ['connection sets', (r) => String(r.connectionSets)],
    ['non-empty class pairs', (r) => String(r.nonEmptyPairs)],
    ['diagnostics (all rules)', (r) => String(r.problems)],
    ['runs (median of)', (r) => String(r.runs)],
    ['parse-only (yaml baseline)', (r) => ms(r.timings.parseOnly)],
    ['parse (parseFile)', (r) => ms(r.timings.parse)],
    ['model (buildModel+checks)', (r) => ms(r.timings.model)],
    ['reachability (+classMatrix)', (r) => ms(r.timings.reach)],
    ['total (parse+model+reach)', (r) => ms(r.timings.parse + r.timings.model + r.timings.reach)],
    ['ratio total / parse-only', (r) => `${ratio(r).toFixed(2)}x`],
    ['diagnostics (every rule)', (r) => ms(r.timings.diagnostics)],
    [
      'ratio incl. diagnostics',
      (r) =>
        `${((r.timings.parse + r.timings.model + r.timings.reach + r.timings.diagnostics) / r.timings.parseOnly).toFixed(2)}x`,
    ],
    ['peak RSS', (r) => `${r.peakRssMb.toFixed(0)} MB`],
    ['peak heap used', (r) => `${r.peakHeapMb.toFixed(0)} MB`],
    ['heap retained by analysis', (r) => `${r.retainedHeapMb.toFixed(0)} MB`],
  ];
  const labelWidth = Math.max(...rows.map(([label]) => label.length)) + 2;
  const colWidth = 16;
  console.log(pad('', labelWidth, true) + results.map((r) => pad(r.workspace.size.name, colWidth)).join(''));
  console.log('-'.repeat(labelWidth + colWidth * results.length));
  for (const [label, value] of rows) {
    console.log(pad(label, labelWidth, true) + results.map((r) => pad(value(r), colWidth)).join(''));
  }

  console.log('');
  console.log('Targets');
  const large = results.find((r) => r.workspace.size.name === 'large')!;
  console.log(
    `  ${verdict(large.timings.reach < TARGET_REACH_MS)}  reachability, 10,000 pods x 1,000 policies < ${TARGET_REACH_MS} ms: ${ms(large.timings.reach)}`,
  );
  for (const r of results) {
    console.log(
      `  ${verdict(ratio(r) <= TARGET_RATIO)}  whole analysis <= ${TARGET_RATIO}x parse-only (${r.workspace.size.name}): ${ratio(r).toFixed(2)}x`,
    );
  }
  const peak = Math.max(...results.map((r) => r.peakRssMb));
  console.log(`  ${verdict(peak < TARGET_MB)}  peak RSS < ${TARGET_MB} MB: ${peak.toFixed(0)} MB`);
}

async function benchLatency(): Promise<void> {
  console.log('');
  console.log('Editor latency (language server over an in-process connection, netpolLens.debounceMs = 0:');
  console.log(
    'analysis + publishing after the debounce fires; a typist also waits the debounce, 100 ms by default)',
  );
  // The typist who starts at once goes first: the later run would find the code optimised already.
  gc?.();
  const early = await measureLatency('medium', LATENCY_EDITS, { afterWarmUp: false });
  gc?.();
  const latency = await measureLatency('medium', LATENCY_EDITS);
  console.log(
    `  workspace: ${latency.documents} documents in ${latency.files} files; ${latency.edits} keystrokes (type/delete) in one file`,
  );
  console.log(`  time to first diagnostics, cold workspace: ${ms(latency.coldMs)}`);
  console.log(
    `  keystroke to diagnostics (typing once the server is idle): p50 ${ms(latency.p50)}, p95 ${ms(latency.p95)}, max ${ms(latency.max)}`,
  );
  console.log(
    `  keystroke to the whole workspace's diagnostics (the other files follow): p50 ${ms(latency.allP50)}, p95 ${ms(latency.allP95)}`,
  );
  console.log(
    `  CPU time per keystroke, to the edited file's diagnostics: p50 ${ms(latency.firstCpuP50)}, p95 ${ms(latency.firstCpuP95)}`,
  );
  console.log(
    `  CPU time per keystroke, whole workspace (independent of other load on the machine): p50 ${ms(latency.cpuP50)}, p95 ${ms(latency.cpuP95)}`,
  );
  console.log(
    `  typing right after the file opens (before the server's idle-time warm-up): p50 ${ms(early.p50)}, p95 ${ms(early.p95)}, max ${ms(early.max)}`,
  );
  gc?.();
  const git = await measureLatency('medium', LATENCY_EDITS, { inGit: true });
  console.log(
    `  in a git repository (every analysis compared with HEAD): p50 ${ms(git.p50)}, p95 ${ms(git.p95)}, ` +
      `whole workspace p95 ${ms(git.allP95)}, CPU per keystroke p95 ${ms(git.cpuP95)}`,
  );
  console.log(
    `  ${verdict(latency.p95 < TARGET_P95_MS)}  keystroke-to-diagnostics p95 < ${TARGET_P95_MS} ms: ${ms(latency.p95)}`,
  );
}

function ratio(r: SizeResult): number {
  return (r.timings.parse + r.timings.model + r.timings.reach) / r.timings.parseOnly;
}

void main();
