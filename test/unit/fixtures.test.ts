// The tutorial fixtures: every test-fixtures/**/claims.yaml lists outcomes of its folder's manifests,
// and each one is checked through the engine. Every folder must also be free of error diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse } from 'yaml';
import type { Analysis, LanguageService, Peer, PortQuery } from '../../server/src/core/index';
import { serviceOf } from '../support/fixtures';

const ROOT = join(__dirname, '..', '..', 'test-fixtures');
/** The scenarios the tutorials give; each must have at least one claims.yaml. */
const SCENARIOS = ['three-tier', 'secure-app', 'db-policy', 'default-deny-dns', 'namespace-isolation'];
const CLAIM_KEYS = new Set(['from', 'to', 'port', 'allowed', 'why', 'tutorial']);

interface Claim {
  from: string;
  to: string;
  port?: string;
  allowed: boolean;
  why: string;
  tutorial?: 'allowed' | 'denied';
}

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

function label(folder: string): string {
  return relative(ROOT, folder).split(sep).join('/');
}

function analyzeFolder(folder: string): LanguageService {
  const files = walk(folder)
    .filter((f) => /\.ya?ml$/.test(f) && !/^claims\.ya?ml$/.test(f.split(sep).pop()!))
    .map((f) => ({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') }));
  assert.ok(files.length > 0, `${label(folder)} has no manifests`);
  return serviceOf(files);
}

/** The raw entries of a claims file; fails when there is no non-empty `claims` list. */
function readClaims(file: string): unknown[] {
  const doc = parse(readFileSync(file, 'utf8')) as { claims?: unknown } | null;
  const claims = doc?.claims;
  assert.ok(Array.isArray(claims), `${file}: expected a top-level 'claims' list`);
  assert.ok(claims.length > 0, `${file}: the claims list is empty`);
  return claims;
}

/** Checks the shape of one entry and returns it typed. */
function validClaim(entry: unknown, where: string): Claim {
  assert.ok(
    entry !== null && typeof entry === 'object' && !Array.isArray(entry),
    `${where} is not a mapping`,
  );
  const c = entry as Record<string, unknown>;
  for (const key of Object.keys(c)) assert.ok(CLAIM_KEYS.has(key), `${where}: unknown key '${key}'`);
  assert.ok(typeof c.from === 'string' && c.from !== '', `${where}: 'from' must be a string`);
  assert.ok(typeof c.to === 'string' && c.to !== '', `${where}: 'to' must be a string`);
  assert.equal(typeof c.allowed, 'boolean', `${where}: 'allowed' must be true or false`);
  assert.ok(typeof c.why === 'string' && c.why.trim() !== '', `${where}: 'why' must explain the outcome`);
  if (c.port !== undefined) {
    assert.match(String(c.port), /^\d{1,5}\/(TCP|UDP|SCTP)$/, `${where}: 'port' must look like 80/TCP`);
    assert.equal(typeof c.port, 'string', `${where}: 'port' must look like 80/TCP`);
  }
  if (c.tutorial !== undefined) {
    assert.ok(
      c.tutorial === 'allowed' || c.tutorial === 'denied',
      `${where}: 'tutorial' must be allowed or denied`,
    );
  }
  return c as unknown as Claim;
}

function parsePort(spec: string | undefined): PortQuery | undefined {
  if (spec === undefined) return undefined;
  const [port, protocol] = spec.split('/');
  return { port: Number(port), protocol: protocol as PortQuery['protocol'] };
}

function findPeer(analysis: Analysis, spec: string, role: 'source' | 'destination'): Peer {
  const reach = analysis.reachability;
  const peer = reach.findPeer(spec, role);
  assert.ok(
    peer,
    `no ${role} peer '${spec}'; known pods: ${reach.peers
      .filter((p) => p.kind === 'pod')
      .map((p) => p.id)
      .join(', ')}`,
  );
  if (peer.kind === 'pod') {
    // Claims are about workloads the fixture defines (or the engine's implicit cluster DNS), never
    // about representative pods the engine had to invent.
    assert.ok(!peer.workload.inferred, `'${spec}' resolves to an inferred pod (${peer.id}); define it`);
  }
  return peer;
}

function describeSides(q: ReturnType<Analysis['reachability']['query']>): string {
  const side = (v: typeof q.egress) =>
    !v.isolated
      ? 'not isolated'
      : v.rules.length === 0
        ? `isolated by ${v.policies.map((p) => `${p.namespace}/${p.name}`).join(', ')}, no rule matches`
        : `allowed by ${v.rules.map((r) => `${r.policy.namespace}/${r.policy.name}#${r.ruleIndex}`).join(', ')}`;
  return `egress: ${side(q.egress)}; ingress: ${side(q.ingress)}`;
}

const claimFiles = walk(ROOT).filter((f) => /^claims\.ya?ml$/.test(f.split(sep).pop()!));

test('every tutorial scenario has a fixture folder with claims', () => {
  for (const scenario of SCENARIOS) {
    const folder = join(ROOT, scenario);
    assert.ok(existsSync(folder), `missing test-fixtures/${scenario}`);
    const inside = claimFiles.filter((f) => f.startsWith(folder + sep));
    assert.ok(inside.length > 0, `test-fixtures/${scenario} has no claims.yaml`);
  }
});

for (const file of claimFiles) {
  const folder = dirname(file);
  const name = label(folder);

  test(`${name}: claims.yaml has claims`, () => {
    readClaims(file);
  });

  test(`${name}: has a README.md`, () => {
    assert.ok(existsSync(join(folder, 'README.md')), `${name} has no README.md`);
  });

  // An unreadable claims file fails the test above; its entries then get no tests of their own.
  let entries: unknown[] = [];
  try {
    entries = readClaims(file);
  } catch {
    entries = [];
  }
  let service: LanguageService | undefined;
  const analyze = () => (service ??= analyzeFolder(folder)).state().analysis;

  test(`${name}: the manifests have no errors`, () => {
    analyze();
    const errors = service!.allDiagnostics().filter((p) => p.severity === 'error');
    assert.deepEqual(
      errors.map(
        (p) =>
          `${relative(ROOT, new URL(p.uri).pathname)}:${p.range.start.line + 1}: ${p.message} [${p.code}]`,
      ),
      [],
    );
  });

  entries.forEach((entry, i) => {
    const raw = (entry ?? {}) as Partial<Record<keyof Claim, unknown>>;
    const verdict = raw.allowed === true ? 'allowed' : raw.allowed === false ? 'denied' : '?';
    const disputed = raw.tutorial !== undefined && raw.tutorial !== verdict;
    const title =
      `${name}: ${String(raw.from)} -> ${String(raw.to)} ${raw.port === undefined ? 'any port' : String(raw.port)} ${verdict}` +
      (disputed ? ` (the tutorial says ${String(raw.tutorial)})` : '');
    test(title, () => {
      const claim = validClaim(entry, `${file}: claim ${i + 1}`);
      const a = analyze();
      const source = findPeer(a, claim.from, 'source');
      const destination = findPeer(a, claim.to, 'destination');
      const q = a.reachability.query(source, destination, parsePort(claim.port));
      assert.equal(
        q.allowed,
        claim.allowed,
        `${source.id} -> ${destination.id} ${claim.port ?? ''}: engine says ${q.allowed ? 'allowed' : 'denied'} ` +
          `(allowed connections: ${q.connections.toString()}; ${describeSides(q)}); claim: ${claim.why}`,
      );
    });
  });
}
