// The connectivity list in every output format the CLI offers (and the webview exports later).
import type { Analysis } from './analysis';
import { displayJson, displayText } from './display';
import { compare } from './model';
import type { AllowedPair, Peer } from './reachability';
import { reachabilityJson, sortedPairs } from './reachability-json';

export const OUTPUT_FORMATS = ['txt', 'json', 'md', 'csv', 'dot', 'mermaid'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

interface Line {
  source: string;
  destination: string;
  connections: string;
  pair: AllowedPair;
}

function sortedLines(analysis: Analysis): Line[] {
  return sortedPairs(analysis).map((pair) => ({
    source: pair.source.id,
    destination: pair.destination.id,
    connections: pair.connections.toString(),
    pair,
  }));
}

export function formatReachability(analysis: Analysis, format: OutputFormat): string {
  const lines = sortedLines(analysis);
  switch (format) {
    case 'txt':
      return (
        lines
          .map((l) => `${displayText(l.source)} => ${displayText(l.destination)} : ${l.connections}`)
          .join('\n') + (lines.length ? '\n' : '')
      );
    case 'csv':
      return (
        [
          'src,dst,conn',
          ...lines.map((l) => [l.source, l.destination, l.connections].map(csvField).join(',')),
        ].join('\n') + '\n'
      );
    case 'md':
      return (
        [
          '| src | dst | conn |',
          '|-----|-----|------|',
          ...lines.map(
            (l) => `| ${mdCell(l.source)} | ${mdCell(l.destination)} | ${mdCell(l.connections)} |`,
          ),
        ].join('\n') + '\n'
      );
    case 'dot':
      return toDot(analysis, lines);
    case 'mermaid':
      return toMermaid(analysis, lines);
    case 'json':
      return (
        displayJson(
          reachabilityJson(
            analysis,
            lines.map((l) => l.pair),
          ),
        ) + '\n'
      );
  }
}

/** A CSV field (a name in it with its control characters escaped: one record per line). */
export function csvField(value: string): string {
  const shown = displayText(value);
  return /[",]/.test(shown) ? `"${shown.replace(/"/g, '""')}"` : shown;
}

export function mdCell(value: string): string {
  return displayText(value).replace(/([\\|*_`<>[\]])/g, '\\$1');
}

// ---------------------------------------------------------------------------------------------
// Graphs

function usedPeers(analysis: Analysis, lines: Line[]): Peer[] {
  const ids = new Set(lines.flatMap((l) => [l.source, l.destination]));
  return analysis.reachability.peers.filter((p) => p.kind === 'pod' || ids.has(p.id));
}

function dotString(value: string): string {
  return `"${displayText(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function toDot(analysis: Analysis, lines: Line[]): string {
  const peers = usedPeers(analysis, lines);
  const out = ['digraph netpol {', '  rankdir=LR;', '  node [shape=box, style=rounded];'];
  const byNamespace = new Map<string, Peer[]>();
  for (const peer of peers) {
    const key = peer.kind === 'pod' ? peer.namespace : '';
    byNamespace.set(key, [...(byNamespace.get(key) ?? []), peer]);
  }
  let cluster = 0;
  for (const [namespace, members] of [...byNamespace].sort(([a], [b]) => compare(a, b))) {
    if (namespace) out.push(`  subgraph cluster_${cluster++} {`, `    label=${dotString(namespace)};`);
    for (const peer of members) {
      const label = peer.kind === 'pod' ? `${peer.workload.name} [${peer.workload.kind}]` : peer.id;
      const style =
        peer.kind === 'external'
          ? ', shape=ellipse, style=dashed'
          : peer.workload.implicit || peer.workload.inferred
            ? ', style="rounded,dotted"'
            : '';
      out.push(`${namespace ? '    ' : '  '}${dotString(peer.id)} [label=${dotString(label)}${style}];`);
    }
    if (namespace) out.push('  }');
  }
  for (const l of lines) {
    const bold = l.pair.connections.isAll() ? ', penwidth=2' : '';
    out.push(
      `  ${dotString(l.source)} -> ${dotString(l.destination)} [label=${dotString(l.connections)}${bold}];`,
    );
  }
  out.push('}');
  return out.join('\n') + '\n';
}

function mermaidText(value: string): string {
  // Mermaid labels in double quotes take HTML entities; quotes and angle brackets must not leak through.
  return displayText(value)
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function toMermaid(analysis: Analysis, lines: Line[]): string {
  const peers = usedPeers(analysis, lines);
  const ids = new Map(peers.map((p, i) => [p.id, `n${i}`]));
  const out = ['flowchart LR'];
  const byNamespace = new Map<string, Peer[]>();
  for (const peer of peers) {
    const key = peer.kind === 'pod' ? peer.namespace : '';
    byNamespace.set(key, [...(byNamespace.get(key) ?? []), peer]);
  }
  let group = 0;
  for (const [namespace, members] of [...byNamespace].sort(([a], [b]) => compare(a, b))) {
    if (namespace) out.push(`  subgraph ns${group++}["${mermaidText(namespace)}"]`);
    for (const peer of members) {
      const label = peer.kind === 'pod' ? `${peer.workload.name} [${peer.workload.kind}]` : peer.id;
      const shape = peer.kind === 'external' ? ['((', '))'] : ['[', ']'];
      out.push(`    ${ids.get(peer.id)}${shape[0]}"${mermaidText(label)}"${shape[1]}`);
    }
    if (namespace) out.push('  end');
  }
  for (const l of lines) {
    const arrow = l.pair.connections.isAll() ? '==>' : '-->';
    out.push(`  ${ids.get(l.source)} ${arrow}|"${mermaidText(l.connections)}"| ${ids.get(l.destination)}`);
  }
  return out.join('\n') + '\n';
}
