// Time to all diagnostics from server start, for netpol-lens and for another stdio language server
// (yaml-language-server with the NetworkPolicy schema), with the same client and the same messages:
// initialize with the workspace folder, open every file, wait until the server has said everything.
//
// yaml-language-server is not a dependency: install it anywhere (`npm install yaml-language-server` in a
// scratch folder) and pass its `out/server/src/server.js`:
//   node dist/bench.js --vs-yaml-ls PATH/TO/server.js [RUNS]
// Without the flag, `npm run bench` prints how to run this part.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { generateWorkspace } from './generate';
import { POLICIES_ONLY } from './generate-repo';

interface ServerUnderTest {
  name: string;
  args: string[];
  /** The answer to workspace/configuration for one section. */
  settings(section: string | undefined): unknown;
  /** Whether everything has been said, given what the client received. */
  finished(received: Received): boolean;
}

interface Received {
  published: Map<string, PublishDiagnosticsParams>;
  analysisState: boolean;
  opened: readonly string[];
}

const NETWORK_POLICY_SCHEMA = resolve('schemas/networkpolicy-networking-v1.json');

function netpolLens(): ServerUnderTest {
  return {
    name: 'netpol-lens',
    args: [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ') ?? []), resolve('dist/server.js'), '--stdio'],
    settings: () => ({}),
    // The server publishes every file of the workspace, then says so with its analysis state.
    finished: (r) => r.analysisState && r.opened.every((uri) => r.published.has(uri)),
  };
}

function yamlLanguageServer(serverJs: string): ServerUnderTest {
  const yaml = {
    validate: true,
    hover: false,
    completion: false,
    format: { enable: false },
    schemaStore: { enable: false },
    schemas: { [pathToFileURL(NETWORK_POLICY_SCHEMA).toString()]: '*.yaml' },
  };
  return {
    name: 'yaml-language-server',
    args: [resolve(serverJs), '--stdio'],
    settings: (section) => (section === 'yaml' ? yaml : section === 'http' ? {} : null),
    // It validates the open documents only: every one of them has been published.
    finished: (r) => r.opened.every((uri) => r.published.has(uri)),
  };
}

/**
 * CPU milliseconds (user + system) a process has used so far, from /proc (Linux); undefined elsewhere.
 * Unlike the wall clock it hardly grows when other processes compete for the cores.
 */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime is the 14th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** USER_HZ: what /proc counts CPU time in, 100 on every Linux build that matters here. */
const CLOCK_TICKS_PER_SECOND = 100;

interface Timing {
  /** From spawning the server to the last diagnostics of the workspace. */
  wallMs: number;
  /** The server's CPU time over the same span (undefined where /proc is not there). */
  cpuMs: number | undefined;
}

/** Time from spawning the server to the last diagnostics of the workspace. */
async function timeToAllDiagnostics(
  server: ServerUnderTest,
  root: string,
  files: readonly { uri: string; text: string }[],
): Promise<Timing> {
  const start = performance.now();
  const child = spawn(process.execPath, server.args, { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createProtocolConnection(
    new StreamMessageReader(child.stdout!),
    new StreamMessageWriter(child.stdin!),
  );
  const received: Received = { published: new Map(), analysisState: false, opened: files.map((f) => f.uri) };
  let done: () => void = () => {};
  const finished = new Promise<void>((resolve) => (done = resolve));
  const check = () => server.finished(received) && done();
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    received.published.set(p.uri, p);
    check();
  });
  connection.onNotification('netpolLens/analysisState', () => {
    received.analysisState = true;
    check();
  });
  connection.onRequest('workspace/configuration', (params: { items: { section?: string }[] }) =>
    params.items.map((item) => server.settings(item.section)),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('window/workDoneProgress/create', () => null);
  connection.listen();
  try {
    await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: pathToFileURL(root).toString(),
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }],
      capabilities: {
        workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true } },
      },
    });
    await connection.sendNotification('initialized', {});
    for (const file of files) {
      await connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri: file.uri, languageId: 'yaml', version: 1, text: file.text },
      });
    }
    await finished;
    return { wallMs: performance.now() - start, cpuMs: cpuMsOf(child.pid) };
  } finally {
    await connection.sendRequest('shutdown').catch(() => undefined);
    await connection.sendNotification('exit').catch(() => undefined);
    // A server that does not exit by itself within a few seconds of `exit` is stopped.
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const timer = setTimeout(() => child.kill(), 5000);
    if (child.exitCode === null) await exited;
    clearTimeout(timer);
    connection.dispose();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The 1,800-policy workspace (100 files), both servers alternating; medians and the ratio per pair. */
export async function compareWithYamlLanguageServer(serverJs: string | undefined, runs = 3): Promise<void> {
  console.log('');
  console.log('Time to all diagnostics from server start (1,800 policies in 101 files, every file opened)');
  if (!serverJs) {
    console.log('  skipped: pass --vs-yaml-ls PATH/TO/yaml-language-server/out/server/src/server.js');
    return;
  }
  const root = mkdtempSync(join(tmpdir(), 'netpol-vs-yamlls-'));
  try {
    const files = generateWorkspace(POLICIES_ONLY).files.map((f) => {
      const path = join(root, f.uri.replace('file:///bench/', ''));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.text);
      return { uri: pathToFileURL(path).toString(), text: f.text };
    });
    const servers = [netpolLens(), yamlLanguageServer(serverJs)];
    const samples: Timing[][] = servers.map(() => []);
    const cpu = (t: Timing) => (t.cpuMs === undefined ? '' : ` (CPU ${t.cpuMs.toFixed(0)} ms)`);
    for (let run = 0; run <= runs; run++) {
      const times: Timing[] = [];
      for (const server of servers) times.push(await timeToAllDiagnostics(server, root, files));
      if (run === 0) continue; // warm-up (disk cache)
      times.forEach((t, i) => samples[i].push(t));
      console.log(
        `  run ${run}: ${servers.map((s, i) => `${s.name} ${times[i].wallMs.toFixed(0)} ms${cpu(times[i])}`).join(', ')}`,
      );
    }
    const [ours, theirs] = samples;
    const ratios = theirs.map((t, i) => t.wallMs / ours[i].wallMs);
    console.log(
      `  median: netpol-lens ${median(ours.map((t) => t.wallMs)).toFixed(0)} ms, yaml-language-server ` +
        `${median(theirs.map((t) => t.wallMs)).toFixed(0)} ms; yaml-language-server / netpol-lens ` +
        `${median(ratios).toFixed(2)}x (goal >= 3x)`,
    );
    if (ours.every((t) => t.cpuMs !== undefined) && theirs.every((t) => t.cpuMs !== undefined)) {
      const cpuRatios = theirs.map((t, i) => t.cpuMs! / ours[i].cpuMs!);
      console.log(
        `  CPU time of the servers, median: netpol-lens ${median(ours.map((t) => t.cpuMs!)).toFixed(0)} ms, ` +
          `yaml-language-server ${median(theirs.map((t) => t.cpuMs!)).toFixed(0)} ms; ratio ${median(cpuRatios).toFixed(2)}x`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
