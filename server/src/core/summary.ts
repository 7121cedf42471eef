// What was read: objects by kind and documents skipped by reason, for the CLI's `-v` summary line.
import { isMap, isScalar } from 'yaml';
import type { ParsedFile } from './parse';

export interface ReadingSummary {
  files: number;
  documents: number;
  /** Objects read (documents, or items of a list), by kind. */
  kinds: Record<string, number>;
  /** Documents that gave no object, by reason. */
  skipped: Record<string, number>;
}

function skipReason(file: ParsedFile, parsed: ParsedFile['documents'][number]): string | undefined {
  if (file.objects.some((o) => o.documentIndex === parsed.index)) return undefined;
  if (parsed.template) return 'template';
  const contents = parsed.document.contents;
  if (contents === null || (isScalar(contents) && contents.value === null)) return 'empty';
  if (!isMap(contents)) return 'not a mapping';
  return contents.has('items') || contents.has('kind') ? 'unreadable object' : 'not a Kubernetes object';
}

export function readingSummary(files: readonly ParsedFile[]): ReadingSummary {
  const summary: ReadingSummary = { files: files.length, documents: 0, kinds: {}, skipped: {} };
  for (const file of files) {
    summary.documents += file.documents.length + file.skipped.length;
    // Documents the pre-filter did not parse are objects of kinds no analysis reads: counted by kind.
    for (const { kind } of [...file.objects, ...file.skipped])
      summary.kinds[kind] = (summary.kinds[kind] ?? 0) + 1;
    for (const parsed of file.documents) {
      const reason = skipReason(file, parsed);
      if (reason) summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
    }
  }
  return summary;
}

function counts(record: Record<string, number>): string {
  return Object.keys(record)
    .sort()
    .map((key) => `${record[key]} ${key}`)
    .join(', ');
}

/** `read 7 documents in 3 files: 9 objects (2 NetworkPolicy, 7 Pod); skipped 1 document: 1 template` */
export function formatReadingSummary(summary: ReadingSummary, skippedFiles = 0): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const skipped = Object.values(summary.skipped).reduce((a, b) => a + b, 0);
  const objects = Object.values(summary.kinds).reduce((a, b) => a + b, 0);
  return (
    `read ${plural(summary.documents, 'document')} in ${plural(summary.files, 'file')}: ` +
    plural(objects, 'object') +
    (objects ? ` (${counts(summary.kinds)})` : '') +
    `; skipped ${plural(skipped, 'document')}` +
    (skipped ? `: ${counts(summary.skipped)}` : '') +
    (skippedFiles ? `; ${plural(skippedFiles, 'path')} could not be read` : '')
  );
}
