// Stage 3: all parsed files → one workspace model (namespaces, workloads, services, policies), including
// the peers the analysis adds: implicit cluster DNS and representative pods for policy-only namespaces.
import { CODES } from './codes';
import { DNS_PORT, isClusterDns, KUBE_DNS_LABELS, KUBE_SYSTEM } from './dns';
import { Definition, resolveDuplicates, type ConflictRule, type DefinedElement } from './duplicates';
import { clusterPolicyKey, policySpecKey, serviceKey, workloadKey } from './policy-keys';
import {
  extractNamespace,
  extractPolicy,
  extractService,
  extractWorkload,
  NAMESPACE_NAME_LABEL,
  workloadId,
} from './extract';
import { isMap } from 'yaml';
import { extractClusterPolicy } from './cluster/extract';
import { classifyPolicyKind, unanalysedMessage } from './cluster/kinds';
import { CLUSTER_POLICY_KINDS } from './cluster/types';
import type { ClusterPolicyModel, PodSelection, UnanalysedPolicy } from './cluster/types';
import { withReader, type KubeObject, type ParsedFile } from './parse';
import { SelectorIndex } from './selector-index';
import { decidesVerdicts } from './templates';
import { representativeLabels, selectorKey, selectorMatches } from './selectors';
import {
  NETWORK_POLICY_API,
  WORKLOAD_KINDS,
  type AnalysisOptions,
  type LabelSelector,
  type NamespaceModel,
  type PeerModel,
  type PolicyModel,
  type Problem,
  type Range,
  type ServiceModel,
  type UnreadableObject,
  type WorkloadModel,
} from './types';
import {
  readingFailure,
  reportRange,
  unreadableDocuments,
  unreadableObject,
  unreadableProblem,
} from './unreadable';

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
  /** Objects that cannot be read as written; what they could change is unknown (see unreadable.ts). */
  unreadable: UnreadableObject[];
  namespace(name: string): NamespaceModel | undefined;
  /** The namespaces a namespaceSelector selects, sorted by name (indexed and memoised). Shared: do not modify. */
  namespacesMatching(selector: LabelSelector): readonly NamespaceModel[];
  /** The workloads of one namespace (defined, implicit and inferred), sorted by id. Shared: do not modify. */
  workloadsIn(namespace: string): readonly WorkloadModel[];
  /**
   * Pods reported under one peer name (one owner) by that name, when there are several: the first read
   * is the peer, the others are folded into it.
   */
  foldedPods: ReadonlyMap<string, readonly WorkloadModel[]>;
}

