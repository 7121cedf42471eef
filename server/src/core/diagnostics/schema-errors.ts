// Turns ajv errors into plain-words messages located at the YAML node they are about.
import type { ErrorObject } from 'ajv';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { YamlReader } from '../reader';
import type { Range } from '../types';

export interface SchemaIssue {
  range: Range;
  message: string;
}

interface Located {
  /** The value at the path, when it exists. */
  node?: Node;
  /** The key that holds it, when its parent is a mapping. */
  keyNode?: Node;
  /** The path as people write it: `spec.ingress[0].ports[1].port`. */
  path: string;
}

const TYPE_WORDS: Record<string, string> = { object: 'a mapping', array: 'a list' };
const FORMAT_WORDS: Record<string, string> = {
  int32: 'a 32-bit integer',
  int64: 'a 64-bit integer',
  'date-time': 'an RFC 3339 date-time such as 2024-01-31T12:00:00Z',
};

function pathKey(path: string, key: string): string {
  const segment = /^[A-Za-z_][\w-]*$/.test(key) ? key : JSON.stringify(key);
  if (segment !== key) return `${path}[${segment}]`;
  return path ? `${path}.${key}` : key;
}

/** Walks the YAML as ajv walked the converted data: list indexes and mapping keys. */
function locate(r: YamlReader, root: Node, segments: string[]): Located {
  let located: Located = { node: root, path: '' };
  for (const segment of segments) {
    const { node, path } = located;
    if (isSeq(node)) {
      located = { node: r.deref(node.items[Number(segment)] as Node), path: `${path}[${segment}]` };
    } else if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === segment);
      const keyNode = (pair?.key as Node | undefined) ?? undefined;
      located = { node: r.deref(pair?.value as Node | undefined), keyNode, path: pathKey(path, segment) };
    } else {
      located = { path: pathKey(path, segment) };
    }
  }
  return located;
}

function segments(instancePath: string): string[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function typeWords(types: unknown[]): string {
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

/** One ajv error (anyOf alternatives already folded in) as a message and a range. */
function describe(r: YamlReader, root: Node, folded: Folded): SchemaIssue | undefined {
  const { error, alternatives } = folded;
  const at = segments(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty);
    if (key === '<<') return undefined; // a YAML merge key, which kubectl expands
    const field = locate(r, root, [...at, key]);
    return { range: r.range(field.keyNode ?? field.node ?? root), message: `unknown field ${field.path}` };
  }
  const l = locate(r, root, at);
  // A missing field has no node: point at the key of the object that lacks it.
  const node = error.keyword === 'required' ? (l.keyNode ?? l.node) : (l.node ?? l.keyNode);
  return { range: r.range(node ?? root), message: `${l.path}${detail(error, alternatives, l.path)}` };
}

/** The message after the path (`: must be …`, or `.field: required field is missing`). */
function detail(error: ErrorObject, alternatives: unknown[], path: string): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${pathKey(path, String(params.missingProperty)).slice(path.length)}: required field is missing`;
    case 'anyOf':
      return `: must be ${typeWords(alternatives)}`;
    case 'type':
      return `: must be ${typeWords([params.type].flat())}`;
    case 'enum':
      return `: must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'format':
      return `: must be ${FORMAT_WORDS[String(params.format)] ?? error.message}`;
    default:
      return `: ${error.message ?? 'does not match the schema'}`;
  }
}

interface Folded {
  error: ErrorObject;
  /** For an anyOf whose alternatives all failed on their type: those types. */
  alternatives: unknown[];
}

/**
 * Folds each anyOf with its failed alternatives: when every alternative failed on its type the value has
 * none of the types ("must be integer or string"); otherwise the type matched an alternative, and what
 * that alternative says (say, int32 range) is the real problem.
 */
function foldAnyOf(errors: ErrorObject[]): Folded[] {
  const consumed = new Set<ErrorObject>();
  const result: Folded[] = [];
  for (const anyOf of errors.filter((e) => e.keyword === 'anyOf')) {
    const branches = errors.filter(
      (e) =>
        e !== anyOf &&
        (e.instancePath === anyOf.instancePath || e.instancePath.startsWith(`${anyOf.instancePath}/`)) &&
        e.schemaPath.startsWith(`${anyOf.schemaPath}/`),
    );
    branches.forEach((b) => consumed.add(b));
    if (branches.every((b) => b.keyword === 'type')) {
      result.push({ error: anyOf, alternatives: branches.flatMap((b) => [b.params.type].flat()) });
    } else {
      result.push(
        ...branches.filter((b) => b.keyword !== 'type').map((error) => ({ error, alternatives: [] })),
      );
    }
  }
  const rest = errors.filter((e) => e.keyword !== 'anyOf' && !consumed.has(e));
  return [...rest.map((error) => ({ error, alternatives: [] })), ...result];
}

export function schemaIssues(r: YamlReader, root: Node, errors: ErrorObject[]): SchemaIssue[] {
  return foldAnyOf(errors)
    .flatMap((folded) => describe(r, root, folded) ?? [])
    .sort((a, b) => a.range.start.offset - b.range.start.offset);
}
