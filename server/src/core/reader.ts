// Typed, located access to YAML nodes. Wrong types become problems at the offending node, never exceptions.
import { CODES, type DiagnosticCode } from './codes';
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  type Document,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { hasDistinctStringKeys, holdsNoAliases, startOf, valueEndOf } from './fast-read';
import { documentAliases } from './aliases';
import { isMergeKey } from './merge-keys';
import type { SourceText } from './text';
import type { Problem, Range, Severity } from './types';

/** Bounds alias chains so a hostile document cannot send us round in circles. */
const MAX_ALIAS_HOPS = 32;

/** A value that could not be read and so was left out: the object holding it is unreadable. */
export interface Loss {
  /** Offsets into the file. */
  start: number;
  end: number;
  why: string;
}

/** One key of a mapping as kubectl sees it: written in the mapping or brought in by a merge key (`<<`). */
export interface EffectivePair {
  key: string;
  keyNode: Node;
  /** The value node, aliases not yet followed. */
  value: Node | undefined;
}

/** Mappings of at most this many pairs are searched in place (see YamlReader.pair). */
const SEARCHED_IN_PLACE = 8;

/** Effective pairs of large mappings: parsed documents are never changed, so they can be kept. */
const effectivePairs = new WeakMap<YAMLMap, Map<string, EffectivePair>>();

/** The path of the value at `key` under `path` (of the value at `path` itself without a key). */
function pathTo(path: string, key: string | undefined): string {
  return key === undefined ? path : `${path}.${key}`;
}

/** The key of a pair whose key is a scalar, as {@link YamlReader.pairs} names it. */
function plainKey(pair: { key: unknown }): string {
  const value = (pair.key as Scalar).value;
  return typeof value === 'string' ? value : String(value);
}

const NO_LOSSES: readonly Loss[] = Object.freeze([]);

export class YamlReader {
  /**
   * Where values could not be read (a wrong type, an unresolved alias) and were left out. Leaving a value
   * out can widen what a policy allows (a lost peer list reads as "from everywhere"), so extraction marks
   * an object with losses as unreadable instead of analysing what is left of it. A reader without losses
   * shares one empty list (a large file has a reader per object).
   */
  get losses(): readonly Loss[] {
    return this.lost ?? NO_LOSSES;
  }

  private lost: Loss[] | undefined;

  /**
   * @param document the document read, or how to get it when it is read again on demand (a large file
   *   keeps no nodes: see RebuiltSection in documents.ts)
   */
  constructor(
    readonly source: SourceText,
    private readonly documentOf: Document.Parsed | (() => Document.Parsed),
    readonly problems: Problem[],
  ) {}

  /** The document read; of a rebuilt section, the same document its nodes come from while they are used. */
  get document(): Document.Parsed {
    return typeof this.documentOf === 'function' ? this.documentOf() : this.documentOf;
  }

  /** Whether the document is read again on demand (a rebuilt section), so its nodes must not be kept. */
  get rebuildsDocument(): boolean {
    return typeof this.documentOf === 'function';
  }

  /** The same reader, reporting into another list. */
  withSink(problems: Problem[]): YamlReader {
    return new YamlReader(this.source, this.documentOf, problems);
  }

  /**
   * Follows aliases to the node they name; undefined when the anchor is missing or when the document's
   * aliases expand beyond the budget (see aliases.ts; parseFile reports that once).
   */
  deref(node: Node | null | undefined): Node | undefined {
    if (!isAlias(node)) return node ?? undefined;
    const aliases = documentAliases(this.document);
    if (!aliases.follow) {
      this.lose(node, `alias *${node.source} not followed (the document's aliases expand too far)`);
      return undefined;
    }
    let current: unknown = node;
    for (let hops = 0; isAlias(current) && hops < MAX_ALIAS_HOPS; hops++) {
      current = aliases.targets.has(current)
        ? aliases.targets.get(current)
        : (current as { resolve(doc: Document): unknown }).resolve(this.document);
    }
    const target = isAlias(current) ? undefined : ((current as Node | undefined) ?? undefined);
    if (target === undefined) this.lose(node, `unresolved alias *${node.source}`);
    return target;
  }

  /** Records that the value at `node` could not be read (see {@link losses}). */
  lose(node: Node | null | undefined, why: string): void {
    const r = node?.range;
    (this.lost ??= []).push({ start: r?.[0] ?? 0, end: r?.[1] ?? 0, why });
  }

  /** Reports a value of the wrong type, which is then left out (a loss). */
  private reject(node: Node | null | undefined, message: string): void {
    this.report(node, CODES.type, message);
    this.lose(node, message);
  }

  range(node: Node | null | undefined): Range {
    const start = node ? startOf(node) : undefined;
    if (start === undefined) return this.source.range(0, 0);
    return this.source.range(start, valueEndOf(node!));
  }

  report(
    node: Node | null | undefined,
    code: DiagnosticCode,
    message: string,
    severity: Severity = 'error',
  ): void {
    this.problems.push({ code, severity, message, uri: this.source.uri, range: this.range(node) });
  }

