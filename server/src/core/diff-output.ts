// The connectivity diff in the CLI's formats: txt (the reference analyzer's diff format), md, csv and
// json (with the provenance on each side; schema in docs/diff-output.md).
import { diffLine, diffProvenance, type ConnectivityDiff, type DiffEndpoint, type DiffRow } from './diff';
import type { Analysis } from './index';
import { formatInterval } from './addresses';
import { displayJson, displayText } from './display';
import { csvField, mdCell } from './output';
import {
  jsonProblem,
  jsonSide,
  type JsonConnections,
  type JsonExternalPeer,
  type JsonProblem,
  type JsonSide,
} from './reachability-json';

export const DIFF_FORMATS = ['txt', 'json', 'md', 'csv'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** What the two sides were read from, for the json output (e.g. `origin/main:k8s` and `k8s`). */
export interface DiffLabels {
  ref1: string;
  ref2: string;
}

/** One end of a diff row: a workload, or an external range as the diff cuts it (docs/diff-output.md). */
export type JsonDiffEndpoint = { id: string; type: 'pod' } | JsonExternalPeer;

/** One row of `netpol-lens diff -o json` (docs/diff-output.md). */
export interface JsonDiffRow {
  diffType: 'changed' | 'added' | 'removed';
  src: string;
  dst: string;
  source: JsonDiffEndpoint;
  destination: JsonDiffEndpoint;
  /** The connections in the base (`No Connections` for added rows), as the txt output writes them. */
  ref1: string;
  /** The connections now (`No Connections` for removed rows). */
  ref2: string;
  ref1Connections: JsonConnections;
  ref2Connections: JsonConnections;
  workloadsDiffInfo: string | null;
  /** Per side, the policies and rules that decide the pair; null when that side lacks a workload of it. */
  provenance: {
    ref1: { egress: JsonSide; ingress: JsonSide } | null;
    ref2: { egress: JsonSide; ingress: JsonSide } | null;
  };
}

/** `netpol-lens diff -o json`: the one producer of this shape (the CLI and the editor's comparison). */
export interface DiffJson {
  version: number;
  ref1: string;
  ref2: string;
  /** The analysis options of the current side (never editor settings). */
  options: Record<string, unknown>;
  diffs: JsonDiffRow[];
  problems: { ref1: JsonProblem[]; ref2: JsonProblem[] };
}

const COLUMNS = ['diff-type', 'source', 'destination', 'ref1', 'ref2', 'workloads-diff-info'];

function columns(row: DiffRow): string[] {
  return [row.type, row.source.id, row.destination.id, row.ref1, row.ref2, row.workloadsDiffInfo ?? ''];
}

export function formatDiff(
  old: Analysis,
  next: Analysis,
  diff: ConnectivityDiff,
  format: DiffFormat,
  labels: DiffLabels,
): string {
  switch (format) {
    case 'txt':
      // Nothing at all when nothing differs, as the reference analyzer prints.
      return diff.rows.length
        ? ['Connectivity diff:', ...diff.rows.map((row) => displayText(diffLine(row)))].join('\n') + '\n'
        : '';
    case 'csv':
      return [COLUMNS, ...diff.rows.map(columns)].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
    case 'md':
      return (
        [
          `| ${COLUMNS.join(' | ')} |`,
          `|${COLUMNS.map((c) => '-'.repeat(c.length + 2)).join('|')}|`,
          ...diff.rows.map((row) => `| ${columns(row).map(mdCell).join(' | ')} |`),
        ].join('\n') + '\n'
      );
    case 'json':
      return displayJson(diffJson(old, next, diff, labels)) + '\n';
  }
}

export function diffEndpointJson(endpoint: DiffEndpoint): JsonDiffEndpoint {
  return endpoint.kind === 'pod'
    ? { id: endpoint.id, type: 'pod' }
    : { id: endpoint.id, type: 'external', range: formatInterval(endpoint.interval) };
}

function provenanceJson(analysis: Analysis, row: DiffRow): JsonDiffRow['provenance']['ref1'] {
  const provenance = diffProvenance(analysis.reachability, row);
  return provenance ? { egress: jsonSide(provenance.egress), ingress: jsonSide(provenance.ingress) } : null;
}

export function diffJson(
  old: Analysis,
  next: Analysis,
  diff: ConnectivityDiff,
  labels: DiffLabels,
): DiffJson {
  return {
    version: 1,
    ref1: labels.ref1,
    ref2: labels.ref2,
    options: { ...next.options },
    diffs: diff.rows.map((row) => ({
      diffType: row.type,
      src: row.source.id,
      dst: row.destination.id,
      source: diffEndpointJson(row.source),
      destination: diffEndpointJson(row.destination),
      ref1: row.ref1,
      ref2: row.ref2,
      ref1Connections: row.ref1Connections,
      ref2Connections: row.ref2Connections,
      workloadsDiffInfo: row.workloadsDiffInfo ?? null,
      provenance: { ref1: provenanceJson(old, row), ref2: provenanceJson(next, row) },
    })),
    problems: { ref1: old.problems.map(jsonProblem), ref2: next.problems.map(jsonProblem) },
  };
}
