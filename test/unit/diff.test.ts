// The connectivity diff on the test-fixtures/diff cases; every expected row is written down by hand from
// the manifests (see test-fixtures/diff/README.md), not taken from the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeFiles,
  diffConnectivity,
  diffLine,
  diffProvenance,
  formatDiff,
  type Analysis,
  type SourceFile,
} from '../../server/src/core/index';
import { diffBase, diffCase, diffCaseNames, mirrorDiffLine } from '../support/diff-fixtures';

const NO_IMPLICIT = { implicitDns: false, inferPods: false };

function analyze(files: SourceFile[]): Analysis {
  const analysis = analyzeFiles(files, NO_IMPLICIT);
  assert.deepEqual(analysis.problems, [], 'the fixtures are clean');
  return analysis;
}

function diffLines(caseName: string): string[] {
  const diff = diffConnectivity(analyze(diffBase()).reachability, analyze(diffCase(caseName)).reachability);
  return diff.rows.map(diffLine);
}

const ALL = 'All Connections';
const NONE = 'No Connections';
const EVERYWHERE = '0.0.0.0-255.255.255.255[External]';
const [web, api, db, batch, cache, worker] = ['web', 'api', 'db', 'batch', 'cache', 'worker'].map(
  (name) => `shop/${name}[Deployment]`,
);

function line(type: string, source: string, destination: string, ref1: string, ref2: string, info?: string) {
  const text = `diff-type: ${type}, source: ${source}, destination: ${destination}, ref1: ${ref1}, ref2: ${ref2}`;
  return info ? `${text}, workloads-diff-info: ${info}` : text;
}

test('changed: the same pair with other connections', () => {
  assert.deepEqual(diffLines('changed-port'), [line('changed', api, db, 'TCP 5432', 'TCP 5432-5433')]);
});

test('added: a pair with connections only in NEW, between workloads of both sides (no workloads info)', () => {
  assert.deepEqual(diffLines('added-peer'), [line('added', web, db, NONE, 'TCP 5432')]);
});

test('removed: a pair with connections only in OLD', () => {
  assert.deepEqual(diffLines('removed-rule'), [line('removed', web, api, 'TCP 8080', NONE)]);
});

test('workloads-diff-info names the new workloads of a pair, one or both, source first', () => {
  const added = (name: string) => `workload ${name} added`;
  assert.deepEqual(diffLines('new-workloads'), [
    line('added', EVERYWHERE, cache, NONE, ALL, added(cache)),
    line('added', EVERYWHERE, worker, NONE, ALL, added(worker)),
    line('added', api, cache, NONE, ALL, added(cache)),
    line('added', api, worker, NONE, ALL, added(worker)),
    line('added', cache, EVERYWHERE, NONE, ALL, added(cache)),
    line('added', cache, worker, NONE, ALL, `workload ${cache} and ${worker} added`),
    line('added', db, cache, NONE, ALL, added(cache)),
    line('added', db, worker, NONE, ALL, added(worker)),
    line('added', web, cache, NONE, ALL, added(cache)),
    line('added', web, worker, NONE, ALL, added(worker)),
    line('added', worker, EVERYWHERE, NONE, ALL, added(worker)),
    line('added', worker, cache, NONE, ALL, `workload ${worker} and ${cache} added`),
  ]);
});

test('the reverse diff says removed, with the same workloads', () => {
  const diff = diffConnectivity(
    analyze(diffCase('new-workloads')).reachability,
    analyze(diffBase()).reachability,
  );
  const lines = diff.rows.map(diffLine);
  assert.ok(
    lines.includes(line('removed', cache, worker, ALL, NONE, `workload ${cache} and ${worker} removed`)),
  );
  assert.ok(lines.includes(line('removed', api, cache, ALL, NONE, `workload ${cache} removed`)));
  assert.equal(lines.length, 12);
});

test('ranges NEW cuts anew are merged back where both answers agree: reachable from everywhere', () => {
  assert.deepEqual(diffLines('batch-opened'), [line('added', EVERYWHERE, batch, NONE, ALL)]);
});

test('ranges are refined to both sides’ cuts: only the part whose answer changed is a row', () => {
  assert.deepEqual(diffLines('web-range'), [
    line('added', '10.1.0.0-10.255.255.255[External]', web, NONE, 'TCP 80'),
  ]);
});

test('touching ranges with different answers stay apart', () => {
  assert.deepEqual(diffLines('web-ports'), [
    line('added', '10.0.0.0-10.127.255.255[External]', web, NONE, 'TCP 443'),
    line('added', '10.128.0.0-10.255.255.255[External]', web, NONE, 'TCP 8443'),
  ]);
});

test('destination ranges are refined and compared too', () => {
  assert.deepEqual(diffLines('batch-egress'), [
    line('added', batch, '192.168.0.0-192.168.255.255[External]', NONE, 'TCP 443'),
  ]);
});

test('a workload that exists on both sides without connections is not "added"', () => {
  // batch exists in OLD with no connection at all; in batch-opened it gains some.
  const row = diffConnectivity(
    analyze(diffBase()).reachability,
    analyze(diffCase('batch-opened')).reachability,
  ).rows[0];
  assert.equal(row.workloadsDiffInfo, undefined);
});

