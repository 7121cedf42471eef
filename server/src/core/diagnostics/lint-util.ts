// Small helpers shared by the lint families.
import type { Model } from '../model';
import type { LabelSelector, PeerModel, PolicyModel, Range, RuleModel, WorkloadModel } from '../types';

/** Written in the workspace: neither the implicit cluster DNS nor an inferred representative pod. */
export function isDefined(workload: WorkloadModel): boolean {
  return !workload.implicit && !workload.inferred;
}

/** Lints ask for the same namespaces again and again: the answers are kept per model. */
const definedByModel = new WeakMap<Model, Map<string | undefined, WorkloadModel[]>>();

/** The workloads written in the workspace, of one namespace or all. Shared: do not modify. */
export function definedWorkloads(model: Model, namespace?: string): WorkloadModel[] {
  let byNamespace = definedByModel.get(model);
  if (!byNamespace) definedByModel.set(model, (byNamespace = new Map()));
  let defined = byNamespace.get(namespace);
  if (!defined) {
    defined = (namespace === undefined ? model.workloads : model.workloadsIn(namespace)).filter(isDefined);
    byNamespace.set(namespace, defined);
  }
  return defined;
}

const namespacesDefined = new WeakMap<Model, boolean>();

/** The workspace defines Namespace objects, so namespace labels can be judged (asked once per peer). */
export function definesNamespaces(model: Model): boolean {
  let defined = namespacesDefined.get(model);
  if (defined === undefined)
    namespacesDefined.set(model, (defined = model.namespaces.some((n) => !n.implicit)));
  return defined;
}

/** The rules of the directions the policy affects. */
// The rules run once per `check`, mostly before V8 has optimized them, and there a `for…of` over an array
// allocates a result object per step (a fifth of what the rules allocated on 3,900 documents): the loops
// that run for every policy, rule, peer or port are indexed.

const NO_RULES: readonly RuleModel[] = [];

/** The rules of the directions the policy affects, ingress first. Shared when one side is empty: do not modify. */
export function effectiveRules(policy: PolicyModel): readonly RuleModel[] {
  return joined(
    policy.affects.ingress ? policy.ingress : NO_RULES,
    policy.affects.egress ? policy.egress : NO_RULES,
  );
}

/** Every rule, ingress first. Shared when one side is empty: do not modify. */
export function allRules(policy: PolicyModel): readonly RuleModel[] {
  return joined(policy.ingress, policy.egress);
}

// Most policies have rules in one direction only: their list is used as it is, not copied for each rule.
function joined(first: readonly RuleModel[], second: readonly RuleModel[]): readonly RuleModel[] {
  if (second.length === 0) return first;
  if (first.length === 0) return second;
  return [...first, ...second];
}

/** A peer of pods: selectors only (an ipBlock peer, or an invalid empty or mixed peer, is not). */
export function isPodPeer(peer: PeerModel): boolean {
  return !peer.ipBlock && (peer.podSelector !== undefined || peer.namespaceSelector !== undefined);
}

/** `spec.egress[2].to[1]`-style path of a rule or peer, for messages. */
export function rulePath(rule: RuleModel, peer?: PeerModel): string {
  const base = `spec.${rule.direction}[${rule.index}]`;
  if (!peer) return base;
  return `${base}.${rule.direction === 'ingress' ? 'from' : 'to'}[${peer.index}]`;
}

export function policyLabel(policy: PolicyModel): string {
  return `${policy.namespace}/${policy.name}`;
}

/** A range on the same line, `length` characters from `range.start`. */
export function prefixRange(range: Range, length: number): Range {
  const { start } = range;
  return {
    start,
    end: { line: start.line, character: start.character + length, offset: start.offset + length },
  };
}

export function uniqueById(workloads: WorkloadModel[]): WorkloadModel[] {
  return [...new Map(workloads.map((w) => [w.id, w])).values()];
}

/** "a, b and 3 more". */
export function listNames(names: string[], limit = 3): string {
  return listedOf(names.slice(0, limit), names.length, limit);
}

/** {@link listNames} of the items' ids, naming only the first few (a rule may reach thousands of pods). */
export function listIds(items: readonly { id: string }[], limit = 3): string {
  return listedOf(
    items.slice(0, limit).map((item) => item.id),
    items.length,
    limit,
  );
}

function listedOf(first: string[], total: number, limit: number): string {
  const shown = first.join(', ');
  return total > limit ? `${shown} and ${total - limit} more` : shown;
}

export function selectorText(selector: LabelSelector): string {
  const parts = [
    ...Object.entries(selector.matchLabels).map(([k, v]) => `${k}=${v}`),
    ...selector.matchExpressions.map((e) => `${e.key} ${e.operator} (${e.values.join(', ')})`),
  ];
  return parts.length > 0 ? parts.join(', ') : '{}';
}
