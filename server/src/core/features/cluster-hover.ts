// Hovers on AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects: the policy's
// tier and rules in plain English on its header, a rule's effect on the rule, the selected workloads on the
// subject and on peers.
import {
  describeClusterPeer,
  describeClusterRule,
  describeSelection,
  explainClusterPolicy,
} from '../cluster/describe';
import type { ClusterPolicyModel } from '../cluster/types';
import type { Analysis } from '../index';
import type { Range, WorkloadModel } from '../types';
import type { CursorLocation } from './locate';
import { nodeRange, onObjectHeader } from './locate';
import { bulletList, escapeMarkdown, workloadLink } from './markdown';

export interface ClusterHover {
  contents: string;
  range: Range;
}

/** The cluster policy written at the cursor's object, if it is one. */
export function clusterPolicyAt(
  analysis: Analysis,
  location: CursorLocation,
): ClusterPolicyModel | undefined {
  const object = location.object;
  if (!object) return undefined;
  return analysis.model.clusterPolicies.find(
    (p) => p.uri === location.file.uri && p.range.start.offset === object.range.start.offset,
  );
}

function workloadsBlock(workloads: readonly WorkloadModel[], noun: string): string {
  return workloads.length === 0
    ? `${noun}: no workload in the workspace.`
    : `${noun} (${workloads.length}):\n\n${bulletList(workloads.map(workloadLink))}`;
}

function render(
  title: string,
  lines: string[],
  workloads?: { noun: string; list: readonly WorkloadModel[] },
) {
  const parts = [`**${escapeMarkdown(title)}**`, ...lines.map(escapeMarkdown)];
  if (workloads) parts.push(workloadsBlock(workloads.list, workloads.noun));
  return parts.join('\n\n');
}

export function clusterHover(analysis: Analysis, location: CursorLocation): ClusterHover | undefined {
  const policy = clusterPolicyAt(analysis, location);
  if (!policy) return undefined;
  const reach = analysis.reachability;
  const [first, second, index, peersKey, peerIndex] = location.path;
  const fallback = (range: Range | undefined) => nodeRange(location, range ?? policy.range);
  if (onObjectHeader(location)) {
    const e = explainClusterPolicy(policy, reach);
    return {
      contents: render(e.title, [`${e.summary}.`, ...e.lines.map((l) => l.replace(/^ {2}- /, '- '))], {
        noun: 'Subject workloads',
        list: e.selected,
      }),
      range: fallback(policy.nameRange),
    };
  }
  if (first !== 'spec') return undefined;
  const title = `${policy.kind} ${policy.name}`;
  if (second === 'subject' && policy.subject) {
    return {
      contents: render(`spec.subject · ${title}`, [`Selects ${describeSelection(policy.subject)}.`], {
        noun: 'Workloads',
        list: reach.selectionWorkloads(policy.subject),
      }),
      range: fallback(policy.subject.range),
    };
  }
  if ((second === 'ingress' || second === 'egress') && typeof index === 'number') {
    const rule = policy[second].find((r) => r.index === index);
    if (!rule) return undefined;
    const path = `spec.${second}[${index}]`;
    const peer =
      peersKey === (second === 'ingress' ? 'from' : 'to')
        ? rule.peers.find((p) => p.index === peerIndex)
        : undefined;
    if (peer) {
      const matched = reach.clusterRuleWorkloads({ ...rule, peers: [peer] });
      return {
        contents: render(
          `${path}.${String(peersKey)}[${peer.index}] · ${title}`,
          [`This peer is ${describeClusterPeer(peer)}.`],
          {
            noun: 'Workloads',
            list: matched,
          },
        ),
        range: fallback(peer.range),
      };
    }
    const order =
      policy.tier === 'Admin'
        ? `Rules run in order within the policy, and policies by ascending priority; the first rule that matches decides.`
        : `The Baseline tier applies only to pods that no NetworkPolicy selects for ${second}.`;
    return {
      contents: render(
        `${path}${rule.name ? ` (${rule.name})` : ''} · ${title}`,
        [`This rule ${describeClusterRule(policy, rule)}.`, order],
        {
          noun: 'Matched workloads',
          list: reach.clusterRuleWorkloads(rule),
        },
      ),
      range: fallback(rule.range),
    };
  }
  return undefined;
}
