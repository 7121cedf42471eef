// Finding and reading manifest files, shared by the CLI and the language server so that both see the
// same files: `.yaml`, `.yml` and `.json`, searched recursively, symlinks followed (with loop detection),
// one set of exclude globs, only regular files (a FIFO or a device is never opened), a size limit per
// file, and text decoded by its byte-order mark as kubectl decodes it.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, extname, join, relative } from 'node:path';
import picomatch from 'picomatch';

export const MANIFEST_EXTENSIONS: readonly string[] = ['.yaml', '.yml', '.json'];
/** Folders never searched. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git']);
/** The default per-file size limit (setting `netpolLens.maxFileSizeMB`, CLI `--max-file-size`). */
export const DEFAULT_MAX_FILE_MB = 50;

export function isManifestName(name: string): boolean {
  return MANIFEST_EXTENSIONS.includes(extname(name).toLowerCase());
}

/** A predicate telling whether a path is excluded: below a skipped folder, or matched by a glob relative to a root. */
export function pathExcluder(roots: readonly string[], globs: readonly string[]): (path: string) => boolean {
  const match = globs.length > 0 ? picomatch([...globs], { dot: true }) : () => false;
  return (path) => {
    if (path.split(/[\\/]/).some((segment) => SKIPPED_FOLDERS.has(segment))) return true;
    return roots.some((root) => {
      const rel = relative(root, path);
      return rel !== '' && !rel.startsWith('..') && match(rel.split('\\').join('/'));
    });
  };
}

export interface WalkResult {
  /** Manifest files found, sorted. */
  files: string[];
  /** Paths that could not be searched or that are not regular files, with the reason. */
  skipped: { path: string; reason: string }[];
  /** Each folder searched: its real path → the path it was searched by (the first way in). */
  folders: Map<string, string>;
}

/**
 * The manifest files below a folder. Symlinks are followed; a folder reached again through a link (a
 * loop, or a second way in) is searched once. Entries that are neither regular files nor folders after
 * following links (FIFOs, sockets, devices) are skipped without being opened.
 */
export async function walkManifests(
  folder: string,
  excluded: (path: string) => boolean,
): Promise<WalkResult> {
  const result: WalkResult = { files: [], skipped: [], folders: new Map() };
  const visited = result.folders;
  const walk = async (dir: string): Promise<void> => {
    let real: string;
    let entries;
    try {
      real = await realpath(dir);
      if (visited.has(real)) return; // a symlink loop, or a folder linked twice
      visited.set(real, dir);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      result.skipped.push({ path: dir, reason: `cannot read folder: ${reason(error)}` });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (excluded(path)) continue;
      let isFolder = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(path); // follows the link
          isFolder = target.isDirectory();
          isFile = target.isFile();
        } catch (error) {
          if (isManifestName(entry.name))
            result.skipped.push({ path, reason: `broken symlink: ${reason(error)}` });
          continue;
        }
      }
      if (isFolder) {
        if (!SKIPPED_FOLDERS.has(entry.name)) await walk(path);
      } else if (isManifestName(entry.name)) {
        if (isFile) result.files.push(path);
        else result.skipped.push({ path, reason: 'not a regular file (a FIFO, socket or device)' });
      }
    }
  };
  await walk(folder);
  result.files.sort();
  return result;
}

/**
 * Whether a file event's path is the one the walk reaches its file by: false for the same file seen
 * through a second way into a folder (a symlinked folder, a loop), which the walk reads once. A folder
 * the walk has not seen (created since) counts by its nearest searched ancestor.
 */
export async function isWalkedPath(path: string, folders: ReadonlyMap<string, string>): Promise<boolean> {
  let real: string;
  try {
    real = await realpath(dirname(path));
  } catch {
    return true; // gone, or not readable: the read reports it
  }
  for (let ancestor = real, rest = ''; ;) {
    const searchedAs = folders.get(ancestor);
    if (searchedAs !== undefined) return join(searchedAs, rest) === dirname(path);
    const parent = dirname(ancestor);
    if (parent === ancestor) return true; // outside every searched folder
    rest = join(basename(ancestor), rest);
    ancestor = parent;
  }
}

export type ReadResult = { text: string } | { error: string };

