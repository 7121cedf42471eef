// The activation scan: does the workspace hold a Kubernetes manifest? It reads files through VS Code's
// file system API, so it applies the rules of the shared reader (server/src/node/manifest-files.ts)
// itself: only regular files (a FIFO named x.yaml would block the read forever, a symlink to /dev/zero
// would never end), within the size limit, decoded by their byte-order mark.
import { decodeManifest } from '../../server/src/node/manifest-files';
import { looksLikeKubernetes } from './manifest-detect';

/** `vscode.FileType.File`: a regular file, after following symlinks (`SymbolicLink` may be set too). */
export const FILE_TYPE_FILE = 1;

/** The part of `vscode.workspace.fs` the scan uses (injected, so the rules can be tested without VS Code). */
export interface ScanFileSystem<U> {
  stat(uri: U): PromiseLike<{ type: number; size: number }>;
  readFile(uri: U): PromiseLike<Uint8Array>;
}

/** The text of a file the shared reader would read, or undefined (not a regular file, too large, undecodable). */
export async function readIfRegular<U>(
  fs: ScanFileSystem<U>,
  uri: U,
  maxBytes: number,
): Promise<string | undefined> {
  const stat = await Promise.resolve(fs.stat(uri)).catch(() => undefined);
  if (!stat || (stat.type & FILE_TYPE_FILE) === 0 || stat.size > maxBytes) return undefined;
  const bytes = await Promise.resolve(fs.readFile(uri)).catch(() => undefined);
  if (!bytes || bytes.length > maxBytes) return undefined;
  const read = decodeManifest(bytes);
  return 'text' in read ? read.text : undefined;
}

/** The first of `uris` that holds a Kubernetes manifest; `stop()` ends the scan early. */
export async function findManifest<U>(
  fs: ScanFileSystem<U>,
  uris: readonly U[],
  maxBytes: number,
  stop: () => boolean = () => false,
): Promise<U | undefined> {
  for (const uri of uris) {
    if (stop()) return undefined;
    const text = await readIfRegular(fs, uri, maxBytes);
    if (text !== undefined && looksLikeKubernetes(text)) return uri;
  }
  return undefined;
}
