// The two ways a section is read (the fast js-yaml path of core/fast-read.ts, and yaml's full parse)
// must give the same nodes and the same results. These helpers compare them, node by node and through
// every feature of the language service, and say where they first differ.
import assert from 'node:assert/strict';
import { Alias, isMap, isPair, isScalar, isSeq, Scalar, YAMLMap, YAMLSeq, type Node } from 'yaml';
import {
  createLanguageService,
  DEFAULT_SETTINGS,
  parseFile,
  type LanguageService,
  type ParseOptions,
  type Settings,
  type SourceFile,
} from '../../server/src/core/index';

const STACK_OVERFLOW = /Maximum call stack size exceeded|too much recursion/;

/** The node fields anything downstream reads (comments are not read, so the fast path leaves them out). */
const NODE_FIELDS = ['type', 'source', 'format', 'flow', 'tag', 'anchor'] as const;

function scalarValue(value: unknown): unknown {
  if (value instanceof Date) return `Date ${value.getTime()}`;
  return typeof value === 'symbol' ? `Symbol ${value.description}` : value; // a merge key: a new symbol each
}

/**
 * The yaml class a node is an instance of (the fast path builds subclasses of yaml's own, see
 * fast-read.ts), or its constructor's name for anything else.
 */
function yamlClass(node: object): string {
  for (const base of [Scalar, YAMLMap, YAMLSeq, Alias]) if (node instanceof base) return base.name;
  return node.constructor.name;
}

/** The first difference between two yaml node trees, as a path and what differs; undefined when equal. */
export function nodeDifference(a: unknown, b: unknown, path = '$'): string | undefined {
  if (isPair(a) || isPair(b)) {
    if (!isPair(a) || !isPair(b)) return `${path}: a pair and something else`;
    return nodeDifference(a.key, b.key, `${path}.key`) ?? nodeDifference(a.value, b.value, `${path}.value`);
  }
  if (a === null || b === null || a === undefined || b === undefined)
    return a === b ? undefined : `${path}: ${String(a)} vs ${String(b)}`;
  const x = a as Node & Record<string, unknown>;
  const y = b as Node & Record<string, unknown>;
  if (yamlClass(x) !== yamlClass(y)) return `${path}: ${yamlClass(x)} vs ${yamlClass(y)}`;
  if (JSON.stringify(x.range) !== JSON.stringify(y.range))
    return `${path}: range ${JSON.stringify(x.range)} vs ${JSON.stringify(y.range)}`;
  for (const field of NODE_FIELDS) {
    if (x[field] !== y[field]) return `${path}: ${field} ${String(x[field])} vs ${String(y[field])}`;
  }
  if (isScalar(x)) {
    const [v, w] = [scalarValue(x.value), scalarValue((y as { value: unknown }).value)];
    return Object.is(v, w) ? undefined : `${path}: value ${String(v)} vs ${String(w)}`;
  }
  if (isMap(x) || isSeq(x)) {
    const items = (y as unknown as { items: unknown[] }).items;
    if (x.items.length !== items.length) return `${path}: ${x.items.length} vs ${items.length} items`;
    for (let i = 0; i < items.length; i++) {
      const difference = nodeDifference(x.items[i], items[i], `${path}[${i}]`);
      if (difference) return difference;
    }
  }
  return undefined;
}

/**
 * Parses every file both ways and asserts the same documents: ranges, errors, warnings and every node.
 * Returns how many documents there were.
 */
