// Truth-table tests for the reachability engine on the Kubernetes network-policy e2e model (the model of
// the upstream e2e tests and cyclonus): namespaces x, y, z with pods a, b, c, each serving 80 and 81 on
// TCP, UDP and SCTP (test/e2e-model/base.yaml). Each case in test/e2e-model/cases/ adds policies and
// states the whole expected matrix for every probed port; the matrices are derived by hand from the
// Kubernetes NetworkPolicy semantics, never from the engine. Optional `checks` query single pairs (e.g. to
// the implicit kube-system/kube-dns). See test/e2e-model/README.md for the format.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { analyzeFiles, type Analysis, type Peer, type Protocol } from '../../server/src/core/index';

const MODEL_DIR = resolve(__dirname, '../e2e-model');
const CASES_DIR = join(MODEL_DIR, 'cases');
const OPTIONS = { implicitDns: true, inferPods: false };
const MIN_CASES = 28;

/** The pods of base.yaml, in matrix order. */
const PODS: readonly string[] = ['x', 'y', 'z'].flatMap((ns) => ['a', 'b', 'c'].map((p) => `${ns}/${p}`));

// ---------------------------------------------------------------------------------------------
// The matrix format

/** from → to → allowed; self pairs are absent. */
type Matrix = Map<string, Map<string, boolean>>;

const CELLS: Record<string, boolean | null> = { '.': true, X: false, '-': null };

/**
 * Parses a matrix: a header line with every pod in `pods` order, then one line per pod in the same order
 * starting with the pod and followed by one cell per column: "." allowed, "X" denied, "-" self. "-" must
 * be on the diagonal and only there. Anything else throws, so a typo in the data cannot pass silently.
 */
function parseMatrix(text: string, pods: readonly string[] = PODS): Matrix {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new Error('empty matrix');
  const header = lines[0].split(/\s+/);
  if (header.join(' ') !== pods.join(' ')) {
    throw new Error(`header must be "${pods.join(' ')}", got "${header.join(' ')}"`);
  }
  const rows = lines.slice(1);
  if (rows.length !== pods.length) {
    throw new Error(`expected ${pods.length} rows, got ${rows.length}`);
  }
  const matrix: Matrix = new Map();
  rows.forEach((line, i) => {
    const [from, ...cells] = line.split(/\s+/);
    if (from !== pods[i]) throw new Error(`row ${i + 1} must start with ${pods[i]}, got "${from}"`);
    if (cells.length !== pods.length) {
      throw new Error(`row ${from} has ${cells.length} cells, expected ${pods.length}`);
    }
    const row = new Map<string, boolean>();
    cells.forEach((cell, j) => {
      const to = pods[j];
      if (!(cell in CELLS)) throw new Error(`row ${from}, column ${to}: unknown cell "${cell}"`);
      const value = CELLS[cell];
      if ((value === null) !== (from === to)) {
        throw new Error(`row ${from}, column ${to}: "-" belongs on the diagonal and only there`);
      }
      if (value !== null) row.set(to, value);
    });
    matrix.set(from, row);
  });
  return matrix;
}

function formatMatrix(matrix: Matrix, pods: readonly string[] = PODS): string[] {
  const width = Math.max(...pods.map((p) => p.length));
  const cell = (s: string) => s.padStart(Math.ceil((width + s.length) / 2)).padEnd(width);
  return [
    [' '.repeat(width), ...pods.map((p) => p.padEnd(width))].join(' ').trimEnd(),
    ...pods.map((from) =>
      [
        from.padEnd(width),
        ...pods.map((to) => {
          const v = matrix.get(from)?.get(to);
          return cell(from === to ? '-' : v === undefined ? '?' : v ? '.' : 'X');
        }),
      ]
        .join(' ')
        .trimEnd(),
    ),
  ];
}

function sideBySide(expected: Matrix, actual: Matrix): string {
  const left = formatMatrix(expected);
  const right = formatMatrix(actual);
  const width = Math.max(...left.map((l) => l.length), 'expected'.length);
  return [
    `${'expected'.padEnd(width)}    actual`,
    ...left.map((l, i) => `${l.padEnd(width)}    ${right[i]}`),
  ].join('\n');
}

interface PortSpec {
  port: number;
  protocol: Protocol;
}

function parsePort(text: unknown): PortSpec {
  const m = typeof text === 'string' ? /^(\d+)\/(TCP|UDP|SCTP)$/.exec(text) : null;
  const port = m ? Number(m[1]) : NaN;
  if (!m || port < 1 || port > 65535)
    throw new Error(`port must look like 80/TCP, got ${JSON.stringify(text)}`);
  return { port, protocol: m[2] as Protocol };
}

// ---------------------------------------------------------------------------------------------
// Cases

interface Probe {
  label: string;
  port: PortSpec;
  expected: Matrix;
}

interface Check {
  from: string;
  to: string;
  label: string;
  port: PortSpec;
  allowed: boolean;
}

interface Case {
  file: string;
  name: string;
  description: string;
  policies: string;
  probes: Probe[];
  checks: Check[];
}

