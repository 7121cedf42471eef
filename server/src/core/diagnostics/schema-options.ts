// What the NetworkPolicy schema is compiled with, shared by the compiler at run time (the expectations
// documents' schemas) and `npm run generate`, which compiles the NetworkPolicy schema ahead of time.
import type { Options } from 'ajv';

/** The schema's formats, defined here rather than pulling in ajv-formats for three of them. */
export const FORMATS = {
  int32: {
    type: 'number' as const,
    validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31,
  },
  int64: { type: 'number' as const, validate: (n: number) => Number.isInteger(n) },
  // metav1.Time is RFC 3339.
  'date-time': /^\d{4}-\d\d-\d\d[Tt ]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$/,
};

/**
 * The bundled schemas are checked against the meta-schema by a test; doing it at compile time costs most
 * of the compile time.
 */
export const AJV_OPTIONS: Options = {
  allErrors: true,
  strict: false,
  formats: FORMATS,
  validateSchema: false,
};

/**
 * The schema comes from OpenAPI, which leaves objects open; kube-apiserver (strict field validation,
 * kubectl's default since 1.27) rejects unknown fields, so every object with listed properties is closed.
 */
export function closeObjects<T>(value: T): T {
  if (Array.isArray(value)) return value.map(closeObjects) as T;
  if (value === null || typeof value !== 'object') return value;
  const result: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) result[key] = closeObjects(child);
  if ('properties' in result && !('additionalProperties' in result)) result.additionalProperties = false;
  return result as T;
}
