// When the service holds the workspace as it is on disk: after the initial scan, and after every rescan
// (settings) and batch of watched-file events. Requests whose answer is about the whole workspace wait
// for it: the graph and Can A Reach B?, and the hovers, lenses and navigation that name the workloads a
// policy selects or the policies selecting a workload. Asked mid-scan they would miss a policy (a wrong
// "allowed", "ingress: open") or a workload (a wrong "selects no workload").
import type { CancellationToken, Disposable } from 'vscode-languageserver/node';

export interface IndexingGate {
  /** The initial scan: until it settles, nothing is indexed. */
  opened(scan: Promise<void>): Promise<void>;
  /** Later work on the index (a rescan, file events). */
  track(work: Promise<void>): Promise<void>;
  /** Resolves once the initial scan and all work tracked so far (or while waiting) has settled. */
  settled(): Promise<void>;
}

export function createIndexingGate(): IndexingGate {
  let open: () => void = () => {};
  let pending: Promise<unknown> = new Promise<void>((resolve) => (open = resolve));
  const track = (work: Promise<void>) => {
    pending = Promise.all([pending, work.catch(() => undefined)]);
    return work;
  };
  return {
    async opened(scan) {
      try {
        await scan;
      } finally {
        open();
      }
    },
    track,
    async settled() {
      // Work tracked while waiting is waited for too.
      for (let seen = pending; ; seen = pending) {
        await seen;
        if (seen === pending) return;
      }
    },
  };
}

/**
 * Waits for `settled`, or until the client cancels the request (the handler's runSafe then answers
 * "cancelled"): a hover the user has moved away from does not keep waiting for a long scan.
 */
export async function settledOrCancelled(
  settled: () => Promise<void>,
  token: CancellationToken | undefined,
): Promise<void> {
  if (!token) return settled();
  if (token.isCancellationRequested) return;
  let listener: Disposable | undefined;
  try {
    await Promise.race([
      settled(),
      new Promise<void>((resolve) => (listener = token.onCancellationRequested(() => resolve()))),
    ]);
  } finally {
    listener?.dispose();
  }
}
