// The details panel for what the view draws: a workload pair (the rules on each side, from
// graph-model.ts), an aggregated edge (its workload pairs), a collapsed namespace (its isolation and
// the policies behind it) and an external group (the ranges beneath it).
import type { GraphResult } from '../../../server/src/protocol';
import {
  EXTERNAL_GROUP,
  allowedEdgeId,
  deniedPairDetails,
  edgeDetails,
  namespaceNodeId,
  nodeDetails,
  type DetailLink,
  type EdgeDetails,
  type SideDetails,
} from './graph-model';
import { isolationText, type EdgeChanges, type ViewModel } from './view-model';

/** An aggregated edge lists this many of its pairs; the rest are counted. */
const LISTED_PAIRS = 50;

export function viewDetails(graph: GraphResult, model: ViewModel, id: string): EdgeDetails | undefined {
  const members = model.members.get(id);
  if (members) {
    if (members.length === 1) return edgeDetails(graph, allowedEdgeId(members[0].src, members[0].dst));
    return aggregateDetails(model, id, members);
  }
  const changes = model.changes.get(id.replace(/^removed:/, ''));
  if (changes && (id.startsWith('removed:') || members === undefined)) return changeDetails(changes);
  const denied = model.denied.get(id);
  // The pair itself, not a look-up in graph.denied: a focus's pairs may come from the host.
  if (denied) return deniedPairDetails(graph, denied[0]);
  const node = model.elements.nodes.find((n) => n.data.id === id);
  if (node?.data.kind === 'namespace-summary' && node.data.namespace !== EXTERNAL_GROUP)
    return namespaceDetails(graph, model, node.data.namespace!);
  const base = nodeDetails(graph, id, model.elements);
  const group = graph.externalGroups?.find((g) => g.id === id);
  if (!base || !group) return base;
  const ranges: SideDetails = {
    heading: group.asWritten ? 'As written in a policy; the ranges beneath' : 'Ranges',
    summary: '',
    links: group.ranges.map((text) => ({ text })),
  };
  return { ...base, sides: [ranges, ...base.sides] };
}

/** A removed edge in diff mode: the pairs that connected in the base. */
function changeDetails(c: EdgeChanges): EdgeDetails {
  const rows = [...c.removed, ...c.changed, ...c.added];
  return {
    title: `${c.source} → ${c.target}`,
    verdict: rows.length === 1 ? `Removed: ${rows[0].old}` : `${rows.length} pairs changed`,
    sides: [
      {
        heading: 'Compared with the base',
        summary: '',
        links: rows.map((r) => ({ text: `${r.change}: ${r.src} → ${r.dst}: ${r.old} → ${r.new}` })),
      },
    ],
  };
}

function aggregateDetails(
  model: ViewModel,
  id: string,
  members: { src: string; dst: string; conn: string }[],
): EdgeDetails {
  const edge = model.elements.edges.find((e) => e.data.id === id)!;
  const label = (nodeId: string) =>
    model.elements.nodes.find((n) => n.data.id === nodeId)?.data.label.split('\n')[0] ?? nodeId;
  const links: DetailLink[] = members
    .slice(0, LISTED_PAIRS)
    .map((c) => ({ text: `${c.src} → ${c.dst}: ${c.conn}` }));
  const more = members.length - links.length;
  return {
    title: `${label(edge.data.source)} → ${label(edge.data.target)}`,
    verdict: `Allowed: ${edge.data.label}`,
    sides: [
      {
        heading: 'Workload pairs',
        summary: more > 0 ? `${members.length} connections; the first ${links.length}:` : '',
        links,
      },
    ],
  };
}

function namespaceDetails(graph: GraphResult, model: ViewModel, namespace: string): EdgeDetails {
  const summary = model.namespaces.get(namespace)!;
  const inside = model.inside.get(namespaceNodeId(namespace)) ?? 0;
  const side = (direction: 'ingress' | 'egress'): SideDetails => ({
    heading: direction === 'ingress' ? 'Ingress' : 'Egress',
    summary:
      `${isolationText(summary.isolated[direction], summary.workloads)}` +
      (summary.policies[direction].length > 0 ? '; isolated by:' : ': no policy isolates its workloads'),
    links: summary.policies[direction].map((name) => ({ text: name, location: graph.policies[name] })),
  });
  return {
    title: namespace,
    verdict: `${summary.workloads} workloads; ${inside} allowed pairs inside (expand to see them)`,
    sides: [side('ingress'), side('egress')],
  };
}
