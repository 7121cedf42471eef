// Work that must grow linearly with the input: counted (never timed) at two sizes of one generated file
// of many policies, and the selector index checked against plain selector matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeDiagnostics } from '../../server/src/core/diagnostics/index';
import { yamlLookupWork } from '../../server/src/core/diagnostics/lint-yaml';
import { coverWork, peerCovered, ruleCovered } from '../../server/src/core/diagnostics/lint-cover';
import { serviceOf } from '../support/fixtures';
import { analyzeFiles, type LabelSelector } from '../../server/src/core/index';
import { SelectorIndex } from '../../server/src/core/selector-index';
import { selectorMatches } from '../../server/src/core/selectors';
import { generateWorkspace } from '../../bench/generate';

/** One file holding a generated workspace of `namespaces` namespaces (20 pods and 12 policies each). */
function singleFile(namespaces: number) {
  const workspace = generateWorkspace({
    name: `scaling-${namespaces}`,
    namespaces,
    pods: namespaces * 20,
    policies: namespaces * 12,
  });
  return [{ uri: 'file:///scaling/all.yaml', text: workspace.files.map((f) => f.text).join('---\n') }];
}

function work(namespaces: number) {
  SelectorIndex.comparisons = 0;
  yamlLookupWork.roots = 0;
  yamlLookupWork.objects = 0;
  const analysis = analyzeFiles(singleFile(namespaces));
  analysis.reachability.classMatrix();
  const problems = computeDiagnostics(analysis).length;
  const { roots, objects } = yamlLookupWork;
  return { selectors: SelectorIndex.comparisons, roots, objects, problems };
}

test('selector matching and YAML lookups grow linearly in one file of many policies', () => {
  const small = work(12);
  const large = work(24);
  assert.ok(small.problems > 0 && large.problems > small.problems, 'the rules had something to report');
  assert.ok(small.selectors > 0 && small.roots > 0 && small.objects > 0, 'the counted work happened');
  // Twice the input: at most a little over twice the work (a scan of every pair would be four times).
  assert.ok(
    large.selectors <= 2.6 * small.selectors,
    `selector tests ${small.selectors} → ${large.selectors}`,
  );
  assert.ok(large.roots <= 2.6 * small.roots, `document roots examined ${small.roots} → ${large.roots}`);
  assert.ok(large.objects <= 2.6 * small.objects, `objects examined ${small.objects} → ${large.objects}`);
});

test('a memoised selector costs nothing the second time', () => {
  const namespaces = Array.from({ length: 50 }, (_, i) => ({
    name: `ns${i}`,
    labels: { team: `t${i % 5}` },
  }));
  const index = new SelectorIndex(namespaces, (n) => n.labels);
  SelectorIndex.comparisons = 0;
  const selector = { matchLabels: { team: 't3' }, matchExpressions: [], range: undefined as never };
  const first = index.matching(selector);
  assert.equal(SelectorIndex.comparisons, 10, 'only the ten namespaces labelled team=t3 were tried');
  assert.deepEqual(
    first.map((n) => n.name),
    ['ns3', 'ns8', 'ns13', 'ns18', 'ns23', 'ns28', 'ns33', 'ns38', 'ns43', 'ns48'],
  );
  assert.equal(index.matching({ ...selector }), first);
  assert.equal(SelectorIndex.comparisons, 10);
});

test('the selector index selects exactly what selectorMatches selects, in order', () => {
  const keys = fc.constantFrom('app', 'tier', 'env', 'team');
  const values = fc.constantFrom('a', 'b', 'c', '');
  const labels = fc.dictionary(keys, values, { maxKeys: 4 });
  const requirement = fc.record({
    key: keys,
    operator: fc.constantFrom('In', 'NotIn', 'Exists', 'DoesNotExist', 'Bogus'),
    values: fc.array(values, { maxLength: 3 }),
  });
  const selector = fc.record({
    matchLabels: fc.dictionary(keys, values, { maxKeys: 2 }),
    matchExpressions: fc.array(requirement, { maxLength: 3 }),
  });
  fc.assert(
    fc.property(
      fc.array(labels, { maxLength: 30 }),
      fc.array(selector, { maxLength: 8 }),
      (items, selectors) => {
        const index = new SelectorIndex(items, (l) => l);
        for (const s of selectors as unknown as LabelSelector[]) {
          assert.deepEqual(
            index.matching(s),
            items.filter((l) => selectorMatches(s, l)),
          );
        }
      },
    ),
    { seed: 0x13, numRuns: 300 },
  );
});

