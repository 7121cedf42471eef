// Label selector semantics (metav1.LabelSelector), exactly as the API machinery evaluates them.
import type { LabelSelector, Labels } from './types';

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
 * selector cannot be satisfied.
 */
export function representativeLabels(selector: LabelSelector): Record<string, string> | undefined {
  const labels: Record<string, string> = { ...selector.matchLabels };
  for (const requirement of selector.matchExpressions) {
    if (Object.prototype.hasOwnProperty.call(labels, requirement.key)) continue;
    if (requirement.operator === 'In' && requirement.values.length > 0)
      labels[requirement.key] = requirement.values[0];
    if (requirement.operator === 'Exists') labels[requirement.key] = 'true';
  }
  return selectorMatches(selector, labels) ? labels : undefined;
}
