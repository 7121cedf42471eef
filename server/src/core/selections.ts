// What selector peers select, as classes of pods, shared by every peer that means the same. A workspace
// repeats a few selectors in thousands of rules (`namespaceSelector: {team: payments}`), and such a
// selector matches a share of all namespaces: a list of classes per rule made the work grow as rules
// times classes, that is with the square of a file of many policies. Rules hold these shared selections
// instead, ask them whether a class is in, and each list, set and summary is built once per meaning.
import type { PodClass } from './reachability';
import { meaningKey } from './selector-index';
import type { PeerModel, PolicyModel, WorkloadModel } from './types';

/** Classes visited while building selections and their unions (for tests that bound the work). */
export const selectionWork = { classVisits: 0, workloadsListed: 0 };

/** The classes one selector peer matches: built once per meaning, shared by every peer with it. */
export class ClassSelection {
  private set: Set<number> | undefined;
  private classList: readonly PodClass[] | undefined;
  private members: number | undefined;

  constructor(
    /** Class indices, in the order the peer matches them (namespaces, then classes ascending). */
    readonly indices: readonly number[],
    private readonly all: readonly PodClass[],
  ) {
    selectionWork.classVisits += indices.length;
  }

  has(classIndex: number): boolean {
    this.set ??= new Set(this.indices);
    return this.set.has(classIndex);
  }

  /** The classes themselves. Shared: do not modify. */
  get classes(): readonly PodClass[] {
    this.classList ??= this.indices.map((i) => this.all[i]);
    return this.classList;
  }

  /** How many workloads the classes hold. */
  get workloadCount(): number {
    this.members ??= this.indices.reduce((n, i) => n + this.all[i].members.length, 0);
    return this.members;
  }
}

/**
 * What a peer's selectors mean, with the namespace they apply to when there is no namespaceSelector (the
 * policy's own): two peers with the same key match the same classes.
 */
export function peerKey(policy: PolicyModel, peer: PeerModel): string {
  // A peer belongs to one policy (one namespace) and lives as long as its file's text: keyed once.
  let key = peerKeys.get(peer);
  if (key === undefined) {
    const { podSelector, namespaceSelector } = peer;
    const namespaces = namespaceSelector ? meaningKey(namespaceSelector) : `@${policy.namespace}`;
    key = JSON.stringify([namespaces, podSelector ? meaningKey(podSelector) : null]);
    peerKeys.set(peer, key);
  }
  return key;
}

const peerKeys = new WeakMap<PeerModel, string>();

/** Selections by meaning, and the union of several (a rule's peers) by the meanings it joins. */
export class SelectionCache {
  private readonly byPeer = new Map<PeerModel, ClassSelection>();
  private readonly byKey = new Map<string, ClassSelection>();
  private readonly unions = new Map<string, readonly PodClass[]>();

  constructor(
    private readonly all: readonly PodClass[],
    private readonly match: (policy: PolicyModel, peer: PeerModel) => number[],
  ) {}

  /** The selection of a selector peer (not an ipBlock). */
  of(policy: PolicyModel, peer: PeerModel): ClassSelection {
    let selection = this.byPeer.get(peer);
    if (!selection) {
      const key = peerKey(policy, peer);
      selection = this.byKey.get(key);
      if (!selection) {
        selection = new ClassSelection(this.match(policy, peer), this.all);
        this.byKey.set(key, selection);
      }
      this.byPeer.set(peer, selection);
    }
    return selection;
  }

  /** The distinct selections of the selector peers among `peers`, in the order of their first peer. */
  distinct(policy: PolicyModel, peers: readonly PeerModel[]): ClassSelection[] {
    const found = new Set<ClassSelection>();
    for (const peer of peers) if (!peer.ipBlock) found.add(this.of(policy, peer));
    return [...found];
  }

  /**
   * The classes any of the selections matches, each once, in the order they first match: one selection's
   * own list, or a union kept per combination of selections. Shared: do not modify.
   */
  union(selections: readonly ClassSelection[]): readonly PodClass[] {
    if (selections.length === 0) return NO_CLASSES;
    if (selections.length === 1) return selections[0].classes;
    const key = selections.map((s) => this.idOf(s)).join(',');
    let classes = this.unions.get(key);
    if (!classes) {
      const indices = new Set<number>();
      for (const selection of selections) {
        selectionWork.classVisits += selection.indices.length;
        for (const index of selection.indices) indices.add(index);
      }
      classes = [...indices].map((i) => this.all[i]);
      this.unions.set(key, classes);
    }
    return classes;
  }

  private readonly ids = new Map<ClassSelection, number>();

  private idOf(selection: ClassSelection): number {
    let id = this.ids.get(selection);
    if (id === undefined) this.ids.set(selection, (id = this.ids.size));
    return id;
  }
}

const NO_CLASSES: readonly PodClass[] = [];

/** The first `limit` workloads of the selections' union, in its order (classes as first matched). */
export function firstWorkloads(
  selections: readonly ClassSelection[],
  all: readonly PodClass[],
  limit: number,
): WorkloadModel[] {
  const first: WorkloadModel[] = [];
  selections.forEach((selection, i) => {
    for (const index of selection.indices) {
      if (first.length >= limit) return;
      selectionWork.classVisits++;
      if (selections.slice(0, i).some((s) => s.has(index))) continue;
      for (const member of all[index].members) first.push(member.workload);
    }
  });
  return first.slice(0, limit);
}

/**
 * How many workloads the selections match together, without listing their union: the largest is counted
 * whole, and only the classes of the others are tested against the ones before them (a policy's rules pair
 * a selection of a share of all namespaces with a few of its own namespace).
 */
export function workloadCount(selections: readonly ClassSelection[], all: readonly PodClass[]): number {
  const bySize = [...selections].sort((a, b) => b.indices.length - a.indices.length);
  let count = 0;
  bySize.forEach((selection, i) => {
    if (i === 0) {
      count += selection.workloadCount;
      return;
    }
    const earlier = bySize.slice(0, i);
    selectionWork.classVisits += selection.indices.length;
    for (const index of selection.indices) {
      if (!earlier.some((s) => s.has(index))) count += all[index].members.length;
    }
  });
  return count;
}
