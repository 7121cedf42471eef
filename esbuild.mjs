// Bundles the extension client, the language server, the CLI and the benchmark, one esbuild context each.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

/**
 * yaml's ES module build instead of its CommonJS one (which `platform: 'node'` picks from its exports map).
 * esbuild reaches a CommonJS module's exports through a getter per access, and the core calls `isScalar`,
 * `isMap`… millions of times (3-4% of `netpol-lens check` went to that getter); the ES build's functions
 * are called directly. The ES build is the same code, minus two Node-only details: its CST parser and
 * composer do not read the `LOG_TOKENS`/`LOG_STREAM` debugging switches from `process.env` for every token
 * (about 0.3 µs a read, which the bundles used to patch out), and its rare warnings (a collection used as
 * a key, converted to JS) go to `console.warn` instead of `process.emitWarning`.
 */
const yamlEsModule = {
  name: 'yaml-es-module',
  setup(build) {
    const entry = join(
      dirname(createRequire(import.meta.url).resolve('yaml/package.json')),
      'browser',
      'index.js',
    );
    build.onResolve({ filter: /^yaml$/ }, () => ({ path: entry }));
  },
};

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/**
 * The bundles started from their code cache, without comments and indentation: every start reads and
 * digests the whole text (1.8 MB as written, 1.3 MB so), and V8 keeps it for the process's lifetime,
 * in one byte a character only while all of it is ASCII (comments are the only place esbuild leaves
 * other characters; its default `charset: 'ascii'` escapes them in code). Names stay as written, and the
 * source maps give each line and column back.
 */
const startedFromCache = { minifyWhitespace: true, charset: 'ascii' };

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  // The server and the CLI are small entry scripts that start their bundle from its code cache
  // (server/src/node/code-cache.ts; the caches are written below, after the build).
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server-main.js', ...startedFromCache },
  { entryPoints: ['server/src/node/start-server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli-main.js', ...startedFromCache },
  {
    entryPoints: ['server/src/node/start-cli.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  },
  // The second thread of `check` and of the server's first scan (server/src/node/parallel-diagnostics.ts).
  { entryPoints: ['server/src/node/analysis-worker.ts'], outfile: 'dist/analysis-worker.js' },
  { entryPoints: ['bench/bench.ts'], outfile: 'dist/bench.js' },
  // The graph webview runs in a browser sandbox: one self-contained script (+ dist/webview.css).
  {
    entryPoints: ['client/src/webview/main.ts'],
    outfile: 'dist/webview.js',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    external: [],
  },
];

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  external: ['vscode'],
  plugins: [yamlEsModule],
};

const contexts = await Promise.all(bundles.map((b) => esbuild.context({ ...common, ...b })));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
} else {
  try {
    await Promise.all(contexts.map((c) => c.rebuild()));
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
  await writeCodeCaches(['dist/cli-main.js', 'dist/server-main.js']);
}

/**
 * V8's code cache of each bundle, made by this Node (the one that runs the tests and the benchmarks; an
 * editor's own Node rejects it and compiles the bundle as usual). The writer is code-cache.ts itself,
 * bundled in memory, so the cache's format is defined in one place.
 */
async function writeCodeCaches(bundles) {
  const { outputFiles } = await esbuild.build({
    ...common,
    entryPoints: ['server/src/node/code-cache.ts'],
    sourcemap: false,
    write: false,
    logLevel: 'warning',
  });
  const writer = outputFiles[0].text;
  for (const bundle of bundles) {
    // A process of its own per bundle: writing a cache loads the bundle's modules and runs its warm-up
    // (which may leave timers behind: the process is ended once the cache is written).
    const script = `${writer}\nmodule.exports.writeCodeCache(${JSON.stringify(resolve(bundle))}).then(\n  () => process.exit(0),\n  (error) => {\n    console.error(error);\n    process.exit(1);\n  },\n);`;
    execFileSync(process.execPath, ['-e', script], { stdio: 'inherit' });
  }
}
