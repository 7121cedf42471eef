// ipBlock, as ValidateIPBlock checks it: a valid cidr, and every except a valid strict subset of it.
import ipaddr from 'ipaddr.js';
import type { Node, YAMLMap } from 'yaml';
import { parseCidr } from '../addresses';
import { API } from './api-codes';
import { invalid, required } from './api-validation';
import { child, stringValue, type Sink } from './api-yaml';

const CIDR_ERROR = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';

export type ExceptRelation = 'invalid' | 'family' | 'equal' | 'wider' | 'outside' | 'inside';

/** Go's ParseCIDR takes neither surrounding blanks nor IPv6 zones, which parseCidr accepts. */
function isCidr(text: string): boolean {
  return text === text.trim() && !text.includes('%') && parseCidr(text).family !== 'invalid';
}

/** How an except relates to its (valid) cidr; only 'inside' is accepted by the API server. */
export function exceptRelation(cidr: string, except: string): ExceptRelation {
  if (!isCidr(except)) return 'invalid';
  const [outer, outerBits] = ipaddr.parseCIDR(cidr);
  const [inner, innerBits] = ipaddr.parseCIDR(except);
  if (outer.kind() !== inner.kind()) return 'family';
  if (innerBits > outerBits) return inner.match(outer, outerBits) ? 'inside' : 'outside';
  if (!outer.match(inner, innerBits)) return 'outside';
  return innerBits === outerBits ? 'equal' : 'wider';
}

export function checkIpBlock(s: Sink, map: YAMLMap, keyNode: Node | undefined, path: string): void {
  const cidrNode = s.get(map, 'cidr');
  const cidr = cidrNode === undefined ? '' : stringValue(cidrNode);
  if (cidr === undefined) return; // a wrong type, reported by the model
  const cidrPath = child(path, 'cidr');
  if (cidr === '') {
    s.report(API.cidr, cidrNode ?? keyNode ?? map, required(cidrPath), { cidr, reason: 'required' });
    return;
  }
  if (!isCidr(cidr)) {
    s.report(API.cidr, cidrNode, invalid(cidrPath, cidr, CIDR_ERROR), { cidr, reason: 'invalid' });
    return;
  }
  s.items(map, 'except').forEach((node, index) => {
    const except = stringValue(node);
    if (except !== undefined) checkExcept(s, node, cidr, except, `${path}.except[${index}]`, index);
  });
}

function checkExcept(s: Sink, node: Node, cidr: string, except: string, path: string, index: number): void {
  const relation = exceptRelation(cidr, except);
  if (relation === 'inside') return;
  const detail = relation === 'invalid' ? CIDR_ERROR : 'must be a strict subset of `cidr`';
  s.report(API.except, node, invalid(path, except, detail), { cidr, except, index, relation });
}
