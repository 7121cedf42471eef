// Checks each expectation against the analysis. Peers resolve as `netpol-lens can` resolves them
// (Reachability.findPeer); `ns/*` expands to every workload of the namespace, and every pair it expands to
// must hold. With a port, `allow` holds when that port is allowed and `deny` when it is not; without one,
// `allow` holds when some connection is allowed and `deny` when none is.
import { explainDecision, explainQuery } from '../explain';
import type { Analysis } from '../index';
import { formatPortQuery, peerLookupError } from '../queries';
import type { Peer, QueryResult, Reachability } from '../reachability';
import type { Range } from '../types';
import {
  expectationsDocuments,
  type Expectation,
  type ExpectationsDocument,
  type PeerSpec,
  type Verdict,
} from './document';

/** One expanded pair of an expectation. */
export interface PairVerdict {
  source: Peer;
  destination: Peer;
  allowed: boolean;
  holds: boolean;
}

export type ExpectationStatus = 'holds' | 'violated' | 'invalid';

export interface ExpectationResult {
  document: ExpectationsDocument;
  expectation: Expectation;
  status: ExpectationStatus;
  /** One plain-text line: what the analysis found and which rules decide it, or why it is invalid. */
  message: string;
  /** Short words for a code lens: `holds`, `violated: …`, `invalid: …`. */
  summary: string;
  /** Where a diagnostic goes: the item (or, when invalid, the offending field). */
  range: Range;
  /** Every pair the expectation expands to (none when invalid). */
  pairs: PairVerdict[];
  /** The full account (`netpol-lens can`'s text) of a pair, computed on demand. */
  explain(pair: PairVerdict): QueryResult;
}

/** How many violating pairs a message names before "and N more". */
const NAMED_PAIRS = 3;

const evaluated = new WeakMap<Reachability, ExpectationResult[]>();

/** Every expectation of the workspace, evaluated once per analysis, in file and document order. */
export function evaluateExpectations(analysis: Analysis): ExpectationResult[] {
  let results = evaluated.get(analysis.reachability);
  if (!results) {
    results = analysis.files.flatMap((file) =>
      expectationsDocuments(file).flatMap((document) =>
        document.expectations.map((expectation) =>
          evaluateExpectation(analysis.reachability, document, expectation),
        ),
      ),
    );
    evaluated.set(analysis.reachability, results);
  }
  return results;
}

type Resolved = { peers: Peer[] } | { error: string; range: Range };

/** The peers one end of an expectation names, or why it names none. */
export function resolvePeerSpec(
  reach: Reachability,
  spec: PeerSpec,
  role: 'source' | 'destination',
): Resolved {
  if (spec.kind === 'namespace') {
    const peers = reach.model.workloadsIn(spec.namespace).flatMap((w) => reach.peer(w.id) ?? []);
    if (peers.length > 0) return { peers };
    const exists = reach.model.namespace(spec.namespace) !== undefined;
    const why = exists ? `namespace ${spec.namespace} has no workloads` : `no namespace ${spec.namespace}`;
    return { error: `${spec.text}: ${why} in the workspace`, range: spec.range };
  }
  const peer = reach.findPeer(spec.text, role);
  return peer ? { peers: [peer] } : { error: peerLookupError(reach, spec.text), range: spec.range };
}

function invalid(
  document: ExpectationsDocument,
  expectation: Expectation,
  message: string,
  range: Range,
): ExpectationResult {
  return {
    document,
    expectation,
    status: 'invalid',
    message,
    summary: `invalid: ${message}`,
    range,
    pairs: [],
    explain: () => {
      throw new Error('an invalid expectation has no pairs');
    },
  };
}

