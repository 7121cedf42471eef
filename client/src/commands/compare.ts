// "Compare Reachability with…": picks a base (HEAD, another revision, a folder), asks the server for the
// connectivity diff, opens the rows in a read-only list beside the editor and the graph in diff mode.
// Both follow every re-analysis while the comparison is on (Ctx.refreshComparison).
import * as vscode from 'vscode';
import { COMPARE, type CompareBase, type CompareResult } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';

const LIST_NAME = 'Connectivity Diff';

interface BaseItem extends vscode.QuickPickItem {
  pick(): Promise<CompareBase | undefined>;
}

function baseItems(): BaseItem[] {
  const trusted = vscode.workspace.isTrusted;
  const git = (label: string, detail: string, pick: () => Promise<CompareBase | undefined>): BaseItem => ({
    label,
    detail: trusted ? detail : 'Needs a trusted workspace (runs git)',
    pick: trusted ? pick : async () => undefined,
  });
  return [
    git('HEAD', 'The last commit of the workspace folders', async () => ({
      kind: 'revision',
      revision: 'HEAD',
    })),
    git('Another revision…', 'A branch, tag or commit, e.g. origin/main', async () => {
      const revision = await vscode.window.showInputBox({
        prompt: 'Git revision to compare with',
        placeHolder: 'origin/main',
        validateInput: (v) => (v.trim() === '' || v.startsWith('-') ? 'A branch, tag or commit' : undefined),
      });
      return revision ? { kind: 'revision', revision: revision.trim() } : undefined;
    }),
    {
      label: 'A folder…',
      detail: 'Another folder of manifests',
      pick: async () => {
        const [folder] =
          (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false })) ?? [];
        return folder ? { kind: 'folder', uri: folder.toString() } : undefined;
      },
    },
  ];
}

/** The list view's text: a title line, then the rows as `netpol-lens diff -o md` prints them. */
export function comparisonText(result: CompareResult): string {
  if (result.error) return `Cannot compare with ${result.base || 'the base'}: ${result.error}`;
  const title = `Connectivity compared with ${result.base}: ${result.rows.length} change(s)`;
  return result.rows.length === 0 ? `${title}\n\nNo difference.` : `${title}\n\n${result.markdown}`;
}

export async function compareReachability(ctx: Ctx, given?: CompareBase): Promise<CompareResult | undefined> {
  let base = given;
  if (!base) {
    const item = await vscode.window.showQuickPick(baseItems(), {
      placeHolder: 'Compare reachability with…',
    });
    base = await item?.pick();
  }
  if (!base) return undefined;
  const client = await ctx.client();
  const result: CompareResult = await client.sendRequest(COMPARE, { base });
  if (result.error) {
    void vscode.window.showErrorMessage(`NetPol Lens: cannot compare with ${result.base}: ${result.error}`);
    return result;
  }
  ctx.compareBase = base;
  await ctx.showText(LIST_NAME, comparisonText(result));
  await ctx.showGraph().refresh();
  return result;
}

/** After a re-analysis: the list view shows the new rows (the graph refreshes itself). */
export async function refreshComparisonList(ctx: Ctx): Promise<void> {
  if (!ctx.compareBase) return;
  const client = await ctx.client();
  const result: CompareResult = await client.sendRequest(COMPARE, {});
  ctx.explanations.show(LIST_NAME, comparisonText(result) + '\n');
}
