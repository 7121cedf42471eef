// Cluster-scoped policies: AdminNetworkPolicy and BaselineAdminNetworkPolicy (policy.networking.k8s.io/
// v1alpha1) and ClusterNetworkPolicy (v1alpha2), read into one model. The v1alpha2 spellings (`Accept`,
// `protocols`) are normalised to one form so the engine evaluates both alike; what was written is kept
// for the editor.
import type { IpBlockModel, LabelSelector, Range } from '../types';

export const CLUSTER_POLICY_GROUP = 'policy.networking.k8s.io';
export const V1ALPHA1 = `${CLUSTER_POLICY_GROUP}/v1alpha1`;
export const V1ALPHA2 = `${CLUSTER_POLICY_GROUP}/v1alpha2`;

export const CLUSTER_POLICY_KINDS = {
  AdminNetworkPolicy: V1ALPHA1,
  BaselineAdminNetworkPolicy: V1ALPHA1,
  ClusterNetworkPolicy: V1ALPHA2,
} as const;

export type ClusterPolicyKind = keyof typeof CLUSTER_POLICY_KINDS;

export function isClusterKind(kind: string | undefined): kind is ClusterPolicyKind {
  return kind !== undefined && Object.hasOwn(CLUSTER_POLICY_KINDS, kind);
}

export type ClusterTier = 'Admin' | 'Baseline';

/** `Accept` (v1alpha2) is read as `Allow`. */
export type ClusterAction = 'Allow' | 'Deny' | 'Pass';

export interface NamespacedPodSelector {
  /** Absent (v1alpha2 only): every namespace. */
  namespaceSelector?: LabelSelector;
  podSelector: LabelSelector;
}

/** `subject` and the `namespaces`/`pods` peers: exactly one of the two is set when valid. */
export interface PodSelection {
  range: Range;
  namespaces?: LabelSelector;
  pods?: NamespacedPodSelector;
}

export interface ClusterPeerModel extends PodSelection {
  index: number;
  /** Egress `networks`: one block per CIDR (no excepts), so they cut external ranges like ipBlocks. */
  networks?: IpBlockModel[];
  /** `nodes` or `domainNames`: cannot be evaluated from manifests, so the peer matches nothing. */
  unevaluable?: 'nodes' | 'domainNames';
  /**
   * No recognised field (an API newer than the analysis, or a typo): fail closed, as the API prescribes:
   * matches nothing for Allow, everything for Deny and Pass.
   */
  unrecognised: boolean;
}

export interface ClusterPortModel {
  index: number;
  range: Range;
  /** TCP, UDP or SCTP as written (v1alpha1 defaults to TCP); named ports take the container's protocol. */
  protocol: string;
  /** A port number, or the start of a range. Absent with `namedPort`. */
  port?: number;
  endPort?: number;
  /** Resolved on the destination pod's container ports; never matches an address. */
  namedPort?: string;
}

export interface ClusterRuleModel {
  direction: 'ingress' | 'egress';
  /** Position in `spec.ingress`/`spec.egress`. */
  index: number;
  range: Range;
  name?: string;
  /** Undefined when missing or not one of the kind's actions (the API server rejects the policy). */
  action?: ClusterAction;
  /** As written: `Accept` stays `Accept` here. */
  writtenAction?: string;
  actionRange?: Range;
  peers: ClusterPeerModel[];
  peersRange?: Range;
  /** `null` when `ports`/`protocols` is absent: every port and protocol. */
  ports: ClusterPortModel[] | null;
  portsRange?: Range;
}

export interface ClusterPolicyModel {
  /** Position in the model's cluster policies, renumbered by every build. */
  id: number;
  kind: ClusterPolicyKind;
  apiVersion: string;
  uri: string;
  range: Range;
  name: string;
  nameRange?: Range;
  tier: ClusterTier;
  /** BaselineAdminNetworkPolicy has none; undefined also when invalid. */
  priority?: number;
  priorityRange?: Range;
  subject?: PodSelection;
  ingress: ClusterRuleModel[];
  ingressRange?: Range;
  egress: ClusterRuleModel[];
  egressRange?: Range;
}

/** A policy kind of another network plugin: reported, never evaluated. */
export interface UnanalysedPolicy {
  kind: string;
  apiVersion: string;
  name: string;
  namespace?: string;
  uri: string;
  range: Range;
}

/** "AdminNetworkPolicy deny-b" */
export function clusterPolicyLabel(policy: ClusterPolicyModel): string {
  return `${policy.kind} ${policy.name}`;
}

/** "deny-from-b (spec.ingress[0])" or "spec.ingress[0]" */
export function clusterRuleLabel(rule: ClusterRuleModel): string {
  const path = `spec.${rule.direction}[${rule.index}]`;
  return rule.name ? `${rule.name} (${path})` : path;
}
