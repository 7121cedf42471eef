// Collects the manifest files named on the command line (files, or folders searched recursively).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { SourceFile } from '../core/index';

const EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

export interface LoadResult {
  files: SourceFile[];
  errors: string[];
}

function walk(folder: string, out: string[], errors: string[]): void {
  let entries;
  try {
    entries = readdirSync(folder, { withFileTypes: true });
  } catch (error) {
    errors.push(`cannot read folder ${folder}: ${(error as Error).message}`);
    return;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) walk(path, out, errors);
    } else if (EXTENSIONS.has(extname(entry.name).toLowerCase())) {
      out.push(path);
    }
  }
}

export function loadFiles(paths: readonly string[]): LoadResult {
  const errors: string[] = [];
  const names: string[] = [];
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      errors.push(
        `cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`,
      );
      continue;
    }
    if (isFolder) walk(path, names, errors);
    else names.push(path);
  }
  const files: SourceFile[] = [];
  for (const name of [...new Set(names)]) {
    try {
      files.push({ uri: name, text: readFileSync(name, 'utf8') });
    } catch (error) {
      errors.push(`cannot read ${name}: ${(error as Error).message}`);
    }
  }
  return { files, errors };
}
