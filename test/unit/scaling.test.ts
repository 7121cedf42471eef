// Work that must grow linearly with the input: counted (never timed) at two sizes of one generated file
// of many policies, and the selector index checked against plain selector matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { computeDiagnostics } from '../../server/src/core/diagnostics/index';
import { yamlLookupWork } from '../../server/src/core/diagnostics/lint-yaml';
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
