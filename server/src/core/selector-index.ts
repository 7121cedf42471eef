// Matching many selectors against many labelled things without comparing every pair. A selector is only
// tried on the candidates that carry its most selective required label (a matchLabels pair, an `In` or
// an `Exists` key), found through an inverted index; selectors that require nothing (`{}`, only `NotIn` or
// `DoesNotExist`) try everything. Results are memoised per selector meaning, up to a bound, because
// workspaces repeat the same few selectors in thousands of policies. Without this, a workspace with twice
// the namespaces and twice the policies took four times as long to match namespace selectors.
import { selectorMatches } from './selectors';
import type { LabelSelector, Labels } from './types';

/** Memoised selectors per index; beyond this, results are computed each time (memory stays bounded). */
const MEMO_LIMIT = 4096;
const NONE: readonly number[] = [];

/** Selectors of the model are not changed once built, and are matched many times over. */
const meaningKeys = new WeakMap<LabelSelector, string>();

/** An unambiguous key for what a selector means (order of labels, expressions and values ignored). */
export function meaningKey(selector: LabelSelector): string {
  let key = meaningKeys.get(selector);
  if (key === undefined) meaningKeys.set(selector, (key = computeMeaningKey(selector)));
  return key;
}

function computeMeaningKey(selector: LabelSelector): string {
  const labels = Object.keys(selector.matchLabels)
    .sort()
    .map((k) => [k, selector.matchLabels[k]]);
  const expressions = selector.matchExpressions
    .map((e) => JSON.stringify([e.key, e.operator, [...e.values].sort()]))
    .sort();
  return JSON.stringify([labels, expressions]);
}

export class SelectorIndex<T> {
  /** Item positions (ascending) by `key` and by `key\0value`. */
  private readonly byKey = new Map<string, number[]>();
  private readonly byPair = new Map<string, number[]>();
  private readonly memo = new Map<string, readonly T[]>();
  /** Times selectorMatches ran, over all indexes (for tests that bound the work as the input grows). */
  static comparisons = 0;

  constructor(
    readonly items: readonly T[],
    private readonly labelsOf: (item: T) => Labels,
  ) {
    items.forEach((item, position) => {
      const labels = labelsOf(item);
      for (const key of Object.keys(labels)) {
        push(this.byKey, key, position);
        push(this.byPair, `${key}\0${labels[key]}`, position);
      }
    });
  }

  /** The items the selector selects, in their original order. Shared: do not modify. */
  matching(selector: LabelSelector): readonly T[] {
    const key = meaningKey(selector);
    const known = this.memo.get(key);
    if (known) return known;
    const result: T[] = [];
    const test = (position: number) => {
      SelectorIndex.comparisons++;
      const item = this.items[position];
      if (selectorMatches(selector, this.labelsOf(item))) result.push(item);
    };
    const candidates = this.candidates(selector);
    if (candidates) candidates.forEach(test);
    else for (let position = 0; position < this.items.length; position++) test(position);
    if (this.memo.size < MEMO_LIMIT) this.memo.set(key, result);
    return result;
  }

  /** The positions of the only items that can match, ascending; undefined when any item can. */
  private candidates(selector: LabelSelector): readonly number[] | undefined {
    let best: readonly number[] | undefined;
    const consider = (list: readonly number[]) => {
      if (!best || list.length < best.length) best = list;
    };
    for (const key of Object.keys(selector.matchLabels)) {
      consider(this.byPair.get(`${key}\0${selector.matchLabels[key]}`) ?? NONE);
    }
    for (const requirement of selector.matchExpressions) {
      if (requirement.operator === 'Exists') consider(this.byKey.get(requirement.key) ?? NONE);
      else if (requirement.operator === 'In') consider(this.union(requirement.key, requirement.values));
    }
    return best;
  }

  private union(key: string, values: readonly string[]): readonly number[] {
    const lists = [...new Set(values)].map((v) => this.byPair.get(`${key}\0${v}`) ?? NONE);
    if (lists.length === 1) return lists[0];
    return [...new Set(lists.flat())].sort((a, b) => a - b);
  }
}

function push(map: Map<string, number[]>, key: string, position: number): void {
  const list = map.get(key);
  if (list) list.push(position);
  else map.set(key, [position]);
}
