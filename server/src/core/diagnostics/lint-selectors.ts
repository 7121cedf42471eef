// Lints about what selectors select: policies and peers that match nothing in the workspace, a
// namespaceSelector split from its podSelector, and namespace labels that no namespace carries.
import { CODES } from '../codes';
import { NAMESPACE_NAME_LABEL } from '../extract';
import type { Analysis } from '../index';
import type { Model } from '../model';
import { selectorMatches } from '../selectors';
import type { LabelSelector, NamespaceModel, PeerModel, PolicyModel, RuleModel } from '../types';
import { fileOf, mapOf, nodeAt, pairOf, tighten, tightRange, valueOf } from './lint-yaml';
import {
  allRules,
  definedWorkloads,
  definesNamespaces,
  isPodPeer,
  listIds,
  listNames,
  rulePath,
  selectorText,
} from './lint-util';
import { acceptedSelector } from './accepted';
import type { CheckContext, DiagnosticRule } from './rule';

const NS = (name: string, labels = '') => `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}${labels}
---
`;
const DEPLOYMENT = (name: string, namespace: string, app: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  template:
    metadata:
      labels:
        app: ${app}
---
`;
const POLICY = (name: string, namespace: string, spec: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
${spec}`;

/** A pod-only peer right after a namespace-only peer of the same list. */
export interface SplitPeer {
  rule: RuleModel;
  namespacePeer: PeerModel;
  podPeer: PeerModel;
}

export function splitPeers(policy: PolicyModel): { policy: PolicyModel; split: SplitPeer }[] {
  const found: { policy: PolicyModel; split: SplitPeer }[] = [];
  const rules = allRules(policy);
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r];
    const peers = rule.peers ?? [];
    for (let i = 0; i + 1 < peers.length; i++) {
      const first = peers[i];
      const second = peers[i + 1];
      const namespaceOnly = first.namespaceSelector && !first.podSelector && !first.ipBlock;
      const podOnly = second.podSelector && !second.namespaceSelector && !second.ipBlock;
      if (namespaceOnly && podOnly && second.index === first.index + 1) {
        found.push({ policy, split: { rule, namespacePeer: first, podPeer: second } });
      }
    }
  }
  return found;
}

export interface MissingLabel {
  key: string;
  value: string;
}

/**
 * matchLabels entries no namespace carries, where the automatic name label with the same value would
 * select the namespace of that name (`name: prod` written for `kubernetes.io/metadata.name: prod`).
 */
export function missingNamespaceLabels(model: Model, selector: LabelSelector): MissingLabel[] {
  // Without Namespace objects the workspace says nothing about namespace labels.
  if (!definesNamespaces(model) || NAMESPACE_NAME_LABEL in selector.matchLabels) return [];
  return Object.entries(selector.matchLabels).flatMap(([key, value]) => {
    if (someNamespaceCarries(model, selector, key, value)) return [];
    const target = model.namespace(value);
    if (!target) return [];
    const { [key]: _removed, ...rest } = selector.matchLabels;
    const renamed = { ...selector, matchLabels: { ...rest, [NAMESPACE_NAME_LABEL]: value } };
    return selectorMatches(renamed, target.labels) ? [{ key, value }] : [];
  });
}

/** Per model, label key and value: whether a namespace carries the label (peers repeat a few labels). */
const carriedLabels = new WeakMap<Model, Map<string, Map<string, boolean>>>();

function someNamespaceCarries(model: Model, selector: LabelSelector, key: string, value: string): boolean {
  let byKey = carriedLabels.get(model);
  if (!byKey) carriedLabels.set(model, (byKey = new Map()));
  let byValue = byKey.get(key);
  if (!byValue) byKey.set(key, (byValue = new Map()));
  let carried = byValue.get(value);
  if (carried === undefined) {
    // Through the model's index of namespace labels: every peer's selector scanning every namespace grew
    // with the square of a file of many policies and namespaces.
    const labelled = { matchLabels: { [key]: value }, matchExpressions: [], range: selector.range };
    byValue.set(value, (carried = model.namespacesMatching(labelled).length > 0));
  }
  return carried;
}

function checkSelectsNothing({ analysis, policies, report }: CheckContext): void {
  const { model, reachability } = analysis;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const present = definedWorkloads(model, policy.namespace);
    if (present.length === 0 || reachability.selectedClasses(policy).length > 0) continue;
    if (!acceptedSelector(policy.podSelector)) continue; // its own API-server error says what is wrong
    report({
      uri: policy.uri,
      range: tighten(analysis, policy.uri, policy.podSelector.range),
      message: `podSelector ${selectorText(policy.podSelector)} selects no workload in namespace ${policy.namespace} (the namespace has: ${listIds(present)}): the policy has no effect.`,
      data: { namespace: policy.namespace },
    });
  }
}

interface PeerNamespaces {
  names: string[];
  /** Every one of them has workloads written down, so a podSelector that matches none can be judged. */
  defined: boolean;
}

