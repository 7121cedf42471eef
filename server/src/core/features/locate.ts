// What is at the cursor: the YAML path and node (from the `yaml` package's node ranges), the enclosing
// Kubernetes object and the model element written there.
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Analysis } from '../index';
import { fileOf } from '../diagnostics/lint-yaml';
import type { Model } from '../model';
import type { KubeObject, ParsedFile } from '../parse';
import type {
  Direction,
  IpBlockModel,
  LabelSelector,
  NamespaceModel,
  PeerModel,
  PolicyModel,
  PortModel,
  Range,
  RuleModel,
  ServiceModel,
  WorkloadModel,
} from '../types';

export type PathSegment = string | number;

export type ModelElement =
  | { kind: 'policy'; policy: PolicyModel }
  | { kind: 'policyTypes'; policy: PolicyModel }
  | { kind: 'rules'; policy: PolicyModel; direction: Direction }
  | { kind: 'rule'; policy: PolicyModel; rule: RuleModel }
  | { kind: 'peer'; policy: PolicyModel; rule: RuleModel; peer: PeerModel }
  /** spec.podSelector. */
  | { kind: 'selector'; role: 'policy'; policy: PolicyModel; selector: LabelSelector }
  /** A selector inside a peer. */
  | {
      kind: 'selector';
      role: 'pod' | 'namespace';
      policy: PolicyModel;
      selector: LabelSelector;
      rule: RuleModel;
      peer: PeerModel;
    }
  | { kind: 'ipBlock'; policy: PolicyModel; rule: RuleModel; peer: PeerModel; ipBlock: IpBlockModel }
  | { kind: 'ports'; policy: PolicyModel; rule: RuleModel }
  | { kind: 'port'; policy: PolicyModel; rule: RuleModel; port: PortModel }
  | { kind: 'workload'; workload: WorkloadModel }
  | { kind: 'namespace'; namespace: NamespaceModel }
  | { kind: 'service'; service: ServiceModel };

export interface CursorLocation {
  file: ParsedFile;
  offset: number;
  /** The innermost Kubernetes object around the cursor. */
  object?: KubeObject;
  /** Keys and indexes from the object's root to `node`. */
  path: PathSegment[];
  /** The innermost node containing the cursor: a key or value scalar, or the collection between items. */
  node?: Node;
  /** The cursor is on a mapping key (the last path segment is that key). */
  onKey: boolean;
  element?: ModelElement;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return r !== undefined && r !== null && r[0] <= offset && offset <= r[1];
}

function keyOf(node: Node): PathSegment {
  return isScalar(node) ? String(node.value) : '';
}

/** With the text: the item of a block sequence whose `-` the cursor is on (the dash stands for its item). */
function itemAfterDash(items: unknown[], offset: number, text: string | undefined): number {
  if (text === undefined) return -1;
  return items.findIndex((item) => {
    const start = (item as Node | null)?.range?.[0];
    return start !== undefined && start > offset && /^-[ \t]*$/.test(text.slice(offset, start));
  });
}

/** Walks down from `root` through the collections whose ranges contain `offset`. */
export function pathAt(
  root: Node,
  offset: number,
  text?: string,
): { path: PathSegment[]; node: Node; onKey: boolean } {
  const path: PathSegment[] = [];
  let node = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => contains(p.key as Node, offset) || contains(p.value as Node, offset),
      );
      if (!pair) return { path, node, onKey: false };
      path.push(keyOf(pair.key as Node));
      if (contains(pair.key as Node, offset)) return { path, node: pair.key as Node, onKey: true };
      node = pair.value as Node;
    } else if (isSeq(node)) {
      let index = node.items.findIndex((item) => contains(item as Node, offset));
      if (index < 0) index = itemAfterDash(node.items, offset, text);
      if (index < 0) return { path, node, onKey: false };
      path.push(index);
      node = node.items[index] as Node;
    } else {
      return { path, node, onKey: false };
    }
  }
}

function objectAt(file: ParsedFile, offset: number): KubeObject | undefined {
  // Objects of a List lie inside the List's document; the last match is the innermost.
  let found: KubeObject | undefined;
  for (const obj of file.objects) {
    if (obj.range.start.offset <= offset && offset <= obj.range.end.offset) found = obj;
  }
  return found;
}

/** The model's elements by where their object starts (`uri`, offset), the first in model order of each. */
interface ElementsByStart {
  policies: Map<string, PolicyModel>;
  workloads: Map<string, WorkloadModel>;
  namespaces: Map<string, NamespaceModel>;
  services: Map<string, ServiceModel>;
}

/** Elements and objects indexed, for tests that bound the work as a file grows (scaling-selections.test.ts). */
export const locateWork = { indexed: 0 };

/** Built once per model: the outline asks for each object of a file, and a scan for each grew as its square. */
const elementsByStart = new WeakMap<Model, ElementsByStart>();

function startKey(uri: string, range: Range): string {
  return `${range.start.offset}\0${uri}`;
}

function byStart<T>(items: readonly T[], at: (item: T) => { uri: string; range: Range } | undefined) {
  const found = new Map<string, T>();
  locateWork.indexed += items.length;
  for (const item of items) {
    const where = at(item);
    const key = where && startKey(where.uri, where.range);
    if (key !== undefined && !found.has(key)) found.set(key, item);
  }
  return found;
}

function elementsOf(model: Model): ElementsByStart {
  let elements = elementsByStart.get(model);
  if (!elements) {
    elements = {
      policies: byStart(model.policies, (p) => ({ uri: p.uri, range: p.range })),
      workloads: byStart(model.workloads, (w) => w.source),
      namespaces: byStart(model.namespaces, (n) => n.source),
      services: byStart(model.services, (s) => s.source),
    };
    elementsByStart.set(model, elements);
  }
  return elements;
}

