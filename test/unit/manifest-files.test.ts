// Special files, encodings and size limits: the CLI and the language server read the same files the same
// way (server/src/node/manifest-files.ts). A FIFO is never opened, a symlink to a device never read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../server/src/cli/main';
import {
  decodeManifest,
  readManifestFile,
  readManifestFileSync,
  walkManifests,
  pathExcluder,
} from '../../server/src/node/manifest-files';
import { parseFile } from '../../server/src/core/index';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
`;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** A folder with a good manifest, a FIFO, a symlink to /dev/zero, a symlink loop and a broken link. */
function hostileFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'netpol-special-'));
  writeFileSync(join(root, 'pod.yaml'), POD);
  execFileSync('mkfifo', [join(root, 'fifo.yaml')]);
  symlinkSync('/dev/zero', join(root, 'zero.yaml'));
  mkdirSync(join(root, 'sub'));
  symlinkSync(root, join(root, 'sub', 'loop')); // a folder loop
  symlinkSync(join(root, 'missing.yaml'), join(root, 'broken.yaml'));
  symlinkSync(join(root, 'pod.yaml'), join(root, 'sub', 'linked-pod.yaml')); // followed
  return root;
}

test('the walker follows symlinks once, never opens FIFOs or devices, and names what it skips', async () => {
  const root = hostileFolder();
  const walked = await walkManifests(root, pathExcluder([root], []));
  assert.deepEqual(walked.files, [join(root, 'pod.yaml'), join(root, 'sub', 'linked-pod.yaml')]);
  assert.deepEqual(walked.skipped.map((s) => s.path).sort(), [
    join(root, 'broken.yaml'),
    join(root, 'fifo.yaml'),
    join(root, 'zero.yaml'),
  ]);
});

test('check on a folder with a FIFO, a /dev/zero link and a loop finishes and reports each file', async () => {
  const root = hostileFolder();
  const { code, out } = await cli('check', '--no-implicit', root);
  assert.equal(code, 1);
  const unreadable = out.split('\n').filter((l) => l.includes('netpol.file-unreadable'));
  assert.equal(unreadable.length, 3, out);
  assert.ok(
    unreadable.some((l) => l.startsWith(join(root, 'fifo.yaml')) && l.includes('not a regular file')),
  );
  const reach = await cli('reach', '--no-implicit', '-q', root);
  assert.match(reach.out, /shop\/web\[Pod\]/);
  assert.equal(reach.code, 1);
});

test('files above the size limit are skipped with a problem (--max-file-size)', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-size-'));
  writeFileSync(join(root, 'big.yaml'), POD + `#${'x'.repeat(2000)}\n`);
  writeFileSync(join(root, 'small.yaml'), POD.replace('web', 'api'));
  const { code, out } = await cli('check', '--no-implicit', '--max-file-size', '0.001', root);
  assert.equal(code, 1);
  assert.match(out, /big\.yaml:1:1 error netpol\.file-unreadable File not read: larger than the size limit/);
  assert.doesNotMatch(out, /small\.yaml/);
  assert.ok('error' in (await readManifestFile(join(root, 'big.yaml'), 1000)));
  assert.ok('text' in (await readManifestFile(join(root, 'big.yaml'), 10_000)));
});

test("the CLI's synchronous reader reads and refuses exactly what the server's reader does", async () => {
  const root = hostileFolder();
  writeFileSync(join(root, 'big.yaml'), POD + `#${'x'.repeat(2000)}\n`);
  writeFileSync(join(root, 'latin1.yaml'), Buffer.from([0x6b, 0x69, 0x6e, 0x64, 0x3a, 0x20, 0xe9]));
  writeFileSync(join(root, 'bom.yaml'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POD)]));
  const names = ['pod.yaml', 'fifo.yaml', 'zero.yaml', 'broken.yaml', 'sub', 'sub/linked-pod.yaml'];
  names.push('big.yaml', 'latin1.yaml', 'bom.yaml', 'missing.yaml');
  const outcomes = new Set<string>();
  for (const name of names) {
    for (const limit of [1000, 10_000]) {
      const path = join(root, name);
      const read = readManifestFileSync(path, limit);
      assert.deepEqual(read, await readManifestFile(path, limit), `${name}, limit ${limit}`);
      outcomes.add('text' in read ? 'text' : read.error.split(':')[0]);
    }
  }
  // Read, refused as special, as too large, as undecodable, as missing: each way is compared.
  assert.ok(outcomes.size >= 5, [...outcomes].join(' | '));
  assert.deepEqual(readManifestFileSync(join(root, 'bom.yaml'), 10_000), { text: POD });
});

