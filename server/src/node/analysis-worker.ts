// The worker thread of parallel-diagnostics.ts: builds the workspace it is sent (a snapshot, then files
// one by one) as the main thread does, and at `end` analyses it and takes units of the rules' work from
// the shared counter until none is left, answering with their problems (plain data).
import { parentPort } from 'node:worker_threads';
import { serviceOfSnapshot, type LanguageService } from '../core/index';
import type { WorkerReply, WorkerRequest } from './parallel-diagnostics';

const ruleErrors: { what: string; error: string }[] = [];
let service: LanguageService | undefined;
let next: Int32Array | undefined;

/** Applies one message; the reply once the workspace is complete. */
function handle(request: WorkerRequest): WorkerReply | undefined {
  if ('snapshot' in request) {
    service = serviceOfSnapshot(request.snapshot, {
      onError: (what, error) => ruleErrors.push({ what, error: String(error) }),
      analysedOnce: true,
    });
    next = new Int32Array(request.counter);
    return undefined;
  }
  if (!service || !next) throw new Error('the workspace must come first');
  if ('file' in request) {
    service.setFile(request.file.uri, request.file.text, { relevantOnly: true });
    return undefined;
  }
  const counter = next;
  const unitCount = service.diagnosticUnitCount();
  const units: number[] = [];
  const take = () => {
    const unit = Atomics.add(counter, 0, 1);
    if (unit >= unitCount) return undefined;
    units.push(unit);
    return unit;
  };
  // Their ranges are plain data (sortProblems), which a structured clone keeps whole.
  const problems = service.diagnosticsOfUnits(take, false);
  return { problems, units, unitCount, ruleErrors };
}

parentPort?.on('message', (request: WorkerRequest) => {
  let reply: WorkerReply | undefined;
  try {
    reply = handle(request);
  } catch (error) {
    reply = { failure: (error as Error).stack ?? String(error) };
  }
  if (reply) {
    parentPort?.postMessage(reply);
    parentPort?.close();
  }
});
