// All diagnostics of a workspace on two cores: a worker thread (analysis-worker.ts) analyses the same
// files as the main thread, and the two share the rules' units of work through one shared counter, each
// taking the next unit when it is free, so the faster thread does more whatever the machine's load. The
// analysis itself (parsed yaml nodes, the model) cannot cross threads, so both build it; what crosses is
// the snapshot of the texts one way and plain Problem lists the other. The result is the serial one,
// problem for problem (LanguageService.diagnosticsOfUnits, mergeDiagnosticParts).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  mergeDiagnosticParts,
  type LanguageService,
  type Problem,
  type WorkspaceSnapshot,
} from '../core/index';

/**
 * What the main thread posts to the worker: the workspace so far with the shared counter, then files as
 * they are read (the server's scan), then `end`: the worker analyses and takes units of work.
 */
export type WorkerRequest =
  | { snapshot: WorkspaceSnapshot; counter: SharedArrayBuffer }
  | { file: { uri: string; text: string } }
  | { end: true };

/** The worker's one answer. */
export type WorkerReply =
  | {
      problems: Problem[];
      /** The units it took, and how many it counted (the main thread's count, or the snapshot differs). */
      units: number[];
      unitCount: number;
      /** Rules that threw there: what the main thread's host would have been told. */
      ruleErrors: { what: string; error: string }[];
    }
  | { failure: string };

export interface ParallelOptions {
  /** Threads to use: 1 runs everything on the main thread; 2 or more add one worker thread. */
  jobs: number;
  /** Starts the worker (tests inject a failing one); by default dist/analysis-worker.js beside this bundle. */
  startWorker?: () => Worker;
  /** Told why the worker's share ran on the main thread after all. */
  log?: (message: string) => void;
  /** Told of a rule that threw in the worker, as the service's host is of one that throws here. */
  onError?: (what: string, error: unknown) => void;
  /** Told how the units of work were shared, when a worker analysed the workspace. */
  onShared?: (workerUnits: number, units: number) => void;
}

/** The environment variable that sets the default number of threads (`1`: serial; e.g. shared CI runners). */
export const JOBS_VARIABLE = 'NETPOL_LENS_JOBS';

/**
 * Threads to use by default: NETPOL_LENS_JOBS when it is a positive whole number, else one. The second
 * thread has to parse the whole workspace again before it can share the rules, and since the parse also
 * builds the model's objects and runs the schema and API checks, little is left to share: on a nearly idle
 * 2-core machine `check` of 3,900 documents took 1.30x the wall time (median of 5, side by side) on two
 * threads, and 1.57x at a load of 12-16. `-j 2` / NETPOL_LENS_JOBS=2 still asks for it.
 */
export function defaultJobs(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env[JOBS_VARIABLE]);
  return Number.isInteger(set) && set >= 1 ? set : 1;
}

/**
 * Below this much text a worker does not pay: its start (loading the bundle, ~0.1 s of the other core)
 * and its own parse are not won back by sharing rules that take a few tens of milliseconds.
 */
export const MIN_PARALLEL_BYTES = 256 * 1024;

/**
 * Above this much text the worker's copy of the analysis (it doubles the process' memory) costs more
 * than the wall time it saves is worth: a workspace this large is a few huge files, whose parse and
 * analysis (done by both threads) dominate rather than the rules.
 */
export const MAX_PARALLEL_BYTES = 64 * 1024 * 1024;

/**
 * A file this large makes no worker: its rules are one unit of work (and the workspace rules' cost
 * grows with its policies, in few units), so there is little to share, while both threads hold its
 * whole analysis. Measured on the 10 MB single file of the benchmark: 543 MiB peak on one thread, 855 MiB
 * and 1.9x the CPU on two, no faster. The single-file memory bound (10x the file) is the one it breaks.
 */
export const MAX_PARALLEL_FILE_BYTES = 1024 * 1024;

/** Whether a worker pays for this workspace with this many threads. */
export function worthAWorker(snapshot: WorkspaceSnapshot, jobs: number): boolean {
  if (jobs < 2) return false;
  let bytes = 0;
  for (const file of snapshot.files) {
    if (!('text' in file)) continue;
    if (file.text.length > MAX_PARALLEL_FILE_BYTES) return false;
    bytes += file.text.length;
  }
  return bytes >= MIN_PARALLEL_BYTES && bytes <= MAX_PARALLEL_BYTES;
}

