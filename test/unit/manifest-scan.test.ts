// The client's activation scan reads files through VS Code's file system API: it must apply the shared
// reader's rules (only regular files, the size limit, decoding by byte-order mark), or a FIFO named
// x.yaml blocks it forever and a symlink to /dev/zero never ends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findManifest, readIfRegular, type ScanFileSystem } from '../../client/src/manifest-scan';

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
    const found = await findManifest(fs, names.map(path), 1024);
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
    assert.equal(await findManifest(fs, [path('d-ci.yaml')], 1024), undefined, 'CI YAML is no manifest');
    assert.equal(await findManifest(fs, names.map(path), 1024, () => true), undefined, 'stopped early');
  },
);
