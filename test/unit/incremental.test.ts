// Incremental parsing: a file parsed from its previous version (taking over the unchanged `---` sections)
// must be indistinguishable from the same text parsed from scratch, down to every node's offsets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { isCollection, isPair, type Node } from 'yaml';
import {
  analyzeParsed,
  createLanguageService,
  formatReachability,
  parseFile,
  type ParsedFile,
} from '../../server/src/core/index';

const URI = 'file:///w/edited.yaml';

/** Every fixture scenario of the repository, its manifests joined into one multi-document text. */
const FIXTURES = readdirSync('test-fixtures', { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) =>
    readdirSync(join('test-fixtures', d.name), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.yaml') && !f.endsWith('claims.yaml'))
      .sort()
      .map((f) => readFileSync(join('test-fixtures', d.name, f), 'utf8'))
      .join('---\n'),
  );
assert.ok(FIXTURES.length >= 5 && FIXTURES.every((text) => text.includes('kind:')), 'fixtures found');

/** Every node of every document with its kind and offsets, in document order. */
function nodeOffsets(file: ParsedFile): string[] {
  const out: string[] = [];
  for (const { document, range } of file.documents) {
    out.push(`doc ${JSON.stringify(document.range)} ${range.start.line}:${range.start.character}`);
    for (const error of [...document.errors, ...document.warnings]) {
      // Sections are parsed alone and shifted: a problem never lies before its own document (yaml may
      // attach stray tokens after the document's end to it).
      assert.ok(
        document.range[0] <= error.pos[0],
        `${error.message} at ${error.pos}, its document at ${document.range}`,
      );
      out.push(`problem ${error.pos}`);
    }
    const walk = (node: unknown): void => {
      if (node === null || typeof node !== 'object') return;
      if (isPair(node)) {
        walk(node.key);
        walk(node.value);
        return;
      }
      out.push(`${(node as Node).constructor.name} ${JSON.stringify((node as Node).range)}`);
      if (isCollection(node)) for (const item of node.items) walk(item);
    };
    walk(document.contents);
  }
  return out;
}

function view(file: ParsedFile) {
  return {
    nodes: nodeOffsets(file),
    problems: file.problems,
    objects: file.objects.map((o) => [o.kind, o.documentIndex, o.itemIndex, o.range]),
  };
}

const SNIPPETS = [
  '---\n',
  '\n---\n',
  'x',
  ' ',
  '\n',
  ': ',
  '- ',
  '[',
  '}',
  '"',
  '&a ',
  '*a',
  '{{ x }}',
  '#',
  '\r\n',
];

/** An edit: replace `length` characters at a relative position with a snippet (or delete them). */
const editArb = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  length: fc.nat({ max: 12 }),
  insert: fc.oneof(fc.constantFrom(...SNIPPETS), fc.constant('')),
});

test('a file parsed from its previous version equals the same text parsed from scratch', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...FIXTURES),
      fc.array(editArb, { minLength: 1, maxLength: 8 }),
      (start, edits) => {
        let text = start;
        let previous = parseFile(URI, text);
        for (const { at, length, insert } of edits) {
          const offset = Math.floor(at * text.length);
          text = text.slice(0, offset) + insert + text.slice(offset + length);
          const incremental = parseFile(URI, text, previous);
          const fresh = parseFile(URI, text);
          assert.deepEqual(view(incremental), view(fresh));
          const a = analyzeParsed([incremental]);
          const b = analyzeParsed([fresh]);
          assert.deepEqual(a.problems, b.problems);
          assert.equal(formatReachability(a, 'txt'), formatReachability(b, 'txt'));
          previous = incremental;
        }
      },
    ),
    { seed: 0x696e63, numRuns: 60 },
  );
});

test('an edit re-parses only its own section', () => {
  // Identical sections are taken over in order, so one of them may stand in for another: pick a fixture
  // whose sections are all different (the cluster-policy examples repeat their base in every folder).
  const docs = FIXTURES.map((text) => text.split(/^---\n/m)).find((d) => new Set(d).size === d.length)!;
  assert.ok(docs.length >= 3, 'the fixture has several documents');
  const before = parseFile(URI, docs.join('---\n'));
  const kept = before.documents.map((d) => d.document);
  const edited = [...docs];
  edited[1] = edited[1].replace(/^(\s*name: )/m, '$1x');
  const after = parseFile(URI, edited.join('---\n'), before);
  const same = after.documents.map((d, i) => d.document === kept[i]);
  assert.deepEqual(
    same,
    after.documents.map((_, i) => i !== 1),
  );
});

test('the language service gives the same diagnostics as a cold start after a series of edits', () => {
  const service = createLanguageService();
  const cold = createLanguageService();
  const text = FIXTURES[1];
  service.setFile(URI, text);
  let current = text;
  for (let i = 0; i < 20; i++) {
    const offset = Math.floor((i * 0.37 * current.length) % current.length);
    current = current.slice(0, offset) + (i % 3 === 0 ? '\n---\n' : 'z') + current.slice(offset);
    service.setFile(URI, current);
    service.state();
  }
  cold.setFile(URI, current);
  assert.deepEqual(service.diagnostics(URI), cold.diagnostics(URI));
});
