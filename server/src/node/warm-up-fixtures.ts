// What the build has a bundle do before it writes the bundle's code cache (code-cache.ts): its main work
// on the repository's own fixtures, so that the cache holds the bytecode of the functions that work runs.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isManifestName } from './manifest-files';

/** The fixture folders of the repository the bundle was built in (none once it is moved away from it). */
export function fixtureFolders(bundleDir: string): string[] {
  const root = join(bundleDir, '..', 'test-fixtures');
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(root, entry.name))
    .sort();
}

/** The manifests under a folder, with their texts. */
export function manifestsIn(folder: string): { uri: string; text: string }[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && isManifestName(entry.name))
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name))
    .sort()
    .map((path) => ({ uri: pathToFileURL(path).toString(), text: readFileSync(path, 'utf8') }));
}
