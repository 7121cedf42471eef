// Pods reported under one owner are one peer with the labels of the first pod read; a selector that tells
// such pods apart makes the verdict hold for the first pod only, so it is reported.
import { CODES } from '../codes';
import type { Model } from '../model';
import { selectorMatches } from '../selectors';
import type { LabelSelector, PolicyModel, WorkloadModel } from '../types';
import { allRules } from './lint-util';
import type { CheckContext, DiagnosticRule } from './rule';

/** The namespaces whose pods a selector is applied to: the policy's own, or those of a namespaceSelector. */
function namespacesFor(model: Model, policy: PolicyModel, namespaceSelector?: LabelSelector): string[] {
  if (!namespaceSelector) return [policy.namespace];
  return model.namespaces.filter((n) => selectorMatches(namespaceSelector, n.labels)).map((n) => n.name);
}

/** The pod selectors of a policy, with the namespaces each is applied in. */
function podSelectors(
  model: Model,
  policy: PolicyModel,
): { selector: LabelSelector; namespaces: string[] }[] {
  const found = [{ selector: policy.podSelector, namespaces: [policy.namespace] }];
  for (const rule of allRules(policy)) {
    for (const peer of rule.peers ?? []) {
      if (peer.ipBlock) continue;
      const namespaces = namespacesFor(model, policy, peer.namespaceSelector);
      if (peer.podSelector) found.push({ selector: peer.podSelector, namespaces });
    }
  }
  return found;
}

function podName(pod: WorkloadModel): string {
  return pod.objectName ?? pod.name;
}

function checkFoldedPods({ analysis, report }: CheckContext): void {
  const { model } = analysis;
  if (model.foldedPods.size === 0) return;
  const byNamespace = new Map<string, (readonly WorkloadModel[])[]>();
  for (const pods of model.foldedPods.values()) {
    const list = byNamespace.get(pods[0].namespace) ?? [];
    list.push(pods);
    byNamespace.set(pods[0].namespace, list);
  }
  for (const policy of model.policies) {
    for (const { selector, namespaces } of podSelectors(model, policy)) {
      for (const pods of namespaces.flatMap((ns) => byNamespace.get(ns) ?? [])) {
        const selected = pods.filter((p) => selectorMatches(selector, p.labels));
        if (selected.length === 0 || selected.length === pods.length) continue;
        const others = pods.filter((p) => !selected.includes(p));
        report({
          uri: policy.uri,
          range: selector.range,
          message: `This selector tells apart pods reported as one peer, ${pods[0].id}: it matches ${selected.map(podName).join(', ')} but not ${others.map(podName).join(', ')}. The analysis uses the labels of the first pod read (${podName(pods[0])}), so its verdict holds for that pod only.`,
          data: { peer: pods[0].id },
        });
      }
    }
  }
}

const POD = (name: string, app: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels: {app: web, track: ${app}}
  ownerReferences:
    - {apiVersion: apps/v1, kind: ReplicaSet, name: web-5d4f, controller: true}
---
`;
const POLICY = (labels: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: canary-only
  namespace: shop
spec:
  podSelector:
    matchLabels: {${labels}}
  ingress: []
`;

export const OWNER_RULES: DiagnosticRule[] = [
  {
    code: CODES.ownerPodsDiffer,
    defaultSeverity: 'warning',
    title: 'A selector tells apart pods reported as one peer',
    description:
      'Pods with one controller owner are reported as that owner, one peer with the labels and container ports of the first pod read (as the reference analyzer does). When a selector matches some of those pods and not others, the verdict holds for the first pod only.',
    bad: POD('web-a', 'stable') + POD('web-b', 'canary') + POLICY('track: canary'),
    good: POD('web-a', 'stable') + POD('web-b', 'canary') + POLICY('app: web'),
    check: checkFoldedPods,
  },
];
