// Bounds on the `--stdio` framing that the library's reader does not have: it buffers header bytes
// until it sees `\r\n\r\n` and a body until it has Content-Length bytes, without limit, so garbage
// without a header terminator (or `Content-Length: 99999999999`) grows the heap until the process
// dies, and the end of the input inside a message ends the server without a word. The guard sits
// between stdin and the library's reader, follows the same framing (header, blank line, body of
// Content-Length bytes) and reports what the reader never would.
import { Transform, type TransformCallback } from 'node:stream';

/** A header longer than this without its blank line is not LSP. */
export const MAX_HEADER_BYTES = 8 * 1024;
/**
 * The largest body accepted. A document can be 50 MB on disk (the default file size limit), twice
 * that once JSON escapes its quotes and backslashes; V8 cannot hold a string much above 512 MB.
 */
export const MAX_BODY_BYTES = 256 * 1024 * 1024;

const HEADER_END = '\r\n\r\n';

/** Passes stdin through unchanged; calls `fail` once with the reason when the framing breaks a bound. */
export class StdioFramingGuard extends Transform {
  /** Header bytes seen since the last body ended (latin1: one char per byte). */
  private header = '';
  private bodyRemaining = 0;
  private failed = false;

  constructor(private readonly fail: (reason: string) => void) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failed) return done();
    const problem = this.inspect(chunk);
    if (problem) {
      this.failed = true;
      this.fail(problem);
      return done();
    }
    done(null, chunk);
  }

  override _flush(done: TransformCallback): void {
    if (!this.failed && (this.bodyRemaining > 0 || this.header.trim() !== '')) {
      const where =
        this.bodyRemaining > 0
          ? `with ${this.bodyRemaining} bytes of a message body missing`
          : 'inside a message header';
      this.failed = true;
      this.fail(`the input ended ${where}`);
    }
    done();
  }

  /** Follows the framing through one chunk; the reason when a bound is broken. */
  private inspect(chunk: Buffer): string | undefined {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyRemaining > 0) {
        const taken = Math.min(this.bodyRemaining, chunk.length - offset);
        this.bodyRemaining -= taken;
        offset += taken;
        continue;
      }
      const before = this.header.length;
      // Only as much as a header may hold (plus its blank line), so garbage never grows this string.
      const end = Math.min(chunk.length, offset + MAX_HEADER_BYTES + HEADER_END.length - before);
      this.header += chunk.toString('latin1', offset, end);
      const blank = this.header.indexOf(HEADER_END);
      if (blank < 0) {
        if (this.header.length > MAX_HEADER_BYTES)
          return `a message header longer than ${MAX_HEADER_BYTES} bytes without its blank line`;
        offset = end;
        continue;
      }
      if (blank > MAX_HEADER_BYTES) return `a message header longer than ${MAX_HEADER_BYTES} bytes`;
      const length = contentLength(this.header.slice(0, blank));
      if (length !== undefined && length > MAX_BODY_BYTES)
        return `Content-Length ${length} is above the limit of ${MAX_BODY_BYTES} bytes`;
      offset += blank + HEADER_END.length - before;
      this.header = '';
      // Without a readable length the library's reader reports the header itself.
      this.bodyRemaining = length ?? 0;
    }
    return undefined;
  }
}

function contentLength(header: string): number | undefined {
  const match = /^content-length:[ \t]*(\d+)[ \t]*$/im.exec(header);
  return match ? Number(match[1]) : undefined;
}