function evaluateExpectation(
  reach: Reachability,
  document: ExpectationsDocument,
  expectation: Expectation,
): ExpectationResult {
  const first = expectation.malformed[0];
  if (first) return invalid(document, expectation, first.message, first.range);
  const { from, to, expect, port } = expectation;
  // The schema reports missing fields; this guards the types.
  if (!from || !to || !expect) return invalid(document, expectation, 'incomplete', expectation.range);
  const sources = resolvePeerSpec(reach, from, 'source');
  if ('error' in sources) return invalid(document, expectation, sources.error, sources.range);
  const destinations = resolvePeerSpec(reach, to, 'destination');
  if ('error' in destinations) return invalid(document, expectation, destinations.error, destinations.range);
  const pairs: PairVerdict[] = [];
  for (const source of sources.peers) {
    for (const destination of destinations.peers) {
      // A namespace's expansion does not pair a workload with itself; two written names may.
      const expanded = from.kind === 'namespace' || to.kind === 'namespace';
      if (expanded && source === destination) continue;
      if (source.kind === 'external' && destination.kind === 'external') continue;
      const connections = reach.connections(source, destination);
      const allowed = port ? connections.contains(port.protocol, port.port) : !connections.isEmpty();
      pairs.push({ source, destination, allowed, holds: allowed === (expect === 'allow') });
    }
  }
  if (pairs.length === 0) {
    const why =
      sources.peers.every((p) => p.kind === 'external') &&
      destinations.peers.every((p) => p.kind === 'external')
        ? 'both ends are external addresses; NetworkPolicies decide nothing between them'
        : 'it expands to no pair of distinct peers';
    return invalid(document, expectation, `${from.text} → ${to.text}: ${why}`, expectation.range);
  }
  const explain = (pair: PairVerdict) => reach.query(pair.source, pair.destination, port);
  const violations = pairs.filter((p) => !p.holds);
  const status = violations.length === 0 ? 'holds' : 'violated';
  const words =
    status === 'holds'
      ? holdsWords(expectation, pairs)
      : violatedWords(expectation, pairs, violations, explain);
  return { document, expectation, status, ...words, range: expectation.range, pairs, explain };
}

function connectionWords(from: string, to: string, expectation: Expectation): string {
  const on = expectation.port ? ` on ${formatPortQuery(expectation.port)}` : '';
  return `${from} → ${to}${on}`;
}

function verdictWord(allowed: boolean): string {
  return allowed ? 'allowed' : 'denied';
}

function expectedWord(expect: Verdict): string {
  return expect === 'allow' ? 'allowed' : 'denied';
}

function holdsWords(expectation: Expectation, pairs: PairVerdict[]): { message: string; summary: string } {
  const { from, to, expect } = expectation;
  const what = connectionWords(from!.text, to!.text, expectation);
  const count = pairs.length === 1 ? '' : ` (all ${pairs.length} pairs)`;
  return { message: `${what} is ${expectedWord(expect!)}${count}, as expected`, summary: `holds${count}` };
}

function violatedWords(
  expectation: Expectation,
  pairs: PairVerdict[],
  violations: PairVerdict[],
  explain: (pair: PairVerdict) => QueryResult,
): { message: string; summary: string } {
  const { from, to, expect } = expectation;
  const found = verdictWord(violations[0].allowed);
  const what = connectionWords(from!.text, to!.text, expectation);
  if (pairs.length === 1) {
    return {
      message: `Expected ${what} to be ${expectedWord(expect!)}, but it is ${found}: ${explainDecision(explain(violations[0]))}.`,
      summary: `violated: ${found}, expected ${expectedWord(expect!)}`,
    };
  }
  const named = violations
    .slice(0, NAMED_PAIRS)
    .map((p) => connectionWords(p.source.id, p.destination.id, expectation));
  const more = violations.length > NAMED_PAIRS ? ` and ${violations.length - NAMED_PAIRS} more` : '';
  const firstPair = violations[0];
  return {
    message:
      `Expected every pair of ${what} to be ${expectedWord(expect!)}, but ${violations.length} of ${pairs.length} are ${found}: ` +
      `${named.join(', ')}${more}. ${firstPair.source.id} → ${firstPair.destination.id}: ${explainDecision(explain(firstPair))}.`,
    summary: `violated: ${violations.length} of ${pairs.length} pairs ${found}`,
  };
}

/** The full evaluation as plain-text lines, for a hover: each pair with `netpol-lens can`'s account. */
export function explainExpectation(result: ExpectationResult, maxPairs = 10): string[] {
  if (result.status === 'invalid') return [`Invalid: ${result.message}`];
  const lines = [result.status === 'holds' ? `Holds: ${result.message}` : `Violated: ${result.message}`];
  // Violations first: they are what the reader came for.
  const ordered = [...result.pairs.filter((p) => !p.holds), ...result.pairs.filter((p) => p.holds)];
  for (const pair of ordered.slice(0, maxPairs)) {
    lines.push(`${pair.holds ? 'holds' : 'VIOLATED'} · ${explainQuery(result.explain(pair))}`);
  }
  if (ordered.length > maxPairs) lines.push(`… and ${ordered.length - maxPairs} more pair(s)`);
  return lines;
}
