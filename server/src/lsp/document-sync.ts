// Open documents → the service: their text overrides the disk while they are open.
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../core/index';
import type { DiagnosticsPublisher } from './diagnostics-publisher';
import type { WorkspaceIndexer } from './workspace-indexer';
import { isManifestUri } from './workspace-files';

/** A document the server analyses: YAML by language, or a manifest file by name. */
export function isOurs(document: TextDocument): boolean {
  return document.languageId === 'yaml' || isManifestUri(document.uri);
}

export function registerDocumentSync(
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
  indexer: WorkspaceIndexer,
  publisher: DiagnosticsPublisher,
): void {
  documents.onDidChangeContent(({ document }) => {
    if (!isOurs(document)) return;
    service.setFile(document.uri, document.getText());
    publisher.publishSoon(undefined, document.uri);
  });

  documents.onDidClose(async ({ document }) => {
    await indexer.revertToDisk(document.uri);
    publisher.publishSoon();
  });
}
