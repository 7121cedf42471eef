// Which rule of a policy's direction covers a given rule (lint-cover.ts `ruleCovered`), found through
// indexes instead of comparing every pair of rules: a policy with thousands of rules costs about linear
// work (scaling.test.ts counts it).
//
// Rule b covers rule a only if (1) b has no peers, or one of b's peers covers a's first peer, and (2) b has
// no ports, or b's ports contain one chosen port of a. (1) is looked up in the peer index over the distinct
// peers of all rules (lint-cover-index.ts), (2) in an index of b's port ranges cut into aligned power-of-two
// blocks (as CIDRs are), so a port's 17 enclosing blocks name every range that holds it. Of the two
// candidate sets the smaller is walked and checked against the other. Identical rules are one class: the
// first of them is compared, the others follow from it.
import { MAX_PORT, MIN_PORT } from '../connections';
import { peerKey, ruleKey } from '../policy-keys';
import { isProtocol, type PeerModel, type PolicyModel, type PortModel, type RuleModel } from '../types';
import type { Model } from '../model';
import { coverWork, ownNamespace, ruleCovered } from './lint-cover';
import { peerCoverCandidates, type OwnNamespace } from './lint-cover-index';

const PORT_BITS = 16;

/** Index of the rule that covers each rule (-1: none); of equivalent rules, the first one stays. */
export function coveringRules(model: Model, policy: PolicyModel, rules: readonly RuleModel[]): number[] {
  const classes = ruleClasses(rules);
  const candidates = ruleCandidates(model, policy, rules);
  const covering = new Array<number>(rules.length).fill(-1);
  const covers = (a: number, b: number) => ruleCovered(model, policy, rules[a], rules[b]);
  for (const members of classes) {
    const first = members[0];
    const own = new Set(members);
    let forFirst = -1;
    let forOthers = first;
    for (const j of candidates(first)) {
      if (own.has(j) || !covers(first, j)) continue;
      if (j < first) {
        forFirst = forOthers = j;
        break;
      }
      if (!covers(j, first)) {
        forFirst = j;
        break;
      }
    }
    covering[first] = forFirst;
    for (const i of members.slice(1)) covering[i] = forOthers;
  }
  return covering;
}

/** Rules that mean the same, in groups (ascending indexes, each group's first first). */
function ruleClasses(rules: readonly RuleModel[]): number[][] {
  const byKey = new Map<string, number[]>();
  rules.forEach((rule, i) => {
    const key = JSON.stringify(ruleKey(rule));
    const group = byKey.get(key);
    if (group) group.push(i);
    else byKey.set(key, [i]);
  });
  return [...byKey.values()];
}

/**
 * One condition every covering rule meets, for one rule: how many rules may meet it (an upper bound),
 * those rules, and a test for one rule.
 */
interface Side {
  size: number;
  rules(): Iterable<number>;
  has(j: number): boolean;
}

/** For a rule, ascending indexes of the rules that may cover it: every rule that does is among them. */
function ruleCandidates(
  model: Model,
  policy: PolicyModel,
  rules: readonly RuleModel[],
): (i: number) => number[] {
  const byPeer = peerSide(rules, ownNamespace(model, policy));
  const byPort = portSide(rules);
  return (i) => {
    const peers = byPeer(i);
    const ports = byPort(i);
    // Walk the smaller side, test each of its rules against the other.
    const [walk, check] = !ports || peers.size <= ports.size ? [peers, ports] : [ports, peers];
    const found: number[] = [];
    for (const j of walk.rules()) {
      coverWork.ruleCandidates++;
      if (!check || check.has(j)) found.push(j);
    }
    return found.sort((a, b) => a - b);
  };
}

/** Rules with no peers, or with a peer that may cover the rule's first peer. */
function peerSide(rules: readonly RuleModel[], own: OwnNamespace): (i: number) => Side {
  const distinct: PeerModel[] = [];
  const owners: number[][] = [];
  const indexOf = new Map<string, number>();
  const peersOf: number[][] = [];
  const everyPeer: number[] = [];
  rules.forEach((rule, r) => {
    if (!rule.peers || rule.peers.length === 0) everyPeer.push(r);
    peersOf.push([]);
    for (const peer of rule.peers ?? []) {
      const key = JSON.stringify(peerKey(peer));
      let d = indexOf.get(key);
      if (d === undefined) {
        d = distinct.length;
        indexOf.set(key, d);
        distinct.push(peer);
        owners.push([]);
      }
      if (owners[d].at(-1) !== r) owners[d].push(r);
      peersOf[r].push(d);
    }
  });
  const candidates = peerCoverCandidates(distinct, own);
  const sides = new Map<number, Side>();
  const noPeers = new Set(everyPeer);
  const onlyEvery: Side = { size: everyPeer.length, rules: () => everyPeer, has: (j) => noPeers.has(j) };
  return (i) => {
    if (peersOf[i].length === 0) return onlyEvery;
    const d = peersOf[i][0];
    let side = sides.get(d);
    if (!side) {
      const covering = candidates(d);
      const coveringSet = new Set(covering);
      side = {
        size: everyPeer.length + covering.reduce((sum, c) => sum + owners[c].length, 0),
        rules: function* () {
          yield* everyPeer;
          for (const c of covering) yield* owners[c];
        },
        has: (j) => noPeers.has(j) || peersOf[j].some((c) => coveringSet.has(c)),
      };
      sides.set(d, side);
    }
    return side;
  };
}

