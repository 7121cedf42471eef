// When the service holds the workspace as it is on disk: after the initial scan, and after every rescan
// (settings) and batch of watched-file events. Requests whose answer is a verdict about the whole
// workspace (the graph, Can A Reach B?) wait for it; a verdict computed mid-scan could miss a policy.
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
