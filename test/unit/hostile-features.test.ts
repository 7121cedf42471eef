// Every feature over policies whose rules, peers or ports are not mappings (test/hostile/non-mapping-cases.ts):
// no feature throws, the item is an error where it is, and what the broken policy could decide is
// unknown, never allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import { OUTPUT_FORMATS, type LanguageService } from '../../server/src/core/index';
import { NON_MAPPING_CASES, nonMappingFiles } from '../hostile/non-mapping-cases';
import { serviceOf } from '../support/fixtures';

function everyFeature(service: LanguageService, uri: string, text: string): void {
  service.documentSymbols(uri);
  service.codeLenses(uri);
  for (const problem of service.allDiagnostics()) service.codeActions(problem.uri, problem.range);
  for (let offset = 0; offset <= text.length; offset += 3) {
    service.hover(uri, offset);
    service.definition(uri, offset);
    service.references(uri, offset, { includeDeclaration: true });
  }
  for (let offset = 0; offset <= text.length; offset += 11) service.completions(uri, offset);
  service.explainPolicies();
  service.explainClusterPolicies();
  for (const format of OUTPUT_FORMATS) service.reachability(format);
  service.reachabilityJson();
  service.graph();
  for (const peer of service.peers()) {
    service.deniedPairs(peer.id);
    for (const other of service.peers()) service.canReach(peer.id, other.id);
  }
}

for (const c of NON_MAPPING_CASES) {
  test(`non-mapping items, ${c.name}: every feature answers; ${c.from} → ${c.to} is unknown`, () => {
    const files = Object.entries(nonMappingFiles(c)).map(([name, text]) => ({
      uri: `file:///non-mapping/${c.name}/${name}`,
      text,
    }));
    const policy = files.find((f) => f.uri.endsWith('/pol.yaml'))!;
    const service = serviceOf(files);
    everyFeature(service, policy.uri, policy.text);
    const problems = service.allDiagnostics().filter((p) => p.uri === policy.uri);
    assert.ok(
      problems.some((p) => p.code === 'netpol.type' && p.range.start.line + 1 === c.line),
      JSON.stringify(problems.map((p) => `${p.code} ${p.range.start.line + 1}`)),
    );
    assert.ok(problems.some((p) => p.code === 'netpol.unreadable'));
    const answer = service.canReach(c.from, c.to);
    assert.ok(answer.found);
    assert.ok(answer.result.unknown.length > 0, answer.text);
    // The policy is not analysed from what is left of it: no explanation says what it allows.
    assert.deepEqual(service.explainPolicies(), []);
    assert.deepEqual(service.explainClusterPolicies(), []);
  });
}

test('a workload hover never claims connections an unreadable policy could change', () => {
  const pods = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: vault, labels: {app: db}}
`;
  const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: guard, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: *trusted_peers}]
`;
  const service = serviceOf([
    { uri: 'file:///w/pods.yaml', text: pods },
    { uri: 'file:///w/pol.yaml', text: policy },
  ]);
  const hoverText = (name: string) =>
    String(service.hover('file:///w/pods.yaml', pods.indexOf(`name: ${name}`) + 7)?.contents).replace(
      /\\(.)/g,
      '$1',
    );
  // Written down: the policy in shop cannot be read, so shop/web's connections (in and out) are unknown;
  // vault/db's ingress is open and known, but its egress to shop/web is not.
  const web = hoverText('web');
  assert.match(web, /^\*\*shop\/web\[Pod\]\*\*/);
  assert.match(web, /ingress\*\*: open as far as the readable policies go/);
  assert.match(web, /Reachable from no peer as far as is known\. Unknown for \d+ peers/);
  assert.match(web, /Unknown: NetworkPolicy shop\/guard cannot be read/);
  assert.doesNotMatch(web, /every pod and address/);
  const db = hoverText('db');
  assert.match(db, /\*\*ingress\*\*: open \(no policy selects it for ingress\)/);
  assert.match(db, /May reach .*Unknown for 1 peer \(see below\)/);
  assert.doesNotMatch(db, /May reach every pod and address/);
});

test('explain, can and hovers name an unreadable object by its workspace-relative path', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-explain-paths-'));
  try {
    mkdirSync(join(root, 'team-a'));
    mkdirSync(join(root, 'team-b'));
    writeFileSync(
      join(root, 'team-a', 'pods.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n',
    );
    const policy = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: guard, namespace: shop}
spec:
  podSelector: {}
  ingress: [{from: *trusted_peers}]
`;
    writeFileSync(join(root, 'team-b', 'pol.yaml'), policy);
    const run = async (...argv: string[]) => {
      let out = '';
      await main(argv, { out: (t) => (out += t), err: () => undefined });
      return out;
    };
    // Written down: the alias is on line 6, column 20 of team-b/pol.yaml.
    const explained = await run('explain', root);
    assert.match(
      explained,
      /Cannot be read: Unresolved alias \*trusted_peers.* \(team-b\/pol\.yaml:6:20\)\./,
    );
    const can = await run('can', '--no-implicit', '--from', 'shop/web', '--to', 'shop/web', root);
    assert.match(can, /NetworkPolicy shop\/guard \(team-b\/pol\.yaml:6:20\) cannot be read/);
    for (const out of [explained, can]) assert.ok(!out.includes(root), out);
    const service = serviceOf([
      {
        uri: 'file:///w/team-a/pods.yaml',
        text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop}\n',
      },
      { uri: 'file:///w/team-b/pol.yaml', text: policy },
    ]);
    const hover = String(service.hover('file:///w/team-b/pol.yaml', policy.indexOf('guard'))?.contents);
    assert.match(hover.replace(/\\(.)/g, '$1'), /\(team-b\/pol\.yaml:6:20\)/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