test('no difference: no rows, and the txt output is empty', () => {
  const old = analyze(diffBase());
  const same = analyze(diffBase());
  const diff = diffConnectivity(old.reachability, same.reachability);
  assert.deepEqual(diff.rows, []);
  assert.equal(formatDiff(old, same, diff, 'txt', { ref1: 'a', ref2: 'b' }), '');
});

test('txt, md and csv carry the same rows', () => {
  const old = analyze(diffBase());
  const next = analyze(diffCase('new-workloads'));
  const diff = diffConnectivity(old.reachability, next.reachability);
  const labels = { ref1: 'old', ref2: 'new' };
  const txt = formatDiff(old, next, diff, 'txt', labels).split('\n');
  assert.equal(txt[0], 'Connectivity diff:');
  assert.equal(txt[6], line('added', cache, worker, NONE, ALL, `workload ${cache} and ${worker} added`));
  const csv = formatDiff(old, next, diff, 'csv', labels).split('\n');
  assert.equal(csv[0], 'diff-type,source,destination,ref1,ref2,workloads-diff-info');
  assert.equal(
    csv[6],
    `added,${cache},${worker},No Connections,All Connections,workload ${cache} and ${worker} added`,
  );
  const md = formatDiff(old, next, diff, 'md', labels).split('\n');
  assert.equal(md[0], '| diff-type | source | destination | ref1 | ref2 | workloads-diff-info |');
  assert.equal(md[1], '|-----------|--------|-------------|------|------|---------------------|');
  assert.equal(
    md[3],
    '| added | 0.0.0.0-255.255.255.255\\[External\\] | shop/worker\\[Deployment\\] | No Connections | All Connections | workload shop/worker\\[Deployment\\] added |',
  );
  assert.equal(
    csv.length,
    txt.length + 0,
    'csv: header + 12 rows + final newline; txt: title + 12 + newline',
  );
  assert.equal(md.length, txt.length + 1);
});

test('provenance per side: which rules allow the pair in OLD and in NEW', () => {
  const old = analyze(diffBase());
  const next = analyze(diffCase('added-peer'));
  const [row] = diffConnectivity(old.reachability, next.reachability).rows;
  const before = diffProvenance(old.reachability, row)!;
  const after = diffProvenance(next.reachability, row)!;
  // OLD: db is isolated for ingress by db-ingress, and no rule of it admits web.
  assert.equal(before.ingress.isolated, true);
  assert.deepEqual(
    before.ingress.policies.map((p) => p.name),
    ['db-ingress'],
  );
  assert.deepEqual(before.ingress.rules, []);
  // NEW: rule 0 of db-ingress admits web on TCP 5432; web's egress is not isolated.
  assert.deepEqual(
    after.ingress.rules.map((r) => [r.policy.name, r.ruleIndex, r.connections.toString()]),
    [['db-ingress', 0, 'TCP 5432']],
  );
  assert.equal(after.egress.isolated, false);
  const json = JSON.parse(formatDiff(old, next, { rows: [row] }, 'json', { ref1: 'HEAD:k8s', ref2: 'k8s' }));
  assert.equal(json.ref1, 'HEAD:k8s');
  assert.equal(json.diffs[0].diffType, 'added');
  assert.deepEqual(json.diffs[0].ref2Connections, { TCP: [[5432, 5432]] });
  assert.equal(json.diffs[0].provenance.ref2.ingress.rules[0].policy, 'shop/db-ingress');
  assert.match(
    json.diffs[0].provenance.ref2.ingress.rules[0].location.uri,
    /added-peer\/policies\/db\.yaml$/,
  );
  assert.equal(json.diffs[0].provenance.ref1.ingress.rules.length, 0);
});

test('provenance of a side without the row’s workload is null in json', () => {
  const old = analyze(diffBase());
  const next = analyze(diffCase('new-workloads'));
  const diff = diffConnectivity(old.reachability, next.reachability);
  const row = diff.rows.find((r) => r.source.id === api && r.destination.id === cache)!;
  assert.equal(diffProvenance(old.reachability, row), undefined);
  const json = JSON.parse(formatDiff(old, next, { rows: [row] }, 'json', { ref1: 'a', ref2: 'b' }));
  assert.equal(json.diffs[0].provenance.ref1, null);
  assert.equal(json.diffs[0].provenance.ref2.ingress.isolated, false);
});

test('every case mirrors: diff(B, A) is diff(A, B) with the sides swapped', () => {
  for (const name of diffCaseNames()) {
    const a = analyze(diffBase()).reachability;
    const b = analyze(diffCase(name)).reachability;
    const forward = diffConnectivity(a, b).rows.map(diffLine);
    const backward = diffConnectivity(b, a).rows.map(diffLine);
    assert.ok(forward.length > 0, name);
    assert.deepEqual(backward.map(mirrorDiffLine).sort(), [...forward].sort(), name);
  }
});
