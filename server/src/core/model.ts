// Stage 3: all parsed files → one workspace model (namespaces, workloads, services, policies), including
// the peers the analysis adds: implicit cluster DNS and representative pods for policy-only namespaces.
import {
  extractNamespace,
  extractPolicy,
  extractService,
  extractWorkload,
  NAMESPACE_NAME_LABEL,
  workloadId,
} from './extract';
import { extractClusterPolicy } from './cluster/extract';
import { classifyPolicyKind, UNANALYSED_CODE, unanalysedMessage } from './cluster/kinds';
import type { ClusterPolicyModel, PodSelection, UnanalysedPolicy } from './cluster/types';
import type { KubeObject, ParsedFile } from './parse';
import { SelectorIndex } from './selector-index';
import { representativeLabels, selectorKey, selectorMatches } from './selectors';
import {
  WORKLOAD_KINDS,
  type AnalysisOptions,
  type LabelSelector,
  type NamespaceModel,
  type PolicyModel,
  type Problem,
  type ServiceModel,
  type WorkloadModel,
} from './types';

export interface Model {
  /** NetworkPolicies (networking.k8s.io/v1). */
  policies: PolicyModel[];
  /** AdminNetworkPolicies, BaselineAdminNetworkPolicies and ClusterNetworkPolicies, in file order. */
  clusterPolicies: ClusterPolicyModel[];
  /** Policies of kinds the engine does not evaluate (reported at their documents). */
  unanalysed: UnanalysedPolicy[];
  /** Sorted by name. */
  namespaces: NamespaceModel[];
  /** Defined, implicit and inferred workloads, sorted by id. */
  workloads: WorkloadModel[];
  services: ServiceModel[];
  namespace(name: string): NamespaceModel | undefined;
  /** The namespaces a namespaceSelector selects, sorted by name (indexed and memoised). Shared: do not modify. */
  namespacesMatching(selector: LabelSelector): readonly NamespaceModel[];
  /** The workloads of one namespace (defined, implicit and inferred), sorted by id. Shared: do not modify. */
  workloadsIn(namespace: string): readonly WorkloadModel[];
}

const WORKLOAD_KIND_SET = new Set<string>(WORKLOAD_KINDS);
const NETWORK_POLICY_API = 'networking.k8s.io/v1';

export const KUBE_DNS_LABELS = { 'k8s-app': 'kube-dns' } as const;
export const KUBE_SYSTEM = 'kube-system';

/** What one file contributes to the model; computed once per parsed file and default namespace. */
interface FileContribution {
  policies: PolicyModel[];
  clusterPolicies: ClusterPolicyModel[];
  unanalysed: UnanalysedPolicy[];
  namespaces: NamespaceModel[];
  workloads: WorkloadModel[];
  services: ServiceModel[];
  problems: Problem[];
}

const contributions = new WeakMap<ParsedFile, Map<string, FileContribution>>();

function contributionOf(file: ParsedFile, defaultNamespace: string): FileContribution {
  let byNamespace = contributions.get(file);
  if (!byNamespace) {
    byNamespace = new Map();
    contributions.set(file, byNamespace);
  }
  let contribution = byNamespace.get(defaultNamespace);
  if (!contribution) {
    contribution = extractFile(file, defaultNamespace);
    byNamespace.set(defaultNamespace, contribution);
  }
  return contribution;
}

function extractFile(file: ParsedFile, defaultNamespace: string): FileContribution {
  const result: FileContribution = {
    policies: [],
    clusterPolicies: [],
    unanalysed: [],
    namespaces: [],
    workloads: [],
    services: [],
    problems: [],
  };
  for (const parsedObject of file.objects) {
    // Extraction reports into this contribution, so re-analysing a cached file never repeats problems.
    const obj = { ...parsedObject, reader: parsedObject.reader.withSink(result.problems) };
    const policyKind =
      obj.kind === 'NetworkPolicy' && obj.apiVersion === NETWORK_POLICY_API
        ? undefined
        : classifyPolicyKind(obj.kind, obj.apiVersion);
    if (policyKind?.kind === 'cluster') {
      result.clusterPolicies.push(extractClusterPolicy(obj, policyKind.clusterKind));
    } else if (policyKind?.kind === 'unanalysed') {
      result.unanalysed.push(unanalysedPolicy(obj));
      obj.reader.report(
        obj.reader.keyNode(obj.node, 'kind') ?? obj.node,
        UNANALYSED_CODE,
        unanalysedMessage(obj.kind, obj.apiVersion, policyKind.product),
        'warning',
      );
    } else if (obj.kind === 'NetworkPolicy') {
      if (obj.apiVersion !== NETWORK_POLICY_API) {
        obj.reader.report(
          obj.node,
          'netpol.api-version',
          `NetworkPolicy apiVersion "${obj.apiVersion}" is not served by Kubernetes; use ${NETWORK_POLICY_API}. Not analysed.`,
          'warning',
        );
        continue;
      }
      const policy = extractPolicy(obj, -1, defaultNamespace);
      if (policy) result.policies.push(policy);
    } else if (obj.kind === 'Namespace') {
      const ns = extractNamespace(obj);
      if (ns) {
        result.namespaces.push({
          name: ns.name,
          labels: { ...ns.labels, [NAMESPACE_NAME_LABEL]: ns.name },
          implicit: false,
          source: { uri: ns.uri, range: ns.range },
        });
      }
    } else if (WORKLOAD_KIND_SET.has(obj.kind)) {
      const workload = extractWorkload(obj, defaultNamespace);
      if (workload) result.workloads.push(workload);
    } else if (obj.kind === 'Service') {
      const service = extractService(obj, defaultNamespace);
      if (service) result.services.push(service);
    }
  }
  return result;
}

