// Bundles the extension client, the language server, the CLI and the benchmark, one esbuild context each.
import { readFile } from 'node:fs/promises';
import * as esbuild from 'esbuild';

/**
 * yaml's CST parser reads `process.env.LOG_TOKENS` for every token (and its composer `LOG_STREAM` for every
 * document), a debugging switch; a read of `process.env` costs about 0.3 µs, which is 10% of parsing a large
 * workspace. The bundles drop the switch; a warning says when a new yaml version no longer has it.
 */
const yamlWithoutDebugSwitches = {
  name: 'yaml-without-debug-switches',
  setup(build) {
    build.onLoad(
      { filter: /[\\/]yaml[\\/]dist[\\/](parse[\\/]parser|compose[\\/]composer)\.js$/ },
      async (args) => {
        const text = await readFile(args.path, 'utf8');
        const switches = /\bnode_process\.env\.LOG_(TOKENS|STREAM)\b/g;
        const warnings = switches.test(text)
          ? []
          : [
              {
                text: `no LOG_TOKENS/LOG_STREAM switch found in ${args.path}: is the esbuild plugin still needed?`,
              },
            ];
        return { contents: text.replace(switches, 'false'), loader: 'js', warnings };
      },
    );
  },
};

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

/** @type {import('esbuild').BuildOptions[]} */
const bundles = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
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
  plugins: [yamlWithoutDebugSwitches],
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
}