test('--exclude leaves out matching files, relative to the folder', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-exclude-'));
  mkdirSync(join(root, 'generated'));
  writeFileSync(join(root, 'pod.yaml'), POD);
  writeFileSync(
    join(root, 'generated', 'pod.json'),
    JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'gen', namespace: 'shop' } }),
  );
  assert.match((await cli('reach', '--no-implicit', root)).out, /shop\/gen\[Pod\]/);
  const excluded = await cli('reach', '--no-implicit', '--exclude', 'generated/**', root);
  assert.doesNotMatch(excluded.out, /shop\/gen\[Pod\]/);
  assert.match(excluded.out, /shop\/web\[Pod\]/);
});

test('text is decoded by its byte-order mark: UTF-8, UTF-16 LE and BE; anything else is reported', () => {
  const utf16le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]);
  const utf16be = Buffer.from(utf16le.subarray(2)).swap16();
  const cases: [string, Uint8Array][] = [
    ['no BOM', Buffer.from(POD)],
    ['UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(POD)])],
    ['UTF-16 LE', utf16le],
    ['UTF-16 BE', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be])],
  ];
  for (const [what, bytes] of cases) assert.deepEqual(decodeManifest(bytes), { text: POD }, what);
  assert.match(
    (decodeManifest(Buffer.from([0x61, 0xff, 0x62])) as { error: string }).error,
    /cannot be decoded as UTF-8/,
  );
  // UTF-16 without a BOM reads as UTF-8 with NULs: reported, never analysed as garbage.
  assert.match((decodeManifest(Buffer.from(POD, 'utf16le')) as { error: string }).error, /NUL/);
});

test('a UTF-16 file is analysed by the CLI', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-utf16-'));
  writeFileSync(
    join(root, 'pod.yaml'),
    Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(POD, 'utf16le')]),
  );
  const { code, out } = await cli('reach', '--no-implicit', root);
  assert.equal(code, 0);
  assert.match(out, /shop\/web\[Pod\]/);
});

test('CR-only line endings are line ends: problems land on their own lines', () => {
  const text = POD.replace('app: web', 'app: 7').replace(/\n/g, '\r');
  const parsed = parseFile('file:///cr.yaml', text);
  assert.deepEqual(
    parsed.objects.map((o) => o.kind),
    ['Pod'],
  );
  const problems = parseFile('file:///cr.yaml', text + 'spec: [\r').problems;
  assert.ok(
    problems.every((p) => p.range.start.line > 0),
    JSON.stringify(problems.map((p) => p.range.start)),
  );
});

test('the server skips FIFOs in its scan and in watched-file events, and later changes still arrive', async () => {
  const root = hostileFolder();
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  try {
    await initializeWorkspace(client, root, {
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
    });
    const fifo = pathToFileURL(join(root, 'fifo.yaml')).toString();
    const published = await client.waitFor(() => client.latest(fifo), 'diagnostics for the FIFO');
    assert.deepEqual(
      published.diagnostics.map((d) => d.code),
      ['netpol.file-unreadable'],
    );
    // Announce the FIFO many times (more than the I/O thread pool), then a real change.
    const changes = Array.from({ length: 32 }, () => ({ uri: fifo, type: 2 }));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
    const late = join(root, 'late.yaml');
    writeFileSync(late, POD.replace('labels:\n    app: web', 'labels:\n    app: 7'));
    const lateUri = pathToFileURL(late).toString();
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: lateUri, type: 1 }],
    });
    const lateProblems = await client.waitFor(() => client.latest(lateUri), 'diagnostics for late.yaml');
    assert.ok(lateProblems.diagnostics.some((d) => d.code === 'netpol.type'));
  } finally {
    await client.close();
  }
});
