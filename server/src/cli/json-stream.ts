// The CLI's reports written in pieces, the same text as when built whole.
//
// `check` of a large file ends with every problem alive, and the whole report as one string (plus the
// objects it was made of, plus the bytes stdout writes) came on top at the moment the process peaked:
// 50 MB of policies made a 24 MB report. Written as it is made, a report never exists whole.
import { displayJson } from '../core/index';

/** Collects small writes into chunks of about this many characters (fewer writes to stdout). */
const CHUNK = 64 * 1024;

/** A writer that passes text on in chunks; `flush` passes on what is left. */
export function chunkedWriter(write: (text: string) => void): {
  write: (text: string) => void;
  flush: () => void;
} {
  let parts: string[] = [];
  let length = 0;
  const flush = () => {
    if (parts.length === 0) return;
    write(parts.join(''));
    parts = [];
    length = 0;
  };
  return {
    write(text) {
      parts.push(text);
      length += text.length;
      if (length >= CHUNK) flush();
    },
    flush,
  };
}

/** Where {@link writeJsonWith} puts the array: a value no report holds. */
const PLACE = '\u0000netpol-lens:streamed-array\u0000';

/**
 * Writes `displayJson(document)` where one value, `PLACE_OF_ARRAY` in `document`, is the array of
 * `items` mapped by `toJson`: the array is written one item at a time. The text is the same as
 * displayJson of the whole (with the array's items in the place): JSON.stringify indents a nested value
 * by its depth, which each item's lines are given here.
 */
export function writeJsonWith<T>(
  document: unknown,
  items: readonly T[],
  toJson: (item: T) => object,
  write: (text: string) => void,
): void {
  const text = displayJson(document);
  const marker = JSON.stringify(PLACE);
  const at = text.indexOf(marker);
  if (at === -1 || text.indexOf(marker, at + 1) !== -1) throw new Error('writeJsonWith: no single place');
  const lineStart = text.lastIndexOf('\n', at) + 1;
  const indent = /^ */.exec(text.slice(lineStart))![0];
  const out = chunkedWriter(write);
  out.write(text.slice(0, at));
  writeArray(items, toJson, indent, out.write);
  out.write(text.slice(at + marker.length));
  out.flush();
}

/** The value to put where {@link writeJsonWith} writes its array. */
export const PLACE_OF_ARRAY: unknown = PLACE;

/** `displayJson(items.map(toJson))`, written one item at a time. */
export function writeJsonArray<T>(
  items: readonly T[],
  toJson: (item: T) => object,
  write: (text: string) => void,
): void {
  writeJsonWith(PLACE_OF_ARRAY, items, toJson, write);
}

/** The array as displayJson writes it at a line indented by `indent`, from its `[` to its `]`. */
function writeArray<T>(
  items: readonly T[],
  toJson: (item: T) => object,
  indent: string,
  write: (text: string) => void,
): void {
  if (items.length === 0) {
    write('[]');
    return;
  }
  const inner = indent + '  ';
  write('[\n');
  items.forEach((item, i) => {
    // An item's lines break only between tokens (JSON escapes a line break in a string).
    write(inner + displayJson(toJson(item)).replace(/\n/g, '\n' + inner));
    write(i < items.length - 1 ? ',\n' : '\n');
  });
  write(indent + ']');
}
