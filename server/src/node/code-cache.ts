// Starts a bundle (the CLI, the language server) from V8's code cache, made when the bundle is built.
//
// Compiling a bundle of 1.4-1.8 MB takes V8 50-70 ms at every start (most of `netpol-lens check`'s module
// load, and of the server's before its first message); from its code cache it takes a few. Node 20 has no
// compile cache of its own (module.enableCompileCache came in Node 22), so the small entry scripts
// (dist/cli.js, dist/server.js) compile their bundle with `vm.Script`'s `cachedData`, which is Node's own
// mechanism. The cache is written beside the bundle at build time (esbuild.mjs), never at run time: a
// cache in a shared folder could be planted by someone else, one in dist/ is as trusted as the bundle.
// V8 rejects a cache of another V8 version or other flags (an editor's own Node, `--cpu-prof`), and the
// cache's header must name the bundle's exact text and the cache's own bytes: anything else, and the
// bundle is compiled as it would be without one.
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** Where a bundle's code cache is kept. */
export function cacheFileOf(bundle: string): string {
  return `${bundle}.cache`;
}

/** The cache's header: a digest of the bundle's text and one of the cache's bytes, then a line break. */
const HEADER_LENGTH = 2 * 64 + 2;

function digest(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The cached data of `cache` when it was made from exactly `source` (its text, or the bytes of its file:
 * the digest is of the UTF-8 bytes either way) and is whole; else undefined.
 */
export function cachedDataFor(source: string | Buffer, cache: Buffer | undefined): Buffer | undefined {
  if (!cache || cache.length <= HEADER_LENGTH) return undefined;
  const header = cache.subarray(0, HEADER_LENGTH).toString('latin1');
  const data = cache.subarray(HEADER_LENGTH);
  return header === headerOf(source, data) ? data : undefined;
}

function headerOf(source: string | Buffer, data: Buffer): string {
  return `${digest(source)} ${digest(data)}\n`;
}

function readIfThere(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

/**
 * A bundle's bytes and its UTF-8 text, read the same way when its cache is written and when it starts.
 * The build writes its bundles in ASCII (esbuild.mjs), which read as Latin-1 is the same text made without
 * decoding, and kept in one byte a character: V8 keeps a script's source for as long as the process runs,
 * and one non-ASCII character in it makes it two bytes a character.
 */
function readBundle(bundle: string): { bytes: Buffer; source: string } {
  const bytes = readFileSync(bundle);
  return { bytes, source: isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8') };
}

/** The bundle compiled as Node compiles a CommonJS module, from `cachedData` when V8 takes it. */
function compile(bundle: string, source: string, cachedData?: Buffer): Script {
  return new Script(Module.wrap(source), { filename: bundle, cachedData });
}

/**
 * Runs `bundle` as the module `module` (the entry script's own, so that `require.main === module` holds
 * in the bundle as it did when the bundle was the entry), compiled from its code cache when there is a
 * good one. Returns whether the cache was used.
 */
export function runBundle(bundle: string, module: NodeJS.Module, require: NodeJS.Require): boolean {
  const { bytes, source } = readBundle(bundle);
  const cachedData = cachedDataFor(bytes, readIfThere(cacheFileOf(bundle)));
  const script = compile(bundle, source, cachedData);
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, require, module, bundle, dirname(bundle));
  return cachedData !== undefined && !script.cachedDataRejected;
}

/** What a bundle may export for the build to run before its cache is written (see writeCodeCache). */
export const WARM_UP_EXPORT = 'warmUpForCodeCache';

/**
 * Writes the code cache of `bundle` (at build time, with the Node that will run it), after running the
 * bundle as a module that is not the main one: the cache then also holds the functions its modules ran
 * when they loaded (a bundle starts its work only as the main module). When the bundle exports a
 * {@link WARM_UP_EXPORT} function, that runs (and is awaited) first: V8 caches every function compiled by
 * then, so a warm-up that does the bundle's main work spares each run compiling those functions when they
 * are first called (V8 compiles a function's bytecode lazily, at its first call). Run it in a process of
 * its own.
 */
export async function writeCodeCache(bundle: string): Promise<void> {
  const { bytes, source } = readBundle(bundle);
  const script = compile(bundle, source);
  const module = new Module(bundle);
  module.filename = bundle;
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(module.exports, module.exports, Module.createRequire(bundle), module, bundle, dirname(bundle));
  const warmUp = (module.exports as Record<string, unknown>)[WARM_UP_EXPORT];
  if (typeof warmUp === 'function') await (warmUp as () => unknown)();
  const data = script.createCachedData();
  writeFileSync(cacheFileOf(bundle), Buffer.concat([Buffer.from(headerOf(bytes, data), 'latin1'), data]));
}
