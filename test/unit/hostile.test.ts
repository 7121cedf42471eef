// Runs the generated hostile corpus (test/hostile/corpus.ts): every case must end as it states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import { StreamMessageReader, type Message } from 'vscode-languageserver/node';
import { CASES, type CliCase, type RatioCase, type StdioCase } from '../hostile/corpus';
import { writeCase } from '../hostile/generate';

const ROOT = mkdtempSync(join(tmpdir(), 'netpol-hostile-'));
test.after(() => rmSync(ROOT, { recursive: true, force: true }));

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

async function runCli(c: CliCase): Promise<void> {
  const dir = join(ROOT, c.name);
  if (!writeCase(c, dir)) return;
  const named = c.command.some((arg) => arg.includes('{dir}'));
  const args = named ? c.command.map((arg) => arg.replace('{dir}', dir)) : [...c.command, dir];
  const { code, out, err } = await cli(args);
  const shown = `stdout:\n${out.slice(0, 2000)}\nstderr:\n${err.slice(0, 2000)}`;
  assert.equal(code, c.expect.exit, `${c.name}: exit code\n${shown}`);
  if (c.expect.stdout) assert.match(out, c.expect.stdout, `${c.name}: stdout`);
  if (c.expect.notStdout) assert.doesNotMatch(out + err, c.expect.notStdout, `${c.name}: output`);
  if (c.expect.stderr) assert.match(err, c.expect.stderr, `${c.name}: stderr`);
  if (c.expect.located) {
    const checked = await cli(['check', '-f', 'json', dir]);
    const problems = JSON.parse(checked.out) as { uri: string; line: number; code: string }[];
    for (const l of c.expect.located) {
      assert.ok(
        problems.some((p) => p.code === l.code && p.uri.endsWith(`/${l.file}`) && p.line === l.line),
        `${c.name}: expected ${l.code} at ${l.file}:${l.line}, got ${JSON.stringify(problems.map((p) => `${p.code} ${p.uri.split('/').pop()}:${p.line}`))}`,
      );
    }
  }
}

/** CPU time of `run` on the text (microseconds). */
function cpu(c: RatioCase, text: string): number {
  const start = process.cpuUsage();
  c.run(text);
  const used = process.cpuUsage(start);
  return used.user + used.system;
}

function runRatio(c: RatioCase): void {
  const [small, large] = c.sizes;
  const smallText = c.text(small);
  c.run(smallText); // warm-up: the first run also compiles the code
  const ratio = cpu(c, c.text(large)) / Math.max(1, cpu(c, smallText));
  const allowed = c.bound * (large / small);
  assert.ok(ratio <= allowed, `${c.name}: work grew ${ratio.toFixed(1)}× for ${large / small}× the input`);
}

function frame(message: object): string {
  const json = JSON.stringify({ jsonrpc: '2.0', ...message });
  return `Content-Length: ${Buffer.byteLength(json)}\r\n\r\n${json}`;
}

/** Polls `probe` every 10 ms until it holds (no fixed sleeps); fails after `timeoutMs`. */
async function until(probe: () => boolean, what: string, timeoutMs = 20000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `node dist/server.js --stdio`, initialized, then the case's bytes; alive or exited as it states. */
async function runStdio(c: StdioCase): Promise<void> {
  const child = spawn(process.execPath, ['dist/server.js', '--stdio'], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const answered = new Map<unknown, number | undefined>(); // id → error code (undefined: a result)
  new StreamMessageReader(child.stdout).listen((m: Message) => {
    if ('id' in m && !('method' in m)) answered.set(m.id, (m as { error?: { code: number } }).error?.code);
  });
  let exitCode: number | null = null;
  child.on('exit', (code, signal) => (exitCode = code ?? (signal ? 128 : 0)));
  try {
    child.stdin.write(
      frame({ id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } }),
    );
    await until(() => answered.has(1), 'initialize');
    child.stdin.write(frame({ method: 'initialized', params: {} }));
    for (const chunk of c.send(frame)) child.stdin.write(chunk);
    if (c.endInput) child.stdin.end();
    if (c.expect.alive) {
      child.stdin.write(frame({ id: 99, method: 'shutdown' }));
      await until(() => answered.has(99) || exitCode !== null, 'the answer to a request sent afterwards');
      assert.equal(exitCode, null, `${c.name}: the server exited\n${stderr}`);
      for (const [id, code] of Object.entries(c.expect.errors ?? {}))
        assert.equal(answered.get(Number(id)), code, `${c.name}: the answer to request ${id}`);
    } else {
      await until(() => exitCode !== null, `${c.name}: the server to exit`);
      assert.notEqual(exitCode, 0, `${c.name}: exit code`);
      assert.match(stderr, c.expect.stderr, `${c.name}: stderr`);
    }
  } finally {
    if (exitCode === null) child.kill();
  }
}

const NO_BUNDLE = !existsSync('dist/server.js') && 'run npm run build first';

for (const c of CASES) {
  if (c.kind === 'cli') test(`hostile ${c.name}: ${c.what}`, () => runCli(c));
  else if (c.kind === 'ratio') test(`hostile ${c.name}: ${c.what}`, () => runRatio(c));
  else test(`hostile ${c.name}: ${c.what}`, { skip: NO_BUNDLE }, () => runStdio(c));
}
