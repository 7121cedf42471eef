// Sets of connections: per protocol, a sorted list of disjoint inclusive port ranges.
import { PROTOCOLS as API_PROTOCOLS, type Protocol } from './types';

/** Connections list protocols sorted, as the connectivity list prints them (SCTP, TCP, UDP). */
const PROTOCOLS = [...API_PROTOCOLS].sort();

export const MIN_PORT = 1;
export const MAX_PORT = 65535;

/** Inclusive port range. */
export type PortRange = readonly [number, number];

type Ranges = readonly PortRange[];

function normalize(ranges: PortRange[]): PortRange[] {
  const sorted = ranges
    .map(([lo, hi]) => [Math.max(MIN_PORT, lo), Math.min(MAX_PORT, hi)] as PortRange)
    .filter(([lo, hi]) => lo <= hi)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = merged[merged.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else merged.push([lo, hi]);
  }
  return merged;
}

function intersectRanges(a: Ranges, b: Ranges): PortRange[] {
  const out: PortRange[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i][0], b[j][0]);
    const hi = Math.min(a[i][1], b[j][1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i][1] < b[j][1]) i++;
    else j++;
  }
  return out;
}

/** `a` minus `b`, both sorted and disjoint: one pass over each (linear in |a| + |b|). */
function subtractRanges(a: Ranges, b: Ranges): PortRange[] {
  const out: PortRange[] = [];
  let j = 0;
  for (const [alo, ahi] of a) {
    let lo = alo;
    while (j < b.length && b[j][1] < lo) j++; // ranges of b wholly before this one
    let k = j;
    while (lo <= ahi && k < b.length && b[k][0] <= ahi) {
      if (b[k][0] > lo) out.push([lo, b[k][0] - 1]);
      lo = Math.max(lo, b[k][1] + 1);
      if (b[k][1] > ahi) break; // it reaches into the next range of a too
      k++;
    }
    j = k;
    if (lo <= ahi) out.push([lo, ahi]);
  }
  return out;
}

/** The index of the range holding `port` in sorted, disjoint ranges, or -1 (a binary search). */
function rangeIndexOf(ranges: Ranges, port: number): number {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid][1] < port) lo = mid + 1;
    else if (ranges[mid][0] > port) hi = mid - 1;
    else return mid;
  }
  return -1;
}

function isFull(ranges: Ranges | undefined): boolean {
  return (
    ranges !== undefined && ranges.length === 1 && ranges[0][0] === MIN_PORT && ranges[0][1] === MAX_PORT
  );
}

/** An immutable set of (protocol, port) pairs. */
export class ConnectionSet {
  private constructor(private readonly byProtocol: ReadonlyMap<Protocol, Ranges>) {}

  static readonly NONE = new ConnectionSet(new Map());
  static readonly ALL = new ConnectionSet(
    new Map(PROTOCOLS.map((p) => [p, [[MIN_PORT, MAX_PORT]] as Ranges])),
  );

  /** Every port of the protocol, one port, or the range `from`-`to`. */
  static of(protocol: Protocol, from?: number, to?: number): ConnectionSet {
    const ranges = from === undefined ? normalize([[MIN_PORT, MAX_PORT]]) : normalize([[from, to ?? from]]);
    return ranges.length === 0 ? ConnectionSet.NONE : new ConnectionSet(new Map([[protocol, ranges]]));
  }

  static fromJSON(json: Partial<Record<Protocol, PortRange[]>>): ConnectionSet {
    const map = new Map<Protocol, Ranges>();
    for (const protocol of PROTOCOLS) {
      const ranges = normalize([...(json[protocol] ?? [])]);
      if (ranges.length > 0) map.set(protocol, ranges);
    }
    return new ConnectionSet(map);
  }

  ranges(protocol: Protocol): Ranges {
    return this.byProtocol.get(protocol) ?? [];
  }

  isEmpty(): boolean {
    return this.byProtocol.size === 0;
  }

  isAll(): boolean {
    return PROTOCOLS.every((p) => isFull(this.byProtocol.get(p)));
  }

  contains(protocol: Protocol, port: number): boolean {
    return rangeIndexOf(this.ranges(protocol), port) >= 0;
  }

  /** Whether every port `from`-`to` of the protocol is in the set (its ranges are merged, so one holds them). */
  containsRange(protocol: Protocol, from: number, to: number): boolean {
    const ranges = this.ranges(protocol);
    const i = rangeIndexOf(ranges, from);
    return i >= 0 && ranges[i][1] >= to;
  }