/** What one file contributes to the model; computed once per parsed file and default namespace. */
interface FileContribution {
  policies: PolicyModel[];
  clusterPolicies: ClusterPolicyModel[];
  unanalysed: UnanalysedPolicy[];
  namespaces: NamespaceModel[];
  workloads: WorkloadModel[];
  services: ServiceModel[];
  /**
   * `workloads` stably sorted by id (copies of one id stay in file order): the model's list is sorted by
   * id, and a sort over runs already in order is nearly linear, so each file version pays for its own.
   */
  workloadsById: WorkloadModel[];
  unreadable: UnreadableObject[];
  /** Every named object read, in file order, for the duplicate rule (see duplicates.ts). */
  definitions: Definition[];
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

const WORKLOAD_KIND_SET = new Set<string>(WORKLOAD_KINDS);
const ANALYSED_KINDS = new Set<string>([
  'NetworkPolicy',
  'Namespace',
  'Service',
  ...WORKLOAD_KINDS,
  ...Object.keys(CLUSTER_POLICY_KINDS),
]);

/**
 * When the object cannot be read (see unreadable.ts), records it as unreadable with the problem that says
 * so and returns true: the caller must then not analyse what was read of it.
 */
function unreadableInstead(
  obj: KubeObject,
  read: { name?: string; namespace?: string },
  result: FileContribution,
): boolean {
  const failure = readingFailure(obj);
  if (!failure) return false;
  const unreadable = unreadableObject(obj, failure, read);
  result.unreadable.push(unreadable);
  result.problems.push(unreadableProblem(unreadable, reportRange(obj)));
  return true;
}

/** A syntax error may hide an analysed kind behind what was read (`kind: "NetworkPolicy` runs on). */
function hiddenKind(obj: KubeObject, result: FileContribution): void {
  if (!obj.unreadable || !ANALYSED_KINDS.has(obj.writtenKind ?? '')) return;
  const unreadable = { ...unreadableObject(obj, obj.unreadable, {}), kind: obj.writtenKind };
  result.unreadable.push(unreadable);
  result.problems.push(unreadableProblem(unreadable, reportRange(obj)));
}

/**
 * Objects extracted while their document was read (see prepareObjects), for the default namespace they
 * were extracted for: a file whose documents are rebuilt reads each document once for all of that work.
 */
const extractedEarly = new WeakMap<
  ParsedFile,
  { defaultNamespace: string; count: number; part: FileContribution }
>();

function emptyContribution(): FileContribution {
  return {
    policies: [],
    clusterPolicies: [],
    unanalysed: [],
    namespaces: [],
    workloads: [],
    services: [],
    workloadsById: [],
    unreadable: [],
    definitions: [],
    problems: [],
  };
}

/**
 * Extracts objects of the file, in file order, while their nodes are in memory (a file whose documents
 * are rebuilt: parse.ts calls this for each document's objects); extractFile then uses what this found
 * when every object was seen, for the same default namespace. Returns the NetworkPolicies these objects
 * gave.
 */
export function extractEarly(
  file: ParsedFile,
  objects: readonly KubeObject[],
  defaultNamespace: string,
): readonly PolicyModel[] {
  let early = extractedEarly.get(file);
  if (!early || early.defaultNamespace !== defaultNamespace) {
    early = { defaultNamespace, count: 0, part: emptyContribution() };
    extractedEarly.set(file, early);
  }
  const before = early.part.policies.length;
  extractObjects(file, objects, defaultNamespace, early.part);
  early.count += objects.length;
  return before === early.part.policies.length ? [] : early.part.policies.slice(before);
}

function extractFile(file: ParsedFile, defaultNamespace: string): FileContribution {
  const early = extractedEarly.get(file);
  extractedEarly.delete(file);
  const fromObjects =
    early?.defaultNamespace === defaultNamespace && early.count === file.objects.length
      ? early.part
      : extractObjects(file, file.objects, defaultNamespace, emptyContribution());
  // Every document that could decide verdicts says what its loss means (its YAML errors are reported
  // where they are; a template's are not, as they belong to the template).
  const unreadable = unreadableDocuments(file);
  const problems: Problem[] = [];
  for (const u of unreadable) if (decidesVerdicts(u.kind)) problems.push(unreadableProblem(u, u.reasonRange));
  return {
    ...fromObjects,
    workloadsById: [...fromObjects.workloads].sort((a, b) => compare(a.id, b.id)),
    unreadable: [...unreadable, ...fromObjects.unreadable],
    problems: [...problems, ...fromObjects.problems],
  };
}

/** What a Namespace's copies are compared by: its labels. */
function namespaceLabelsKey(namespace: NamespaceModel): string {
  return JSON.stringify(Object.entries(namespace.labels).sort(([a], [b]) => compare(a, b)));
}

/** Extracts the objects into `result`, in order (the file's unreadable documents are extractFile's). */
function extractObjects(
  file: ParsedFile,
  objects: readonly KubeObject[],
  defaultNamespace: string,
  result: FileContribution,
): FileContribution {
  // The meanings are functions of the element, not closures over it: one kept per object was a fifth of
  // what a large file's part of the model kept.
  const define = <E extends DefinedElement>(
    obj: KubeObject,
    namespace: string | undefined,
    name: string,
    element: E,
    how: { conflict: ConflictRule; meaning?: (element: E) => string; competes?: boolean },
    identity = `${obj.kind}\u0000${namespace === undefined ? name : `${namespace}/${name}`}`,
  ) => {
    if (!name) return;
    const meaning = how.meaning as ((element: DefinedElement) => string) | undefined;
    result.definitions.push(
      new Definition(
        identity,
        obj.kind,
        name,
        namespace,
        file.uri,
        nameRangeOf(obj),
        element,
        how.conflict,
        how.competes ?? true,
        meaning,
      ),
    );
  };
  // The BaselineAdminNetworkPolicy is a singleton: any two are one object defined twice, and only the one
  // named `default` is admitted by the API server.
  const defineClusterPolicy = (obj: KubeObject, policy: ClusterPolicyModel) => {
    const singleton = policy.kind === 'BaselineAdminNetworkPolicy';
    define(
      obj,
      undefined,
      policy.name,
      policy,
      {
        conflict: 'unknown',
        meaning: clusterPolicyKey,
        competes: !singleton || policy.name === 'default',
      },
      singleton ? policy.kind : undefined,
    );
  };
  for (const parsedObject of objects) {
    // Extraction reports into this contribution, so re-analysing a cached file never repeats problems.
    // A template's placeholders are not reported as wrong values (the template is reported once).
    const sink = parsedObject.templated ? [] : result.problems;
    const obj = withReader(parsedObject, parsedObject.reader.withSink(sink));
    const policyKind =
      obj.kind === 'NetworkPolicy' && obj.apiVersion === NETWORK_POLICY_API
        ? undefined
        : classifyPolicyKind(obj.kind, obj.apiVersion);
    if (policyKind?.kind === 'cluster') {
      const clusterPolicy = extractClusterPolicy(obj, policyKind.clusterKind);
      // Cluster-scoped: a broken one may decide any connection (see doubts.ts), never read as what is left.
      if (!unreadableInstead(obj, { name: clusterPolicy.name || undefined }, result)) {
        result.clusterPolicies.push(clusterPolicy);
        defineClusterPolicy(obj, clusterPolicy);
      }
      continue;
    }
    if (policyKind?.kind === 'unanalysed') {
      result.unanalysed.push(unanalysedPolicy(obj));
      obj.reader.report(
        obj.reader.keyNode(obj.node, 'kind') ?? obj.node,
        CODES.unanalysedPolicy,
        unanalysedMessage(obj.kind, obj.apiVersion, policyKind.product),
        'warning',
      );
    } else if (obj.kind === 'NetworkPolicy') {
      if (obj.apiVersion !== NETWORK_POLICY_API) {
        obj.reader.report(
          obj.node,
          CODES.apiVersion,
          `NetworkPolicy apiVersion "${obj.apiVersion}" is not served by Kubernetes; use ${NETWORK_POLICY_API}. Not analysed.`,
          'warning',
        );
        continue;
      }
      const policy = extractPolicy(obj, -1, defaultNamespace);
      if (policy && !unreadableInstead(obj, policy, result)) {
        result.policies.push(policy);
        define(obj, policy.namespace, policy.name, policy, {
          conflict: 'unknown',
          meaning: policySpecKey,
        });
      }
    } else if (obj.kind === 'Namespace') {
      const ns = extractNamespace(obj);
      if (ns) {
        const namespace: NamespaceModel = {
          name: ns.name,
          // The API server sets the name label; a manifest that sets it itself is taken as written.
          labels: { [NAMESPACE_NAME_LABEL]: ns.name, ...ns.labels },
          implicit: false,
          source: { uri: ns.uri, range: ns.range },
        };
        // An unreadable Namespace stays (its pods are in it), with its labels marked unknown.
        unreadableInstead(obj, { name: ns.name, namespace: ns.name }, result);
        result.namespaces.push(namespace);
        define(obj, undefined, ns.name, namespace, {
          conflict: 'labels-unknown',
          meaning: namespaceLabelsKey,
        });
      }
    } else if (WORKLOAD_KIND_SET.has(obj.kind)) {
      const workload = extractWorkload(obj, defaultNamespace);
      if (workload && !unreadableInstead(obj, workload, result)) {
        result.workloads.push(workload);
        define(obj, workload.namespace, workload.objectName ?? workload.name, workload, {
          conflict: 'peer-unknown',
          meaning: workloadKey,
        });
      }
    } else if (obj.kind === 'Service') {
      const service = extractService(obj, defaultNamespace);
      if (service && !unreadableInstead(obj, service, result)) {
        result.services.push(service);
        define(obj, service.namespace, service.name, service, {
          conflict: 'left-out',
          meaning: serviceKey,
        });
      }
    } else {
      hiddenKind(obj, result);
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
  const unreadable: UnreadableObject[] = [];
  const ordered = [...files].sort((a, b) => compare(a.uri, b.uri));

  const contributionsInOrder = ordered.map((file) => contributionOf(file, options.defaultNamespace));
  const { superseded, conflicts } = resolveDuplicates(
    contributionsInOrder.map((c) => c.definitions),
    problems,
  );
  const folded = new Map<string, WorkloadModel[]>();
  ordered.forEach((file, i) => {
    const contribution = contributionsInOrder[i];
    for (const policy of contribution.policies) {
      if (superseded.has(policy)) continue;
      // Ids are positions in this model; cached policy objects are renumbered by every build.
      policy.id = policies.length;
      policies.push(policy);
    }
    for (const policy of contribution.clusterPolicies) {
      if (superseded.has(policy)) continue;
      policy.id = clusterPolicies.length;
      clusterPolicies.push(policy);
    }
    unanalysed.push(...contribution.unanalysed);
    for (const ns of contribution.namespaces) if (!superseded.has(ns)) definedNamespaces.set(ns.name, ns);
    // By id: the same copies come first (a stable sort keeps one id's copies in file order), and the
    // workload list below is sorted over runs already in order.
    for (const w of contribution.workloadsById) {
      if (superseded.has(w)) continue;
      // Pods reported under one name are one peer, with the labels and ports of the first read.
      const first = workloads.get(w.id);
      if (first) folded.set(w.id, [...(folded.get(w.id) ?? [first]), w]);
      else workloads.set(w.id, w);
    }
    services.push(...contribution.services.filter((service) => !superseded.has(service)));
    unreadable.push(...contribution.unreadable);
    problems.push(...file.problems, ...contribution.problems);
  });

  unreadable.push(...conflicts);

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
  const namespaceList = [...namespaces.values()].sort((a, b) => compare(a.name, b.name));
  // One index for inferPods and the model's namespacesMatching: the engine asks about the same selectors.
  const namespaceIndex = new SelectorIndex(namespaceList, (n) => n.labels);
  if (options.inferPods) {
    for (const workload of inferPods(policies, clusterPolicies, namespaceIndex, workloads)) {
      workloads.set(workload.id, workload);
    }
  }

  const workloadList = [...workloads.values()].sort((a, b) => compare(a.id, b.id));
  const byNamespace = new Map<string, WorkloadModel[]>();
  for (const w of workloadList) {
    const list = byNamespace.get(w.namespace);
    if (list) list.push(w);
    else byNamespace.set(w.namespace, [w]);
  }
  return {
    policies,
    clusterPolicies,
    unanalysed,
    namespaces: namespaceList,
    workloads: workloadList,
    services,
    unreadable,
    namespace: (name) => namespaces.get(name),
    namespacesMatching: (selector) => namespaceIndex.matching(selector),
    workloadsIn: (namespace) => byNamespace.get(namespace) ?? [],
    foldedPods: folded,
  };
}

/** The range of an object's metadata.name, or of the whole object when it has none. */
function nameRangeOf(obj: KubeObject): Range {
  const r = obj.reader;
  const metadata = r.get(obj.node, 'metadata');
  const name = isMap(metadata) ? r.get(metadata, 'name') : undefined;
  return name ? r.range(name) : obj.range;
}

export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const namedNamespaces = new WeakMap<PolicyModel, string[]>();

/**
 * Namespace names a policy's namespaceSelectors spell out through the automatic name label (kept per
 * policy object: every build asks again for the policies of files that did not change).
 */
function namespacesNamedBy(policy: PolicyModel): string[] {
  let names = namedNamespaces.get(policy);
  if (!names) {
    names = [...policy.ingress, ...policy.egress].flatMap((rule) =>
      (rule.peers ?? []).flatMap((peer) => namesIn(peer.namespaceSelector)),
    );
    namedNamespaces.set(policy, names);
  }
  return names;
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
  const defined = [...workloads.values()].some(isClusterDns);
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
      { name: 'dns', containerPort: DNS_PORT, protocol: 'UDP' },
      { name: 'dns-tcp', containerPort: DNS_PORT, protocol: 'TCP' },
    ],
    implicit: true,
    inferred: false,
  });
}

