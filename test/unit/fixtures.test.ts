// The tutorial fixtures: every test-fixtures/**/claims.yaml lists outcomes of its folder's manifests,
// and each one is checked through the engine. Every folder must also be free of error diagnostics.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Analysis, LanguageService, Peer, PortQuery } from '../../server/src/core/index';
import {
  claimFiles,
  claimsOrNone,
  claimTitle,
  fixtureLabel,
  isClaimsFile,
  readClaims,
  validClaim,
  walkFiles,
} from '../support/claims';
import { serviceOf } from '../support/fixtures';

const ROOT = join(__dirname, '..', '..', 'test-fixtures');
/** The scenarios the tutorials give; each must have at least one claims.yaml. */
const SCENARIOS = ['three-tier', 'secure-app', 'db-policy', 'default-deny-dns', 'namespace-isolation'];

const label = (folder: string) => fixtureLabel(ROOT, folder);

function analyzeFolder(folder: string): LanguageService {
  const files = walkFiles(folder)
    .filter((f) => /\.ya?ml$/.test(f) && !isClaimsFile(f))
    .map((f) => ({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') }));
  assert.ok(files.length > 0, `${label(folder)} has no manifests`);
  return serviceOf(files);
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

const claimsFiles = claimFiles(ROOT);

test('every tutorial scenario has a fixture folder with claims', () => {
  for (const scenario of SCENARIOS) {
    const folder = join(ROOT, scenario);
    assert.ok(existsSync(folder), `missing test-fixtures/${scenario}`);
    const inside = claimsFiles.filter((f) => f.startsWith(folder + sep));
    assert.ok(inside.length > 0, `test-fixtures/${scenario} has no claims.yaml`);
  }
});

for (const file of claimsFiles) {
  const folder = dirname(file);
  const name = label(folder);

  test(`${name}: claims.yaml has claims`, () => {
    readClaims(file);
  });

  test(`${name}: has a README.md`, () => {
    assert.ok(existsSync(join(folder, 'README.md')), `${name} has no README.md`);
  });

  // An unreadable claims file fails the test above; its entries then get no tests of their own.
  const entries = claimsOrNone(file);
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
    test(claimTitle(name, entry), () => {
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
