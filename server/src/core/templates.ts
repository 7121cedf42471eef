// Helm/Go templates (`{{ … }}`) in manifests. A template expression can expand to any text, so a document
// holding one is not what will be applied. Leaving such a document out of the analysis is only safe when
// nothing it could be changes a verdict: a templated Deployment adds no pods, but a templated
// NetworkPolicy may isolate pods or allow traffic, and a templated Namespace may carry the labels that
// namespaceSelectors match. So, for the kinds that decide verdicts, a template document is either
// analysed (when it parses and its expressions sit only in values no verdict reads) or unreadable: what it
// could change is unknown (unreadable.ts, doubts.ts). Other kinds stay unanalysed, as before.
import { isMap, isScalar, type Node } from 'yaml';
import { isClusterKind } from './cluster/types';
import type { KubeObject, ReadingError } from './parse';

const TEMPLATE_EXPRESSION = /\{\{[\s\S]*?\}\}/g;

export interface Span {
  start: number;
  end: number;
}

/** The `{{ … }}` expressions of a document, as offsets into the file. */
export function templateSpans(docText: string, docStart: number): Span[] {
  return [...docText.matchAll(TEMPLATE_EXPRESSION)].map((m) => ({
    start: docStart + m.index,
    end: docStart + m.index + m[0].length,
  }));
}

/** A kind whose objects decide verdicts; undefined: the kind cannot be read, so it may be a policy. */
export function decidesVerdicts(kind: string | undefined): boolean {
  return kind === undefined || kind === 'NetworkPolicy' || kind === 'Namespace' || isClusterKind(kind);
}

/**
 * The `metadata` entries whose values no verdict reads, by kind. A NetworkPolicy's name only names it; a
 * cluster policy's name orders policies of one priority, and a Namespace's name and labels are what
 * namespaceSelectors match, so only their annotations (and the policies' labels) are free.
 */
function harmlessMetadata(kind: string): readonly string[] {
  if (kind === 'NetworkPolicy') return ['name', 'labels', 'annotations'];
  if (isClusterKind(kind)) return ['labels', 'annotations'];
  return ['annotations'];
}

/** Where the values of the kind's harmless metadata entries are written (offsets into the file). */
function harmlessRanges(obj: KubeObject): Span[] {
  const r = obj.reader;
  const metadata = r.get(obj.node, 'metadata');
  if (!isMap(metadata)) return [];
  return harmlessMetadata(obj.kind).flatMap((key) => {
    const value: Node | undefined = r.get(metadata, key);
    return value?.range ? [{ start: value.range[0], end: value.range[1] }] : [];
  });
}

/** Helm installs an object without a namespace into the release's namespace, which the chart does not name. */
function writesNamespace(obj: KubeObject): boolean {
  const r = obj.reader;
  const metadata = r.get(obj.node, 'metadata');
  const namespace = isMap(metadata) ? r.get(metadata, 'namespace') : undefined;
  return isScalar(namespace) && typeof namespace.value === 'string';
}

/** The error that makes a templated object (or document) unreadable. */
export function templateError(span: Span): ReadingError {
  return {
    start: span.start,
    end: span.end,
    message: 'a Helm/Go template expression ({{ … }}) decides what is written here',
    // What an expression expands to may add or change any text after it, as a syntax error may.
    syntax: true,
  };
}

/**
 * For each object of a template document that parsed: the first expression inside it outside the values
 * no verdict reads (the object is then unreadable), or none (it is analysed as written). Objects of kinds
 * that do not decide verdicts are left alone. True when some object is analysed.
 */
export function judgeTemplatedObjects(objects: readonly KubeObject[], spans: readonly Span[]): boolean {
  let analysed = false;
  for (const obj of objects) {
    if (!decidesVerdicts(obj.kind)) continue;
    const inside = spans.filter((s) => obj.range.start.offset <= s.start && s.end <= obj.range.end.offset);
    const free = harmlessRanges(obj);
    const harmful = inside.find((s) => !free.some((f) => f.start <= s.start && s.end <= f.end));
    if (harmful) obj.unreadable ??= { ...templateError(harmful), hidesNamespace: !writesNamespace(obj) };
    else analysed = true;
  }
  return analysed;
}

const KIND_LINES = /^[ \t]*(?:-[ \t]+)?["']?kind["']?[ \t]*:[ \t]*(.*)$/gm;

/**
 * For a template document the parser cannot read: whether it may hold an object that decides verdicts,
 * and its kind when the text names one. Every `kind:` line counts (a List's items name theirs); a kind
 * the text does not spell out (`kind: {{ .Values.kind }}`) may be any.
 */
export function templatedDocumentKind(docText: string): { decides: boolean; kind?: string } {
  let decides = false;
  let kind: string | undefined;
  for (const [, value] of docText.matchAll(KIND_LINES)) {
    const written = /^["']?([A-Za-z]+)["']?[ \t]*(?:#.*)?$/.exec(value.trim())?.[1];
    if (written === undefined) return { decides: true };
    if (decidesVerdicts(written)) {
      decides = true;
      kind ??= written;
    }
  }
  return { decides, kind };
}
