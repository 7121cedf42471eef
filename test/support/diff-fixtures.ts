// The connectivity diff fixtures (test-fixtures/diff): `base/` is OLD, each case folder an overlay on it.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SourceFile } from '../../server/src/core/index';

const ROOT = join('test-fixtures', 'diff');

function manifests(folder: string): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(entry.name))
        found.set(relative(folder, path), readFileSync(path, 'utf8'));
    }
  };
  walk(folder);
  return found;
}

function asFiles(files: Map<string, string>, folder: string): SourceFile[] {
  return [...files]
    .map(([name, text]) => ({ uri: pathToFileURL(resolve(folder, name)).toString(), text }))
    .sort((a, b) => (a.uri < b.uri ? -1 : 1));
}

/** OLD: the base workspace. */
export function diffBase(): SourceFile[] {
  return asFiles(manifests(join(ROOT, 'base')), join(ROOT, 'base'));
}

/** NEW for a case: the base with the case's files added or replacing the base ones (as one folder). */
export function diffCase(name: string): SourceFile[] {
  const merged = new Map([...manifests(join(ROOT, 'base')), ...manifests(join(ROOT, name))]);
  return asFiles(merged, join(ROOT, name));
}

/** Every case folder. */
export function diffCaseNames(): string[] {
  return readdirSync(ROOT, { withFileTypes: true })
    .filter((e) => e.isDirectory() && e.name !== 'base')
    .map((e) => e.name)
    .sort();
}

/** The line `diff A B` has for a line of `diff B A`: added ↔ removed (also in the workloads info), ref1 ↔ ref2. */
export function mirrorDiffLine(text: string): string {
  const match =
    /^diff-type: (\w+), (source: .*, destination: .*), ref1: (.*), ref2: (.*?)(, workloads-diff-info: .*)?$/.exec(
      text,
    );
  if (!match) throw new Error(`not a diff line: ${text}`);
  const swap = (type: string) => (type === 'added' ? 'removed' : type === 'removed' ? 'added' : type);
  const info = match[5]?.replace(/ (added|removed)$/, (_, t: string) => ` ${swap(t)}`) ?? '';
  return `diff-type: ${swap(match[1])}, ${match[2]}, ref1: ${match[4]}, ref2: ${match[3]}${info}`;
}
