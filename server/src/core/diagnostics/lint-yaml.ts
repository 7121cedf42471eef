// Located access to the YAML behind model elements, for lints that point at a precise node and for the
// quick-fixes that edit it. Model ranges of block collections end after their trailing newline; the
// ranges here end at the last character of content.
import { isCollection, isMap, isPair, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Analysis } from '../index';
import type { KubeObject, ParsedFile } from '../parse';
import type { PolicyModel, Range } from '../types';
import { endOffsetOf, startOffsetOf } from '../text';

// Rules ask for the file, object and node behind each policy and range: indexes, built once per parsed
// file or file list, keep that from searching every file, object or document each time (which made large
// files quadratic).
const filesByUri = new WeakMap<readonly ParsedFile[], Map<string, ParsedFile>>();
const objectsByStart = new WeakMap<ParsedFile, Map<number, KubeObject>>();
const rootsOf = new WeakMap<ParsedFile, Roots>();

/**
 * Document roots `locate` looked into, collection items it looked at, and objects `objectAt` looked at,
 * over all calls (for tests that bound the work as files grow).
 */
export const yamlLookupWork = { roots: 0, objects: 0, items: 0 };

export function fileOf(analysis: Analysis, uri: string): ParsedFile | undefined {
  let byUri = filesByUri.get(analysis.files);
  if (!byUri) {
    byUri = new Map();
    for (const file of analysis.files) if (!byUri.has(file.uri)) byUri.set(file.uri, file);
    filesByUri.set(analysis.files, byUri);
  }
  return byUri.get(uri);
}

/**
 * The documents with a root node in file order, where each root starts and ends, and the largest end
 * offset up to each. Offsets, not nodes: a large file's documents are read again when asked (see
 * RebuiltSection in documents.ts), and an index of its nodes would keep them all.
 */
interface Roots {
  documents: ParsedFile['documents'];
  starts: number[];
  ends: number[];
  maxEnds: number[];
}

function rootsOfFile(file: ParsedFile): Roots {
  let roots = rootsOf.get(file);
  if (!roots) {
    roots = { documents: [], starts: [], ends: [], maxEnds: [] };
    for (const parsed of file.documents) {
      if (!parsed.root) continue;
      roots.documents.push(parsed);
      roots.starts.push(parsed.root.start);
      roots.ends.push(parsed.root.end);
      roots.maxEnds.push(Math.max(parsed.root.end, roots.maxEnds[roots.maxEnds.length - 1] ?? -1));
    }
    rootsOf.set(file, roots);
  }
  return roots;
}

/**
 * The nodes from a document's root down to the node written at [start, end) (as a model range, or as a
 * content range), or [] when none.
 */
export function locate(file: ParsedFile, start: number, end: number): Node[] {
  const { documents, starts, ends, maxEnds } = rootsOfFile(file);
  // The last root starting at or before `start`, then earlier ones while they can still reach it; the
  // first (in file order) that holds the node wins, as a scan from the top would find.
  let lo = 0;
  let hi = starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= start) lo = mid + 1;
    else hi = mid - 1;
  }
  let first = hi;
  while (first > 0 && maxEnds[first - 1] >= start) first--;
  for (let i = Math.max(first, 0); i <= hi; i++) {
    yamlLookupWork.roots++;
    if (start > ends[i]) continue;
    const path = descend(file.source.text, documents[i].document.contents as Node, start, end);
    if (path.length > 0) return path;
  }
  return [];
}

function descend(text: string, node: Node, start: number, end: number): Node[] {
  const range = node.range;
  if (!range || start < range[0] || start > range[1]) return [];
  if (isCollection(node)) {
    const items = node.items as unknown[];
    const spans = itemSpans(node);
    for (let i = spans ? firstReaching(spans.ends, start) : 0; i < items.length; i++) {
      // Items are in text order: none after one that starts past `start` can hold it.
      if (spans && spans.starts[i] > start) break;
      const item = items[i];
      yamlLookupWork.items++;
      const children = isPair(item) ? [item.key, item.value] : [item];
      for (const child of children as (Node | null)[]) {
        if (!child) continue;
        const path = descend(text, child, start, end);
        if (path.length > 0) return [node, ...path];
      }
    }
  }
  const exact = range[0] === start && (range[1] === end || contentEnd(text, node) === end);
  return exact ? [node] : [];
}

/** Where each item of a collection starts and ends, when they are in text order (else undefined). */
interface ItemSpans {
  starts: number[];
  ends: number[];
}
const spansOf = new WeakMap<object, ItemSpans | null>();
/** Collections this small are searched item by item. */
const SPANNED_ITEMS = 16;

function itemSpans(collection: Node): ItemSpans | undefined {
  const items = (collection as { items: unknown[] }).items;
  if (items.length < SPANNED_ITEMS) return undefined;
  let spans = spansOf.get(collection);
  if (spans === undefined) {
    spans = { starts: [], ends: [] };
    for (const item of items) {
      const children = (isPair(item) ? [item.key, item.value] : [item]) as (Node | null)[];
      const ranges = children.flatMap((c) => (c?.range ? [c.range] : []));
      const last = { start: spans.starts.at(-1) ?? -1, end: spans.ends.at(-1) ?? -1 };
      const itemStart = ranges.length > 0 ? Math.min(...ranges.map((r) => r[0])) : last.start;
      const itemEnd = ranges.length > 0 ? Math.max(...ranges.map((r) => r[1])) : last.end;
      if (itemStart < last.start || itemEnd < last.end) {
        spans = null;
        break;
      }
      spans.starts.push(itemStart);
      spans.ends.push(itemEnd);
    }
    spansOf.set(collection, spans);
  }
  return spans ?? undefined;
}

