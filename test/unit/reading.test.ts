// The reading conventions (docs/semantics.md, "Reading input"), one fixture folder each under
// test/reading/: the connectivity list and the problems are written down by hand next to the manifests.
// The CLI's `check` and the language server must report the same problems for every folder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { main } from '../../server/src/cli/main';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

const ROOT = resolve('test/reading');
const CASES = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

function expectedProblems(folder: string): string[] {
  const path = join(folder, 'expected-problems.txt');
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n') : [];
}

/** `file:line:column severity code` of check's text output, paths relative to the folder. */
async function checkProblems(folder: string): Promise<string[]> {
  const { out } = await cli('check', '--no-implicit', '--fail-on', 'never', folder);
  return out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [where, severity, code] = line.split(' ');
      return `${relative(folder, where.replace(/:\d+:\d+$/, ''))}${where.match(/:\d+:\d+$/)![0]} ${severity} ${code}`;
    });
}

test('every reading fixture has its hand-written connectivity list', () => {
  assert.ok(CASES.length >= 11, `found ${CASES.join(', ')}`);
  for (const name of CASES) assert.ok(existsSync(join(ROOT, name, 'expected.txt')), name);
});

for (const name of CASES) {
  const folder = join(ROOT, name);
  test(`reading ${name}: reach prints the expected connectivity list`, async () => {
    const { out } = await cli('reach', '--no-implicit', '-q', folder);
    assert.equal(out, readFileSync(join(folder, 'expected.txt'), 'utf8'));
  });
  test(`reading ${name}: check reports the expected problems`, async () => {
    assert.deepEqual(await checkProblems(folder), expectedProblems(folder));
  });
}

test('the language server reports the same problems as check for every reading fixture', async () => {
  for (const name of CASES) {
    const folder = join(ROOT, name);
    const client = inProcessClient(() => ({ debounceMs: 5, implicitDns: false, inferPods: false }));
    try {
      await initializeWorkspace(client, folder, { name });
      await client.waitFor(
        () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
        `analysis of ${name}`,
      );
      const expected = await checkProblems(folder);
      const files = new Set(expected.map((line) => line.split(':')[0]));
      // Files with problems are published once the workspace is analysed; wait for each of them.
      for (const file of files) {
        await client.waitFor(() => client.latest(pathToFileURL(join(folder, file)).toString()), file);
      }
      const fromServer = [...new Map(client.published.map((p) => [p.uri, p])).values()].flatMap((p) =>
        p.diagnostics.map(
          (d) =>
            `${relative(folder, fileURLToPath(p.uri))}:${d.range.start.line + 1}:${d.range.start.character + 1} ${['', 'error', 'warning', 'information', 'hint'][d.severity ?? 1]} ${String(d.code)}`,
        ),
      );
      assert.deepEqual(fromServer.sort(), [...expected].sort(), name);
    } finally {
      await client.close();
    }
  }
});
