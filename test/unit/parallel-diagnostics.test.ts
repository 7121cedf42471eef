// `check` and the server's first scan share the rules with a worker thread (server/src/node/
// parallel-diagnostics.ts): both threads analyse the same snapshot and take the rules' units of work from
// one counter. Whatever the split, and whatever the worker does wrong, the diagnostics must be those of
// the serial run, problem for problem and in the same order.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import {
  CODES,
  mergeDiagnosticParts,
  RULES,
  serviceOfSnapshot,
  type LanguageService,
  type Problem,
  type SourceFile,
  type WorkspaceSnapshot,
} from '../../server/src/core/index';
import type { Connection } from 'vscode-languageserver/node';
import {
  defaultJobs,
  JOBS_VARIABLE,
  MIN_PARALLEL_BYTES,
  startDiagnosticsWorker,
  worthAWorker,
  type DiagnosticsWorker,
  type WorkerReply,
  type WorkerRequest,
} from '../../server/src/node/parallel-diagnostics';
import { computeWithWorker, streamTo } from '../../server/src/lsp/first-scan-worker';
import { generateWorkspace, SIZES } from '../../bench/generate';
import { foldersIn, manifestsIn, serviceOf } from '../support/fixtures';
import { initializeWorkspace, stdioClient } from '../support/lsp-client';

/** Every manifest under `folder`, recursively. */
/** A rule's example with each document in a file of its own, so that rules meet across files. */
function examplePerDocument(code: string, text: string): SourceFile[] {
  return text
    .split(/^---\s*$/m)
    .filter((doc) => doc.trim() !== '')
    .map((doc, i) => ({ uri: `file:///examples/${code}/doc-${i}.yaml`, text: doc }));
}

const generated = (size: string): SourceFile[] =>
  generateWorkspace(SIZES.find((s) => s.name === size)!).files.map((f, i) => ({
    uri: `file:///generated/ns-${String(i).padStart(4, '0')}.yaml`,
    text: f.text,
  }));

const WORKSPACES: { name: string; files: SourceFile[] }[] = [
  ...[...foldersIn('test-fixtures'), ...foldersIn('test/reading')].map((folder) => ({
    name: folder,
    files: manifestsIn(folder),
  })),
  // Every rule's bad example in one workspace: every rule has findings, some in the same file.
  { name: 'every rule’s bad example', files: RULES.flatMap((r) => examplePerDocument(r.code, r.bad)) },
  { name: 'generated small workspace', files: generated('small') },
];

/** A workspace as the CLI reads it: the pre-filter on, a few severities changed, one code off. */
function snapshotOf(files: readonly SourceFile[]): WorkspaceSnapshot {
  const service = serviceOf([]);
  return {
    settings: {
      ...service.settings(),
      severity: { [CODES.noDefaultDeny]: 'off', [CODES.dnsEgressMissing]: 'information' },
    },
    files: files.map(({ uri, text }) => ({ uri, text, relevantOnly: true })),
  };
}

/** Hands out the units of `units` in turn. */
function taker(units: readonly number[]): () => number | undefined {
  let index = 0;
  return () => units[index++];
}

/** The units 0…count-1 split in two: by `side(unit)`, true for the side with the own problems. */
function split(count: number, side: (unit: number) => boolean): [number[], number[]] {
  const all = [...Array(count).keys()];
  return [all.filter(side), all.filter((unit) => !side(unit))];
}

/** Both sides run in this thread: the merge of the parts against the serial run. */
function mergedBy(snapshot: WorkspaceSnapshot, side: (unit: number) => boolean): Problem[] {
  const here = serviceOfSnapshot(snapshot);
  const there = serviceOfSnapshot(snapshot);
  const [mine, theirs] = split(here.diagnosticUnitCount(), side);
  return mergeDiagnosticParts(
    here.diagnosticsOfUnits(taker(mine), true),
    there.diagnosticsOfUnits(taker(theirs), false),
  );
}

