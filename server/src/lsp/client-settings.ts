// The user's settings as the client hands them over: in initializationOptions (clients without
// workspace/configuration, flat or under `netpolLens`) and through workspace/configuration.
import type { Connection, InitializeParams } from 'vscode-languageserver/node';
import { resolveSettings, type Settings } from '../core/index';

export interface ClientSettings {
  /** Settings passed at start, if any. */
  initial(params: InitializeParams): Settings | undefined;
  /** The current settings; `fallback` when the client cannot be asked. */
  fetch(fallback: Settings): Promise<Settings>;
}

export function createClientSettings(connection: Connection): ClientSettings {
  let supportsConfiguration = false;
  return {
    initial(params) {
      supportsConfiguration = params.capabilities.workspace?.configuration === true;
      const initial = params.initializationOptions as Record<string, unknown> | undefined;
      return initial ? resolveSettings(initial.netpolLens ?? initial) : undefined;
    },
    async fetch(fallback) {
      if (!supportsConfiguration) return fallback;
      const raw = await connection.workspace.getConfiguration('netpolLens').catch(() => undefined);
      return resolveSettings(raw);
    },
  };
}
