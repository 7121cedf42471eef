// Cluster policies in plain English, for `explain`, hovers and code lenses:
// "Admin tier, priority 10: denies ingress to all pods in namespaces team=a from all pods in namespaces
// team=b, before any NetworkPolicy".
import { displayLines } from '../display';
import { describeSelector } from '../explain';
import type { Reachability } from '../reachability';
import { isEmptySelector } from '../selectors';
import type { LabelSelector, WorkloadModel } from '../types';
import { workloadList } from '../workload-list';
import { describeClusterPolicy, priorityWords } from './explain';
import {
  clusterRuleLabel,
  type ClusterPeerModel,
  type ClusterPolicyModel,
  type ClusterPortModel,
  type ClusterRuleModel,
  type PodSelection,
} from './types';

function namespacesWords(selector: LabelSelector | undefined): string {
  if (!selector || isEmptySelector(selector)) return 'in all namespaces';
  return `in ${describeSelector(selector, 'namespaces')}`;
}

/** "pods app=web in namespaces team=a", "all pods in namespaces team=b". */
export function describeSelection(selection: PodSelection): string {
  const { namespaces, pods } = selection;
  if (namespaces && pods) return 'nothing (both namespaces and pods are set)';
  if (namespaces) return `all pods ${namespacesWords(namespaces)}`;
  if (pods) return `${describeSelector(pods.podSelector)} ${namespacesWords(pods.namespaceSelector)}`;
  return 'nothing (neither namespaces nor pods is set)';
}

export function describeClusterPeer(peer: ClusterPeerModel): string {
  if (peer.unrecognised)
    return 'an unrecognised peer (matches nothing for Allow, everything for Deny and Pass)';
  if (peer.unevaluable) return `${peer.unevaluable} (not evaluated from manifests: matches nothing)`;
  if (peer.networks) return `addresses ${peer.networks.map((n) => n.cidr).join(', ')}`;
  return describeSelection(peer);
}

export function describeClusterPort(port: ClusterPortModel): string {
  if (port.namedPort !== undefined) return `named port ${port.namedPort}`;
  if (port.endPort !== undefined && port.endPort !== port.port)
    return `${port.protocol} ${port.port}-${port.endPort}`;
  return `${port.protocol} ${port.port}`;
}

function portsWords(rule: ClusterRuleModel): string {
  if (rule.ports === null) return 'on all ports';
  if (rule.ports.length === 0) return 'on no port';
  return `on ${rule.ports.map(describeClusterPort).join(', ')}`;
}

const ACTION_VERBS: Record<string, string> = { Allow: 'allows', Deny: 'denies', Pass: 'passes' };

function when(policy: ClusterPolicyModel, action: string | undefined): string {
  if (action === 'Pass')
    return policy.tier === 'Admin'
      ? ', leaving the decision to the NetworkPolicies'
      : ', leaving it to the default, which allows';
  if (policy.tier === 'Admin') return ', before any NetworkPolicy';
  return ', where no NetworkPolicy selects the pod';
}

/** "denies ingress to … from …, on TCP 8080, before any NetworkPolicy". */
export function describeClusterRule(policy: ClusterPolicyModel, rule: ClusterRuleModel): string {
  const verb = rule.action
    ? ACTION_VERBS[rule.action]
    : `(invalid action ${rule.writtenAction ?? 'missing'}: ignored)`;
  const subject = policy.subject ? describeSelection(policy.subject) : 'nothing';
  const preposition = rule.direction === 'ingress' ? 'to' : 'from';
  const peers = rule.peers.map(describeClusterPeer).join('; or ') || 'nothing';
  const towards = rule.direction === 'ingress' ? 'from' : 'to';
  return `${verb} ${rule.direction} ${preposition} ${subject} ${towards} ${peers}, ${portsWords(rule)}${when(policy, rule.action)}`;
}

/** "Admin tier, priority 10" or "Baseline tier" (the BaselineAdminNetworkPolicy has no priority). */
export function tierWords(policy: ClusterPolicyModel): string {
  if (policy.kind === 'BaselineAdminNetworkPolicy') return 'Baseline tier';
  return `${policy.tier} tier, ${priorityWords(policy)}`;
}

/** The one-line summary: the tier, then the first rule (and how many more). */
export function summarizeClusterPolicy(policy: ClusterPolicyModel): string {
  const rules = [...policy.ingress, ...policy.egress];
  if (rules.length === 0) return `${tierWords(policy)}: no rules, changes nothing`;
  const more = rules.length > 1 ? ` (and ${rules.length - 1} more rule${rules.length > 2 ? 's' : ''})` : '';
  return `${tierWords(policy)}: ${describeClusterRule(policy, rules[0])}${more}`;
}

export interface ClusterPolicyExplanation {
  title: string;
  summary: string;
  selected: WorkloadModel[];
  lines: string[];
}

export function explainClusterPolicy(
  policy: ClusterPolicyModel,
  reach: Reachability,
): ClusterPolicyExplanation {
  const selected = policy.subject ? reach.selectionWorkloads(policy.subject) : [];
  const lines = [
    `Subject: ${policy.subject ? describeSelection(policy.subject) : 'missing (selects nothing)'}: ${workloadList(selected)}.`,
  ];
  for (const direction of ['ingress', 'egress'] as const) {
    const rules = policy[direction];
    if (rules.length === 0) {
      lines.push(
        `${direction === 'ingress' ? 'Ingress' : 'Egress'}: no rules, so this policy does not affect ${direction}.`,
      );
      continue;
    }
    lines.push(
      `${direction === 'ingress' ? 'Ingress' : 'Egress'} rules, in order (the first that matches decides):`,
    );
    for (const rule of rules) {
      const matched = reach.clusterRuleWorkloads(rule);
      const who = matched.length > 0 ? ` (matches ${workloadList(matched)})` : '';
      lines.push(`  - ${clusterRuleLabel(rule)}: ${describeClusterRule(policy, rule)}${who}`);
    }
  }
  return { title: describeClusterPolicy(policy), summary: summarizeClusterPolicy(policy), selected, lines };
}

export function renderClusterExplanation(e: ClusterPolicyExplanation): string {
  return displayLines([e.title, `  ${e.summary}.`, ...e.lines.map((l) => `  ${l}`)]);
}
