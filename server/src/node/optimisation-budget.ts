// When V8 hands a function to its optimising compiler: later than V8's default, for the CLI and the server.
//
// V8 counts the bytecode a function runs against an interrupt budget (67,584 in Node 20) and, after a few
// budgets used up, compiles the function with TurboFan on a background thread. Our analysis runs a few
// hundred functions briefly each in one pass: at V8's default most of them reach TurboFan, whose work then
// takes most of the second core and is used little before `check` ends or the first scan is in. At 300,000
// the hot loops (parsing, matching) still reach it early and the functions run a few times stay at the
// baseline tier. Measured side by side (bench/RESULTS.md, twelfth round): `check` of 3,900 documents used
// 0.70x the CPU time at 0.93x the wall time; the server's first scan of 1,800 policies 0.64x the CPU time
// at 0.87x the wall time; keystroke latency once the server is warm did not change. (`check` of the 3,900
// documents: 78 functions compiled by TurboFan instead of 250.)
//
// Set after the bundle is loaded, never before: V8 takes a code cache only under the flags it was made
// with (node/code-cache.ts), and these are V8's defaults.
import { setUnlessChosen } from './v8-flags';

/** Bytecode a function runs per tick of V8's tiering decisions (V8's own default: 67,584). */
export const INTERRUPT_BUDGET = 300_000;
const FLAG = 'interrupt-budget';

/** Raises the budget for this process, unless node's command line chose one. */
export function optimiseLater(execArgv: readonly string[], nodeOptions: string | undefined): void {
  setUnlessChosen(FLAG, `--${FLAG}=${INTERRUPT_BUDGET}`, execArgv, nodeOptions);
}