/** Work counts for tests (scaling-engine.test.ts): selectors recorded or merged for a namespace. */
export const inferenceWork = { records: 0 };

/** A selector inferPods was given for a namespace, and when (a later one of the same key replaces it). */
interface Added {
  selector: LabelSelector;
  order: number;
}

/** Selectors of the model are not changed once built; inferPods asks for the same ones at every build. */
const selectorKeys = new WeakMap<LabelSelector, string>();

function cachedSelectorKey(selector: LabelSelector): string {
  let key = selectorKeys.get(selector);
  if (key === undefined) selectorKeys.set(selector, (key = selectorKey(selector)));
  return key;
}

/**
 * Namespaces that policies talk about but that hold no workloads get one representative pod per distinct
 * podSelector used for or against them, so a folder of policies alone still gets a meaningful answer.
 */
function inferPods(
  policies: readonly PolicyModel[],
  clusterPolicies: readonly ClusterPolicyModel[],
  namespaceIndex: SelectorIndex<NamespaceModel>,
  workloads: Map<string, WorkloadModel>,
): WorkloadModel[] {
  const populated = new Set<string>();
  for (const w of workloads.values()) populated.add(w.namespace);
  // The namespaces without workloads among those a selector matches, once per selector meaning (the index
  // keeps one list per meaning): thousands of peers repeat a selector matching a share of all namespaces.
  const emptyMatching = new WeakMap<readonly NamespaceModel[], NamespaceModel[]>();
  const unpopulatedMatching = (selector: LabelSelector) => {
    const matching = namespaceIndex.matching(selector);
    let empty = emptyMatching.get(matching);
    if (!empty) emptyMatching.set(matching, (empty = matching.filter((ns) => !populated.has(ns.name))));
    return empty;
  };
  // Per namespace, one selector per selectorKey: the last one added, as the pod is built from it (its
  // labels' order). A peer with a namespaceSelector adds its pods to every namespace of a shared list,
  // so it is recorded once per list, and the lists are merged into their namespaces at the end.
  let order = 0;
  const direct = new Map<string, Map<string, Added>>();
  const viaList = new Map<readonly NamespaceModel[], Map<string, Added>>();
  const put = (into: Map<string, Added>, selector: LabelSelector) => {
    inferenceWork.records++;
    into.set(cachedSelectorKey(selector), { selector, order: order++ });
  };
  const add = (namespace: string, selector: LabelSelector) => {
    if (populated.has(namespace)) return;
    let selectors = direct.get(namespace);
    if (!selectors) direct.set(namespace, (selectors = new Map()));
    put(selectors, selector);
  };
  const addToEach = (namespaces: readonly NamespaceModel[], selector: LabelSelector) => {
    let selectors = viaList.get(namespaces);
    if (!selectors) viaList.set(namespaces, (selectors = new Map()));
    put(selectors, selector);
  };
  const addPeers = (policy: PolicyModel, peers: readonly PeerModel[] | null) => {
    for (const peer of peers ?? []) {
      if (peer.ipBlock) continue;
      if (peer.namespaceSelector) {
        const namespaces = unpopulatedMatching(peer.namespaceSelector);
        if (namespaces.length === 0) continue;
        addToEach(
          namespaces,
          peer.podSelector ?? { matchLabels: {}, matchExpressions: [], range: peer.range },
        );
      } else if (peer.podSelector) {
        add(policy.namespace, peer.podSelector);
      }
    }
  };
  for (const policy of policies) {
    add(policy.namespace, policy.podSelector);
    for (const rule of policy.ingress) addPeers(policy, rule.peers);
    for (const rule of policy.egress) addPeers(policy, rule.peers);
  }
  for (const policy of clusterPolicies) {
    for (const selection of clusterSelections(policy)) {
      const namespaceSelector = selection.namespaces ?? selection.pods?.namespaceSelector;
      const pods = selection.pods?.podSelector ?? {
        matchLabels: {},
        matchExpressions: [],
        range: selection.range,
      };
      for (const ns of namespaceIndex.items) {
        if (!namespaceSelector || selectorMatches(namespaceSelector, ns.labels)) add(ns.name, pods);
      }
    }
  }
  const selectorsByNamespace = direct;
  for (const [namespaces, selectors] of viaList) {
    for (const ns of namespaces) {
      let into = direct.get(ns.name);
      if (!into) direct.set(ns.name, (into = new Map()));
      for (const [key, added] of selectors) {
        inferenceWork.records++;
        const held = into.get(key);
        if (!held || held.order < added.order) into.set(key, added);
      }
    }
  }
  const inferred: WorkloadModel[] = [];
  for (const [namespace, selectors] of selectorsByNamespace) {
    const seen = new Set<string>();
    const usedNames = new Set<string>();
    const distinct = [...selectors].sort(([a], [b]) => compare(a, b));
    for (const [, { selector }] of distinct) {
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
