// Opening the YAML at a place the server pointed to (1-based JSON locations).
import * as vscode from 'vscode';
import type { JsonLocation } from '../../server/src/protocol';

export function toRange(location: JsonLocation): vscode.Range {
  const at = (n: number) => Math.max(0, n - 1);
  return new vscode.Range(
    at(location.line),
    at(location.column),
    at(location.endLine),
    at(location.endColumn),
  );
}

/** Opens the document with the location selected, in the first editor column (the graph sits beside it). */
export async function openLocation(
  location: JsonLocation,
  asUri: (uri: string) => vscode.Uri,
): Promise<void> {
  const document = await vscode.workspace.openTextDocument(asUri(location.uri));
  const range = toRange(location);
  // A block's range ends at the start of the next line: select up to the end of its own last line.
  const end =
    range.end.character === 0 && range.end.line > range.start.line
      ? document.lineAt(range.end.line - 1).range.end
      : range.end;
  const selection = document.validateRange(new vscode.Range(range.start, end));
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: vscode.ViewColumn.One,
    preview: true,
    selection,
  });
  editor.revealRange(selection, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