/** The worker's bundle, beside the bundle running (dist/cli.js, dist/server.js). */
const BUNDLED_WORKER = join(__dirname, 'analysis-worker.js');

type SnapshotFile = WorkspaceSnapshot['files'][number];

/**
 * The worker thread of one analysis, started as early as possible: it loads its code while the main
 * thread reads the files, then parses what it is sent while the main thread parses the same.
 */
export interface DiagnosticsWorker {
  /** Sends the workspace so far (read, not yet parsed here: the CLI sends it all at once). */
  analyse(snapshot: WorkspaceSnapshot): void;
  /** Sends a file the main thread sets next with `relevantOnly` (the server's scan, file by file). */
  add(uri: string, text: string): void;
  /**
   * Every diagnostic of `service` (as `service.allDiagnostics()`), the rules shared with the worker when
   * the service holds exactly what was sent and it is large enough to pay; else all computed here. A
   * worker that fails (cannot start, throws, exits, sends a message that cannot be read) changes nothing
   * but the time: the units it did not deliver run on the main thread, and `log` says why.
   */
  allDiagnostics(service: LanguageService): Promise<Problem[]>;
  /** Stops the worker (idempotent). */
  stop(): void;
}

/** Starts a worker when `options.jobs` allows one; undefined otherwise (everything then runs here). */
export function startDiagnosticsWorker(options: ParallelOptions): DiagnosticsWorker | undefined {
  if (options.jobs < 2) return undefined;
  // Run from the TypeScript sources (the in-process tests) there is no bundle: one thread.
  if (!options.startWorker && !existsSync(BUNDLED_WORKER)) return undefined;
  const worker = spawnWorker(options.startWorker ?? (() => new Worker(BUNDLED_WORKER)), options.log);
  const counter = new SharedArrayBuffer(4);
  const next = new Int32Array(counter);
  // What the worker holds, in the order its service holds it (a Map keeps a replaced key in its place,
  // as the service's does).
  let settings: WorkspaceSnapshot['settings'] | undefined;
  const sent = new Map<string, SnapshotFile>();
  return {
    analyse(snapshot) {
      if (settings) throw new Error('a DiagnosticsWorker analyses one workspace');
      settings = snapshot.settings;
      for (const file of snapshot.files) sent.set(file.uri, file);
      worker.post({ snapshot, counter });
    },
    add(uri, text) {
      sent.set(uri, { uri, text, relevantOnly: true });
      worker.post({ file: { uri, text } });
    },
    async allDiagnostics(service) {
      const held = service.snapshot();
      const same = settings !== undefined && sameWorkspace({ settings, files: [...sent.values()] }, held);
      if (!same || !worthAWorker(held, options.jobs) || worker.stopped()) {
        // Whatever it took, nothing of it is used.
        Atomics.store(next, 0, UNITS_LEFT_TO_NOBODY);
        worker.stop();
        return service.allDiagnostics();
      }
      worker.post({ end: true });
      try {
        return await shareUnits(service, next, worker.answer, options);
      } finally {
        worker.stop();
      }
    },
    stop: () => worker.stop(),
  };
}

const FAILED = 'analysis worker failed (its share ran on the main thread)';

/** Far beyond any unit: a counter set to it hands out nothing more. */
const UNITS_LEFT_TO_NOBODY = 2 ** 30;

/**
 * Whether the service holds what the worker was sent: the same settings, and the same files in the same
 * order, each read as sent (a text the service changed, such as line ends, counts as different).
 */
function sameWorkspace(sent: WorkspaceSnapshot, held: WorkspaceSnapshot): boolean {
  if (JSON.stringify(sent.settings) !== JSON.stringify(held.settings)) return false;
  if (sent.files.length !== held.files.length) return false;
  return sent.files.every((file, i) => {
    const other = held.files[i];
    if (file.uri !== other.uri) return false;
    if ('unreadable' in file || 'unreadable' in other)
      return 'unreadable' in file && 'unreadable' in other && file.unreadable === other.unreadable;
    return file.relevantOnly === other.relevantOnly && file.text === other.text;
  });
}

