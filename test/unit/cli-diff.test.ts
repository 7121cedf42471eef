// `netpol-lens diff OLD NEW` on folders and on `REV:PATH` of a real temporary git repository.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import { parseRevisionSpec } from '../../server/src/git/revision-files';

const FIXTURES = join(process.cwd(), 'test-fixtures', 'diff');
const ADDED_WEB_TO_DB =
  'diff-type: added, source: shop/web[Deployment], destination: shop/db[Deployment], ' +
  'ref1: No Connections, ref2: TCP 5432';

/** A temp folder with `old/` (the base) and `new/` (the base with a case's overlay). */
function folders(caseName: string): { root: string; old: string; next: string } {
  const root = mkdtempSync(join(tmpdir(), 'netpol-diff-'));
  const old = join(root, 'old');
  const next = join(root, 'new');
  cpSync(join(FIXTURES, 'base'), old, { recursive: true });
  cpSync(join(FIXTURES, 'base'), next, { recursive: true });
  cpSync(join(FIXTURES, caseName), next, { recursive: true });
  return { root, old, next };
}

async function cli(cwd: string | undefined, ...args: string[]) {
  let stdout = '';
  let stderr = '';
  const before = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}

test('diff of two folders prints the reference analyzer’s format; --exit-code says whether it differs', async () => {
  const { old, next } = folders('added-peer');
  const plain = await cli(undefined, 'diff', old, next, '--no-implicit');
  assert.deepEqual(plain, { code: 0, stdout: `Connectivity diff:\n${ADDED_WEB_TO_DB}\n`, stderr: '' });
  const strict = await cli(undefined, 'diff', old, next, '--no-implicit', '--exit-code');
  assert.equal(strict.code, 1);
  assert.equal(strict.stdout, plain.stdout);
});

test('no difference: nothing printed, exit 0 even with --exit-code', async () => {
  const { old } = folders('added-peer');
  assert.deepEqual(await cli(undefined, 'diff', old, old, '--exit-code'), {
    code: 0,
    stdout: '',
    stderr: '',
  });
});

test('diff takes the options of reach: implicit peers change the rows', async () => {
  const { old, next } = folders('new-workloads');
  const implicit = await cli(undefined, 'diff', old, next);
  const explicit = await cli(undefined, 'diff', old, next, '--no-implicit');
  // With the implicit kube-dns, the new workloads reach it too.
  assert.match(
    implicit.stdout,
    /source: shop\/cache\[Deployment\], destination: kube-system\/kube-dns\[Deployment\]/,
  );
  assert.doesNotMatch(explicit.stdout, /kube-dns/);
  assert.equal(explicit.stdout.split('\n').length, 1 + 12 + 1);
});

test('diff -o csv, md and json', async () => {
  const { old, next } = folders('added-peer');
  const csv = await cli(undefined, 'diff', old, next, '--no-implicit', '-o', 'csv');
  assert.equal(
    csv.stdout,
    'diff-type,source,destination,ref1,ref2,workloads-diff-info\n' +
      'added,shop/web[Deployment],shop/db[Deployment],No Connections,TCP 5432,\n',
  );
  const md = await cli(undefined, 'diff', old, next, '--no-implicit', '-o', 'md');
  assert.equal(
    md.stdout.split('\n')[2],
    '| added | shop/web\\[Deployment\\] | shop/db\\[Deployment\\] | No Connections | TCP 5432 |  |',
  );
  const json = JSON.parse((await cli(undefined, 'diff', old, next, '--no-implicit', '-o', 'json')).stdout);
  assert.equal(json.ref1, old);
  assert.equal(json.ref2, next);
  assert.equal(json.diffs.length, 1);
  assert.equal(json.diffs[0].provenance.ref2.ingress.rules[0].policy, 'shop/db-ingress');
  assert.deepEqual(json.problems, { ref1: [], ref2: [] });
  const bad = await cli(undefined, 'diff', old, next, '-o', 'dot');
  assert.equal(bad.code, 2);
});

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

/** A repository whose first commit has k8s/ = the base and whose work tree has the case applied. */
function repository(caseName: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'netpol-diff-git-'));
  git(repo, 'init', '-q');
  cpSync(join(FIXTURES, 'base'), join(repo, 'k8s'), { recursive: true });
  writeFileSync(join(repo, 'README.md'), 'not a manifest\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'base');
  cpSync(join(FIXTURES, caseName), join(repo, 'k8s'), { recursive: true });
  return repo;
}

test('REV:PATH reads PATH as of a git revision, relative to the current folder', async () => {
  const repo = repository('added-peer');
  const expected = `Connectivity diff:\n${ADDED_WEB_TO_DB}\n`;
  assert.deepEqual(await cli(repo, 'diff', 'HEAD:k8s', 'k8s', '--no-implicit'), {
    code: 0,
    stdout: expected,
    stderr: '',
  });
  // From inside k8s/, `HEAD:.` is that folder, as every other path argument is relative to it.
  assert.equal((await cli(join(repo, 'k8s'), 'diff', 'HEAD:.', '.', '--no-implicit')).stdout, expected);
  // Both sides from git: commit the change and compare the two commits.
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'web may reach db');
  assert.equal((await cli(repo, 'diff', 'HEAD~1:k8s', 'HEAD:k8s', '--no-implicit')).stdout, expected);
  // A single file as of a revision.
  const file = await cli(
    repo,
    'diff',
    'HEAD~1:k8s/policies/db.yaml',
    'k8s/policies/db.yaml',
    '--no-implicit',
  );
  assert.equal(file.code, 0);
  assert.equal(file.stdout, '', 'a policy alone selects no workload on either side');
});

test('problems in a revision are located at REV:path; unreadable revisions and paths are errors', async () => {
  const repo = repository('added-peer');
  writeFileSync(join(repo, 'k8s', 'broken.yaml'), 'kind: [\n');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'broken');
  const broken = await cli(repo, 'diff', 'HEAD:k8s', 'k8s', '--no-implicit');
  assert.equal(broken.code, 1);
  assert.match(broken.stderr, /^HEAD:k8s\/broken\.yaml:\d+:\d+: error: /m);

  const unknown = await cli(repo, 'diff', 'no-such-branch:k8s', 'k8s');
  assert.equal(unknown.code, 1);
  assert.equal(unknown.stdout, '', 'no diff against a side that cannot be read');
  assert.match(unknown.stderr, /cannot read no-such-branch:k8s from git: /);

  const missing = await cli(repo, 'diff', 'HEAD:nowhere', 'k8s');
  assert.equal(missing.code, 1);
  assert.equal(missing.stdout, '');

  const gone = await cli(repo, 'diff', 'k8s', 'no-such-folder');
  assert.equal(gone.code, 1);
  assert.equal(gone.stdout, '');
  assert.match(gone.stderr, /no-such-folder: no such file or folder/);
  rmSync(repo, { recursive: true, force: true });
});

test('REV:PATH is told apart from Windows paths', () => {
  assert.deepEqual(parseRevisionSpec('origin/main:k8s'), { revision: 'origin/main', path: 'k8s' });
  assert.deepEqual(parseRevisionSpec('HEAD:'), { revision: 'HEAD', path: '' });
  assert.equal(parseRevisionSpec('C:\\manifests'), undefined);
  assert.equal(parseRevisionSpec('k8s'), undefined);
});