test('any split of the units between two services gives the serial diagnostics, in order', () => {
  const splits: [string, (unit: number) => boolean][] = [
    ['alternating', (unit) => unit % 2 === 0],
    ['the other thread first', (unit) => unit % 3 === 2],
    ['all here', () => true],
    ['all there', () => false],
  ];
  let compared = 0;
  let problems = 0;
  for (const { name, files } of WORKSPACES) {
    if (files.length === 0) continue;
    const snapshot = snapshotOf(files);
    const serial = serviceOfSnapshot(snapshot).allDiagnostics();
    for (const [how, side] of splits) assert.deepEqual(mergedBy(snapshot, side), serial, `${name}, ${how}`);
    compared++;
    problems += serial.length;
  }
  assert.ok(compared >= 20, `${compared} workspaces compared`);
  assert.ok(problems > 300, `${problems} problems compared`);
});

test('the units are each rule of the workspace, then each file', () => {
  const files = manifestsIn('test-fixtures/three-tier');
  const service = serviceOfSnapshot(snapshotOf(files));
  const workspaceRules = RULES.filter((r) => r.check && r.scope !== 'file').length;
  assert.equal(service.diagnosticUnitCount(), workspaceRules + files.length);
  // A file's unit holds its schema and API-server findings: three-tier's files have none, the bad
  // example of netpol.invalid-port has its port.
  const example = examplePerDocument(CODES.invalidPort, RULES.find((r) => r.code === CODES.invalidPort)!.bad);
  const one = serviceOfSnapshot(snapshotOf(example));
  const fileUnits = [...Array(example.length).keys()].map((i) => workspaceRules + i);
  const found = one.diagnosticsOfUnits(taker(fileUnits), false);
  assert.deepEqual(
    found.map((p) => p.code),
    [CODES.invalidPort],
  );
});

test('a snapshot holds the texts, how each was read, the unreadable files and the settings', () => {
  const service = serviceOf([{ uri: 'file:///w/a.yaml', text: 'kind: Namespace\r\nmetadata: {name: a}\n' }]);
  service.setFile('file:///w/b.yaml', 'kind: ConfigMap\n', { relevantOnly: true });
  service.setUnreadable('file:///w/fifo.yaml', 'not a regular file');
  const snapshot = service.snapshot();
  assert.deepEqual(snapshot.files, [
    { uri: 'file:///w/a.yaml', text: 'kind: Namespace\r\nmetadata: {name: a}\n', relevantOnly: false },
    { uri: 'file:///w/b.yaml', text: 'kind: ConfigMap\n', relevantOnly: true },
    { uri: 'file:///w/fifo.yaml', unreadable: 'not a regular file' },
  ]);
  assert.deepEqual(snapshot.settings, service.settings());
  const copy = serviceOfSnapshot(structuredClone(snapshot));
  assert.deepEqual(copy.allDiagnostics(), service.allDiagnostics());
  assert.ok(copy.allDiagnostics().some((p) => p.code === CODES.fileUnreadable));
});

// --- The worker thread ------------------------------------------------------------------------------

const WORKER_SOURCE = resolve('server/src/node/analysis-worker.ts');
/** The worker from its TypeScript source, as the tests run the rest (the bundle is dist/analysis-worker.js). */
const sourceWorker = () =>
  new Worker(`require('tsx/cjs'); require(${JSON.stringify(WORKER_SOURCE)});`, { eval: true });

