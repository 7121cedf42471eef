// "Everything A allows, B allows too", decided on the selectors and ports as written (not on the
// workloads of the workspace, which would make an unused selector look covered by anything).
import { contains, ipBlockIntervals, parseCidr } from '../addresses';
import { ConnectionSet, MAX_PORT, MIN_PORT } from '../connections';
import { NAMESPACE_NAME_LABEL } from '../extract';
import type { Model } from '../model';
import { OPERATORS, selectorMatches } from '../selectors';
import {
  isProtocol,
  type IpBlockModel,
  type LabelSelector,
  type PeerModel,
  type PolicyModel,
  type PortModel,
  type Protocol,
  type RuleModel,
} from '../types';

export interface Requirement {
  key: string;
  operator: string;
  values: string[];
}

// Selectors are compared pair by pair (every peer and rule of a policy with the others): each one's
// requirements and validity are worked out once, not for every comparison.
const requirementsOf = new WeakMap<LabelSelector, Requirement[]>();
const validity = new WeakMap<LabelSelector, boolean>();
const NO_REQUIREMENTS: Requirement[] = [];

/** The selector's matchLabels as `In` requirements, then its matchExpressions. Shared: do not modify. */
export function requirements(selector: LabelSelector | undefined): Requirement[] {
  if (!selector) return NO_REQUIREMENTS;
  let found = requirementsOf.get(selector);
  if (!found) {
    found = [
      ...Object.entries(selector.matchLabels).map(([key, value]) => ({
        key,
        operator: 'In',
        values: [value],
      })),
      ...selector.matchExpressions,
    ];
    requirementsOf.set(selector, found);
  }
  return found;
}

export function valid(selector: LabelSelector | undefined): boolean {
  if (!selector) return true;
  let known = validity.get(selector);
  if (known === undefined) {
    known = requirements(selector).every((r) => (OPERATORS as readonly string[]).includes(r.operator));
    validity.set(selector, known);
  }
  return known;
}

/** `a` alone guarantees requirement `b` for every label set it selects. */
function impliesRequirement(a: Requirement[], b: Requirement): boolean {
  const same = a.filter((r) => r.key === b.key);
  const subset = (x: string[], y: string[]) => x.every((v) => y.includes(v));
  switch (b.operator) {
    case 'In':
      return same.some((r) => r.operator === 'In' && subset(r.values, b.values));
    case 'Exists':
      return same.some((r) => r.operator === 'Exists' || (r.operator === 'In' && r.values.length > 0));
    case 'NotIn':
      return same.some(
        (r) =>
          r.operator === 'DoesNotExist' ||
          (r.operator === 'In' && r.values.every((v) => !b.values.includes(v))) ||
          (r.operator === 'NotIn' && subset(b.values, r.values)),
      );
    case 'DoesNotExist':
      return same.some((r) => r.operator === 'DoesNotExist');
    default:
      return false;
  }
}

/** Every label set `a` selects, `b` selects too (sufficient, not necessary). */
export function selectorImplies(a: LabelSelector | undefined, b: LabelSelector | undefined): boolean {
  if (!valid(a) || !valid(b)) return false;
  const given = requirements(a);
  return requirements(b).every((r) => impliesRequirement(given, r));
}

/** The labels of the policy's own namespace, as a peer without namespaceSelector sees them. */
export function ownNamespaceLabels(model: Model, policy: PolicyModel): Record<string, string> {
  return model.namespace(policy.namespace)?.labels ?? { [NAMESPACE_NAME_LABEL]: policy.namespace };
}

/** The policy's namespace, for the cover indexes (lint-cover-index.ts). */
export function ownNamespace(
  model: Model,
  policy: PolicyModel,
): { name: string; labels: Record<string, string> } {
  return { name: policy.namespace, labels: ownNamespaceLabels(model, policy) };
}

/** A selector of the namespace by its name label, per model and namespace (its range is never read). */
const byNameSelectors = new WeakMap<Model, Map<string, LabelSelector>>();

function nameSelector(model: Model, namespace: string, range: LabelSelector['range']): LabelSelector {
  let byName = byNameSelectors.get(model);
  if (!byName) byNameSelectors.set(model, (byName = new Map()));
  let selector = byName.get(namespace);
  if (!selector) {
    selector = { matchLabels: { [NAMESPACE_NAME_LABEL]: namespace }, matchExpressions: [], range };
    byName.set(namespace, selector);
  }
  return selector;
}

