// The client's activation scan reads files through VS Code's file system API: it must apply the shared
// reader's rules (only regular files, the size limit, decoding by byte-order mark), or a FIFO named
// x.yaml blocks it forever and a symlink to /dev/zero never ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findManifest,
  readIfRegular,
  scanOrder,
  scanWorkspace,
  type ScanFileSystem,
} from '../../client/src/manifest-scan';

const MANIFEST = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n';

/**
 * VS Code's disk file system provider on real files: `stat` follows symlinks and says File, Directory or
 * Unknown (a FIFO, a device), with the SymbolicLink bit (64) for a link; `readFile` reads the whole file,
 * so reading a FIFO would never return. Every read is recorded.
 */
function diskFileSystem(reads: string[]): ScanFileSystem<string> {
  return {
    stat: async (path) => {
      const target = statSync(path);
      const type = target.isFile() ? 1 : target.isDirectory() ? 2 : 0;
      return { type: type | (lstatSync(path).isSymbolicLink() ? 64 : 0), size: target.size };
    },
    readFile: async (path) => {
      reads.push(path);
      return readFileSync(path);
    },
  };
}

test(
  'the activation scan never opens a FIFO or a device, and skips files over the size limit',
  { timeout: 20_000 },
  async () => {
    const root = mkdtempSync(join(tmpdir(), 'netpol-scan-'));
    const path = (name: string) => join(root, name);
    execFileSync('mkfifo', [path('a-fifo.yaml')]);
    symlinkSync('/dev/zero', path('b-zero.yaml'));
    writeFileSync(path('c-large.yaml'), MANIFEST + '#'.repeat(4096));
    writeFileSync(path('d-ci.yaml'), 'on: push\n');
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(MANIFEST, 'utf16le')]);
    writeFileSync(path('e-utf16.yaml'), utf16);
    symlinkSync(path('e-utf16.yaml'), path('f-link.yaml'));

    const reads: string[] = [];
    const fs = diskFileSystem(reads);
    const names = ['a-fifo.yaml', 'b-zero.yaml', 'c-large.yaml', 'd-ci.yaml', 'e-utf16.yaml'];
    const { found } = await findManifest(fs, names.map(path), 1024);
    assert.equal(found, path('e-utf16.yaml'), 'the UTF-16 manifest is decoded by its byte-order mark');
    assert.deepEqual(
      reads,
      [path('d-ci.yaml'), path('e-utf16.yaml')],
      'only regular files within the limit are read',
    );

    assert.equal(
      await readIfRegular(fs, path('f-link.yaml'), 1024),
      MANIFEST,
      'a symlink to a file is followed',
    );
    assert.equal(await readIfRegular(fs, path('c-large.yaml'), 1 << 20), MANIFEST + '#'.repeat(4096));
    assert.equal(await readIfRegular(fs, path('missing.yaml'), 1024), undefined);
    assert.equal(
      (await findManifest(fs, [path('d-ci.yaml')], 1024)).found,
      undefined,
      'CI YAML is no manifest',
    );
    assert.equal(
      (await findManifest(fs, names.map(path), 1024, { stop: () => true })).found,
      undefined,
      'stopped early',
    );
  },
);

/** A workspace in memory: path → text; every read is counted. */
function memoryFileSystem(files: Map<string, string>, reads: string[]): ScanFileSystem<string> {
  return {
    stat: async (path) => ({ type: 1, size: Buffer.byteLength(files.get(path) ?? '') }),
    readFile: async (path) => {
      reads.push(path);
      return Buffer.from(files.get(path) ?? '');
    },
  };
}

/** 300 CI and config files; the one manifest comes after the first 200 names VS Code lists. */
function bigWorkspace(manifestPath: string): Map<string, string> {
  const files = new Map<string, string>();
  for (let i = 0; i < 300; i++)
    files.set(`/ws/ci/job-${String(i).padStart(3, '0')}.yaml`, `on: push\nname: job ${i}\n`);
  files.set('/ws/package.json', '{"name": "x", "version": "1.0.0"}');
  const listed = [...files.keys()];
  listed.splice(250, 0, manifestPath);
  return new Map(listed.map((path) => [path, path === manifestPath ? MANIFEST : files.get(path)!]));
}

test("the activation scan finds a workspace's only manifest after the first 200 files, reading likely names first", async () => {
  // A telling name: read first, after one read.
  const hinted = bigWorkspace('/ws/deploy/shop.yaml');
  let reads: string[] = [];
  let scan = await findManifest(
    memoryFileSystem(hinted, reads),
    scanOrder([...hinted.keys()], (p) => p),
    1 << 20,
  );
  assert.equal(scan.found, '/ws/deploy/shop.yaml');
  assert.deepEqual(reads, ['/ws/deploy/shop.yaml']);

  // No telling name: found all the same, as file 251 of the list (package.json is read last).
  const plain = bigWorkspace('/ws/zz/things.yaml');
  reads = [];
  const order = scanOrder([...plain.keys()], (p) => p);
  assert.equal(order.at(-1), '/ws/package.json');
  scan = await findManifest(memoryFileSystem(plain, reads), order, 1 << 20);
  assert.equal(scan.found, '/ws/zz/things.yaml');
  assert.equal(scan.read, 251);
  assert.equal(scan.exhausted, false);
});

test('the activation scan gives up after its byte budget and says that it did', async () => {
  const files = bigWorkspace('/ws/zz/things.yaml');
  const reads: string[] = [];
  const scan = await findManifest(memoryFileSystem(files, reads), [...files.keys()], 1 << 20, {
    budgetBytes: 1000,
  });
  assert.equal(scan.found, undefined);
  assert.equal(scan.exhausted, true);
  assert.ok(scan.read < 100, `${scan.read} files read`);
  assert.equal(reads.length, scan.read);
});

test('the workspace scan lists past the first 200 files: a manifest that is file 251 starts the server', async () => {
  const files = bigWorkspace('/ws/zz/things.yaml');
  const reads: string[] = [];
  // As vscode.workspace.findFiles: at most maxResults names.
  const list = async (maxResults: number) => [...files.keys()].slice(0, maxResults);
  const scan = await scanWorkspace(list, memoryFileSystem(files, reads), (p) => p, 1 << 20);
  assert.equal(scan.found, '/ws/zz/things.yaml');
  assert.equal(scan.listed, 302);
  assert.equal(scan.gaveUp, undefined);
  // A workspace without manifests is read to its end, and nothing is said: there is nothing to start.
  files.delete('/ws/zz/things.yaml');
  const none = await scanWorkspace(list, memoryFileSystem(files, []), (p) => p, 1 << 20);
  assert.deepEqual([none.found, none.read, none.gaveUp], [undefined, 301, undefined]);
});