/** The medium benchmark workspace (over MIN_PARALLEL_BYTES) with one policy of a known mistake. */
function largeWorkspace(): SourceFile[] {
  const files = generated('medium');
  files.push({
    uri: 'file:///generated/zz-bad.yaml',
    text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress:
    - ports: [{port: 5432, protocol: TCPX}]
`,
  });
  return files;
}

function loaded(snapshot: WorkspaceSnapshot): LanguageService {
  return serviceOfSnapshot(snapshot);
}

test('the worker thread answers for the units it takes, as the serial run finds them', async () => {
  const snapshot = snapshotOf(largeWorkspace());
  const bytes = snapshot.files.reduce((n, f) => n + ('text' in f ? f.text.length : 0), 0);
  assert.ok(bytes > MIN_PARALLEL_BYTES, `${bytes} bytes`);
  const serial = loaded(snapshot);
  const count = serial.diagnosticUnitCount();
  // The main thread takes nothing: the worker takes every unit.
  const worker = sourceWorker();
  const reply = await new Promise<WorkerReply>((done, failed) => {
    worker.once('message', done);
    worker.once('error', failed);
    // As the server's scan sends it: the workspace so far, then the files one by one, then the end.
    const [first, ...rest] = snapshot.files;
    const requests: WorkerRequest[] = [
      { snapshot: { ...snapshot, files: [first] }, counter: new SharedArrayBuffer(4) },
      ...rest.map((file) => ({ file: { uri: file.uri, text: 'text' in file ? file.text : '' } })),
      { end: true },
    ];
    for (const request of requests) worker.postMessage(request);
  });
  await worker.terminate();
  assert.ok(!('failure' in reply), JSON.stringify(reply));
  assert.equal(reply.unitCount, count);
  assert.deepEqual(reply.units, [...Array(count).keys()]);
  const expected = serial.diagnosticsOfUnits(taker([...Array(count).keys()]), false);
  assert.deepEqual(reply.problems, expected);
  // Written down: the policy's protocol is rejected by the API server, and the worker found it.
  assert.ok(
    reply.problems.some((p) => p.code === CODES.invalidProtocol && p.uri.endsWith('zz-bad.yaml')),
    'the invalid protocol TCPX is reported',
  );
});

test('two threads give the serial diagnostics on the medium benchmark workspace', async () => {
  const snapshot = snapshotOf(largeWorkspace());
  const serial = loaded(snapshot).allDiagnostics();
  const logs: string[] = [];
  const worker = startDiagnosticsWorker({ jobs: 2, startWorker: sourceWorker, log: (m) => logs.push(m) })!;
  worker.analyse(snapshot);
  const parallel = await worker.allDiagnostics(loaded(snapshot));
  assert.deepEqual(parallel, serial);
  assert.deepEqual(logs, []);
});

/**
 * A worker started by `body` (code run in the worker) that is handed the request after `steal` units were
 * taken from the counter in its name: so the main thread must compute them itself when it fails.
 */
function failingWorker(body: string, steal = 5): () => Worker {
  return () => {
    const worker = new Worker(body, { eval: true });
    const post = worker.postMessage.bind(worker);
    worker.postMessage = (request: WorkerRequest) => {
      if ('counter' in request) Atomics.add(new Int32Array(request.counter), 0, steal);
      post(request);
    };
    return worker;
  };
}

const ANSWER = `const { parentPort } = require('node:worker_threads');`;
const FAILURES: [string, () => Worker, RegExp][] = [
  [
    'cannot start',
    () => {
      throw new Error('no such worker');
    },
    /cannot start: Error: no such worker/,
  ],
  ['throws while loading', failingWorker(`throw new Error('broken bundle');`), /broken bundle/],
  [
    'exits without answering',
    failingWorker(`${ANSWER} parentPort.once('message', () => process.exit(3));`),
    /exited \(code 3\)/,
  ],
  [
    'answers for the wrong workspace',
    failingWorker(
      `${ANSWER} parentPort.once('message', () => parentPort.postMessage({ problems: [], units: [0, 1, 2, 3, 4], unitCount: 7, ruleErrors: [] }));`,
    ),
    /does not cover/,
  ],
  [
    'answers a failure',
    failingWorker(
      `${ANSWER} parentPort.once('message', () => parentPort.postMessage({ failure: 'out of memory' }));`,
    ),
    /out of memory/,
  ],
  [
    'answers something that cannot be read',
    failingWorker(
      `${ANSWER} parentPort.once('message', () => parentPort.postMessage({ problems: [{ uri: 'x', code: 'y', range: 1 }], units: [0, 1, 2, 3, 4], unitCount: -1, ruleErrors: [] }));`,
    ),
    /does not cover/,
  ],
];

test('a worker that fails changes no diagnostic: its share runs on the main thread, and that is logged', async () => {
  const snapshot = snapshotOf(largeWorkspace());
  const serial = loaded(snapshot).allDiagnostics();
  assert.ok(serial.length > 50, `${serial.length} problems`);
  for (const [how, startWorker, why] of FAILURES) {
    const logs: string[] = [];
    const worker = startDiagnosticsWorker({ jobs: 2, startWorker, log: (m) => logs.push(m) })!;
    worker.analyse(snapshot);
    const parallel = await worker.allDiagnostics(loaded(snapshot));
    assert.deepEqual(parallel, serial, how);
    assert.equal(logs.length, 1, `${how}: ${logs.join(' | ')}`);
    assert.match(logs[0], /^analysis worker failed \(its share ran on the main thread\): /, how);
    assert.match(logs[0], why, how);
  }
});

test('one job, or a workspace too small to pay, starts no worker and runs serially', async () => {
  let started = 0;
  const startWorker = () => {
    started++;
    return sourceWorker();
  };
  assert.equal(startDiagnosticsWorker({ jobs: 1, startWorker }), undefined);
  const small = snapshotOf(manifestsIn('test-fixtures/three-tier'));
  const worker = startDiagnosticsWorker({ jobs: 2, startWorker })!;
  worker.analyse(small);
  assert.deepEqual(await worker.allDiagnostics(loaded(small)), loaded(small).allDiagnostics());
  // Started early (before the size is known), then stopped at once: it took no unit.
  assert.equal(started, 1);
});

test('no worker for a small workspace, nor for one with a file over 1 MB (its memory would double)', () => {
  const of = (...sizes: number[]): WorkspaceSnapshot => ({
    settings: serviceOf([]).settings(),
    files: sizes.map((size, i) => ({
      uri: `file:///w/${i}.yaml`,
      text: 'x'.repeat(size),
      relevantOnly: true,
    })),
  });
  const KB = 1024;
  assert.equal(worthAWorker(of(100 * KB, 100 * KB), 2), false);
  assert.equal(worthAWorker(of(200 * KB, 200 * KB), 2), true);
  assert.equal(worthAWorker(of(200 * KB, 200 * KB), 1), false);
  assert.equal(worthAWorker(of(200 * KB, 1025 * KB), 2), false);
  assert.equal(worthAWorker(of(...Array(100).fill(700 * KB)), 2), false); // 70 MB in all
});

