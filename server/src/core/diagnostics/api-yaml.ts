// Side-effect-free access to YAML nodes for the API-server checks. The YamlReader's typed getters
// report `netpol.type` problems, which the model has already done; here wrong types are just skipped.
import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import type { KubeObject } from '../parse';
import type { YamlReader } from '../reader';
import type { DiagnosticCode } from '../codes';
import type { Finding } from './rule';

export type { Finding };

/** Where checks of one object report, with the reader that locates its nodes. */
export class Sink {
  constructor(
    readonly r: YamlReader,
    private readonly out: Finding[],
  ) {}

  static for(obj: KubeObject, out: Finding[]): Sink {
    return new Sink(obj.reader, out);
  }

  report(
    code: DiagnosticCode,
    node: Node | undefined,
    message: string,
    data?: Record<string, unknown>,
  ): void {
    const range = this.r.range(node);
    this.out.push({ code, uri: this.r.source.uri, range, message, ...(data ? { data: plain(data) } : {}) });
  }

  /** The value under `key` (undefined when absent or null), aliases followed. */
  get(map: YAMLMap | undefined, key: string): Node | undefined {
    return this.r.get(map, key);
  }

  keyNode(map: YAMLMap | undefined, key: string): Node | undefined {
    return this.r.keyNode(map, key);
  }

  map(node: Node | undefined): YAMLMap | undefined {
    return isMap(node) ? node : undefined;
  }

  /** The mapping under `key`, or undefined when absent or not a mapping. */
  mapAt(map: YAMLMap | undefined, key: string): YAMLMap | undefined {
    return this.map(this.get(map, key));
  }

  /** The list items under `key`, aliases followed; [] when absent or not a list. */
  items(map: YAMLMap | undefined, key: string): Node[] {
    const node = this.get(map, key);
    return isSeq(node) ? node.items.map((item) => this.r.deref(item as Node) ?? (item as Node)) : [];
  }

  /** `key → value node → key node` of a mapping's scalar keys. */
  entries(map: YAMLMap | undefined): [string, Node | undefined, Node][] {
    return this.r.entries(map);
  }
}

export function stringValue(node: Node | undefined): string | undefined {
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

export function integerValue(node: Node | undefined): number | undefined {
  return isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)
    ? node.value
    : undefined;
}

/** A label value as the API sees it: a string, or '' for an empty (null) value; undefined for other types. */
export function labelText(node: Node | undefined): string | undefined {
  if (node === undefined || (isScalar(node) && node.value === null)) return '';
  return stringValue(node);
}

/** `spec.ingress[0]` + `from` → `spec.ingress[0].from`, as field.Path prints it. */
export function child(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** Drops undefined fields so problem data stays plain JSON. */
export function plain(data: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
}
