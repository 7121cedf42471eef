// The comparison with a base in the editor: reads the base (a git revision of the workspace folders, or
// another folder) in this Node adapter, hands it to the service (which diffs every analysis against it
// and puts the comparison diagnostics among the others), and answers the comparison request. The base is
// read and analysed once per commit: HEAD moving (a commit, a checkout) is noticed on saves and every
// few seconds.
import { statSync } from 'node:fs';
import { isAbsolute, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Connection, ResponseError } from 'vscode-languageserver/node';
import type { LanguageService, SourceFile } from '../core/index';
import { GitError, readRevisionFiles, resolveCommit } from '../git/revision-files';
import { COMPARE, type CompareBase, type CompareParams, type CompareResult } from '../protocol';
import type { DiagnosticsPublisher } from './diagnostics-publisher';
import { runSafe } from './run-safe';
import { DEFAULT_MAX_FILE_MB } from '../node/manifest-files';
import { excluder, isManifestUri, listManifests, readManifest } from './workspace-files';

/** How often HEAD (or the compared branch) is checked for having moved. */
const POLL_MS = 5000;

export interface ComparisonController {
  /**
   * Re-reads the base when it is another one, or its revision now names another commit, then schedules a
   * publish when the comparison changed. A base read before `applyAfter` settles is handed to the service
   * only then (the first scan publishes the workspace's diagnostics before the comparison's).
   */
  refresh(options?: { applyAfter?: Promise<unknown> }): Promise<void>;
  stop(): void;
}

interface LoadedBase {
  /** Changes when the base's content may have: the commits per folder, or a folder read anew. */
  key: string;
  label: string;
  files: SourceFile[];
}

/** The base named by `netpolLens.compareWith`: a folder when one exists there, else a revision. */
export function baseFromSetting(value: string, folders: readonly string[]): CompareBase | undefined {
  if (value === '') return undefined;
  const root = folders[0] ? fileURLToPath(folders[0]) : undefined;
  const path = isAbsolute(value) ? value : root ? join(root, value) : undefined;
  if (path && /[\\/]|^\.\.?$/.test(value) && isFolder(path)) {
    return { kind: 'folder', uri: pathToFileURL(path).toString() };
  }
  return { kind: 'revision', revision: value };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

async function loadRevision(
  revision: string,
  folders: readonly string[],
  exclude: string[],
): Promise<LoadedBase> {
  if (folders.length === 0) throw new GitError('no workspace folder to read from git');
  const excluded = excluder(folders, exclude);
  const commits: string[] = [];
  const files: SourceFile[] = [];
  for (const folder of folders) {
    const root = fileURLToPath(folder);
    const commit = await resolveCommit(revision, root);
    commits.push(commit);
    const read = await readRevisionFiles(commit, '', root, (name) =>
      pathToFileURL(join(root, name)).toString(),
    );
    files.push(...read.files.filter((f) => isManifestUri(f.uri) && !excluded(f.uri)));
  }
  return { key: `revision:${commits.join(',')}`, label: revision, files };
}

async function loadFolder(uri: string, folders: readonly string[]): Promise<LoadedBase> {
  // The same walker and reader as the workspace scan: special files and oversized files are left out.
  const { uris } = await listManifests(uri, excluder([uri], []));
  const files: SourceFile[] = [];
  for (const file of uris) {
    const read = await readManifest(file, DEFAULT_MAX_FILE_MB);
    if ('text' in read) files.push({ uri: file, text: read.text });
  }
  const path = fileURLToPath(uri);
  const root = folders[0] ? fileURLToPath(folders[0]) : undefined;
  const shown = root && !relative(root, path).startsWith('..') ? relative(root, path) || '.' : path;
  // A folder has no commit to tell whether it changed: each refresh reads it again.
  return { key: `folder:${uri}:${Date.now()}`, label: shown, files };
}

/** Why a revision base is not read in an untrusted workspace. */
export const UNTRUSTED_REVISION =
  'git is not run in an untrusted workspace: trust the workspace to compare with a git revision, or compare with a folder';

export function registerComparison(
  connection: Connection,
  service: LanguageService,
  folders: () => readonly string[],
  publisher: DiagnosticsPublisher,
  /** Whether git may run in the workspace (VS Code's workspace trust; a repository's config can run code). */
  trusted: () => boolean,
): ComparisonController {
  /** A base chosen with the command; else the setting's. */
  let chosen: CompareBase | undefined;
  let currentKey: string | undefined;
  let error: { label: string; message: string } | undefined;
  let running: Promise<void> | undefined;

  const wanted = () => chosen ?? baseFromSetting(service.settings().compareWith, folders());

  /** Whether the comparison changed (the service has another base, or none now). */
  async function load(applyAfter: Promise<unknown> | undefined): Promise<boolean> {
    const base = wanted();
    if (!base) {
      const had = currentKey !== undefined;
      if (had) service.setComparisonBase(undefined);
      currentKey = undefined;
      error = undefined;
      return had;
    }
    try {
      if (base.kind === 'revision' && !trusted()) throw new GitError(UNTRUSTED_REVISION);
      if (base.kind === 'folder' && currentKey?.startsWith(`folder:${base.uri}:`)) return false;
      const loaded =
        base.kind === 'revision'
          ? await loadRevision(base.revision, folders(), service.settings().exclude)
          : await loadFolder(base.uri, folders());
      error = undefined;
      if (loaded.key === currentKey) return false;
      await applyAfter;
      currentKey = loaded.key;
      service.setComparisonBase({ label: loaded.label, files: loaded.files });
      return true;
    } catch (failure) {
      if (!(failure instanceof GitError)) throw failure;
      error = { label: base.kind === 'revision' ? base.revision : base.uri, message: failure.message };
      // The diagnostics change only when a base is dropped; the failure itself shows in the compare view.
      // (A folder outside git fails at every poll: it publishes nothing.)
      const had = currentKey !== undefined;
      if (had) service.setComparisonBase(undefined);
      currentKey = undefined;
      return had;
    }
  }

  const refresh = ({ applyAfter }: { applyAfter?: Promise<unknown> } = {}): Promise<void> =>
    (running ??= load(applyAfter)
      .then((changed) => {
        if (changed) publisher.publishSoon(0);
      })
      .catch((failure) => connection.console.error(`netpol-lens: comparison failed: ${String(failure)}`))
      .finally(() => (running = undefined)));

  const timer = setInterval(() => void refresh(), POLL_MS);
  timer.unref?.();

  connection.onRequest(
    COMPARE,
    async (params: CompareParams | undefined, token): Promise<CompareResult | ResponseError<void>> => {
      if (params?.base) {
        chosen = params.base;
        currentKey = undefined;
      }
      await running;
      await refresh();
      return runSafe(connection, 'compare', token, { base: '', rows: [], markdown: '' }, () =>
        compareResult(service, error),
      );
    },
  );

  return { refresh, stop: () => clearInterval(timer) };
}

function compareResult(service: LanguageService, error?: { label: string; message: string }): CompareResult {
  const report = service.comparisonReport();
  if (!report) {
    return {
      base: error?.label ?? '',
      error: error?.message ?? 'No base to compare with: set netpolLens.compareWith or pick one.',
      rows: [],
      markdown: '',
    };
  }
  return { base: report.label, rows: report.json.diffs, markdown: report.markdown };
}
