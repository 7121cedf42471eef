// The fast way to read a `---` section: js-yaml 4 (about ten times faster than yaml's parse) loads it
// with the failsafe schema, and its open/close events build the very nodes yaml's composer would build
// (`YAMLMap`, `YAMLSeq`, `Pair`, `Scalar` with yaml's ranges, styles and YAML 1.1 values) in a real yaml
// `Document`, with no concrete syntax tree behind them. Everything downstream reads them as it reads a
// parsed document.
//
// It is taken only where it is certain to build what yaml would: plain documents of block and flow
// collections, single-line scalars and blank lines, comments before the root, after content on a line,
// and on lines of their own where yaml keeps them out of every node's range (commentsKeepRanges). Anything
// else (js-yaml throws; anchors, aliases, tags, merge keys, block scalars, multi-line or escaped scalars,
// multi-line flow collections, other comment lines, a last value that is empty, tabs, templates,
// directives, duplicate keys under YAML 1.1's values…) makes it return undefined, and the section is
// parsed by yaml as before, which also reports every YAML error. test/unit/fast-read.test.ts compares
// both paths node by node and result by result over the fixtures and the generated corpora.
import { load, FAILSAFE_SCHEMA } from 'js-yaml';
import {
  Document,
  isCollection,
  isPair,
  isScalar,
  Pair,
  Scalar,
  YAMLMap,
  YAMLSeq,
  type Node,
  type Schema,
} from 'yaml';

/** yaml's options for a section (documents.ts); the Document built here carries the same. */
export interface SectionOptions {
  version: '1.1';
}

/** Sections read on the fast path and sections handed to yaml's full parse (for tests and benchmarks). */
export const readingPaths = { fast: 0, full: 0 };

/** Thrown inside the listener to stop at the first sign that the fast path is not certain. */
class NotCertain extends Error {}

/**
 * Text features the fast path does not model; any of them after the section's first content sends the
 * section to yaml. (Blank lines are modelled: yaml gives them to the next item or to the document's end.)
 */
