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
import { selectorMatches } from '../selectors';
import type { LabelSelector, PeerModel } from '../types';
import { requirements, valid, type Requirement } from './lint-cover';

type Side = 'pod' | 'ns';

const OWN = 'ns\u0000own';
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
function filing(peer: PeerModel, matchesOwn: boolean, frequency: Map<string, number>): string[] {
  const options: string[][] = [
    ...requirements(peer.podSelector).map((r) => filedTokens('pod', r)),
    ...requirements(peer.namespaceSelector).map((r) => [
      ...filedTokens('ns', r),
      ...(matchesOwn ? [OWN] : []),
    ]),
  ];
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
  ownLabels: Record<string, string>,
): (i: number) => number[] {
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
    for (const t of new Set(filing(peer, matchesOwn, frequency))) {
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
