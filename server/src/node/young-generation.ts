// Empties V8's young generation on demand, for the language server to do while it is idle.
//
// Every analysis allocates a few megabytes; when the young generation fills, V8 stops the thread to copy
// what is still alive (the analysis just built), which takes milliseconds. Left to itself that pause lands
// wherever the allocation happens to cross the limit, in one keystroke's analysis out of three or four,
// and makes the slow tail of keystroke-to-diagnostics. Collected right after a publish, when the server
// has nothing else to do, the next keystroke starts with an empty young generation, and its analysis
// (well under the generation's size) runs without a pause.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options?: { type?: 'major' | 'minor'; execution?: 'sync' | 'async' }) => void;

/**
 * A function that runs a young-generation collection (a scavenge), or undefined where V8 offers none.
 * Node exposes V8's `gc` only with `--expose-gc`; setting the flag at run time makes it available in
 * contexts created after that, so one is created to fetch it, leaving the global scope as it was (the
 * way Jest's --logHeapUsage gets it).
 */
export function youngGenerationCollector(): (() => void) | undefined {
  try {
    let gc = (globalThis as { gc?: GcFunction }).gc;
    if (typeof gc !== 'function') {
      setFlagsFromString('--expose-gc');
      gc = runInNewContext('gc') as GcFunction | undefined;
    }
    if (typeof gc !== 'function') return undefined;
    const collect = gc;
    return () => collect({ type: 'minor' });
  } catch {
    return undefined;
  }
}
