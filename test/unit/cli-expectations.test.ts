// `netpol-lens check` on a copy of the shop-expectations fixture with one violated and one invalid
// expectation: text, JSON and SARIF carry both, and the exit code follows --fail-on and --severity.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';

function brokenWorkspace(): string {
  const root = join(mkdtempSync(join(tmpdir(), 'netpol-expect-')), 'shop');
  cpSync('test-fixtures/shop-expectations', root, { recursive: true });
  const contract = join(root, 'contract.yaml');
  const text = readFileSync(contract, 'utf8')
    // Line 16: web → db promised open (it is closed).
    .replace('    to: shop/db\n    expect: deny\n', '    to: shop/db\n    expect: allow\n')
    // Line 35: a workload that does not exist.
    .replace('to: 198.51.100.1', 'to: shop/nothing');
  writeFileSync(contract, text);
  return root;
}

async function check(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['check', ...args], { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

test('check: the fixture contract holds, exit 0', async () => {
  const { code, stdout, stderr } = await check('test-fixtures/shop-expectations');
  assert.equal(stdout, '');
  assert.equal(stderr, '0 problem(s): 0 error(s), 0 warning(s), 0 note(s) in 5 file(s)\n');
  assert.equal(code, 0);
});

test('check: violated and invalid expectations in text, JSON and SARIF; exit code by --fail-on', async () => {
  const root = brokenWorkspace();
  const contract = join(root, 'contract.yaml');

  const text = await check(root);
  assert.equal(text.code, 1);
  assert.deepEqual(text.stdout.trimEnd().split('\n'), [
    `${contract}:16:5 error netpol.expectation-violated Expected shop/web → shop/db to be allowed, but it is denied: ingress of shop/db[StatefulSet] isolated by shop/default-deny-ingress, shop/db-from-api, and no ingress rule of them allows it.`,
    `${contract}:35:9 error netpol.expectation-invalid shop/nothing: no such peer; namespace shop has shop/api, shop/cache, shop/db, shop/web`,
  ]);

  const json = await check(root, '-f', 'json');
  assert.equal(json.code, 1);
  assert.deepEqual(
    JSON.parse(json.stdout).map((p: Record<string, unknown>) => [p.code, p.line, p.column, p.endLine]),
    [
      ['netpol.expectation-violated', 16, 5, 20],
      ['netpol.expectation-invalid', 35, 9, 35],
    ],
  );

  const sarif = await check(root, '-f', 'sarif');
  const run = JSON.parse(sarif.stdout).runs[0];
  assert.deepEqual(
    run.results.map((r: { ruleId: string; level: string }) => [r.ruleId, r.level]),
    [
      ['netpol.expectation-violated', 'error'],
      ['netpol.expectation-invalid', 'error'],
    ],
  );
  const ruleIds = run.tool.driver.rules.map((r: { id: string }) => r.id);
  assert.ok(
    ruleIds.includes('netpol.expectation-violated') && ruleIds.includes('netpol.expectation-invalid'),
  );

  assert.equal((await check(root, '--fail-on', 'never')).code, 0);
  const demoted = await check(
    root,
    '--severity',
    'netpol.expectation-violated=warning',
    '--severity',
    'netpol.expectation-invalid=off',
  );
  assert.equal(demoted.code, 0, 'a warning does not fail at the default threshold');
  assert.match(demoted.stdout, /^.*:16:5 warning netpol\.expectation-violated /);
  assert.equal(
    (await check(root, '--severity', 'netpol.expectation-invalid=off', '--fail-on', 'warning')).code,
    1,
  );
});
