// Which selector peers of one rule can cover a given one (lint-cover.ts `peerCovered`), found through an
// index instead of trying every pair: a rule with thousands of selector peers costs about linear time.
//
// Peer b covers peer a only if every requirement of b is implied by a's requirements on the same key
// (selectorImplies), for the pod side and the namespace side. So each b is filed under the tokens of ONE
// of its requirements (the rarest), and a looks up the tokens of every requirement its own requirements
// imply: `key=v` (b's `key In V` is implied by a's `key In U`, U ⊆ V, so a's first value is in V),
// `key?` (Exists: implied by Exists or a non-empty In), `key!` (NotIn and DoesNotExist: implied by
// DoesNotExist, In or NotIn). A namespace-side requirement of b may also be met by a peer without
// namespaceSelector, when b's namespaceSelector matches the policy's own namespace: such a b is filed under
// `own` too, which every such a looks up. A b with no requirement at all is a candidate for every a, and
// identical peers are one class (the first of them is the only one another peer needs to meet).
import { parseCidr } from '../addresses';
import { selectorMatches } from '../selectors';
import { NAMESPACE_NAME_LABEL } from '../extract';
import type { LabelSelector, PeerModel } from '../types';
import { requirements, valid, type Requirement } from './lint-cover';

type Side = 'pod' | 'ns';

const OWN = 'ns\u0000own';

/** The policy's namespace: its name, and its labels as a peer without namespaceSelector sees them. */
export interface OwnNamespace {
  name: string;
  labels: Record<string, string>;
}
const EVERY = '*';

function token(side: Side, key: string, rest: string): string {
  return `${side}\u0000${key}\u0000${rest}`;
}

/** The tokens a peer is filed under when its requirement `r` is the one it is indexed by. */
function filedTokens(side: Side, r: Requirement): string[] {
  if (r.operator === 'In') return r.values.map((v) => token(side, r.key, `=${v}`));
  if (r.operator === 'Exists') return [token(side, r.key, '?')];
  return [token(side, r.key, '!')];
}

/** The tokens of every requirement `reqs` imply; undefined when that cannot be told (`In` with no value). */
function impliedTokens(side: Side, reqs: Requirement[]): string[] | undefined {
  const out: string[] = [];
  for (const r of reqs) {
    if (r.operator === 'In') {
      if (r.values.length === 0) return undefined;
      out.push(token(side, r.key, `=${r.values[0]}`), token(side, r.key, '?'), token(side, r.key, '!'));
    } else if (r.operator === 'Exists') out.push(token(side, r.key, '?'));
    else out.push(token(side, r.key, '!'));
  }
  return out;
}

function lookups(peer: PeerModel): string[] | undefined {
  const pod = impliedTokens('pod', requirements(peer.podSelector));
  const ns = peer.namespaceSelector ? impliedTokens('ns', requirements(peer.namespaceSelector)) : [OWN];
  return pod && ns ? [EVERY, ...pod, ...ns] : undefined;
}

function classKey(peer: PeerModel): string {
  const side = (s: LabelSelector | undefined) =>
    s === undefined ? '-' : JSON.stringify(requirements(s).map((r) => [r.key, r.operator, r.values]));
  return `${side(peer.podSelector)}|${side(peer.namespaceSelector)}`;
}

/** Where peer b is filed: the tokens of its rarest requirement (fewest peers look them up). */
function filing(
  peer: PeerModel,
  matchesOwn: boolean,
  ownName: string,
  frequency: Map<string, number>,
): string[] {
  const options: string[][] = [
    ...requirements(peer.podSelector).map((r) => filedTokens('pod', r)),
    ...requirements(peer.namespaceSelector).map((r) => [
      ...filedTokens('ns', r),
      ...(matchesOwn ? [OWN] : []),
    ]),
  ];
  // Without namespaceSelector b selects in the policy's namespace only: it covers a peer without one,
  // or one whose namespaceSelector requires that namespace's name.
  if (!peer.namespaceSelector) options.push([token('ns', NAMESPACE_NAME_LABEL, `=${ownName}`), OWN]);
  if (options.length === 0) return [EVERY];
  const cost = (tokens: string[]) => tokens.reduce((sum, t) => sum + (frequency.get(t) ?? 0), 0);
  return options.reduce((best, option) => (cost(option) < cost(best) ? option : best));
}

