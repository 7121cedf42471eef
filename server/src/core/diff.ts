// The connectivity diff: what changes between two analyses (OLD is `ref1`, NEW is `ref2`), pair by pair.
//
// Workload pairs are compared by workload id. External ranges are cut differently on each side, so both
// sides' ranges (sources and destinations separately) are first cut to their common refinement, compared
// per refined range, and then touching ranges are merged again where the workload, the direction and
// both answers are the same: a workload newly reachable from everywhere reads 0.0.0.0-255.255.255.255
// even when NEW cuts that space. Unchanged pairs are dropped.
import type { AddressInterval } from './addresses';
import { ConnectionSet } from './connections';
import { groupedBy } from './grouping';
import { compare } from './model';
import {
  externalPeerId,
  type ExternalPeer,
  type Peer,
  type PodPeer,
  type Reachability,
  type Row,
  type SideVerdict,
} from './reachability';
import type { Protocol } from './types';

export type DiffType = 'changed' | 'added' | 'removed';

/** One end of a row: a workload (by id) or an external address range. */
export type DiffEndpoint =
  { kind: 'pod'; id: string } | { kind: 'external'; id: string; interval: AddressInterval };

export type ConnectionsJson = Partial<Record<Protocol, [number, number][]>>;

export interface DiffRow {
  type: DiffType;
  source: DiffEndpoint;
  destination: DiffEndpoint;
  /** The connections in OLD, as `reach -o txt` writes them (`No Connections` when none). */
  ref1: string;
  /** The connections in NEW. */
  ref2: string;
  ref1Connections: ConnectionsJson;
  ref2Connections: ConnectionsJson;
  /** For added/removed pairs with a workload that exists on one side only: `workload A added`, … */
  workloadsDiffInfo?: string;
}

export interface ConnectivityDiff {
  /** Sorted like the lines of the txt format. */
  rows: DiffRow[];
}

const ADDRESS_END = 2 ** 32;

/** The diff of two analyses' reachability: `old` is ref1, `next` is ref2. */
export function diffConnectivity(old: Reachability, next: Reachability): ConnectivityDiff {
  const sides = { old: new Side(old), next: new Side(next) };
  const groups = podGroups(sides.old, sides.next);
  const rows = [
    ...podRows(sides.old, sides.next, groups),
    ...externalRows(sides.old, sides.next, 'source', groups),
    ...externalRows(sides.old, sides.next, 'destination', groups),
  ];
  const keyed = rows.map((row) => ({ row, line: diffLine(row) }));
  keyed.sort((a, b) => compare(a.line, b.line));
  return { rows: keyed.map((k) => k.row) };
}

/** The txt line of a row, in the reference analyzer's diff format. */
export function diffLine(row: DiffRow): string {
  const line =
    `diff-type: ${row.type}, source: ${row.source.id}, destination: ${row.destination.id}, ` +
    `ref1: ${row.ref1}, ref2: ${row.ref2}`;
  return row.workloadsDiffInfo ? `${line}, workloads-diff-info: ${row.workloadsDiffInfo}` : line;
}

// ---------------------------------------------------------------------------------------------
// One side of the comparison

class Side {
  readonly pods: PodPeer[];
  readonly podIds: Set<string>;
  private readonly podById: Map<string, PodPeer>;

  constructor(readonly reach: Reachability) {
    this.pods = reach.peers.filter((p): p is PodPeer => p.kind === 'pod');
    this.podById = new Map(this.pods.map((p) => [p.id, p]));
    this.podIds = new Set(this.podById.keys());
  }

  pod(id: string): PodPeer | undefined {
    return this.podById.get(id);
  }

  /** The external ranges this side distinguishes as sources (ingress) or destinations (egress). */
  externals(role: Role): ExternalPeer[] {
    return this.reach.peers
      .filter(
        (p): p is ExternalPeer =>
          p.kind === 'external' &&
          (role === 'source' ? p.sourceAtom !== undefined : p.destinationAtom !== undefined),
      )
      .sort((a, b) => a.interval.lo - b.interval.lo);
  }
}

type Role = 'source' | 'destination';

// ---------------------------------------------------------------------------------------------
// Workload pairs

/**
 * Workloads with the same class on each side (or missing from it): pod-to-pod connections depend on the
 * two pods' classes alone, so every pair of two groups has the same answer on each side.
 */
interface PodGroup {
  /** A member as OLD has it (they all share its class); undefined when OLD lacks them. */
  old?: PodPeer;
  /** Likewise in NEW. */
  next?: PodPeer;
  ids: string[];
}

function podGroups(old: Side, next: Side): PodGroup[] {
  const groups = new Map<string, PodGroup>();
  for (const id of new Set([...old.podIds, ...next.podIds])) {
    const before = old.pod(id);
    const after = next.pod(id);
    const key = `${before?.classIndex ?? -1} ${after?.classIndex ?? -1}`;
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { old: before, next: after, ids: [] }));
    group.ids.push(id);
  }
  return [...groups.values()];
}

