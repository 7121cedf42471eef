// Plain-English accounts of the cluster tiers: which tier, policy and rule decided each direction of a
// connection ("passed by AdminNetworkPolicy x rule r, then allowed by NetworkPolicy ns/y").
import type { PortQuery, SideVerdict } from '../reachability';
import type { ClusterRuleMatch } from './evaluate';
import { clusterRuleLabel, type ClusterAction, type ClusterPolicyModel } from './types';

const VERB: Record<ClusterAction, string> = { Allow: 'allows', Deny: 'denies', Pass: 'passes' };
const PAST: Record<ClusterAction, string> = { Allow: 'allowed', Deny: 'denied', Pass: 'passed' };

/**
 * "priority 10"; without a readable one (the API server would reject the policy), what the engine does
 * instead: it orders the policy as priority 0, before every other.
 */
export function priorityWords(policy: ClusterPolicyModel): string {
  if (policy.priority !== undefined) return `priority ${policy.priority}`;
  const what = policy.priorityRange ? 'priority not an integer' : 'no priority';
  return `${what}, evaluated as priority 0`;
}

/** "AdminNetworkPolicy deny-b (priority 10)" or "ClusterNetworkPolicy x (Baseline tier, priority 5)". */
export function describeClusterPolicy(policy: ClusterPolicyModel): string {
  const where =
    policy.kind === 'ClusterNetworkPolicy'
      ? `${policy.tier} tier, ${priorityWords(policy)}`
      : policy.kind === 'AdminNetworkPolicy'
        ? priorityWords(policy)
        : '';
  return `${policy.kind} ${policy.name}${where ? ` (${where})` : ''}`;
}

function matchLine(match: ClusterRuleMatch): string {
  return `${describeClusterPolicy(match.policy)} rule ${clusterRuleLabel(match.rule)} ${VERB[match.action]} ${match.connections.toString()}`;
}

function networkPolicyNames(verdict: SideVerdict): string {
  return verdict.policies.map((p) => `${p.namespace}/${p.name}`).join(', ');
}

/** The NetworkPolicy layer's word on what reached it. */
function networkPolicyDecision(verdict: SideVerdict, port: PortQuery | undefined): string {
  if (port) {
    const rule = verdict.rules.find((r) => r.connections.contains(port.protocol, port.port));
    return rule
      ? `allowed by NetworkPolicy ${rule.policy.namespace}/${rule.policy.name} spec.${rule.direction}[${rule.ruleIndex}]`
      : `denied by the isolation of NetworkPolicy ${networkPolicyNames(verdict)}`;
  }
  return `decided by NetworkPolicy ${networkPolicyNames(verdict)}`;
}

/**
 * One sentence for a side decided (in part) by the cluster tiers. With a port: the chain that decides it;
 * without: each rule's share, then what decides the rest.
 */
export function clusterDecision(verdict: SideVerdict, port: PortQuery | undefined): string {
  const below = () => {
    if (verdict.isolated) return networkPolicyDecision(verdict, port);
    const baseline = verdict.baseline;
    const first = baseline[0];
    if (port && first) {
      const rest = first.action === 'Pass' ? ', then allowed by the default' : '';
      return `${PAST[first.action]} by the Baseline tier: ${describeClusterPolicy(first.policy)} rule ${clusterRuleLabel(first.rule)}${rest}`;
    }
    if (!port && baseline.length > 0)
      return `the Baseline tier decides: ${baseline.map(matchLine).join('; ')}; the default allows the rest`;
    return 'allowed by the default (no NetworkPolicy selects the pod and no baseline rule matches)';
  };
  const admin = verdict.admin;
  if (port) {
    const first = admin[0];
    if (!first) return `No Admin-tier rule matches; ${below()}.`;
    const by = `${describeClusterPolicy(first.policy)} rule ${clusterRuleLabel(first.rule)}`;
    if (first.action === 'Pass') return `Passed by ${by} in the Admin tier, then ${below()}.`;
    return `${first.action === 'Allow' ? 'Allowed' : 'Denied'} by ${by} in the Admin tier, before any NetworkPolicy.`;
  }
  if (admin.length === 0) return `No Admin-tier rule matches; ${below()}.`;
  return `Admin tier: ${admin.map(matchLine).join('; ')}; then ${below()}.`;
}

/** The lines `can` prints for the cluster tiers of one side, in evaluation order. */
export function clusterSideLines(verdict: SideVerdict): string[] {
  if (verdict.clusterPolicies.length === 0) return [];
  const lines = verdict.admin.map((m) => `  Admin tier: ${matchLine(m)}`);
  if (verdict.baseline.length > 0)
    lines.push(...verdict.baseline.map((m) => `  Baseline tier: ${matchLine(m)}`));
  return lines;
}
