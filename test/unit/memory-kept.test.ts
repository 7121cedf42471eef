// What the analysis of one large file keeps, counted in a heap snapshot after a full collection: its
// strings are slices of the file's text (not of the copies of each section that the YAML reader makes),
// and its ranges are two offsets each (TextRange in core/text.ts), with no position objects behind them.
// Counts and ratios only, compared at two file sizes or with what the file holds (no sizes in bytes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapSnapshot, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateSingleFile } from '../../bench/generate-repo';
import { forgetRebuiltDocuments } from '../../server/src/core/documents';
import {
  analyzeParsed,
  createLanguageService,
  DEFAULT_SETTINGS,
  plainRange,
  type Range,
} from '../../server/src/core/index';
import { computeDiagnostics, type PolicyFindings } from '../../server/src/core/diagnostics/index';
import { parseFile } from '../../server/src/core/parse';
import { SourceText, TextRange } from '../../server/src/core/text';

const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** A turn of the event loop: WeakRefs made or read in this one keep their targets until it ends. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

interface HeapCounts {
  /** Flat strings that hold a manifest of the file (`kind: …` and more), not the whole file. */
  sectionCopies: number;
  /** Objects made by TextRange. */
  textRanges: number;
  /** Plain objects whose every field is a small integer, as a {line, character, offset} position is. */
  numbersOnly: number;
  /** Strings `v1` (every Namespace's and Service's apiVersion, a short value read many times). */
  v1Strings: number;
  /** Objects made by `new Map()`. */
  maps: number;
}

/** Counts in a snapshot of the heap, taken after a full collection. */
async function heapCounts(fileText: string): Promise<HeapCounts> {
  await nextTurn();
  gc();
  let json = '';
  for await (const chunk of getHeapSnapshot()) json += chunk;
  const snapshot = JSON.parse(json) as {
    snapshot: { meta: { node_fields: string[]; node_types: [string[]] } };
    nodes: number[];
    strings: string[];
  };
  json = '';
  const { node_fields: fields, node_types: types } = snapshot.snapshot.meta;
  const width = fields.length;
  const [typeAt, nameAt, edgesAt] = ['type', 'name', 'edge_count'].map((f) => fields.indexOf(f));
  const { nodes, strings } = snapshot;
  const counts: HeapCounts = { sectionCopies: 0, textRanges: 0, numbersOnly: 0, v1Strings: 0, maps: 0 };
  for (let i = 0; i < nodes.length; i += width) {
    const type = types[0][nodes[i + typeAt]];
    const name = strings[nodes[i + nameAt]];
    // (The generated file's namespaces are payments-000…; a copy of the whole file would be no section.)
    const section = name.length > 40 && name.length < fileText.length / 2 && name.includes('payments-');
    if (type === 'string' && section && /^kind: /m.test(name)) {
      counts.sectionCopies++;
    } else if (type === 'string' && name === 'v1') counts.v1Strings++;
    else if (type === 'object' && name === 'TextRange') counts.textRanges++;
    else if (type === 'object' && name === 'Map') counts.maps++;
    // Small integers are no edges in a snapshot: such an object shows with only its map's edge.
    else if (type === 'object' && name === 'Object' && nodes[i + edgesAt] <= 1) counts.numbersOnly++;
  }
  return counts;
}

/** Analyses one generated file of `megabytes` as a workspace scan does, and counts what stays. */
async function keptBy(megabytes: number) {
  const text = generateSingleFile(megabytes).files[0].text;
  const service = createLanguageService();
  service.setSettings({ ...DEFAULT_SETTINGS });
  service.setFile('file:///w/big.yaml', text, { relevantOnly: true, rebuildDocuments: true });
  const problems = service.allDiagnostics();
  forgetRebuiltDocuments();
  const counts = await heapCounts(text);
  const sections = text.split(/^---$/m).length;
  assert.ok(service.state().analysis.model.policies.length > 0 && problems.length > 0);
  return { ...counts, sections };
}

test('an analysed large file keeps no copy of its sections, no position objects and one copy of a short value, at two sizes', async () => {
  const small = await keptBy(0.1);
  const large = await keptBy(0.4);
  assert.ok(large.sections > 3 * small.sections, `sections: ${small.sections} and ${large.sections}`);
  for (const kept of [small, large]) {
    // Before, every section read on the fast path left a copy alive through the strings of the model.
    assert.ok(
      kept.sectionCopies < kept.sections / 20,
      `section copies ${kept.sectionCopies} of ${kept.sections}`,
    );
    // Ranges are kept (a few per section); positions are not: two plain objects a range before.
    assert.ok(kept.textRanges > kept.sections, `ranges ${kept.textRanges} for ${kept.sections} sections`);
    assert.ok(kept.numbersOnly < kept.textRanges / 2, `number-only objects ${kept.numbersOnly}`);
    // A short value read again and again is one string (fast-read.ts), not a copy per object.
    assert.ok(kept.v1Strings <= 3, `${kept.v1Strings} strings "v1"`);
  }
  // What is kept grows with the file, not faster.
  const growth = large.sections / small.sections;
  assert.ok(
    large.textRanges < 1.25 * growth * small.textRanges,
    `ranges ${small.textRanges} → ${large.textRanges}`,
  );
});

