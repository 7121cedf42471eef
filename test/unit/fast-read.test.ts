// The fast reading path (core/fast-read.ts): js-yaml's events build the nodes yaml would build. Every
// fixture, the reading cases, the hostile corpus and generated variants are read both ways (fast, and
// forced through yaml's full parse) and must give the same nodes and the same results; ordinary policy
// files must take the fast path, and what it does not model must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import {
  Document,
  isDocument,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Pair,
  parseDocument,
  Scalar,
  YAMLMap,
  YAMLSeq,
} from 'yaml';
import { generateWorkspace } from '../../bench/generate';
import { DOCS_3900 } from '../../bench/generate-repo';
import { mayNotBeString, readingPaths, readSectionFast } from '../../server/src/core/fast-read';
import { parseFile } from '../../server/src/core/parse';
import type { SourceFile } from '../../server/src/core/index';
import { CASES } from '../hostile/corpus';
import { loadFixture } from '../support/fixtures';
import { assertSameNodes, assertSameResults, nodeDifference } from '../support/reading-paths';

const OPTIONS = { version: '1.1' } as const;

/** Every manifest under a folder (recursively). */
function manifestsUnder(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return manifestsUnder(path);
    if (!/\.(ya?ml|json)$/.test(entry.name) || !statSync(path).isFile()) return [];
    return [{ uri: pathToFileURL(join('/reading', path)).toString(), text: readFileSync(path, 'utf8') }];
  });
}

/** The fast path's count of sections it read and sections it left to yaml, for one parse. */
function paths(files: readonly SourceFile[]): { fast: number; full: number } {
  const before = { ...readingPaths };
  for (const file of files) parseFile(file.uri, file.text);
  return { fast: readingPaths.fast - before.fast, full: readingPaths.full - before.full };
}

test('a section the fast path reads has the very nodes yaml builds (written down by hand)', () => {
  const text =
    'apiVersion: v1\nkind: "Pod"\nmetadata:\n  labels: {a: b, c: 1}\nspec:\n  ports:\n  - port: 80\n    x:\n  - on\n';
  const document = readSectionFast(text, 100, OPTIONS);
  assert.ok(document, 'read on the fast path');
  const root = document.contents as unknown as { items: { key: { range: number[] }; value: unknown }[] };
  assert.deepEqual(document.range, [100, 100 + text.length, 100 + text.length]);
  assert.deepEqual(root.items[0].key.range, [100, 110, 110]); // apiVersion, no trailing space
  const kind = root.items[1].value as { range: number[]; type: string; value: string };
  assert.deepEqual([kind.range, kind.type, kind.value], [[121, 126, 127], 'QUOTE_DOUBLE', 'Pod']);
  const ports = (root.items[3].value as typeof root).items[0].value as {
    range: number[];
    items: { range: number[]; value?: unknown; items?: { value: { range: number[]; value: unknown } }[] }[];
  };
  assert.deepEqual(ports.range, [177, 202, 202]); // from the first `-` to the end
  assert.deepEqual(ports.items[0].items?.[1].value.range, [194, 194, 194]); // `x:`: null just after the colon
  assert.equal(ports.items[0].items?.[1].value.value, null);
  assert.equal(ports.items[1].value, true); // YAML 1.1: `on` is a boolean, as kubectl reads it
});

test("the fast path's nodes are yaml's: classes, type tests, clone, toJS and toString", () => {
  const text =
    'apiVersion: v1\nkind: Pod\nmetadata:\n  labels: {a: b, c: 1}\nspec:\n  ports:\n  - port: 80\n';
  const fast = readSectionFast(text, 0, OPTIONS)!;
  const full = parseDocument(text, OPTIONS);
  const root = fast.contents as YAMLMap;
  assert.ok(root instanceof YAMLMap && isMap(root));
  assert.equal(isSeq(root), false);
  const pair = root.items[3];
  assert.ok(pair instanceof Pair && isPair(pair));
  assert.ok(pair.key instanceof Scalar && isScalar(pair.key));
  assert.equal(isMap(pair.key), false);
  const ports = (pair.value as YAMLMap).items[0].value;
  assert.ok(ports instanceof YAMLSeq && isSeq(ports));
  assert.deepEqual(fast.toJS(), full.toJS());
  assert.equal(String(fast), String(full));
  // A range is yaml's array; a clone's range is its own, and setting one moves the node.
  const key = pair.key as Scalar;
  assert.deepEqual(key.range, [58, 62, 62]);
  const copy = key.clone();
  copy.range = [1, 2, 3];
  assert.deepEqual(
    [key.range, copy.range],
    [
      [58, 62, 62],
      [1, 2, 3],
    ],
  );
  const map = root.clone() as YAMLMap;
  assert.deepEqual(map.range, root.range);
  assert.ok(isMap(map) && map.items.length === 4);
});