  /** The value node under `key`, or undefined when the key is absent or the value is null. */
  get(map: YAMLMap | undefined, key: string): Node | undefined {
    if (!map) return undefined;
    const pair = this.pair(map, key);
    if (pair === undefined) return undefined;
    const value = (pair.value as Node | null) ?? undefined;
    const node = holdsNoAliases(map) ? value : this.deref(value);
    if (isScalar(node) && node.value === null) return undefined;
    return node;
  }

  /** The key node of `key` in `map`, for ranges that should point at the key. */
  keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
    if (!map) return undefined;
    const pair = this.pair(map, key);
    return pair === undefined ? undefined : 'keyNode' in pair ? pair.keyNode : (pair.key as Node);
  }

  /**
   * The effective pair of `key`, as {@link pairs} has it. A small mapping without merge keys (nearly every
   * mapping of a manifest) is searched where it stands, the last pair of the key winning as in `pairs`:
   * most are read for a few keys only, and a table of their pairs costs more time and memory than it saves.
   * (What is found there is the mapping's own pair, not a copy: a lookup allocates nothing.)
   */
  private pair(map: YAMLMap, key: string): EffectivePair | Pair | undefined {
    const items = map.items;
    if (items.length > SEARCHED_IN_PLACE) return this.pairs(map).get(key);
    // Keys that are distinct strings: the pair of the key is the one written with it.
    if (hasDistinctStringKeys(map)) {
      for (const item of items) if ((item.key as Scalar).value === key) return item as Pair;
      return undefined;
    }
    let found: Pair | undefined;
    for (const item of items) {
      // Only a scalar has a `value` (collections and aliases have none): a string key is compared before
      // anything else, without asking each key for its node type.
      const keyNode = item.key as Partial<Scalar> | null;
      const value = keyNode == null ? undefined : keyNode.value;
      if (typeof value === 'string') {
        if (value === key && isScalar(keyNode)) found = item as Pair;
      } else if (!isScalar(keyNode)) continue;
      else if (isMergeKey(keyNode)) return this.pairs(map).get(key);
      else if (String(value) === key) found = item as Pair;
    }
    return found;
  }

  /** Range spanning a key and its value. */
  pairRange(map: YAMLMap | undefined, key: string): Range | undefined {
    const keyNode = this.keyNode(map, key);
    const keyStart = keyNode ? startOf(keyNode) : undefined;
    if (keyStart === undefined) return undefined;
    const keyEnd = valueEndOf(keyNode!);
    const value = this.get(map, key);
    const end = value && startOf(value) !== undefined ? valueEndOf(value) : keyEnd;
    return this.source.range(keyStart, Math.max(end, keyEnd));
  }

  has(map: YAMLMap | undefined, key: string): boolean {
    return map !== undefined && this.keyNode(map, key) !== undefined;
  }

  map(node: Node | undefined, path: string): YAMLMap | undefined {
    if (node === undefined) return undefined;
    if (isMap(node)) return node;
    this.reject(node, `${path}: expected a mapping`);
    return undefined;
  }

  seq(node: Node | undefined, path: string): YAMLSeq | undefined {
    if (node === undefined) return undefined;
    if (isSeq(node)) return node;
    this.reject(node, `${path}: expected a list`);
    return undefined;
  }

  /** The items of a list, dereferenced, or [] with a problem when it is not a list. */
  items(node: Node | undefined, path: string): Node[] {
    const seq = this.seq(node, path);
    if (!seq) return [];
    const items = seq.items;
    if (holdsNoAliases(seq)) return items.slice() as Node[];
    const result: Node[] = [];
    for (const item of items) {
      const target = this.deref(item as Node);
      // An alias that is not followed leaves no item (and no second problem).
      if (target !== undefined) result.push(target);
      else if (!isAlias(item)) result.push(item as Node);
    }
    return result;
  }

  /**
   * A string. An unquoted number or boolean (YAML 1.1 reads `y`, `no`, `on`, `010` that way, as kubectl
   * does) is reported and read as its source text, so the analysis goes on with what the user meant.
   */
  string(node: Node | undefined, path: string, key?: string): string | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node)) {
      if (typeof node.value === 'string') return node.value;
      if (typeof node.value === 'number' || typeof node.value === 'boolean') {
        const source = String(node.source ?? node.value);
        const kind = typeof node.value === 'boolean' ? 'a boolean' : 'a number';
        this.report(
          node,
          CODES.type,
          `${pathTo(path, key)}: expected a string; YAML reads ${source} as ${kind}, quote it ("${source}")`,
        );
        return source;
      }
    }
    this.reject(node, `${pathTo(path, key)}: expected a string`);
    return undefined;
  }

  /**
   * A label value: a string, possibly empty (null counts as empty). With `key`, the value is at
   * `path.key` (the path is written out only for a problem).
   */
  labelValue(node: Node | undefined, path: string, key?: string): string | undefined {
    if (node === undefined) return '';
    if (isScalar(node) && node.value === null) return '';
    return this.string(node, path, key);
  }

  integer(node: Node | undefined, path: string): number | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
    this.reject(node, `${path}: expected an integer`);
    return undefined;
  }

  /** int-or-string, as used by ports. */
  intOrString(node: Node | undefined, path: string): number | string | undefined {
    if (node === undefined) return undefined;
    if (isScalar(node)) {
      if (typeof node.value === 'string') return node.value;
      if (node.value === null) return '';
      if (typeof node.value === 'number' && Number.isInteger(node.value)) return node.value;
    }
    this.reject(node, `${path}: expected an integer or a string`);
    return undefined;
  }

  /** A string→string mapping such as labels or matchLabels. */
  stringMap(node: Node | undefined, path: string): Record<string, string> {
    const result: Record<string, string> = {};
    const map = this.map(node, path);
    if (!map) return result;
    const plain = this.isPlain(map);
    if (!plain) {
      for (const pair of map.items) {
        const keyNode = pair.key as Node;
        if (!isScalar(keyNode)) this.reject(keyNode, `${path}: keys must be strings`);
      }
    }
    const noAliases = holdsNoAliases(map);
    const add = (key: string, valueNode: Node | undefined) => {
      let target = valueNode;
      if (!noAliases) {
        if (isAlias(valueNode) && this.deref(valueNode) === undefined) return; // not followed
        target = this.deref(valueNode);
      }
      const value = this.labelValue(target, path, key);
      if (value !== undefined) result[key] = value;
    };
    if (plain) for (const pair of map.items) add(plainKey(pair), (pair.value as Node | null) ?? undefined);
    else for (const { key, value } of this.pairs(map).values()) add(key, value);
    return result;
  }

  /** Iterates `key → value node` of a mapping, dereferenced. */
  entries(map: YAMLMap | undefined): [string, Node | undefined, Node][] {
    if (!map) return [];
    if (this.isPlain(map)) {
      return map.items.map((p) => [
        plainKey(p),
        this.deref((p.value as Node | null) ?? undefined),
        p.key as Node,
      ]);
    }
    return [...this.pairs(map).values()].map((p) => [p.key, this.deref(p.value), p.keyNode]);
  }

  /**
   * Whether a mapping's written pairs are its effective pairs as they stand ({@link pairs} would make the
   * same of them): a small mapping whose keys are all scalars, none of them a merge key or repeated (nearly
   * every labels mapping). Its pairs are then read where they are, without a table.
   */
  private isPlain(map: YAMLMap): boolean {
    const items = map.items;
    if (items.length > SEARCHED_IN_PLACE) return false;
    if (hasDistinctStringKeys(map)) return true;
    for (let i = 0; i < items.length; i++) {
      const keyNode = items[i].key as Node;
      if (!isScalar(keyNode) || isMergeKey(keyNode)) return false;
      const key = plainKey(items[i]);
      for (let j = 0; j < i; j++) if (plainKey(items[j]) === key) return false;
    }
    return true;
  }

  /**
   * The mapping's keys as kubectl's YAML reader (go-yaml v2) sees them: pairs in written order, a merge
   * key (`<<: *base` or `<<: [*a, *b]`) bringing in the pairs of the mappings it names where it stands
   * (of several, the earlier wins), and a later pair overriding an earlier one. Merge values that are not
   * mappings bring in nothing; parseFile reports them.
   */
  pairs(map: YAMLMap, depth = 0): Map<string, EffectivePair> {
    const known = effectivePairs.get(map);
    if (known) return known;
    const result = new Map<string, EffectivePair>();
    for (const pair of map.items) {
      const keyNode = pair.key as Node;
      if (isMergeKey(keyNode)) {
        if (depth < MAX_ALIAS_HOPS) this.merge(result, pair.value as Node | undefined, depth);
      } else if (isScalar(keyNode)) {
        const key = String(keyNode.value);
        result.delete(key); // Keeps Map order equal to the order in which kubectl's map would list keys.
        result.set(key, { key, keyNode, value: (pair.value as Node | null) ?? undefined });
      }
    }
    // Kept for the large mappings that `pair` looks keys up in; a small one is read once or twice (labels),
    // and a table per mapping was a tenth of what a large file kept after its analysis.
    if (depth === 0 && map.items.length > SEARCHED_IN_PLACE) effectivePairs.set(map, result);
    return result;
  }

  private merge(into: Map<string, EffectivePair>, source: Node | undefined, depth: number): void {
    const target = this.deref(source);
    const sources = isSeq(target) ? [...target.items].reverse() : [target];
    for (const item of sources) {
      const map = this.deref(item as Node | undefined);
      if (!isMap(map)) continue;
      for (const [key, pair] of this.pairs(map, depth + 1)) {
        into.delete(key);
        into.set(key, pair);
      }
    }
  }
}
