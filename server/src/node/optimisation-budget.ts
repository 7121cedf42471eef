// When V8 hands a function to its optimising compiler: later than V8's default while the CLI reads files
// of a few megabytes at most and while the server makes its first scan.
//
// V8 counts the bytecode a function runs against an interrupt budget (67,584 in Node 20) and, after a few
// budgets used up, compiles the function with TurboFan on a background thread. Our analysis runs a few
// hundred functions briefly each in one pass: at V8's default most of them reach TurboFan, whose work then
// takes most of the second core and is used little before `check` ends or the first scan is in. At 300,000
// the hot loops (parsing, matching) still reach it early and the functions run a few times stay at the
// baseline tier. Measured side by side (bench/RESULTS.md, twelfth round): `check` of 3,900 documents
// (1.6 MB) used 0.70x the CPU time at 0.93x the wall time, with 78 functions compiled by TurboFan instead
// of 250; 540 files of 21 MB 0.77x the CPU at 0.95x the wall time, one file of 2.5 MB 0.77x at 0.96x; the
// server's first scan of 1,800 policies 0.63x the CPU at 0.82x the wall time. One large file does not
// gain: of 5, 10, 20 MB 1.05x, 1.01x, 1.02x the wall time, of 50 MB 1.22x. So the CLI raises it when no
// file is larger than 4 MB (cli-tuning.ts), and the server goes back to V8's own budget after its first
// publish: the warm-up and every keystroke after it run as before.
//
// Only under the V8 it was measured with (Node 20's): another V8 has budgets of its own. Set after the
// bundle is loaded, never before: V8 takes a code cache only under the flags it was made with
// (node/code-cache.ts), and these are V8's defaults.
import { setUnlessChosen } from './v8-flags';

/** Bytecode a function runs per tick of V8's tiering decisions, raised. */
export const RAISED_BUDGET = 300_000;
/** V8's own budget, by V8 major version: only where the raised one was measured. */
const V8_OWN_BUDGET: Readonly<Record<string, number>> = { '11': 67_584 };
const FLAG = 'interrupt-budget';

function ownBudget(): number | undefined {
  return V8_OWN_BUDGET[process.versions.v8.split('.')[0]];
}

/** Raises the budget for this process, unless node's command line chose one or V8 is not the measured one. */
export function optimiseLater(execArgv: readonly string[], nodeOptions: string | undefined): void {
  if (ownBudget() === undefined) return;
  setUnlessChosen(FLAG, `--${FLAG}=${RAISED_BUDGET}`, execArgv, nodeOptions);
}

/** V8's own budget again (after {@link optimiseLater}), unless node's command line chose one. */
export function optimiseAsV8Does(execArgv: readonly string[], nodeOptions: string | undefined): void {
  const own = ownBudget();
  if (own === undefined) return;
  setUnlessChosen(FLAG, `--${FLAG}=${own}`, execArgv, nodeOptions);
}
