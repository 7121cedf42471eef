// All diagnostics of a workspace on two cores: a worker thread (analysis-worker.ts) analyses the same
// files as the main thread, and the two share the rules' units of work through one shared counter, each
// taking the next unit when it is free, so the faster thread does more whatever the machine's load. The
// analysis itself (parsed yaml nodes, the model) cannot cross threads, so both build it; what crosses is
// the snapshot of the texts one way and plain Problem lists the other. The result is the serial one,
// problem for problem (LanguageService.diagnosticsOfUnits, mergeDiagnosticParts).
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  mergeDiagnosticParts,
  type LanguageService,
  type Problem,
  type WorkspaceSnapshot,
} from '../core/index';

/** What the main thread posts to the worker, once. */
export interface WorkerRequest {
  snapshot: WorkspaceSnapshot;
  /** One Int32: the next unit of work to take, shared by both threads. */
  counter: SharedArrayBuffer;
}

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

/** Threads to use by default: NETPOL_LENS_JOBS when it is a positive whole number, else the machine's. */
export function defaultJobs(env: NodeJS.ProcessEnv = process.env): number {
  const set = Number(env[JOBS_VARIABLE]);
  return Number.isInteger(set) && set >= 1 ? set : availableParallelism();
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

/** Whether a worker pays for this workspace with this many threads. */
export function worthAWorker(snapshot: WorkspaceSnapshot, jobs: number): boolean {
  if (jobs < 2) return false;
  let bytes = 0;
  for (const file of snapshot.files) if ('text' in file) bytes += file.text.length;
  return bytes >= MIN_PARALLEL_BYTES && bytes <= MAX_PARALLEL_BYTES;
}

const bundledWorker = () => new Worker(join(__dirname, 'analysis-worker.js'));

/**
 * The worker thread of one analysis, started as early as possible: it loads its code while the main
 * thread reads the files, then analyses the snapshot it is sent while the main thread parses the same.
 */
export interface DiagnosticsWorker {
  /** Sends the workspace (the main thread's service must hold the same); no worker when it does not pay. */
  analyse(snapshot: WorkspaceSnapshot): void;
  /**
   * Every diagnostic of `service` (as `service.allDiagnostics()`), the rules shared with the worker. A
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
  const worker = spawnWorker(options.startWorker ?? bundledWorker, options.log);
  const counter = new SharedArrayBuffer(4);
  let sent = false;
  return {
    analyse(snapshot) {
      if (sent) throw new Error('a DiagnosticsWorker analyses one snapshot');
      sent = true;
      if (worthAWorker(snapshot, options.jobs)) worker.post({ snapshot, counter });
      else worker.stop();
    },
    async allDiagnostics(service) {
      if (!sent) this.analyse(service.snapshot());
      if (worker.stopped()) return service.allDiagnostics();
      try {
        return await shareUnits(service, new Int32Array(counter), worker.answer, options);
      } finally {
        worker.stop();
      }
    },
    stop: () => worker.stop(),
  };
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
    const why = 'failure' in reply ? reply.failure : 'its answer does not cover the workspace';
    options.log?.(`analysis worker failed (its share ran on the main thread): ${why}`);
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
  let settle: (reply: WorkerReply) => void = () => {};
  const answer = new Promise<WorkerReply>((resolve) => (settle = resolve));
  const fail = (why: string) => settle({ failure: why });
  try {
    worker = start();
    worker.once('message', (reply: WorkerReply) => settle(reply));
    worker.once('messageerror', (error) => fail(`its answer cannot be read: ${String(error)}`));
    worker.once('error', (error) => fail(String(error)));
    worker.once('exit', (code) => fail(`it exited (code ${code}) before answering`));
  } catch (error) {
    // Everything then runs on the main thread, which would not wait for an answer: say so now.
    log?.(`analysis worker failed (its share ran on the main thread): cannot start: ${String(error)}`);
    fail('cannot start');
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
