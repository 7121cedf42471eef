// Text from manifests, made safe to show. Names, labels and values are the author's: a control character
// in them (ESC, BEL, CR, LF, C1) would forge lines in a connectivity list that CI diffs or send escape
// sequences to a terminal, a bidi override would make a name read differently from what it is, and a
// 5 MB value would be echoed whole into every message that quotes it. Every output goes through here.

/** C0 and C1 controls, DEL, and the Unicode characters that reorder or break lines (bidi, U+2028/9). */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * How much of one value (a quoted string, or a very long run without spaces) a message shows: a little
 * more than the longest name Kubernetes allows (253), so that a name just too long is quoted whole, as
 * the API server quotes it.
 */
export const VALUE_LIMIT = 256;
/** How long one message or line may get at most, whatever it quotes. */
export const LINE_LIMIT = 10_000;

const ELLIPSIS = '…';
const LONG_QUOTED = new RegExp(`"([^"]{${VALUE_LIMIT + 1},})"`, 'g');
/**
 * A run without spaces is cut only beyond this: longer than any valid id (`namespace/name[Kind]`, a
 * 63-character namespace and a 253-character name) and than a capped quoted value with its quotes.
 */
const RUN_LIMIT = 400;
// Anchored at the start of a run: without the lookbehind the regex engine tried again from every character
// of every shorter run (quadratic in the run lengths), at the same matches.
const LONG_RUN = new RegExp(`(?<!\\S)\\S{${RUN_LIMIT + 1},}`, 'g');

/** Control characters as escapes (`\n`, `\u001b`, `\u202e`), everything else as it is. */
export function escapeControls(text: string): string {
  return text.replace(
    UNSAFE,
    (c) => SHORT_ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** A value cut to `limit` characters with an ellipsis. */
export function capValue(value: string, limit = VALUE_LIMIT): string {
  return value.length <= limit ? value : value.slice(0, limit) + ELLIPSIS;
}

/** Long quoted strings and very long runs without spaces are cut to VALUE_LIMIT; the whole to LINE_LIMIT. */
function capValues(text: string): string {
  if (text.length <= VALUE_LIMIT) return text;
  const capped = text
    .replace(LONG_QUOTED, (_, inner: string) => `"${capValue(inner)}"`)
    .replace(LONG_RUN, (run) => capValue(run));
  return capValue(capped, LINE_LIMIT);
}

/**
 * One line for people (a message, a name, a line of an explanation): control characters escaped and
 * long values cut. Idempotent, so text that passed through it once may pass again.
 */
export function displayText(text: string): string {
  return capValues(escapeControls(text));
}

/** What JSON.stringify leaves as it is: C1 controls and the characters that reorder or break lines. */
const UNSAFE_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON for a terminal or a log: as JSON.stringify writes it (C0 controls escaped), with C1 controls and
 * bidi characters escaped too (`\u202e`), which reads back as the same value.
 */
export function displayJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, null, indent).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Lines joined by line breaks, each made safe: a line break inside a line is escaped, never kept. */
export function displayLines(lines: readonly string[]): string {
  return lines.map(displayText).join('\n');
}

/**
 * A whole number with commas between thousands ("3,900"), as `toLocaleString('en-US')` writes it; that
 * first call loads the ICU locale data, about 40 ms on the language server's way to its first diagnostics.
 */
export function thousands(n: number): string {
  const [whole, fraction] = String(n).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}
