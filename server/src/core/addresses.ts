// External addresses: IPv4 CIDR arithmetic (through ipaddr.js) and the partition of the address space
// into disjoint atoms induced by the ipBlocks written in the policies.
import ipaddr from 'ipaddr.js';
import type { IpBlockModel } from './types';

const ADDRESS_COUNT = 2 ** 32;

/** Inclusive interval of IPv4 addresses as unsigned 32-bit numbers. */
export interface AddressInterval {
  lo: number;
  hi: number;
}

export type ParsedCidr =
  | { family: 'ipv4'; interval: AddressInterval; canonical: string }
  | { family: 'ipv6'; canonical: string }
  | { family: 'invalid'; error: string };

function toNumber(octets: number[]): number {
  return ((octets[0] << 24) >>> 0) + (octets[1] << 16) + (octets[2] << 8) + octets[3];
}

export function formatAddress(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

/**
 * `lo-hi`, a single address too (`192.168.5.10-192.168.5.10`): the form of external peer ids and of the
 * connectivity list, which follows netpol-analyzer's text line by line.
 */
export function formatInterval({ lo, hi }: AddressInterval): string {
  return `${formatAddress(lo)}-${formatAddress(hi)}`;
}

/** An interval as a reader wants it: `192.168.5.10` for one address, else `lo-hi` (hovers, details). */
export function readableInterval(interval: AddressInterval): string {
  return interval.lo === interval.hi ? formatAddress(interval.lo) : formatInterval(interval);
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/**
 * Workspaces repeat the same few CIDRs in many rules and every lint parses them again: remember them.
 * The one module-level cache of the core that is not a WeakMap keyed by an analysis' own objects (those
 * go with the workspace they belong to): it holds at most MAX_REMEMBERED_CIDRS texts, then starts over,
 * so a server that opens workspace after workspace does not grow with them.
 */
const parsedCidrs = new Map<string, ParsedCidr>();
export const MAX_REMEMBERED_CIDRS = 10_000;

/** How many CIDR texts are remembered now (for the test that the cache stays bounded). */
export function rememberedCidrCount(): number {
  return parsedCidrs.size;
}

/**
 * Parses a CIDR the way the API server does: IPv4 octets with leading zeros are read as decimal (the
 * API server accepts them with a warning), no surrounding spaces, no IPv6 zones. The result is shared:
 * do not modify it.
 */
export function parseCidr(text: string): ParsedCidr {
  let parsed = parsedCidrs.get(text);
  if (!parsed) {
    if (parsedCidrs.size >= MAX_REMEMBERED_CIDRS) parsedCidrs.clear();
    parsed = parseCidrText(text);
    parsedCidrs.set(text, parsed);
  }
  return parsed;
}

function parseCidrText(text: string): ParsedCidr {
  const v4 = IPV4_CIDR.exec(text);
  if (v4) {
    const normalized = `${v4.slice(1, 5).map(Number).join('.')}/${Number(v4[5])}`;
    if (ipaddr.IPv4.isValidCIDRFourPartDecimal(normalized)) {
      const [address, prefix] = ipaddr.IPv4.parseCIDR(normalized);
      const size = 2 ** (32 - prefix);
      const lo = Math.floor(toNumber(address.octets) / size) * size;
      return {
        family: 'ipv4',
        interval: { lo, hi: lo + size - 1 },
        canonical: `${formatAddress(lo)}/${prefix}`,
      };
    }
  }
  if (!text.includes('%') && ipaddr.IPv6.isValidCIDR(text)) {
    const [address, prefix] = ipaddr.IPv6.parseCIDR(text);
    return { family: 'ipv6', canonical: `${address.toRFC5952String()}/${prefix}` };
  }
  return { family: 'invalid', error: `invalid CIDR address: ${text}` };
}

/** Parses a single IPv4 address (a.b.c.d). */
export function parseIpv4Address(text: string): number | undefined {
  if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return undefined;
  return toNumber(ipaddr.IPv4.parse(text).octets);
}

export function contains(outer: AddressInterval, inner: AddressInterval): boolean {
  return outer.lo <= inner.lo && inner.hi <= outer.hi;
}

/**
 * The IPv4 addresses an ipBlock admits: cidr minus its IPv4 excepts, as disjoint sorted intervals. An
 * except that is not a CIDR makes the block admit nothing, as an invalid cidr does: the API server rejects
 * the policy, and leaving the except out would admit the very addresses it was written to keep out.
 */
export function ipBlockIntervals(block: IpBlockModel): readonly AddressInterval[] {
  let intervals = blockIntervals.get(block);
  if (!intervals) blockIntervals.set(block, (intervals = computeBlockIntervals(block)));
  return intervals;
}

/**
 * A block's intervals, per block object: the engine, the lints and the features ask for the same blocks
 * again and again (a block lives as long as its file's text). Shared: do not modify.
 */
const blockIntervals = new WeakMap<IpBlockModel, readonly AddressInterval[]>();

function computeBlockIntervals(block: IpBlockModel): AddressInterval[] {
  const cidr = parseCidr(block.cidr);
  if (cidr.family !== 'ipv4') return [];
  const excepts = block.except.map((text) => parseCidr(text));
  if (excepts.some((except) => except.family === 'invalid')) return [];
  // One pass over the excepts sorted by start (a block may have thousands: no per-except rescans).
  const cuts = excepts
    .flatMap((except) => (except.family === 'ipv4' ? [except.interval] : []))
    .sort((a, b) => a.lo - b.lo);
  const result: AddressInterval[] = [];
  let from = cidr.interval.lo;
  for (const cut of cuts) {
    if (cut.hi < from || cut.lo > cidr.interval.hi) continue;
    if (cut.lo > from) result.push({ lo: from, hi: cut.lo - 1 });
    from = Math.max(from, cut.hi + 1);
  }
  if (from <= cidr.interval.hi) result.push({ lo: from, hi: cidr.interval.hi });
  return result;
}

/** Merges intervals into sorted, disjoint, non-adjacent ones. */
export function mergeIntervals(intervals: readonly AddressInterval[]): AddressInterval[] {
  const sorted = [...intervals].sort((a, b) => a.lo - b.lo);
  const merged: AddressInterval[] = [];
  for (const iv of sorted) {
    const last = merged[merged.length - 1];
    if (last && iv.lo <= last.hi + 1) last.hi = Math.max(last.hi, iv.hi);
    else merged.push({ ...iv });
  }
  return merged;
}

/** Whether sorted disjoint `union` (see mergeIntervals) holds all of `interval`: a binary search. */
export function unionContains(union: readonly AddressInterval[], interval: AddressInterval): boolean {
  let lo = 0;
  let hi = union.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (union[mid].hi < interval.lo) lo = mid + 1;
    else if (union[mid].lo > interval.lo) hi = mid - 1;
    else return interval.hi <= union[mid].hi;
  }
  return false;
}

/**
 * The external peers: 0.0.0.0-255.255.255.255 cut at the ends of the maximal intervals of the address set
 * each block denotes (cidr minus its excepts), as the reference analyzer does. Every atom is wholly inside
 * or wholly outside every block, and an except cuts only through the hole it makes (an except outside its
 * cidr, or one covered by another except, cuts nothing).
 */
export function addressAtoms(blocks: readonly IpBlockModel[]): AddressInterval[] {
  const cuts = new Set<number>([0, ADDRESS_COUNT]);
  for (const block of blocks) {
    for (const interval of ipBlockIntervals(block)) {
      cuts.add(interval.lo);
      cuts.add(interval.hi + 1);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const atoms: AddressInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) atoms.push({ lo: sorted[i], hi: sorted[i + 1] - 1 });
  return atoms;
}

/** True when the atom lies inside the block (atoms never straddle a block's boundary). */
export function blockContainsAtom(intervals: readonly AddressInterval[], atom: AddressInterval): boolean {
  return intervals.some((iv) => contains(iv, atom));
}
