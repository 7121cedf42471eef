// Label selector semantics (metav1.LabelSelector), exactly as the API machinery evaluates them.
import type { LabelRequirement, LabelSelector, Labels } from './types';

export const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** True when the selector selects the given label set. `{}` selects everything. */
export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  for (const key in selector.matchLabels) {
    if (!Object.prototype.hasOwnProperty.call(labels, key) || labels[key] !== selector.matchLabels[key]) {
      return false;
    }
  }
  for (const requirement of selector.matchExpressions) {
    const present = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    switch (requirement.operator) {
      case 'In':
        if (!present || !requirement.values.includes(labels[requirement.key])) return false;
        break;
      case 'NotIn':
        if (present && requirement.values.includes(labels[requirement.key])) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        // An unknown operator makes the object invalid; the API server would reject it, so it selects nothing.
        return false;
    }
  }
  return true;
}

export function isEmptySelector(selector: LabelSelector | undefined): boolean {
  return (
    selector !== undefined &&
    Object.keys(selector.matchLabels).length === 0 &&
    selector.matchExpressions.length === 0
  );
}

/** A canonical text for a selector, equal for selectors that are written differently but mean the same. */
export function selectorKey(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => `${k}=${selector.matchLabels[k]}`);
  const expressions = selector.matchExpressions
    .map((e) => `${e.key} ${e.operator} (${[...e.values].sort().join(',')})`)
    .sort();
  return [...labels, ...expressions].join(';');
}

/**
 * A label set that the selector selects, for representative (inferred) pods, or undefined when the
 * selector cannot be satisfied. It depends only on what the selector means, not on how it is written (the
 * order of expressions or values), so inferred pods do not depend on the order of files either: per key,
 * the value is the matchLabels value, else the smallest value every `In` allows and no `NotIn` forbids,
 * else (`Exists` alone) `true` or the first `true-N` no `NotIn` forbids; keys with only `NotIn` or
 * `DoesNotExist` stay absent.
 */
export function representativeLabels(selector: LabelSelector): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...selector.matchLabels };
  const byKey = new Map<string, LabelRequirement[]>();
  for (const requirement of selector.matchExpressions) {
    byKey.set(requirement.key, [...(byKey.get(requirement.key) ?? []), requirement]);
  }
  for (const [key, requirements] of byKey) {
    if (Object.prototype.hasOwnProperty.call(labels, key)) continue;
    const forbidden = new Set(requirements.flatMap((r) => (r.operator === 'NotIn' ? r.values : [])));
    const allowedSets = requirements.filter((r) => r.operator === 'In').map((r) => r.values);
    if (allowedSets.length > 0) {
      const candidates = [...new Set(allowedSets[0])]
        .filter((v) => !forbidden.has(v) && allowedSets.every((values) => values.includes(v)))
        .sort();
      if (candidates.length === 0) return undefined;
      labels[key] = candidates[0];
    } else if (requirements.some((r) => r.operator === 'Exists')) {
      let value = 'true';
      for (let n = 2; forbidden.has(value); n++) value = `true-${n}`;
      labels[key] = value;
    }
  }
  return selectorMatches(selector, labels) ? labels : undefined;
}