const UNMODELLED = /\t|\r|\uFEFF|<<|^%|^\.\.\.|^ +$/gm;
/** A comment: a `#` at the start of a line or after a space, to the end of its line. */
const COMMENT = /(?:^|(?<= ))#[^\n]*/gm;
/** The `---` line, then lines that are blank or only a comment, before the root node. */
const LEAD = /^(?:---\n)?(?:[ ]*(?:#[^\n\t\r]*)?\n)*/;

type Range3 = [number, number, number];

/** Mappings of up to this many keys are checked for a repeated key pair by pair. */
const SMALL_MAPPING = 16;

/** yaml tells its node classes apart by this symbol (yaml/dist/nodes/identity.js). */
const NODE_TYPE = Symbol.for('yaml.node.type');

/**
 * The nodes of the fast path are yaml's classes built without their constructors, which add the node
 * type with `Object.defineProperty` and the other fields later, out of the object; and their `range` is
 * three numbers in the object, handed out as yaml's `[start, valueEnd, nodeEnd]` array when read. Each is
 * still an instance of its yaml class (`instanceof`, `isScalar`…, every method), at well under half the
 * bytes: a large file holds about one scalar per 13 bytes of text, and these nodes were most of what it
 * kept (bench/RESULTS.md).
 */
class LeanNode {
  declare rangeStart: number;
  declare rangeValueEnd: number;
  declare rangeEnd: number;

  get range(): Range3 {
    return [this.rangeStart, this.rangeValueEnd, this.rangeEnd];
  }

  set range(range: Range3) {
    this.rangeStart = range[0];
    this.rangeValueEnd = range[1];
    this.rangeEnd = range[2];
  }
}

class LeanScalar extends LeanNode {
  declare value: unknown;
  declare source: string;
  declare type: Scalar.Type;
  declare format: string | undefined;
  constructor(value: unknown, source: string, type: Scalar.Type, format: string | undefined, at: Offsets3) {
    super();
    this.value = value;
    this.source = source;
    // Most scalars are plain, and only a few numbers have a format: the others find PLAIN and undefined on
    // the prototype, two fields less each.
    if (type !== Scalar.PLAIN) this.type = type;
    if (format !== undefined) this.format = format;
    this.rangeStart = at.start;
    this.rangeValueEnd = at.valueEnd;
    this.rangeEnd = at.end;
  }
}

class LeanPair {
  declare key: Node;
  declare value: Node;
  constructor(key: Node, value: Node) {
    this.key = key;
    this.value = value;
  }
}

/** The schema of the first YAML version read (documents.ts reads every section as 1.1), on the prototype. */
let sharedSchema: Schema | undefined;

class LeanCollection extends LeanNode {
  declare schema: Schema;
  declare items: unknown[];
  declare flow: boolean | undefined;
  constructor(schema: Schema, items: unknown[], flow: boolean | undefined, at: Offsets3) {
    super();
    // Every section of one YAML version shares its schema, and most collections are block ones: those
    // find the schema and `flow` (unset) on the prototype, two fields less each.
    if (schema !== sharedSchema) this.schema = schema;
    this.items = items;
    if (flow !== undefined) this.flow = flow;
    this.rangeStart = at.start;
    this.rangeValueEnd = at.valueEnd;
    this.rangeEnd = at.end;
  }
}

class LeanMap extends LeanCollection {}
/**
 * A mapping whose keys are all strings (so no merge key, and none repeated: the builder gives up on a
 * repeated key): its written pairs are its effective pairs, one per key, which the reader can search
 * without asking each key what it is. Told apart by its class, which costs no memory per mapping.
 */
class LeanStringKeyedMap extends LeanMap {}
class LeanSeq extends LeanCollection {}

/**
 * Whether the mapping's keys are all distinct strings, as the fast path knows of the mappings it built
 * (false says nothing: a mapping yaml built may have such keys too).
 */
export function hasDistinctStringKeys(map: YAMLMap): boolean {
  return map instanceof LeanStringKeyedMap;
}

/**
 * Whether the collection was built by the fast path, which gives up on every alias: its items are the
 * nodes themselves (false says nothing of a collection yaml built).
 */
export function holdsNoAliases(collection: YAMLMap | YAMLSeq): boolean {
  return collection instanceof LeanMap || collection instanceof LeanSeq;
}

/** Puts a lean class under its yaml class, with yaml's node type and the range accessor. */
function makeLean(lean: { prototype: object }, yamlClass: { prototype: object }, type: string): void {
  const range = Object.getOwnPropertyDescriptor(LeanNode.prototype, 'range')!;
  Object.setPrototypeOf(lean.prototype, yamlClass.prototype);
  Object.defineProperty(lean.prototype, NODE_TYPE, { value: Symbol.for(type) });
  if (lean !== LeanPair) Object.defineProperty(lean.prototype, 'range', range);
}
makeLean(LeanScalar, Scalar, 'yaml.scalar');
Object.defineProperty(LeanScalar.prototype, 'format', { value: undefined, writable: true });
Object.defineProperty(LeanScalar.prototype, 'type', { value: Scalar.PLAIN, writable: true });
makeLean(LeanPair, Pair, 'yaml.pair');
makeLean(LeanMap, YAMLMap, 'yaml.map');
makeLean(LeanSeq, YAMLSeq, 'yaml.seq');

/**
 * What a yaml `Document` holds beside its contents (options, directives, and a schema of two dozen tags)
 * is the same for every section the fast path reads: built once and shared, as yaml's own `clone()`
 * builds a document without its constructor. The `errors` and `warnings` stay each document's own.
 * Nothing downstream changes these shared parts; a document that starts with `---` has the directives
 * that say so.
 */
class LeanDocument {
  declare commentBefore: string | null;
  declare comment: string | null;
  declare errors: unknown[];
  declare warnings: unknown[];
  declare options: object;
  declare directives: object;
  declare schema: Schema;
  declare contents: unknown;
  declare range: Range3;
  constructor(template: Document, directives: object) {
    this.commentBefore = null;
    this.comment = null;
    this.errors = [];
    this.warnings = [];
    this.options = template.options;
    this.directives = directives;
    this.schema = template.schema;
    this.contents = null;
    this.range = [0, 0, 0];
  }
}
Object.setPrototypeOf(LeanDocument.prototype, Document.prototype);
Object.defineProperty(LeanDocument.prototype, NODE_TYPE, { value: Symbol.for('yaml.document') });

/** The shared parts of the documents the fast path builds, per YAML version (documents.ts uses one). */
interface DocumentTemplate {
  document: Document;
  directives: object;
  withStart: object;
}
const templates = new Map<string, DocumentTemplate>();

function documentTemplate(options: SectionOptions): DocumentTemplate {
  const known = templates.get(options.version);
  if (known) return known;
  const document = new Document(undefined, options);
  if (sharedSchema === undefined) {
    sharedSchema = document.schema;
    Object.defineProperty(LeanCollection.prototype, 'schema', { value: sharedSchema, writable: true });
  }
  const directives = document.directives!;
  const withStart = directives.clone();
  withStart.docStart = true;
  const template = { document, directives, withStart };
  templates.set(options.version, template);
  return template;
}

function leanDocument(options: SectionOptions, docStart: boolean): Document.Parsed {
  const template = documentTemplate(options);
  const directives = docStart ? template.withStart : template.directives;
  return new LeanDocument(template.document, directives) as unknown as Document.Parsed;
}

/**
 * A node under construction: where js-yaml opened it, and the nodes closed inside it. One frame per
 * depth serves every node opened at that depth (a section opens one per node): its fields are set again
 * at each open, and its children are `count` items of an array kept for the next node, which the node
 * copies what it keeps from.
 */
interface Frame {
  open: number;
  /** Where its content starts (after the separating space before it). */
  start: number;
  children: Node[];
  count: number;
  /** js-yaml's value of the first child. */
  firstValue: unknown;
}

function newFrame(): Frame {
  return { open: 0, start: 0, children: [], count: 0, firstValue: undefined };
}

/** A node's range while it is built: offsets into the file (see Builder.at). */
interface Offsets3 {
  start: number;
  valueEnd: number;
  end: number;
}

/** Where a node ends, read without building a lean node's range array. */
function endOf(node: Node, which: 1 | 2): number {
  // Lean nodes are instances of yaml's classes, not of LeanNode (makeLean): told apart by their fields.
  const lean = node as Partial<LeanNode>;
  if (lean.rangeEnd !== undefined) return which === 1 ? lean.rangeValueEnd! : lean.rangeEnd;
  return node.range![which];
}

/**
 * The first two offsets of a node's range (where it starts, where its value ends), or undefined when it
 * has none, read without building a lean node's range array (the reader locates most nodes it reads).
 */
export function startOf(node: Node): number | undefined {
  const lean = node as Partial<LeanNode>;
  return lean.rangeStart !== undefined ? lean.rangeStart : node.range?.[0];
}

/** See {@link startOf}; only for a node that has a range. */
export function valueEndOf(node: Node): number {
  return endOf(node, 1);
}

/**
 * The section read as yaml would read it, or undefined when the fast path is not certain. `offset` is
 * the section's offset in its file: node ranges are offsets into the file.
 */
export function readSectionFast(
  text: string,
  offset: number,
  options: SectionOptions,
): Document.Parsed | undefined {
  return text.includes('\r') ? readCrlfSection(text, offset, options) : readLfSection(text, offset, options);
}

/**
 * A section with CRLF line ends (Windows): read with LF ends, then every offset moved back to where it is
 * written. yaml ends a value before the CR and a node after the LF, as it does without CRs, so moving the
 * offsets is all there is to it (the differential test reads every fixture with CRLF ends both ways).
 */
function readCrlfSection(text: string, offset: number, options: SectionOptions): Document.Parsed | undefined {
  if (/\r(?!\n)/.test(text)) return undefined;
  const document = readLfSection(text.replace(/\r\n/g, '\n'), 0, options);
  if (!document) return undefined;
  // Where the LF text has the line breaks that were CRLF: an offset after k of them is k further on.
  const breaks: number[] = [];
  for (let i = text.indexOf('\r\n'), k = 0; i !== -1; i = text.indexOf('\r\n', i + 2), k++)
    breaks.push(i - k);
  moveOffsets(document, (at) => offset + at + countBelow(breaks, at));
  return document;
}

/** How many of the sorted numbers are below `at`. */
function countBelow(sorted: readonly number[], at: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Offsets = [number, number, number];

/** Moves every offset of a document (its range, its nodes' ranges, its errors and warnings). */
export function moveOffsets(document: Document.Parsed, move: (offset: number) => number): void {
  const moved = (r: Offsets): Offsets => [move(r[0]), move(r[1]), move(r[2])];
  document.range = moved(document.range);
  for (const problem of [...document.errors, ...document.warnings]) {
    problem.pos = [move(problem.pos[0]), move(problem.pos[1])];
  }
  // Iterative: documents may nest thousands of levels deep.
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    if (isPair(node)) {
      stack.push(node.key, node.value);
      continue;
    }
    const withRange = node as { range?: Offsets | null };
    if (withRange.range) withRange.range = moved(withRange.range);
    if (isCollection(node)) for (const item of node.items) stack.push(item);
  }
}

function readLfSection(text: string, offset: number, options: SectionOptions): Document.Parsed | undefined {
  if (text.includes('{{') || (text.startsWith('---') && !text.startsWith('---\n'))) return undefined;
  const contentStart = LEAD.exec(text)![0].length;
  if (contentStart === text.length || /[\t\r\uFEFF]/.test(text.slice(0, contentStart))) return undefined;
  UNMODELLED.lastIndex = contentStart;
  if (UNMODELLED.test(text)) return undefined;
  const hasComments = text.includes('#', contentStart);
  const blanked = hasComments ? blankComments(text) : text;
  if (hasComments && !commentsKeepRanges(text, blanked, contentStart)) return undefined;
  const document = leanDocument(options, text.startsWith('---'));
  // The builder reads positions from the text with its comments blanked out: yaml's ranges are then the
  // ranges of the text as written, where commentsKeepRanges says so.
  const builder = new Builder(blanked, text, offset, document);
  try {
    load(text, {
      schema: FAILSAFE_SCHEMA,
      listener: (event, state) => builder.on(event, state as unknown as ListenerState),
    });
  } catch {
    return undefined;
  }
  const root = builder.root;
  // yaml ends a document whose last value is empty (`key:` on the last line) where that value is, before
  // the line break and any blank lines: not modelled.
  if (!root || endsEmpty(root)) return undefined;
  document.contents = root as Document.Parsed['contents'];
  // Blank lines after the root belong to the document (and comment lines, which commentsKeepRanges let
  // through); anything else there is something not modelled.
  const end = root.range![2];
  if (/\S/.test(builder.text.slice(end - offset))) return undefined;
  // The document starts at its `---`, or else at its content (comments before it are not part of it).
  document.range = [offset + (text.startsWith('---') ? 0 : contentStart), end, offset + text.length];
  return document;
}

/** Whether the last value in the node, in text order, is an empty one (`key:` with nothing after it). */
function endsEmpty(root: Node): boolean {
  let node: unknown = root;
  while (isCollection(node) && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    node = isPair(last) ? last.value : last;
  }
  return isScalar(node) && node.source === '';
}

/** The text with every comment replaced by spaces: the same offsets, no `#` left. */
function blankComments(text: string): string {
  return text.replace(COMMENT, (comment) => ' '.repeat(comment.length));
}

/** The indentation of a line, and whether it is a block sequence's item (`- …`). */
function lineShape(line: string): { indent: number; item: boolean } {
  let indent = 0;
  while (line.charCodeAt(indent) === 32) indent++;
  const next = line.charCodeAt(indent + 1);
  return { indent, item: line.charCodeAt(indent) === 45 && (next === 32 || Number.isNaN(next)) };
}

/** Where the key of a line starts, after its indentation and the `- ` of list items. */
function keyColumn(line: string): number {
  return /^[ ]*(?:-[ ]+)*/.exec(line)![0].length;
}

/** A content line whose value is empty: `key:` or a lone `-` (with its comment blanked out). */
const EMPTY_VALUE = /(?::|^ *-) *$/;

/** Lines searched back for the collection a comment line is in, before giving up. */
const SEARCH_BACK = 500;

/**
 * Whether yaml gives the nodes of the section the ranges it gives the same text with its comments
 * blanked out. It does for a comment after content on its line (not after an empty value), and for a
 * comment line about what follows it: indented as the next line with content (or at the left margin
 * when none follows), in a collection that goes on after it. yaml takes any other comment line into the
 * range of the node before it: one after a collection's last item at the collection's indentation or
 * deeper (also where a list written at its key's indentation ends), and one after an empty value. (`#`
 * inside quotes is no comment: blanked, its scalar differs from what js-yaml read and the builder gives
 * up.) `blanked` is `written` with its comments replaced by spaces, from the content's start on.
 */
function commentsKeepRanges(written: string, blanked: string, contentStart: number): boolean {
  const lines = written.slice(contentStart).split('\n');
  const plain = blanked.slice(contentStart).split('\n');
  const content = plain.map((line) => line.trim() !== '');
  let previous = -1;
  for (let i = 0; i < lines.length; i++) {
    if (content[i]) {
      previous = i;
      continue;
    }
    if (!/^ *#/.test(lines[i])) continue;
    if (previous === -1) return false;
    let next = i + 1;
    while (next < lines.length && !content[next]) next++;
    const comment = lineShape(lines[i]);
    const after = next < lines.length ? lineShape(plain[next]) : { indent: 0, item: false };
    if (comment.indent !== after.indent) return false;
    // `key:` before it, with what follows no deeper: the value is empty.
    if (EMPTY_VALUE.test(plain[previous]) && after.indent <= keyColumn(plain[previous])) return false;
    // The line that opened the collection at the comment's indentation (or one around it).
    let open = previous;
    while (open >= 0 && (!content[open] || lineShape(plain[open]).indent > comment.indent)) {
      if (previous - open > SEARCH_BACK) return false;
      open--;
    }
    if (open < 0) continue;
    const opener = lineShape(plain[open]);
    if (opener.indent === comment.indent && opener.item !== after.item) return false;
  }
  return true;
}

interface ListenerState {
  position: number;
  kind: string | null;
  result: unknown;
  tag: string | null;
  anchor: string | null;
}

/** yaml's schemas keep their string tag under this symbol (yaml/dist/nodes/identity.js). */
const SCALAR_TAG = Symbol.for('yaml.scalar') as unknown as keyof Schema;

type ScalarTag = Schema['tags'][number] & {
  resolve(value: string, onError: (message: string) => void, options: object): unknown;
  test?: RegExp;
  format?: string;
};

/** The tags of plain scalars by their text, at keys and elsewhere (see Builder.plainTag); per schema. */
interface TagCache {
  keys: Map<string, ScalarTag>;
  values: Map<string, ScalarTag>;
}
const tagCaches = new WeakMap<Schema, TagCache>();
/** Texts remembered, at most, in each map (then it starts again): a bound on memory for unique values. */
const TAG_CACHE_SIZE = 20_000;
/** Texts shorter than this are flat strings of their own (V8 makes slices from 13 characters on). */
const REMEMBERED_LENGTH = 13;

/**
 * Short scalar texts, each kept once for every scalar that has it: a manifest repeats its keys and many
 * values (`name`, `app`, `TCP`, `v1`), and a string per scalar was a fifth of what a parsed workspace kept.
 * Bounded as the tag caches are (cleared when full).
 */
const sharedTexts = new Map<string, string>();

function shared(text: string): string {
  const known = sharedTexts.get(text);
  if (known !== undefined) return known;
  if (sharedTexts.size >= TAG_CACHE_SIZE) sharedTexts.clear();
  sharedTexts.set(text, text);
  return text;
}

function tagCacheOf(schema: Schema): TagCache {
  let cache = tagCaches.get(schema);
  if (!cache) {
    cache = { keys: new Map(), values: new Map() };
    tagCaches.set(schema, cache);
  }
  return cache;
}

/**
 * Whether a plain scalar may resolve to something other than a string under YAML 1.1's default tags (the
 * list checked in fast-read.test.ts): null is empty, `~` or `null`; a boolean or null written in letters
 * (`y`, `No`, `true`, `ON`, `off`, `NULL`…) starts with one of `nNyYtTfFoO` and has at most five of them;
 * every number and timestamp starts with a digit, a sign or a dot, or with an exponent (`e7` is a float
 * to yaml); the merge key is `<<`. Anything else is a string, told by its first character without a
 * regular expression or a cache lookup.
 */
export function mayNotBeString(value: string): boolean {
  const c = value.charCodeAt(0);
  if (Number.isNaN(c)) return true;
  // 0-9, `+`, `-`, `.`, `~`, `<`, `e`, `E`
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46 || c === 126 || c === 60) return true;
  if (c === 101 || c === 69) return true;
  if (value.length > 5) return false;
  switch (c) {
    case 110: // n
    case 78: // N
    case 121: // y
    case 89: // Y
    case 116: // t
    case 84: // T
    case 102: // f
    case 70: // F
    case 111: // o
    case 79: // O
      return true;
    default:
      return false;
  }
}

class Builder {
  /** Frames by depth; the root's at 0, the node being read at `depth`. */
  private readonly frames: Frame[] = [newFrame()];
  private depth = 0;
  /** The range of the node being made, reused (its numbers are copied into the node). */
  private readonly offsets: Offsets3 = { start: 0, valueEnd: 0, end: 0 };
  private readonly stringTag: ScalarTag;
  private readonly tags: ScalarTag[];
  private readonly schema: Schema;
  private readonly tagCache: TagCache;

  constructor(
    /** The section with its comments blanked out, for positions. */
    readonly text: string,
    /** The section as written. */
    private readonly written: string,
    private readonly offset: number,
    private readonly document: Document.Parsed,
  ) {
    this.stringTag = document.schema[SCALAR_TAG] as unknown as ScalarTag;
    this.tags = document.schema.tags as ScalarTag[];
    this.schema = document.schema;
    this.tagCache = tagCacheOf(document.schema);
  }

  get root(): Node | undefined {
    const top = this.frames[0];
    return this.depth === 0 && top.count === 1 ? top.children[0] : undefined;
  }

  on(event: string, state: ListenerState): void {
    if (event === 'open') {
      // Properties (`&a`, `!tag`) and aliases start the node they belong to; js-yaml may back up over them.
      const start = skipSpace(this.text, state.position);
      const c = this.text.charCodeAt(start);
      if (c === 38 || c === 33 || c === 42) throw new NotCertain();
      const depth = ++this.depth;
      const frame = depth < this.frames.length ? this.frames[depth] : (this.frames[depth] = newFrame());
      frame.open = state.position;
      frame.start = start;
      frame.count = 0;
      frame.firstValue = undefined;
      return;
    }
    if (this.depth === 0) throw new NotCertain();
    const frame = this.frames[this.depth--];
    const parent = this.frames[this.depth];
    const node = this.node(frame, state);
    if (parent.count === 0) parent.firstValue = state.result;
    parent.children[parent.count++] = node;
  }

  private node(frame: Frame, state: ListenerState): Node {
    if (state.anchor !== null || (state.tag !== null && state.tag !== '?')) throw new NotCertain();
    // A collection on the line after its key is read inside a node js-yaml opened to look for a key
    // there: the outer node is the inner one again.
    if (frame.count === 1 && state.result !== null && frame.firstValue === state.result)
      return frame.children[0];
    const start = frame.start;
    switch (state.kind) {
      case 'scalar':
        return this.scalar(start, state);
      case 'mapping':
        return this.mapping(start, frame, state);
      case 'sequence':
        return this.sequence(start, frame, state);
      case null:
        return this.empty(frame, state);
      default:
        throw new NotCertain();
    }
  }

  private scalar(start: number, state: ListenerState): Scalar {
    if (typeof state.result !== 'string') throw new NotCertain();
    const text = this.text;
    const first = text[start];
    let valueEnd: number;
    let type: Scalar.Type;
    // A long value is cut from the section as written, not taken from js-yaml: js-yaml's long strings are
    // slices of its own copy of the section (it appends a NUL), which every string the model keeps would
    // keep alive, a second copy of a large file's text. (Where it passes the checks, the cut is the same
    // text.) A short one is a string of its own (see REMEMBERED_LENGTH), shared by the scalars that have it.
    let value: string;
    if (first === '"' || first === "'") {
      valueEnd = state.position;
      if (text[valueEnd - 1] !== first || valueEnd - start < 2) throw new NotCertain();
      const inner = text.slice(start + 1, valueEnd - 1);
      const written = first === '"' ? inner : inner.replace(/''/g, "'");
      if (inner.includes('\n') || (first === '"' && inner.includes('\\')) || written !== state.result)
        throw new NotCertain();
      value =
        written === inner && text !== this.written ? this.written.slice(start + 1, valueEnd - 1) : written;
      if (value !== state.result) throw new NotCertain();
      if (value.length < REMEMBERED_LENGTH) value = shared(value);
      type = first === '"' ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE;
    } else {
      valueEnd = trimBack(text, state.position, start);
      // What js-yaml read is the text there (compared in place, without cutting it first).
      const result = state.result;
      const length = valueEnd - start;
      if (length === 0 || result.length !== length || !text.startsWith(result, start)) throw new NotCertain();
      if (text !== this.written) value = this.written.slice(start, valueEnd);
      else value = length < REMEMBERED_LENGTH ? result : text.slice(start, valueEnd);
      if (length < REMEMBERED_LENGTH) value = shared(value);
      type = Scalar.PLAIN;
    }
    return this.resolved(
      value,
      type,
      this.isKey(valueEnd),
      this.at(start, valueEnd, this.nodeEnd(start, valueEnd)),
    );
  }

  /**
   * The tag of a plain scalar: the first default tag whose test matches (the merge tag only at a key).
   * Remembered per text: a manifest repeats its keys and values, and a miss tries a dozen regular
   * expressions before it is a string.
   */
  private plainTag(value: string, atKey: boolean): ScalarTag {
    if (!mayNotBeString(value)) return this.stringTag;
    const cache = this.tagCache;
    // Only short texts: V8 keeps a longer one as a slice of the section's text, which a key of the cache
    // would keep alive after the document is gone (the texts that repeat are short ones anyway).
    const cached = value.length < REMEMBERED_LENGTH;
    const remembered = cached ? (atKey ? cache.keys : cache.values).get(value) : undefined;
    if (remembered) return remembered;
    let tag = this.stringTag;
    for (const t of this.tags) {
      if ((t.default === true || (atKey && t.default === 'key')) && t.test?.test(value)) {
        tag = t;
        break;
      }
    }
    if (!cached) return tag;
    const map = atKey ? cache.keys : cache.values;
    if (map.size >= TAG_CACHE_SIZE) map.clear();
    map.set(value, tag);
    return tag;
  }

  /** A key is followed by its `:` (a value never is: `a: b: c` is an error). */
  private isKey(end: number): boolean {
    let i = end;
    while (this.text.charCodeAt(i) === 32) i++;
    return this.text.charCodeAt(i) === 58;
  }

  /** The scalar yaml's composer makes: a plain one takes the first default tag whose test matches. */
  private resolved(value: string, type: Scalar.Type, atKey: boolean, at: Offsets3): Scalar {
    const tag = type === Scalar.PLAIN ? this.plainTag(value, atKey) : this.stringTag;
    // A string is itself (yaml's string tag resolves it so); any other tag is asked.
    if (tag === this.stringTag) return new LeanScalar(value, value, type, undefined, at) as unknown as Scalar;
    let failed = false;
    const result = tag.resolve(value, () => (failed = true), this.document.options as unknown as object);
    if (failed) throw new NotCertain();
    if (!isScalar(result)) return new LeanScalar(result, value, type, tag.format, at) as unknown as Scalar;
    // A float keeps how many fraction digits it was written with on the Scalar its tag makes.
    const node = result as Scalar;
    node.source = value;
    node.type = type;
    if (tag.format) node.format = tag.format;
    node.range = [at.start, at.valueEnd, at.end];
    return node;
  }

  private mapping(start: number, frame: Frame, state: ListenerState): YAMLMap {
    const { children, count } = frame;
    if (count % 2 !== 0) throw new NotCertain();
    // Built at their exact length: an array grown by `push` keeps room for 16 more items, and a large
    // file holds one mapping per 45 bytes of text (that slack was a fifth of its heap).
    const pairs: Pair[] = new Array<Pair>(count / 2);
    // yaml compares keys by value (`yes` and `true` are the same key in YAML 1.1); a set once a mapping
    // is large, so that a mapping of many keys costs no more than its size. (A set takes NaN for NaN, which
    // only sends more to yaml.)
    const seen = count > 2 * SMALL_MAPPING ? new Set<unknown>() : undefined;
    let stringKeys = true;
    for (let i = 0; i < count; i += 2) {
      const key = children[i];
      if (!isScalar(key) || !this.isKey(endOf(key, 1) - this.offset)) throw new NotCertain();
      if (typeof key.value !== 'string') stringKeys = false;
      if (seen) {
        if (seen.has(key.value)) throw new NotCertain();
        seen.add(key.value);
      } else {
        for (let j = 0; j < i; j += 2)
          if ((children[j] as Scalar).value === key.value) throw new NotCertain();
      }
      pairs[i / 2] = new LeanPair(key, children[i + 1]) as unknown as Pair;
    }
    const range = this.collectionRange(start, frame, state);
    const LeanClass = stringKeys ? LeanStringKeyedMap : LeanMap;
    return new LeanClass(this.schema, pairs, this.isFlow(start), range) as unknown as YAMLMap;
  }

  private sequence(start: number, frame: Frame, state: ListenerState): YAMLSeq {
    const range = this.collectionRange(start, frame, state);
    // A copy at its exact length (see mapping()).
    const items = frame.children.slice(0, frame.count);
    return new LeanSeq(this.schema, items, this.isFlow(start), range) as unknown as YAMLSeq;
  }

  /** `true` for a flow collection, as yaml sets it; unset (undefined) for a block one. */
  private isFlow(start: number): true | undefined {
    const open = this.text[start];
    return open === '{' || open === '[' ? true : undefined;
  }

  private collectionRange(start: number, frame: Frame, state: ListenerState): Offsets3 {
    const open = this.text[start];
    if (open === '{' || open === '[') {
      const close = state.position;
      if (this.text[close - 1] !== (open === '{' ? '}' : ']')) throw new NotCertain();
      // Where yaml ends the items of a flow collection written over several lines is not modelled.
      if (this.text.lastIndexOf('\n', close - 1) > start) throw new NotCertain();
      return this.at(start, close, this.nodeEnd(start, close));
    }
    if (frame.count === 0) throw new NotCertain();
    const last = frame.children[frame.count - 1];
    const end = endOf(last, 2);
    return this.at(start, end - this.offset, end - this.offset);
  }

  /** An empty value after `key:` at the end of its line: a null scalar just after the colon's spaces. */
  private empty(frame: Frame, state: ListenerState): Scalar {
    if (state.result !== null || this.text[frame.open - 1] !== ':') throw new NotCertain();
    let at = frame.open;
    while (this.text.charCodeAt(at) === 32) at++;
    // yaml takes a comment after an empty value into the value's range: not modelled.
    if (this.text.charCodeAt(at) !== 10 || this.written.slice(frame.open, at).includes('#'))
      throw new NotCertain();
    return this.resolved('', Scalar.PLAIN, false, this.at(at, at, at));
  }

  /** The range of the node being made, from offsets into the section (valid until the next call). */
  private at(start: number, valueEnd: number, nodeEnd: number): Offsets3 {
    const offsets = this.offsets;
    offsets.start = this.offset + start;
    offsets.valueEnd = this.offset + valueEnd;
    offsets.end = this.offset + nodeEnd;
    return offsets;
  }

  /**
   * Where yaml ends a node whose content ends at `at`: after its trailing spaces, and in block context
   * after its line break too (inside a one-line flow collection there is none).
   */
  private nodeEnd(start: number, at: number): number {
    let i = at;
    while (this.text.charCodeAt(i) === 32) i++;
    if (this.text.charCodeAt(i) === 10 && !this.inFlow(start)) i++;
    return i;
  }

  /** Whether the node starting at `start` is an item of a flow collection (the nearest open node before it). */
  private inFlow(start: number): boolean {
    for (let i = this.depth; i >= 0; i--) {
      const frame = this.frames[i];
      if (frame.start >= start) continue; // a node js-yaml opened at the same place (see node())
      const c = this.text.charCodeAt(frame.start);
      return c === 123 || c === 91;
    }
    return false;
  }
}

function skipSpace(text: string, at: number): number {
  let i = at;
  for (let c = text.charCodeAt(i); c === 32 || c === 10; c = text.charCodeAt(++i));
  return i;
}

function trimBack(text: string, end: number, start: number): number {
  let i = end;
  while (i > start && (text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 10)) i--;
  return i;
}