/** What a side allows from one group's pods to another's (none when it lacks either). */
function groupConnections(side: Side, source?: PodPeer, destination?: PodPeer): ConnectionSet {
  return source && destination ? orNone(side.reach.connections(source, destination)) : ConnectionSet.NONE;
}

/** Rows between workloads: each pair of groups is compared once, its pairs of distinct pods get its answer. */
function podRows(old: Side, next: Side, groups: readonly PodGroup[]): DiffRow[] {
  const rows: DiffRow[] = [];
  const emit = (sources: PodGroup, destinations: PodGroup, ref1: ConnectionSet, ref2: ConnectionSet) => {
    for (const source of sources.ids) {
      for (const destination of destinations.ids) {
        if (source !== destination)
          rows.push(makeRow(old, next, podEnd(source), podEnd(destination), ref1, ref2));
      }
    }
  };
  const compared = (sources: PodGroup, destinations: PodGroup) => {
    const ref1 = groupConnections(old, sources.old, destinations.old);
    const ref2 = groupConnections(next, sources.next, destinations.next);
    if (!sameConnections(ref1, ref2)) emit(sources, destinations, ref1, ref2);
  };
  const sided = sidedGroups(old, next, groups);
  if (!sided) {
    for (const sources of groups) for (const destinations of groups) compared(sources, destinations);
    return rows;
  }
  // A pair that no side's entries name gets the two defaults' intersection on each side: those pairs are
  // compared once per pair of default bins, the others one by one.
  const sourceBins = groupedBy(sided, (g) => g.egressDefault).values();
  const destinationBins = [...groupedBy(sided, (g) => g.ingressDefault).values()];
  for (const sources of sourceBins) {
    for (const destinations of destinationBins) {
      const ref1 = defaultConnections(old, sources[0].old, destinations[0].old);
      const ref2 = defaultConnections(next, sources[0].next, destinations[0].next);
      if (sameConnections(ref1, ref2)) continue;
      for (const source of sources) {
        for (const destination of destinations) {
          if (!source.named.has(destination)) emit(source.group, destination.group, ref1, ref2);
        }
      }
    }
  }
  for (const source of sided) {
    for (const destination of source.named) {
      const ref1 = namedConnections(old, source.old, destination.old);
      const ref2 = namedConnections(next, source.next, destination.next);
      if (!sameConnections(ref1, ref2)) emit(source.group, destination.group, ref1, ref2);
    }
  }
  return rows;
}

/** One side's answers for a group: its egress and ingress rows (undefined when the side lacks the group). */
interface GroupSide {
  pod: PodPeer;
  egress: Readonly<Row>;
  ingress: Readonly<Row>;
}

/** A group with both sides' rows, and the groups whose pairs with it some row names (as source first). */
interface SidedGroup {
  group: PodGroup;
  old?: GroupSide;
  next?: GroupSide;
  /** Both sides' default egress answers, as one key. */
  egressDefault: string;
  /** Both sides' default ingress answers, as one key. */
  ingressDefault: string;
  /** Destinations whose pair with this source a row's entries name, on either side. */
  named: Set<SidedGroup>;
}

/** The groups with their rows; undefined when a side has no rows (cluster-scoped policies). */
function sidedGroups(old: Side, next: Side, groups: readonly PodGroup[]): SidedGroup[] | undefined {
  const sideOf = (side: Side, pod: PodPeer | undefined): GroupSide | null | undefined => {
    if (!pod) return undefined;
    const egress = side.reach.classSide('egress', pod.classIndex);
    const ingress = side.reach.classSide('ingress', pod.classIndex);
    return egress && ingress ? { pod, egress, ingress } : null;
  };
  const sided: SidedGroup[] = [];
  for (const group of groups) {
    const before = sideOf(old, group.old);
    const after = sideOf(next, group.next);
    if (before === null || after === null) return undefined;
    sided.push({
      group,
      old: before,
      next: after,
      egressDefault: `${before?.egress.base ?? -1} ${after?.egress.base ?? -1}`,
      ingressDefault: `${before?.ingress.base ?? -1} ${after?.ingress.base ?? -1}`,
      named: new Set(),
    });
  }
  for (const pick of [(g: SidedGroup) => g.old, (g: SidedGroup) => g.next]) {
    // Which groups hold a class on this side: a row's entries are keyed by class (and atom).
    const holding = groupedBy(
      sided.filter((g) => pick(g)),
      (g) => pick(g)!.pod.classIndex,
    );
    for (const g of sided) {
      const side = pick(g);
      if (!side) continue;
      for (const target of side.egress.entries.keys())
        for (const h of holding.get(target) ?? []) g.named.add(h);
      for (const target of side.ingress.entries.keys())
        for (const h of holding.get(target) ?? []) h.named.add(g);
    }
  }
  return sided;
}

