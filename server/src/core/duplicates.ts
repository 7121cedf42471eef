// Objects defined more than once: one kind, namespace and name (and every BaselineAdminNetworkPolicy,
// the cluster's singleton, is one object whatever its name). The cluster keeps whichever copy is applied
// last, and which one that is depends on how the files are applied (one folder, several, kustomize, a
// GitOps tool), not on the order the analysis reads them in. So every copy is reported, naming the others,
// and where copies that decide verdicts differ, what they could change is unknown (see doubts.ts): no
// answer is a confident ALLOWED or DENIED that a different order of applying would turn around.
import type { ClusterPolicyModel } from './cluster/types';
import { CODES } from './codes';
import { commonFolder, pathUnder } from './paths';
import { formatPosition } from './text';
import type {
  NamespaceModel,
  Range,
  PolicyModel,
  PolicySelection,
  Problem,
  ServiceModel,
  SourceRef,
  UnreadableObject,
  WorkloadModel,
} from './types';

export type DefinedElement = PolicyModel | ClusterPolicyModel | NamespaceModel | WorkloadModel | ServiceModel;

/**
 * What copies that differ mean for the analysis:
 * - `unknown`: a policy; no copy is analysed, and every answer one could change is unknown;
 * - `labels-unknown`: a Namespace; the last copy stays (its pods are in it), its labels are unknown;
 * - `peer-unknown`: a workload; the last copy stays as the peer, and every connection it is an end of is
 *   unknown (its labels decide which policies select it and which peers' rules match it);
 * - `left-out`: a Service (it decides no verdict); no copy is used.
 */
export type ConflictRule = 'unknown' | 'labels-unknown' | 'peer-unknown' | 'left-out';

/**
 * One named object as `kubectl apply` identifies it. Every object of a file has one, kept with the file's
 * part of the model: its fields are what the object has anyway, and what only a duplicate's report
 * needs (its label, its place, its meaning) is worked out when asked.
 */
export class Definition {
  constructor(
    readonly identity: string,
    private readonly kind: string,
    private readonly name: string,
    /** The namespace it is named in (undefined: a cluster-scoped object). */
    private readonly namespace: string | undefined,
    private readonly uri: string,
    private readonly range: Range,
    readonly element: DefinedElement,
    readonly conflict: ConflictRule,
    /** False for a copy the API server rejects anyway (a BaselineAdminNetworkPolicy not named `default`). */
    readonly competes: boolean,
    /**
     * Equal for copies that mean the same; absent where copies are not compared. Asked only of objects
     * defined more than once (most are not).
     */
    private readonly meaningOf: ((element: DefinedElement) => string) | undefined,
  ) {}

  /** What the warning calls it, e.g. `NetworkPolicy shop/db`. */
  get label(): string {
    return `${this.kind} ${this.namespace === undefined ? this.name : `${this.namespace}/${this.name}`}`;
  }

  get at(): SourceRef {
    return { uri: this.uri, range: this.range };
  }

  /** Whether copies are compared by meaning. */
  get compared(): boolean {
    return this.meaningOf !== undefined;
  }

  meaning(): string | undefined {
    return this.meaningOf?.(this.element);
  }

  /** What an unknown answer names. A Namespace is its own namespace, for the doubts about its labels. */
  get object(): { kind: string; name: string; namespace?: string } {
    const namespace = this.kind === 'Namespace' ? this.name : this.namespace;
    return { kind: this.kind, name: this.name, namespace };
  }
}

export interface DuplicateResolution {
  /** Copies left out of the analysis. */
  superseded: Set<DefinedElement>;
  /** For copies that differ: the object whose answers are unknown (see doubts.ts). */
  conflicts: UnreadableObject[];
}

/**
 * Groups the definitions (each file's, in file order) by identity, reports every group of two or more,
 * resolves it.
 */
export function resolveDuplicates(
  definitionsByFile: readonly (readonly Definition[])[],
  problems: Problem[],
): DuplicateResolution {
  const groups = new Map<string, Definition[]>();
  for (const definitions of definitionsByFile) {
    for (const d of definitions) {
      const group = groups.get(d.identity);
      if (group) group.push(d);
      else groups.set(d.identity, [d]);
    }
  }
  const resolution: DuplicateResolution = { superseded: new Set(), conflicts: [] };
  const repeated = [...groups.values()].filter((group) => group.length > 1);
  if (repeated.length === 0) return resolution;
  const folder = commonFolder(definitionsByFile.flatMap((definitions) => definitions.map((d) => d.at.uri)));
  for (const group of repeated) resolveGroup(group, folder, problems, resolution);
  return resolution;
}

