// "Export Graph": SVG and PNG drawn by the webview; DOT, Mermaid and JSON from the engine's own
// output formats. In an untrusted workspace nothing is written: text opens in an untitled editor.
import * as vscode from 'vscode';
import { REACHABILITY, type ReachabilityParams } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import type { ImageFormat } from '../webview/messages';

export const EXPORT_FORMATS = ['svg', 'png', 'dot', 'mermaid', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const INFO: Record<ExportFormat, { label: string; detail: string; extension: string; language: string }> = {
  svg: { label: 'SVG', detail: 'The graph as drawn, as a vector image', extension: 'svg', language: 'xml' },
  png: { label: 'PNG', detail: 'The graph as drawn, as a bitmap', extension: 'png', language: '' },
  dot: {
    label: 'DOT',
    detail: 'Graphviz source of the reachability graph',
    extension: 'dot',
    language: 'dot',
  },
  mermaid: { label: 'Mermaid', detail: 'A Mermaid flowchart', extension: 'mmd', language: 'mermaid' },
  json: {
    label: 'JSON',
    detail: 'Peers, connections and deciding rules (docs/json-output.md)',
    extension: 'json',
    language: 'json',
  },
};

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

/** `netpolLens.exportGraph [format] [target uri]`: the arguments skip the pickers (for scripts and tests). */
export async function exportGraph(
  ctx: Ctx,
  format?: unknown,
  target?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  let chosen = isExportFormat(format) ? format : undefined;
  if (!chosen) {
    const picked = await vscode.window.showQuickPick(
      EXPORT_FORMATS.map((f) => ({ label: INFO[f].label, detail: INFO[f].detail, format: f })),
      { title: 'Export the reachability graph as' },
    );
    if (!picked) return undefined;
    chosen = picked.format;
  }
  const data =
    chosen === 'svg' || chosen === 'png' ? await ctx.graphImage(chosen) : await engineOutput(ctx, chosen);
  return save(chosen, data, target);
}

async function engineOutput(ctx: Ctx, format: ReachabilityParams['format']): Promise<string> {
  const client = await ctx.client();
  return client.sendRequest(REACHABILITY, { format });
}

/** Saves an image the webview produced from its own toolbar button. */
export function saveImage(format: ImageFormat, data: string): Promise<vscode.Uri | undefined> {
  return save(format, data);
}

async function save(
  format: ExportFormat,
  data: string,
  target?: vscode.Uri,
): Promise<vscode.Uri | undefined> {
  const info = INFO[format];
  if (!vscode.workspace.isTrusted) {
    if (format === 'png') {
      void vscode.window.showWarningMessage(
        'NetPol Lens does not write files in an untrusted workspace. Export as SVG, DOT, Mermaid or JSON to get the text in an editor, or trust the workspace.',
      );
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument({
      content: data,
      language: info.language || undefined,
    });
    await vscode.window.showTextDocument(document);
    return document.uri;
  }
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const uri =
    target ??
    (await vscode.window.showSaveDialog({
      title: `Export the reachability graph as ${info.label}`,
      defaultUri: folder ? vscode.Uri.joinPath(folder, `reachability.${info.extension}`) : undefined,
      filters: { [info.label]: [info.extension] },
    }));
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, encode(format, data));
  if (!target) {
    void vscode.window
      .showInformationMessage(
        `Saved the reachability graph to ${vscode.workspace.asRelativePath(uri)}.`,
        'Open',
      )
      .then((choice) => choice && vscode.commands.executeCommand('vscode.open', uri));
  }
  return uri;
}

/** PNG comes as a `data:image/png;base64,…` URL; everything else is UTF-8 text. */
export function encode(format: ExportFormat, data: string): Uint8Array {
  if (format === 'png') {
    const base64 = data.replace(/^data:image\/png;base64,/, '');
    return Buffer.from(base64, 'base64');
  }
  return Buffer.from(data, 'utf8');
}