function onlyKeys(obj: unknown, allowed: string[], where: string): Record<string, unknown> {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj))
    throw new Error(`${where}: not a mapping`);
  const extra = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new Error(`${where}: unknown keys ${extra.join(', ')}`);
  return obj as Record<string, unknown>;
}

function loadCase(file: string): Case {
  const raw = onlyKeys(
    parseYaml(readFileSync(join(CASES_DIR, file), 'utf8')),
    ['name', 'description', 'policies', 'probes', 'checks'],
    file,
  );
  const { name, description, policies } = raw;
  if (typeof name !== 'string' || name === '') throw new Error(`${file}: name is missing`);
  if (typeof description !== 'string' || description === '')
    throw new Error(`${file}: description is missing`);
  if (typeof policies !== 'string') throw new Error(`${file}: policies must be a string`);
  if (!Array.isArray(raw.probes) || raw.probes.length === 0)
    throw new Error(`${file}: probes must be a non-empty list`);
  const probes = raw.probes.map((p: unknown, i: number): Probe => {
    const probe = onlyKeys(p, ['port', 'matrix'], `${file} probe ${i + 1}`);
    if (typeof probe.matrix !== 'string') throw new Error(`${file} probe ${i + 1}: matrix must be a string`);
    try {
      return { label: String(probe.port), port: parsePort(probe.port), expected: parseMatrix(probe.matrix) };
    } catch (e) {
      throw new Error(`${file} probe ${i + 1}: ${(e as Error).message}`);
    }
  });
  const labels = probes.map((p) => p.label);
  if (new Set(labels).size !== labels.length) throw new Error(`${file}: a port is probed twice`);
  const checks = (raw.checks ?? []) as unknown[];
  if (!Array.isArray(checks)) throw new Error(`${file}: checks must be a list`);
  return {
    file,
    name,
    description,
    policies,
    probes,
    checks: checks.map((c, i): Check => {
      const check = onlyKeys(c, ['from', 'to', 'port', 'allowed'], `${file} check ${i + 1}`);
      if (
        typeof check.from !== 'string' ||
        typeof check.to !== 'string' ||
        typeof check.allowed !== 'boolean'
      ) {
        throw new Error(`${file} check ${i + 1}: needs from, to (strings) and allowed (boolean)`);
      }
      return {
        from: check.from,
        to: check.to,
        label: String(check.port),
        port: parsePort(check.port),
        allowed: check.allowed,
      };
    }),
  };
}

const BASE = readFileSync(join(MODEL_DIR, 'base.yaml'), 'utf8');
const CASE_FILES = readdirSync(CASES_DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
// A case that does not load (bad YAML, bad matrix, …) becomes a failing test instead of hiding the others.
const LOADED = CASE_FILES.map((file): Case | { file: string; error: Error } => {
  try {
    return loadCase(file);
  } catch (error) {
    return { file, error: error as Error };
  }
});
const CASES = LOADED.filter((c): c is Case => !('error' in c));

function analyze(policies: string): Analysis {
  return analyzeFiles(
    [
      { uri: 'file:///base.yaml', text: BASE },
      { uri: 'file:///case.yaml', text: policies },
    ],
    OPTIONS,
  );
}

function peerOf(analysis: Analysis, spec: string): Peer {
  const peer = analysis.reachability.findPeer(spec);
  assert.ok(peer, `no peer ${spec}`);
  return peer;
}

function errors(analysis: Analysis): string[] {
  return analysis.problems
    .filter((p) => p.severity === 'error')
    .map((p) => `${p.uri}:${p.range.start.line + 1}: ${p.code} ${p.message}`);
}

// ---------------------------------------------------------------------------------------------
// Tests

test(`there are at least ${MIN_CASES} cases, with unique names, each probing 80/TCP`, () => {
  assert.ok(CASES.length >= MIN_CASES, `only ${CASES.length} cases`);
  assert.equal(CASES.length, CASE_FILES.length, 'every case file must load');
  const names = CASES.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'case names must be unique');
  for (const c of CASES)
    assert.ok(
      c.probes.some((p) => p.label === '80/TCP'),
      `${c.file} does not probe 80/TCP`,
    );
});

test('the base workspace has exactly the nine model pods and no errors', () => {
  const analysis = analyze('');
  assert.deepEqual(errors(analysis), []);
  for (const pod of PODS) {
    const peer = peerOf(analysis, pod);
    assert.equal(peer.kind, 'pod');
  }
  const pods = analysis.reachability.peers
    .filter((p) => p.kind === 'pod' && ['x', 'y', 'z'].includes(p.namespace))
    .map((p) => p.id)
    .sort();
  assert.deepEqual(
    pods,
    PODS.map((p) => `${p}[Pod]`),
  );
});

