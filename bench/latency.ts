// Editor latency through the real language server (in-process LSP connection): the time to first
// diagnostics for a cold workspace on disk, and keystroke-to-diagnostics for edits in one document.
//
// The server runs with netpolLens.debounceMs = 0, so a latency is the analysis and publishing time after
// the debounce would fire (add the debounce, 100 ms by default, for what a typist waits). Replies are
// awaited by polling on every turn of the event loop (setImmediate), not on a timer, so the figures are
// not rounded up to a polling interval.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { COMPARE } from '../server/src/protocol';
import { inProcessClient } from '../test/support/lsp-client';
import { generateWorkspace, SIZES } from './generate';

export interface LatencyResult {
  documents: number;
  files: number;
  /** From `initialize` to the first diagnostics of the whole workspace (scan, parse, analysis, publishing). */
  coldMs: number;
  edits: number;
  p50: number;
  p95: number;
  max: number;
  /**
   * CPU time of this process per keystroke (server and in-process client), p50/p95: unlike the wall-clock
   * figures it does not grow when other processes compete for the cores.
   */
  cpuP50: number;
  cpuP95: number;
  /** Keystroke to the whole workspace's diagnostics (the other files' follow the edited file's), p50/p95. */
  allP50: number;
  allP95: number;
  /** CPU time of this process to the edited file's diagnostics, p50/p95 (see cpuP50). */
  firstCpuP50: number;
  firstCpuP95: number;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Resolves once `probe` holds, checking after every event-loop turn; rejects after `timeoutMs`. */
async function until(probe: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!probe()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/**
 * `afterWarmUp`: the typist starts once the server has finished its idle-time warm-up after the cold
 * start (about a second on the medium workspace), as someone who first looks at the file does; otherwise
 * right after the file's first diagnostics, while the analysis code is still being optimised by V8.
 * `inGit`: the workspace is a git repository whose HEAD holds it as written, so the server compares every
 * analysis with HEAD (netpolLens.compareWith's default), as in most real workspaces.
 */
export async function measureLatency(
  sizeName = 'medium',
  edits = 60,
  { afterWarmUp = true, inGit = false } = {},
): Promise<LatencyResult> {
  const size = SIZES.find((s) => s.name === sizeName)!;
  const workspace = generateWorkspace(size);
  const root = mkdtempSync(join(tmpdir(), 'netpol-latency-'));
  const uris: string[] = [];
  for (const [i, file] of workspace.files.entries()) {
    const path = join(root, `ns-${String(i).padStart(4, '0')}.yaml`);
    writeFileSync(path, file.text);
    uris.push(pathToFileURL(path).toString());
  }
  if (inGit) {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], {
        cwd: root,
      });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'workspace');
  }
  const documents = workspace.files.reduce((n, f) => n + f.text.split(/^---$/m).length, 0);
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  try {
    const started = performance.now();
    await client.connection.sendRequest('initialize', {
      processId: null,
      rootUri: null,
      workspaceFolders: [{ uri: pathToFileURL(root).toString(), name: 'bench' }],
      capabilities: { workspace: { configuration: true } },
    });
    await client.connection.sendNotification('initialized', {});
    await until(
      () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
      'first analysis',
      120_000,
    );
    const coldMs = performance.now() - started;
    // HEAD is analysed after the first publish; the comparison request answers once it is in.
    if (inGit) await client.connection.sendRequest(COMPARE, {});

    const index = Math.floor(uris.length / 2);
    const uri = uris[index];
    const text = workspace.files[index].text;
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await until(() => client.latest(uri)?.version === 1, 'open', 60_000);
    if (afterWarmUp) await client.session!.warmedUp;
    // Keystrokes in the first pod label value of the document (`app: web` → `app: wxeb` → `app: web` …):
    // odd versions type a character, even versions delete it again, so the workspace changes every time
    // (classes, selections and lints are recomputed) and the text's length does too.
    const target = text.indexOf('app: ') + 'app: '.length + 1;
    const line = text.slice(0, target).split('\n').length - 1;
    const character = target - text.lastIndexOf('\n', target - 1) - 1;
    const at = { line, character };
    const latencies: number[] = [];
    const everywhere: number[] = [];
    const cpu: number[] = [];
    const firstCpu: number[] = [];
    // When the server hands the edited file's diagnostics to the transport: a client in another process
    // (VS Code, Neovim) reads them then, while this process's client would wait for the server to finish
    // the rest of the workspace first.
    let awaited = '';
    let handedOver: { at: number; cpu: NodeJS.CpuUsage } | undefined;
    client.onServerData!((chunk) => {
      if (awaited && chunk.includes(awaited) && chunk.includes('textDocument/publishDiagnostics'))
        handedOver ??= { at: performance.now(), cpu: process.cpuUsage() };
    });
    const fullPublishes = () =>
      client.notifications.filter((n) => n.method === 'netpolLens/analysisState').length;
    for (let version = 2; version < edits + 2; version++) {
      const typing = version % 2 === 0;
      const change = typing
        ? { range: { start: at, end: at }, text: String.fromCharCode(97 + ((version >> 1) % 26)) }
        : { range: { start: at, end: { line, character: character + 1 } }, text: '' };
      const before = fullPublishes();
      awaited = `"uri":${JSON.stringify(uri)},"version":${version},`;
      handedOver = undefined;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [change],
      });
      await until(() => client.latest(uri)?.version === version, `version ${version}`, 60_000);
      // Set by the transport listener meanwhile (TypeScript cannot see that).
      const handed = handedOver as { at: number; cpu: NodeJS.CpuUsage } | undefined;
      if (!handed) throw new Error(`version ${version} arrived without passing the transport`);
      latencies.push(handed.at - t0);
      firstCpu.push((handed.cpu.user - cpu0.user + handed.cpu.system - cpu0.system) / 1000);
      // The next keystroke comes once the server is idle: the rest of the workspace is published too.
      await until(() => fullPublishes() > before, `workspace after version ${version}`, 60_000);
      everywhere.push(performance.now() - t0);
      const used = process.cpuUsage(cpu0);
      cpu.push((used.user + used.system) / 1000);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const sortedCpu = [...cpu].sort((a, b) => a - b);
    const sortedAll = [...everywhere].sort((a, b) => a - b);
    const sortedFirstCpu = [...firstCpu].sort((a, b) => a - b);
    return {
      documents,
      files: uris.length,
      coldMs,
      edits,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      max: sorted[sorted.length - 1],
      cpuP50: percentile(sortedCpu, 50),
      cpuP95: percentile(sortedCpu, 95),
      allP50: percentile(sortedAll, 50),
      allP95: percentile(sortedAll, 95),
      firstCpuP50: percentile(sortedFirstCpu, 50),
      firstCpuP95: percentile(sortedFirstCpu, 95),
    };
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
}
