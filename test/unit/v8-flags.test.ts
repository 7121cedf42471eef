// Which V8 flags node's command line chose (node/v8-flags.ts): the processes set theirs only where it
// chose none, so a flag must be told from a longer one that begins with its name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chosen } from '../../server/src/node/v8-flags';

test('a flag is chosen when the command line or NODE_OPTIONS names it, in any of the forms V8 takes', () => {
  const named: [string[], string | undefined][] = [
    [['--interrupt-budget=1000'], undefined],
    [['--interrupt_budget=1000'], undefined],
    [['--interrupt-budget', '1000'], undefined],
    [['--no-interrupt-budget'], undefined],
    [[], '--max-old-space-size=4096 --interrupt-budget=1000'],
    [[], '--interrupt-budget'],
  ];
  for (const [execArgv, nodeOptions] of named)
    assert.equal(chosen('interrupt-budget', execArgv, nodeOptions), true, `${execArgv} | ${nodeOptions}`);
});

test('a longer flag that begins with the same words, or one that ends with them, is another flag', () => {
  const others: [string[], string | undefined][] = [
    [['--interrupt-budget-for-feedback-allocation=940'], undefined],
    [['--interrupt-budget-factor-for-feedback-allocation=8'], undefined],
    [[], '--interrupt-budget-for-feedback-allocation=940'],
    [['--max-semi-space-size=8'], undefined],
    [[], undefined],
    [['--expose-gc'], ''],
  ];
  for (const [execArgv, nodeOptions] of others)
    assert.equal(chosen('interrupt-budget', execArgv, nodeOptions), false, `${execArgv} | ${nodeOptions}`);
  assert.equal(chosen('semi-space-size', ['--max-semi-space-size=8'], undefined), false);
  assert.equal(chosen('max-semi-space-size', ['--max-semi-space-size=8'], undefined), true);
});
