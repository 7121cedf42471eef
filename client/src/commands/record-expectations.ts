// "Record Connectivity as Expectations": pick namespaces, get their current allowed and denied workload
// pairs as a new untitled ConnectivityExpectations document, to save in the workspace and keep checked.
import * as vscode from 'vscode';
import {
  PEERS,
  RECORD_EXPECTATIONS,
  type PeerSummary,
  type RecordExpectationsResult,
} from '../../../server/src/protocol';
import type { Ctx } from '../ctx';

/** The namespaces that hold workloads, each with its count, sorted by name. */
export function namespaceItems(peers: PeerSummary[]): (vscode.QuickPickItem & { namespace: string })[] {
  const counts = new Map<string, number>();
  for (const peer of peers) {
    if (peer.type !== 'pod' || peer.inferred || peer.namespace === undefined) continue;
    counts.set(peer.namespace, (counts.get(peer.namespace) ?? 0) + 1);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([namespace, count]) => ({
      label: namespace,
      description: `${count} workload${count === 1 ? '' : 's'}`,
      namespace,
    }));
}

async function pickNamespaces(ctx: Ctx): Promise<string[] | undefined> {
  const client = await ctx.client();
  const items = namespaceItems(await client.sendRequest(PEERS, {}));
  if (items.length === 0) {
    void vscode.window.showInformationMessage('NetPol Lens: no workloads found in the workspace.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Record Connectivity as Expectations',
    placeHolder: 'The namespaces whose current connectivity to freeze',
    canPickMany: true,
  });
  return picked && picked.length > 0 ? picked.map((p) => p.namespace) : undefined;
}

/** Opens the recorded document; `namespaces` skips the quick pick (tests, keybindings). */
export async function recordExpectations(
  ctx: Ctx,
  namespaces?: string[],
): Promise<RecordExpectationsResult | undefined> {
  const chosen = namespaces ?? (await pickNamespaces(ctx));
  if (!chosen) return undefined;
  const client = await ctx.client();
  const result: RecordExpectationsResult | null = await client.sendRequest(RECORD_EXPECTATIONS, {
    namespaces: chosen,
  });
  if (!result) throw new Error('the server could not record the connectivity; see the output channel');
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: result.text });
  await vscode.window.showTextDocument(document);
  return result;
}