/**
 * Reads one manifest: only a regular file (after following symlinks), at most `maxBytes`, decoded by
 * its byte-order mark. The file is opened non-blocking and checked again after opening, so a FIFO that
 * replaced a file since the walk is never waited on.
 */
export async function readManifestFile(path: string, maxBytes: number): Promise<ReadResult> {
  let handle;
  try {
    const refused = refusal(await stat(path), maxBytes);
    if (refused) return refused;
    handle = await open(path, READ_FLAGS);
    const opened = await handle.stat();
    const refusedOpened = refusal(opened, maxBytes);
    if (refusedOpened) return refusedOpened;
    const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
    for (let length = 0; ;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      const next = afterRead(buffer, length, bytesRead, maxBytes);
      if (typeof next !== 'number') return next;
      length = next;
    }
  } catch (error) {
    return { error: reason(error) };
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/**
 * {@link readManifestFile} with synchronous calls, for the CLI, which has nothing to do while it reads:
 * each of the half-dozen calls of a file read the other way is a round trip through libuv's thread pool
 * (reading 101 files took 50-130 ms of wall time that way, 2-15 ms this way). The server keeps the other
 * one, so that it answers requests between the files of a scan.
 */
export function readManifestFileSync(path: string, maxBytes: number): ReadResult {
  let fd: number | undefined;
  try {
    const refused = refusal(statSync(path), maxBytes);
    if (refused) return refused;
    fd = openSync(path, READ_FLAGS);
    const opened = fstatSync(fd);
    const refusedOpened = refusal(opened, maxBytes);
    if (refusedOpened) return refusedOpened;
    const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
    for (let length = 0; ;) {
      const next = afterRead(
        buffer,
        length,
        readSync(fd, buffer, length, buffer.length - length, null),
        maxBytes,
      );
      if (typeof next !== 'number') return next;
      length = next;
    }
  } catch (error) {
    return { error: reason(error) };
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

/**
 * After a read of `bytesRead` bytes into `buffer` (one byte larger than the file's size, or than the
 * limit, so that growth shows), which held `length`: the length to read on from, or the outcome.
 */
function afterRead(buffer: Buffer, length: number, bytesRead: number, maxBytes: number): number | ReadResult {
  const read = length + bytesRead;
  if (read > maxBytes) return { error: tooLarge(read, maxBytes) };
  if (bytesRead === 0 || read === buffer.length) return decodeManifest(buffer.subarray(0, read));
  return read;
}

/** Non-blocking: opening a FIFO for reading would otherwise wait for a writer. */
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

/** Why a file with these stats is not read (not a regular file, too large), or undefined. */
function refusal(stats: Stats, maxBytes: number): ReadResult | undefined {
  if (!stats.isFile()) return { error: 'not a regular file (a FIFO, socket or device)' };
  if (stats.size > maxBytes) return { error: tooLarge(stats.size, maxBytes) };
  return undefined;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Nothing to do: the text was read, or the error that stopped the read is reported.
  }
}

function tooLarge(size: number, maxBytes: number): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
  return `larger than the size limit of ${mb(maxBytes)} (${size >= maxBytes ? 'at least ' : ''}${mb(size)}; limit: netpolLens.maxFileSizeMB, --max-file-size)`;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const UTF16LE = new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true });
const UTF16BE = new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true });

/**
 * Decodes a manifest as kubectl does: a UTF-8, UTF-16 LE or UTF-16 BE byte-order mark picks the encoding
 * (and is dropped); without one the text must be UTF-8. Bytes that do not decode, and NUL characters
 * (which YAML and JSON forbid), make the file undecodable, reported instead of read as garbage.
 */
export function decodeManifest(bytes: Uint8Array): ReadResult {
  let decoder = UTF8;
  let start = 0;
  let encoding = 'UTF-8';
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) start = 3;
  else if (bytes[0] === 0xff && bytes[1] === 0xfe) [decoder, start, encoding] = [UTF16LE, 2, 'UTF-16 LE'];
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) [decoder, start, encoding] = [UTF16BE, 2, 'UTF-16 BE'];
  let text: string;
  try {
    text = decoder.decode(bytes.subarray(start));
  } catch {
    return {
      error: `cannot be decoded as ${encoding}${start === 0 ? ' (no byte-order mark)' : ''}`,
    };
  }
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return { error: `contains a NUL character (as ${encoding})` };
  return { text };
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return (error as Error).message;
}
