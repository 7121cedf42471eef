// Stage 1: text → YAML documents → Kubernetes objects, with every YAML error located.
import { CODES } from './codes';
import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';
import { documentAliases, MAX_ALIAS_EXPANSION } from './aliases';
import { reportBadMergeValues } from './merge-keys';
import { parseSections, type Section } from './documents';
import { cannotHoldKubernetesObjects, UNREAD_KINDS } from './prefilter';
import { isJsonUri, SourceText } from './text';
import { YamlReader } from './reader';
import { displayText, thousands } from './display';
import { meantKind } from './kind-spelling';
import {
  decidesVerdicts,
  judgeTemplatedObjects,
  templatedDocumentKind,
  templateError,
  templateSpans,
} from './templates';
import type { Problem, Range } from './types';

/** One Kubernetes object found in a file (a document, or an item of a `List`). */
export interface KubeObject {
  kind: string;
  apiVersion: string;
  node: YAMLMap;
  range: Range;
  reader: YamlReader;
  /** Index of the YAML document within its file. */
  documentIndex: number;
  /** Index within `items` when the object came from a List. */
  itemIndex?: number;
  /**
   * The first YAML error inside the object (a syntax error, an unresolved alias), when there is one: the
   * object cannot be read as written, and the analysis must not guess what is left of it.
   */
  unreadable?: ReadingError;
  /** With a syntax error: the kind as its line spells it (the parser may have read the kind wrong). */
  writtenKind?: string;
  /**
   * From a Helm/Go template document (templates.ts): analysed or unreadable as it decides, but not
   * validated as a manifest (its placeholders are not the values that will be applied).
   */
  templated?: boolean;
}

/** A YAML error that makes what it is in unreadable. Offsets into the file. */
export interface ReadingError {
  start: number;
  end: number;
  message: string;
  /** A syntax error may garble what follows it; an alias error leaves the rest as written. */
  syntax: boolean;
  /** Nesting too deep for the parser. */
  deep?: boolean;
  /** The namespace cannot be trusted whatever is written (a template without one goes to any namespace). */
  hidesNamespace?: boolean;
}

/**
 * A document (or a whole file) that looks like a Kubernetes object but yields no object, because YAML
 * errors hide its kind or structure. What it would do is unknown.
 */
export interface UnreadableDocument {
  range: Range;
  /** The kind as the text spells it (`kind: NetworkPolicy` on a line), when it can be seen. */
  kind?: string;
  error: ReadingError;
}

export interface ParsedDocument {
  index: number;
  /** Of a file whose documents are rebuilt (ParseOptions.rebuildDocuments), read again when asked. */
  document: Document.Parsed;
  range: Range;
  /** Where the root node starts and ends (its range's first and last offsets), when there is one. */
  root?: { start: number; end: number };
  /** Looks like a Helm/Go template (`{{ … }}`): reported once, not analysed. */
  template: boolean;
}

/** A document the pre-filter left unparsed: its kind is one that no analysis reads (prefilter.ts). */
export interface SkippedDocument {
  index: number;
  kind: string;
  range: Range;
}

export interface ParsedFile {
  uri: string;
  source: SourceText;
  documents: ParsedDocument[];
  objects: KubeObject[];
  /** Documents that look like Kubernetes objects but cannot be read at all. */
  unreadable: UnreadableDocument[];
  problems: Problem[];
  /** Documents not parsed (only with `relevantOnly`). */
  skipped: SkippedDocument[];
  /** Parsed with the pre-filter: some documents may be in `skipped` instead of `documents`. */
  relevantOnly: boolean;
}

export interface ParseOptions {
  /**
   * Skip `---` sections that the pre-filter proves to hold one document of a kind no analysis reads
   * (ConfigMaps, CRDs, RBAC…). Their YAML syntax errors are then not reported, so files open in an editor
   * are parsed without it.
   */
  relevantOnly?: boolean;
  /**
   * Parse every section with yaml, never on the fast path (fast-read.ts): for tests and benchmarks that
   * compare the two.
   */
  fullParse?: boolean;
  /**
   * Keep no yaml nodes: each `---` section is read again from its text when its document or an object's
   * node is asked for (the last few read are kept: documents.ts). Default: for files of at least
   * {@link REBUILT_FILE_LENGTH} characters parsed with `relevantOnly` (no editor has them open, so no
   * edit needs their nodes): their nodes were most of what a large file kept (bench/RESULTS.md).
   */
  rebuildDocuments?: boolean;
  /**
   * With rebuilt documents: called with each document's objects while its nodes are in memory, for the
   * work that reads them and holds for every analysis (prepare.ts: the model's extraction, the schema and
   * API checks), so that the document is not read again for it.
   */
  whileRead?: (file: ParsedFile, objects: readonly KubeObject[]) => void;
}