/** One policy whose one ingress rule has `n` peers of a kind (selectors of several shapes, or ipBlocks). */
function manyPeers(n: number, kind: 'selector' | 'ipBlock'): string {
  const peer = (i: number) => {
    // Every 16th a /16, the others /24s inside the /16 before them (each covered by it).
    const block = i >> 4;
    const net = `${10 + (block >> 8)}.${block & 255}`;
    if (kind === 'ipBlock')
      return i % 16 === 0
        ? `        - ipBlock: {cidr: ${net}.0.0/16}`
        : `        - ipBlock: {cidr: ${net}.${i & 15}.0/24}`;
    switch (i % 5) {
      case 0:
        return `        - podSelector: {matchLabels: {app: svc-${i}}}`;
      case 1:
        return `        - podSelector: {matchLabels: {app: web, id: n${i}}}`;
      case 2:
        return `        - namespaceSelector: {matchLabels: {team: t${i}}}`;
      case 3:
        return `        - {podSelector: {matchExpressions: [{key: tier, operator: In, values: [a${i}, b]}]}, namespaceSelector: {matchLabels: {env: e${i % 7}}}}`;
      default:
        return `        - podSelector: {matchLabels: {app: web, id: n${i - 3}}}`; // the same as peer i-3
    }
  };
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: many, namespace: shop}
spec:
  podSelector: {}
  ingress:
    - from:
