// The VS Code side of netpol-lens. Activation stays small: the language server starts only when a
// Kubernetes manifest is open or in the workspace (or a command needs it).
import type { ExtensionContext } from 'vscode';
import { registerCommands } from './commands/index';
import { Ctx } from './ctx';

let ctx: Ctx | undefined;

export function activate(context: ExtensionContext): void {
  ctx = new Ctx(context);
  context.subscriptions.push(ctx, ...registerCommands(ctx));
  ctx.watchForManifests();
}

export async function deactivate(): Promise<void> {
  await ctx?.stop();
  ctx = undefined;
}
