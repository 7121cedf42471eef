// Source text with a line index, turning `yaml` offsets into LSP-style positions.
import type { Position, Range } from './types';

export class SourceText {
  /**
   * Offsets where lines start, built on first use from the text itself. (yaml's LineCounter is not
   * used: it misses the newlines inside some error tokens, which put every later position on the wrong line.)
   */
  private starts: Uint32Array | undefined;

  constructor(
    readonly uri: string,
    readonly text: string,
  ) {}

  /** Lines split at \n, as the YAML parser sees them (a \r before it stays at the end of its line). */
  private lineStarts(): Uint32Array {
    if (this.starts) return this.starts;
    // Counted first, then written at their exact length: 4 bytes a line (a growing array kept 8 to 12).
    const text = this.text;
    let lines = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const starts = new Uint32Array(lines);
    let line = 1;
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
    this.starts = starts;
    return starts;
  }

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const starts = this.lineStarts();
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= clamped) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: clamped - starts[lo], offset: clamped };
  }

  /** The range between two offsets (clamped to the text; an end before the start is the start). */
  range(start: number, end: number): Range {
    const from = this.clamp(start);
    return new TextRange(this, from, Math.max(from, this.clamp(end)));
  }

  private clamp(offset: number): number {
    return Math.max(0, Math.min(offset, this.text.length));
  }
}

/**
 * A range of a file's text kept as its two offsets, with lines and characters worked out from the file's
 * line index when asked: the model of a large file holds some ranges per 40 bytes of text, and a range
 * of two position objects was 136 bytes (a quarter of what the model kept), this is 48. It reads as any
 * {@link Range} (`start` and `end` are new plain positions on each read) and serializes as one
 * (`toJSON`). A structured clone (postMessage) keeps no class: what crosses threads is made plain first
 * ({@link plainRange}; problems are, in sortProblems). Its own fields are the offsets, so two ranges
 * compare equal (assert.deepStrictEqual) when their offsets do.
 */
export class TextRange implements Range {
  readonly #source: SourceText;

  constructor(
    source: SourceText,
    readonly startOffset: number,
    readonly endOffset: number,
  ) {
    this.#source = source;
  }

  get start(): Position {
    return this.#source.position(this.startOffset);
  }

  get end(): Position {
    return this.#source.position(this.endOffset);
  }

  toJSON(): Range {
    return plainRange(this);
  }
}

/**
 * Where a range starts, as an offset: a {@link TextRange} has it as a field, where reading `start` would
 * work out a line and a character (rules look up the node or object behind thousands of model ranges).
 */
export function startOffsetOf(range: Range): number {
  return range instanceof TextRange ? range.startOffset : range.start.offset;
}

/** Where a range ends, as an offset (see {@link startOffsetOf}). */
export function endOffsetOf(range: Range): number {
  return range instanceof TextRange ? range.endOffset : range.end.offset;
}

/** The range as plain data: two plain positions. */
export function plainRange(range: Range): Range {
  return { start: { ...range.start }, end: { ...range.end } };
}

/** 1-based `line:column` for messages meant for people. */
export function formatPosition(range: Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}`;
}

/** A `.json` file: JSON text, which the YAML reader reads too, but which edits must keep JSON. */
export function isJsonUri(uri: string): boolean {
  return uri.toLowerCase().endsWith('.json');
}
