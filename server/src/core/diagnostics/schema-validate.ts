// JSON Schema validation of one object against a bundled schema: the vendored NetworkPolicy schema
// (compiled ahead of time: `npm run generate`), or the expectations documents' own (compiled once).
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../../schemas/networkpolicy-networking-v1.json';
import type { KubeObject } from '../parse';
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

/**
 * The errors of an object against a bundled schema (by default NetworkPolicy's), or [] when its document
 * has YAML errors or cannot be converted.
 */
export function schemaErrors(obj: KubeObject, against: object = schema): ErrorObject[] {
  if (obj.reader.document.errors.length > 0) return []; // the structure is unreliable; syntax is reported
  let data: unknown;
  try {
    data = dropNulls(obj.node.toJS(obj.reader.document, { maxAliasCount: 100 }));
  } catch {
    // An alias bomb (the reader bounds its own alias walks, conversion gives up), or nesting deeper than
    // the stack: both are reported where they are read.
    return [];
  }
  const validate = validator(against);
  return validate(data) ? [] : [...(validate.errors ?? [])];
}
