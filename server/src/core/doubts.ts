// Which answers an unreadable object could change (see unreadable.ts).
//
// NetworkPolicies only ever add: a pod is isolated for a direction once any policy selects it, and then
// allowed what any of them allows. So an unreadable policy in namespace N can change one side of a
// connection (the egress of a source in N, the ingress of a destination in N) unless that side is already
// isolated and already allows everything asked: it might isolate a pod nobody else selects, or allow more
// to one that is isolated. A side of an isolated pod also depends on the labels of the pod at the other
// end's namespace; when that Namespace is unreadable, the side is in doubt too. A side without doubts that
// denies decides the answer (denied) whatever the other side would say.
import type { Model } from './model';
import { actsAsPolicy, actsClusterWide } from './unreadable';
import { selectorMatches } from './selectors';
import type { Labels, UnreadableObject } from './types';

export interface SideQuestion {
  /** Namespace of the pod whose side it is. */
  namespace: string;
  /** Namespace of the pod at the other end (undefined: an address). */
  otherNamespace?: string;
  isolated: boolean;
  /** The side, as read, allows all that is asked. */
  covers: boolean;
  /** The pod's labels and the side's direction: a policy that cannot select the pod there cannot change it. */
  labels?: Labels;
  direction?: 'ingress' | 'egress';
}

/** Whether an unreadable or ambiguous policy in the pod's namespace may change this side. */
function mayChange(u: UnreadableObject, question: SideQuestion): boolean {
  if (!u.selects || !question.labels || !question.direction) return true;
  const { labels, direction } = question;
  return u.selects.some((s) => s[direction] && selectorMatches(s.podSelector, labels));
}

export class Doubts {
  /** Unreadable policies by namespace; '' holds those whose namespace is unknown (they may be anywhere). */
  private readonly policies = new Map<string, UnreadableObject[]>();
  private readonly namespaces = new Map<string, UnreadableObject[]>();
  /** Unreadable cluster-scoped policies: they put every side of every connection in doubt. */
  private readonly clusterWide: UnreadableObject[] = [];
  /**
   * Cluster-scoped policies select subjects and peers by namespace labels whatever NetworkPolicies say, so
   * with any of them, a Namespace whose labels are unknown puts in doubt every side at either end in it.
   */
  private readonly clusterSelects: boolean;
  /** Workloads whose copies differ, by peer id: every connection they are an end of is in doubt. */
  private readonly peers = new Map<string, UnreadableObject[]>();
  readonly any: boolean;

  constructor(model: Model) {
    for (const u of model.unreadable) {
      if (u.peer !== undefined) push(this.peers, u.peer, u);
      else if (actsClusterWide(u)) this.clusterWide.push(u);
      else if (actsAsPolicy(u)) push(this.policies, u.namespace ?? '', u);
      // '' holds Namespaces whose name cannot be read either: they may be any namespace.
      else if (u.kind === 'Namespace') push(this.namespaces, u.namespace ?? '', u);
    }
    this.clusterSelects = model.clusterPolicies.length > 0;
    this.any =
      this.policies.size > 0 ||
      this.namespaces.size > 0 ||
      this.clusterWide.length > 0 ||
      this.peers.size > 0;
  }

  /**
   * The workloads in doubt among the two ends of a connection. Their labels decide both sides (which
   * policies select them, and which rules of the other end match them), so no side decides alone.
   */
  ends(source: string, destination: string): UnreadableObject[] {
    if (this.peers.size === 0) return [];
    return [...(this.peers.get(source) ?? []), ...(this.peers.get(destination) ?? [])];
  }

  /** The unreadable objects that could change this side of a connection (empty: the side is as read). */
  side(question: SideQuestion): UnreadableObject[] {
    if (!this.any) return [];
    const doubts: UnreadableObject[] = [...this.clusterWide];
    if (!(question.isolated && question.covers)) {
      for (const u of this.policies.get(question.namespace) ?? []) if (mayChange(u, question)) doubts.push(u);
      doubts.push(...(this.policies.get('') ?? []));
    }
    if (this.clusterSelects) {
      doubts.push(...this.namespaceDoubts(question.namespace));
      if (question.otherNamespace !== undefined && question.otherNamespace !== question.namespace)
        doubts.push(...(this.namespaces.get(question.otherNamespace) ?? []));
    } else if (question.isolated && question.otherNamespace !== undefined) {
      doubts.push(...this.namespaceDoubts(question.otherNamespace));
    }
    return doubts;
  }

  /** Unreadable Namespaces that may be this one (by name, or because their name cannot be read). */
  private namespaceDoubts(namespace: string): UnreadableObject[] {
    return [...(this.namespaces.get(namespace) ?? []), ...(this.namespaces.get('') ?? [])];
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The answer for a connection from its two sides: denied when a side without doubts denies, unknown when
 * a side is in doubt, else as read.
 */
export function combineDoubts(
  egress: { doubts: UnreadableObject[]; denies: boolean },
  ingress: { doubts: UnreadableObject[]; denies: boolean },
): UnreadableObject[] {
  if ((egress.doubts.length === 0 && egress.denies) || (ingress.doubts.length === 0 && ingress.denies))
    return [];
  return [...new Set([...egress.doubts, ...ingress.doubts])];
}
