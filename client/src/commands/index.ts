// The extension's commands. Their ids are stable: menus, keybindings and the e2e tests use them.
import * as vscode from 'vscode';
import type { CompareBase } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';
import { GRAPH_VIEW_TYPE, GraphPanel } from '../graph/panel';
import { canReach, pickWorkload, portArgument } from './can-reach';
import { explainPolicy } from './explain';
import { compareReachability } from './compare';
import { exportGraph } from './export';
import { recordExpectations } from './record-expectations';
import { SHOW_REFERENCES, showReferencesArguments } from './show-locations';

export const COMMANDS = {
  showGraph: 'netpolLens.showGraph',
  explainPolicy: 'netpolLens.explainPolicy',
  canReach: 'netpolLens.canReach',
  exportGraph: 'netpolLens.exportGraph',
  restartServer: 'netpolLens.restartServer',
  recordExpectations: 'netpolLens.recordExpectations',
  compareReachability: 'netpolLens.compareReachability',
  /** Focus the graph on a workload (SHOW_IN_GRAPH_COMMAND): from lenses, hovers and Can A Reach B?. */
  showInGraph: 'netpolLens.showInGraph',
  /** Run by the code lenses (SHOW_LOCATIONS_COMMAND in the protocol); hidden from the palette. */
  showLocations: 'netpolLens.showLocations',
} as const;

/** Runs a command, reporting failures instead of leaving them in the developer console. */
function guarded<A extends unknown[], R>(name: string, ctx: Ctx, run: (...args: A) => Promise<R>) {
  return async (...args: A): Promise<R | undefined> => {
    try {
      return await run(...args);
    } catch (error) {
      ctx.output.appendLine(`${name} failed: ${(error as Error)?.stack ?? String(error)}`);
      void vscode.window.showErrorMessage(
        `NetPol Lens: ${name} failed: ${(error as Error)?.message ?? String(error)}`,
      );
      return undefined;
    }
  };
}

export function registerCommands(ctx: Ctx): vscode.Disposable[] {
  const register = <A extends unknown[], R>(id: string, name: string, run: (...args: A) => Promise<R>) =>
    vscode.commands.registerCommand(id, guarded(name, ctx, run));
  return [
    register(COMMANDS.showGraph, 'Show Reachability Graph', async () => void ctx.showGraph()),
    register(COMMANDS.showInGraph, 'Show in Graph', async (peer?: unknown) => {
      const id = typeof peer === 'string' ? peer : await pickWorkload(ctx);
      if (id !== undefined) ctx.showInGraph(id);
    }),
    register(COMMANDS.explainPolicy, 'Explain This Policy', () => explainPolicy(ctx, ctx.explanations)),
    register(COMMANDS.canReach, 'Can A Reach B?', (source?: string, destination?: string, port?: unknown) =>
      canReach(ctx, { source, destination, port: portArgument(port) }),
    ),
    register(COMMANDS.exportGraph, 'Export Graph', (format?: unknown, target?: vscode.Uri) =>
      exportGraph(ctx, format, target),
    ),
    register(COMMANDS.restartServer, 'Restart Server', () => ctx.restart()),
    register(COMMANDS.recordExpectations, 'Record Connectivity as Expectations', (namespaces?: string[]) =>
      recordExpectations(ctx, Array.isArray(namespaces) ? namespaces : undefined),
    ),
    register(COMMANDS.compareReachability, 'Compare Reachability with…', (base?: CompareBase) =>
      compareReachability(ctx, base),
    ),
    register(COMMANDS.showLocations, 'Show Locations', async (...args: unknown[]) => {
      const converted = showReferencesArguments(args, (await ctx.client()).protocol2CodeConverter);
      if (!converted) throw new Error('expected a document URI, a position and a list of locations');
      await vscode.commands.executeCommand(SHOW_REFERENCES, ...converted);
    }),
    vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
      // The webview's own state (filters, zoom, pan, selection) comes back through vscode.getState().
      deserializeWebviewPanel: async (panel) => void GraphPanel.revive(panel, ctx.graphHost),
    }),
  ];
}