/**
 * From this size on, a file parsed with `relevantOnly` keeps no yaml nodes. Below it the nodes cost
 * little and reading a section again would cost time: a workspace of many small files (docs-3900: 16 KB
 * each) keeps them; a file of a whole workspace (single-2.5mb and up) does not.
 */
export const REBUILT_FILE_LENGTH = 1024 * 1024;

/** A skipped section counts as one document, so document indices do not depend on the pre-filter. */
interface SkippedSection {
  section: Section;
  kind: string;
}

const TEMPLATE_PATTERN = /\{\{[\s\S]*?\}\}/;
/** An `apiVersion:` or `kind:` key at the start of a line or a flow mapping, quoted or not (JSON). */
const KUBE_HINT = /(?:^|[{,-])[ \t]*["']?(?:apiVersion|kind)["']?[ \t]*:/m;
/** A template's kind when it is written plainly on a line of its own (`kind: NetworkPolicy`). */
const TEMPLATE_KIND = /^kind:[ \t]*["']?([A-Za-z]{1,63})["']?[ \t]*$/m;

/** How a template document was read, and what that means for the answers. */
type TemplateOutcome = 'analysed' | 'unknown' | 'missing';

/** What it means for the answers that a document is a template (see readTemplate). */
function templateMessage(docText: string, outcome: TemplateOutcome): string {
  const kind = TEMPLATE_KIND.exec(docText)?.[1];
  const what = `This ${kind ?? 'document'} is a Helm/Go template ({{ … }})`;
  if (outcome === 'analysed')
    return `${what} whose expressions are only in names, labels or annotations: it is analysed as written.`;
  if (outcome === 'unknown')
    return `${what} and cannot be read as written: every answer it could change is unknown. Analyse the rendered output (helm template) instead, or exclude the chart.`;
  return `${what} and is not analysed: whatever it renders to (pods, namespace labels, policies) is missing from every answer. Analyse the rendered output (helm template) instead.`;
}
/** The kind as written on its own line, for documents the parser cannot make sense of. */
const KIND_LINE = /^[ \t]*["']?kind["']?[ \t]*:[ \t]*["']?([A-Za-z]+)/m;

/** The parsed `---` sections of each file, handed on to the file's next version (see documents.ts). */
const sectionsOf = new WeakMap<ParsedFile, Section[]>();

/** The message of a file that is not read; the reason says why (from the adapters' file reader). */
export function unreadableMessage(reason: string): string {
  return `File not read: ${reason}.`;
}

/** A file that cannot be read (not a regular file, too large, not decodable): no documents, one problem. */
export function unreadableFile(uri: string, reason: string): ParsedFile {
  const source = new SourceText(uri, '');
  const problem: Problem = {
    code: CODES.fileUnreadable,
    severity: 'error',
    message: unreadableMessage(reason),
    uri,
    range: source.range(0, 0),
  };
  return {
    uri,
    source,
    documents: [],
    objects: [],
    unreadable: [],
    problems: [problem],
    skipped: [],
    relevantOnly: false,
  };
}

/** A `.json` file that the pre-filter leaves unparsed as a whole (prefilter.ts). */
function skipsWholeFile(uri: string, text: string): boolean {
  return isJsonUri(uri) && cannotHoldKubernetesObjects(text);
}

/**
 * Whether a parse with `relevantOnly` holds everything a full parse would (it skipped no document), so
 * opening the file needs no second parse.
 */
export function skippedNothing(file: ParsedFile): boolean {
  return !file.relevantOnly || (file.skipped.length === 0 && !skipsWholeFile(file.uri, file.source.text));
}

/** A lone CR ends a line too (classic Mac files); replacing it by LF keeps every offset. */
function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * Parses one file. Never throws: every failure becomes a located problem. With `previous` (the parse of
 * an earlier version of the same file), only the `---` sections whose text changed are parsed again; the
 * others are taken over from `previous`, which must not be used afterwards.
 */
export function parseFile(
  uri: string,
  text: string,
  previous?: ParsedFile,
  { relevantOnly = false, fullParse = false, rebuildDocuments, whileRead }: ParseOptions = {},
): ParsedFile {
  text = normalizeLineEnds(text);
  if (text.includes('\u0000')) {
    return unreadableFile(
      uri,
      'it contains a NUL character, which YAML and JSON forbid (UTF-16 without a byte-order mark?)',
    );
  }
  const source = new SourceText(uri, text);
  const problems: Problem[] = [];
  const parsed: ParsedFile = {
    uri,
    source,
    documents: [],
    objects: [],
    unreadable: [],
    problems,
    skipped: [],
    relevantOnly,
  };
  // package.json, tsconfig.json, package-lock.json…: nothing to read, and they can be megabytes.
  if (relevantOnly && skipsWholeFile(uri, text)) return parsed;
  const rebuild = rebuildDocuments ?? (relevantOnly && text.length >= REBUILT_FILE_LENGTH);
  let sections: Section[];
  try {
    const handedOver = previous ? sectionsOf.get(previous) : undefined;
    if (previous) sectionsOf.delete(previous);
    sections = parseSections(text, rebuild ? undefined : handedOver, { relevantOnly, fullParse, rebuild });
    // A file whose documents are rebuilt keeps nothing for its next version: it is parsed afresh.
    if (!rebuild) sectionsOf.set(parsed, sections);
  } catch (error) {
    return unparsable(parsed, error);
  }
  const looksKube = KUBE_HINT.test(text);

  // One document at a time with the next one read ahead (for where this one ends): a file whose documents
  // are rebuilt never holds more than the two.
  const entries = entriesOf(sections);
  let next: IteratorResult<Entry>;
  try {
    next = entries.next();
  } catch (error) {
    return unparsable(parsed, error);
  }
  for (let index = 0; !next.done; index++) {
    const entry = next.value;
    try {
      next = entries.next();
    } catch (error) {
      return unparsable(parsed, error);
    }
    if ('kind' in entry) {
      const { start, text: sectionText } = entry.section;
      const range = source.range(start, start + sectionText.length);
      parsed.skipped.push({ index, kind: entry.kind, range });
      continue;
    }
    const { document } = entry;
    const [start, , end] = document.range;
    const range = source.range(start, end);
    const docText = text.slice(start, end);
    // Up to the next document: after a syntax error the parser may end this one early.
    const nextStart = next.done ? text.length : entryStart(next.value);
    const fullText = text.slice(start, nextStart);
    const template = TEMPLATE_PATTERN.test(fullText);
    parsed.documents.push(parsedDocument(entry, index, range, template, rebuild));
    const reader = new YamlReader(source, rebuild ? documentAgain(entry) : document, problems);
    const first = parsed.objects.length;
    const reading = {
      document,
      docText,
      fullText,
      template,
      start,
      nextStart,
      index,
      range,
      reader,
      looksKube,
    };
    readDocument(reading, parsed);
    // The work that reads the objects' nodes, while they are in memory (see ParseOptions.whileRead).
    if (rebuild && whileRead && parsed.objects.length > first) whileRead(parsed, parsed.objects.slice(first));
  }
  return parsed;
}

interface DocumentReading {
  document: Document.Parsed;
  /** The document's text, and the text up to the next document (a syntax error may end it early). */
  docText: string;
  fullText: string;
  /** Looks like a Helm/Go template. */
  template: boolean;
  start: number;
  nextStart: number;
  index: number;
  range: Range;
  reader: YamlReader;
  /** The file's text has something of a Kubernetes object: its YAML errors are reported. */
  looksKube: boolean;
}

/** Reports the document's YAML errors and adds its objects (or the template it is) to the file. */
function readDocument(reading: DocumentReading, parsed: ParsedFile): void {
  const { document, docText, fullText, start, nextStart, index, range, reader, looksKube } = reading;
  const { source, uri, problems } = parsed;
  if (reading.template) {
    const fullRange = source.range(start, nextStart);
    readTemplate({ document, docText: fullText, start, index, range: fullRange, reader, parsed });
    return;
  }
  const errors = readingErrors(document, docText);
  if (looksKube) {
    for (const error of errors) {
      problems.push({
        code: CODES.yamlSyntax,
        severity: 'error',
        message: error.message,
        uri,
        range: source.range(error.start, error.end),
      });
    }
    for (const warning of document.warnings) {
      problems.push({
        code: CODES.yamlWarning,
        severity: 'warning',
        message: warning.message.split('\n')[0],
        uri,
        range: source.range(warning.pos[0], warning.pos[1]),
      });
    }
    reportAliasBomb(document, docText, source, problems);
    if (docText.includes('<<')) reportBadMergeValues(document, source, problems);
  }
  const first = parsed.objects.length;
  collectObjects(reader.deref(document.contents), reader, index, parsed.objects);
  if (errors.length === 0) return;
  const found = parsed.objects.slice(first);
  if (found.length === 0 && KUBE_HINT.test(fullText)) {
    parsed.unreadable.push({ range, kind: KIND_LINE.exec(fullText)?.[1], error: errors[0] });
  }
  markUnreadable(found, errors, source.text);
}

/** A document of the file, or a section the pre-filter skipped (it counts as one document). */
type Entry = { section: Section; at: number; document: Document.Parsed } | SkippedSection;

/** The file's documents in order, each section read when its turn comes. */
function* entriesOf(sections: readonly Section[]): Generator<Entry> {
  for (const section of sections) {
    if (section.skippedKind !== undefined) {
      yield { section, kind: section.skippedKind };
      continue;
    }
    const documents = section.documents;
    for (let at = 0; at < documents.length; at++) yield { section, at, document: documents[at] };
  }
}

function entryStart(entry: Entry): number {
  return 'kind' in entry ? entry.section.start : entry.document.range[0];
}

/** The file as one problem when the yaml package itself throws on it (nothing of it is read). */
function unparsable(parsed: ParsedFile, error: unknown): ParsedFile {
  const { uri, source } = parsed;
  const text = source.text;
  const message = `YAML could not be parsed: ${String(error)}`;
  Object.assign(parsed, { documents: [], objects: [], unreadable: [], skipped: [] });
  parsed.problems.length = 0;
  parsed.problems.push({
    code: CODES.yamlSyntax,
    severity: 'error',
    message,
    uri,
    range: source.range(0, 0),
  });
  if (KUBE_HINT.test(text)) {
    const error = { start: 0, end: 0, message, syntax: true };
    parsed.unreadable.push({ range: source.range(0, text.length), kind: KIND_LINE.exec(text)?.[1], error });
  }
  return parsed;
}

/** How to get a document of a rebuilt section again (the closure holds the section, not the document). */
function documentAgain({ section, at }: { section: Section; at: number }): () => Document.Parsed {
  return () => section.documents[at];
}

/** The parsed document; of a rebuilt section, read again from the section when asked. */
function parsedDocument(
  entry: { section: Section; at: number; document: Document.Parsed },
  index: number,
  range: Range,
  template: boolean,
  rebuild: boolean,
): ParsedDocument {
  const contents = entry.document.contents as Node | null;
  // Read once: a fast-path node makes a new array at each read of its range.
  const rootRange = contents?.range;
  const root = rootRange ? { start: rootRange[0], end: rootRange[2] } : undefined;
  if (!rebuild) return { index, document: entry.document, range, root, template };
  return new RebuiltDocument(index, range, root, template, entry.section, entry.at);
}

/** A document of a rebuilt section (a getter on the prototype keeps the fields in the object). */
class RebuiltDocument implements ParsedDocument {
  constructor(
    readonly index: number,
    readonly range: Range,
    readonly root: ParsedDocument['root'],
    readonly template: boolean,
    private readonly section: Section,
    private readonly at: number,
  ) {}

  get document(): Document.Parsed {
    return this.section.documents[this.at];
  }
}

interface TemplateDocument {
  document: Document.Parsed;
  docText: string;
  start: number;
  index: number;
  range: Range;
  reader: YamlReader;
  parsed: ParsedFile;
}

/**
 * A document with Helm/Go template expressions (templates.ts): reported once; its objects that decide
 * verdicts are analysed when the expressions cannot change them and unreadable otherwise, never dropped.
 * Its YAML errors are the template's, not the manifest's: they are not reported.
 */
function readTemplate({ document, docText, start, index, range, reader, parsed }: TemplateDocument): void {
  if (!KUBE_HINT.test(docText)) return;
  const spans = templateSpans(docText, start);
  const objects: KubeObject[] = [];
  const readable = readingErrors(document, docText).length === 0;
  if (readable) collectObjects(reader.deref(document.contents), reader, index, objects);
  const deciding = objects.filter((o) => decidesVerdicts(o.kind));
  let outcome: TemplateOutcome = 'missing';
  if (readable && objects.length > 0) {
    if (judgeTemplatedObjects(deciding, spans)) outcome = 'analysed';
    if (deciding.some((obj) => obj.unreadable !== undefined)) outcome = 'unknown';
    for (const obj of deciding) {
      obj.templated = true; // set on the object, not on a copy: a copy would read its node once and keep it
      parsed.objects.push(obj);
    }
  } else {
    const written = templatedDocumentKind(docText);
    if (written.decides) {
      parsed.unreadable.push({ range, kind: written.kind, error: templateError(spans[0]) });
      outcome = 'unknown';
    }
  }
  const { source, uri } = parsed;
  parsed.problems.push({
    code: CODES.template,
    severity: 'information',
    message: templateMessage(docText, outcome),
    uri,
    range: source.range(start, start + firstLineLength(docText)),
  });
}

/** What the yaml package reports when its composer runs out of stack on deep nesting. */
const STACK_OVERFLOW = /Maximum call stack size exceeded|too much recursion/;

/**
 * The deepest point of a text and its depth: open flow collections (`[`, `{`) outside quotes and
 * comments, plus the block levels a line's indentation and leading dashes can open. Where yaml runs out
 * of stack depends on how far V8 has optimised its code, so the message names this point instead, the
 * same on every run. Iterative; for messages only.
 */
export function deepestNesting(text: string): { depth: number; offset: number } {
  let deepest = { depth: 0, offset: 0 };
  let flow = 0;
  let quote = '';
  let lead = 0;
  let inLead = true;
  const reach = (offset: number) => {
    if (flow + lead > deepest.depth) deepest = { depth: flow + lead, offset };
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inLead && (c === ' ' || c === '-')) {
      lead++;
      continue;
    }
    if (inLead) {
      inLead = false;
      reach(i);
    }
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) i = Math.max(i, text.indexOf('\n', i) - 1);
    else if (c === '[' || c === '{') {
      flow++;
      reach(i + 1);
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    if (text[i] === '\n') {
      lead = 0;
      inLead = true;
    }
  }
  return deepest;
}

/** The document's YAML errors and its unresolved aliases, in the order they are written. */
function readingErrors(document: Document.Parsed, docText: string): ReadingError[] {
  const errors: ReadingError[] = [];
  for (const e of document.errors) {
    const message = e.message.split('\n')[0];
    if (!STACK_OVERFLOW.test(message)) {
      errors.push({ start: e.pos[0], end: e.pos[1], message, syntax: true });
      continue;
    }
    // The parser gives up on deep nesting once per node below the limit; one error says it all.
    if (errors.some((x) => x.deep)) continue;
    const { depth, offset } = deepestNesting(docText);
    const lineEnd = docText.indexOf('\n', offset);
    errors.push({
      start: document.range[0] + offset,
      end: document.range[0] + (lineEnd < 0 ? docText.length : Math.max(lineEnd, offset + 1)),
      message: `YAML nested ${depth} levels deep here, deeper than the parser can follow: the document is not read`,
      syntax: true,
      deep: true,
    });
  }
  if (docText.includes('*')) {
    for (const [alias, target] of documentAliases(document).targets) {
      if (target !== undefined || !alias.range) continue;
      errors.push({
        start: alias.range[0],
        end: alias.range[1],
        message: `Unresolved alias *${alias.source}: no anchor &${alias.source} before it in this document`,
        syntax: false,
      });
    }
  }
  return errors.sort((a, b) => a.start - b.start);
}

/**
 * Marks each object that holds an error as unreadable. An error outside every object (between the items
 * of a List, or where the parser lost the structure) may belong to any of them: they all are.
 */
function markUnreadable(objects: KubeObject[], errors: readonly ReadingError[], text: string): void {
  for (const object of objects) {
    // A syntax error may have swallowed the kind (`kind: "NetworkPolicy` runs on to the next quote).
    if (errors.some((e) => e.syntax))
      object.writtenKind = KIND_LINE.exec(
        text.slice(object.range.start.offset, object.range.end.offset),
      )?.[1];
  }
  for (const error of errors) {
    const holders = objects.filter(
      (o) => o.range.start.offset <= error.start && error.start < o.range.end.offset,
    );
    for (const object of holders.length > 0 ? holders : objects) object.unreadable ??= error;
  }
}

/** A document whose aliases expand beyond the budget is read without them; say so once. */
function reportAliasBomb(
  document: Document.Parsed,
  docText: string,
  source: SourceText,
  problems: Problem[],
): void {
  if (!docText.includes('*')) return; // No alias can be written without one.
  const aliases = documentAliases(document);
  if (aliases.follow) return;
  const at = aliases.worst?.range ?? document.range;
  problems.push({
    code: CODES.yamlWarning,
    severity: 'warning',
    message: `YAML aliases in this document expand to more than ${thousands(MAX_ALIAS_EXPANSION)} nodes (or refer to themselves); to guard against resource exhaustion, none of its aliases is followed.`,
    uri: source.uri,
    range: source.range(at[0], at[1]),
  });
}

function firstLineLength(text: string): number {
  const newline = text.indexOf('\n');
  return newline === -1 ? text.length : newline;
}

function scalarString(node: Node | null | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** A `kind` or `apiVersion` written with a value that is not a string. */
interface MisTyped {
  node: Node;
  field: 'kind' | 'apiVersion';
  what: string;
}

function misTyped(node: Node | undefined, field: MisTyped['field']): MisTyped | undefined {
  if (node === undefined || scalarString(node) !== undefined) return undefined;
  return { node, field, what: valueDescription(node) };
}

function valueDescription(node: Node): string {
  if (isSeq(node)) return 'a list';
  if (isMap(node)) return 'a mapping';
  if (isScalar(node)) {
    if (node.value === null || node.value === undefined) return 'an empty value';
    const source = String(node.source ?? node.value);
    if (typeof node.value === 'number') return `the number ${source}`;
    if (typeof node.value === 'boolean') return `the boolean ${source}`;
  }
  return 'a value of another type';
}

/**
 * A document with both an `apiVersion` and a `kind` key looks like a Kubernetes object: when either is
 * not a string (`kind: [Pod]`, `apiVersion: 1`), kubectl rejects it and nothing here can read it, so it
 * is reported rather than skipped without a word. Other YAML (no such pair) stays quiet, and so do kinds
 * no analysis reads, which the pre-filter skips unparsed in files that are not open (prefilter.ts).
 */
function reportUnusableHeader(reader: YamlReader, map: YAMLMap): void {
  if (!reader.has(map, 'kind') || !reader.has(map, 'apiVersion')) return;
  const kind = scalarString(reader.get(map, 'kind'));
  if (kind !== undefined && UNREAD_KINDS.has(kind)) return;
  for (const field of ['kind', 'apiVersion'] as const) {
    // An empty value (`kind:`) reads as absent: point at the key then.
    const node = reader.get(map, field);
    const wrong = node
      ? misTyped(node, field)
      : { node: reader.keyNode(map, field), field, what: 'an empty value' };
    if (!wrong?.node) continue;
    reader.report(
      wrong.node,
      CODES.type,
      `${wrong.field}: expected a string, not ${wrong.what}; this document is not analysed`,
    );
  }
}

/** The kind and apiVersion an item of a list takes when it names none: `PodList` → `Pod`, as kubectl does. */
interface ListDefaults {
  listKind: string;
  kind?: string;
  apiVersion: string;
}

/**
 * Adds the object (or the items of a list: any document with an `items` list and a kind ending in `List`)
 * if it looks like a Kubernetes object; ignores other YAML.
 */
function collectObjects(
  node: Node | null | undefined,
  reader: YamlReader,
  documentIndex: number,
  out: KubeObject[],
  list?: ListDefaults & { itemIndex: number },
): void {
  if (!isMap(node)) {
    if (list && node)
      reader.report(
        node,
        CODES.type,
        `${list.listKind}.items[${list.itemIndex}]: expected an object; not analysed`,
      );
    return;
  }
  const kindNode = reader.get(node, 'kind');
  const apiVersionNode = reader.get(node, 'apiVersion');
  const kind = scalarString(kindNode) ?? (kindNode === undefined ? list?.kind : undefined);
  const apiVersion =
    scalarString(apiVersionNode) ?? (apiVersionNode === undefined ? list?.apiVersion : undefined);
  if (kind === undefined || apiVersion === undefined) {
    if (!list) {
      reportUnusableHeader(reader, node);
      return;
    }
    const wrongType = misTyped(kindNode, 'kind') ?? misTyped(apiVersionNode, 'apiVersion');
    if (wrongType) {
      reader.report(
        wrongType.node,
        CODES.type,
        `${list.listKind}.items[${list.itemIndex}].${wrongType.field}: expected a string, not ${wrongType.what}; not analysed`,
      );
    } else {
      const missing = kind === undefined ? 'kind' : 'apiVersion';
      reader.report(
        node,
        CODES.type,
        `${list.listKind}.items[${list.itemIndex}]: the item has no ${missing}${list.kind === undefined && kind === undefined ? ` (a ${list.listKind} gives its items none)` : ''}; not analysed`,
      );
    }
    return;
  }
  const meant = meantKind(kind);
  if (meant !== undefined) {
    const where = list ? `${list.listKind}.items[${list.itemIndex}].kind` : 'kind';
    reader.report(
      kindNode ?? node,
      CODES.type,
      `${where}: "${displayText(kind)}" is not a kind (kinds are case-sensitive and singular: ${meant}); the API server rejects the object, so it is not analysed`,
    );
    return;
  }
  if (kind.endsWith('List') && (kind === 'List' || reader.has(node, 'items'))) {
    if (list) return; // Lists do not nest.
    const items = reader.get(node, 'items');
    if (!isSeq(items)) {
      if (items !== undefined) reader.report(items, CODES.type, `${kind}.items: expected a list of objects`);
      return;
    }
    const itemKind = kind === 'List' ? undefined : kind.slice(0, -'List'.length);
    items.items.forEach((item, itemIndex) =>
      collectObjects(reader.deref(item as Node), reader, documentIndex, out, {
        listKind: kind,
        kind: itemKind,
        apiVersion,
        itemIndex,
      }),
    );
    return;
  }
  const itemIndex = list?.itemIndex;
  const range = reader.range(node);
  out.push(
    reader.rebuildsDocument
      ? new RebuiltObject(kind, apiVersion, range, reader, documentIndex, itemIndex)
      : { kind, apiVersion, node, range, reader, documentIndex, itemIndex },
  );
}

/**
 * An object of a file whose documents are rebuilt: its node is found again in its document as read now
 * (a getter on the prototype keeps the object's fields in the object; copy one with {@link withReader}).
 */
class RebuiltObject implements KubeObject {
  declare unreadable?: ReadingError;
  declare writtenKind?: string;
  declare templated?: boolean;

  constructor(
    readonly kind: string,
    readonly apiVersion: string,
    readonly range: Range,
    readonly reader: YamlReader,
    readonly documentIndex: number,
    readonly itemIndex: number | undefined,
  ) {}

  get node(): YAMLMap {
    return objectNode(this.reader, this.itemIndex);
  }
}

/** The object with another reader (one that reports elsewhere), its node getter kept. */
export function withReader(object: KubeObject, reader: YamlReader): KubeObject {
  return Object.assign(Object.create(Object.getPrototypeOf(object) as object) as KubeObject, object, {
    reader,
  });
}

/**
 * The node of an object found by collectObjects, in its document as read now: the root mapping, or the
 * mapping of `items[itemIndex]` of a List. (What collectObjects followed to find it, without its reports.)
 */
function objectNode(reader: YamlReader, itemIndex: number | undefined): YAMLMap {
  const quiet = reader.withSink([]);
  const root = quiet.deref(quiet.document.contents) as YAMLMap;
  if (itemIndex === undefined) return root;
  const items = quiet.get(root, 'items') as YAMLSeq;
  return quiet.deref(items.items[itemIndex] as Node) as YAMLMap;
}