/**
 * For the selector peers (indexes into `peers`), a function giving, for one of them, the ascending indexes
 * of the selector peers that may cover it: every peer that does is among them.
 */
export function selectorCoverCandidates(
  peers: readonly PeerModel[],
  selectorIndexes: readonly number[],
  own: OwnNamespace,
): (i: number) => number[] {
  const ownLabels = own.labels;
  const firstOfClass = new Map<string, number>();
  const classOf = new Map<number, number>();
  const lookupsOf = new Map<number, string[] | undefined>();
  const frequency = new Map<string, number>();
  for (const i of selectorIndexes) {
    const key = classKey(peers[i]);
    if (!firstOfClass.has(key)) firstOfClass.set(key, i);
    classOf.set(i, firstOfClass.get(key)!);
    const tokens = lookups(peers[i]);
    lookupsOf.set(i, tokens);
    for (const t of new Set(tokens)) frequency.set(t, (frequency.get(t) ?? 0) + 1);
  }
  const firsts = [...firstOfClass.values()];
  const buckets = new Map<string, number[]>();
  for (const j of firsts) {
    const peer = peers[j];
    if (!valid(peer.podSelector) || !valid(peer.namespaceSelector)) continue; // covers nothing
    const matchesOwn =
      peer.namespaceSelector !== undefined && selectorMatches(peer.namespaceSelector, ownLabels);
    for (const t of new Set(filing(peer, matchesOwn, own.name, frequency))) {
      const bucket = buckets.get(t);
      if (bucket) bucket.push(j);
      else buckets.set(t, [j]);
    }
  }
  return (i) => {
    const tokens = lookupsOf.get(i);
    const found = new Set<number>(tokens ? tokens.flatMap((t) => buckets.get(t) ?? []) : firsts);
    found.add(classOf.get(i)!);
    return [...found].sort((a, b) => a - b);
  };
}

/**
 * For each ipBlock peer, the peers that can cover it: ipBlock peers whose cidr contains its cidr or lies
 * inside it (CIDRs nest or are disjoint). Found through an index instead of comparing every pair, so a
 * rule with thousands of ipBlock peers costs about linear time. Selector peers: lint-cover-index.ts.
 */
export function peerCoverCandidates(peers: readonly PeerModel[], own: OwnNamespace): (i: number) => number[] {
  const blocks = peers.map((p) => {
    const parsed = p.ipBlock ? parseCidr(p.ipBlock.cidr) : undefined;
    return parsed?.family === 'ipv4' ? parsed.interval : undefined;
  });
  const byKey = new Map<string, number[]>();
  const sorted: number[] = [];
  blocks.forEach((iv, i) => {
    if (!iv) return;
    const key = `${iv.lo}-${iv.hi}`;
    byKey.set(key, [...(byKey.get(key) ?? []), i]);
    sorted.push(i);
  });
  sorted.sort((a, b) => blocks[a]!.lo - blocks[b]!.lo || blocks[b]!.hi - blocks[a]!.hi);
  const selectors = selectorCoverCandidates(
    peers,
    peers.flatMap((p, i) => (p.ipBlock ? [] : [i])),
    own,
  );
  return (i) => {
    const iv = blocks[i];
    if (!peers[i].ipBlock) return selectors(i);
    if (!iv) return [];
    const found = new Set<number>();
    const size = Math.round(Math.log2(iv.hi - iv.lo + 1));
    for (let bits = size; bits <= 32; bits++) {
      const span = 2 ** bits;
      const lo = Math.floor(iv.lo / span) * span;
      for (const j of byKey.get(`${lo}-${lo + span - 1}`) ?? []) found.add(j);
    }
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (blocks[sorted[mid]]!.lo < iv.lo) lo = mid + 1;
      else hi = mid;
    }
    for (let k = lo; k < sorted.length && blocks[sorted[k]]!.lo <= iv.hi; k++) found.add(sorted[k]);
    return [...found].sort((a, b) => a - b);
  };
}
