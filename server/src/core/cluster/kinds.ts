// Which objects are policies, and which of them the engine evaluates. A policy the engine cannot
// evaluate must never vanish silently: it is reported where it is written and counted in the outputs.
import { CLUSTER_POLICY_GROUP, CLUSTER_POLICY_KINDS, isClusterKind, type ClusterPolicyKind } from './types';

export type PolicyKindVerdict =
  { kind: 'cluster'; clusterKind: ClusterPolicyKind } | { kind: 'unanalysed'; product: string };

/** API groups of other network plugins' policy kinds, and whose they are. */
const FOREIGN_GROUPS: Record<string, string> = {
  'cilium.io': 'Cilium',
  'crd.projectcalico.org': 'Calico',
  'projectcalico.org': 'Calico',
  'k8s.cni.cncf.io': 'Multus',
  'crd.antrea.io': 'Antrea',
  'security.antrea.io': 'Antrea',
};

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

const POLICY_KIND = /(NetworkPolicy|NetworkPolicies|Policy)$/;

/**
 * Classifies an object that is not a NetworkPolicy of networking.k8s.io: a cluster-scoped policy the
 * engine evaluates, a policy kind it does not evaluate (another plugin's, or an unknown version of
 * policy.networking.k8s.io), or undefined for anything else.
 */
export function classifyPolicyKind(kind: string, apiVersion: string): PolicyKindVerdict | undefined {
  const group = groupOf(apiVersion);
  if (group === CLUSTER_POLICY_GROUP) {
    if (isClusterKind(kind) && CLUSTER_POLICY_KINDS[kind] === apiVersion)
      return { kind: 'cluster', clusterKind: kind };
    return POLICY_KIND.test(kind) ? { kind: 'unanalysed', product: 'an unknown version' } : undefined;
  }
  const product = FOREIGN_GROUPS[group];
  if (product && POLICY_KIND.test(kind)) return { kind: 'unanalysed', product };
  return undefined;
}

export function unanalysedMessage(kind: string, apiVersion: string, product: string): string {
  const whose =
    product === 'an unknown version' ? 'an API version the engine does not know' : `${product}'s policy kind`;
  return `${kind} (${apiVersion}, ${whose}) is not analysed: the verdicts leave it out, so traffic it allows or denies is not reflected.`;
}

/**
 * One line saying that policies of kinds the engine does not evaluate exist, so no verdict looks more
 * certain than it is; undefined when there are none.
 */
export function unanalysedNote(unanalysed: readonly { kind: string; name: string }[]): string | undefined {
  if (unanalysed.length === 0) return undefined;
  const shown = unanalysed.slice(0, 3).map((u) => `${u.kind} ${u.name}`.trim());
  const more = unanalysed.length > 3 ? ` and ${unanalysed.length - 3} more` : '';
  const count = unanalysed.length === 1 ? '1 policy' : `${unanalysed.length} policies`;
  return `Note: ${count} of kinds netpol-lens does not analyse (${shown.join(', ')}${more}): the verdicts leave them out.`;
}