test("the fast path's documents are yaml's: their own errors and contents, shared settings", () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\n';
  const [a, b] = [readSectionFast(text, 0, OPTIONS)!, readSectionFast(`---\n${text}`, 0, OPTIONS)!];
  const full = [parseDocument(text, OPTIONS), parseDocument(`---\n${text}`, OPTIONS)];
  assert.ok(a instanceof Document && isDocument(a) && isDocument(b));
  assert.deepEqual([a.toJS(), b.toJS()], [full[0].toJS(), full[1].toJS()]);
  assert.deepEqual([String(a), String(b)], [String(full[0]), String(full[1])]); // `---` kept
  assert.equal(a.schema, b.schema, 'one schema for every document read fast');
  assert.notEqual(a.errors, b.errors);
  assert.deepEqual([a.errors, a.warnings, b.errors, b.warnings], [[], [], [], []]);
  assert.deepEqual([a.get('kind'), b.getIn(['metadata', 'name'])], ['Pod', 'a']);
  assert.equal(a.directives.docStart, full[0].directives.docStart);
  assert.equal(b.directives.docStart, true);
  const copy = b.clone();
  assert.deepEqual(copy.toJS(), b.toJS());
});

test('the comparison sees a wrong range (it can fail)', () => {
  const text = 'a: 1\nb: [x, y]\n';
  const fast = readSectionFast(text, 0, OPTIONS)!;
  const full = readSectionFast(text, 0, OPTIONS)!;
  assert.equal(nodeDifference(fast.contents, full.contents), undefined);
  const b = (full.contents as unknown as { items: { value: { items: { range: number[] }[] } }[] }).items[1];
  b.value.items[1].range = [12, 13, 14];
  assert.match(nodeDifference(fast.contents, full.contents) ?? '', /range/);
});

test('every fixture and reading case reads the same both ways, node by node and result by result', () => {
  let documents = 0;
  for (const folder of readdirSync('test-fixtures')) {
    const files = loadFixture(folder);
    documents += assertSameNodes(files, folder);
    assertSameResults(files, folder);
  }
  for (const folder of readdirSync(join('test', 'reading'), { withFileTypes: true })) {
    if (!folder.isDirectory()) continue;
    const files = manifestsUnder(join('test', 'reading', folder.name));
    documents += assertSameNodes(files, folder.name);
    assertSameResults(files, folder.name);
  }
  assert.ok(documents > 100, `documents compared: ${documents}`);
});

/** The text with CRLF line ends (as Windows editors write it). */
function withCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

