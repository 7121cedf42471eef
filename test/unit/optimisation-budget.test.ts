// The CLI (for files of a few megabytes at most) and the server (for its first scan) raise V8's optimisation
// budget (server/src/node/optimisation-budget.ts): functions that run only a little, as most of the
// analysis' functions do in one pass, stay off TurboFan, whose compiling took most of the second core; a
// budget chosen on node's command line is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import { LARGE_FILE_CHARS } from '../../server/src/node/cli-tuning';

const CHILD = join(__dirname, '..', 'support', 'optimisation-budget-child.ts');
/**
 * Calls of each of the child's hundred functions: at V8's default budget ten are enough for TurboFan to
 * take a function, at the raised one about forty-five (measured with Node 20's V8, counted, not timed).
 */
const CALLS = '25';

/** How many of the child's hundred functions V8 has taken for TurboFan (marked, compiling or compiled). */
function optimised(nodeArgs: string[], childArgs: string[]): number {
  const out = execFileSync(
    process.execPath,
    ['--allow-natives-syntax', ...nodeArgs, '--import', 'tsx', CHILD, CALLS, ...childArgs],
    { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
  );
  return (JSON.parse(out) as { taken: number }).taken;
}

test('functions that run a little stay off TurboFan under the raised budget, unless node chose one', () => {
  const own = optimised([], []);
  const later = optimised([], ['later']);
  const chosen = optimised(['--interrupt-budget=67584'], ['later']);
  assert.ok(own >= 90, `V8's own budget: ${own} of 100 optimised`);
  assert.ok(later <= 10, `raised budget: ${later} of 100 optimised`);
  assert.ok(chosen >= 90, `budget chosen on the command line: ${chosen} of 100 optimised`);
});

test("the server's return to V8's own budget and the CLI's choice by input size", () => {
  assert.ok(optimised([], ['restored']) >= 90, 'back to V8 own budget');
  assert.ok(optimised([], [`input=${LARGE_FILE_CHARS}`]) <= 10, 'a largest file of 4 MB: raised');
  assert.ok(optimised([], [`input=${LARGE_FILE_CHARS + 1}`]) >= 90, 'a larger file: V8 own budget');
});

/** The characters of the largest .yaml file under each folder, read here without the CLI's loader. */
function largestYamlFile(...folders: string[]): number {
  const sizes = folders.flatMap((folder) =>
    readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => readFileSync(join(folder, name), 'utf8').length),
  );
  return Math.max(...sizes);
}

test('check, reach and diff tell the budget their largest file before they parse', async () => {
  const told: Record<string, number[]> = {};
  const run = async (argv: string[]) => {
    told[argv[0]] = [];
    await main(argv, {
      out: () => {},
      err: () => {},
      beforeParse: (chars) => told[argv[0]].push(chars),
    });
  };
  const [before, after] = ['test-fixtures/diff/added-peer', 'test-fixtures/diff/base'];
  await run(['check', '--fail-on', 'never', before]);
  await run(['reach', before]);
  await run(['diff', before, after]);
  assert.deepEqual(told.check, [largestYamlFile(before)]);
  assert.deepEqual(told.reach, [largestYamlFile(before)]);
  assert.deepEqual(told.diff, [largestYamlFile(before, after)]);
  assert.notEqual(largestYamlFile(before), largestYamlFile(before, after), 'the new side has the largest');
});
