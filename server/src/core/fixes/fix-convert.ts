// netpol.cluster-v1alpha1: rewrite an AdminNetworkPolicy or BaselineAdminNetworkPolicy as the equivalent
// ClusterNetworkPolicy (spec §3). The object is replaced as a whole (its comments go with it); a document
// with anchors or aliases, or an object inside a List, is left alone, so nothing outside it changes.
import { CODES } from '../codes';
import { isMap, stringify } from 'yaml';
import { convertToClusterNetworkPolicy } from '../cluster/convert';
import type { Analysis } from '../index';
import type { KubeObject } from '../parse';
import type { Problem } from '../types';
import type { Fix, QuickFixProvider } from './fix';

function objectOf(analysis: Analysis, problem: Problem): KubeObject | undefined {
  const file = analysis.files.find((f) => f.uri === problem.uri);
  return file?.objects.find(
    (o) =>
      o.range.start.offset <= problem.range.start.offset && problem.range.end.offset <= o.range.end.offset,
  );
}

function usesAnchors(obj: KubeObject): boolean {
  const text = obj.reader.source.text.slice(obj.range.start.offset, obj.range.end.offset);
  return /(^|[\s[{,])[&*][^\s,\]}]/.test(text) || /<<\s*:/.test(text);
}

/** The converted object's text, indented like the original (a top-level document starts at column 0). */
export function convertedText(obj: KubeObject): string | undefined {
  if (obj.itemIndex !== undefined || obj.range.start.character !== 0 || usesAnchors(obj)) return undefined;
  if (obj.reader.document.errors.length > 0) return undefined;
  const conversion = convertToClusterNetworkPolicy(obj.node.toJS(obj.reader.document, { maxAliasCount: 0 }));
  if (!conversion.ok) return undefined;
  const eol = obj.reader.source.text.includes('\r\n') ? '\r\n' : '\n';
  // The object's range may end with the line break before the next `---`: keep what it ends with.
  const original = obj.reader.source.text.slice(obj.range.start.offset, obj.range.end.offset);
  const trailing = /\s*$/.exec(original)?.[0] ?? '';
  return (
    stringify(conversion.value, { lineWidth: 0, version: '1.1' }).replace(/\n$/, '').replace(/\n/g, eol) +
    trailing
  );
}

/**
 * A BaselineAdminNetworkPolicy not named `default`: the API server rejects it, so it decides nothing, and
 * as a Baseline ClusterNetworkPolicy (any name) it would start to: converting it would change verdicts.
 */
function rejectedBaseline(obj: KubeObject): boolean {
  if (obj.kind !== 'BaselineAdminNetworkPolicy') return false;
  const metadata = obj.node.get('metadata');
  const name = isMap(metadata) ? metadata.get('name') : undefined;
  return name !== 'default';
}

export const CONVERT_FIXES: QuickFixProvider = {
  codes: [CODES.clusterV1alpha1],
  fixes(analysis, problem): Fix[] {
    const obj = objectOf(analysis, problem);
    // A value the reader had to reinterpret (YAML 1.1 reads `y` as a boolean) would be written back
    // differently, so an object with type problems is not converted.
    const retyped = analysis.problems.some(
      (p) =>
        p.code === CODES.type &&
        p.uri === problem.uri &&
        obj !== undefined &&
        obj.range.start.offset <= p.range.start.offset &&
        p.range.end.offset <= obj.range.end.offset,
    );
    const text = obj && !retyped && !rejectedBaseline(obj) ? convertedText(obj) : undefined;
    if (!obj || text === undefined) return [];
    return [
      {
        title: `Convert ${obj.kind} to ClusterNetworkPolicy (v1alpha2)`,
        edits: [{ uri: problem.uri, range: obj.range, newText: text }],
      },
    ];
  },
};
