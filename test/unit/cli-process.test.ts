// The built CLI (dist/cli.js) as a process: what a shell pipeline and a CI job see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateWorkspace, SIZES } from '../../bench/generate';

const CLI = resolve('dist/cli.js');
const skip = !existsSync(CLI) && 'run npm run build first';

const FILES: Record<string, string> = {
  'apps/web.yaml': `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
spec: {containers: [{name: c, ports: [{containerPort: 5432}]}]}
`,
  'policies/db.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: web}}}]
      ports: [{port: 5432, protocol: TCPX}]
`,
};

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'netpol-cli-process-'));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

/** Runs the CLI with its stdout pipe closed before it writes anything, as `… | head -0` would. */
function runWithClosedStdout(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => done({ code, stderr }));
  });
}

test('every command stops quietly, with exit 0, when the reader closes stdout', { skip }, async () => {
  const root = workspace();
  const commands = [
    ['reach', root],
    ['reach', root, '-o', 'json'],
    ['can', root, '--from', 'shop/web', '--to', 'shop/db', '--port', '5432'],
    ['check', root],
    ['check', root, '-f', 'sarif'],
    ['explain', root],
    ['diff', root, root],
    ['--help'],
  ];
  for (const args of commands) {
    const { code, stderr } = await runWithClosedStdout(args);
    assert.doesNotMatch(stderr, /EPIPE|internal error|at .*\(node:/, args.join(' '));
    assert.equal(code, 0, `${args.join(' ')}: ${stderr}`);
  }
});

test('an unknown diagnostic code in --severity is a usage error that lists the codes', { skip }, () => {
  const result = spawnSync(
    process.execPath,
    [CLI, 'check', workspace(), '--severity', 'netpol.nosuch=error'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(result.status, 2);
  assert.match(result.stderr, /unknown diagnostic code netpol\.nosuch/);
  // The list names real codes, written down here independently of the rule table.
  assert.match(result.stderr, /netpol\.invalid-protocol/);
  assert.match(result.stderr, /netpol\.dns-egress-missing/);
  assert.equal(result.stdout, '');
  const known = spawnSync(
    process.execPath,
    [CLI, 'check', workspace(), '--severity', 'netpol.invalid-protocol=off'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(known.status, 0, known.stderr);
});

interface SarifRun {
  originalUriBaseIds: Record<string, { uri: string }>;
  results: {
    ruleId: string;
    locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[];
  }[];
}

function sarifRun(args: string[], cwd: string): SarifRun {
  const result = spawnSync(process.execPath, [CLI, 'check', '-f', 'sarif', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(result.status, 1, result.stderr); // the TCPX protocol is an error
  return JSON.parse(result.stdout).runs[0];
}

function locationOf(run: SarifRun, code: string) {
  const result = run.results.find((r) => r.ruleId === code);
  assert.ok(result, `a ${code} result`);
  return result.locations[0].physicalLocation.artifactLocation;
}

test(
  'SARIF paths are relative to the current folder, with %SRCROOT%, also for absolute arguments',
  { skip },
  () => {
    const root = workspace();
    for (const args of [[root], ['.'], [join(root, 'policies', 'db.yaml')]]) {
      const run = sarifRun(args, root);
      assert.deepEqual(locationOf(run, 'netpol.invalid-protocol'), {
        uri: 'policies/db.yaml',
        uriBaseId: '%SRCROOT%',
      });
      assert.deepEqual(run.originalUriBaseIds, { '%SRCROOT%': { uri: pathToFileURL(root).href + '/' } });
    }
  },
);

test('--sarif-base makes SARIF paths relative to another folder', { skip }, () => {
  const root = workspace();
  const run = sarifRun([root, '--sarif-base', join(root, 'policies')], tmpdir());
  assert.deepEqual(locationOf(run, 'netpol.invalid-protocol'), { uri: 'db.yaml', uriBaseId: '%SRCROOT%' });
  // A file outside the base keeps an absolute file URI: a relative path with `..` would name no file.
  const outside = sarifRun([root, '--sarif-base', join(root, 'apps')], tmpdir());
  assert.equal(
    locationOf(outside, 'netpol.invalid-protocol').uri,
    pathToFileURL(join(root, 'policies', 'db.yaml')).href,
  );
});

test('check gives the same output on one thread and on two (--jobs, NETPOL_LENS_JOBS)', { skip }, () => {
  // The medium benchmark workspace is large enough for the worker thread (dist/analysis-worker.js).
  const root = workspace();
  generateWorkspace(SIZES.find((s) => s.name === 'medium')!).files.forEach((f, i) =>
    writeFileSync(join(root, `generated-${i}.yaml`), f.text),
  );
  const check = (args: string[], env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [CLI, 'check', root, ...args], {
      encoding: 'utf8',
      env: { ...process.env, ...env },
    });
  const serial = check(['--jobs', '1', '-v']);
  assert.equal(serial.status, 1, serial.stderr); // the TCPX protocol is an error
  assert.match(serial.stdout, /policies\/db\.yaml:\d+:\d+ error netpol\.invalid-protocol /);
  assert.doesNotMatch(serial.stderr, /worker/);
  const parallel = check(['--jobs', '2', '-v']);
  assert.equal(parallel.stdout, serial.stdout);
  assert.equal(parallel.status, serial.status);
  assert.doesNotMatch(parallel.stderr, /failed/);
  assert.match(parallel.stderr, /rules shared with a worker thread: it ran \d+ of \d+ units/);
  const byVariable = check(['-v'], { NETPOL_LENS_JOBS: '2' });
  assert.equal(byVariable.stdout, serial.stdout);
  assert.match(byVariable.stderr, /rules shared with a worker thread/);
  const byDefault = check(['-v'], { NETPOL_LENS_JOBS: '' });
  assert.equal(byDefault.stdout, serial.stdout);
  assert.doesNotMatch(byDefault.stderr, /worker/);
  const wrong = check(['--jobs', '0']);
  assert.equal(wrong.status, 2);
  assert.match(wrong.stderr, /expected a whole number, 1 or more/);
});