/** A side's answer for a pair no row's entries name: the source's egress default and the destination's ingress default. */
function defaultConnections(side: Side, source?: GroupSide, destination?: GroupSide): ConnectionSet {
  if (!source || !destination) return ConnectionSet.NONE;
  return orNone(
    side.reach.connectionSet(side.reach.intersectIds(source.egress.base, destination.ingress.base)),
  );
}

/** A side's answer for a pair from the two rows, as Reachability.connections has it (see classSide). */
function namedConnections(side: Side, source?: GroupSide, destination?: GroupSide): ConnectionSet {
  if (!source || !destination) return ConnectionSet.NONE;
  const egress = source.egress.entries.get(destination.pod.classIndex) ?? source.egress.base;
  const ingress = destination.ingress.entries.get(source.pod.classIndex) ?? destination.ingress.base;
  return orNone(side.reach.connectionSet(side.reach.intersectIds(egress, ingress)));
}

/** Empty connections as the one NONE, as rows of a side that lacks a workload have them. */
function orNone(connections: ConnectionSet): ConnectionSet {
  return connections.isEmpty() ? ConnectionSet.NONE : connections;
}

function podEnd(id: string): DiffEndpoint {
  return { kind: 'pod', id };
}

function makeRow(
  old: Side,
  next: Side,
  source: DiffEndpoint,
  destination: DiffEndpoint,
  ref1: ConnectionSet,
  ref2: ConnectionSet,
): DiffRow {
  const type: DiffType = ref1.isEmpty() ? 'added' : ref2.isEmpty() ? 'removed' : 'changed';
  const row: DiffRow = {
    type,
    source,
    destination,
    ref1: ref1.toString(),
    ref2: ref2.toString(),
    ref1Connections: ref1.toJSON(),
    ref2Connections: ref2.toJSON(),
  };
  const info = workloadsDiffInfo(type, [source, destination], type === 'added' ? old : next);
  if (info) row.workloadsDiffInfo = info;
  return row;
}

/**
 * `workload A added` / `workload A and B added` (source first) for the workloads of an added pair that
 * do not exist in OLD, likewise `removed` against NEW. Existing without connections does not count.
 */
function workloadsDiffInfo(type: DiffType, ends: DiffEndpoint[], other: Side): string | undefined {
  if (type === 'changed') return undefined;
  const missing = ends.filter((e) => e.kind === 'pod' && !other.podIds.has(e.id)).map((e) => e.id);
  return missing.length > 0 ? `workload ${missing.join(' and ')} ${type}` : undefined;
}

// ---------------------------------------------------------------------------------------------
// External ranges

interface RangeAnswer {
  interval: AddressInterval;
  connections: ConnectionSet;
}

/**
 * Rows between external ranges (as `role`) and workloads, over the common refinement of both sides: once
 * per group of workloads (a side's answers depend on the workload's class alone).
 */
function externalRows(old: Side, next: Side, role: Role, groups: readonly PodGroup[]): DiffRow[] {
  const oldExternals = old.externals(role);
  const nextExternals = next.externals(role);
  const refined = commonRefinement([oldExternals, nextExternals]);
  const rows: DiffRow[] = [];
  for (const group of groups) {
    const before = answersFor(old, oldExternals, group.old, role);
    const after = answersFor(next, nextExternals, group.next, role);
    for (const change of changedRanges(refined, before, after)) {
      const external: DiffEndpoint = {
        kind: 'external',
        id: externalPeerId(change.interval),
        interval: change.interval,
      };
      for (const podId of group.ids) {
        const [source, destination] =
          role === 'source' ? [external, podEnd(podId)] : [podEnd(podId), external];
        rows.push(makeRow(old, next, source, destination, change.ref1, change.ref2));
      }
    }
  }
  return rows;
}

