// How far V8 lets the heap of `netpol-lens check` grow past its live data before the next full collection.
//
// On a machine with gigabytes of memory V8 lets the old generation grow up to 4x the data that was alive
// at the last full collection before it collects again. The CLI builds its model in one go and keeps
// nearly all of it, so the process ends near its peak with that much garbage on top: a 10 MB file of
// policies kept about 150 MB and peaked at 375 MB. Growing to twice the live data at most keeps the peak
// near 300 MB for a few more full collections, at the same CPU time for 10 MB; growing by half (1.5x)
// saved more at 50 MB (1,235 -> 1,031 MB) but cost up to a fifth more CPU there (bench/RESULTS.md). The
// language server keeps V8's own heuristics: it lives long, and a full collection in a keystroke's
// analysis is what its latency avoids.
import { setFlagsFromString } from 'node:v8';

/** The heap grows by this share of the data alive at the last full collection. */
const GROWING_PERCENT = 100;
const FLAG = 'heap-growing-percent';

/**
 * Sets the growth for this process, unless node's command line chose one already (NODE_OPTIONS cannot
 * carry this flag; it is searched too, in case a node to come allows it).
 */
export function growHeapToTwiceLive(execArgv: readonly string[], nodeOptions: string | undefined): void {
  const chosen = [...execArgv, nodeOptions ?? ''].some((arg) => arg.replace(/_/g, '-').includes(FLAG));
  if (chosen) return;
  try {
    setFlagsFromString(`--${FLAG}=${GROWING_PERCENT}`);
  } catch {
    // Not a V8 that knows the flag: its own growth stays.
  }
}
