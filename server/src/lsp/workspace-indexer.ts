// Keeps the service's files in step with the workspace folders on disk: the scan (at start and when the
// settings change), file watching, and the fall-back to the disk when an open document closes. Open
// documents always override the disk.
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  type Connection,
  type FileEvent,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { thousands, type LanguageService, type Settings } from '../core/index';
import { DEFAULT_MAX_FILE_MB } from '../node/manifest-files';
import { excluder, isManifestUri, isWalkedUri, listManifests, readManifest } from './workspace-files';

export interface WorkspaceIndexer {
  /** The workspace folders (file: URIs), from initialize. */
  setFolders(folders: readonly string[]): void;
  /**
   * Reads every manifest of the folders that is not open or excluded (by `settings.exclude`); `onRead`
   * gets each text read just before the service parses it (the first scan's worker thread parses it too).
   */
  scan(settings: Settings, onRead?: (uri: string, text: string) => void): Promise<void>;
  /** Applies watched-file events of files that are not open. */
  applyFileEvents(changes: readonly FileEvent[]): Promise<void>;
  /** A closed document falls back to its content on disk, if it is part of the workspace. */
  revertToDisk(uri: string): Promise<void>;
  /** Asks the client to report changes of manifest files (when it supports dynamic registration). */
  watch(): void;
}

/**
 * Files that are not open are parsed with the pre-filter (documents no analysis reads are skipped); open
 * documents are parsed in full (document-sync.ts), so all their YAML errors show.
 */
const UNOPENED = { relevantOnly: true } as const;

/** Progress is reported at most this often, so a scan of thousands of small files is not slowed by it. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * "Analysing 412 of 3,900 files" through window/workDoneProgress (VS Code shows it in the status bar);
 * nothing when the client does not support server-initiated progress.
 */
async function scanProgress(connection: Connection, total: number) {
  const message = (done: number) => `Analysing ${thousands(done)} of ${thousands(total)} files`;
  const reporter = await connection.window.createWorkDoneProgress().catch(() => undefined);
  reporter?.begin('NetPol Lens', 0, message(0), false);
  let last = performance.now();
  return {
    step(done: number) {
      if (!reporter || performance.now() - last < PROGRESS_INTERVAL_MS) return;
      last = performance.now();
      reporter.report(Math.floor((100 * done) / Math.max(total, 1)), message(done));
    },
    done: () => reporter?.done(),
  };
}

export function createWorkspaceIndexer(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
): WorkspaceIndexer {
  let folders: readonly string[] = [];
  let excluded: (uri: string) => boolean = () => false;
  const isOpen = (uri: string) => documents.get(uri) !== undefined;

  let maxFileMB = DEFAULT_MAX_FILE_MB;
  /** Per workspace folder, the folders its last scan searched: file events follow symlinks as the scan did. */
  let searched: Map<string, string>[] = [];
  const walked = async (uri: string) =>
    searched.length === 0 ||
    (await Promise.all(searched.map((folders) => isWalkedUri(uri, folders)))).includes(true);

  /** Reads a file into the service; one that cannot be read (a FIFO, too large, undecodable) is reported. */
  async function load(uri: string, onRead?: (uri: string, text: string) => void): Promise<void> {
    const read = await readManifest(uri, maxFileMB);
    if ('text' in read) {
      onRead?.(uri, read.text);
      service.setFile(uri, read.text, UNOPENED);
    } else if (read.error === 'no such file or folder') service.deleteFile(uri);
    else service.setUnreadable(uri, read.error);
  }

  return {
    setFolders(next) {
      folders = next;
    },
    async scan(settings, onRead) {
      excluded = excluder(folders, settings.exclude);
      maxFileMB = settings.maxFileSizeMB;
      for (const uri of service.uris()) if (!isOpen(uri) && excluded(uri)) service.deleteFile(uri);
      const uris: string[] = [];
      const scanned: Map<string, string>[] = [];
      for (const folder of folders) {
        const found = await listManifests(folder, excluded);
        uris.push(...found.uris);
        scanned.push(found.folders);
        for (const { uri, reason } of found.unreadable) service.setUnreadable(uri, reason);
      }
      searched = scanned;
      const progress = await scanProgress(connection, uris.length);
      try {
        for (const [done, uri] of uris.entries()) {
          progress.step(done);
          if (!isOpen(uri)) await load(uri, onRead);
        }
      } finally {
        progress.done();
      }
    },
    async applyFileEvents(changes) {
      for (const change of changes) {
        if (isOpen(change.uri) || !isManifestUri(change.uri) || excluded(change.uri)) continue;
        if (change.type === FileChangeType.Deleted) service.deleteFile(change.uri);
        else if (await walked(change.uri)) await load(change.uri);
      }
    },
    async revertToDisk(uri) {
      const inWorkspace = isManifestUri(uri) && !excluded(uri) && folders.length > 0 && (await walked(uri));
      if (inWorkspace) await load(uri);
      else service.deleteFile(uri);
    },
    watch() {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,json}' }],
      });
    },
  };
}