/** The first index whose end reaches `at` (ends ascending). */
function firstReaching(ends: readonly number[], at: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The node a model range was read from. */
export function nodeAt(file: ParsedFile, range: Range): Node | undefined {
  return locate(file, startOffsetOf(range), endOffsetOf(range)).pop();
}

/** Offset just after the last character of content of a node (no trailing newline or blank). */
export function contentEnd(text: string, node: Node): number {
  let end = node.range?.[1] ?? 0;
  if (isMap(node) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    const key = last.key as Node | null;
    const value = last.value as Node | null;
    end = Math.max(key?.range ? contentEnd(text, key) : 0, value?.range ? contentEnd(text, value) : 0);
  } else if (isSeq(node) && !node.flow && node.items.length > 0) {
    end = contentEnd(text, node.items[node.items.length - 1] as Node);
  }
  const start = node.range?.[0] ?? 0;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** The range of a node, from its first to its last character of content. */
export function tightRange(file: ParsedFile, node: Node): Range {
  return file.source.range(node.range?.[0] ?? 0, contentEnd(file.source.text, node));
}

/**
 * Model ranges of files whose documents are rebuilt (parse.ts), narrowed while their nodes were in memory
 * (prepare.ts): looking one up afterwards read its section again.
 */
const earlyTight = new WeakMap<Range, Range>();

/**
 * Narrows a model range of the document read last (a file whose documents are rebuilt, while it is being
 * read) as {@link tighten} will be asked to, and keeps the result for it. Only that document's root can
 * hold a range that starts inside it (sections do not overlap), as locate would find.
 */
export function noteTightRange(file: ParsedFile, range: Range): void {
  const parsed = file.documents[file.documents.length - 1];
  const start = startOffsetOf(range);
  if (!parsed?.root || start < parsed.root.start || start > parsed.root.end) return;
  const node = descend(file.source.text, parsed.document.contents as Node, start, endOffsetOf(range)).pop();
  earlyTight.set(range, node ? tightRange(file, node) : range);
}

/** A model range, narrowed to the content of the node it was read from. */
export function tighten(analysis: Analysis, uri: string, range: Range): Range {
  const early = earlyTight.get(range);
  if (early) return early;
  const file = fileOf(analysis, uri);
  const node = file && nodeAt(file, range);
  return file && node ? tightRange(file, node) : range;
}

export function pairOf(map: YAMLMap | undefined, key: string): Pair<Node, Node | null> | undefined {
  return map?.items.find((p) => isScalar(p.key) && p.key.value === key) as
    Pair<Node, Node | null> | undefined;
}

export function valueOf(map: YAMLMap | undefined, key: string): Node | undefined {
  const value = pairOf(map, key)?.value;
  return value ?? undefined;
}

export function mapOf(node: Node | undefined): YAMLMap | undefined {
  return isMap(node) ? node : undefined;
}

/** The Kubernetes object of the file that starts at `offset`. */
export function objectAt(file: ParsedFile, offset: number): KubeObject | undefined {
  let byStart = objectsByStart.get(file);
  if (!byStart) {
    byStart = new Map();
    for (const obj of file.objects) {
      const start = startOffsetOf(obj.range);
      if (!byStart.has(start)) byStart.set(start, obj);
    }
    objectsByStart.set(file, byStart);
  }
  yamlLookupWork.objects++;
  return byStart.get(offset);
}

export interface PolicyNode {
  file: ParsedFile;
  object: KubeObject;
  spec?: YAMLMap;
  metadata?: YAMLMap;
}

export function policyNode(analysis: Analysis, policy: PolicyModel): PolicyNode | undefined {
  const file = fileOf(analysis, policy.uri);
  const object = file && objectAt(file, startOffsetOf(policy.range));
  if (!file || !object) return undefined;
  return {
    file,
    object,
    spec: mapOf(valueOf(object.node, 'spec')),
    metadata: mapOf(valueOf(object.node, 'metadata')),
  };
}

/** The range of the key of `key` in `map`. */
export function keyRange(file: ParsedFile, map: YAMLMap | undefined, key: string): Range | undefined {
  const node = pairOf(map, key)?.key;
  return node?.range ? tightRange(file, node) : undefined;
}

/** The range of the value of `key` in `map`. */
export function valueRange(file: ParsedFile, map: YAMLMap | undefined, key: string): Range | undefined {
  const node = valueOf(map, key);
  return node?.range ? tightRange(file, node) : undefined;
}

/** The YAML map of `spec.<direction>[index]`, in a policy's spec as written. */
export function ruleNode(
  located: Pick<PolicyNode, 'spec'>,
  direction: string,
  index: number,
): YAMLMap | undefined {
  const rules = valueOf(located.spec, direction);
  return isSeq(rules) ? mapOf(rules.items[index] as Node | undefined) : undefined;
}