export function assertSameNodes(files: readonly SourceFile[], what: string): number {
  let documents = 0;
  for (const file of files) {
    const fast = parseFile(file.uri, file.text);
    const full = parseFile(file.uri, file.text, undefined, { fullParse: true });
    assert.equal(fast.documents.length, full.documents.length, `${what}: ${file.uri}: documents`);
    fast.documents.forEach((d, i) => {
      const e = full.documents[i];
      const where = `${what}: ${file.uri} document ${i}`;
      assert.deepEqual(d.document.range, e.document.range, `${where}: range`);
      // yaml cuts deep nesting where its stack ends, which depends on how far V8 has optimised its code:
      // only that it did counts here (the problem it becomes names the text's deepest point, see parse.ts).
      const overflows = [d, e].map((x) =>
        x.document.errors.some((error) => STACK_OVERFLOW.test(error.message)),
      );
      assert.equal(overflows[0], overflows[1], `${where}: stack overflow`);
      if (overflows[0]) return;
      assert.equal(d.document.errors.length, e.document.errors.length, `${where}: errors`);
      assert.equal(d.document.warnings.length, e.document.warnings.length, `${where}: warnings`);
      const difference = nodeDifference(d.document.contents, e.document.contents);
      assert.equal(difference, undefined, `${where}: ${difference}\n${JSON.stringify(file.text)}`);
    });
    documents += fast.documents.length;
  }
  return documents;
}

/** A language service holding `files`, read with these options (fast, or with fullParse by yaml alone). */
function serviceReading(
  files: readonly SourceFile[],
  options: ParseOptions,
  settings: Partial<Settings> = {},
): LanguageService {
  const service = createLanguageService();
  service.setSettings({ ...DEFAULT_SETTINGS, ...settings });
  for (const file of files) service.setFile(file.uri, file.text, options);
  return service;
}

/** Offsets where hovers say something: where each diagnostic starts and each object's kind is written. */
function hoverOffsets(service: LanguageService, uri: string): number[] {
  const text = service.text(uri) ?? '';
  const offsets = service.diagnostics(uri).map((d) => d.range.start.offset);
  for (const match of text.matchAll(/\b(?:kind|podSelector|namespaceSelector|port|cidr|name):/g))
    offsets.push(match.index);
  return [...new Set(offsets)].slice(0, 40);
}

/** What the user sees through the language service: diagnostics, fixes, hovers, symbols, lenses, verdicts. */
function everythingSeen(service: LanguageService) {
  return {
    diagnostics: service.allDiagnostics(),
    reachability: JSON.parse(service.reachability('json')) as unknown,
    files: service.uris().map((uri) => ({
      uri,
      symbols: service.documentSymbols(uri),
      lenses: service.codeLenses(uri).map((l) => ({ range: l.range, title: l.title })),
      fixes: service
        .diagnostics(uri)
        .map((d) =>
          service.codeActions(uri, d.range).map((a) => ({ title: a.fix.title, edits: a.fix.edits })),
        ),
      hovers: hoverOffsets(service, uri).map((offset) => service.hover(uri, offset)?.contents),
    })),
  };
}

/** Asserts that both reading paths show the user the same workspace. */
export function assertSameResults(files: readonly SourceFile[], what: string): void {
  const fast = everythingSeen(serviceReading(files, { fullParse: false }));
  const full = everythingSeen(serviceReading(files, { fullParse: true }));
  assert.deepEqual(fast, full, what);
}

/**
 * Asserts that a workspace read with `options` shows the user what it shows read with `reference`: with
 * `settings` from the start, and after a change to `changed` (which the first reading did not prepare for).
 */
export function assertSameSeen(
  files: readonly SourceFile[],
  what: string,
  options: ParseOptions,
  reference: ParseOptions,
  settings: { first?: Partial<Settings>; changed?: Partial<Settings> } = {},
): void {
  const tried = serviceReading(files, options, settings.first);
  const expected = serviceReading(files, reference, settings.first);
  assert.deepEqual(everythingSeen(tried), everythingSeen(expected), what);
  if (!settings.changed) return;
  for (const service of [tried, expected]) service.setSettings({ ...DEFAULT_SETTINGS, ...settings.changed });
  assert.deepEqual(everythingSeen(tried), everythingSeen(expected), `${what} (settings changed)`);
}
