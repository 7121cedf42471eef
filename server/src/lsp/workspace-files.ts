// The workspace's manifest files for the server, as file: URIs, through the walker and reader the CLI
// uses too (node/manifest-files.ts): one set of extensions, exclude rules, symlink and special-file rules.
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  isManifestName,
  isWalkedPath,
  pathExcluder,
  readManifestFile,
  walkManifests,
  type ReadResult,
} from '../node/manifest-files';

export function isManifestUri(uri: string): boolean {
  return uri.startsWith('file:') && isManifestName(uri);
}

/** A predicate telling whether a file uri is excluded by the user's globs (relative to its folder). */
export function excluder(folders: readonly string[], globs: readonly string[]): (uri: string) => boolean {
  const excluded = pathExcluder(
    folders.map((f) => fileURLToPath(f)),
    globs,
  );
  return (uri) => uri.startsWith('file:') && excluded(fileURLToPath(uri));
}

/**
 * Manifest file uris below a folder uri, those found but not readable (FIFOs, devices) with why, and the
 * folders searched (real path → the path searched by) for {@link isWalkedUri}.
 */
export async function listManifests(
  folderUri: string,
  excluded: (uri: string) => boolean,
): Promise<{
  uris: string[];
  unreadable: { uri: string; reason: string }[];
  folders: Map<string, string>;
}> {
  const walked = await walkManifests(fileURLToPath(folderUri), (path) =>
    excluded(pathToFileURL(path).toString()),
  );
  return {
    uris: walked.files.map((path) => pathToFileURL(path).toString()),
    unreadable: walked.skipped.map(({ path, reason }) => ({ uri: pathToFileURL(path).toString(), reason })),
    folders: walked.folders,
  };
}

/** False for a file event that reaches a scanned file a second way (through a symlinked folder or a loop). */
export function isWalkedUri(uri: string, folders: ReadonlyMap<string, string>): Promise<boolean> {
  return isWalkedPath(fileURLToPath(uri), folders);
}

export async function readManifest(uri: string, maxFileMB: number): Promise<ReadResult> {
  return readManifestFile(fileURLToPath(uri), maxFileMB * 1024 * 1024);
}