function resolveGroup(
  group: readonly Definition[],
  folder: string,
  problems: Problem[],
  resolution: DuplicateResolution,
): void {
  const competing = group.filter((d) => d.competes);
  const last = competing.at(-1);
  const lastMeaning = last?.meaning();
  const differ = last !== undefined && competing.some((d) => d.meaning() !== lastMeaning);
  const noneUsed = last?.conflict === 'unknown' || last?.conflict === 'left-out';
  for (const d of competing) {
    if (d === last ? differ && noneUsed : true) resolution.superseded.add(d.element);
  }
  if (differ && last.conflict !== 'left-out') resolution.conflicts.push(conflictOf(last, competing, folder));
  for (const d of group) {
    const others = group.filter((o) => o !== d).map((o) => where(o.at, folder));
    problems.push({
      code: d.identity.startsWith('NetworkPolicy\u0000') ? CODES.duplicatePolicy : CODES.duplicateObject,
      severity: differ && d.competes ? 'error' : 'warning',
      message: `${d.label} ${d.identity.includes('\u0000') ? 'is also defined' : `is not the only one: another is defined`} at ${others.join(', ')}; ${consequence(d, last, differ, competing.length)}`,
      uri: d.at.uri,
      range: d.at.range,
      data: { other: group.find((o) => o !== d)!.at.uri, kind: 'name' },
    });
  }
}

function consequence(
  d: Definition,
  last: Definition | undefined,
  differ: boolean,
  competing: number,
): string {
  if (!d.competes) {
    return 'only one BaselineAdminNetworkPolicy can exist, named "default", and the API server rejects this one, so it is not analysed.';
  }
  if (differ && d.conflict === 'unknown') {
    return 'the copies differ and the cluster keeps whichever is applied last, so no copy is analysed and every answer they could change is reported as unknown.';
  }
  if (differ && d.conflict === 'peer-unknown') {
    return 'the copies differ and the cluster keeps whichever is applied last, so every connection of this workload is reported as unknown.';
  }
  if (differ && d.conflict === 'left-out') {
    return 'the copies differ and the cluster keeps whichever is applied last, so neither copy is used.';
  }
  if (differ) {
    return 'the copies differ and the cluster keeps whichever is applied last, so its labels are unknown and connections that policies decide by them are reported as unknown.';
  }
  if (d !== last) return 'kubectl apply keeps only the last definition, so this one is not analysed.';
  if (competing === 1) return 'the API server rejects the others, so this one is analysed.';
  return !d.compared
    ? 'kubectl apply keeps only the last definition, and this one is analysed.'
    : 'the copies mean the same, so whichever the cluster keeps, this one is analysed.';
}

/**
 * What the copies of a NetworkPolicy select: only those pods' sides, in the directions a copy affects,
 * depend on which copy the cluster keeps. Undefined for other kinds (they may change anything they could).
 */
function selectionsOf(copies: readonly Definition[]): PolicySelection[] | undefined {
  if (!copies.every((c) => c.identity.startsWith('NetworkPolicy\u0000'))) return undefined;
  return copies.map((c) => {
    const policy = c.element as PolicyModel;
    return { podSelector: policy.podSelector, ...policy.affects };
  });
}

/** The object whose answers are unknown because its copies differ. */
function conflictOf(last: Definition, copies: readonly Definition[], folder: string): UnreadableObject {
  const selects = selectionsOf(copies);
  const peer = last.conflict === 'peer-unknown' ? (last.element as WorkloadModel).id : undefined;
  return {
    ...last.object,
    ...(selects ? { selects } : {}),
    ...(peer ? { peer } : {}),
    uri: last.at.uri,
    range: last.at.range,
    reason: `defined ${copies.length} times, differently (${copies.map((c) => where(c.at, folder)).join(', ')}), and the cluster keeps whichever copy is applied last`,
    reasonRange: last.at.range,
    ambiguous: true,
  };
}

function where(at: SourceRef, folder: string): string {
  return `${pathUnder(folder, at.uri)}:${formatPosition(at.range)}`;
}
