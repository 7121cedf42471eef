// Collects the manifest files named on the command line (files, or folders searched recursively) with the
// walker and reader the language server uses too (node/manifest-files.ts).
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { SourceFile } from '../core/index';
import {
  DEFAULT_MAX_FILE_MB,
  pathExcluder,
  readManifestFileSync,
  walkManifests,
} from '../node/manifest-files';

export interface LoadOptions {
  /** Globs of paths to leave out, relative to each folder argument. */
  exclude?: readonly string[];
  /** Files larger than this are skipped with a problem. */
  maxFileMB?: number;
}

export interface LoadResult {
  files: SourceFile[];
  /** Files found but not read (not a regular file, too large, not decodable), with the reason. */
  unreadable: { uri: string; reason: string }[];
  /** Paths that do not exist and folders that cannot be searched. */
  errors: string[];
}

/** The characters of the largest of the files (0 for none). */
export function largestFileChars(files: readonly SourceFile[]): number {
  return files.reduce((largest, file) => Math.max(largest, file.text.length), 0);
}

export async function loadFiles(paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult> {
  const result: LoadResult = { files: [], unreadable: [], errors: [] };
  const maxBytes = (options.maxFileMB ?? DEFAULT_MAX_FILE_MB) * 1024 * 1024;
  const names: string[] = [];
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = (await stat(path)).isDirectory(); // follows symlinks, as the walker does
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      result.errors.push(
        `cannot read ${path}: ${code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`,
      );
      continue;
    }
    if (!isFolder) {
      names.push(path); // named explicitly: read whatever its extension (if it is a regular file)
      continue;
    }
    const walked = await walkManifests(path, pathExcluder([resolve(path)], options.exclude ?? []));
    names.push(...walked.files);
    for (const { path: skipped, reason } of walked.skipped) {
      if (reason.startsWith('cannot read folder')) result.errors.push(`${skipped}: ${reason}`);
      else result.unreadable.push({ uri: skipped, reason });
    }
  }
  for (const name of [...new Set(names)]) {
    const read = readManifestFileSync(name, maxBytes);
    if ('text' in read) result.files.push({ uri: name, text: read.text });
    else result.unreadable.push({ uri: name, reason: read.error });
  }
  return result;
}