test('every fixture and reading case with CRLF line ends reads the same both ways, mostly fast', () => {
  const before = { ...readingPaths };
  let documents = 0;
  const folders = [
    ...readdirSync('test-fixtures').map((folder) => ({ folder, files: loadFixture(folder) })),
    ...readdirSync(join('test', 'reading'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => ({ folder: entry.name, files: manifestsUnder(join('test', 'reading', entry.name)) })),
  ];
  for (const { folder, files } of folders) {
    const crlf = files.map((file) => ({ ...file, text: withCrlf(file.text) }));
    documents += assertSameNodes(crlf, `${folder} (CRLF)`);
    assertSameResults(crlf, `${folder} (CRLF)`);
  }
  assert.ok(documents > 100, `documents compared: ${documents}`);
  const fast = readingPaths.fast - before.fast;
  assert.ok(fast > documents / 2, `sections read fast: ${fast} of about ${documents}`);
});

test('the hostile corpus reads the same both ways', () => {
  let compared = 0;
  for (const c of CASES) {
    if (c.kind !== 'cli') continue;
    const files = Object.entries(c.files).flatMap(([name, content]) =>
      typeof content === 'string' && /\.(ya?ml|json)$/.test(name)
        ? [{ uri: `file:///hostile/${c.name}/${name}`, text: content }]
        : [],
    );
    if (files.length === 0 || files.some((f) => f.text.length > 300_000)) continue;
    assertSameNodes(files, c.name);
    assertSameResults(files, c.name);
    compared++;
  }
  assert.ok(compared > 20, `hostile cases compared: ${compared}`);
});

test('a generated docs-3900-like workspace is read on the fast path only', () => {
  const workspace = generateWorkspace(DOCS_3900);
  const files = workspace.files.slice(0, 10);
  const counts = paths(files);
  assert.equal(counts.full, 0, 'no section fell back to the full parse');
  assert.ok(counts.fast > 100, `sections read fast: ${counts.fast}`);
  assertSameNodes(files, 'generated');
  assertSameResults(files.slice(0, 3), 'generated');
});

test('what the fast path does not model goes to the full parse; the comments it models do not', () => {
  const policy = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\nspec:\n';
  const notFast: [string, string][] = [
    ['an anchor and an alias', `${policy}  podSelector: &s {}\n  x: *s\n`],
    ['a merge key', `${policy}  podSelector:\n    <<: {matchLabels: {}}\n`],
    ['a tag', `${policy}  podSelector: !!map {}\n`],
    ['a local tag', `${policy}  podSelector: !x {}\n`],
    ['a block scalar', `${policy}  podSelector: {}\n  note: |\n    a\n`],
    ['a folded scalar', `${policy}  podSelector: {}\n  note: >-\n    a\n`],
    ['a multi-line plain scalar', `${policy}  note: a\n    b\n`],
    ['a multi-line quoted scalar', `${policy}  note: "a\n    b"\n`],
    ['an escape', `${policy}  note: "a\\tb"\n`],
    ['a comment line after the last key of a mapping', `${policy}  podSelector: {}\n  # end\nx: 1\n`],
    ['a comment line deeper than what follows', `${policy}  podSelector: {}\n    # deeper\n  x: 1\n`],
    ["a comment line where a list at its key's indentation ends", `${policy}  x:\n  - a\n  # c\n  y: 1\n`],
    ['a comment line after an empty value', `${policy}  podSelector:\n  # c\n  x: 1\n`],
    ['a comment after an empty value', `${policy}  podSelector: # c\n  x: 1\n`],
    ['a `#` in quotes', `${policy}  podSelector: {}\n  x: "a #b"\n`],
    ['an empty value at the end', `${policy}  podSelector: {}\n  x:\n`],
    ['a line of spaces', `${policy}  \n  podSelector: {}\n`],
    ['a template', `${policy}  podSelector: {{ .Values.s }}\n`],
    ['a tab', `${policy}  podSelector:\t{}\n`],
    ['CRLF and a comment after an empty value', withCrlf(`${policy}  podSelector: # all\n  x: 1\n`)],
    ['a directive', `%YAML 1.1\n---\n${policy}  podSelector: {}\n`],
    ['a document end', `${policy}  podSelector: {}\n...\n`],
    ['duplicate keys under YAML 1.1', `${policy}  podSelector: {}\n  x: {yes: 1, true: 2}\n`],
    ['a YAML error', `${policy}  podSelector: {\n`],
    ['an explicit key', `${policy}  ? podSelector\n  : {}\n`],
  ];
  for (const [what, text] of notFast) {
    const counts = paths([{ uri: 'file:///x.yaml', text }]);
    assert.deepEqual(counts, { fast: 0, full: 1 }, what);
    assertSameResults([{ uri: 'file:///x.yaml', text }], what);
  }
  const commented: [string, string][] = [
    ['a comment line before a key', `${policy}  # all pods\n  podSelector: {}\n`],
    ['a trailing comment', `${policy}  podSelector: {} # all\n`],
    ['a trailing comment after a key', `${policy}  podSelector: # all\n    matchLabels: {a: b}\n`],
    ['comment lines between list items', `${policy}  ingress:\n  - {} # one\n  # two\n\n  - {}\n`],
    ['a comment line at the margin after nested keys', `${policy}  podSelector: {}\n# next\nx: 1\n`],
    ['comment lines at the end', `${policy}  podSelector: {}\n# end\n\n#\n`],
    ['a `#` inside a word', `${policy}  podSelector: {}\n  x: a#b\n`],
    ['CRLF and a comment', withCrlf(`${policy}  podSelector: {} # all\n`)],
  ];
  for (const [what, text] of commented) {
    const files = [{ uri: 'file:///c.yaml', text }];
    assert.deepEqual(paths(files), { fast: 1, full: 0 }, what);
    assertSameNodes(files, what);
    assertSameResults(files, what);
  }
  const fast = paths([
    { uri: 'file:///y.yaml', text: `---\n${policy}  podSelector: {}\n---\n${policy}  podSelector: {}\n` },
  ]);
  assert.deepEqual(fast, { fast: 2, full: 0 }, 'the plain policy itself is read fast');
  const crlf = withCrlf(`---\n${policy}  podSelector: {}\n`);
  assert.deepEqual(
    paths([{ uri: 'file:///z.yaml', text: crlf }]),
    { fast: 1, full: 0 },
    'with CRLF ends too',
  );
});

/** A policy written with the variations real manifests have, to read both ways. */
const variantArb = fc
  .record({
    indent: fc.constantFrom('  ', '    '),
    seqIndent: fc.constantFrom('', '  '),
    quote: fc.constantFrom('', '"', "'"),
    flow: fc.boolean(),
    value: fc.constantFrom(
      '80',
      'http',
      'yes',
      'no',
      '0x1F',
      '010',
      '1_000',
      '1:30',
      '~',
      'null',
      '1.5',
      '.inf',
      '2001-12-14',
      'e7',
      'a b',
      '-1',
      '+1',
      'x-y',
      "it's",
    ),
    empty: fc.boolean(),
    separator: fc.constantFrom('', '---\n'),
    trailing: fc.constantFrom('', ' ', '  '),
    /** Where a flow value starts: after its key, on the next line, or as a block list item. */
    flowAt: fc.constantFrom(' ', `\n      `, '\n    - '),
  })
  .map(({ indent: i, seqIndent: s, quote: q, flow, value, empty, separator, trailing, flowAt }) => {
    const v = q === "'" ? `'${value.replace(/'/g, "''")}'` : q === '"' ? `"${value}"` : value;
    const ports = flow
      ? `${i}${i}ports:${flowAt}[{port: ${v}}, {protocol: TCP, port: ${v}}]${trailing}\n` +
        `${i}${i}endPorts:${flowAt}{a: ${v}}\n${i}${i}more:${flowAt}${v}\n`
      : `${i}${i}ports:\n${i}${i}${s}- port: ${v}${trailing}\n${i}${i}${s}  protocol: TCP\n`;
    return (
      `${separator}apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n${i}name: p\n${i}labels: {a: ${v}}\nspec:\n` +
      `${i}podSelector: {}\n${i}ingress:\n${i}${s}- from:\n${i}${s}${i}- podSelector:${empty ? '' : ` {matchLabels: {app: ${v}}}`}\n${ports}` +
      `${i}policyTypes: [Ingress]\n`
    );
  });

/**
 * Blank lines after some lines, comment or blank lines before the content, and comments in it: lines at
 * some indentation before a line, or after the content of a line.
 */
const spacingArb = fc.record({
  blankAfter: fc.array(fc.nat(), { maxLength: 4 }),
  lead: fc.constantFrom('', '\n', '# Source: x.yaml\n', '# a\n\n  # b\n'),
  comments: fc.array(
    fc.tuple(
      fc.nat(),
      fc.constantFrom('#', '# c', '  # c', '    # c', '      #', ' # t', '  #', ' # "x: y"'),
    ),
    { maxLength: 3 },
  ),
});

interface Spacing {
  blankAfter: number[];
  lead: string;
  comments: [number, string][];
}

function spaced(text: string, { blankAfter, lead, comments }: Spacing): string {
  const lines = text.split('\n');
  for (const [at, comment] of comments) {
    const line = 1 + (at % (lines.length - 1)); // never before a `---`
    if (comment.startsWith(' #') || comment === '  #') lines[line] += comment;
    else lines.splice(line, 0, comment);
  }
  for (const at of blankAfter) lines[at % lines.length] += '\n';
  const body = lines.join('\n');
  return body.startsWith('---\n') ? `---\n${lead}${body.slice(4)}` : lead + body;
}

test('generated policy variants, with comments, read the same both ways', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(variantArb, spacingArb), { minLength: 1, maxLength: 3 }),
      fc.boolean(),
      (docs, crlf) => {
        const texts = docs.map(([text, spacing]) => spaced(text, spacing));
        const text = texts.join('---\n');
        const files = [{ uri: 'file:///v/p.yaml', text: crlf ? withCrlf(text) : text }];
        assertSameNodes(files, 'variant');
        assertSameResults(files, 'variant');
      },
    ),
    { seed: 0x13a, numRuns: 60 },
  );
});

