// textDocument/codeAction: the core's quick-fixes as LSP code actions with workspace edits.
import {
  CodeActionKind,
  type CodeAction,
  type Connection,
  type TextDocuments,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Fix, LanguageService } from '../core/index';
import { toDiagnostic, toLspRange } from './convert';
import { runSafe } from './run-safe';

export const CODE_ACTION_CAPABILITIES = {
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
};

export function registerCodeActions(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
  docsUri: string | undefined,
): void {
  connection.onCodeAction((params, token) =>
    runSafe(connection, 'codeAction', token, [] as CodeAction[], () => {
      const document = documents.get(params.textDocument.uri);
      if (!document) return [];
      const range = {
        start: { ...params.range.start, offset: document.offsetAt(params.range.start) },
        end: { ...params.range.end, offset: document.offsetAt(params.range.end) },
      };
      return service.codeActions(document.uri, range).map(({ problem, fix }) => {
        const matching = params.context.diagnostics.filter(
          (d) => d.code === problem.code && d.range.start.line === problem.range.start.line,
        );
        return {
          title: fix.title,
          kind: CodeActionKind.QuickFix,
          diagnostics: matching.length > 0 ? matching : [toDiagnostic(problem, docsUri)],
          isPreferred: fix.isPreferred,
          edit: toWorkspaceEdit(fix, documents),
        };
      });
    }),
  );
}

function toWorkspaceEdit(fix: Fix, documents: TextDocuments<TextDocument>): WorkspaceEdit {
  const byUri = new Map<string, { range: ReturnType<typeof toLspRange>; newText: string }[]>();
  for (const edit of fix.edits) {
    byUri.set(edit.uri, [
      ...(byUri.get(edit.uri) ?? []),
      { range: toLspRange(edit.range), newText: edit.newText },
    ]);
  }
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = [];
  for (const [uri, edits] of byUri) {
    documentChanges.push({ textDocument: { uri, version: documents.get(uri)?.version ?? null }, edits });
  }
  if (fix.createFile) {
    const { uri, text } = fix.createFile;
    documentChanges.push({ kind: 'create', uri, options: { ignoreIfExists: false, overwrite: false } });
    documentChanges.push({
      textDocument: { uri, version: null },
      edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }],
    });
  }
  return { documentChanges };
}
