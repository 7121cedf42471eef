// "Can A Reach B?": pick a source and a destination among the workspace's peers (or type an IPv4
// address), optionally a port, and get the verdict with the rules that decide it on each side.
import * as vscode from 'vscode';
import {
  CAN_REACH,
  PEERS,
  type CanReachParams,
  type CanReachResult,
  type JsonLocation,
  type JsonSide,
  type PeerSummary,
} from '../../../server/src/protocol';
import { parsePortFilter } from '../webview/graph-model';
import type { Ctx } from '../ctx';

interface PeerItem extends vscode.QuickPickItem {
  peer?: PeerSummary;
}

export function peerItems(peers: PeerSummary[], exclude?: string): PeerItem[] {
  const items: PeerItem[] = [];
  let section: string | undefined;
  const sorted = [...peers].sort((a, b) =>
    a.type === b.type ? a.id.localeCompare(b.id) : a.type === 'pod' ? -1 : 1,
  );
  for (const peer of sorted) {
    if (peer.id === exclude) continue;
    const group = peer.type === 'pod' ? `namespace ${peer.namespace}` : 'external addresses';
    if (group !== section) {
      items.push({ label: group, kind: vscode.QuickPickItemKind.Separator });
      section = group;
    }
    const note = peer.implicit ? ' · implicit (cluster DNS)' : peer.inferred ? ' · inferred pod' : '';
    items.push(
      peer.type === 'pod'
        ? { label: `$(server) ${peer.name}`, description: `${peer.kind} · ${peer.namespace}${note}`, peer }
        : {
            label: `$(globe) ${peer.addresses ?? peer.id.replace('[External]', '')}`,
            description: 'external',
            peer,
          },
    );
  }
  return items;
}

/** A quick pick over the peers that also accepts a typed IPv4 address. */
async function pickPeer(title: string, peers: PeerSummary[], exclude?: string): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<PeerItem>();
  pick.title = title;
  pick.placeholder = 'A workload, or type an IPv4 address';
  pick.items = peerItems(peers, exclude);
  pick.matchOnDescription = true;
  return new Promise<string | undefined>((resolve) => {
    pick.onDidAccept(() => {
      const chosen = pick.selectedItems[0]?.peer?.id ?? (pick.value.trim() || undefined);
      resolve(chosen);
      pick.hide();
    });
    pick.onDidHide(() => {
      resolve(undefined);
      pick.dispose();
    });
    pick.show();
  });
}

/** A quick pick over the workspace's workloads (for "Show in Graph" without an argument). */
export async function pickWorkload(ctx: Ctx): Promise<string | undefined> {
  const peers: PeerSummary[] = await (await ctx.client()).sendRequest(PEERS, {});
  const items = peerItems(peers.filter((p) => p.type === 'pod'));
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Show in Graph',
    matchOnDescription: true,
  });
  return chosen?.peer?.id;
}

/**
 * The port a caller passes to the command (`'5432/TCP'`, `'53/UDP'`, `80` or `{ port, protocol }`); the
 * protocol defaults to TCP, as in the port prompt. Anything else is an error, never "any connection".
 */
export function portArgument(value: unknown): CanReachParams['port'] {
  if (value === undefined || value === null) return undefined;
  const given =
    typeof value === 'object' && 'port' in value
      ? `${String((value as { port: unknown }).port)}/${String((value as { protocol?: unknown }).protocol ?? 'TCP')}`
      : String(value);
  const parsed = parsePortFilter(given);
  if (parsed === undefined || parsed === 'invalid') throw new Error(`not a port: ${JSON.stringify(value)}`);
  return { port: parsed.port, protocol: parsed.protocol ?? 'TCP' };
}

