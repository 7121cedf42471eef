// Keys that are equal for policies that mean the same, however they are written and wherever they are:
// for the "same spec" lint and for telling apart copies of one policy that agree from copies that differ.
import type { ClusterPolicyModel } from './cluster/types';
import { selectorKey } from './selectors';
import type {
  LabelSelector,
  Labels,
  PeerModel,
  PolicyModel,
  RuleModel,
  ServiceModel,
  WorkloadModel,
} from './types';

/** Equal for peers that mean the same (as JSON). */
export function peerKey(p: PeerModel): unknown {
  return [
    p.podSelector ? selectorKey(p.podSelector) : null,
    p.namespaceSelector ? selectorKey(p.namespaceSelector) : null,
    p.ipBlock ? [p.ipBlock.cidr, [...p.ipBlock.except].sort()] : null,
  ];
}

/** Equal for rules that mean the same (as JSON): peers and ports in order. */
export function ruleKey(rule: RuleModel): unknown {
  return [
    rule.peers?.map(peerKey) ?? null,
    rule.ports?.map((p) => [p.protocol, p.port ?? null, p.endPort ?? null]) ?? null,
  ];
}

/** Policy objects live as long as their file's text, so their keys are computed once per version. */
const specKeys = new WeakMap<PolicyModel, string>();

/** Equal for NetworkPolicies that mean the same (namespace included, name not). */
export function policySpecKey(policy: PolicyModel): string {
  let key = specKeys.get(policy);
  if (key === undefined) {
    key = JSON.stringify([
      policy.namespace,
      selectorKey(policy.podSelector),
      policy.affects,
      policy.ingress.map(ruleKey),
      policy.egress.map(ruleKey),
    ]);
    specKeys.set(policy, key);
  }
  return key;
}

/** Where a field only says where something is written, or how (`Accept` for `Allow`): not its meaning. */
function isPlacement(key: string): boolean {
  return key === 'id' || key === 'uri' || key === 'range' || key.endsWith('Range') || key === 'writtenAction';
}

const clusterKeys = new WeakMap<ClusterPolicyModel, string>();

/** Equal for cluster-scoped policies of one kind and name that mean the same (selectors in any order). */
export function clusterPolicyKey(policy: ClusterPolicyModel): string {
  let key = clusterKeys.get(policy);
  if (key === undefined) {
    key = JSON.stringify(policy, (name, value: unknown) => {
      if (isPlacement(name)) return undefined;
      if (isLabelSelector(value)) return selectorKey(value);
      return value;
    });
    clusterKeys.set(policy, key);
  }
  return key;
}

function isLabelSelector(value: unknown): value is LabelSelector {
  return (
    typeof value === 'object' &&
    value !== null &&
    'matchLabels' in value &&
    'matchExpressions' in value &&
    Object.keys(value).length <= 3
  );
}

const sortedLabels = (labels: Labels | null) =>
  labels === null ? null : Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Equal for copies of one workload that mean the same to the analysis: labels, ports, host network. */
export function workloadKey(workload: WorkloadModel): string {
  const ports = workload.ports.map((p) => [p.name ?? null, p.containerPort, p.protocol]);
  return JSON.stringify([sortedLabels(workload.labels), ports, workload.hostNetwork === true]);
}

/** Equal for copies of one Service that mean the same: selector and ports. */
export function serviceKey(service: ServiceModel): string {
  const ports = service.ports.map((p) => [p.name ?? null, p.port ?? null, p.targetPort ?? null, p.protocol]);
  return JSON.stringify([sortedLabels(service.selector), ports]);
}