function namespaceCovered(model: Model, policy: PolicyModel, a: PeerModel, b: PeerModel): boolean {
  if (!b.namespaceSelector) {
    if (!a.namespaceSelector) return true;
    return selectorImplies(a.namespaceSelector, nameSelector(model, policy.namespace, a.range));
  }
  if (!a.namespaceSelector) {
    return (
      valid(b.namespaceSelector) && selectorMatches(b.namespaceSelector, ownNamespaceLabels(model, policy))
    );
  }
  return selectorImplies(a.namespaceSelector, b.namespaceSelector);
}

function blockCovered(a: IpBlockModel, b: IpBlockModel): boolean {
  if (parseCidr(a.cidr).family !== 'ipv4' || parseCidr(b.cidr).family !== 'ipv4') return false;
  const outer = ipBlockIntervals(b);
  return ipBlockIntervals(a).every((iv) => outer.some((o) => contains(o, iv)));
}

/** A valid peer: selectors, or an ipBlock alone. */
export function validPeer(peer: PeerModel): boolean {
  const selectors = peer.podSelector !== undefined || peer.namespaceSelector !== undefined;
  return peer.ipBlock ? !selectors : selectors;
}

/**
 * Work counts for tests: pairs of peers and of rules compared, and candidate rules the rule index walked
 * (scaling.test.ts bounds how these grow).
 */
export const coverWork = { peerComparisons: 0, ruleComparisons: 0, ruleCandidates: 0 };

/** Every pod or address peer `a` matches, peer `b` matches too. */
export function peerCovered(model: Model, policy: PolicyModel, a: PeerModel, b: PeerModel): boolean {
  coverWork.peerComparisons++;
  if (!validPeer(a) || !validPeer(b)) return false;
  if (a.ipBlock || b.ipBlock) return !!a.ipBlock && !!b.ipBlock && blockCovered(a.ipBlock, b.ipBlock);
  if (!valid(a.podSelector) || !valid(a.namespaceSelector)) return false;
  return namespaceCovered(model, policy, a, b) && selectorImplies(a.podSelector, b.podSelector);
}

/** The numbered ports of a rule's entries (named ones left out), merged once: n log n for n entries. */
function numericPorts(ports: PortModel[]): ConnectionSet {
  const ranges: Partial<Record<Protocol, [number, number][]>> = {};
  for (const p of ports) {
    if (!isProtocol(p.protocol) || typeof p.port === 'string') continue;
    const protocol = p.protocol as Protocol;
    const range: [number, number] =
      p.port === undefined ? [MIN_PORT, MAX_PORT] : [p.port, p.endPort ?? p.port];
    (ranges[protocol] ??= []).push(range);
  }
  return ConnectionSet.fromJSON(ranges);
}

/** A rule's ports as `portsCovered` looks them up, per ports list (a rule is compared with each other). */
const coveringPorts = new WeakMap<PortModel[], { outer: ConnectionSet; names: Set<string> }>();

function portsOf(ports: PortModel[]): { outer: ConnectionSet; names: Set<string> } {
  let found = coveringPorts.get(ports);
  if (!found) {
    const names = new Set(
      ports.filter((q) => typeof q.port === 'string').map((q) => `${q.protocol}\u0000${q.port}`),
    );
    coveringPorts.set(ports, (found = { outer: numericPorts(ports), names }));
  }
  return found;
}

/** Every port of `a` is a port of `b`: each entry of `a` looked up in `b`'s merged ranges or names. */
function portsCovered(a: PortModel[] | null, b: PortModel[] | null): boolean {
  if (!b || b.length === 0) return true;
  if (!a || a.length === 0) return false;
  const { outer, names } = portsOf(b);
  return a.every((p) => {
    if (!isProtocol(p.protocol)) return true; // Allows nothing.
    const protocol = p.protocol as Protocol;
    if (typeof p.port === 'string') {
      return names.has(`${p.protocol}\u0000${p.port}`) || outer.containsRange(protocol, MIN_PORT, MAX_PORT);
    }
    if (p.port === undefined) return outer.containsRange(protocol, MIN_PORT, MAX_PORT);
    // Ports outside 1-65535, or an endPort below the port, allow nothing (the API server rejects them).
    const from = Math.max(MIN_PORT, p.port);
    const to = Math.min(MAX_PORT, p.endPort ?? p.port);
    return from > to || outer.containsRange(protocol, from, to);
  });
}

/** Everything rule `a` allows, rule `b` (same policy and direction) allows too. */
export function ruleCovered(model: Model, policy: PolicyModel, a: RuleModel, b: RuleModel): boolean {
  coverWork.ruleComparisons++;
  if (!portsCovered(a.ports, b.ports)) return false;
  if (!b.peers || b.peers.length === 0) return true;
  if (!a.peers || a.peers.length === 0) return false;
  return a.peers.every((p) => b.peers!.some((q) => peerCovered(model, policy, p, q)));
}