test('NETPOL_LENS_JOBS sets the number of threads, else there is one', () => {
  assert.equal(defaultJobs({ NETPOL_LENS_JOBS: '1' }), 1);
  assert.equal(defaultJobs({ NETPOL_LENS_JOBS: '2' }), 2);
  assert.equal(defaultJobs({ NETPOL_LENS_JOBS: '4' }), 4);
  assert.equal(defaultJobs({}), 1);
  for (const bad of ['0', '-2', '1.5', 'two', ''])
    assert.equal(defaultJobs({ NETPOL_LENS_JOBS: bad }), 1, bad);
});

test('the merge keeps the part with the own problems first where problems sort as equal', () => {
  const at = (offset: number) => ({ line: 0, character: offset, offset });
  const problem = (message: string, end: number): Problem => ({
    uri: 'file:///w/a.yaml',
    range: { start: at(3), end: at(end) },
    code: CODES.yamlSyntax,
    severity: 'error',
    message,
  });
  const own = [problem('from the parser', 9)];
  const rule = [problem('from a rule, same start and code', 7), problem('from the parser', 9)];
  // Sorted by uri, start and code; equal ones in the order found (own first), exact repeats dropped.
  assert.deepEqual(
    mergeDiagnosticParts(own, rule).map((p) => p.message),
    ['from the parser', 'from a rule, same start and code'],
  );
});

test('a service that no longer holds what the worker was sent is analysed on its own thread', async () => {
  const files = largeWorkspace();
  const snapshot = snapshotOf(files);
  const edited = loaded(snapshot);
  edited.setFile(files[3].uri, files[3].text + '\n# edited\n', { relevantOnly: true });
  const logs: string[] = [];
  const worker = startDiagnosticsWorker({ jobs: 2, startWorker: sourceWorker, log: (m) => logs.push(m) })!;
  worker.analyse(snapshot);
  assert.deepEqual(await worker.allDiagnostics(edited), edited.allDiagnostics());
  assert.deepEqual(logs, []);
});

