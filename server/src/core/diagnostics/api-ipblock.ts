// ipBlock, as ValidateIPBlock checks it: a valid cidr, and every except a valid strict subset of it.
import ipaddr from 'ipaddr.js';
import type { Node, YAMLMap } from 'yaml';
import { contains, parseCidr, type AddressInterval } from '../addresses';
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
  const outer = parseCidr(cidr);
  const inner = parseCidr(except);
  if (outer.family !== inner.family) return 'family';
  if (outer.family === 'ipv4' && inner.family === 'ipv4')
    return blockRelation(outer.interval, inner.interval);
  // IPv6 (rare): ipaddr.js compares them. Its IPv6 parser throws on IPv4 text, so it is never given any.
  const [outerAddress, outerBits] = ipaddr.IPv6.parseCIDR(cidr);
  const [innerAddress, innerBits] = ipaddr.IPv6.parseCIDR(except);
  if (innerBits > outerBits) return innerAddress.match(outerAddress, outerBits) ? 'inside' : 'outside';
  if (!outerAddress.match(innerAddress, innerBits)) return 'outside';
  return innerBits === outerBits ? 'equal' : 'wider';
}

/**
 * Two CIDR blocks are nested or disjoint. The intervals come from parseCidr, which reads octets with leading
 * zeros as decimal, as the API server does (ipaddr.js would read `010` as octal).
 */
function blockRelation(outer: AddressInterval, inner: AddressInterval): ExceptRelation {
  if (inner.hi < outer.lo || inner.lo > outer.hi) return 'outside';
  if (inner.lo === outer.lo && inner.hi === outer.hi) return 'equal';
  return contains(outer, inner) ? 'inside' : 'wider';
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
