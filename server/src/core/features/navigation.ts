// Go to definition / find references between selectors and what they select: from a selector or peer
// to the workloads and namespaces it matches, and from a workload or namespace to the selectors and
// policies that match it. Both requests answer both directions. From an expectation's `from`/`to`, to the
// workloads it names.
import type { Analysis } from '../index';
import { clusterSelectionsOf, clusterTargets } from './cluster-navigation';
import { expectationPeerWorkloads } from './expectations';
import { selectorMatches } from '../selectors';
import type { NamespaceModel, Range, SourceRef, WorkloadModel } from '../types';
import { locateIn, onObjectHeader, revealRange, type ModelElement } from './locate';
import { policiesSelecting } from './workload-summary';

export interface Location {
  uri: string;
  range: Range;
}

/** Where the workloads are written (at their names); implicit and inferred ones have no place. */
export function workloadLocations(analysis: Analysis, workloads: WorkloadModel[]): Location[] {
  return workloads.flatMap((w) =>
    w.source ? [{ uri: w.source.uri, range: revealRange(analysis, w.source) }] : [],
  );
}

function namespaceLocations(analysis: Analysis, namespaces: NamespaceModel[]): Location[] {
  return namespaces.flatMap((n) =>
    n.source ? [{ uri: n.source.uri, range: revealRange(analysis, n.source) }] : [],
  );
}

/** The workloads or namespaces a selector-like element matches. */
function targetsOf(analysis: Analysis, element: ModelElement): Location[] {
  const reach = analysis.reachability;
  switch (element.kind) {
    case 'policy':
      return workloadLocations(analysis, reach.selectedWorkloads(element.policy));
    case 'peer':
      return workloadLocations(analysis, reach.peerWorkloads(element.policy, element.peer));
    case 'selector': {
      if (element.role === 'policy')
        return workloadLocations(analysis, reach.selectedWorkloads(element.policy));
      if (element.role === 'pod')
        return workloadLocations(analysis, reach.peerWorkloads(element.policy, element.peer));
      const selector = element.selector;
      return namespaceLocations(
        analysis,
        analysis.model.namespaces.filter((n) => selectorMatches(selector, n.labels)),
      );
    }
    default:
      return [];
  }
}

/** The policy selectors and peers that match a workload. */
function workloadSources(analysis: Analysis, workload: WorkloadModel): Location[] {
  const reach = analysis.reachability;
  const found: Location[] = policiesSelecting(analysis, workload).map((p) => ({
    uri: p.uri,
    range: p.podSelector.range,
  }));
  for (const policy of analysis.model.policies) {
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        if (peer.ipBlock) continue;
        if (reach.peerSelectsWorkload(policy, peer, workload.id))
          found.push({ uri: policy.uri, range: peer.range });
      }
    }
  }
  return [...found, ...clusterSelectionsOf(analysis, workload)];
}

/** The namespaceSelectors that select a namespace, and the policies written for it. */
function namespaceSources(analysis: Analysis, namespace: NamespaceModel): Location[] {
  const found: Location[] = [];
  for (const policy of analysis.model.policies) {
    if (policy.namespace === namespace.name)
      found.push({ uri: policy.uri, range: policy.nameRange ?? policy.range });
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        const selector = peer.namespaceSelector;
        if (selector && selectorMatches(selector, namespace.labels))
          found.push({ uri: policy.uri, range: selector.range });
      }
    }
  }
  return found;
}

function sourcesOf(analysis: Analysis, element: ModelElement): Location[] {
  if (element.kind === 'workload') return workloadSources(analysis, element.workload);
  if (element.kind === 'namespace') return namespaceSources(analysis, element.namespace);
  return [];
}

function ownSource(element: ModelElement): SourceRef | undefined {
  if (element.kind === 'workload') return element.workload.source;
  if (element.kind === 'namespace') return element.namespace.source;
  return undefined;
}

function sorted(locations: Location[]): Location[] {
  const unique = new Map(locations.map((l) => [`${l.uri}#${l.range.start.offset}-${l.range.end.offset}`, l]));
  return [...unique.values()].sort(
    (a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0) || a.range.start.offset - b.range.start.offset,
  );
}

function related(
  analysis: Analysis,
  uri: string,
  offset: number,
): { element?: ModelElement; locations: Location[] } {
  const location = locateIn(analysis, uri, offset);
  const named = location && expectationPeerWorkloads(analysis, location);
  if (named) return { locations: workloadLocations(analysis, named) };
  const cluster = location && clusterTargets(analysis, location);
  if (cluster) {
    return {
      locations: [
        ...workloadLocations(analysis, cluster.workloads),
        ...namespaceLocations(analysis, cluster.namespaces),
      ],
    };
  }
  const element = location?.element;
  // Anywhere in a policy outside its selectors means the policy, which only its name stands for.
  if (!location || !element || (element.kind === 'policy' && !onObjectHeader(location)))
    return { locations: [] };
  return { element, locations: [...targetsOf(analysis, element), ...sourcesOf(analysis, element)] };
}

export function definition(analysis: Analysis, uri: string, offset: number): Location[] {
  return sorted(related(analysis, uri, offset).locations);
}

export function references(
  analysis: Analysis,
  uri: string,
  offset: number,
  options: { includeDeclaration?: boolean } = {},
): Location[] {
  const { element, locations } = related(analysis, uri, offset);
  const own = element && options.includeDeclaration ? ownSource(element) : undefined;
  return sorted(own ? [{ uri: own.uri, range: revealRange(analysis, own) }, ...locations] : locations);
}