/**
 * What is known of the namespaces a namespaceSelector matches, per list of namespaces: the model keeps one
 * list per selector meaning, and a workspace repeats a few selectors that match a share of all namespaces.
 */
const namespaceFacts = new WeakMap<readonly NamespaceModel[], PeerNamespaces>();

function factsOf(model: Model, names: string[]): PeerNamespaces {
  return { names, defined: names.every((ns) => definedWorkloads(model, ns).length > 0) };
}

/** The same for the policy's own namespace (a peer without namespaceSelector), per model and namespace. */
const ownNamespaceFacts = new WeakMap<Model, Map<string, PeerNamespaces>>();

function ownFacts(model: Model, namespace: string): PeerNamespaces {
  let byName = ownNamespaceFacts.get(model);
  if (!byName) ownNamespaceFacts.set(model, (byName = new Map()));
  let facts = byName.get(namespace);
  if (!facts) byName.set(namespace, (facts = factsOf(model, [namespace])));
  return facts;
}

/** Namespaces a peer can select from, or undefined when its namespaceSelector matches none. */
function peerNamespaces(model: Model, policy: PolicyModel, peer: PeerModel): PeerNamespaces | undefined {
  const selector = peer.namespaceSelector;
  if (!selector) return ownFacts(model, policy.namespace);
  const namespaces = model.namespacesMatching(selector);
  if (namespaces.length === 0) return undefined;
  let facts = namespaceFacts.get(namespaces);
  if (!facts) {
    facts = factsOf(
      model,
      namespaces.map((n) => n.name),
    );
    namespaceFacts.set(namespaces, facts);
  }
  return facts;
}

function checkPeer(context: CheckContext, policy: PolicyModel, rule: RuleModel, peer: PeerModel): void {
  const { analysis, report } = context;
  const { model, reachability } = analysis;
  // A selector the API server rejects has its own error; "matches nothing" would read as if it were valid.
  // Asked only before reporting: nearly every peer matches something.
  const rejected = () => [peer.podSelector, peer.namespaceSelector].some((s) => s && !acceptedSelector(s));
  const namespaces = peerNamespaces(model, policy, peer);
  const where = () => rulePath(rule, peer);
  if (!namespaces) {
    const selector = peer.namespaceSelector!;
    // Without Namespace objects the labels are unknown; a mistyped name label has its own lint.
    if (!definesNamespaces(model) || missingNamespaceLabels(model, selector).length > 0) return;
    if (rejected()) return;
    report({
      uri: policy.uri,
      range: tighten(analysis, policy.uri, selector.range),
      message: `${where()}: namespaceSelector ${selectorText(selector)} matches no namespace in the workspace, so this peer allows nothing.`,
      data: { part: 'namespaceSelector' },
    });
    return;
  }
  if (!peer.podSelector) return;
  // Judge only namespaces whose workloads are all written down (inferred pods match by construction).
  if (!namespaces.defined) return;
  if (reachability.peerMatchesPods(policy, peer) || rejected()) return;
  const { names } = namespaces;
  report({
    uri: policy.uri,
    range: tighten(analysis, policy.uri, peer.podSelector.range),
    message: `${where()}: podSelector ${selectorText(peer.podSelector)} matches no pod in namespace${names.length === 1 ? '' : 's'} ${listNames(names)}, so this peer allows nothing.`,
    data: { part: 'podSelector' },
  });
}

function checkPeersMatchNothing(context: CheckContext): void {
  const policies = context.policies;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const rules = allRules(policy);
    for (let r = 0; r < rules.length; r++) {
      const peers = rules[r].peers;
      if (!peers) continue;
      for (let i = 0; i < peers.length; i++)
        if (isPodPeer(peers[i])) checkPeer(context, policy, rules[r], peers[i]);
    }
  }
}

function checkSplitPeers({ analysis, report }: CheckContext): void {
  const policies = analysis.model.policies;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const found = splitPeers(policy);
    for (let f = 0; f < found.length; f++) {
      const { split } = found[f];
      const first = tighten(analysis, policy.uri, split.namespacePeer.range);
      const second = tighten(analysis, policy.uri, split.podPeer.range);
      const pods = selectorText(split.podPeer.podSelector!);
      const namespaces = selectorText(split.namespacePeer.namespaceSelector!);
      report({
        uri: policy.uri,
        range: { start: first.start, end: second.end },
        message: `${rulePath(split.rule)}: two separate peers (OR): all pods in namespaces ${namespaces}, or pods ${pods} in namespace ${policy.namespace}. To allow only pods ${pods} in namespaces ${namespaces}, make them one peer.`,
        data: {
          direction: split.rule.direction,
          ruleIndex: split.rule.index,
          namespacePeer: split.namespacePeer.index,
          podPeer: split.podPeer.index,
        },
      });
    }
  }
}