${Array.from({ length: n }, (_, i) => peer(i)).join('\n')}
`;
}

/** Peer comparisons of the rules on a cold analysis, and of one keystroke in the open file afterwards. */
function peerWork(n: number, kind: 'selector' | 'ipBlock') {
  const uri = 'file:///scaling/peers.yaml';
  const text = manyPeers(n, kind);
  const service = serviceOf([{ uri, text }]);
  coverWork.peerComparisons = 0;
  const problems = service.allDiagnostics().filter((p) => p.code === 'netpol.redundant-peer').length;
  const check = coverWork.peerComparisons;
  coverWork.peerComparisons = 0;
  service.setFile(uri, text.replace('name: many', 'name: many2'));
  service.diagnostics(uri);
  return { check, keystroke: coverWork.peerComparisons, problems };
}

for (const kind of ['selector', 'ipBlock'] as const) {
  test(`the redundant-peer check compares ${kind} peers in about linear work (1k vs 8k peers, check and a keystroke)`, () => {
    const small = peerWork(1000, kind);
    const large = peerWork(8000, kind);
    // Written down: every fifth selector peer repeats the one three before it; 15 of 16 /24s lie in a /16.
    assert.deepEqual(
      [small.problems, large.problems],
      kind === 'selector' ? [200, 1600] : [1000 - 63, 8000 - 500],
    );
    assert.ok(small.check > 0 && small.keystroke > 0, 'the peers were compared');
    // 8x the peers: at most 12x the comparisons (every pair would be 64x).
    assert.ok(large.check <= 12 * small.check, `check: ${small.check} → ${large.check}`);
    assert.ok(large.keystroke <= 12 * small.keystroke, `keystroke: ${small.keystroke} → ${large.keystroke}`);
  });
}

/**
 * The pairwise oracle for the cover indexes: for each item, the first other item that covers it (an item
 * covered both ways is reported only against the earlier one), as [item index, covering item index].
 */
function pairwiseCoverings<T extends { index: number }>(
  list: readonly T[],
  covered: (item: T, by: T) => boolean,
): number[][] {
  return list.flatMap((a, i) => {
    const covering = (j: number) => j !== i && covered(a, list[j]) && (j < i || !covered(list[j], a));
    const j = list.findIndex((_, k) => covering(k));
    return j < 0 ? [] : [[a.index, list[j].index]];
  });
}

test('the peer index finds every covering peer: the same findings as comparing every pair', () => {
  const keys = ['app', 'tier'];
  const values = ['a', 'b', 'c'];
  const requirement = fc.oneof(
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constant('In'),
      values: fc.subarray(values, { minLength: 1 }),
    }),
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constantFrom('Exists', 'DoesNotExist'),
      values: fc.constant([]),
    }),
    fc.record({
      key: fc.constantFrom(...keys),
      operator: fc.constant('NotIn'),
      values: fc.subarray(values, { minLength: 1 }),
    }),
  );
  const selector = fc.record({
    matchLabels: fc.dictionary(fc.constantFrom(...keys), fc.constantFrom(...values), { maxKeys: 2 }),
    matchExpressions: fc.array(requirement, { maxLength: 2 }),
  });
  const peer = fc.record(
    {
      podSelector: fc.option(selector, { nil: undefined }),
      namespaceSelector: fc.option(selector, { nil: undefined }),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(
      // Both paths: rules of a few peers are compared pair by pair, longer ones through the index.
      fc.array(peer, { minLength: 1, maxLength: 16 }),
      fc.constantFrom('shop', 'other'),
      (peers, ns) => {
        const written = peers.filter((p) => p.podSelector || p.namespaceSelector);
        if (written.length === 0) return;
        const policy = {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: { name: 'p', namespace: 'shop' },
          spec: { podSelector: {}, ingress: [{ from: written }] },
        };
        const namespace = {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'shop', labels: { app: 'a', tier: ns === 'shop' ? 'b' : 'c' } },
        };
        const files = [
          { uri: 'file:///p.yaml', text: `${JSON.stringify(namespace)}\n---\n${JSON.stringify(policy)}\n` },
        ];
        const analysis = analyzeFiles(files);
        const model = analysis.model;
        const pol = model.policies[0];
        const list = pol.ingress[0].peers ?? [];
        const expected = pairwiseCoverings(list, (a, b) => peerCovered(model, pol, a, b));
        const found = serviceOf(files)
          .allDiagnostics()
          .filter((p) => p.code === 'netpol.redundant-peer')
          .map((p) => {
            const data = p.data as { peerIndex: number; coveredBy: number };
            return [data.peerIndex, data.coveredBy];
          });
        assert.deepEqual(found, expected);
      },
    ),
    { numRuns: 300 },
  );
});

/**
 * One policy whose ingress has `n` rules of several shapes: one peer and one port each (a few distinct),
 * a repeat of the rule two before, `podSelector: {}` on a port of its own, a distinct peer on port 443,
 * and a port range that holds the port of the rule before it.
 */
function manyRules(n: number): string {
  const rule = (i: number) => {
    switch (i % 5) {
      case 0:
        return `    - {from: [{podSelector: {matchLabels: {app: svc-${i}}}}], ports: [{port: ${1000 + (i % 60000)}}]}`;
      case 1:
        return `    - {from: [{podSelector: {}}], ports: [{port: ${2000 + i}, protocol: UDP}]}`;
      case 2:
        return `    - {from: [{podSelector: {matchLabels: {app: svc-${i - 2}}}}], ports: [{port: ${1000 + ((i - 2) % 60000)}}]}`;
      case 3:
        return `    - {from: [{namespaceSelector: {matchLabels: {team: t${i}}}}], ports: [{port: 443}]}`;
      default:
        return `    - {from: [{podSelector: {}}], ports: [{port: ${2000 + i - 3}, endPort: ${2000 + i - 3}, protocol: UDP}]}`;
    }
  };
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: many, namespace: shop}
spec:
  podSelector: {}
  ingress:
${Array.from({ length: n }, (_, i) => rule(i)).join('\n')}
`;
}