function unanalysedPolicy(obj: KubeObject): UnanalysedPolicy {
  const r = obj.reader;
  const meta = r.map(r.get(obj.node, 'metadata'), 'metadata');
  const nameNode = r.get(meta, 'name');
  const namespaceNode = r.get(meta, 'namespace');
  return {
    kind: obj.kind,
    apiVersion: obj.apiVersion,
    name: (nameNode && r.string(nameNode, 'metadata.name')) ?? '',
    namespace: namespaceNode ? r.string(namespaceNode, 'metadata.namespace') : undefined,
    uri: r.source.uri,
    range: obj.range,
  };
}

export function buildModel(
  files: readonly ParsedFile[],
  options: AnalysisOptions,
  problems: Problem[],
): Model {
  const policies: PolicyModel[] = [];
  const clusterPolicies: ClusterPolicyModel[] = [];
  const unanalysed: UnanalysedPolicy[] = [];
  const definedNamespaces = new Map<string, NamespaceModel>();
  const workloads = new Map<string, WorkloadModel>();
  const services: ServiceModel[] = [];
  const ordered = [...files].sort((a, b) => compare(a.uri, b.uri));

  for (const file of ordered) {
    const contribution = contributionOf(file, options.defaultNamespace);
    for (const policy of contribution.policies) {
      // Ids are positions in this model; cached policy objects are renumbered by every build.
      policy.id = policies.length;
      policies.push(policy);
    }
    for (const policy of contribution.clusterPolicies) {
      policy.id = clusterPolicies.length;
      clusterPolicies.push(policy);
    }
    unanalysed.push(...contribution.unanalysed);
    for (const ns of contribution.namespaces)
      if (!definedNamespaces.has(ns.name)) definedNamespaces.set(ns.name, ns);
    for (const w of contribution.workloads) if (!workloads.has(w.id)) workloads.set(w.id, w);
    services.push(...contribution.services);
    problems.push(...file.problems, ...contribution.problems);
  }

  const namespaces = new Map(definedNamespaces);
  const ensureNamespace = (name: string) => {
    if (name && !namespaces.has(name)) {
      namespaces.set(name, { name, labels: { [NAMESPACE_NAME_LABEL]: name }, implicit: true });
    }
  };
  for (const policy of policies) {
    ensureNamespace(policy.namespace);
    for (const name of namespacesNamedBy(policy)) ensureNamespace(name);
  }
  for (const policy of clusterPolicies) {
    for (const selection of clusterSelections(policy)) {
      for (const name of namesIn(selection.namespaces ?? selection.pods?.namespaceSelector))
        ensureNamespace(name);
    }
  }
  for (const workload of workloads.values()) ensureNamespace(workload.namespace);
  for (const service of services) ensureNamespace(service.namespace);

  if (options.implicitDns) addImplicitDns(workloads, ensureNamespace);
  if (options.inferPods) {
    for (const workload of inferPods(policies, clusterPolicies, [...namespaces.values()], workloads)) {
      workloads.set(workload.id, workload);
    }
  }

  const namespaceList = [...namespaces.values()].sort((a, b) => compare(a.name, b.name));
  const workloadList = [...workloads.values()].sort((a, b) => compare(a.id, b.id));
  const byNamespace = new Map<string, WorkloadModel[]>();
  for (const w of workloadList) {
    const list = byNamespace.get(w.namespace);
    if (list) list.push(w);
    else byNamespace.set(w.namespace, [w]);
  }
  let namespaceIndex: SelectorIndex<NamespaceModel> | undefined;
  return {
    policies,
    clusterPolicies,
    unanalysed,
    namespaces: namespaceList,
    workloads: workloadList,
    services,
    namespace: (name) => namespaces.get(name),
    namespacesMatching: (selector) =>
      (namespaceIndex ??= new SelectorIndex(namespaceList, (n) => n.labels)).matching(selector),
    workloadsIn: (namespace) => byNamespace.get(namespace) ?? [],
  };
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Namespace names a policy's namespaceSelectors spell out through the automatic name label. */
function namespacesNamedBy(policy: PolicyModel): string[] {
  return [...policy.ingress, ...policy.egress].flatMap((rule) =>
    (rule.peers ?? []).flatMap((peer) => namesIn(peer.namespaceSelector)),
  );
}

/** Namespace names a namespace selector spells out through the automatic name label. */
function namesIn(selector: LabelSelector | undefined): string[] {
  if (!selector) return [];
  const names: string[] = [];
  const byLabel = selector.matchLabels[NAMESPACE_NAME_LABEL];
  if (byLabel) names.push(byLabel);
  for (const e of selector.matchExpressions) {
    if (e.key === NAMESPACE_NAME_LABEL && e.operator === 'In') names.push(...e.values);
  }
  return names;
}

/** A cluster policy's subject and its `namespaces`/`pods` peers. */
function clusterSelections(policy: ClusterPolicyModel): PodSelection[] {
  const peers = [...policy.ingress, ...policy.egress].flatMap((rule) => rule.peers);
  return [...(policy.subject ? [policy.subject] : []), ...peers];
}

function addImplicitDns(
  workloads: Map<string, WorkloadModel>,
  ensureNamespace: (name: string) => void,
): void {
  const defined = [...workloads.values()].some(
    (w) => w.namespace === KUBE_SYSTEM && w.labels['k8s-app'] === KUBE_DNS_LABELS['k8s-app'],
  );
  if (defined) return;
  ensureNamespace(KUBE_SYSTEM);
  const id = workloadId(KUBE_SYSTEM, 'kube-dns', 'Deployment');
  workloads.set(id, {
    id,
    kind: 'Deployment',
    name: 'kube-dns',
    namespace: KUBE_SYSTEM,
    labels: { ...KUBE_DNS_LABELS },
    ports: [
      { name: 'dns', containerPort: 53, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
    ],
    implicit: true,
    inferred: false,
  });
}

/**
 * Namespaces that policies talk about but that hold no workloads get one representative pod per distinct
 * podSelector used for or against them, so a folder of policies alone still gets a meaningful answer.
 */
function inferPods(
  policies: readonly PolicyModel[],
  clusterPolicies: readonly ClusterPolicyModel[],
  namespaces: readonly NamespaceModel[],
  workloads: Map<string, WorkloadModel>,
): WorkloadModel[] {
  const populated = new Set([...workloads.values()].map((w) => w.namespace));
  const namespaceIndex = new SelectorIndex(namespaces, (n) => n.labels);
  const selectorsByNamespace = new Map<string, LabelSelector[]>();
  const add = (namespace: string, selector: LabelSelector) => {
    if (populated.has(namespace)) return;
    const list = selectorsByNamespace.get(namespace) ?? [];
    list.push(selector);
    selectorsByNamespace.set(namespace, list);
  };
  for (const policy of policies) {
    add(policy.namespace, policy.podSelector);
    for (const rule of [...policy.ingress, ...policy.egress]) {
      for (const peer of rule.peers ?? []) {
        if (peer.ipBlock) continue;
        if (peer.namespaceSelector) {
          const everyPod = { matchLabels: {}, matchExpressions: [], range: peer.range };
          for (const ns of namespaceIndex.matching(peer.namespaceSelector)) {
            add(ns.name, peer.podSelector ?? everyPod);
          }
        } else if (peer.podSelector) {
          add(policy.namespace, peer.podSelector);
        }
      }
    }
  }
  for (const policy of clusterPolicies) {
    for (const selection of clusterSelections(policy)) {
      const namespaceSelector = selection.namespaces ?? selection.pods?.namespaceSelector;
      const pods = selection.pods?.podSelector ?? {
        matchLabels: {},
        matchExpressions: [],
        range: selection.range,
      };
      for (const ns of namespaces) {
        if (!namespaceSelector || selectorMatches(namespaceSelector, ns.labels)) add(ns.name, pods);
      }
    }
  }
  const inferred: WorkloadModel[] = [];
  for (const [namespace, selectors] of selectorsByNamespace) {
    const seen = new Set<string>();
    const usedNames = new Set<string>();
    const distinct = [...new Map(selectors.map((s) => [selectorKey(s), s])).entries()].sort(([a], [b]) =>
      compare(a, b),
    );
    for (const [, selector] of distinct) {
      const labels = representativeLabels(selector);
      if (!labels) continue;
      const labelKey = Object.keys(labels)
        .sort()
        .map((k) => `${k}=${labels[k]}`)
        .join(',');
      if (seen.has(labelKey)) continue;
      seen.add(labelKey);
      const base =
        Object.keys(labels)
          .sort()
          .map((k) => labels[k])
          .filter(Boolean)
          .join('-') || 'pod';
      let name = base;
      for (let n = 2; usedNames.has(name); n++) name = `${base}-${n}`;
      usedNames.add(name);
      inferred.push({
        id: workloadId(namespace, name, 'Pod'),
        kind: 'Pod',
        name,
        namespace,
        labels,
        ports: [],
        implicit: false,
        inferred: true,
      });
    }
  }
  return inferred;
}