test('a service that analyses once (the CLI) keeps no lint results per policy, and reports the same', async () => {
  const text = generateSingleFile(0.1).files[0].text;
  const analysedBy = (analysedOnce: boolean) => {
    const service = createLanguageService({ analysedOnce });
    service.setSettings({ ...DEFAULT_SETTINGS });
    service.setFile('file:///w/big.yaml', text, { relevantOnly: true });
    return { service, problems: service.allDiagnostics() };
  };
  // What one more service keeps, counted as the difference it makes (module-level tables are shared).
  const services = [analysedBy(true)];
  const withOne = (await heapCounts(text)).maps;
  services.push(analysedBy(true));
  const perOnce = (await heapCounts(text)).maps - withOne;
  services.push(analysedBy(false));
  const perEditor = (await heapCounts(text)).maps - withOne - perOnce;
  const policies = services[0].service.state().analysis.model.policies.length;
  assert.ok(policies > 100, `${policies} policies`);
  // The editor's service keeps a table of findings by rule for every policy, for the next keystroke; a
  // service analysed once keeps the rest (the model's own tables) and not those.
  assert.ok(
    perEditor - perOnce >= policies,
    `maps: ${perEditor} in the editor's service, ${perOnce} in one analysed once, ${policies} policies`,
  );
  assert.deepEqual(services[0].problems, services[2].problems);
  assert.ok(services[0].problems.length > 10);
});

/** Line and character of an offset, counted from the text itself (not through the line index). */
function counted(text: string, offset: number): { line: number; character: number; offset: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length, offset };
}

test('a text range reads, serializes and compares as a plain range', () => {
  const text = 'apiVersion: v1\nkind: Pod\n\nmetadata:\n  name: a\n';
  const source = new SourceText('file:///w/p.yaml', text);
  const name = text.indexOf('a\n', text.indexOf('name'));
  const range = source.range(text.indexOf('kind'), name + 1);
  const expected = {
    start: { line: 1, character: 0, offset: 15 },
    end: { line: 4, character: 9, offset: 45 },
  };
  assert.deepEqual(expected, { start: counted(text, 15), end: counted(text, 45) }, 'written down right');
  assert.ok(range instanceof TextRange);
  assert.deepEqual({ start: range.start, end: range.end }, expected);
  assert.deepEqual(plainRange(range), expected);
  assert.equal(JSON.stringify(range), JSON.stringify(expected));
  assert.equal(JSON.stringify({ range }), JSON.stringify({ range: expected }));
  // A structured clone (postMessage to a worker) keeps the plain range whole.
  assert.deepEqual(structuredClone(plainRange(range)), expected);
  // Clamped to the text, and never ending before it starts, as before.
  assert.deepEqual(plainRange(source.range(-5, 1e9)), {
    start: counted(text, 0),
    end: counted(text, text.length),
  });
  assert.deepEqual(plainRange(source.range(20, 3)), { start: counted(text, 20), end: counted(text, 20) });
  // Ranges of other offsets differ for assert.deepStrictEqual.
  assert.notDeepStrictEqual(source.range(0, 4), source.range(0, 5));
  assert.deepStrictEqual(source.range(0, 4), source.range(0, 4));
});

test('every range of a parsed file reads the lines and characters of its offsets', () => {
  const text = generateSingleFile(0.05).files[0].text;
  const parsed = parseFile('file:///w/f.yaml', text);
  const ranges: Range[] = [
    ...parsed.documents.map((d) => d.range),
    ...parsed.objects.map((o) => o.range),
    ...parsed.problems.map((p) => p.range),
  ];
  assert.ok(ranges.length > 100);
  for (const range of ranges.filter((_, i) => i % 7 === 0)) {
    assert.deepEqual(range.start, counted(text, range.start.offset));
    assert.deepEqual(range.end, counted(text, range.end.offset));
  }
});

test('readers without losses and rules without findings keep no list of their own', () => {
  // A file has a reader per object and the findings cache an entry per policy and rule: empty lists
  // there were a quarter of the arrays a large file kept.
  const policy = (name: string) =>
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${name}\n  namespace: shop\nspec:\n  podSelector: {}\n  ingress:\n    - from:\n        - podSelector: {}\n`;
  const parsed = parseFile('file:///w/empty-lists.yaml', [policy('a'), policy('b')].join('---\n'));
  const [a, b] = parsed.objects;
  assert.equal(a.reader.losses.length, 0);
  assert.equal(a.reader.losses, b.reader.losses, 'one shared empty list');
  assert.ok(Object.isFrozen(a.reader.losses));
  a.reader.lose(undefined, 'for the test');
  assert.equal(a.reader.losses.length, 1, 'a loss makes a list of its own');
  assert.equal(b.reader.losses.length, 0, 'the shared list is still empty');

  const analysis = analyzeParsed([
    parseFile('file:///w/empty-lists.yaml', [policy('a'), policy('b')].join('---\n')),
  ]);
  const cache: PolicyFindings = new WeakMap();
  computeDiagnostics(analysis, { scope: 'workspace', policyFindings: cache });
  const [first, second] = analysis.model.policies.map((p) => cache.get(p)!);
  const empty = [...first].filter(([, found]) => found.length === 0);
  assert.ok(empty.length > 3, `rules without findings: ${empty.length}`);
  for (const [code, found] of empty) {
    assert.equal(second.get(code), found, `${code}: one list for every policy without findings`);
    assert.ok(Object.isFrozen(found));
  }
});
