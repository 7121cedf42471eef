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
import { chosen, setUnlessChosen } from './v8-flags';

/** The heap grows by this share of the data alive at the last full collection. */
const GROWING_PERCENT = 100;
const FLAG = 'heap-growing-percent';

/** Sets the growth for this process, unless node's command line chose one already. */
export function growHeapToTwiceLive(execArgv: readonly string[], nodeOptions: string | undefined): void {
  setUnlessChosen(FLAG, `--${FLAG}=${GROWING_PERCENT}`, execArgv, nodeOptions);
}

/**
 * The young generation of `netpol-lens check` stays at the size it has when the CLI starts (semi-spaces
 * of 2 MB) when it reads a large file (cli-tuning.ts). V8 doubles it up to 16 MB semi-spaces, 32 MB
 * held, whenever much of it survives a scavenge, and in the CLI most of it does: the model is built in
 * one go and kept. A larger young generation then mostly copies the model once more before it is
 * promoted anyway. V8 reads the growth factor at each scavenge (its sizes only at start), and a factor
 * of 1 grows nothing. The language server keeps V8's sizes: its keystroke analyses are short lived, and
 * a larger young generation is what lets them end before it fills.
 */
export function keepYoungGenerationAsItStarts(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): void {
  for (const flag of YOUNG_GENERATION_FLAGS) {
    if (chosen(flag, execArgv, nodeOptions)) return;
  }
  setUnlessChosen(GROWTH_FACTOR, `--${GROWTH_FACTOR}=1`, execArgv, nodeOptions);
}

const GROWTH_FACTOR = 'semi-space-growth-factor';
/** Flags that size the young generation: one given on node's command line is the user's choice. */
const YOUNG_GENERATION_FLAGS = [
  GROWTH_FACTOR,
  'semi-space-size',
  'max-semi-space-size',
  'min-semi-space-size',
];