/** The YAML 1.1 tags yaml tries on a plain scalar, in order, with their tests (see mayNotBeString). */
function plainScalarTags(): { tag: string; test: RegExp | undefined; atKeyOnly: boolean }[] {
  const schema = new Document(undefined, OPTIONS).schema;
  return (schema.tags as { tag: string; default?: boolean | 'key'; test?: RegExp }[])
    .filter((t) => t.default === true || t.default === 'key')
    .map((t) => ({ tag: t.tag, test: t.test, atKeyOnly: t.default === 'key' }));
}

test("yaml's YAML 1.1 tags for plain scalars are the ones the first-character check was written for", () => {
  const tests = plainScalarTags()
    .filter((t) => t.test)
    .map((t) => `${t.tag.replace('tag:yaml.org,2002:', '')} ${String(t.test)}`);
  // Written down from yaml 2.9's YAML 1.1 schema: a tag added or changed there must be looked at in
  // mayNotBeString before this list is updated.
  assert.deepEqual(tests, [
    'null /^(?:~|[Nn]ull|NULL)?$/',
    'bool /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/',
    'bool /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/',
    'int /^[-+]?0b[0-1_]+$/',
    'int /^[-+]?0[0-7_]+$/',
    'int /^[-+]?[0-9][0-9_]*$/',
    'int /^[-+]?0x[0-9a-fA-F_]+$/',
    'float /^(?:[-+]?\\.(?:inf|Inf|INF)|\\.nan|\\.NaN|\\.NAN)$/',
    'float /^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$/',
    'float /^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$/',
    'merge /^<<$/',
    'int /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/',
    'float /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\\.[0-9_]*$/',
    String.raw`timestamp /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:t|T|[ \t]+)([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\.[0-9]+)?)(?:[ \t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?)?$/`,
  ]);
});

