// "Explain This Policy": the plain-English account of the NetworkPolicy under the cursor, in a
// read-only document beside the YAML.
import * as vscode from 'vscode';
import {
  EXPLAIN_POLICY,
  type ExplainPolicyResult,
  type PolicyExplanationSummary,
} from '../../../server/src/protocol';
import type { Ctx } from '../ctx';

export const EXPLAIN_SCHEME = 'netpol-lens-explain';
/** Contributed in package.json with syntaxes/netpol-explain.tmLanguage.json. */
export const EXPLAIN_LANGUAGE = 'netpol-explain';

/** Read-only virtual documents: writing nothing to disk works in untrusted workspaces too. */
export class ExplanationDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  show(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: EXPLAIN_SCHEME, path: `/${name.replace(/[^\w.-]+/g, '-')}.txt` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  /** The text as a read-only document, highlighted by the explanation grammar. */
  async open(name: string, text: string): Promise<vscode.TextDocument> {
    const document = await vscode.workspace.openTextDocument(this.show(name, text));
    return vscode.languages.setTextDocumentLanguage(document, EXPLAIN_LANGUAGE);
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export async function explainPolicy(ctx: Ctx, documents: ExplanationDocuments): Promise<string | undefined> {
  const editor = vscode.window.activeTextEditor;
  const language = editor?.document.languageId;
  if (!editor || (language !== 'yaml' && language !== 'json')) {
    void vscode.window.showInformationMessage(
      'NetPol Lens: open a NetworkPolicy or AdminNetworkPolicy manifest (YAML or JSON) to explain it.',
    );
    return undefined;
  }
  const client = await ctx.client();
  const explanations: ExplainPolicyResult = await client.sendRequest(EXPLAIN_POLICY, {
    uri: client.code2ProtocolConverter.asUri(editor.document.uri),
    position: { line: editor.selection.active.line, character: editor.selection.active.character },
  });
  const chosen = await choose(explanations);
  if (!chosen) return undefined;
  const document = await documents.open(chosen.name, chosen.text + '\n');
  await vscode.window.showTextDocument(document, {
    viewColumn: vscode.ViewColumn.Beside,
    preview: true,
    preserveFocus: true,
  });
  return chosen.text;
}

async function choose(explanations: ExplainPolicyResult): Promise<PolicyExplanationSummary | undefined> {
  if (explanations.length === 0) {
    void vscode.window.showInformationMessage(
      'NetPol Lens: there is no NetworkPolicy, AdminNetworkPolicy, BaselineAdminNetworkPolicy or ClusterNetworkPolicy in this file.',
    );
    return undefined;
  }
  const here = explanations.find((e) => e.atPosition);
  if (here) return here;
  if (explanations.length === 1) return explanations[0];
  const picked = await vscode.window.showQuickPick(
    explanations.map((e) => ({ label: e.name, description: `line ${e.location.line}`, explanation: e })),
    { title: 'Explain which policy?' },
  );
  return picked?.explanation;
}