async function askPort(): Promise<CanReachParams['port'] | 'cancel' | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Port (optional)',
    prompt: 'A port such as 80, 53/UDP or 5432/TCP. Leave empty for any connection.',
    validateInput: (value) =>
      parsePortFilter(value) === 'invalid' ? 'A port 1-65535, optionally /TCP, /UDP or /SCTP' : undefined,
  });
  if (text === undefined) return 'cancel';
  const parsed = parsePortFilter(text);
  if (parsed === undefined || parsed === 'invalid') return undefined;
  return { port: parsed.port, protocol: parsed.protocol ?? 'TCP' };
}

interface AnswerItem extends vscode.QuickPickItem {
  location?: JsonLocation;
  showText?: boolean;
  /** Open the graph focused on this workload. */
  graphFocus?: string;
}

export function answerItems(result: CanReachResult): AnswerItem[] {
  const items: AnswerItem[] = [];
  const side = (heading: string, verdict: JsonSide) => {
    items.push({ label: heading, kind: vscode.QuickPickItemKind.Separator });
    if (!verdict.isolated) {
      items.push({ label: 'not isolated: no policy selects it, so all is allowed' });
      return;
    }
    for (const rule of verdict.rules) {
      items.push({
        label: `$(go-to-file) ${rule.policy} spec.${rule.direction}[${rule.ruleIndex}]`,
        description: rule.conn,
        detail: 'allows it: open the rule',
        location: rule.location,
      });
    }
    if (verdict.rules.length === 0) {
      for (const policy of verdict.policies) {
        items.push({
          label: `$(go-to-file) ${policy}`,
          description: 'isolates it; no rule allows it',
          location: result.policies[policy],
        });
      }
    }
  };
  side('source egress', result.egress);
  side('destination ingress', result.ingress);
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(note) Show the full explanation', showText: true });
  // The graph focuses on a workload: the source, or the destination when the source is an address.
  const workload = [result.source, result.destination].find((id) => id && !id.endsWith('[External]'));
  if (workload)
    items.push({ label: '$(type-hierarchy) Show in Graph', description: workload, graphFocus: workload });
  return items;
}

export async function canReach(
  ctx: Ctx,
  args: { source?: string; destination?: string; port?: CanReachParams['port'] } = {},
): Promise<CanReachResult | undefined> {
  const client = await ctx.client();
  const interactive = args.source === undefined || args.destination === undefined;
  let peers: PeerSummary[] = [];
  if (interactive) {
    peers = await client.sendRequest(PEERS, {});
    if (peers.length === 0) {
      void vscode.window.showInformationMessage('NetPol Lens: no workloads found in the workspace.');
      return undefined;
    }
  }
  const source = args.source ?? (await pickPeer('Can A reach B? — A (source)', peers));
  if (!source) return undefined;
  const destination =
    args.destination ?? (await pickPeer(`Can ${source} reach… — B (destination)`, peers, source));
  if (!destination) return undefined;
  let port = args.port;
  if (interactive && port === undefined) {
    const asked = await askPort();
    if (asked === 'cancel') return undefined;
    port = asked;
  }
  const result: CanReachResult = await client.sendRequest(CAN_REACH, { source, destination, port });
  if (interactive) await showAnswer(ctx, result);
  return result;
}

async function showAnswer(ctx: Ctx, result: CanReachResult): Promise<void> {
  if (!result.found) {
    void vscode.window.showWarningMessage(`NetPol Lens: ${result.message ?? 'peer not found'}`);
    return;
  }
  const pick = vscode.window.createQuickPick<AnswerItem>();
  pick.title = result.text.split('\n')[0];
  pick.placeholder = result.allowed
    ? `Allowed. All connections between them: ${result.connections}`
    : 'Denied.';
  pick.items = answerItems(result);
  pick.onDidAccept(async () => {
    const item = pick.selectedItems[0];
    if (item?.location) await ctx.openLocation(item.location);
    else if (item?.showText) await ctx.showText('can-reach', result.text);
    else if (item?.graphFocus) ctx.showInGraph(item.graphFocus);
    pick.hide();
  });
  pick.onDidHide(() => pick.dispose());
  pick.show();
}