function ruleWork(n: number) {
  const uri = 'file:///scaling/rules.yaml';
  const text = manyRules(n);
  const service = serviceOf([{ uri, text }]);
  const counted = () => coverWork.ruleComparisons + coverWork.ruleCandidates;
  coverWork.ruleComparisons = coverWork.ruleCandidates = 0;
  yamlLookupWork.items = 0;
  const problems = service.allDiagnostics().filter((p) => p.code === 'netpol.redundant-rule').length;
  const check = counted();
  // Locating each finding's node in the YAML (a binary search among the 8k items, not a scan).
  const located = yamlLookupWork.items;
  coverWork.ruleComparisons = coverWork.ruleCandidates = 0;
  service.setFile(uri, text.replace('name: many', 'name: many2'));
  service.diagnostics(uri);
  return { check, keystroke: counted(), problems, located };
}

test('the redundant-rule check compares and looks up rules in about linear work (1k vs 8k rules, check and a keystroke)', () => {
  const small = ruleWork(1000);
  const large = ruleWork(8000);
  // Written down: every fifth rule repeats the one two before it, and every fifth (a one-port range on
  // UDP, from every pod) means the same as the rule three before it: two in five are redundant.
  assert.deepEqual([small.problems, large.problems], [400, 3200]);
  assert.ok(small.check > 0 && small.keystroke > 0, 'the rules were compared');
  // 8x the rules: at most 12x the comparisons (every pair would be 64x).
  assert.ok(large.check <= 12 * small.check, `check: ${small.check} → ${large.check}`);
  assert.ok(large.keystroke <= 12 * small.keystroke, `keystroke: ${small.keystroke} → ${large.keystroke}`);
  assert.ok(large.located <= 12 * small.located, `items looked at: ${small.located} → ${large.located}`);
});

test('the rule index finds every covering rule: the same findings as comparing every pair', () => {
  const peer = fc.oneof(
    fc.constant({ podSelector: {} }),
    fc.constantFrom('a', 'b').map((app) => ({ podSelector: { matchLabels: { app } } })),
    fc.constantFrom('x', 'y').map((team) => ({ namespaceSelector: { matchLabels: { team } } })),
    fc.constantFrom('10.0.0.0/8', '10.1.0.0/16', '10.1.2.0/24', '192.168.0.0/16').map((cidr) => ({
      ipBlock: { cidr },
    })),
  );
  const port = fc.oneof(
    fc.record(
      {
        protocol: fc.constantFrom('TCP', 'UDP', 'BAD'),
        port: fc.oneof(fc.integer({ min: 79, max: 83 }), fc.constantFrom('http', 'dns', 0, 70000)),
        endPort: fc.integer({ min: 78, max: 85 }),
      },
      { requiredKeys: [] },
    ),
  );
  const rule = fc.record(
    {
      from: fc.array(peer, { maxLength: 3 }),
      ports: fc.array(port, { maxLength: 3 }),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(fc.array(rule, { minLength: 1, maxLength: 10 }), (rules) => {
      const policy = {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'p', namespace: 'shop' },
        spec: { podSelector: {}, ingress: rules },
      };
      const files = [{ uri: 'file:///p.yaml', text: `${JSON.stringify(policy)}\n` }];
      const model = analyzeFiles(files).model;
      const pol = model.policies[0];
      if (!pol) return;
      const list = pol.ingress;
      const expected = pairwiseCoverings(list, (a, b) => ruleCovered(model, pol, a, b));
      const found = serviceOf(files)
        .allDiagnostics()
        .filter((p) => p.code === 'netpol.redundant-rule')
        .map((p) => {
          const data = p.data as { ruleIndex: number; coveredBy: number };
          return [data.ruleIndex, data.coveredBy];
        });
      assert.deepEqual(found, expected);
    }),
    { numRuns: 400 },
  );
});
