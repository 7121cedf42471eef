// A fix must not change the meaning of text outside what it fixes, and YAML anchors make text mean
// something in more than one place: an edit inside (or of) a node whose anchor an alias uses elsewhere
// changes every use, and deleting the node leaves the aliases dangling. Such fixes are not offered.
import type { Analysis } from '../index';
import { documentAliases } from '../aliases';
import type { TextEdit } from './fix';

/** True when an edit touches a node that aliases elsewhere in the document refer to. */
export function touchesSharedNode(analysis: Analysis, edits: readonly TextEdit[]): boolean {
  return edits.some((edit) => {
    const file = analysis.files.find((f) => f.uri === edit.uri);
    if (!file || !file.source.text.includes('*')) return false; // no alias, nothing shared
    const start = edit.range.start.offset;
    const end = edit.range.end.offset;
    return file.documents.some(({ document }) => {
      const [docStart, , docEnd] = document.range;
      if (end < docStart || start > docEnd) return false;
      for (const target of documentAliases(document).targets.values()) {
        const r = target?.range;
        if (!r) continue;
        // Insertions count at either edge of the node (appending to an anchored list changes every use).
        const touches = start === end ? r[0] <= start && start <= r[1] : start < r[1] && r[0] < end;
        if (touches) return true;
      }
      return false;
    });
  });
}
