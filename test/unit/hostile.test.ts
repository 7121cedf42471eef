// Runs the generated hostile corpus (test/hostile/corpus.ts): every case must end as it states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import { CASES, type CliCase, type RatioCase } from '../hostile/corpus';
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
  const { code, out, err } = await cli([...c.command, dir]);
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

for (const c of CASES) {
  if (c.kind === 'cli') test(`hostile ${c.name}: ${c.what}`, () => runCli(c));
  else if (c.kind === 'ratio') test(`hostile ${c.name}: ${c.what}`, () => runRatio(c));
}
