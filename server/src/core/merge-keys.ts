// YAML 1.1 merge keys (`<<: *base`), which kubectl's YAML reader applies in every mapping.
import { CODES } from './codes';
import { isAlias, isMap, isScalar, isSeq, type Document, type Node } from 'yaml';
import type { SourceText } from './text';
import type { Problem } from './types';

/** The yaml package reads an unquoted `<<` key of a YAML 1.1 document as a symbol. */
export function isMergeKey(node: Node | null | undefined): boolean {
  return isScalar(node) && typeof node.value === 'symbol';
}

/**
 * Merge keys whose value is not a mapping, an alias of one, or a list of those: kubectl refuses the
 * document ("map merge requires map or sequence of maps as the value"), so they are errors at their place.
 */
export function reportBadMergeValues(
  document: Document.Parsed,
  source: SourceText,
  problems: Problem[],
): void {
  const resolve = (node: unknown): unknown => {
    for (let hops = 0; hops < 32 && isAlias(node); hops++) node = node.resolve(document);
    return node;
  };
  const fine = (node: unknown) => node === undefined || isAlias(node) || isMap(node); // unresolved: YAML error
  // Iterative: documents may nest thousands of levels deep.
  const stack: unknown[] = [document.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isSeq(node)) stack.push(...node.items);
    if (!isMap(node)) continue;
    for (const pair of node.items) {
      stack.push(pair.value);
      if (!isMergeKey(pair.key as Node)) continue;
      const value = resolve(pair.value);
      const ok = fine(value) || (isSeq(value) && value.items.every((item) => fine(resolve(item))));
      if (ok) continue;
      const at = (pair.value as Node | null)?.range ?? (pair.key as Node).range!;
      problems.push({
        code: CODES.type,
        severity: 'error',
        message:
          'merge key <<: expected a mapping, an alias of one, or a list of them (kubectl refuses this)',
        uri: source.uri,
        range: source.range(at[0], at[1]),
      });
    }
  }
}
