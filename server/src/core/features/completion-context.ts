// Where a completion is requested, in a document that is usually mid-edit (`app: ` with no value, a key
// typed without its colon, an empty line). A marker word is inserted at the cursor and the text is parsed
// again, so the `yaml` parser itself says whether the cursor is on a key, a value or a list item.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { extractPolicy } from '../extract';
import { parseFile, withReader, type KubeObject, type ParsedFile } from '../parse';
import type { PolicyModel, Range } from '../types';
import { pathAt, type PathSegment } from './locate';

export const CURSOR_MARKER = 'netpolLensCursorMarker';

export interface CompletionContext {
  /** The whole document around the cursor is empty or a single bare word. */
  topLevel: boolean;
  /** `key`: a key of the mapping at `path` is being typed; `value`: the value at `path`. */
  position: 'key' | 'value';
  path: PathSegment[];
  /** The object around the cursor, parsed from the text with the marker. */
  object?: KubeObject;
  /** The policy around the cursor, extracted from the text with the marker. */
  policy?: PolicyModel;
  /** Keys already written in the mapping being completed. */
  siblingKeys: string[];
  /** Text of the word before the cursor. */
  prefix: string;
  /** The word around the cursor in the original text: what a completion replaces. */
  range: Range;
  /** The word is inside quotes the user typed. */
  quoted: boolean;
  /** A `:` already follows the word (completing an existing key). */
  colonFollows: boolean;
}

const WORD = /[A-Za-z0-9._/-]/;

function wordBounds(text: string, offset: number): [number, number] {
  let start = offset;
  while (start > 0 && WORD.test(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && WORD.test(text[end])) end++;
  return [start, end];
}

function hasMarker(node: Node | null | undefined): boolean {
  return isScalar(node) && String(node.value).includes(CURSOR_MARKER);
}

const CLUSTER_MAPPINGS = new Set([
  'subject',
  'pods',
  'namespaces',
  'portNumber',
  'portRange',
  'tcp',
  'udp',
  'sctp',
  'destinationPort',
  'range',
]);

/** Paths whose value is a mapping: a scalar typed on its own line there is a key being started. */
function expectsMapping(path: PathSegment[]): boolean {
  const last = path[path.length - 1];
  const parent = path[path.length - 2];
  return (
    last === 'spec' ||
    last === 'podSelector' ||
    last === 'namespaceSelector' ||
    last === 'matchLabels' ||
    last === 'ipBlock' ||
    // AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy
    CLUSTER_MAPPINGS.has(String(last)) ||
    (typeof last === 'number' &&
      ['matchExpressions', 'ports', 'protocols', 'from', 'to', 'ingress', 'egress'].includes(String(parent)))
  );
}

/** Only indentation, or the dashes of new list items, before `offset` on its line. */
function firstOnLine(text: string, offset: number): boolean {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^\s*(-\s+)*$/.test(text.slice(lineStart, offset));
}

function mapKeys(node: unknown): string[] {
  if (!isMap(node)) return [];
  return node.items.flatMap((p) =>
    isScalar(p.key) && !hasMarker(p.key as Node) ? [String(p.key.value)] : [],
  );
}

function documentAt(parsed: ParsedFile, offset: number) {
  return parsed.documents.find((d) => d.range.start.offset <= offset && offset <= d.range.end.offset);
}

function policyOf(object: KubeObject, defaultNamespace: string): PolicyModel | undefined {
  if (object.kind !== 'NetworkPolicy') return undefined;
  // Problems in the half-written text are of no interest here.
  return extractPolicy(withReader(object, object.reader.withSink([])), -1, defaultNamespace);
}

/** The completion context at `offset` of `text`, or undefined where nothing can be offered. */
export function completionContext(
  file: ParsedFile,
  offset: number,
  defaultNamespace: string,
): CompletionContext | undefined {
  const text = file.source.text;
  const [start, end] = wordBounds(text, offset);
  const space = text[offset - 1] === ':' ? ' ' : '';
  const at = offset + space.length;
  const parsed = parseFile(file.uri, text.slice(0, offset) + space + CURSOR_MARKER + text.slice(offset));
  const base = {
    prefix: text.slice(start, offset),
    range: file.source.range(start, end),
    quoted: text[start - 1] === '"' || text[start - 1] === "'",
    colonFollows: /^[ \t]*:/.test(text.slice(end)),
    siblingKeys: [] as string[],
  };
  const contents = documentAt(parsed, at)?.document.contents;
  if (hasMarker(contents as Node)) return { ...base, topLevel: true, position: 'value', path: [] };
  const object = [...parsed.objects]
    .reverse()
    .find((o) => o.range.start.offset <= at && at <= o.range.end.offset);
  if (!object) return undefined;
  const found = pathAt(object.node, at);
  if (!hasMarker(found.node)) return undefined; // e.g. inside a comment
  const policy = policyOf(object, defaultNamespace);
  const context = { ...base, topLevel: false, object, policy };
  if (found.onKey) {
    const path = found.path.slice(0, -1);
    return { ...context, position: 'key', path, siblingKeys: mapKeys(object.node.getIn(path, true)) };
  }
  if (expectsMapping(found.path) && firstOnLine(text, start))
    return { ...context, position: 'key', path: found.path };
  return { ...context, position: 'value', path: found.path, siblingKeys: siblingValues(object, found.path) };
}

/** For a list item, the other items already written (e.g. policyTypes). */
function siblingValues(object: KubeObject, path: PathSegment[]): string[] {
  const parent = object.node.getIn(path.slice(0, -1), true);
  if (!isSeq(parent) || typeof path[path.length - 1] !== 'number') return [];
  return parent.items.flatMap((item) =>
    isScalar(item) && !hasMarker(item as Node) ? [String(item.value)] : [],
  );
}