test('the matrix parser accepts a well-formed matrix and round-trips it', () => {
  const text = formatMatrix(
    new Map(PODS.map((f) => [f, new Map(PODS.filter((t) => t !== f).map((t) => [t, t !== 'y/b'] as const))])),
  ).join('\n');
  const parsed = parseMatrix(text);
  assert.equal(parsed.get('x/a')?.get('y/b'), false);
  assert.equal(parsed.get('x/a')?.get('y/c'), true);
  assert.equal(parsed.get('x/a')?.has('x/a'), false);
  assert.deepEqual(formatMatrix(parsed).join('\n'), text);
  // Indentation and column alignment are free.
  const compact = ['x/a x/b', 'x/a - .', '  x/b   X  -  '].join('\n');
  assert.deepEqual(
    parseMatrix(compact, ['x/a', 'x/b']),
    new Map([
      ['x/a', new Map([['x/b', true]])],
      ['x/b', new Map([['x/a', false]])],
    ]),
  );
});

test('the matrix parser rejects malformed matrices', () => {
  const pods = ['x/a', 'x/b', 'x/c'];
  const good = ['    x/a x/b x/c', 'x/a  -   .   X', 'x/b  .   -   .', 'x/c  X   .   -'];
  assert.doesNotThrow(() => parseMatrix(good.join('\n'), pods));
  const bad: [string, string[], RegExp][] = [
    ['empty', [], /empty/],
    ['unknown cell', [good[0], good[1], 'x/b  .   -   o', good[3]], /unknown cell "o"/],
    ['lower-case x', [good[0], good[1], 'x/b  x   -   .', good[3]], /unknown cell "x"/],
    ['missing cell', [good[0], good[1], 'x/b  .   -', good[3]], /2 cells/],
    ['extra cell', [good[0], good[1], 'x/b  .   -   .   .', good[3]], /4 cells/],
    ['missing row', [good[0], good[1], good[2]], /expected 3 rows, got 2/],
    ['extra row', [...good, 'x/c  X   .   -'], /expected 3 rows, got 4/],
    ['rows out of order', [good[0], good[2], good[1], good[3]], /row 1 must start with x\/a/],
    ['duplicate row', [good[0], good[1], good[1], good[3]], /row 2 must start with x\/b/],
    ['unknown row', [good[0], good[1], 'x/d  .   -   .', good[3]], /must start with x\/b/],
    ['header out of order', ['    x/b x/a x/c', ...good.slice(1)], /header/],
    ['header missing a column', ['    x/a x/b', ...good.slice(1)], /header/],
    ['no header', good.slice(1), /header/],
    ['self not marked', [good[0], 'x/a  .   .   X', good[2], good[3]], /diagonal/],
    ['dash off the diagonal', [good[0], good[1], 'x/b  -   .   .', good[3]], /diagonal/],
    ['cells glued together', [good[0], good[1], 'x/b  .-.', good[3]], /1 cells/],
  ];
  for (const [what, lines, message] of bad) {
    assert.throws(() => parseMatrix(lines.join('\n'), pods), message, what);
  }
});

test('the port parser rejects malformed ports', () => {
  assert.deepEqual(parsePort('81/SCTP'), { port: 81, protocol: 'SCTP' });
  for (const bad of ['80', '80/tcp', 'TCP/80', '0/TCP', '65536/UDP', '80/ICMP', 80, undefined]) {
    assert.throws(() => parsePort(bad), /port must look like/, String(bad));
  }
});

for (const c of LOADED) {
  if ('error' in c) {
    test(`${c.file} loads`, () => {
      throw c.error;
    });
    continue;
  }
  test(`${c.file}: ${c.name}`, async (t) => {
    const analysis = analyze(c.policies);
    assert.deepEqual(errors(analysis), [], 'a valid case must not produce errors');
    const reach = analysis.reachability;
    const peers = new Map(PODS.map((p) => [p, peerOf(analysis, p)]));
    for (const probe of c.probes) {
      await t.test(probe.label, () => {
        const actual: Matrix = new Map();
        const wrong: string[] = [];
        for (const from of PODS) {
          const row = new Map<string, boolean>();
          for (const to of PODS) {
            if (from === to) continue;
            const q = reach.query(peers.get(from)!, peers.get(to)!, probe.port);
            row.set(to, q.allowed);
            const expected = probe.expected.get(from)!.get(to)!;
            if (q.allowed !== expected) {
              wrong.push(
                `  ${from} -> ${to}: expected ${expected ? 'allowed' : 'denied'}, got ${q.allowed ? 'allowed' : 'denied'} (engine: ${q.connections.toString() || 'nothing'})`,
              );
            }
          }
          actual.set(from, row);
        }
        if (wrong.length > 0) {
          assert.fail(
            `${c.name}, ${probe.label}: ${wrong.length} cell(s) differ\n${sideBySide(probe.expected, actual)}\n${wrong.join('\n')}`,
          );
        }
      });
    }
    for (const check of c.checks) {
      await t.test(`${check.from} -> ${check.to} ${check.label}`, () => {
        const q = reach.query(peerOf(analysis, check.from), peerOf(analysis, check.to), check.port);
        assert.equal(
          q.allowed,
          check.allowed,
          `${check.from} -> ${check.to} on ${check.label}: expected ${check.allowed ? 'allowed' : 'denied'} (engine: ${q.connections.toString() || 'nothing'})`,
        );
      });
    }
  });
}
