// JSON Schema validation of one object against a bundled schema: the vendored NetworkPolicy schema
// (compiled ahead of time: `npm run generate`), or the expectations documents' own (compiled once).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../../schemas/networkpolicy-networking-v1.json';
import type { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { KubeObject } from '../parse';
import { NETWORK_POLICY_API } from '../types';
import validateNetworkPolicy from './networkpolicy-validator.generated';
import { AJV_OPTIONS, closeObjects } from './schema-options';

/** Compiled validators, per bundled schema; the NetworkPolicy one was compiled ahead of time. */
const compiled = new Map<object, ValidateFunction>([[schema, validateNetworkPolicy as ValidateFunction]]);

function validator(against: object): ValidateFunction {
  let validate = compiled.get(against);
  if (!validate) {
    validate = new Ajv(AJV_OPTIONS).compile(closeObjects(against));
    compiled.set(against, validate);
  }
  return validate;
}

/**
 * Go decodes a null field as an absent one (`creationTimestamp: null`, `ingress:`), so nulls are dropped.
 * The value is toJS's fresh copy, so its plain objects and arrays are changed in place; anything else
 * (a Date from a YAML 1.1 timestamp, bytes from `!!binary`) becomes a plain object of its own entries.
 */
function dropNulls(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = dropNulls(value[i]);
    return value;
  }
  const prototype = Object.getPrototypeOf(value);
  const record = (
    prototype === Object.prototype || prototype === null ? value : Object.fromEntries(Object.entries(value))
  ) as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    const field = record[key];
    if (field === null) {
      delete record[key];
      continue;
    }
    const cleaned = dropNulls(field);
    // Defined, not assigned: an own `__proto__` key (which toJS defines so) must stay a plain field.
    if (cleaned !== field)
      Object.defineProperty(record, key, {
        value: cleaned,
        writable: true,
        enumerable: true,
        configurable: true,
      });
  }
  return record;
}

/** A node {@link plainData} leaves to toJS. */
export const NOT_PLAIN = Symbol('not plain');

/**
 * What `dropNulls(node.toJS(document))` gives, in one walk and without toJS's conversion context, for the
 * nodes nearly every manifest is made of: mappings with string, number or boolean keys, lists, and scalars
 * holding a string, number, boolean or null. Anything else (aliases, merge keys, a `__proto__` key, a key
 * that is a collection or null, timestamps, binary, pairs in lists) gives NOT_PLAIN, and the caller
 * converts with toJS. Like toJS, a repeated key keeps its first place and its last value, and a key whose
 * value is null is dropped after the mapping is built (test/unit/diagnostics-schema.test.ts compares the
 * two on every fixture and on hand-picked corners).
 */
export function plainData(node: unknown): unknown {
  // One read of yaml's node type instead of an isScalar, isSeq, isMap call each (the nodes are of several
  // classes, so every such read is a slow one).
  const type = nodeType(node);
  if (type === SCALAR) {
    const value = (node as Scalar).value;
    const kind = typeof value;
    return value === null || kind === 'string' || kind === 'number' || kind === 'boolean' ? value : NOT_PLAIN;
  }
  // Indexed loops: most of these run before they are optimized, where an iterator costs.
  if (type === SEQ) {
    const items = (node as YAMLSeq).items;
    const list: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      const value = plainData(items[i]);
      if (value === NOT_PLAIN) return NOT_PLAIN;
      list.push(value);
    }
    return list;
  }
  if (type !== MAP) return NOT_PLAIN;
  const record: Record<string, unknown> = {};
  let nulls = false;
  const pairs = (node as YAMLMap).items;
  for (let i = 0; i < pairs.length; i++) {
    const { key, value } = pairs[i];
    const name = plainKey(key);
    if (name === undefined) return NOT_PLAIN;
    const data = value === null ? null : plainData(value);
    if (data === NOT_PLAIN) return NOT_PLAIN;
    if (data === null) nulls = true;
    record[name] = data;
  }
  if (nulls) for (const name of Object.keys(record)) if (record[name] === null) delete record[name];
  return record;
}

/** yaml tells its node classes apart by a symbol-keyed field (yaml/dist/nodes/identity.js, isScalar…). */
const NODE_TYPE = Symbol.for('yaml.node.type');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const MAP = Symbol.for('yaml.map');

function nodeType(node: unknown): unknown {
  return node !== null && typeof node === 'object' ? (node as Record<symbol, unknown>)[NODE_TYPE] : undefined;
}

/** A mapping key as toJS names its field, for the keys it names without more ado; else undefined. */
function plainKey(key: unknown): string | undefined {
  if (nodeType(key) !== SCALAR) return undefined;
  const value = (key as Scalar).value;
  const kind = typeof value;
  if (kind !== 'string' && kind !== 'number' && kind !== 'boolean') return undefined;
  const name = kind === 'string' ? (value as string) : String(value);
  return name === '__proto__' || name === '<<' ? undefined : name;
}

/** The object converted by toJS, nulls dropped: what the validator sees of a node plainData leaves. */
export function convertedData(obj: KubeObject): unknown {
  return dropNulls(obj.node.toJS(obj.reader.document, { maxAliasCount: 100 }));
}

/** The object as plain data for the validator: Go's view of it, nulls dropped. */
function validatorData(obj: KubeObject): unknown {
  const data = plainData(obj.node);
  return data !== NOT_PLAIN ? data : convertedData(obj);
}

/**
 * The errors of an object against a bundled schema (by default NetworkPolicy's), or [] when its document
 * has YAML errors or cannot be converted.
 */
export function schemaErrors(obj: KubeObject, against: object = schema): ErrorObject[] {
  if (obj.reader.document.errors.length > 0) return []; // the structure is unreliable; syntax is reported
  let data: unknown;
  try {
    data = validatorData(obj);
  } catch {
    // An alias bomb (the reader bounds its own alias walks, conversion gives up), or nesting deeper than
    // the stack: both are reported where they are read.
    return [];
  }
  const validate = validator(against);
  return validate(data) ? [] : [...(validate.errors ?? [])];
}

/** Whether the NetworkPolicy schema rule validates the object (a template's placeholders are not values). */
export function validatedAsPolicy(obj: KubeObject): boolean {
  return obj.kind === 'NetworkPolicy' && obj.apiVersion === NETWORK_POLICY_API && !obj.templated;
}

/**
 * The NetworkPolicy schema's errors of each object, once: an object's nodes never change, and a large
 * file's are validated while its document is read (prepare.ts), not read again for it. Keyed by the
 * object, so they go with its file.
 */
const policyErrors = new WeakMap<KubeObject, ErrorObject[]>();
const NO_ERRORS: ErrorObject[] = [];

/** {@link schemaErrors} against the NetworkPolicy schema, memoised per object. Shared: do not modify. */
export function policySchemaErrors(obj: KubeObject): ErrorObject[] {
  let errors = policyErrors.get(obj);
  if (!errors) {
    const found = schemaErrors(obj);
    errors = found.length === 0 ? NO_ERRORS : found;
    policyErrors.set(obj, errors);
  }
  return errors;
}