/** The range of a matchLabels key of a selector. */
function labelKeyRange(analysis: Analysis, uri: string, selector: LabelSelector, key: string) {
  const file = fileOf(analysis, uri);
  const node = file && nodeAt(file, selector.range);
  const keyNode = pairOf(mapOf(valueOf(mapOf(node), 'matchLabels')), key)?.key;
  return file && keyNode ? tightRange(file, keyNode) : tighten(analysis, uri, selector.range);
}

function checkNamespaceLabels({ analysis, report }: CheckContext): void {
  const { model } = analysis;
  const policies = model.policies;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const rules = allRules(policy);
    for (let r = 0; r < rules.length; r++) {
      const peers = rules[r].peers;
      if (!peers) continue;
      for (let i = 0; i < peers.length; i++) {
        const peer = peers[i];
        if (!peer.namespaceSelector) continue;
        const missing = missingNamespaceLabels(model, peer.namespaceSelector);
        if (missing.length === 0) continue;
        for (const { key, value } of missing) {
          report({
            uri: policy.uri,
            range: labelKeyRange(analysis, policy.uri, peer.namespaceSelector, key),
            message: `No namespace in the workspace has the label ${key}=${value}. Kubernetes labels every namespace with ${NAMESPACE_NAME_LABEL}; use ${NAMESPACE_NAME_LABEL}: ${value} to select namespace ${value}.`,
            data: { key, value, replacementKey: NAMESPACE_NAME_LABEL },
          });
        }
      }
    }
  }
}

export const SELECTOR_RULES: DiagnosticRule[] = [
  {
    code: CODES.selectsNothing,
    defaultSeverity: 'warning',
    title: 'The policy selects no workload',
    description:
      "The policy's `podSelector` matches none of the workloads written for its namespace, so the policy isolates nothing and allows nothing. Usually a label is misspelt or the policy is in the wrong namespace. Reported only for namespaces that have workloads in the workspace.",
    bad:
      DEPLOYMENT('web', 'shop', 'web') +
      POLICY('web-ingress', 'shop', '  podSelector:\n    matchLabels:\n      app: webb\n'),
    good:
      DEPLOYMENT('web', 'shop', 'web') +
      POLICY('web-ingress', 'shop', '  podSelector:\n    matchLabels:\n      app: web\n'),
    reportsPerPolicy: true,
    check: checkSelectsNothing,
  },
  {
    code: CODES.peerMatchesNothing,
    defaultSeverity: 'warning',
    title: 'A peer matches nothing in the workspace',
    description:
      "A `from`/`to` peer whose `namespaceSelector` matches no namespace, or whose `podSelector` matches no pod of the namespaces it applies to, allows nothing. Namespaces are judged only when the workspace defines Namespace objects, pods only when every namespace concerned has workloads in the workspace. A label written for the namespace's name is reported by `netpol.namespace-label-missing` instead.",
    bad:
      NS('shop', '\n  labels:\n    team: shop') +
      DEPLOYMENT('web', 'shop', 'web') +
      POLICY(
        'web-ingress',
        'shop',
        '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: ops\n',
      ),
    good:
      NS('shop', '\n  labels:\n    team: shop') +
      DEPLOYMENT('web', 'shop', 'web') +
      POLICY(
        'web-ingress',
        'shop',
        '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: shop\n',
      ),
    reportsPerPolicy: true,
    check: checkPeersMatchNothing,
  },
  {
    code: CODES.splitPeer,
    defaultSeverity: 'warning',
    title: 'A namespaceSelector and a podSelector written as two peers',
    description:
      "Two list items `- namespaceSelector: …` and `- podSelector: …` are two peers, and peers are ORed: the rule allows every pod of the selected namespaces, or the selected pods of the policy's own namespace. Nearly always one peer was meant (both keys under one `-`), which allows only the selected pods in the selected namespaces.",
    bad: POLICY(
      'db-ingress',
      'db',
      '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: shop\n        - podSelector:\n            matchLabels:\n              app: api\n',
    ),
    good: POLICY(
      'db-ingress',
      'db',
      '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              team: shop\n          podSelector:\n            matchLabels:\n              app: api\n',
    ),
    scope: 'policy',
    check: checkSplitPeers,
  },
  {
    code: CODES.namespaceLabelMissing,
    defaultSeverity: 'warning',
    title: 'A namespaceSelector label that no namespace carries',
    description:
      'A `namespaceSelector` such as `name: prod` selects namespaces by a label someone has to set; no namespace in the workspace carries it, while the namespace `prod` exists (or is referenced). Reported only when the workspace defines Namespace objects. Kubernetes sets `kubernetes.io/metadata.name` on every namespace automatically, so `kubernetes.io/metadata.name: prod` selects it reliably.',
    bad:
      NS('prod') +
      POLICY(
        'db-ingress',
        'db',
        '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              name: prod\n',
      ),
    good:
      NS('prod') +
      POLICY(
        'db-ingress',
        'db',
        '  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: prod\n',
      ),
    check: checkNamespaceLabels,
  },
];