/**
 * Every diagnostic of the service's workspace (as `service.allDiagnostics()`), computed on two threads
 * when that pays (see {@link DiagnosticsWorker}); the worker starts only now, after the parse.
 */
export async function allDiagnosticsInParallel(
  service: LanguageService,
  options: ParallelOptions,
): Promise<Problem[]> {
  const worker = startDiagnosticsWorker(options);
  worker?.analyse(service.snapshot());
  return worker ? worker.allDiagnostics(service) : service.allDiagnostics();
}

/** The main thread's side: takes units until none is left, then merges the worker's (or runs them). */
async function shareUnits(
  service: LanguageService,
  next: Int32Array,
  answer: Promise<WorkerReply>,
  options: ParallelOptions,
): Promise<Problem[]> {
  const count = service.diagnosticUnitCount();
  const mine = new Set<number>();
  const take = () => {
    const unit = Atomics.add(next, 0, 1);
    if (unit >= count) return undefined;
    mine.add(unit);
    return unit;
  };
  const ours = service.diagnosticsOfUnits(take, true);
  if (process.env.H13P_DEBUG)
    console.error(`main took ${mine.size} of ${count} at ${performance.now().toFixed(0)}`);
  // Every unit taken here: the worker took none, so there is nothing to wait for.
  if (mine.size === count) {
    options.onShared?.(0, count);
    return ours;
  }
  const reply = await answer;
  const theirs = 'failure' in reply ? undefined : reply;
  if (!theirs || theirs.unitCount !== count || !covers(mine, theirs.units, count)) {
    // A failure is logged as it happens; an answer that does not fit only here.
    if (theirs) options.log?.(`${FAILED}: its answer does not cover the workspace`);
    const rest = [...Array(count).keys()].filter((unit) => !mine.has(unit));
    return mergeDiagnosticParts(ours, service.diagnosticsOfUnits(listTaker(rest), false));
  }
  for (const { what, error } of theirs.ruleErrors) options.onError?.(what, error);
  options.onShared?.(theirs.units.length, count);
  return mergeDiagnosticParts(ours, theirs.problems);
}

/** Whether the units taken here and there are each unit of `count` exactly once. */
function covers(mine: ReadonlySet<number>, theirs: readonly number[], count: number): boolean {
  const seen = new Set(mine);
  for (const unit of theirs) {
    if (seen.has(unit) || unit < 0 || unit >= count) return false;
    seen.add(unit);
  }
  return seen.size === count;
}

function listTaker(units: readonly number[]): () => number | undefined {
  let index = 0;
  return () => units[index++];
}

/**
 * A started worker: `answer` resolves with its reply, or with a failure for every way it can go wrong
 * (it never rejects).
 */
function spawnWorker(start: () => Worker, log: ParallelOptions['log']) {
  let worker: Worker | undefined;
  let stopped = false;
  let settled = false;
  let settle: (reply: WorkerReply) => void = () => {};
  const answer = new Promise<WorkerReply>((resolve) => (settle = resolve));
  const reply = (value: WorkerReply) => {
    if (!settled) settle(value);
    settled = true;
  };
  // Said at once, also when the main thread does not wait for the answer (it took every unit itself).
  const fail = (why: string) => {
    if (!settled && !stopped) log?.(`${FAILED}: ${why}`);
    reply({ failure: why });
  };
  try {
    worker = start();
    worker.once('message', (message: WorkerReply) =>
      'failure' in message ? fail(message.failure) : reply(message),
    );
    worker.once('messageerror', (error) => fail(`its answer cannot be read: ${String(error)}`));
    worker.once('error', (error) => fail(String(error)));
    worker.once('exit', (code) => fail(`it exited (code ${code}) before answering`));
  } catch (error) {
    fail(`cannot start: ${String(error)}`);
  }
  const stop = () => {
    stopped = true;
    void worker?.terminate();
  };
  return {
    answer,
    post: (request: WorkerRequest) => worker?.postMessage(request),
    stop,
    stopped: () => stopped || !worker,
  };
}
