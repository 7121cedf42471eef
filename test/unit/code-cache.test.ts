// The entry scripts start their bundle from V8's code cache made at build time (node/code-cache.ts): the
// cache is taken only when it was made from the bundle's exact text and is whole, and the bundle runs as
// the entry's own module either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { cacheFileOf, cachedDataFor, runBundle, writeCodeCache } from '../../server/src/node/code-cache';

/** A module that says how it was run: as which module, with which file name. */
const BUNDLE = `module.exports.ran = { main: require.main === module, file: __filename, word: 'first' };\n`;

function bundleIn(text = BUNDLE): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netpol-code-cache-')), 'bundle.js');
  writeFileSync(file, text);
  return file;
}

/** Runs the bundle as a fresh module; what it reported, and whether the cache was taken. */
function run(bundle: string): { cached: boolean; ran: { main: boolean; file: string; word: string } } {
  const module = new Module(bundle);
  const cached = runBundle(bundle, module, createRequire(bundle));
  return { cached, ran: (module.exports as { ran: { main: boolean; file: string; word: string } }).ran };
}

test('a bundle runs from the cache written for it, as the module it is given', async () => {
  const bundle = bundleIn();
  assert.equal(run(bundle).cached, false, 'no cache yet');
  await writeCodeCache(bundle);
  const { cached, ran } = run(bundle);
  assert.equal(cached, true);
  assert.deepEqual(ran, { main: false, file: bundle, word: 'first' });
});

test('the bundle as the main module: require.main is the module it runs as', () => {
  const bundle = bundleIn();
  const module = new Module(bundle);
  const require = createRequire(bundle);
  Object.defineProperty(require, 'main', { value: module });
  runBundle(bundle, module, require);
  assert.equal((module.exports as { ran: { main: boolean } }).ran.main, true);
});

test('a cache of other text (even of the same length) is not taken; the bundle as written runs', async () => {
  const bundle = bundleIn();
  await writeCodeCache(bundle);
  const changed = BUNDLE.replace("'first'", "'other'");
  assert.equal(changed.length, BUNDLE.length);
  writeFileSync(bundle, changed);
  const { cached, ran } = run(bundle);
  assert.equal(cached, false);
  assert.equal(ran.word, 'other');
});

test('a damaged or cut cache is not taken', async () => {
  const bundle = bundleIn();
  await writeCodeCache(bundle);
  const cache = readFileSync(cacheFileOf(bundle));
  const damaged = Buffer.from(cache);
  damaged[damaged.length - 10] ^= 0xff;
  assert.equal(cachedDataFor(BUNDLE, damaged), undefined);
  assert.equal(cachedDataFor(BUNDLE, cache.subarray(0, cache.length - 1)), undefined);
  assert.equal(cachedDataFor(BUNDLE, cache.subarray(0, 40)), undefined);
  assert.ok(cachedDataFor(BUNDLE, cache));
  writeFileSync(cacheFileOf(bundle), damaged);
  assert.equal(run(bundle).cached, false);
  assert.equal(run(bundle).ran.word, 'first');
});

test('a bundle with characters beyond ASCII runs as its UTF-8 text, and from its cache', async () => {
  const text = BUNDLE.replace("'first'", "'caf\u00e9 \u2192 \u{1f600}'");
  const bundle = bundleIn(text);
  await writeCodeCache(bundle);
  const { cached, ran } = run(bundle);
  assert.equal(cached, true);
  assert.equal(ran.word, 'café → 😀');
  // The digest is of the file's bytes whether the text or the bytes are given.
  const cache = readFileSync(cacheFileOf(bundle));
  assert.ok(cachedDataFor(readFileSync(bundle), cache) && cachedDataFor(text, cache));
});

/** A bundle whose one large function runs only in its warm-up (if it exports one). */
const withWarmUp = (exported: boolean) => `
function large(n) {
  let total = 0;
  ${Array.from({ length: 200 }, (_, i) => `total += (n * ${i}) % ${i + 7};`).join('\n  ')}
  return total;
}
module.exports.ran = { main: require.main === module, file: __filename, word: 'first' };
${exported ? 'module.exports.warmUpForCodeCache = async () => { await new Promise((r) => setImmediate(r)); module.exports.warmed = large(3); };' : 'module.exports.warmUp = async () => large(3);'}
`;

test('the warm-up a bundle exports runs before its cache is written, which then holds what it compiled', async () => {
  const warmed = bundleIn(withWarmUp(true));
  const cold = bundleIn(withWarmUp(false));
  await writeCodeCache(warmed);
  await writeCodeCache(cold);
  const size = (bundle: string) => readFileSync(cacheFileOf(bundle)).length;
  // The large function's bytecode is in the cache only where it ran before the cache was made.
  assert.ok(size(warmed) > size(cold) + 1000, `cache bytes: ${size(warmed)} warmed, ${size(cold)} not`);
  const { cached, ran } = run(warmed);
  assert.equal(cached, true);
  assert.deepEqual(ran, { main: false, file: warmed, word: 'first' });
});

const built = ['dist/cli-main.js', 'dist/server-main.js'].map((b) => resolve(b));
test(
  'the build writes the bundles it starts from their cache in ASCII (one byte a character in V8)',
  { skip: !built.every((b) => existsSync(b)) && 'run npm run build first' },
  () => {
    for (const bundle of built) {
      const bytes = readFileSync(bundle);
      const at = bytes.findIndex((byte) => byte > 0x7f);
      assert.equal(at, -1, `${bundle}: a byte beyond ASCII at ${at}`);
    }
  },
);

test(
  'the build writes a cache that this Node takes for the CLI bundle',
  { skip: !built.every((b) => existsSync(cacheFileOf(b))) && 'run npm run build first' },
  () => {
    const source = readFileSync(built[0], 'utf8');
    assert.ok(cachedDataFor(source, readFileSync(cacheFileOf(built[0]))), 'made from the bundle as built');
    // Not as the main module: the CLI does not start.
    assert.equal(run(built[0]).cached, true);
  },
);
