// The tutorial claims: each test-fixtures/**/claims.yaml lists outcomes of its folder's manifests, written
// down by hand from the tutorials and the Kubernetes semantics (never from the engine's output). Read by
// the unit tests (through the engine) and by the extension-host suite (through what the editor answers).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';

const CLAIM_KEYS = new Set(['from', 'to', 'port', 'allowed', 'why', 'tutorial']);

export interface Claim {
  from: string;
  to: string;
  /** `80/TCP`; without it the claim is "some connection is allowed / nothing is allowed". */
  port?: string;
  allowed: boolean;
  why: string;
  /** What the tutorial itself states, where it states something. */
  tutorial?: 'allowed' | 'denied';
}

export function walkFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((e) => (e.isDirectory() ? walkFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

export function isClaimsFile(file: string): boolean {
  return /^claims\.ya?ml$/.test(file.split(sep).pop()!);
}

/** Every claims file under `root` (test-fixtures/), sorted by path. */
export function claimFiles(root: string): string[] {
  return walkFiles(root).filter(isClaimsFile);
}

/** The fixture folder's name relative to `root`, with `/` separators: `cluster-policies/e1-priority`. */
export function fixtureLabel(root: string, folder: string): string {
  return relative(root, folder).split(sep).join('/');
}

/** The raw entries of a claims file; fails when there is no non-empty `claims` list. */
export function readClaims(file: string): unknown[] {
  const doc = parse(readFileSync(file, 'utf8')) as { claims?: unknown } | null;
  const claims = doc?.claims;
  assert.ok(Array.isArray(claims), `${file}: expected a top-level 'claims' list`);
  assert.ok(claims.length > 0, `${file}: the claims list is empty`);
  return claims;
}

/** Checks the shape of one entry and returns it typed. */
export function validClaim(entry: unknown, where: string): Claim {
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

/** A claim's test title: `db-policy: default/web -> default/db 3306/TCP denied (the tutorial says …)`. */
export function claimTitle(fixture: string, entry: unknown): string {
  const raw = (entry ?? {}) as Partial<Record<keyof Claim, unknown>>;
  const verdict = raw.allowed === true ? 'allowed' : raw.allowed === false ? 'denied' : '?';
  const disputed = raw.tutorial !== undefined && raw.tutorial !== verdict;
  return (
    `${fixture}: ${String(raw.from)} -> ${String(raw.to)} ${raw.port === undefined ? 'any port' : String(raw.port)} ${verdict}` +
    (disputed ? ` (the tutorial says ${String(raw.tutorial)})` : '')
  );
}

/** The entries of a claims file, or none when it cannot be read (a test of its own reports that). */
export function claimsOrNone(file: string): unknown[] {
  try {
    return readClaims(file);
  } catch {
    return [];
  }
}

/**
 * The `selects` map of a claims file: each NetworkPolicy (`namespace/name`) with the workloads
 * (`namespace/name`) its podSelector selects, written down by hand from the manifests; undefined when
 * the file has none.
 */
export function readSelects(file: string): Map<string, string[]> | undefined {
  const doc = parse(readFileSync(file, 'utf8')) as { selects?: unknown } | null;
  if (doc?.selects === undefined) return undefined;
  const selects = doc.selects ?? {};
  assert.ok(typeof selects === 'object' && !Array.isArray(selects), `${file}: 'selects' must be a mapping`);
  const map = new Map<string, string[]>();
  for (const [policy, workloads] of Object.entries(selects as Record<string, unknown>)) {
    assert.ok(
      Array.isArray(workloads) && workloads.every((w) => typeof w === 'string'),
      `${file}: selects.${policy} must be a list of namespace/name`,
    );
    map.set(policy, workloads as string[]);
  }
  return map;
}
