// Finds the YAML files of the workspace folders on disk.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import picomatch from 'picomatch';

const ALWAYS_SKIPPED = new Set(['node_modules', '.git']);
const MANIFEST = /\.ya?ml$/i;

export function isManifestUri(uri: string): boolean {
  return uri.startsWith('file:') && MANIFEST.test(uri);
}

/** A predicate telling whether a file uri is excluded by the user's globs (relative to its folder). */
export function excluder(folders: readonly string[], globs: readonly string[]): (uri: string) => boolean {
  const match = globs.length > 0 ? picomatch([...globs], { dot: true }) : () => false;
  const roots = folders.map((f) => fileURLToPath(f));
  return (uri) => {
    if (!uri.startsWith('file:')) return false;
    const path = fileURLToPath(uri);
    if (path.split(/[\\/]/).some((segment) => ALWAYS_SKIPPED.has(segment))) return true;
    return roots.some((root) => {
      const rel = relative(root, path);
      return !rel.startsWith('..') && match(rel.split('\\').join('/'));
    });
  };
}

/** Lists manifest file uris below a folder uri. Unreadable folders are skipped. */
export async function listManifests(
  folderUri: string,
  excluded: (uri: string) => boolean,
): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(dir, entry.name);
      const uri = pathToFileURL(path).toString();
      if (entry.isDirectory()) {
        if (!ALWAYS_SKIPPED.has(entry.name) && !excluded(uri)) await walk(path);
      } else if (entry.isFile() && MANIFEST.test(entry.name) && !excluded(uri)) {
        found.push(uri);
      }
    }
  };
  await walk(fileURLToPath(folderUri));
  return found.sort();
}

export async function readManifest(uri: string): Promise<string | undefined> {
  try {
    return await readFile(fileURLToPath(uri), 'utf8');
  } catch {
    return undefined;
  }
}
