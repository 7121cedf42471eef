// A file's YAML documents, parsed one `---` section at a time so that an edit re-parses only its section.
//
// kubectl splits a stream into documents at lines that start with `---` before it parses anything, and so
// do we: each section is parsed on its own (yaml parses about 2 MB/s, so re-parsing a whole file per
// keystroke is most of the editor's latency), and a new version of the file takes over the parsed
// sections of the previous version whose text did not change. Node offsets are always absolute offsets
// into the whole file: a fresh section is shifted by its start, and a taken-over section that moved (the
// edit was above it) is shifted in place by the distance it moved.
import { parseAllDocuments, type Document } from 'yaml';
import { moveOffsets, readingPaths, readSectionFast } from './fast-read';
import { skippableKind } from './prefilter';

const PARSE_OPTIONS = {
  prettyErrors: false,
  uniqueKeys: true,
  strict: false,
  // kubectl reads manifests as YAML 1.1 (merge keys, `yes`/`no` booleans), so we do too.
  version: '1.1',
} as const;

/** A line starting with `---` followed by a space, a tab, a line break or the end of the text. */
const SEPARATOR = /^---(?=[ \t\r\n]|$)/gm;
/** Directives (`%YAML`) belong to the document after them; files with directives are parsed whole. */
const DIRECTIVE = /^%/m;

export interface Section {
  /** Offset of the section in the file. */
  start: number;
  text: string;
  documents: Document.Parsed[];
  /**
   * Set when the section was not parsed because the pre-filter proved that its one document is of a kind
   * no analysis reads (see prefilter.ts); `documents` is then empty.
   */
  skippedKind?: string;
}

/** Where each section starts: at 0 and at every separator line. */
function sectionStarts(text: string): number[] {
  if (DIRECTIVE.test(text)) return [0];
  const starts = [0];
  SEPARATOR.lastIndex = 0;
  for (let match = SEPARATOR.exec(text); match; match = SEPARATOR.exec(text)) {
    if (match.index > 0) starts.push(match.index);
  }
  return starts;
}

export interface SectionReading {
  /** Sections the pre-filter can skip are not parsed. */
  relevantOnly?: boolean;
  /** Every section is parsed by yaml, none read on the fast path (fast-read.ts): for comparisons. */
  fullParse?: boolean;
  /**
   * Keep no section's documents: each section reads its documents again from its text when asked, and
   * only the last few read stay (see {@link RebuiltSection}). For large files that no editor has open.
   */
  rebuild?: boolean;
}

/**
 * The file's sections, parsed, in order. `previous` are the sections of the file's previous version:
 * those whose text is unchanged are taken over (and may be shifted), so they must not be used afterwards.
 * Throws only if the yaml package itself throws.
 */
export function parseSections(
  text: string,
  previous: readonly Section[] = [],
  { relevantOnly = false, fullParse = false, rebuild = false }: SectionReading = {},
): Section[] {
  const reusable = new Map<string, Section[]>();
  for (const section of previous) {
    if (section.skippedKind !== undefined && !relevantOnly) continue; // must be parsed now
    const list = reusable.get(section.text);
    if (list) list.push(section);
    else reusable.set(section.text, [section]);
  }
  const starts = sectionStarts(text);
  return starts.map((start, i) => {
    let sectionText = text.slice(start, starts[i + 1] ?? text.length);
    const reused = reusable.get(sectionText)?.shift();
    if (reused) {
      if (reused.start !== start) for (const d of reused.documents) shiftDocument(d, start - reused.start);
      reused.start = start;
      return reused;
    }
    // A section parsed again, among sections taken over, lives on into later versions: its text (and the
    // strings of its nodes, which are slices of it) must not keep this whole version of the file alive.
    if (previous.length > 0 && sectionText.length < text.length) sectionText = ownCopy(sectionText);
    const skippedKind = relevantOnly ? skippableKind(sectionText) : undefined;
    if (skippedKind !== undefined) return { start, text: sectionText, documents: [], skippedKind };
    if (rebuild) return new RebuiltSection(start, sectionText, fullParse);
    return { start, text: sectionText, documents: readSection(sectionText, start, fullParse) };
  });
}