/** Every cut of every side's ranges: the intervals between consecutive cuts, covering all of IPv4. */
export function commonRefinement(
  sides: readonly (readonly { interval: AddressInterval }[])[],
): AddressInterval[] {
  const cuts = new Set<number>([0, ADDRESS_END]);
  for (const ranges of sides) {
    for (const { interval } of ranges) {
      cuts.add(interval.lo);
      cuts.add(interval.hi + 1);
    }
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const intervals: AddressInterval[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) intervals.push({ lo: sorted[i], hi: sorted[i + 1] - 1 });
  return intervals;
}

/** What one side allows between each of its ranges and a workload (no answers when it lacks the workload). */
function answersFor(
  side: Side,
  externals: ExternalPeer[],
  pod: PodPeer | undefined,
  role: Role,
): RangeAnswer[] {
  if (!pod) return [];
  const reach = side.reach;
  // The workload's row for the direction holds the answers (its targets from classCount on are the atoms).
  const row = reach.classSide(role === 'source' ? 'ingress' : 'egress', pod.classIndex);
  if (row) {
    const atoms = reach.classes.length;
    return externals.map((external) => {
      const atom = atoms + (role === 'source' ? external.sourceAtom! : external.destinationAtom!);
      return {
        interval: external.interval,
        connections: reach.connectionSet(row.entries.get(atom) ?? row.base),
      };
    });
  }
  return externals.map((external) => ({
    interval: external.interval,
    connections: role === 'source' ? reach.connections(external, pod) : reach.connections(pod, external),
  }));
}

interface RangeChange {
  interval: AddressInterval;
  ref1: ConnectionSet;
  ref2: ConnectionSet;
}

/**
 * Walks the refined intervals, looks up each side's answer (none where a side has no range), keeps the
 * differing ones and merges touching ones whose two answers are the same.
 */
function changedRanges(
  refined: AddressInterval[],
  before: RangeAnswer[],
  after: RangeAnswer[],
): RangeChange[] {
  const lookBefore = rangeCursor(before);
  const lookAfter = rangeCursor(after);
  const changes: RangeChange[] = [];
  for (const interval of refined) {
    const ref1 = lookBefore(interval.lo);
    const ref2 = lookAfter(interval.lo);
    if (sameConnections(ref1, ref2)) continue;
    const last = changes[changes.length - 1];
    const touching = last !== undefined && last.interval.hi + 1 === interval.lo;
    if (touching && sameConnections(last.ref1, ref1) && sameConnections(last.ref2, ref2)) {
      last.interval = { lo: last.interval.lo, hi: interval.hi };
    } else {
      changes.push({ interval, ref1, ref2 });
    }
  }
  return changes;
}

/** Connection sets are interned per analysis but not across the two, so their canonical keys are kept. */
const connectionKeys = new WeakMap<ConnectionSet, string>();

function sameConnections(a: ConnectionSet, b: ConnectionSet): boolean {
  return a === b || connectionKey(a) === connectionKey(b);
}

function connectionKey(set: ConnectionSet): string {
  let key = connectionKeys.get(set);
  if (key === undefined) {
    key = set.key();
    connectionKeys.set(set, key);
  }
  return key;
}

/** A lookup of the answer at increasing addresses over sorted, disjoint ranges. */
function rangeCursor(answers: RangeAnswer[]): (address: number) => ConnectionSet {
  let index = 0;
  return (address) => {
    while (index < answers.length && answers[index].interval.hi < address) index++;
    const answer = answers[index];
    return answer && answer.interval.lo <= address ? answer.connections : ConnectionSet.NONE;
  };
}

// ---------------------------------------------------------------------------------------------
// Provenance

export interface DiffProvenance {
  egress: SideVerdict;
  ingress: SideVerdict;
}

/**
 * Which policies and rules decide a row's pair on one side (pass OLD's reachability for ref1, NEW's for
 * ref2); undefined when that side lacks the row's workload. An external range of a row may span several
 * of the side's ranges: their verdicts are joined (the workload's side is the same for each).
 */
export function diffProvenance(reach: Reachability, row: DiffRow): DiffProvenance | undefined {
  const sources = endpointPeers(reach, row.source, 'source');
  const destinations = endpointPeers(reach, row.destination, 'destination');
  if (sources.length === 0 || destinations.length === 0) return undefined;
  const results = sources.flatMap((s) => destinations.map((d) => reach.query(s, d)));
  return {
    egress: joinVerdicts(results.map((r) => r.egress)),
    ingress: joinVerdicts(results.map((r) => r.ingress)),
  };
}

function endpointPeers(reach: Reachability, endpoint: DiffEndpoint, role: Role): Peer[] {
  if (endpoint.kind === 'pod') {
    const peer = reach.peer(endpoint.id);
    return peer?.kind === 'pod' ? [peer] : [];
  }
  const { lo, hi } = endpoint.interval;
  return reach.peers.filter(
    (p) =>
      p.kind === 'external' &&
      (role === 'source' ? p.sourceAtom !== undefined : p.destinationAtom !== undefined) &&
      p.interval.lo <= hi &&
      lo <= p.interval.hi,
  );
}

function joinVerdicts(verdicts: SideVerdict[]): SideVerdict {
  const [first, ...rest] = verdicts;
  const rules = [...first.rules];
  let connections = first.connections;
  for (const verdict of rest) {
    for (const match of verdict.rules) if (!rules.some((r) => r.rule === match.rule)) rules.push(match);
    connections = connections.union(verdict.connections);
  }
  return { ...first, rules, connections };
}
