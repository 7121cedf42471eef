// Minimal text edits on YAML, computed from node ranges: new text follows the file's indentation,
// sequence style and line endings, and nothing outside the edited node changes.
import { isMap, isScalar, isSeq, parse, visit, type Node, type Pair, type YAMLMap, type YAMLSeq } from 'yaml';
import { contentEnd, fileOf, locate, pairOf } from '../diagnostics/lint-yaml';
import type { Analysis } from '../index';
import type { ParsedFile } from '../parse';
import type { PolicyModel, Problem } from '../types';
import { isJsonUri } from '../text';
import type { TextEdit } from './fix';

export type YamlValue = string | number | YamlValue[] | { [key: string]: YamlValue };

export interface EditFile {
  file: ParsedFile;
  text: string;
  eol: string;
  /** Columns a nested mapping is indented by. */
  indent: number;
  /** Columns a block sequence's `-` is indented by, relative to its key (0 for `key:\n- item`). */
  seqIndent: number;
  /** A `.json` file: new flow text is written as JSON (quoted keys and strings), which YAML reads too. */
  json: boolean;
}

export function editFile(analysis: Analysis, uri: string): EditFile | undefined {
  const file = fileOf(analysis, uri);
  if (!file) return undefined;
  const text = file.source.text;
  const style = detectStyle(file);
  return { file, text, eol: text.includes('\r\n') ? '\r\n' : '\n', ...style, json: isJsonUri(uri) };
}

export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The offset of the line break (or the end of the text) of the line containing `offset`. */
export function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  if (newline < 0) return text.length;
  return text[newline - 1] === '\r' ? newline - 1 : newline;
}

export function column(text: string, offset: number): number {
  return offset - lineStart(text, offset);
}

/** The most common indentation of nested mappings and of block sequences under keys. */
function detectStyle(file: ParsedFile): { indent: number; seqIndent: number } {
  const text = file.source.text;
  const indents = new Map<number, number>();
  const seqIndents = new Map<number, number>();
  const count = (map: Map<number, number>, n: number) => map.set(n, (map.get(n) ?? 0) + 1);
  for (const { document } of file.documents) {
    visit(document, {
      Pair(_, pair) {
        const key = pair.key as Node | null;
        const value = pair.value as Node | null;
        if (!key?.range || !value?.range || (!isMap(value) && !isSeq(value)) || value.flow) return;
        if (lineStart(text, value.range[0]) === lineStart(text, key.range[0])) return;
        const delta = column(text, value.range[0]) - column(text, key.range[0]);
        if (isMap(value) && delta > 0) count(indents, delta);
        if (isSeq(value) && delta >= 0) count(seqIndents, delta);
      },
    });
  }
  const top = (map: Map<number, number>, fallback: number) =>
    [...map.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0] ?? fallback;
  const indent = top(indents, 2);
  return { indent, seqIndent: top(seqIndents, indent) };
}

// ---------------------------------------------------------------------------------------------
// Rendering

