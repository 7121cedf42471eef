// Source text with a line index, turning `yaml` offsets into LSP-style positions.
import { LineCounter } from 'yaml';
import type { Position, Range } from './types';

export class SourceText {
  readonly lineCounter = new LineCounter();

  constructor(
    readonly uri: string,
    readonly text: string,
  ) {}

  position(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    const { line, col } = this.lineCounter.linePos(clamped);
    // LineCounter is 1-based; before the first newline is registered it reports line 0.
    return { line: Math.max(0, line - 1), character: Math.max(0, col - 1), offset: clamped };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(Math.max(start, end)) };
  }
}

/** 1-based `line:column` for messages meant for people. */
export function formatPosition(range: Range): string {
  return `${range.start.line + 1}:${range.start.character + 1}`;
}