// --- The server's first scan ------------------------------------------------------------------------

const quietConnection = { console: { error: () => {}, warn: () => {} } } as unknown as Connection;

/** The scan as the indexer runs it: an open document first, then each file read, streamed, parsed. */
function scanned(files: readonly SourceFile[], worker: DiagnosticsWorker): LanguageService {
  const service = serviceOf([]);
  service.setFile(files[0].uri, files[0].text); // open: parsed in full, before the scan
  const onRead = streamTo(worker, service);
  for (const { uri, text } of files.slice(1)) {
    onRead(uri, text);
    service.setFile(uri, text, { relevantOnly: true });
  }
  return service;
}

test('the first scan streams the files to the worker, and the service takes the shared result', async () => {
  const files = largeWorkspace();
  const worker = startDiagnosticsWorker({ jobs: 2, startWorker: sourceWorker })!;
  const service = scanned(files, worker);
  const serial = serviceOfSnapshot(service.snapshot());
  assert.equal(await computeWithWorker(quietConnection, service, worker), true);
  assert.deepEqual(service.state().diagnostics, serial.state().diagnostics);
  assert.deepEqual(service.allDiagnostics(), serial.allDiagnostics());
});

test('an edit while the worker computes drops its result: the edited workspace is analysed', async () => {
  const files = largeWorkspace();
  const worker = startDiagnosticsWorker({ jobs: 2, startWorker: sourceWorker })!;
  const service = scanned(files, worker);
  const pending = computeWithWorker(quietConnection, service, worker);
  // The edit arrives while the main thread waits for the worker's answer.
  const bad = files.at(-1)!;
  service.setFile(bad.uri, bad.text.replace('TCPX', 'TCP'));
  assert.equal(await pending, false);
  const expected = serviceOfSnapshot(service.snapshot());
  assert.deepEqual(service.allDiagnostics(), expected.allDiagnostics());
  assert.ok(!service.allDiagnostics().some((p) => p.code === CODES.invalidProtocol));
});

/** Every diagnostic dist/server.js publishes for `root` after its first scan, by uri, and what it logged. */
async function firstScanOverStdio(root: string, jobs: string) {
  const before = process.env[JOBS_VARIABLE];
  process.env[JOBS_VARIABLE] = jobs; // the child inherits it
  const client = stdioClient('dist/server.js');
  if (before === undefined) delete process.env[JOBS_VARIABLE];
  else process.env[JOBS_VARIABLE] = before;
  try {
    await initializeWorkspace(client, root);
    await client.waitFor(
      () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
      'the first full publish',
      120_000,
    );
    const diagnostics = new Map(client.published.map((p) => [p.uri, p.diagnostics]));
    const logs = client.notifications
      .filter((n) => n.method === 'window/logMessage')
      .map((n) => (n.params as { message: string }).message);
    return { diagnostics: [...diagnostics].sort(([a], [b]) => (a < b ? -1 : 1)), logs };
  } finally {
    await client.close();
  }
}

test(
  'dist/server.js publishes the same first diagnostics on one thread and on two',
  { skip: !existsSync('dist/analysis-worker.js') && 'run npm run build first' },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'netpol-first-scan-'));
    for (const file of largeWorkspace()) writeFileSync(join(root, file.uri.split('/').pop()!), file.text);
    const serial = await firstScanOverStdio(root, '1');
    const parallel = await firstScanOverStdio(root, '2');
    assert.deepEqual(parallel.diagnostics, serial.diagnostics);
    assert.ok(serial.diagnostics.length > 20, `${serial.diagnostics.length} files with diagnostics`);
    const bad = serial.diagnostics.find(([uri]) => uri.endsWith('zz-bad.yaml'));
    assert.ok(
      bad?.[1].some((d) => d.code === CODES.invalidProtocol),
      'TCPX is reported',
    );
    assert.deepEqual(
      parallel.logs.filter((m) => /worker/.test(m)),
      [],
    );
  },
);
