// Completion for the policy kinds and inside AdminNetworkPolicy, BaselineAdminNetworkPolicy and
// ClusterNetworkPolicy: kinds and their apiVersions, the fields of each kind (v1alpha1 `ports` or v1alpha2
// `protocols`), the actions each kind accepts, tiers, protocols, container port names, and label keys and
// values from the workspace in subject and peer selectors (as in NetworkPolicy selectors).
import { CLUSTER_POLICY_KINDS, type ClusterPolicyKind } from '../cluster/types';
import type { Analysis } from '../index';
import { PROTOCOLS } from '../types';
import {
  enumItems,
  fieldNameItems,
  labelSelectorItems,
  type CompletionItem,
  type LabelSource,
} from './completion';
import type { CompletionContext } from './completion-context';
import type { PathSegment } from './locate';

/** The policy kinds netpol-lens evaluates, with the apiVersion each is served at. */
const POLICY_KINDS: Record<string, string> = {
  NetworkPolicy: 'networking.k8s.io/v1',
  ...CLUSTER_POLICY_KINDS,
};

const ACTIONS: Record<ClusterPolicyKind, string[]> = {
  AdminNetworkPolicy: ['Allow', 'Deny', 'Pass'],
  BaselineAdminNetworkPolicy: ['Allow', 'Deny'],
  ClusterNetworkPolicy: ['Accept', 'Deny', 'Pass'],
};

const SPEC_FIELDS: Record<ClusterPolicyKind, string[]> = {
  AdminNetworkPolicy: ['priority', 'subject', 'ingress', 'egress'],
  BaselineAdminNetworkPolicy: ['subject', 'ingress', 'egress'],
  ClusterNetworkPolicy: ['tier', 'priority', 'subject', 'ingress', 'egress'],
};

const EGRESS_PEERS: Record<ClusterPolicyKind, string[]> = {
  AdminNetworkPolicy: ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'],
  BaselineAdminNetworkPolicy: ['namespaces', 'pods', 'networks', 'nodes'],
  ClusterNetworkPolicy: ['namespaces', 'pods', 'networks', 'nodes', 'domainNames'],
};

function isRule(path: PathSegment[]): boolean {
  return path[0] === 'spec' && (path[1] === 'ingress' || path[1] === 'egress') && typeof path[2] === 'number';
}

/** Index in `path` of a subject or peer (its `namespaces`/`pods` follow), or -1. */
function selectionIndex(path: PathSegment[]): number {
  if (path[0] === 'spec' && path[1] === 'subject') return 2;
  return isRule(path) && (path[3] === 'from' || path[3] === 'to') && typeof path[4] === 'number' ? 5 : -1;
}

/** Index in `path` of a label selector (`namespaces`, `pods.namespaceSelector`, `pods.podSelector`), or -1. */
function selectorIndex(path: PathSegment[]): number {
  const at = selectionIndex(path);
  if (at < 0 || path.length <= at) return -1;
  if (path[at] === 'namespaces') return at;
  const field = path[at + 1];
  return path[at] === 'pods' && (field === 'namespaceSelector' || field === 'podSelector') ? at + 1 : -1;
}

function labelSource(analysis: Analysis, path: PathSegment[], at: number): LabelSource {
  if (path[at] === 'podSelector') {
    const workloads = analysis.model.workloads.filter((w) => !w.inferred);
    return { noun: 'workload', items: workloads.map((w) => ({ id: w.id, labels: w.labels })) };
  }
  return {
    noun: 'namespace',
    items: analysis.model.namespaces.map((n) => ({ id: n.name, labels: n.labels })),
  };
}

