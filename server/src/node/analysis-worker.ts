// The worker thread of parallel-diagnostics.ts: analyses the snapshot it is sent, as the main thread
// does, then takes units of the rules' work from the shared counter until none is left, and answers
// with their problems (plain data).
import { parentPort } from 'node:worker_threads';
import { serviceOfSnapshot } from '../core/index';
import type { WorkerReply, WorkerRequest } from './parallel-diagnostics';

function answer(request: WorkerRequest): WorkerReply {
  const ruleErrors: { what: string; error: string }[] = [];
  try {
    const service = serviceOfSnapshot(request.snapshot, {
      onError: (what, error) => ruleErrors.push({ what, error: String(error) }),
    });
    const next = new Int32Array(request.counter);
    const unitCount = service.diagnosticUnitCount();
    const units: number[] = [];
    const take = () => {
      const unit = Atomics.add(next, 0, 1);
      if (unit >= unitCount) return undefined;
      units.push(unit);
      return unit;
    };
    const problems = service.diagnosticsOfUnits(take, false);
    return { problems, units, unitCount, ruleErrors };
  } catch (error) {
    return { failure: (error as Error).stack ?? String(error) };
  }
}

parentPort?.once('message', (request: WorkerRequest) => parentPort?.postMessage(answer(request)));
