// JSON Schema validation of one object against a bundled schema (each compiled once): the vendored
// NetworkPolicy schema, or the expectations documents' own.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import schema from '../../../../schemas/networkpolicy-networking-v1.json';
import type { KubeObject } from '../parse';

/** The schema's formats, defined here rather than pulling in ajv-formats for three of them. */
const FORMATS = {
  int32: {
    type: 'number' as const,
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  },
  int64: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  // metav1.Time is RFC 3339.
  'date-time': /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/,
};

/** Compiled validators, per bundled schema. */
const compiled = new Map<object, ValidateFunction>();

function validator(against: object): ValidateFunction {
  let validate = compiled.get(against);
  if (!validate) {
    // The bundled schemas are checked against the meta-schema by a test; doing it here costs most of the
    // compile time (0.1 s of every run).
    const ajv = new Ajv({ allErrors: true, strict: false, formats: FORMATS, validateSchema: false });
    validate = ajv.compile(closeObjects(against));
    compiled.set(against, validate);
  }
  return validate;
}

/**
 * The schema comes from OpenAPI, which leaves objects open; kube-apiserver (strict field validation,
 * kubectl's default since 1.27) rejects unknown fields, so every object with listed properties is closed.
 */
function closeObjects<T>(value: T): T {
  if (Array.isArray(value)) return value.map(closeObjects) as T;
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) result[key] = closeObjects(child);
  if ('properties' in result && !('additionalProperties' in result)) result.additionalProperties = false;
  return result as T;
}

/** Go decodes a null field as an absent one (`creationTimestamp: null`, `ingress:`), so nulls are dropped. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value).filter(([, v]) => v !== null);
  return Object.fromEntries(entries.map(([k, v]) => [k, dropNulls(v)]));
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
