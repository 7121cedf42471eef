// The workspace compared with a base (a git revision or another folder): the connectivity diff, and for
// each policy whose edit changes reachability, the rows it changes, as an Information diagnostic and a
// code lens ("compared with HEAD: now allows frontend/web → database/db on TCP 5432; …").
import { CODES } from './codes';
import {
  diffConnectivity,
  diffProvenance,
  type ConnectivityDiff,
  type DiffEndpoint,
  type DiffRow,
} from './diff';
import type { Analysis } from './analysis';
import type { PolicyModel, Problem, Range } from './types';

/** The rows a changed policy accounts for (it selects an end of each, on either side). */
export interface PolicyComparison {
  policy: PolicyModel;
  rows: DiffRow[];
}

export interface Comparison {
  /** The base as people read it, e.g. `HEAD`. */
  label: string;
  base: Analysis;
  diff: ConnectivityDiff;
  policies: PolicyComparison[];
}

export function compareAnalyses(base: Analysis, current: Analysis, label: string): Comparison {
  const diff = diffConnectivity(base.reachability, current.reachability);
  return { label, base, diff, policies: changedPolicies(base, current, diff) };
}

/**
 * A policy "changed" when its meaning differs from the base's policy of the same namespace and name (or
 * the base has none); it accounts for a row when it selects the row's source for egress or its
 * destination for ingress, in the base or now. Comment and layout edits change nothing.
 */
function changedPolicies(base: Analysis, current: Analysis, diff: ConnectivityDiff): PolicyComparison[] {
  if (diff.rows.length === 0) return [];
  const before = new Map(base.model.policies.map((p) => [policyName(p), meaning(p)]));
  const changed = current.model.policies.filter((p) => before.get(policyName(p)) !== meaning(p));
  if (changed.length === 0) return [];
  const deciding = diff.rows.map((row) => decidingPolicies(base, current, row));
  return changed.flatMap((policy) => {
    const rows = diff.rows.filter((_, i) => deciding[i].has(policyName(policy)));
    return rows.length > 0 ? [{ policy, rows }] : [];
  });
}

function policyName(policy: PolicyModel): string {
  return `${policy.namespace}/${policy.name}`;
}

/** The policy as the API server would store it: everything but where it is written. */
function meaning(policy: PolicyModel): string {
  return JSON.stringify(policy, (key, value: unknown) =>
    key === 'id' || key === 'uri' || key === 'range' || /Ranges?$/.test(key) ? undefined : value,
  );
}

/** The policies selecting the row's ends, in the base and now. */
function decidingPolicies(base: Analysis, current: Analysis, row: DiffRow): Set<string> {
  const names = new Set<string>();
  for (const analysis of [base, current]) {
    const provenance = diffProvenance(analysis.reachability, row);
    for (const side of provenance ? [provenance.egress, provenance.ingress] : []) {
      for (const policy of side.policies) names.add(policyName(policy));
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// What the editor says

/** Rows spelled out in a diagnostic; past this the message counts the rest. */
const DIAGNOSTIC_ROWS = 5;
/** Rows spelled out in a code lens, which is one short line. */
const LENS_ROWS = 1;

/** `frontend/web`, `0.0.0.0-255.255.255.255`: ids without the `[Kind]`/`[External]` suffix. */
function endName(endpoint: DiffEndpoint): string {
  return endpoint.id.replace(/\[[^\]]*\]$/, '');
}

function connectionsText(connections: string): string {
  return connections === 'All Connections' ? 'all connections' : connections;
}

/** One row in words: `now allows a → b on TCP 5432`, `no longer allows …`, `a → b on X instead of Y`. */
export function describeRow(row: DiffRow): string {
  const pair = `${endName(row.source)} → ${endName(row.destination)}`;
  switch (row.type) {
    case 'added':
      return `now allows ${pair} on ${connectionsText(row.ref2)}`;
    case 'removed':
      return `no longer allows ${pair} on ${connectionsText(row.ref1)}`;
    case 'changed':
      return `allows ${pair} on ${connectionsText(row.ref2)} instead of ${connectionsText(row.ref1)}`;
  }
}

/** `compared with HEAD: now allows …; no longer allows …` with the count of the rest when there are many. */
export function describeChange(label: string, rows: readonly DiffRow[], spelled: number): string {
  // Additions first: what a change opens is what reviewers look for.
  const order = { added: 0, changed: 1, removed: 2 };
  const sorted = [...rows].sort((a, b) => order[a.type] - order[b.type]);
  const shown = sorted.slice(0, spelled).map(describeRow);
  const rest = rows.length - shown.length;
  const counts = rest > 0 ? ` and ${rest} more (${countsText(rows)})` : '';
  return `compared with ${label}: ${shown.join('; ')}${counts}`;
}

function countsText(rows: readonly DiffRow[]): string {
  const count = (type: DiffRow['type']) => rows.filter((r) => r.type === type).length;
  const parts = [
    [count('added'), 'newly allowed'],
    [count('removed'), 'no longer allowed'],
    [count('changed'), 'changed'],
  ] as const;
  return `${rows.length} connections: ${parts
    .filter(([n]) => n > 0)
    .map(([n, what]) => `${n} ${what}`)
    .join(', ')}`;
}

function policyPlace(policy: PolicyModel): Range {
  return policy.nameRange ?? policy.range;
}

/** One Information diagnostic per changed policy that changes reachability (none when nothing changed). */
export function comparisonProblems(comparison: Comparison): Problem[] {
  return comparison.policies.map(({ policy, rows }) => ({
    code: CODES.reachabilityChanged,
    severity: 'information',
    message: describeChange(comparison.label, rows, DIAGNOSTIC_ROWS),
    uri: policy.uri,
    range: policyPlace(policy),
    data: { base: comparison.label, rows: rows.length },
  }));
}

export interface ComparisonLens {
  range: Range;
  title: string;
}

/** A code lens over each changed policy of `uri` that changes reachability. */
export function comparisonLenses(comparison: Comparison, uri: string): ComparisonLens[] {
  return comparison.policies
    .filter(({ policy }) => policy.uri === uri)
    .map(({ policy, rows }) => ({
      range: policyPlace(policy),
      title: describeChange(comparison.label, rows, LENS_ROWS),
    }));
}
