// AdminNetworkPolicy / BaselineAdminNetworkPolicy (v1alpha1) → the equivalent ClusterNetworkPolicy
// (v1alpha2), as spec §3 maps them: `tier`, `Allow` → `Accept`, `ports` → `protocols`, a priority for the
// baseline. Works on plain JSON (the object as kubectl reads it); refuses what v1alpha2 cannot express.
import { PROTOCOLS } from '../types';
import { V1ALPHA2 } from './types';

type Json = Record<string, unknown>;

export type Conversion = { ok: true; value: Json } | { ok: false; reason: string };

/** The v1alpha2 limit on rules, peers and protocols per list. */
const V1ALPHA2_MAX_ITEMS = 25;
/**
 * The priority a converted BaselineAdminNetworkPolicy gets: the last of the tier, where netpol-lens
 * evaluates a BaselineAdminNetworkPolicy next to Baseline ClusterNetworkPolicies.
 */
export const CONVERTED_BASELINE_PRIORITY = 1000;

const PROTOCOL_KEYS: Record<string, string> = Object.fromEntries(PROTOCOLS.map((p) => [p, p.toLowerCase()]));

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class Refusal extends Error {}

function convertPort(port: unknown): Json {
  if (!isObject(port)) throw new Refusal('a port entry is not a mapping');
  if (typeof port.namedPort === 'string') return { destinationNamedPort: port.namedPort };
  const number = port.portNumber;
  const range = port.portRange;
  const entry = isObject(number) ? number : isObject(range) ? range : undefined;
  if (!entry) throw new Refusal('a port entry has none of portNumber, portRange, namedPort');
  const protocol = entry.protocol === undefined ? 'TCP' : String(entry.protocol);
  const key = PROTOCOL_KEYS[protocol];
  if (!key) throw new Refusal(`protocol ${protocol} has no v1alpha2 spelling`);
  if (isObject(number)) return { [key]: { destinationPort: { number: number.port } } };
  const { start, end } = range as Json;
  // v1alpha2 requires start < end; a one-port range is a number.
  if (start === end) return { [key]: { destinationPort: { number: start } } };
  return { [key]: { destinationPort: { range: { start, end } } } };
}

function checkSize(list: unknown[], what: string): void {
  if (list.length > V1ALPHA2_MAX_ITEMS)
    throw new Refusal(`${list.length} ${what} (v1alpha2 allows ${V1ALPHA2_MAX_ITEMS})`);
}

function convertRule(rule: unknown, peersKey: 'from' | 'to'): Json {
  if (!isObject(rule)) throw new Refusal('a rule is not a mapping');
  const result: Json = {};
  for (const [key, value] of Object.entries(rule)) {
    if (key === 'action') result.action = value === 'Allow' ? 'Accept' : value;
    else if (key === 'ports') {
      if (!Array.isArray(value)) throw new Refusal('ports is not a list');
      checkSize(value, 'ports');
      result.protocols = value.map(convertPort);
    } else {
      if (key === peersKey && Array.isArray(value)) checkSize(value, 'peers');
      result[key] = value;
    }
  }
  return result;
}

export function convertToClusterNetworkPolicy(object: unknown): Conversion {
  try {
    if (!isObject(object) || !isObject(object.spec)) throw new Refusal('the object has no spec mapping');
    const baseline = object.kind === 'BaselineAdminNetworkPolicy';
    if (!baseline && object.kind !== 'AdminNetworkPolicy')
      throw new Refusal(`${String(object.kind)} is not converted`);
    const spec: Json = { tier: baseline ? 'Baseline' : 'Admin' };
    if (baseline) spec.priority = CONVERTED_BASELINE_PRIORITY;
    for (const [key, value] of Object.entries(object.spec)) {
      if (key === 'ingress' || key === 'egress') {
        if (!Array.isArray(value)) throw new Refusal(`${key} is not a list`);
        checkSize(value, `${key} rules`);
        spec[key] = value.map((rule) => convertRule(rule, key === 'ingress' ? 'from' : 'to'));
      } else spec[key] = value;
    }
    const { status: _status, ...rest } = object;
    void _status;
    return { ok: true, value: { ...rest, apiVersion: V1ALPHA2, kind: 'ClusterNetworkPolicy', spec } };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, reason: error.message };
    throw error;
  }
}