/** The documents of a section at `start` of its file: on the fast path when it is certain, else by yaml. */
function readSection(text: string, start: number, fullParse: boolean): Document.Parsed[] {
  const fast = fullParse ? undefined : readSectionFast(text, start, PARSE_OPTIONS);
  if (fast) {
    readingPaths.fast++;
    return [fast];
  }
  readingPaths.full++;
  const parsed = parseAllDocuments(text, PARSE_OPTIONS);
  // parseAllDocuments returns an EmptyStream (not an array of documents) for empty input.
  const documents = Array.isArray(parsed) ? (parsed as Document.Parsed[]) : [];
  if (start !== 0) for (const d of documents) shiftDocument(d, start);
  return documents;
}

/**
 * The sections whose documents were read last, in the order read, with the length of their texts: a
 * section keeps its documents while it is in this queue (weakly held: a file dropped takes its sections
 * along). Bounded: a large file holds about 16 bytes of nodes per byte of text (bench/RESULTS.md), so
 * 256 KB of section text is about 4 MB of nodes. That holds the one or two sections a rule or a feature
 * looks at (a policy and the next one, the section of a policy read again for a range), or some hundred
 * typical manifests, and stays small beside the model of a file large enough to be rebuilt. First in,
 * first out: every reader walks sections in file order or one at a time, and a hit costs nothing.
 */
const recentlyRead: { section: WeakRef<RebuiltSection>; length: number }[] = [];
let recentLength = 0;
/** The bound, in characters of section text (tests lower it to read every section again). */
export const rebuiltBudget = { textLength: 256 * 1024 };

/** Reads of rebuilt sections' documents, first reads included (for tests that count them). */
export const sectionRebuilds = { reads: 0 };

/**
 * A section that keeps its text, not its documents: `documents` reads them again when they are not among
 * the last read (the same reading, so the same nodes, ranges and errors, but new objects each time: no
 * one may rely on their identity across reads). Its offset never moves: a file whose sections are
 * rebuilt is parsed afresh when it changes (see parseFile).
 */
export class RebuiltSection implements Section {
  private kept: Document.Parsed[] | undefined;

  constructor(
    readonly start: number,
    readonly text: string,
    private readonly fullParse: boolean,
  ) {}

  get documents(): Document.Parsed[] {
    if (this.kept) return this.kept;
    sectionRebuilds.reads++;
    const documents = readSection(this.text, this.start, this.fullParse);
    this.kept = documents;
    recentlyRead.push({ section: new WeakRef(this), length: this.text.length });
    recentLength += this.text.length;
    while (recentLength > rebuiltBudget.textLength && recentlyRead.length > 1) {
      const oldest = recentlyRead.shift()!;
      recentLength -= oldest.length;
      oldest.section.deref()?.forget();
    }
    return documents;
  }

  /** Drops the documents (they are read again when asked). */
  forget(): void {
    this.kept = undefined;
  }
}

/** Forgets every rebuilt section's documents (for tests that count what is kept). */
export function forgetRebuiltDocuments(): void {
  for (const { section } of recentlyRead.splice(0)) section.deref()?.forget();
  recentLength = 0;
}

/**
 * The same text as a string of its own: a slice shares (and keeps alive) the string it was cut from, and
 * a round trip through JSON is the one standard way to get a flat copy.
 */
function ownCopy(text: string): string {
  return JSON.parse(JSON.stringify(text)) as string;
}

/** Moves every offset of a document (its range, its nodes' ranges, its errors and warnings) by `delta`. */
function shiftDocument(document: Document.Parsed, delta: number): void {
  moveOffsets(document, (offset) => offset + delta);
}
