// Bundles the extension-host suite (it imports the analysis core to compute what the editor should
// show) into a folder inside the project, so `require('mocha')` and `require('vscode')` resolve at
// run time: mocha from the project's node_modules, vscode from the extension host.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { ROOT } from '../../scripts/code-server.mjs';

export const EXTENSION_HOST_TESTS = join(ROOT, '.cache/extension-host-tests');

/** Writes index.js, suite.test.js and claims.test.js to `outDir`; returns the folder for --extensionTestsPath. */
export async function bundleExtensionHostTests(outDir = EXTENSION_HOST_TESTS): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: {
      index: join(import.meta.dirname, 'index.ts'),
      'suite.test': join(import.meta.dirname, 'suite.test.ts'),
      'claims.test': join(import.meta.dirname, 'claims.test.ts'),
    },
    outdir: outDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return join(outDir, 'index.js');
}
