// Idle-time warm-up after the initial scan.
import type { Connection } from 'vscode-languageserver/node';
import type { LanguageService } from '../core/index';
import { runSafe } from './run-safe';

/**
 * After the initial scan the server re-runs the analysis a few times while the user has not edited
 * anything yet, so V8 has optimised the analysis code by the first keystroke (measured on the benchmark
 * workspace: the first ~20 keystrokes of a session otherwise take about twice as long as later ones).
 * Bounded in rounds and time; it stops at the first change, since edits warm the code up as well.
 */
const WARM_UP_ROUNDS = 20;
const WARM_UP_BUDGET_MS = 1500;

/** How long the warm-up waits before it looks again whether a pending publish has gone out. */
const WAIT_FOR_PUBLISH_MS = 20;

/**
 * One warm-up analysis per macrotask, so requests and edits are served in between. The time of the
 * previous round keeps the next one from overrunning the budget: a large workspace gets few rounds (its
 * long loops are optimised within the first analyses anyway). The cold analysis is no estimate for a
 * round: it is many times slower, the code being unoptimised then.
 *
 * While a publish is pending (`publishing()`: an editor opening its tabs one after another right after
 * the scan), it waits: a round would hold up the diagnostics the user is waiting for. Only the rounds'
 * own time counts against the budget.
 *
 * Resolves when the rounds are done or have given way to a change or to `stopped()`.
 */
export function warmUpWhileIdle(
  connection: Connection,
  service: LanguageService,
  stopped: () => boolean,
  publishing: () => boolean = () => false,
): Promise<void> {
  return new Promise((done) => {
    let lastMs = 0;
    let spentMs = 0;
    const generation = service.generation();
    let rounds = 0;
    const round = () => {
      // Re-publishing the same state (a document opened with its text on disk) costs nothing: carry on.
      const idle = !stopped() && service.generation() === generation;
      const withinBudget = spentMs + lastMs <= WARM_UP_BUDGET_MS;
      if (!idle || rounds >= WARM_UP_ROUNDS || !withinBudget) {
        done();
        return;
      }
      if (publishing()) {
        setTimeout(round, WAIT_FOR_PUBLISH_MS);
        return;
      }
      rounds++;
      const roundStarted = performance.now();
      runSafe(connection, 'warm-up', undefined, undefined, () => service.warmUp());
      lastMs = performance.now() - roundStarted;
      spentMs += lastMs;
      setImmediate(round);
    };
    setImmediate(round);
  });
}