/** A port of the rule that any rule covering it must hold: a protocol and a port number (or a name). */
function probe(rule: RuleModel): { protocol: string; at: number; name?: string } | undefined {
  for (const p of rule.ports ?? []) {
    if (!isProtocol(p.protocol)) continue;
    // A name, or every port: a covering rule names it too, or holds every port, the lowest included.
    if (typeof p.port === 'string') return { protocol: p.protocol, at: MIN_PORT, name: p.port };
    if (p.port === undefined) return { protocol: p.protocol, at: MIN_PORT };
    // A range that allows nothing (out of bounds, or backwards) is covered by anything: no probe.
    if (p.port >= MIN_PORT && p.port <= MAX_PORT && (p.endPort === undefined || p.endPort >= p.port))
      return { protocol: p.protocol, at: p.port };
  }
  return undefined;
}

/** Aligned blocks of 2^bits ports that together make up [lo, hi]. */
function blocksOf(lo: number, hi: number): string[] {
  const out: string[] = [];
  let at = lo;
  while (at <= hi) {
    let bits = 0;
    while (bits < PORT_BITS && at % 2 ** (bits + 1) === 0 && at + 2 ** (bits + 1) - 1 <= hi) bits++;
    out.push(`${bits}:${at}`);
    at += 2 ** bits;
  }
  return out;
}

function numericRange(p: PortModel): [number, number] | undefined {
  if (typeof p.port === 'string') return undefined;
  const lo = Math.max(MIN_PORT, p.port ?? MIN_PORT);
  const hi = Math.min(MAX_PORT, p.port === undefined ? MAX_PORT : (p.endPort ?? p.port));
  return lo <= hi ? [lo, hi] : undefined;
}

/**
 * Rules with no ports, or holding the rule's probe port (by name, or in a range); undefined when the rule
 * has no probe (then any rule may cover it as far as ports go).
 */
function portSide(rules: readonly RuleModel[]): (i: number) => Side | undefined {
  const everyPort: number[] = [];
  const buckets = new Map<string, number[]>();
  const file = (key: string, r: number) => {
    const bucket = buckets.get(key);
    if (!bucket) buckets.set(key, [r]);
    else if (bucket.at(-1) !== r) bucket.push(r);
  };
  rules.forEach((rule, r) => {
    if (!rule.ports || rule.ports.length === 0) everyPort.push(r);
    for (const p of rule.ports ?? []) {
      if (!isProtocol(p.protocol)) continue;
      if (typeof p.port === 'string') file(`${p.protocol}#${p.port}`, r);
      const range = numericRange(p);
      if (range) for (const block of blocksOf(...range)) file(`${p.protocol}:${block}`, r);
    }
  });
  const noPorts = new Set(everyPort);
  const sides = new Map<string, Side>();
  return (i) => {
    const at = probe(rules[i]);
    if (!at) return undefined;
    const key = `${at.protocol}:${at.at}#${at.name ?? ''}`;
    let side = sides.get(key);
    if (!side) {
      const keys = [
        ...(at.name === undefined ? [] : [`${at.protocol}#${at.name}`]),
        ...Array.from({ length: PORT_BITS + 1 }, (_, bits) => {
          const span = 2 ** bits;
          return `${at.protocol}:${bits}:${Math.floor(at.at / span) * span}`;
        }),
      ];
      const lists = [everyPort, ...keys.map((k) => buckets.get(k) ?? [])];
      side = {
        size: lists.reduce((sum, list) => sum + list.length, 0),
        rules: () => lists.flat(),
        has: (j) => noPorts.has(j) || holds(rules[j].ports ?? [], at),
      };
      sides.set(key, side);
    }
    return side;
  };
}

/** Whether one of the ports is the probe's name or holds its port number. */
function holds(ports: readonly PortModel[], at: { protocol: string; at: number; name?: string }): boolean {
  return ports.some((p) => {
    if (p.protocol !== at.protocol) return false;
    if (typeof p.port === 'string') return p.port === at.name;
    const range = numericRange(p);
    return range !== undefined && range[0] <= at.at && at.at <= range[1];
  });
}
