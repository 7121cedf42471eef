// Helm/Go template documents (`{{ … }}`) that could decide verdicts are never dropped from the analysis:
// analysed as written when their expressions sit only in names, labels or annotations of a policy, else
// unreadable, so every answer they could change is unknown. The expected answers are worked out by hand
// from test-fixtures/helm-templates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, type Analysis, type SourceFile } from '../../server/src/core/index';
import { main } from '../../server/src/cli/main';
import { loadFixture, serviceOf } from '../support/fixtures';

const FIXTURE = loadFixture('helm-templates');
const options = { implicitDns: false, inferPods: false };

/** The workloads and the named template files. */
function workspace(...names: string[]): SourceFile[] {
  return FIXTURE.filter((f) => ['workloads.yaml', ...names].some((n) => f.uri.endsWith(`/${n}`)));
}

function ask(analysis: Analysis, from: string, to: string, port?: number): string {
  const reach = analysis.reachability;
  const result = reach.query(
    reach.findPeer(from, 'source')!,
    reach.findPeer(to, 'destination')!,
    port ? { port, protocol: 'TCP' } : undefined,
  );
  return result.unknown.length > 0 ? 'unknown' : result.allowed ? 'allowed' : 'denied';
}

function problemsIn(files: SourceFile[], name: string) {
  return serviceOf(files)
    .allDiagnostics()
    .filter((p) => p.uri.endsWith(`/${name}`))
    .map((p) => `${p.range.start.line + 1} ${p.severity} ${p.code}`)
    .sort();
}

test('a template policy whose expressions are only in its name and labels is analysed as written', () => {
  const files = workspace('labelled-policy.yaml');
  const analysis = analyzeFiles(files, options);
  assert.equal(ask(analysis, 'shop/client', 'shop/web', 80), 'allowed');
  assert.equal(ask(analysis, 'shop/client', 'shop/web', 443), 'denied');
  assert.equal(ask(analysis, 'other/api', 'shop/web', 80), 'denied');
  // One note for the template, none for its placeholders (not the values that will be applied).
  assert.deepEqual(problemsIn(files, 'labelled-policy.yaml'), ['2 information netpol.template']);
});

test('a policy behind `{{- if }}` (the parser cannot read it) makes every answer unknown', async () => {
  const files = workspace('guarded-policy.yaml');
  const analysis = analyzeFiles(files, options);
  // Its namespace cannot be trusted (the document is not YAML as written): any pod may be its subject.
  assert.equal(ask(analysis, 'shop/client', 'shop/web', 80), 'unknown');
  assert.equal(ask(analysis, 'shop/web', 'other/api', 80), 'unknown');
  assert.deepEqual(problemsIn(files, 'guarded-policy.yaml'), [
    '1 error netpol.unreadable',
    '1 information netpol.template',
  ]);
  let out = '';
  const code = await main(
    ['can', '--from', 'shop/client', '--to', 'shop/web', 'test-fixtures/helm-templates'],
    {
      out: (t) => (out += t),
      err: () => undefined,
    },
  );
  assert.equal(code, 3, out);
  assert.match(out, /^UNKNOWN: /);
  assert.match(out, /guarded-policy\.yaml:1:1\) cannot be read: a Helm\/Go template expression/);
});

test('a template expression in a selector makes the policy unreadable; only its namespace is in doubt', () => {
  const files = workspace('selector-policy.yaml');
  const analysis = analyzeFiles(files, options);
  assert.equal(ask(analysis, 'shop/client', 'other/api', 80), 'unknown');
  // Its namespace is read (before the expression): answers between shop's pods stand.
  assert.equal(ask(analysis, 'shop/client', 'shop/web', 80), 'allowed');
  // api's egress depends on it too (policyTypes cannot be trusted once the policy cannot be read).
  assert.equal(ask(analysis, 'other/api', 'shop/web', 80), 'unknown');
  assert.deepEqual(problemsIn(files, 'selector-policy.yaml'), [
    '1 information netpol.template',
    '4 error netpol.unreadable',
  ]);
  assert.deepEqual(
    analysis.model.unreadable.map((u) => [u.kind, u.namespace, u.reasonRange.start.line + 1]),
    [['NetworkPolicy', 'other', 7]],
  );
});

test('a templated AdminNetworkPolicy puts every connection in doubt', () => {
  const analysis = analyzeFiles(workspace('admin-policy.yaml'), options);
  assert.equal(ask(analysis, 'shop/client', 'shop/web', 80), 'unknown');
  assert.equal(ask(analysis, 'other/api', 'shop/web', 80), 'unknown');
  assert.equal(analysis.model.clusterPolicies.length, 0);
});

test('a templated Namespace label leaves the answers that depend on its labels unknown', () => {
  const without = analyzeFiles(workspace('labelled-policy.yaml'), options);
  assert.equal(ask(without, 'templated/job', 'shop/web', 80), 'denied');
  const files = workspace('labelled-policy.yaml', 'namespace.yaml');
  const analysis = analyzeFiles(files, options);
  assert.equal(ask(analysis, 'templated/job', 'shop/web', 80), 'unknown');
  assert.equal(ask(analysis, 'shop/client', 'shop/web', 80), 'allowed');
  assert.deepEqual(problemsIn(files, 'namespace.yaml'), [
    '1 information netpol.template',
    '4 error netpol.unreadable',
  ]);
});