test('a plain scalar the first character calls a string matches no other YAML 1.1 tag', () => {
  const tags = plainScalarTags().filter((t) => t.test);
  const matchesATag = (text: string) => tags.some((t) => t.test!.test(text));
  // Values that are not strings in YAML 1.1, written down by hand: each must be sent on to the tags.
  const notStrings = ['', '~', 'null', 'Null', 'NULL', 'y', 'Y', 'yes', 'No', 'NO', 'true', 'False', 'on'];
  notStrings.push('On', 'OFF', 'off', 'n', '0', '-1', '+1', '010', '0x1F', '0b1', '1_000', '1:30', '.5');
  notStrings.push(
    '.inf',
    '-.Inf',
    '.NaN',
    '1e3',
    'e7',
    'E+10',
    '2001-12-14',
    '2001-12-14t21:59:43.10-05:00',
    '<<',
  );
  for (const text of notStrings) {
    assert.equal(matchesATag(text), true, `${text} is not a string (the list is right)`);
    assert.equal(mayNotBeString(text), true, text);
  }
  for (const text of ['networking.k8s.io/v1', 'NetworkPolicy', 'nginx', 'name', 'yesterday', 'onion']) {
    assert.equal(matchesATag(text), false, text);
  }
  fc.assert(
    fc.property(
      fc.string({ unit: fc.constantFrom(...'nNyYtTfFoOuelsraUELSRA0123456789+-._:~<eExXbB tZ'.split('')) }),
      (text) => {
        if (!mayNotBeString(text)) assert.equal(matchesATag(text), false, JSON.stringify(text));
      },
    ),
    { numRuns: 20_000 },
  );
});