/** The model element an object was turned into, if any. */
export function objectElement(model: Model, file: ParsedFile, obj: KubeObject): ModelElement | undefined {
  const elements = elementsOf(model);
  const key = startKey(file.uri, obj.range);
  if (obj.kind === 'NetworkPolicy') {
    const policy = elements.policies.get(key);
    return policy && { kind: 'policy', policy };
  }
  const workload = elements.workloads.get(key);
  if (workload) return { kind: 'workload', workload };
  const namespace = elements.namespaces.get(key);
  if (namespace && obj.kind === 'Namespace') return { kind: 'namespace', namespace };
  const service = elements.services.get(key);
  return service && { kind: 'service', service };
}

function peerElement(policy: PolicyModel, rule: RuleModel, path: PathSegment[]): ModelElement {
  const peer = (rule.peers ?? []).find((p) => p.index === path[4]);
  if (!peer) return { kind: 'rule', policy, rule };
  const field = path[5];
  if (field === 'podSelector' && peer.podSelector)
    return { kind: 'selector', policy, selector: peer.podSelector, role: 'pod', rule, peer };
  if (field === 'namespaceSelector' && peer.namespaceSelector)
    return { kind: 'selector', policy, selector: peer.namespaceSelector, role: 'namespace', rule, peer };
  if (field === 'ipBlock' && peer.ipBlock)
    return { kind: 'ipBlock', policy, rule, peer, ipBlock: peer.ipBlock };
  return { kind: 'peer', policy, rule, peer };
}

function ruleElement(policy: PolicyModel, direction: Direction, path: PathSegment[]): ModelElement {
  const rule = policy[direction].find((r) => r.index === path[2]);
  if (!rule) return { kind: 'rules', policy, direction };
  if (path[3] === (direction === 'ingress' ? 'from' : 'to')) return peerElement(policy, rule, path);
  if (path[3] !== 'ports') return { kind: 'rule', policy, rule };
  const port = (rule.ports ?? []).find((p) => p.index === path[4]);
  return port ? { kind: 'port', policy, rule, port } : { kind: 'ports', policy, rule };
}

/** The innermost policy element at a path inside a NetworkPolicy. */
export function policyElement(policy: PolicyModel, path: PathSegment[]): ModelElement {
  if (path[0] !== 'spec') return { kind: 'policy', policy };
  const field = path[1];
  if (field === 'podSelector')
    return { kind: 'selector', policy, selector: policy.podSelector, role: 'policy' };
  if (field === 'policyTypes') return { kind: 'policyTypes', policy };
  if (field === 'ingress' || field === 'egress') return ruleElement(policy, field, path);
  return { kind: 'policy', policy };
}

/** Locates the cursor in a parsed file; with the model, also the model element there. */
export function locate(file: ParsedFile, offset: number, model?: Model): CursorLocation {
  const object = objectAt(file, offset);
  if (!object) return { file, offset, path: [], onKey: false };
  const { path, node, onKey } = pathAt(object.node, offset, file.source.text);
  const location: CursorLocation = { file, offset, object, path, node, onKey };
  const base = model && objectElement(model, file, object);
  location.element = base?.kind === 'policy' ? policyElement(base.policy, path) : base;
  return location;
}

/** The file of `uri` (the first of that uri): the rules' index of files, shared with the features. */
export function findFile(analysis: Analysis, uri: string): ParsedFile | undefined {
  return fileOf(analysis, uri);
}

/** {@link locate} in a file of the analysis, with its model. */
export function locateIn(analysis: Analysis, uri: string, offset: number): CursorLocation | undefined {
  const file = findFile(analysis, uri);
  return file && locate(file, offset, analysis.model);
}

/** The range of the node at the cursor, or of the given fallback. */
export function nodeRange(location: CursorLocation, fallback: Range): Range {
  const r = location.node?.range;
  if (!r || !(isScalar(location.node) || location.onKey)) return fallback;
  return location.file.source.range(r[0], r[1]);
}

/** metadata.name as written, for any object kind. */
export function objectName(obj: KubeObject): { text?: string; range?: Range } {
  const metadata = obj.reader.get(obj.node, 'metadata');
  const name = isMap(metadata) ? obj.reader.get(metadata, 'name') : undefined;
  if (!name) return {};
  return { text: isScalar(name) ? String(name.value) : undefined, range: obj.reader.range(name) };
}

/** Where to put the cursor for an object defined at `source`: its metadata.name, else the object. */
export function revealRange(analysis: Analysis, source: { uri: string; range: Range }): Range {
  const file = findFile(analysis, source.uri);
  const obj = file && objectsByStart(file.objects).get(source.range.start.offset);
  return (obj && objectName(obj).range) ?? source.range;
}

/** A file's objects by start offset (the first of each): a lens lists the places of thousands of them. */
const objectStarts = new WeakMap<readonly KubeObject[], Map<number, KubeObject>>();

function objectsByStart(objects: readonly KubeObject[]): Map<number, KubeObject> {
  let byStart = objectStarts.get(objects);
  if (!byStart) {
    byStart = new Map();
    locateWork.indexed += objects.length;
    for (const obj of objects)
      if (!byStart.has(obj.range.start.offset)) byStart.set(obj.range.start.offset, obj);
    objectStarts.set(objects, byStart);
  }
  return byStart;
}

/** The cursor is on the object's `kind` or `metadata.name`: the place to ask about the whole object. */
export function onObjectHeader(location: CursorLocation): boolean {
  const [first, second] = location.path;
  return (first === 'kind' && location.path.length === 1) || (first === 'metadata' && second === 'name');
}
