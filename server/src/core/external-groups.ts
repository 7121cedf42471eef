// External addresses as the graph draws them. The engine cuts the address space into disjoint ranges
// (one per boundary any ipBlock writes), which a person never wrote: `0.0.0.0/0 except 10.0.0.0/8`
// becomes 0.0.0.0-9.255.255.255 and 11.0.0.0-255.255.255.255. Ranges with the same connections are
// merged again, and a merged set is labelled with a policy's own ipBlock text when it admits exactly
// those addresses.
import {
  formatAddress,
  formatInterval,
  ipBlockIntervals,
  readableInterval,
  type AddressInterval,
} from './addresses';
import type { PolicyModel } from './types';

/** One drawn external node: one or more of the engine's ranges with identical connections. */
export interface ExternalGroup {
  /** The node id: the range's own peer id when the group is a single range, else `ext:` + label. */
  id: string;
  /** The ipBlock as a policy wrote it, else the CIDR or the a-b range of the addresses. */
  label: string;
  /** True when `label` is a policy's ipBlock text. */
  asWritten: boolean;
  /** The engine's external peer ids beneath (`a-b[External]`), in address order. */
  peers: string[];
  /** The ranges beneath as a reader wants them (`a-b`, or the one address), in address order. */
  ranges: string[];
}

/** An external peer of the engine and a key that is equal for peers with the same connections. */
export interface ExternalRange {
  id: string;
  interval: AddressInterval;
  connectivity: string;
}

/** An ipBlock written in a policy: its text and the addresses it admits. */
export interface WrittenBlock {
  text: string;
  intervals: readonly AddressInterval[];
}

/** `10.0.0.0/8`, or `10.0.0.0/8 except 10.1.0.0/16, 10.2.0.0/16`. */
export function ipBlockText(cidr: string, except: readonly string[]): string {
  return except.length === 0 ? cidr : `${cidr} except ${except.join(', ')}`;
}

/** Every IPv4 ipBlock written in the policies, in the order they appear. */
export function writtenBlocks(policies: readonly PolicyModel[]): WrittenBlock[] {
  const blocks: WrittenBlock[] = [];
  const seen = new Set<string>();
  for (const policy of policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        if (!peer.ipBlock) continue;
        const text = ipBlockText(peer.ipBlock.cidr, peer.ipBlock.except);
        const intervals = ipBlockIntervals(peer.ipBlock);
        if (seen.has(text) || intervals.length === 0) continue;
        seen.add(text);
        blocks.push({ text, intervals });
      }
    }
  }
  return blocks;
}

/** Sorted intervals with touching neighbours joined: a canonical form to compare address sets. */
export function joinTouching(intervals: readonly AddressInterval[]): AddressInterval[] {
  const sorted = [...intervals].sort((a, b) => a.lo - b.lo);
  const joined: AddressInterval[] = [];
  for (const iv of sorted) {
    const last = joined[joined.length - 1];
    if (last && iv.lo <= last.hi + 1) last.hi = Math.max(last.hi, iv.hi);
    else joined.push({ ...iv });
  }
  return joined;
}

function sameAddresses(a: readonly AddressInterval[], b: readonly AddressInterval[]): boolean {
  return a.length === b.length && a.every((iv, i) => iv.lo === b[i].lo && iv.hi === b[i].hi);
}

/** `10.0.0.0/8` when the interval is exactly one CIDR block, else `a-b`. */
export function intervalText(iv: AddressInterval): string {
  const size = iv.hi - iv.lo + 1;
  const prefix = 32 - Math.log2(size);
  if (Number.isInteger(prefix) && iv.lo % size === 0) return `${formatAddress(iv.lo)}/${prefix}`;
  return formatInterval(iv);
}

function group(members: ExternalRange[], label: string, asWritten: boolean): ExternalGroup {
  return {
    id: members.length === 1 ? members[0].id : `ext:${label}`,
    label,
    asWritten,
    peers: members.map((m) => m.id),
    ranges: members.map((m) => readableInterval(m.interval)),
  };
}

/**
 * Merges ranges with identical connections: the whole set when it is exactly one written ipBlock,
 * else each run of touching ranges; each labelled by the ipBlock that admits exactly its addresses
 * (the first one written), else by its CIDR or range.
 */
export function groupExternalRanges(
  ranges: readonly ExternalRange[],
  blocks: readonly WrittenBlock[],
): ExternalGroup[] {
  const canonical = blocks.map((b) => ({ text: b.text, intervals: joinTouching(b.intervals) }));
  const writtenAs = (members: ExternalRange[]) =>
    canonical.find((b) => sameAddresses(b.intervals, joinTouching(members.map((m) => m.interval))))?.text;
  const byConnectivity = new Map<string, ExternalRange[]>();
  for (const range of [...ranges].sort((a, b) => a.interval.lo - b.interval.lo)) {
    const list = byConnectivity.get(range.connectivity) ?? [];
    list.push(range);
    byConnectivity.set(range.connectivity, list);
  }
  const groups: { lo: number; group: ExternalGroup }[] = [];
  for (const members of byConnectivity.values()) {
    const whole = writtenAs(members);
    if (whole !== undefined) {
      groups.push({ lo: members[0].interval.lo, group: group(members, whole, true) });
      continue;
    }
    for (const run of touchingRuns(members)) {
      const text = writtenAs(run);
      const joined = joinTouching(run.map((m) => m.interval))[0];
      groups.push({
        lo: run[0].interval.lo,
        group: group(run, text ?? intervalText(joined), text !== undefined),
      });
    }
  }
  return dedupeIds(
    groups.sort((a, b) => a.lo - b.lo || a.group.id.localeCompare(b.group.id)).map((g) => g.group),
  );
}

function touchingRuns(sorted: ExternalRange[]): ExternalRange[][] {
  const runs: ExternalRange[][] = [];
  for (const range of sorted) {
    const run = runs[runs.length - 1];
    const last = run?.[run.length - 1];
    if (last && range.interval.lo === last.interval.hi + 1) run.push(range);
    else runs.push([range]);
  }
  return runs;
}

function dedupeIds(groups: ExternalGroup[]): ExternalGroup[] {
  const used = new Set<string>();
  for (const g of groups) {
    let id = g.id;
    for (let n = 2; used.has(id); n++) id = `${g.id} (${n})`;
    g.id = id;
    used.add(id);
  }
  return groups;
}
