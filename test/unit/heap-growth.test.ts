// `netpol-lens check` lets V8's heap grow to twice the live data between full collections instead of
// up to 4x (server/src/node/heap-growth.ts): a process that keeps most of what it builds, as the CLI does,
// collects more often and stays smaller; a growth the user chose on node's command line is left alone.
// Its young generation stays at its starting size (keepYoungGenerationAsItStarts) when it reads a file of
// more than a few megabytes, unless the user sized it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { LARGE_FILE_CHARS } from '../../server/src/node/cli-tuning';

const CHILD = join(__dirname, '..', 'support', 'heap-growth-child.ts');

interface ChildHeap {
  largestHeap: number;
  fullCollections: number;
  youngAtStart: number;
  largestYoung: number;
}

function run(nodeArgs: string[], childArgs: string[]): ChildHeap {
  const out = execFileSync(process.execPath, [...nodeArgs, '--import', 'tsx', CHILD, ...childArgs], {
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  return JSON.parse(out) as ChildHeap;
}

test('the CLI heap growth collects more often and peaks lower, unless node was told a growth', () => {
  const own = run([], []);
  const twice = run([], ['grow']);
  const chosen = run(['--heap-growing-percent=300'], ['grow']);
  assert.ok(twice.fullCollections > own.fullCollections, `${own.fullCollections} → ${twice.fullCollections}`);
  assert.ok(twice.largestHeap < own.largestHeap, `largest heap ${own.largestHeap} → ${twice.largestHeap}`);
  assert.ok(chosen.fullCollections < twice.fullCollections, `chosen: ${chosen.fullCollections} collections`);
});

test('the CLI young generation keeps the size it starts with, unless node was told a size', () => {
  const own = run([], []);
  const kept = run([], ['young']);
  const chosen = run(['--max-semi-space-size=8'], ['young']);
  // V8 grows it to several times its starting size for a process that keeps what it builds.
  assert.ok(own.largestYoung >= 4 * own.youngAtStart, `V8's own: ${own.youngAtStart} → ${own.largestYoung}`);
  assert.equal(kept.largestYoung, kept.youngAtStart);
  assert.ok(
    chosen.largestYoung > 2 * chosen.youngAtStart,
    `chosen: ${chosen.youngAtStart} → ${chosen.largestYoung}`,
  );
});

test('the CLI keeps the young generation small for a file of more than 4 MB, and lets V8 grow it below', () => {
  const large = run([], [`input=${LARGE_FILE_CHARS + 1}`]);
  const ordinary = run([], [`input=${LARGE_FILE_CHARS}`]);
  assert.equal(large.largestYoung, large.youngAtStart);
  assert.ok(
    ordinary.largestYoung >= 4 * ordinary.youngAtStart,
    `a largest file of 4 MB: ${ordinary.youngAtStart} → ${ordinary.largestYoung}`,
  );
});
