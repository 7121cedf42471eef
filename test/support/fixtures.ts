// Fixture workspaces and cursor positions for the editor-feature tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createLanguageService,
  DEFAULT_SETTINGS,
  type LanguageService,
  type Settings,
  type SourceFile,
} from '../../server/src/core/index';

/** Every manifest of a fixture folder, as `netpol-lens` would read it (recursively, file: uris). */
export function loadFixture(folder: string): SourceFile[] {
  const files: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(ya?ml|json)$/.test(entry.name))
        files.push({ uri: pathToFileURL(resolve(path)).toString(), text: readFileSync(path, 'utf8') });
    }
  };
  walk(join('test-fixtures', folder));
  return files.sort((a, b) => (a.uri < b.uri ? -1 : 1));
}

/** Every manifest under any folder (recursively, file: uris), in the order of their paths there. */
export function manifestsIn(folder: string): SourceFile[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => ({
      uri: pathToFileURL(resolve(folder, f)).toString(),
      text: readFileSync(join(folder, f), 'utf8'),
    }));
}

/** The folders directly under `root`, as paths joined to it. */
export function foldersIn(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => join(root, d.name));
}

/** The file whose uri ends with `suffix`. */
export function fileOf(files: SourceFile[], suffix: string): SourceFile {
  const file = files.find((f) => f.uri.endsWith(`/${suffix}`));
  if (!file) throw new Error(`no fixture file ${suffix}`);
  return file;
}

/**
 * The offset of a cursor written as `|` inside `needle`, searched in `text` (the `nth` occurrence):
 * `cursor(text, 'podSelector: {|}')` is the offset between the braces.
 */
export function cursor(text: string, needle: string, nth = 0): number {
  const bar = needle.indexOf('|');
  if (bar < 0) throw new Error(`no | in ${needle}`);
  const plain = needle.slice(0, bar) + needle.slice(bar + 1);
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(plain, at + 1);
    if (at < 0) throw new Error(`"${plain}" (#${nth}) not found`);
  }
  return at + bar;
}

/** An inline document with one `|` cursor marker → the text without it and the cursor offset. */
export function withCursor(marked: string): { text: string; offset: number } {
  const offset = marked.indexOf('|');
  if (offset < 0) throw new Error('no | marker');
  return { text: marked.slice(0, offset) + marked.slice(offset + 1), offset };
}

/** 0-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length - 1;
}

/** Markdown with backslash escapes and bold markers removed: the text a reader sees. */
export function unescapeMarkdown(markdown: string): string {
  return markdown.replace(/(?<!\\)\*\*/g, '').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/**
 * A language service holding `files`: how tests reach the core (through its door). A rule or feature
 * that throws fails the test unless `onError` says otherwise.
 */
export function serviceOf(
  files: readonly SourceFile[],
  settings: Partial<Settings> = {},
  onError: (what: string, error: unknown) => void = (what, error) => {
    throw new Error(`${what} failed: ${String(error)}`);
  },
): LanguageService {
  const service = createLanguageService({ onError });
  service.setSettings({ ...DEFAULT_SETTINGS, ...settings });
  for (const file of files) service.setFile(file.uri, file.text);
  return service;
}
