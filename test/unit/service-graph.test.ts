// The graph model through the language service's door (LanguageService.graph / deniedPairs /
// comparisonReport): one producer for the JSON connectivity document, and verdicts written down by hand
// from the fixtures' YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadFixture, serviceOf } from '../support/fixtures';
import { diffBase, diffCase } from '../support/diff-fixtures';

const NO_IMPLICIT = { implicitDns: false, inferPods: false };

test('the graph carries the JSON connectivity document itself, the denied pairs and who isolates each pod', () => {
  const service = serviceOf(loadFixture('db-policy'));
  const graph = service.graph();
  // One producer: the graph's peers, connections and sides are the JSON output's, value for value.
  assert.deepEqual(graph.reachability, service.reachabilityJson());
  // Written down from test-fixtures/db-policy: db-policy selects role=db (default/db) for both
  // directions; web lacks name=api-pod, so web → db is denied, decided by db-policy on the ingress side.
  const webToDb = graph.denied.find((p) => p.src === 'default/web[Pod]' && p.dst === 'default/db[Pod]');
  assert.ok(webToDb, 'default/web → default/db is a denied pair');
  assert.deepEqual(webToDb.ingress.policies, ['default/db-policy']);
  assert.equal(webToDb.ingress.isolated, true);
  assert.deepEqual(graph.isolation['default/db[Pod]'], {
    ingress: ['default/db-policy'],
    egress: ['default/db-policy'],
  });
  assert.deepEqual(graph.isolation['default/web[Pod]'], { ingress: [], egress: [] });
  assert.equal(graph.deniedTruncated, false);
  assert.equal(graph.diff, undefined, 'no diff unless asked for');
  assert.ok(graph.policies['default/db-policy'].uri.endsWith('/db-policy.yaml'));
});

test('maxDenied bounds the denied pairs and says the list is cut', () => {
  const service = serviceOf(loadFixture('db-policy'));
  const all = service.graph().denied.length;
  assert.ok(all > 2, `${all} denied pairs`);
  const cut = service.graph({ maxDenied: 2 });
  assert.equal(cut.denied.length, 2);
  assert.equal(cut.deniedTruncated, true);
});

test('deniedPairs lists every denied pair from or to one pod, and nothing for other peers', () => {
  const service = serviceOf(loadFixture('db-policy'));
  const pairs = service.deniedPairs('default/db[Pod]');
  assert.ok(pairs.some((p) => p.src === 'default/web[Pod]' && p.dst === 'default/db[Pod]'));
  assert.ok(pairs.every((p) => p.src === 'default/db[Pod]' || p.dst === 'default/db[Pod]'));
  // The same pairs the graph lists for that pod.
  const fromGraph = service
    .graph({ maxDenied: 100_000 })
    .denied.filter((p) => p.src === 'default/db[Pod]' || p.dst === 'default/db[Pod]');
  assert.deepEqual(
    new Set(pairs.map((p) => `${p.src} ${p.dst}`)),
    new Set(fromGraph.map((p) => `${p.src} ${p.dst}`)),
  );
  assert.deepEqual(service.deniedPairs('0.0.0.0-255.255.255.255[External]'), []);
  assert.deepEqual(service.deniedPairs('no/such[Pod]'), []);
});

test('diff mode: without a base it says so; with one, the changed edge as the diff fixture README states it', () => {
  const service = serviceOf(diffCase('changed-port'), NO_IMPLICIT);
  assert.equal(service.graph({ diff: true }).diff?.error, 'No base to compare with.');
  assert.equal(service.comparisonReport(), undefined);

  service.setComparisonBase({ label: 'HEAD', files: diffBase() });
  const diff = service.graph({ diff: true }).diff;
  // test-fixtures/diff/README.md: changed-port makes db accept api on TCP 5432-5433 instead of 5432.
  assert.deepEqual(diff?.edges, [
    {
      src: 'shop/api[Deployment]',
      dst: 'shop/db[Deployment]',
      change: 'changed',
      old: 'TCP 5432',
      new: 'TCP 5432-5433',
      label: 'TCP 5432 → TCP 5432-5433',
    },
  ]);
  assert.equal(diff?.base, 'HEAD');
  assert.deepEqual(diff?.extraPeers, []);

  const report = service.comparisonReport();
  assert.equal(report?.label, 'HEAD');
  assert.equal(report?.json.diffs.length, 1);
  assert.equal(report?.json.diffs[0].diffType, 'changed');
  assert.equal(report?.json.diffs[0].ref2, 'TCP 5432-5433');
  assert.deepEqual(report?.json.diffs[0].source, { id: 'shop/api[Deployment]', type: 'pod' });
  // Markdown escapes the brackets of the ids.
  assert.ok(
    report?.markdown.includes(
      '| changed | shop/api\\[Deployment\\] | shop/db\\[Deployment\\] | TCP 5432 | TCP 5432-5433 |',
    ),
    report?.markdown,
  );
});
