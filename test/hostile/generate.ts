// Writes the hostile corpus (corpus.ts) to a folder: one sub-folder per file-based case, with an
// EXPECTED.txt saying what netpol-lens must do with it. Usage: npx tsx test/hostile/generate.ts OUT
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CASES, type CliCase } from './corpus';

/** Writes one case's files (and special files) into `dir`; false when the platform cannot make them. */
export function writeCase(c: CliCase, dir: string): boolean {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(c.files)) {
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return c.prepare?.(dir) !== false;
}

function expected(c: CliCase): string {
  const e = c.expect;
  return [
    `${c.what}`,
    `command: netpol-lens ${[...c.command, '.'].join(' ')}`,
    `exit code: ${e.exit}`,
    ...(e.located ?? []).map((l) => `diagnostic ${l.code} at ${l.file}:${l.line}`),
    ...(e.stdout ? [`stdout matches ${e.stdout}`] : []),
    ...(e.notStdout ? [`stdout does not match ${e.notStdout}`] : []),
    ...(e.stderr ? [`stderr matches ${e.stderr}`] : []),
    '',
  ].join('\n');
}

export function writeCorpus(out: string): string[] {
  const written: string[] = [];
  for (const c of CASES) {
    if (c.kind !== 'cli') continue;
    const dir = join(out, c.name);
    if (!writeCase(c, dir)) continue;
    writeFileSync(join(dir, 'EXPECTED.txt'), expected(c));
    written.push(dir);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(__filename)) {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npx tsx test/hostile/generate.ts OUT');
    process.exit(2);
  }
  for (const dir of writeCorpus(out)) console.log(dir);
}
