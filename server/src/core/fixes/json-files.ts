// A `.json` manifest must stay JSON: kubectl reads a file that starts with `{` or `[` with its JSON
// decoder, so YAML text that a fix writes into it (a block mapping, an appended `---` document) would
// make the file unreadable for kubectl although our YAML reader still accepts it. Fixes write JSON into
// JSON files where they can (fix-yaml.ts); any fix whose result is not JSON any more is not offered.
import type { Analysis } from '../index';
import type { TextEdit } from './fix';
import { isJsonUri } from '../text';

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function applied(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.range.start.offset - a.range.start.offset)
    .reduce((t, e) => t.slice(0, e.range.start.offset) + e.newText + t.slice(e.range.end.offset), text);
}

/** True when the edits turn a file that is JSON now into one that is not. */
export function breaksJson(analysis: Analysis, edits: readonly TextEdit[]): boolean {
  const uris = new Set(edits.filter((e) => isJsonUri(e.uri)).map((e) => e.uri));
  for (const uri of uris) {
    const text = analysis.files.find((f) => f.uri === uri)?.source.text;
    if (text === undefined || !isJson(text)) continue;
    if (
      !isJson(
        applied(
          text,
          edits.filter((e) => e.uri === uri),
        ),
      )
    )
      return true;
  }
  return false;
}