  union(other: ConnectionSet): ConnectionSet {
    if (other.isEmpty() || this === other) return this;
    if (this.isEmpty()) return other;
    return this.combine(other, (a, b) => normalize([...a, ...b]));
  }

  intersect(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty() || other.isEmpty()) return ConnectionSet.NONE;
    return this.combine(other, intersectRanges);
  }

  subtract(other: ConnectionSet): ConnectionSet {
    if (this.isEmpty() || other.isEmpty()) return this;
    return this.combine(other, subtractRanges);
  }

  private combine(other: ConnectionSet, op: (a: Ranges, b: Ranges) => PortRange[]): ConnectionSet {
    const map = new Map<Protocol, Ranges>();
    for (const protocol of PROTOCOLS) {
      const ranges = op(this.ranges(protocol), other.ranges(protocol));
      if (ranges.length > 0) map.set(protocol, ranges);
    }
    return new ConnectionSet(map);
  }

  equals(other: ConnectionSet): boolean {
    return this.key() === other.key();
  }

  /** Canonical text, used for interning. */
  key(): string {
    return PROTOCOLS.map(
      (p) =>
        `${p}:${this.ranges(p)
          .map(([lo, hi]) => `${lo}-${hi}`)
          .join(',')}`,
    ).join('|');
  }

  /**
   * The connectivity-list form of np-guard's netpol-analyzer: `All Connections`, `No Connections`, or
   * protocol groups sorted by name, e.g. `SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535`.
   */
  toString(): string {
    if (this.isEmpty()) return 'No Connections';
    if (this.isAll()) return 'All Connections';
    return PROTOCOLS.filter((p) => this.byProtocol.has(p))
      .map(
        (p) =>
          `${p} ${this.ranges(p)
            .map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`))
            .join(',')}`,
      )
      .join(',');
  }

  toJSON(): Partial<Record<Protocol, [number, number][]>> {
    const json: Partial<Record<Protocol, [number, number][]>> = {};
    for (const protocol of PROTOCOLS) {
      const ranges = this.byProtocol.get(protocol);
      if (ranges) json[protocol] = ranges.map(([lo, hi]) => [lo, hi]);
    }
    return json;
  }
}

/**
 * Gives each distinct connection set a small integer and memoizes union and intersection, so the
 * reachability matrix can be filled with cheap integer operations.
 */
export class ConnectionTable {
  private readonly sets: ConnectionSet[] = [];
  private readonly ids = new Map<string, number>();
  private readonly unions = new Map<number, number>();
  private readonly intersections = new Map<number, number>();
  private readonly differences = new Map<number, number>();
  readonly none: number;
  readonly all: number;

  constructor() {
    this.none = this.intern(ConnectionSet.NONE);
    this.all = this.intern(ConnectionSet.ALL);
  }

  intern(set: ConnectionSet): number {
    const key = set.key();
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.sets.length;
      this.sets.push(set);
      this.ids.set(key, id);
    }
    return id;
  }

  get(id: number): ConnectionSet {
    return this.sets[id];
  }

  get size(): number {
    return this.sets.length;
  }

  union(a: number, b: number): number {
    if (a === b || b === this.none) return a;
    if (a === this.none) return b;
    if (a === this.all || b === this.all) return this.all;
    const memoKey = a < b ? a * 0x4000000 + b : b * 0x4000000 + a;
    let id = this.unions.get(memoKey);
    if (id === undefined) {
      id = this.intern(this.sets[a].union(this.sets[b]));
      this.unions.set(memoKey, id);
    }
    return id;
  }

  intersect(a: number, b: number): number {
    if (a === b || b === this.all) return a;
    if (a === this.all) return b;
    if (a === this.none || b === this.none) return this.none;
    const memoKey = a < b ? a * 0x4000000 + b : b * 0x4000000 + a;
    let id = this.intersections.get(memoKey);
    if (id === undefined) {
      id = this.intern(this.sets[a].intersect(this.sets[b]));
      this.intersections.set(memoKey, id);
    }
    return id;
  }

  /** `a` without `b`. */
  subtract(a: number, b: number): number {
    if (a === this.none || b === this.none) return a;
    if (a === b || b === this.all) return this.none;
    const memoKey = a * 0x4000000 + b;
    let id = this.differences.get(memoKey);
    if (id === undefined) {
      id = this.intern(this.sets[a].subtract(this.sets[b]));
      this.differences.set(memoKey, id);
    }
    return id;
  }
}
