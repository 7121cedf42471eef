// One run of the language server: the LanguageClient and everything that lives only as long as it
// (notification handlers, config listeners). Restart = dispose this and make a new one.
import * as vscode from 'vscode';
import {
  CloseAction,
  DidChangeConfigurationNotification,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
  type StaticFeature,
} from 'vscode-languageclient/node';
import {
  ANALYSIS_STATE,
  type AnalysisStateParams,
  SHOW_IN_GRAPH_COMMAND,
  WORKSPACE_TRUSTED,
  type NetpolLensExperimentalCapabilities,
} from '../../server/src/protocol';
import type { CrashPolicy } from './crash-policy';
import { resolveSchemaValidation, type YamlExtensionFacts } from './schema-validation';

export const RED_HAT_YAML = 'redhat.vscode-yaml';

export interface SessionHooks {
  output: vscode.LogOutputChannel;
  traceOutput: vscode.LogOutputChannel;
  crashes: CrashPolicy;
  onAnalysisState(state: AnalysisStateParams): void;
  onStateChange(state: 'starting' | 'running' | 'stopped'): void;
  /** The server crashed and was restarted (the first time only). */
  onFirstCrash(): void;
}

export function yamlExtensionFacts(): YamlExtensionFacts {
  const yaml = vscode.workspace.getConfiguration('yaml');
  return {
    installed: vscode.extensions.getExtension(RED_HAT_YAML) !== undefined,
    schemas: yaml.get('schemas'),
    validate: yaml.get('validate'),
  };
}

/** What the server reads as `netpolLens.*`, with the client-side decisions filled in. */
function clientSettings(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object') return raw;
  const settings = raw as Record<string, unknown>;
  return {
    ...settings,
    schemaValidation: resolveSchemaValidation(settings.schemaValidation, yamlExtensionFacts()),
  };
}

/** Whether a code action's edit touches a file that does not exist yet (a fix that creates one). */
async function createsFiles(action: vscode.Command | vscode.CodeAction): Promise<boolean> {
  const edit = 'edit' in action ? action.edit : undefined;
  if (!edit) return false;
  for (const [uri] of edit.entries()) {
    if (vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString())) continue;
    const exists = await vscode.workspace.fs.stat(uri).then(
      () => true,
      () => false,
    );
    if (!exists) return true;
  }
  return false;
}

/** Announces that this client runs the code lenses' peek command and "Show in Graph" (protocol.ts). */
const showLocationsFeature: StaticFeature = {
  fillClientCapabilities(capabilities) {
    const ours: NetpolLensExperimentalCapabilities = {
      // Untrusted: the server runs no git (a repository's config can run programs).
      netpolLens: { showLocations: true, showInGraph: true, workspaceTrusted: vscode.workspace.isTrusted },
    };
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), ...ours };
  },
  initialize: () => undefined,
  getState: () => ({ kind: 'static' }),
  clear: () => undefined,
};

export class ServerSession implements vscode.Disposable {
  readonly client: LanguageClient;
  private started = false;
  private readonly disposables: vscode.Disposable[] = [];

  constructor(context: vscode.ExtensionContext, hooks: SessionHooks) {
    const module = context.asAbsolutePath('dist/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
    };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'yaml' },
        { scheme: 'untitled', language: 'yaml' },
        // JSON manifests (`kubectl get -o json`, exported snapshots), as the CLI reads them. The server
        // reports nothing in JSON that holds no Kubernetes object (package.json, tsconfig.json…).
        { scheme: 'file', language: 'json', pattern: '**/*.json' },
      ],
      outputChannel: hooks.output,
      // Workload hovers end with a "Show in Graph" command link; no other command runs from a hover.
      markdown: { isTrusted: { enabledCommands: [SHOW_IN_GRAPH_COMMAND] } },
      traceOutputChannel: hooks.traceOutput,
      synchronize: { configurationSection: ['netpolLens', 'yaml.schemas', 'yaml.validate'] },
      middleware: {
        workspace: {
          configuration: async (params, token, next) => {
            const result = await next(params, token);
            if (!Array.isArray(result)) return result;
            return result.map((value, i) =>
              params.items[i]?.section === 'netpolLens' ? clientSettings(value) : value,
            );
          },
        },
        // Untrusted workspaces are read-only for us: no quick-fix that would create a file on disk.
        provideCodeActions: async (document, range, context, token, next) => {
          const actions = await next(document, range, context, token);
          if (vscode.workspace.isTrusted || !actions) return actions;
          const kept = await Promise.all(actions.map(async (a) => ((await createsFiles(a)) ? undefined : a)));
          return kept.filter((a) => a !== undefined);
        },
      },
      errorHandler: {
        error: () => ({ action: ErrorAction.Continue, handled: true }),
        closed: () => {
          // A server that dies while starting is retried by Ctx, with a fresh client.
          if (!this.started) return { action: CloseAction.DoNotRestart, handled: true };
          const decision = hooks.crashes.onCrash(Date.now());
          if (decision === 'give-up') {
            return {
              action: CloseAction.DoNotRestart,
              message:
                'The NetPol Lens server stopped 5 times in 3 minutes and will not be restarted. See the "NetPol Lens" output, then run "NetPol Lens: Restart Server".',
            };
          }
          if (decision === 'restart-and-tell') hooks.onFirstCrash();
          hooks.output.appendLine(
            `[${new Date().toISOString()}] the server stopped unexpectedly; restarting it`,
          );
          return { action: CloseAction.Restart, handled: true };
        },
      },
    };
    this.client = new LanguageClient('netpolLens', 'NetPol Lens', serverOptions, clientOptions);
    this.client.registerFeature(showLocationsFeature);
    this.disposables.push(
      this.client.onNotification(ANALYSIS_STATE, (state: AnalysisStateParams) =>
        hooks.onAnalysisState(state),
      ),
      this.client.onDidChangeState(({ newState }) =>
        hooks.onStateChange(
          newState === State.Running ? 'running' : newState === State.Starting ? 'starting' : 'stopped',
        ),
      ),
      vscode.workspace.onDidGrantWorkspaceTrust(() => {
        if (this.client.isRunning()) void this.client.sendNotification(WORKSPACE_TRUSTED);
      }),
      // Installing or removing Red Hat's YAML extension changes what 'auto' means.
      vscode.extensions.onDidChange(() => {
        if (this.client.isRunning()) {
          void this.client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
        }
      }),
    );
  }

  async start(): Promise<void> {
    await this.client.start();
    this.started = true;
  }

  async dispose(): Promise<void> {
    for (const d of this.disposables.splice(0)) d.dispose();
    if (this.client.needsStop()) await this.client.stop(5000).catch(() => undefined);
  }
}
