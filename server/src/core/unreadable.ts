// Objects that cannot be read as written, and what that means for the analysis.
//
// Reading a policy with a broken part as if the part were absent widens it: a peer list behind an
// unresolved alias reads as "from everywhere", a podSelector of the wrong type as "all pods". So an object
// with a YAML error inside it, or a value the reader had to leave out, is not analysed from what is left:
// it becomes an UnreadableObject, is reported where it breaks, and every answer it could change is
// "unknown" (see Reachability.doubts).
import { CODES } from './codes';
import { isMap } from 'yaml';
import { isClusterKind } from './cluster/types';
import type { KubeObject, ParsedFile, ReadingError } from './parse';
import type { Problem, Range, UnreadableObject } from './types';

/** The first thing in the object that cannot be read: a YAML error, or a value extraction left out. */
export function readingFailure(obj: KubeObject): ReadingError | undefined {
  // The first in the text, whatever order extraction read them in (egress may be read before ingress).
  const loss = obj.reader.losses.reduce<(typeof obj.reader.losses)[number] | undefined>(
    (first, l) => (first === undefined || l.start < first.start ? l : first),
    undefined,
  );
  const lost = loss && { start: loss.start, end: loss.end, message: loss.why, syntax: false };
  const parsed = obj.unreadable;
  if (!parsed) return lost;
  if (!lost) return parsed;
  return lost.start < parsed.start ? lost : parsed;
}

/**
 * Whether the namespace as read (metadata.namespace, or the default when it is absent) can be trusted:
 * neither `metadata` itself nor its `namespace` is broken, and no syntax error comes before them (a syntax
 * error may garble what follows it, a `namespace:` key included).
 */
function namespaceTrusted(obj: KubeObject): boolean {
  const r = obj.reader;
  const metadataNode = r.get(obj.node, 'metadata');
  const metadata = r.pairRange(obj.node, 'metadata');
  const namespace = r.pairRange(isMap(metadataNode) ? metadataNode : undefined, 'namespace');
  // Where a failure would hide the namespace: the `namespace` entry, or the whole metadata if it has none.
  const start = namespace?.start.offset ?? metadata?.start.offset ?? 0;
  const end = namespace?.end.offset ?? metadata?.start.offset ?? 0;
  const inside = (at: number) => at >= start && at <= end;
  const value = metadataNode?.range?.[0];
  if (obj.unreadable?.hidesNamespace) return false;
  const failures = [...r.losses, ...(obj.unreadable ? [obj.unreadable] : [])];
  // A syntax error before the namespace (or anywhere, without metadata) may have garbled it.
  const written = (namespace ?? metadata)?.end.offset;
  if (obj.unreadable?.syntax && (written === undefined || obj.unreadable.start <= written)) return false;
  return !failures.some((f) => inside(f.start) || f.start === value);
}

export function unreadableObject(
  obj: KubeObject,
  failure: ReadingError,
  read: { name?: string; namespace?: string },
): UnreadableObject {
  const source = obj.reader.source;
  // A Namespace's own name is what matters (its labels are what is broken, unless even the name is).
  const trusted = obj.kind === 'Namespace' ? read.name !== undefined : namespaceTrusted(obj);
  return {
    kind: obj.kind,
    name: read.name,
    namespace: trusted ? read.namespace : undefined,
    uri: source.uri,
    range: obj.range,
    reason: failure.message,
    reasonRange: source.range(failure.start, failure.end),
  };
}

/** Documents that look like Kubernetes objects but yield none: what they are is unknown too. */
export function unreadableDocuments(file: ParsedFile): UnreadableObject[] {
  return file.unreadable.map((d) => ({
    kind: d.kind,
    uri: file.uri,
    range: d.range,
    reason: d.error.message,
    reasonRange: file.source.range(d.error.start, d.error.end),
  }));
}

/** "NetworkPolicy shop/web" as far as it can be read. */
export function describeUnreadable(u: UnreadableObject): string {
  // A Namespace and the cluster policies are cluster-scoped: a name alone ("Namespace shop").
  const scoped = u.namespace !== undefined && u.kind !== 'Namespace' && !isClusterKind(u.kind);
  const name = u.name === undefined ? '' : scoped ? ` ${u.namespace}/${u.name}` : ` ${u.name}`;
  return `${u.kind ?? 'An object of unknown kind'}${name}`;
}

/** True when the object may change what NetworkPolicies allow (a policy, or something that could be one). */
export function actsAsPolicy(u: UnreadableObject): boolean {
  return u.kind === undefined || u.kind === 'NetworkPolicy';
}

/**
 * True for a cluster-scoped policy (AdminNetworkPolicy, BaselineAdminNetworkPolicy, ClusterNetworkPolicy):
 * its subject may be any pod, and an Admin rule can deny what every NetworkPolicy allows or allow what they
 * deny, so no side of any connection is certain while one cannot be read.
 */
export function actsClusterWide(u: UnreadableObject): boolean {
  return isClusterKind(u.kind);
}

function consequence(u: UnreadableObject): string {
  if (actsClusterWide(u)) {
    return 'what it decides is unknown, and it may decide any connection, so every connection between pods, and from pods to addresses, is reported as unknown, never as allowed or denied';
  }
  if (actsAsPolicy(u)) {
    const pods =
      u.namespace === undefined
        ? 'every pod (its namespace cannot be read either)'
        : `the pods in namespace ${u.namespace}`;
    return `what it allows is unknown, so connections of ${pods} are reported as unknown, never as allowed`;
  }
  if (u.kind === 'Namespace') {
    const what = u.namespace === undefined ? 'its name and labels are' : 'its labels are';
    return `${what} unknown, so connections that policies decide by namespace labels are reported as unknown`;
  }
  return 'it is not analysed: its pods appear in no connection';
}

/** The error at the object itself, saying what its brokenness means for the analysis. */
export function unreadableProblem(u: UnreadableObject, at: Range): Problem {
  const line = u.reasonRange.start.line + 1;
  return {
    code: CODES.unreadable,
    severity: 'error',
    message: `${describeUnreadable(u)} cannot be read (${u.reason}, line ${line}): ${consequence(u)}.`,
    uri: u.uri,
    range: at,
  };
}

/** Where to report an unreadable object: its name when it has one, else its first line. */
export function reportRange(obj: KubeObject): Range {
  const r = obj.reader;
  const name = r.get(r.map(r.get(obj.node, 'metadata'), 'metadata'), 'name');
  if (name?.range) return r.range(name);
  const start = obj.range.start.offset;
  const newline = r.source.text.indexOf('\n', start);
  return r.source.range(start, newline === -1 ? obj.range.end.offset : newline);
}
