// The architecture fences hold: lint fails when a core file imports anything outside the core (another
// layer, an editor or LSP package, a Node built-in) or when code outside the core reaches past its door
// (server/src/core/index.ts). Each case plants one import in a file and runs the project's ESLint config.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';

const ROOT = resolve(__dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

/** The fence messages ESLint reports for `code` as if it were the file `path` (relative to the root). */
async function fenceErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, path) });
  return result.messages
    .filter((m) => m.ruleId?.startsWith('fences/') || m.ruleId === 'no-restricted-globals')
    .map((m) => m.message);
}

const FORBIDDEN_IN_CORE: [string, string][] = [
  ['server/src/core/planted.ts', "import { startSession } from '../lsp/session';\nvoid startSession;\n"],
  [
    'server/src/core/planted.ts',
    "import type { GraphResult } from '../protocol';\nexport type G = GraphResult;\n",
  ],
  ['server/src/core/features/planted.ts', "export { registerFeatures } from '../../lsp/features';\n"],
  ['server/src/core/planted.ts', "export * from '../cli/main';\n"],
  ['server/src/core/planted.ts', "import { x } from 'vscode-languageserver/lib/common/api';\nvoid x;\n"],
  ['server/src/core/planted.ts', "import * as vscode from 'vscode';\nvoid vscode;\n"],
  [
    'server/src/core/planted.ts',
    "import { TextDocument } from 'vscode-languageserver-textdocument';\nvoid TextDocument;\n",
  ],
  ['server/src/core/planted.ts', "import { readFileSync } from 'fs';\nvoid readFileSync;\n"],
  ['server/src/core/planted.ts', "import { join } from 'node:path';\nvoid join;\n"],
  ['server/src/core/planted.ts', "export const load = () => import('../server');\n"],
];

for (const [path, code] of FORBIDDEN_IN_CORE) {
  test(`lint rejects in ${path}: ${code.split('\n')[0]}`, async () => {
    const errors = await fenceErrors(path, code);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0], /^The analysis core must not import/);
  });
}

test('lint accepts the core importing itself, third-party libraries and the bundled schemas', async () => {
  const code = [
    "import { parse } from 'yaml';",
    "import { parseFile } from '../parse';",
    "import { RULES } from './index';",
    "import schema from '../../../../schemas/networkpolicy-networking-v1.json';",
    'void parse, parseFile, RULES, schema;',
    '',
  ].join('\n');
  assert.deepEqual(await fenceErrors('server/src/core/diagnostics/planted.ts', code), []);
});

test('lint rejects deep imports of core internals from the hosts, the client and tests', async () => {
  for (const [path, specifier] of [
    ['server/src/lsp/planted.ts', '../core/features/hover'],
    ['server/src/cli/planted.ts', '../core/service'],
    ['client/src/planted.ts', '../../server/src/core/diagnostics/index'],
    ['test/unit/planted.test.ts', '../../server/src/core/reachability'],
  ]) {
    const errors = await fenceErrors(path, `import { x } from '${specifier}';\nvoid x;\n`);
    assert.equal(errors.length, 1, `${path}: ${errors.join('\n')}`);
    assert.match(errors[0], /through server\/src\/core\/index\.ts/);
  }
  const door = "import { createLanguageService } from '../core/index';\nvoid createLanguageService;\n";
  assert.deepEqual(await fenceErrors('server/src/lsp/planted.ts', door), []);
});

test('`eslint` fails on a real core file that imports the LSP session', () => {
  const planted = join(ROOT, 'server', 'src', 'core', `planted-${process.pid}.ts`);
  writeFileSync(planted, "import { startSession } from '../lsp/session';\nexport const s = startSession;\n");
  try {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'eslint', 'bin', 'eslint.js'), planted],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    assert.equal(run.status, 1, run.stdout + run.stderr);
    assert.match(run.stdout, /fences\/core-purity/);
  } finally {
    rmSync(planted, { force: true });
  }
});

test('lint rejects a diagnostic code written out anywhere but server/src/core/codes.ts', async () => {
  const planted = "export const code = 'netpol.dns-egress-missing';\n";
  for (const path of [
    'server/src/core/diagnostics/planted.ts',
    'server/src/cli/planted.ts',
    'client/src/planted.ts',
  ]) {
    const errors = await fenceErrors(path, planted);
    assert.equal(errors.length, 1, `${path}: ${errors.join('\n')}`);
    assert.match(errors[0], /use CODES from server\/src\/core\/codes\.ts/);
  }
  assert.deepEqual(await fenceErrors('server/src/core/codes.ts', planted), []);
  // Tests write codes out on purpose: their expected values are independent of the code table.
  assert.deepEqual(await fenceErrors('test/unit/planted.test.ts', planted), []);
  // Prose that mentions a code is not a code.
  assert.deepEqual(
    await fenceErrors('server/src/cli/planted.ts', "export const s = 'see netpol.type';\n"),
    [],
  );
});