/** A scalar, plain when YAML reads it back as the same value, double-quoted otherwise (always in JSON). */
export function scalarText(value: string | number, json = false): string {
  if (typeof value === 'number') return String(value);
  if (json) return JSON.stringify(value);
  try {
    if (
      value !== '' &&
      !/^[\s#]|[\s:]$|: | #|^[-?:,[\]{}&*!|>'"%@`]/.test(value) &&
      parse(value, { version: '1.1' }) === value
    )
      return value;
  } catch {
    // Not a plain scalar.
  }
  return JSON.stringify(value);
}

export function flowText(value: YamlValue, json = false): string {
  if (Array.isArray(value)) return `[${value.map((item) => flowText(item, json)).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${scalarText(k, json)}: ${flowText(v, json)}`)
      .join(', ')}}`;
  }
  return scalarText(value, json);
}

function isEmptyOrScalar(value: YamlValue): boolean {
  return (
    typeof value !== 'object' || (Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0)
  );
}

/** Block lines of a mapping (keys at `col`) or a sequence (dashes at `col`). */
export function blockLines(value: YamlValue, col: number, f: EditFile): string[] {
  const pad = ' '.repeat(col);
  if (Array.isArray(value)) {
    return value.flatMap((item) => {
      if (isEmptyOrScalar(item)) return [`${pad}- ${flowText(item)}`];
      const lines = blockLines(item, col + 2, f);
      return [`${pad}- ${lines[0].slice(col + 2)}`, ...lines.slice(1)];
    });
  }
  if (typeof value !== 'object') return [`${pad}${scalarText(value)}`];
  return Object.entries(value).flatMap(([key, item]) => {
    const head = `${pad}${scalarText(key)}:`;
    if (isEmptyOrScalar(item)) return [`${head} ${flowText(item)}`];
    return [head, ...blockLines(item, col + (Array.isArray(item) ? f.seqIndent : f.indent), f)];
  });
}

// ---------------------------------------------------------------------------------------------
// Edits

export function textEdit(f: EditFile, start: number, end: number, newText: string): TextEdit {
  return { uri: f.file.uri, range: f.file.source.range(start, end), newText };
}

/** Comments (`# …`) in text that holds only YAML punctuation, whitespace and comments. */
function commentsIn(text: string): string[] {
  return [...text.matchAll(/(?:^|\s)(#[^\r\n]*)/g)].map((m) => m[1].trimEnd());
}

/**
 * Replaces [start, end) with `newText`. The comments in [keepFrom, keepTo) belong to nodes that stay (the
 * text there is punctuation between nodes), so instead of vanishing they move to lines of their own
 * above the line of `start`.
 */
export function editKeepingComments(
  f: EditFile,
  start: number,
  end: number,
  newText: string,
  keepFrom = start,
  keepTo = end,
): TextEdit {
  const to = Math.min(keepTo, end);
  const comments = keepFrom < to ? commentsIn(f.text.slice(keepFrom, to)) : [];
  if (comments.length === 0) return textEdit(f, start, end, newText);
  const from = lineStart(f.text, start);
  const indent = /^[ \t]*/.exec(f.text.slice(from, start))?.[0] ?? '';
  const above = comments.map((c) => indent + c + f.eol).join('');
  return textEdit(f, from, end, above + f.text.slice(from, start) + newText);
}

/** Where the line after `offset` starts (comments before it are on the line of `offset`). */
function nextLine(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline < 0 ? text.length : newline;
}

/** The end of the line on which the node's content ends. */
function afterNode(f: EditFile, node: Node): number {
  return lineEnd(f.text, contentEnd(f.text, node));
}

function pairEnd(f: EditFile, pair: Pair): number {
  const key = pair.key as Node;
  const value = pair.value as Node | null;
  return Math.max(contentEnd(f.text, key), value?.range ? contentEnd(f.text, value) : 0);
}

/** The `-` that introduces a block sequence item, when it is on the item's first line. */
export function dashOf(f: EditFile, item: Node): number | undefined {
  let i = (item.range?.[0] ?? 0) - 1;
  while (i >= 0 && f.text[i] === ' ') i--;
  return f.text[i] === '-' ? i : undefined;
}

/** Appends items to a sequence. */
export function appendToSeq(f: EditFile, seq: YAMLSeq, items: YamlValue[]): TextEdit | undefined {
  if (!seq.range) return undefined;
  if (seq.flow) {
    const close = seq.range[1] - 1;
    if (f.text[close] !== ']') return undefined;
    const text = items.map((item) => flowText(item, f.json)).join(', ');
    if (seq.items.length === 0) return textEdit(f, close, close, text);
    const at = contentEnd(f.text, seq.items[seq.items.length - 1] as Node);
    return textEdit(f, at, at, `, ${text}`);
  }
  const at = afterNode(f, seq);
  const lines = blockLines(items, column(f.text, seq.range[0]), f);
  return textEdit(f, at, at, f.eol + lines.join(f.eol));
}

/** Adds `key: value` to a mapping, after the pair `after` when it exists, else at the end. */
export function addPair(
  f: EditFile,
  map: YAMLMap,
  key: string,
  value: YamlValue,
  after?: string,
): TextEdit | undefined {
  if (!map.range) return undefined;
  const anchor = (after && pairOf(map, after)) || map.items[map.items.length - 1];
  if (map.flow) {
    if (!anchor) {
      const close = map.range[1] - 1;
      return f.text[close] === '}'
        ? textEdit(f, close, close, `${scalarText(key, f.json)}: ${flowText(value, f.json)}`)
        : undefined;
    }
    const at = pairEnd(f, anchor);
    return textEdit(f, at, at, `, ${scalarText(key, f.json)}: ${flowText(value, f.json)}`);
  }
  const first = map.items[0]?.key as Node | undefined;
  if (!anchor || !first?.range) return undefined;
  const at = lineEnd(f.text, pairEnd(f, anchor));
  const lines = blockLines({ [key]: value }, column(f.text, first.range[0]), f);
  return textEdit(f, at, at, f.eol + lines.join(f.eol));
}

/** Sets a key that is absent, null (`key:`) or an empty flow collection (`key: []`) to `value`. */
export function setValue(
  f: EditFile,
  map: YAMLMap,
  key: string,
  value: YamlValue,
  after?: string,
): TextEdit | undefined {
  const pair = pairOf(map, key);
  if (!pair) return addPair(f, map, key, value, after);
  const current = pair.value;
  const keyNode = pair.key;
  const empty = (isSeq(current) || isMap(current)) && current.flow && current.items.length === 0;
  const nullish = !current || (isScalar(current) && current.value === null);
  if (!keyNode.range || !(empty || nullish)) return undefined;
  // `key: []` and `key: null` are replaced; after a bare `key:` the value is inserted.
  const written = current?.range && current.range[1] > current.range[0] ? current.range : undefined;
  const start = written ? written[0] : f.text.indexOf(':', keyNode.range[1]) + 1;
  const end = written ? contentEnd(f.text, current!) : start;
  if (map.flow || isEmptyOrScalar(value))
    return textEdit(f, start, end, `${written ? '' : ' '}${flowText(value, f.json)}`);
  const nested = column(f.text, keyNode.range[0]) + (Array.isArray(value) ? f.seqIndent : f.indent);
  return textEdit(f, trimBack(f.text, start), end, f.eol + blockLines(value, nested, f).join(f.eol));
}

function trimBack(text: string, offset: number): number {
  while (offset > 0 && text[offset - 1] === ' ') offset--;
  return offset;
}

/** Replaces a scalar, keeping its quoting style. */
export function replaceScalar(f: EditFile, node: Node, value: string | number): TextEdit | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  let text = scalarText(value, f.json);
  if (typeof value === 'string' && node.type === 'QUOTE_DOUBLE') text = JSON.stringify(value);
  if (typeof value === 'string' && node.type === 'QUOTE_SINGLE') text = `'${value.replace(/'/g, "''")}'`;
  return textEdit(f, node.range[0], contentEnd(f.text, node), text);
}

/** Deletes whole lines from the one holding `start` through the one holding `end`. */
function deleteLines(f: EditFile, start: number, end: number): TextEdit {
  const from = lineStart(f.text, start);
  const to = lineEnd(f.text, end);
  const next = f.text.startsWith('\r\n', to) ? to + 2 : f.text[to] === '\n' ? to + 1 : to;
  // The last line of the text keeps the preceding line break instead.
  return next === to && from > 0
    ? textEdit(f, from - (f.text[from - 2] === '\r' ? 2 : 1), to, '')
    : textEdit(f, from, next, '');
}

function onlyBlanksBefore(f: EditFile, offset: number): boolean {
  return f.text.slice(lineStart(f.text, offset), offset).trim() === '';
}

/**
 * Removes the last entry of a flow collection: from the end of the entry before it (`previousEnd`) to its
 * own end. A comment on the line of the entry before (`[a,  # about a`) is that entry's and stays; comment
 * lines after it are the removed entry's.
 */
function removeLastInFlow(f: EditFile, previousEnd: number, end: number): TextEdit {
  return editKeepingComments(f, previousEnd, end, '', previousEnd, nextLine(f.text, previousEnd));
}

/** Removes a pair from a mapping that keeps at least one other pair. */
export function removePair(f: EditFile, map: YAMLMap, key: string): TextEdit | undefined {
  const index = map.items.findIndex((p) => isScalar(p.key) && p.key.value === key);
  if (index < 0 || map.items.length < 2) return undefined;
  const pair = map.items[index];
  const start = (pair.key as Node).range![0];
  const next = map.items[index + 1]?.key as Node | undefined;
  const after = nextLine(f.text, pairEnd(f, pair));
  if (map.flow) {
    if (next?.range) return editKeepingComments(f, start, next.range[0], '', after);
    return removeLastInFlow(f, pairEnd(f, map.items[index - 1]), pairEnd(f, pair));
  }
  if (onlyBlanksBefore(f, start)) return deleteLines(f, start, pairEnd(f, pair));
  // The first pair of a sequence item (`- key: …`): the next key moves up behind the dash.
  return next?.range ? editKeepingComments(f, start, next.range[0], '', after) : undefined;
}

/** Removes item `index`; when it is the only one, removes `key` (the sequence's own pair) from `parent`. */
export function removeSeqItem(
  f: EditFile,
  seq: YAMLSeq,
  index: number,
  parent: YAMLMap,
  key: string,
): TextEdit | undefined {
  if (seq.items.length === 1) return removePair(f, parent, key);
  const item = seq.items[index] as Node;
  if (!item?.range) return undefined;
  if (seq.flow) {
    const next = seq.items[index + 1] as Node | undefined;
    const after = nextLine(f.text, contentEnd(f.text, item));
    if (next?.range) return editKeepingComments(f, item.range[0], next.range[0], '', after);
    return removeLastInFlow(f, contentEnd(f.text, seq.items[index - 1] as Node), contentEnd(f.text, item));
  }
  const dash = dashOf(f, item);
  if (dash === undefined || !onlyBlanksBefore(f, dash)) return undefined;
  return deleteLines(f, dash, contentEnd(f.text, item));
}

// ---------------------------------------------------------------------------------------------
// Finding what a problem is about

/** The policy a problem was reported in. */
export function policyAt(analysis: Analysis, problem: Problem): PolicyModel | undefined {
  const at = problem.range.start.offset;
  return analysis.model.policies.find(
    (p) => p.uri === problem.uri && p.range.start.offset <= at && at <= p.range.end.offset,
  );
}

/** The nodes from the document root to the node at the problem's range. */
export function problemPath(f: EditFile, problem: Problem): Node[] {
  return locate(f.file, problem.range.start.offset, problem.range.end.offset);
}
