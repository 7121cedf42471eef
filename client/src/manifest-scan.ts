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

/** Names that suggest Kubernetes manifests: read first, so a manifest deep in a big workspace is found soon. */
const LIKELY =
  /(?:^|[/._-])(?:k8s|kube|kubernetes|manifests?|deploy(?:ments?|ment)?|netpol|network-?polic(?:y|ies)|polic(?:y|ies)|namespaces?|charts?|helm|overlays?|kustomize)(?:[/._-]|$)/i;
/** Files that are never manifests, though YAML or JSON (package metadata, editor and CI configuration): read last. */
const UNLIKELY =
  /(?:^|\/)(?:package(?:-lock)?\.json|tsconfig[^/]*\.json|composer\.json|renovate\.json|\.eslintrc[^/]*|\.github\/|\.vscode\/|\.gitlab-ci\.ya?ml)/i;

/** `uris` in the order the scan reads them: likely names first, unlikely ones last, else as given. */
export function scanOrder<U>(uris: readonly U[], pathOf: (uri: U) => string): U[] {
  const rank = (uri: U) => {
    const path = pathOf(uri);
    return UNLIKELY.test(path) ? 2 : LIKELY.test(path) ? 0 : 1;
  };
  return uris
    .map((uri, index) => ({ uri, index, rank: rank(uri) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map((entry) => entry.uri);
}

export interface ScanResult<U> {
  /** The first file read that holds a Kubernetes manifest. */
  found?: U;
  /** How many files were read. */
  read: number;
  /** True when the scan stopped because it had read `budgetBytes` (the rest of `uris` is unread). */
  exhausted: boolean;
}

/**
 * The first of `uris` that holds a Kubernetes manifest, reading them in order until one does, `stop()`
 * says so, or `budgetBytes` have been read (then `exhausted`, so the caller can say the scan gave up).
 */
export async function findManifest<U>(
  fs: ScanFileSystem<U>,
  uris: readonly U[],
  maxBytes: number,
  options: { stop?: () => boolean; budgetBytes?: number } = {},
): Promise<ScanResult<U>> {
  const { stop = () => false, budgetBytes = Infinity } = options;
  let read = 0;
  let bytes = 0;
  for (const uri of uris) {
    if (stop()) return { read, exhausted: false };
    if (bytes >= budgetBytes) return { read, exhausted: true };
    const text = await readIfRegular(fs, uri, maxBytes);
    if (text === undefined) continue;
    read++;
    bytes += text.length;
    if (looksLikeKubernetes(text)) return { found: uri, read, exhausted: false };
  }
  return { read, exhausted: false };
}

/** The activation scan lists at most this many YAML and JSON files (names only: listing is cheap). */
export const SCAN_MAX_FILES = 100_000;
/** … and reads at most this many bytes of them before it gives up (and says so). */
export const SCAN_BUDGET_BYTES = 64 * 1024 * 1024;

export interface WorkspaceScan<U> extends ScanResult<U> {
  /** How many files were listed. */
  listed: number;
  /** What to tell the user when the scan gave up before it had read every file; undefined otherwise. */
  gaveUp?: string;
}

/**
 * Does the workspace hold a Kubernetes manifest? `list(max)` lists its YAML and JSON files as
 * `vscode.workspace.findFiles` does (at most `max`); they are read likely names first.
 */
export async function scanWorkspace<U>(
  list: (maxResults: number) => PromiseLike<readonly U[]>,
  fs: ScanFileSystem<U>,
  pathOf: (uri: U) => string,
  maxBytes: number,
  stop: () => boolean = () => false,
): Promise<WorkspaceScan<U>> {
  const files = await list(SCAN_MAX_FILES);
  const scan = await findManifest(fs, scanOrder(files, pathOf), maxBytes, {
    stop,
    budgetBytes: SCAN_BUDGET_BYTES,
  });
  const incomplete = !scan.found && (scan.exhausted || files.length >= SCAN_MAX_FILES);
  const gaveUp = incomplete
    ? `No Kubernetes manifest found in the ${scan.read} YAML/JSON files read (of ${files.length} listed); the scan stops there. Open a manifest to start NetPol Lens.`
    : undefined;
  return { ...scan, listed: files.length, gaveUp };
}
