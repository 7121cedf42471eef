// Lints about repetition: rules and peers covered by others of the same policy, and policies defined
// twice.
import { CODES } from '../codes';
import { commonFolder, pathUnder } from '../paths';
import { describePeer } from '../explain';
import { policySpecKey } from '../policy-keys';
import { formatPosition } from '../text';
import type { PeerModel, PolicyModel } from '../types';
import { ownNamespace, peerCovered, ruleCovered } from './lint-cover';
import { peerCoverCandidates } from './lint-cover-index';
import { coveringRules } from './lint-rule-index';
import { effectiveRules, policyLabel, rulePath } from './lint-util';
import { tighten } from './lint-yaml';
import type { CheckContext, DiagnosticRule } from './rule';

/**
 * Index of another item that covers item `i`; of equivalent items, the first one stays. `candidates`
 * (ascending indexes) are the only items that can cover it, when known.
 */
function coveringIndex<T>(
  items: T[],
  i: number,
  covers: (a: T, b: T) => boolean,
  candidates?: readonly number[],
): number {
  const covering = (j: number) =>
    j !== i && covers(items[i], items[j]) && (j < i || !covers(items[j], items[i]));
  if (candidates) return candidates.find(covering) ?? -1;
  return items.findIndex((_, j) => covering(j));
}

/** Up to this many rules in a direction are compared pair by pair (see PEERS_COMPARED_PAIRWISE). */
const RULES_COMPARED_PAIRWISE = 4;

const DIRECTIONS = ['ingress', 'egress'] as const;

function checkRedundantRules({ analysis, policies, report }: CheckContext): void {
  const { model } = analysis;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    for (let d = 0; d < DIRECTIONS.length; d++) {
      const direction = DIRECTIONS[d];
      if (!policy.affects[direction]) continue;
      const rules = policy[direction];
      if (rules.length < 2) continue; // nothing else to be covered by
      // Few rules (the usual case) are compared pair by pair; the index finds the same covering rule.
      const covering =
        rules.length > RULES_COMPARED_PAIRWISE ? coveringRules(model, policy, rules) : undefined;
      rules.forEach((rule, i) => {
        const j = covering
          ? covering[i]
          : coveringIndex(rules, i, (a, b) => ruleCovered(model, policy, a, b));
        if (j < 0) return;
        report({
          uri: policy.uri,
          range: tighten(analysis, policy.uri, rule.range),
          message: `${rulePath(rule)} is redundant: ${rulePath(rules[j])} allows everything it allows.`,
          data: { direction, ruleIndex: rule.index, coveredBy: rules[j].index },
        });
      });
    }
  }
}

/**
 * Up to this many peers in a rule (nearly every rule has one or two) are compared pair by pair: building the
 * index costs more than the few comparisons it saves. The index finds the same covering peer (every peer
 * that covers is among its candidates, in order), so the findings do not depend on the path taken.
 */
const PEERS_COMPARED_PAIRWISE = 4;

function checkRedundantPeers({ analysis, policies, report }: CheckContext): void {
  const { model } = analysis;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const rules = effectiveRules(policy);
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      const peers: PeerModel[] = rule.peers ?? [];
      if (peers.length < 2) continue; // nothing else to be covered by
      const candidates =
        peers.length > PEERS_COMPARED_PAIRWISE
          ? peerCoverCandidates(peers, ownNamespace(model, policy))
          : undefined;
      peers.forEach((peer, i) => {
        const j = coveringIndex(peers, i, (a, b) => peerCovered(model, policy, a, b), candidates?.(i));
        if (j < 0) return;
        report({
          uri: policy.uri,
          range: tighten(analysis, policy.uri, peer.range),
          message: `${rulePath(rule, peer)} (${describePeer(policy, peer)}) is redundant: ${rulePath(rule, peers[j])} (${describePeer(policy, peers[j])}) matches everything it matches.`,
          data: {
            direction: rule.direction,
            ruleIndex: rule.index,
            peerIndex: peer.index,
            coveredBy: peers[j].index,
          },
        });
      });
    }
  }
}

function where(policy: PolicyModel, folder: string): string {
  const file = pathUnder(folder, policy.uri);
  return `${file}:${formatPosition(policy.nameRange ?? policy.range)}`;
}

/** Policies with the same name are reported by the model (the last definition counts); here: same spec. */
function checkDuplicates({ analysis, report }: CheckContext): void {
  const bySpec = new Map<string, PolicyModel>();
  const folder = commonFolder(analysis.files.map((f) => f.uri));
  for (const policy of analysis.model.policies) {
    const same = bySpec.get(policySpecKey(policy));
    if (same) {
      report({
        uri: policy.uri,
        range: policy.nameRange ?? tighten(analysis, policy.uri, policy.range),
        message: `NetworkPolicy ${policyLabel(policy)} has the same spec as ${policyLabel(same)} (${where(same, folder)}).`,
        data: { other: same.uri, kind: 'spec' },
      });
    } else {
      bySpec.set(policySpecKey(policy), policy);
    }
  }
}

const POLICY = (name: string, rules: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: db
  ingress:
${rules}`;
const FROM_API = '    - from:\n        - podSelector:\n            matchLabels:\n              app: api\n';

export const REDUNDANCY_RULES: DiagnosticRule[] = [
  {
    code: CODES.redundantRule,
    defaultSeverity: 'information',
    title: 'A rule covered by another rule of the same policy',
    description:
      "Everything the rule allows, another rule of the same policy and direction already allows (its peers are covered by that rule's peers, its ports by that rule's ports). Of two identical rules, the second is reported. Coverage is decided on the selectors as written, not on the workloads of the workspace.",
    bad: POLICY(
      'db',
      `${FROM_API}      ports:\n        - port: 5432\n    - from:\n        - podSelector: {}\n`,
    ),
    good: POLICY(
      'db',
      `${FROM_API}      ports:\n        - port: 5432\n    - from:\n        - podSelector: {}\n      ports:\n        - port: 9187\n`,
    ),
    reportsPerPolicy: true,
    check: checkRedundantRules,
  },
  {
    code: CODES.redundantPeer,
    defaultSeverity: 'information',
    title: 'A peer covered by another peer of the same rule',
    description:
      'Every pod (or address) the peer matches, another peer of the same `from`/`to` list matches too, so the peer changes nothing: for example `podSelector: {app: api}` next to `podSelector: {}`, or a /24 next to the /16 that contains it.',
    bad: POLICY('db', `${FROM_API}        - podSelector: {}\n`),
    good: POLICY(
      'db',
      `${FROM_API}        - podSelector:\n            matchLabels:\n              app: worker\n`,
    ),
    reportsPerPolicy: true,
    check: checkRedundantPeers,
  },
  {
    code: CODES.duplicatePolicy,
    defaultSeverity: 'warning',
    title: 'A policy defined twice',
    description:
      'Two NetworkPolicies with the same namespace and name: the cluster keeps only the copy applied last, and which one that is depends on how the files are applied. Each copy is reported, naming the others. Copies that mean the same are analysed once; copies that differ are not analysed (an error), and every answer one of them could change is unknown. Two policies with different names but the same meaning in the same namespace are reported too: one of them is dead weight, or was meant to differ.',
    bad: `${POLICY('db', FROM_API)}---\n${POLICY('db', FROM_API.replace('api', 'worker'))}`,
    good: `${POLICY('db', FROM_API)}---\n${POLICY('db-worker', FROM_API.replace('api', 'worker'))}`,
    check: checkDuplicates,
  },
];
