// A minimal LSP client for tests: talks to a real server session over in-process streams, or to a
// spawned `dist/server.js --stdio`.
import { spawn, type ChildProcess } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { startSession, type Session } from '../../server/src/lsp/session';

export interface TestClient {
  connection: ProtocolConnection;
  /** Every publishDiagnostics received, in order. */
  published: PublishDiagnosticsParams[];
  notifications: { method: string; params: unknown }[];
  latest(uri: string): PublishDiagnosticsParams | undefined;
  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
  /** The server session, for an in-process client. */
  session?: Session;
  /**
   * For an in-process client: called with each chunk the server writes, as soon as it is written (the
   * client's own handlers run later, in a turn of the event loop the server may hold with more work).
   */
  onServerData?(listener: (chunk: string) => void): void;
}

function wire(
  connection: ProtocolConnection,
  settings: () => unknown,
  close: () => Promise<void>,
): TestClient {
  const published: PublishDiagnosticsParams[] = [];
  const notifications: { method: string; params: unknown }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (params: PublishDiagnosticsParams) => {
    published.push(params);
  });
  for (const method of [
    'netpolLens/analysisState',
    'window/logMessage',
    'window/showMessage',
    '$/progress',
  ]) {
    connection.onNotification(method, (params: unknown) => {
      notifications.push({ method, params });
    });
  }
  connection.onRequest('workspace/configuration', (params: { items: unknown[] }) =>
    params.items.map(() => settings()),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  return {
    connection,
    published,
    notifications,
    latest: (uri) => [...published].reverse().find((p) => p.uri === uri),
    async waitFor(probe, what, timeoutMs = 15000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const value = probe();
        if (value !== undefined && value !== false) return value as never;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    close,
  };
}

export interface WorkspaceInit {
  /** Client capabilities besides `workspace` (e.g. `experimental`, `window`, `textDocument`). */
  capabilities?: Record<string, unknown>;
  /** `workspace` capabilities besides `configuration` (which every test client answers). */
  workspace?: Record<string, unknown>;
  /** The workspace folder's name. */
  name?: string;
}

/**
 * The LSP handshake: `initialize` with `root` (a folder path) as the one workspace folder (none when
 * null) and a client that answers `workspace/configuration`, then `initialized`, which starts the scan.
 */
export async function initializeWorkspace(
  client: TestClient,
  root: string | null,
  init: WorkspaceInit = {},
): Promise<InitializeResult> {
  const result = await client.connection.sendRequest<InitializeResult>('initialize', {
    processId: null,
    rootUri: null,
    workspaceFolders:
      root === null ? null : [{ uri: pathToFileURL(resolve(root)).toString(), name: init.name ?? 'ws' }],
    capabilities: { ...init.capabilities, workspace: { configuration: true, ...init.workspace } },
  });
  await client.connection.sendNotification('initialized', {});
  return result;
}

export interface InProcessOptions {
  /**
   * Each of the server's writes completes a timer turn later, as one to a pipe does once its buffer is
   * full and the editor has not read it yet (a stdio server publishing hundreds of kilobytes at once).
   */
  laggingTransport?: boolean;
}

/** A stream whose writes reach `target` one timer turn later each (see InProcessOptions). */
function laggingInto(target: PassThrough): Writable {
  return new Writable({
    write: (chunk: Buffer, _encoding, done) =>
      setTimeout(() => {
        target.write(chunk);
        done();
      }, 1),
  });
}

/** A server session in this process, connected through streams. */
export function inProcessClient(
  settings: () => unknown = () => ({}),
  options: InProcessOptions = {},
): TestClient {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const server = createConnection(
    new StreamMessageReader(toServer),
    new StreamMessageWriter(options.laggingTransport ? laggingInto(toClient) : toClient),
  );
  const session = startSession(server, {
    docsUri: pathToFileURL(resolve('docs/diagnostics.md')).toString(),
  });
  server.listen();
  const client = createProtocolConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  const wired = wire(client, settings, async () => {
    await client.sendRequest('shutdown');
    client.dispose();
    server.dispose();
  });
  const onServerData = (listener: (chunk: string) => void) =>
    toClient.on('data', (chunk: Buffer) => listener(chunk.toString('utf8')));
  return { ...wired, session, onServerData };
}

/** The bundled server as a child process speaking LSP over stdio, as Neovim or Helix would start it. */
export function stdioClient(
  serverPath: string,
  settings: () => unknown = () => ({}),
): TestClient & { process: ChildProcess } {
  const child = spawn(process.execPath, [serverPath, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const client = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const wired = wire(client, settings, async () => {
    await client.sendRequest('shutdown').catch(() => undefined);
    await client.sendNotification('exit').catch(() => undefined);
    client.dispose();
    if (child.exitCode === null) child.kill();
  });
  return Object.assign(wired, { process: child });
}
