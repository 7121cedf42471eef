// How the CLI tunes V8 for what it reads, told the largest file before the files are parsed: ordinary
// manifests get the raised optimisation budget (optimisation-budget.ts) and V8's own young-generation
// growth; a file larger than a few megabytes gets V8's own budget and a young generation kept at its
// starting size (heap-growth.ts), to save memory where a large file needs it.
//
// Measured side by side (bench/RESULTS.md, twelfth and thirteenth rounds). The raised budget against V8's
// own, wall: 3,900 documents 0.93x, a 2.5 MB file 0.96x, but 5, 10, 20 and 50 MB files 1.05x, 1.01x, 1.02x
// and 1.22x. V8's young-generation growth against the starting size: 3,900 documents 0.90x the wall time
// at 136 against 109 MiB peak, a 2.5 MB file 0.88x at 150 against 115 MiB, a 10 MB file 0.91x at 253
// against 229 MiB. (When the starting size was chosen for every input, before the budget was raised, it
// was also the faster one: 0.94x the CPU time for 3,900 documents.)
import { keepYoungGenerationAsItStarts } from './heap-growth';
import { optimiseLater } from './optimisation-budget';

/** A file with more characters than this is a large one. */
export const LARGE_FILE_CHARS = 4 * 1024 * 1024;

/** Tunes this process for a largest file of `largestFileChars`, unless node's command line chose. */
export function tuneForLargestFile(
  largestFileChars: number,
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): void {
  if (largestFileChars <= LARGE_FILE_CHARS) optimiseLater(execArgv, nodeOptions);
  else keepYoungGenerationAsItStarts(execArgv, nodeOptions);
}
