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
import { LARGEST_FILE_RAISED } from './optimisation-budget';

/** The heap grows by this share of the data alive at the last full collection. */
const GROWING_PERCENT = 100;
const FLAG = 'heap-growing-percent';

/** Sets the growth for this process, unless node's command line chose one already. */
export function growHeapToTwiceLive(execArgv: readonly string[], nodeOptions: string | undefined): void {
  setUnlessChosen(FLAG, `--${FLAG}=${GROWING_PERCENT}`, execArgv, nodeOptions);
}

/**
 * The young generation of `netpol-lens check` stays at the size it has when the CLI starts (semi-spaces
 * of 2 MB) when it reads a large file. V8 doubles it up to 16 MB semi-spaces, 32 MB held, whenever much
 * of it survives a scavenge, and in the CLI most of it does: the model is built in one go and kept. A
 * larger young generation then mostly copies the model once more before it is promoted anyway. V8 reads
 * the growth factor at each scavenge (its sizes only at start), and a factor of 1 grows nothing. The
 * language server keeps V8's sizes: its keystroke analyses are short lived, and a larger young
 * generation is what lets them end before it fills.
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

/**
 * The CLI's choice, by the largest file it reads, told before the files are parsed: a file larger than
 * those the optimisation budget is raised for keeps the young generation at its starting size, to save
 * memory; smaller files keep V8's own growth, for speed. Measured side by side (bench/RESULTS.md,
 * thirteenth round), V8's growth against the starting size: 3,900 documents 0.90x the wall time at 136
 * against 109 MiB peak, a 2.5 MB file 0.88x at 150 against 115 MiB, a 10 MB file 0.91x at 253 against
 * 229 MiB. (When it was chosen for every input, before the budget was raised, the starting size was also
 * the faster one: 0.94x the CPU time for 3,900 documents.)
 */
export function youngGenerationFor(
  largestFileChars: number,
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): void {
  if (largestFileChars > LARGEST_FILE_RAISED) keepYoungGenerationAsItStarts(execArgv, nodeOptions);
}
