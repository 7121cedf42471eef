// Go to definition / references for cluster-scoped policies: from a subject or a `namespaces`/`pods` peer
// (or the policy's header) to the workloads it selects, from a namespace selector to the namespaces; and
// from a workload back to the subjects and peers that select it.
import type { ClusterPolicyModel, PodSelection } from '../cluster/types';
import type { Analysis } from '../index';
import { selectorMatches } from '../selectors';
import type { LabelSelector, NamespaceModel, Range, WorkloadModel } from '../types';
import { clusterPolicyAt } from './cluster-hover';
import { onObjectHeader, type CursorLocation } from './locate';

export interface ClusterTargets {
  workloads: WorkloadModel[];
  namespaces: NamespaceModel[];
}

function namespacesMatching(analysis: Analysis, selector: LabelSelector): NamespaceModel[] {
  return analysis.model.namespaces.filter((n) => selectorMatches(selector, n.labels));
}

/** The subject or peer at the cursor, and the keys inside it (`namespaces`, `pods`, …). */
function selectionAt(
  policy: ClusterPolicyModel,
  path: (string | number)[],
): { selection: PodSelection; rest: (string | number)[] } | undefined {
  const [first, second, index, peersKey, peerIndex] = path;
  if (first !== 'spec') return undefined;
  if (second === 'subject' && policy.subject) return { selection: policy.subject, rest: path.slice(2) };
  if ((second !== 'ingress' && second !== 'egress') || peersKey !== (second === 'ingress' ? 'from' : 'to'))
    return undefined;
  const rule = policy[second].find((r) => r.index === index);
  const peer = rule?.peers.find((p) => p.index === peerIndex);
  if (!peer || peer.networks || peer.unevaluable || peer.unrecognised) return undefined;
  return { selection: peer, rest: path.slice(5) };
}

/** What a cursor in a cluster policy leads to; undefined when the cursor is not in one. */
export function clusterTargets(analysis: Analysis, location: CursorLocation): ClusterTargets | undefined {
  const policy = clusterPolicyAt(analysis, location);
  if (!policy) return undefined;
  const reach = analysis.reachability;
  const none: ClusterTargets = { workloads: [], namespaces: [] };
  if (onObjectHeader(location))
    return policy.subject ? { ...none, workloads: reach.selectionWorkloads(policy.subject) } : none;
  const found = selectionAt(policy, location.path);
  if (!found) return none;
  const { selection, rest } = found;
  const namespaceSelector = selection.pods?.namespaceSelector;
  if (rest[0] === 'pods' && rest[1] === 'namespaceSelector' && namespaceSelector)
    return { ...none, namespaces: namespacesMatching(analysis, namespaceSelector) };
  const workloads = reach.selectionWorkloads(selection);
  if (rest[0] === 'namespaces' && selection.namespaces)
    return { workloads, namespaces: namespacesMatching(analysis, selection.namespaces) };
  return { ...none, workloads };
}

/** Where cluster policies' subjects and peers select the workload. */
export function clusterSelectionsOf(
  analysis: Analysis,
  workload: WorkloadModel,
): { uri: string; range: Range }[] {
  const reach = analysis.reachability;
  const selects = (s: PodSelection) => reach.selectionWorkloads(s).some((w) => w.id === workload.id);
  const found: { uri: string; range: Range }[] = [];
  for (const policy of analysis.model.clusterPolicies) {
    if (policy.subject && selects(policy.subject))
      found.push({ uri: policy.uri, range: policy.subject.range });
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers) {
        if (peer.networks || peer.unevaluable || peer.unrecognised) continue;
        if (selects(peer)) found.push({ uri: policy.uri, range: peer.range });
      }
    }
  }
  return found;
}