/** The fields of the mapping at `path` in a policy of `kind`. */
function fieldsAt(kind: ClusterPolicyKind, path: PathSegment[]): string[] {
  const selector = selectorIndex(path);
  if (selector >= 0) {
    const rest = path.slice(selector + 1);
    if (rest.length === 0) return ['matchLabels', 'matchExpressions'];
    return rest[0] === 'matchExpressions' && rest.length === 2 ? ['key', 'operator', 'values'] : [];
  }
  const selection = selectionIndex(path);
  if (selection === path.length) {
    if (path[1] === 'subject' || path[1] === 'ingress') return ['namespaces', 'pods'];
    return EGRESS_PEERS[kind];
  }
  if (selection >= 0 && path[selection] === 'pods' && path.length === selection + 1)
    return ['namespaceSelector', 'podSelector'];
  if (path.length === 1 && path[0] === 'spec') return SPEC_FIELDS[kind];
  if (!isRule(path)) return [];
  const v1alpha2 = kind === 'ClusterNetworkPolicy';
  if (path.length === 3)
    return ['name', 'action', path[1] === 'ingress' ? 'from' : 'to', v1alpha2 ? 'protocols' : 'ports'];
  return portFields(path.slice(3));
}

/** Fields inside `ports` (v1alpha1) and `protocols` (v1alpha2) items; `rest` starts at that key. */
function portFields(rest: PathSegment[]): string[] {
  const [list, index, field, inner, innerMost] = rest;
  if (typeof index !== 'number') return [];
  if (list === 'ports') {
    if (rest.length === 2) return ['portNumber', 'portRange', 'namedPort'];
    if (rest.length === 3 && field === 'portNumber') return ['protocol', 'port'];
    if (rest.length === 3 && field === 'portRange') return ['protocol', 'start', 'end'];
    return [];
  }
  if (list !== 'protocols') return [];
  if (rest.length === 2) return ['tcp', 'udp', 'sctp', 'destinationNamedPort'];
  if (!['tcp', 'udp', 'sctp'].includes(String(field))) return [];
  if (rest.length === 3) return ['destinationPort'];
  if (rest.length === 4 && inner === 'destinationPort') return ['number', 'range'];
  if (rest.length === 5 && innerMost === 'range') return ['start', 'end'];
  return [];
}

/** Container port names of the workspace, for `namedPort` / `destinationNamedPort`. */
function portNames(analysis: Analysis): string[] {
  const written = analysis.model.workloads.filter((w) => !w.implicit && !w.inferred);
  const names = written.flatMap((w) => w.ports.flatMap((p) => (p.name ? [p.name] : [])));
  return [...new Set(names)].sort();
}

function valuesAt(kind: ClusterPolicyKind, path: PathSegment[], analysis: Analysis): string[] {
  const last = path[path.length - 1];
  if (path.length === 2 && path[0] === 'spec' && last === 'tier' && kind === 'ClusterNetworkPolicy')
    return ['Admin', 'Baseline'];
  if (!isRule(path)) return [];
  if (path.length === 4 && last === 'action') return ACTIONS[kind];
  if (path[3] === 'ports' && path.length === 7 && last === 'protocol') return [...PROTOCOLS];
  if (last === 'namedPort' || last === 'destinationNamedPort') return portNames(analysis);
  return [];
}

/** Completion items inside a cluster policy. */
export function clusterCompletions(
  context: CompletionContext,
  text: string,
  analysis: Analysis,
  kind: ClusterPolicyKind,
): CompletionItem[] {
  const path = context.path;
  const selector = selectorIndex(path);
  if (selector >= 0) {
    const labels = labelSelectorItems(context, text, selector, labelSource(analysis, path, selector));
    if (labels.length > 0) return labels;
  }
  if (context.position === 'key') return fieldNameItems(context, fieldsAt(kind, path));
  return enumItems(context, text, valuesAt(kind, path, analysis));
}

/**
 * `kind:` of any object: the policy kinds; `apiVersion:` of a policy: the version its kind is served at.
 * Undefined elsewhere.
 */
export function kindCompletions(context: CompletionContext, text: string): CompletionItem[] | undefined {
  if (context.position !== 'value' || context.path.length !== 1) return undefined;
  const kind = context.object?.kind;
  if (context.path[0] === 'kind') {
    return enumItems(context, text, Object.keys(POLICY_KINDS)).map((item) => ({
      ...item,
      detail: POLICY_KINDS[item.label],
    }));
  }
  if (context.path[0] !== 'apiVersion' || kind === undefined || !Object.hasOwn(POLICY_KINDS, kind))
    return undefined;
  return enumItems(context, text, [POLICY_KINDS[kind]]);
}
