// The connectivity diff in the CLI's formats: txt (the reference analyzer's diff format), md, csv and
// json (with the provenance on each side; schema in docs/diff-output.md).
import { diffLine, diffProvenance, type ConnectivityDiff, type DiffEndpoint, type DiffRow } from './diff';
import type { Analysis } from './index';
import { formatInterval } from './addresses';
import { displayJson, displayText } from './display';
import { csvField, mdCell } from './output';
import { jsonProblem, jsonSide } from './reachability-json';

export const DIFF_FORMATS = ['txt', 'json', 'md', 'csv'] as const;
export type DiffFormat = (typeof DIFF_FORMATS)[number];

/** What the two sides were read from, for the json output (e.g. `origin/main:k8s` and `k8s`). */
export interface DiffLabels {
  ref1: string;
  ref2: string;
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

function endpointJson(endpoint: DiffEndpoint) {
  return endpoint.kind === 'pod'
    ? { id: endpoint.id, type: 'pod' }
    : { id: endpoint.id, type: 'external', range: formatInterval(endpoint.interval) };
}

function provenanceJson(analysis: Analysis, row: DiffRow) {
  const provenance = diffProvenance(analysis.reachability, row);
  return provenance ? { egress: jsonSide(provenance.egress), ingress: jsonSide(provenance.ingress) } : null;
}

function diffJson(old: Analysis, next: Analysis, diff: ConnectivityDiff, labels: DiffLabels) {
  return {
    version: 1,
    ref1: labels.ref1,
    ref2: labels.ref2,
    options: next.options,
    diffs: diff.rows.map((row) => ({
      diffType: row.type,
      src: row.source.id,
      dst: row.destination.id,
      source: endpointJson(row.source),
      destination: endpointJson(row.destination),
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
