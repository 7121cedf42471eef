// Runs a hundred small functions a few dozen calls each, as the analysis runs its many functions, after
// setting V8's optimisation budget as the CLI and the server do: `later` raises it, `restored` raises it
// and goes back to V8's own, `input=N` is the CLI's choice when the largest file read has N characters.
// Prints how many of the functions V8 has taken for TurboFan. Run with --allow-natives-syntax (for V8's
// %GetOptimizationStatus).
import { tuneForLargestFile } from '../../server/src/node/cli-tuning';
import { optimiseAsV8Does, optimiseLater } from '../../server/src/node/optimisation-budget';

const { execArgv } = process;
const nodeOptions = process.env.NODE_OPTIONS;
if (process.argv.includes('later') || process.argv.includes('restored')) optimiseLater(execArgv, nodeOptions);
if (process.argv.includes('restored')) optimiseAsV8Does(execArgv, nodeOptions);
const input = process.argv.find((arg) => arg.startsWith('input='));
if (input) tuneForLargestFile(Number(input.slice('input='.length)), execArgv, nodeOptions);
const CALLS = Number(process.argv[2]);

/** V8's OptimizationStatus bits (src/runtime/runtime-test.cc) that say TurboFan has the function. */
const TURBOFANNED = 1 << 6;
const MARKED_FOR_OPTIMIZATION = 1 << 8;
const MARKED_FOR_CONCURRENT_OPTIMIZATION = 1 << 9;
const OPTIMIZING_CONCURRENTLY = 1 << 10;
const TAKEN =
  TURBOFANNED | MARKED_FOR_OPTIMIZATION | MARKED_FOR_CONCURRENT_OPTIMIZATION | OPTIMIZING_CONCURRENTLY;

// Natives syntax is not TypeScript: the call is made in a function compiled from text.
const status = new Function('f', 'return %GetOptimizationStatus(f);') as (f: unknown) => number;

let sink = 0;
let taken = 0;
for (let f = 0; f < 100; f++) {
  // A function of its own each, with its own tiering state.
  const workload = new Function(
    `return function budgetWorkload${f}(n) { let s = ${f}; for (let i = 0; i < n; i++) s = (s * 31 + i) % 1000003; return s; };`,
  )() as (n: number) => number;
  for (let call = 0; call < CALLS; call++) sink += workload(200);
  if (status(workload) & TAKEN) taken++;
}
process.stdout.write(JSON.stringify({ taken, sink }));
