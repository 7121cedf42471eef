// Stage 4: who may connect to whom, on which protocols and ports, and why.
//
// Pods that share namespace labels, pod labels and container ports are indistinguishable to every
// policy, so the engine works on such equivalence classes. A class's egress depends only on the set of
// egress policies selecting it (its egress profile); its ingress only on its ingress profile. Each profile
// is turned once into a row "target → allowed connections", and a pair's answer is the intersection of the
// source's egress row and the destination's ingress row, with interned connection sets.
import {
  addressAtoms,
  contains,
  formatInterval,
  ipBlockIntervals,
  parseCidr,
  parseIpv4Address,
  type AddressInterval,
} from './addresses';
import { ClusterTiers, selectionMatchesClass, type ClusterRuleMatch } from './cluster/evaluate';
import { shadowedRules, type ShadowedRule } from './cluster/shadowing';
import type { ClusterPolicyModel, ClusterRuleModel, PodSelection } from './cluster/types';
import { ConnectionSet, ConnectionTable, MAX_PORT, MIN_PORT } from './connections';
import { workloadId } from './extract';
import type { Model } from './model';
import { compare } from './model';
import { SelectorIndex } from './selector-index';
import { selectorMatches } from './selectors';
import {
  firstWorkloads,
  SelectionCache,
  selectionWork,
  workloadCount,
  type ClassSelection,
} from './selections';
import {
  isProtocol,
  type AnalysisOptions,
  type LabelSelector,
  type ContainerPort,
  type Direction,
  type IpBlockModel,
  type Labels,
  type PeerModel,
  type PolicyModel,
  type Protocol,
  type RuleModel,
  type UnreadableObject,
  type WorkloadModel,
} from './types';
import { combineDoubts, Doubts } from './doubts';

export interface PodPeer {
  kind: 'pod';
  id: string;
  workload: WorkloadModel;
  namespace: string;
  classIndex: number;
}

export interface ExternalPeer {
  kind: 'external';
  id: string;
  interval: AddressInterval;
  /** Index in the source partition (ingress ipBlocks), when this range is a source atom. */
  sourceAtom?: number;
  /** Index in the destination partition (egress ipBlocks), when this range is a destination atom. */
  destinationAtom?: number;
}

export type Peer = PodPeer | ExternalPeer;

export interface PodClass {
  index: number;
  namespace: string;
  namespaceLabels: Labels;
  labels: Labels;
  ports: readonly ContainerPort[];
  /** Host-networked pods: cluster-scoped policies never select them (spec §1, Subjects). */
  hostNetwork: boolean;
  members: PodPeer[];
}

export interface PortQuery {
  port: number;
  protocol: Protocol;
}

/** The ports a side is asked about: one, or any of several (the DNS lint asks for UDP and TCP 53). */
export type PortFilter = PortQuery | readonly PortQuery[];

function asList(filter: PortFilter): readonly PortQuery[] {
  return Array.isArray(filter) ? filter : [filter as PortQuery];
}

function allowsAny(connections: ConnectionSet, filter: PortFilter): boolean {
  return asList(filter).some((q) => connections.contains(q.protocol, q.port));
}

/**
 * Whether a rule's ports may hold one of the ports, read off the rule as written: false only where
 * {@link Reachability.rulePorts} could give it none of them, whatever the destination (a named port may
 * resolve to any number).
 */
function mayAllowPort(rule: RuleModel, filter: PortFilter): boolean {
  if (rule.ports === null || rule.ports.length === 0) return true;
  const queries = asList(filter);
  for (const entry of rule.ports) {
    for (const q of queries) {
      if (entry.protocol !== q.protocol) continue;
      if (entry.port === undefined || typeof entry.port === 'string') return true;
      const end = entry.endPort ?? entry.port;
      if (entry.port <= q.port && q.port <= end) return true;
    }
  }
  return false;
}

/** A rule that allows (part of) a connection. */
export interface RuleMatch {
  policy: PolicyModel;
  /** The rule itself (`policy[direction]` omits list items that are not mappings, so do not index it). */
  rule: RuleModel;
  direction: Direction;
  /** Position of the rule in the YAML list `spec.ingress`/`spec.egress`. */
  ruleIndex: number;
  connections: ConnectionSet;
}

export interface SideVerdict {
  direction: Direction;
  /** False when no NetworkPolicy selects the pod for this direction (or the endpoint is external). */
  isolated: boolean;
  /** The NetworkPolicies that select the pod for this direction. */
  policies: PolicyModel[];
  /** The rules of those policies that allow something towards the other end. */
  rules: RuleMatch[];
  /** The cluster policies whose subject selects the pod for this direction, in evaluation order. */
  clusterPolicies: ClusterPolicyModel[];
  /** Admin-tier rules that decided part of the traffic (Allow, Deny or Pass), in evaluation order. */
  admin: ClusterRuleMatch[];
  /** Baseline-tier rules that decided part of what reached them (only when no NetworkPolicy selects). */
  baseline: ClusterRuleMatch[];
  /** What this side allows, all tiers considered. */
  connections: ConnectionSet;
}

export interface QueryResult {
  source: Peer;
  destination: Peer;
  port?: PortQuery;
  /** Everything allowed between the two as read, regardless of `port`. */
  connections: ConnectionSet;
  /** False when denied, and when unknown. */
  allowed: boolean;
  /** Unreadable objects that could change the answer: when there are any, it is unknown. */
  unknown: UnreadableObject[];
  egress: SideVerdict;
  ingress: SideVerdict;
}

export interface AllowedPair {
  source: Peer;
  destination: Peer;
  connections: ConnectionSet;
}

/** A connection that unreadable objects could change: neither allowed nor denied, but unknown. */
export interface UnknownPair {
  source: Peer;
  destination: Peer;
  because: UnreadableObject[];
}

export interface ReachabilityStats {
  peers: number;
  classes: number;
  egressProfiles: number;
  ingressProfiles: number;
  sourceAtoms: number;
  destinationAtoms: number;
  connectionSets: number;
}

/** A row of allowed connections from one profile to every target: `base` plus exceptions. */
/** A class's answers for a direction: `base` for every target but those in `entries` (see classSide). */
export interface Row {
  base: number;
  entries: Map<number, number>;
}

interface SideIds {
  egress: number;
  ingress: number;
  egressIsolated: boolean;
  ingressIsolated: boolean;
}

interface CompiledRule {
  policy: PolicyModel;
  rule: RuleModel;
  /** Matches every pod and every address. */
  everything: boolean;
  /** Matches every pod (an ipBlock that holds the pod network, with ipBlockMatchesPods). */
  everyClass: boolean;
  /** What the selector peers match, shared with every rule whose peers mean the same (see selections.ts). */
  selections: ClassSelection[];
  /** Past a few selections, their union as one set, so a membership test does not try each. */
  classSet?: Set<number>;
  /** The rule's ipBlock peers, whose atoms are found when first asked for (verdicts between pods need none). */
  blocks: IpBlockModel[];
  /** The atoms of `blocks`, once asked for; a set iterates in the order its atoms were first found. */
  atoms?: Set<number>;
  /** Allowed connections, independent of the destination (no named ports), or undefined. */
  fixedPorts?: number;
  /** With named ports: the allowed connections per destination class (-1: an address), once asked for. */
  namedPorts?: Map<number, number>;
}

export class Reachability {
  readonly peers: Peer[];
  readonly classes: PodClass[];
  readonly sourceAtoms: AddressInterval[];
  readonly destinationAtoms: AddressInterval[];
  private readonly table = new ConnectionTable();
  /** The row of a class no policy isolates for a direction: everything, to every target. */
  private readonly openRow: Readonly<Row> = { base: this.table.all, entries: new Map() };
  private readonly peerById = new Map<string, Peer>();
  private readonly classesByNamespace = new Map<string, number[]>();
  /** Per namespace, its classes indexed by label, so a pod selector is tried on candidates only. */
  private readonly classIndexes = new Map<string, SelectorIndex<number>>();
  private readonly compiled = new Map<RuleModel, CompiledRule>();
  // Profiles are assigned a namespace at a time, when a class of it is first asked about (a pod selector
  // only selects pods of its policy's namespace): the editor's first diagnostics after a keystroke ask
  // about a few namespaces, and need not wait for the whole workspace's.
  private readonly egressProfileOf: number[] = [];
  private readonly ingressProfileOf: number[] = [];
  private readonly egressPolicies: PolicyModel[][] = [];
  private readonly ingressPolicies: PolicyModel[][] = [];
  private readonly egressProfileKeys: ProfileTrie;
  private readonly ingressProfileKeys: ProfileTrie;
  private readonly egressRows: (Row | undefined)[] = [];
  private readonly ingressRows: (Row | undefined)[] = [];
  /**
   * Per class, the policies that select it (whatever directions they affect: a workload lens lists them
   * all), once its namespace is assigned.
   */
  private readonly selectedBy: PolicyModel[][] = [];
  /** The policies of each namespace, in model order. */
  private readonly policiesByNamespace = new Map<string, PolicyModel[]>();
  private readonly profiledNamespaces = new Set<string>();
  /** The Admin and Baseline tiers, when the workspace has cluster-scoped policies. */
  private readonly cluster: ClusterTiers | undefined;
  /** Lints, hovers and lenses ask for the same selections again and again: kept per selector meaning. */
  private readonly selections: SelectionCache;
  private readonly ruleSelectionCache = new Map<RuleModel, ClassSelection[]>();
  /** Policy selections by the engine's shared index list (policies of a namespace repeat selectors). */
  private readonly selectedClassCache = new WeakMap<readonly number[], PodClass[]>();
  private readonly workloadCache = new WeakMap<readonly PodClass[], WorkloadModel[]>();
  private readonly doubts: Doubts;
  private shadowed: ShadowedRule[] | undefined;

  constructor(
    readonly model: Model,
    readonly options: AnalysisOptions,
  ) {
    this.doubts = new Doubts(model);
    this.egressProfileKeys = new ProfileTrie(model.policies.length);
    this.ingressProfileKeys = new ProfileTrie(model.policies.length);
    this.sourceAtoms = addressAtoms(collectBlocks(model.policies, 'ingress'));
    this.destinationAtoms = addressAtoms([
      ...collectBlocks(model.policies, 'egress'),
      ...collectNetworks(model.clusterPolicies),
    ]);
    this.classes = this.buildClasses();
    this.selections = new SelectionCache(this.classes, (policy, peer) => this.matchPeerClasses(policy, peer));
    this.peers = [...this.classes.flatMap((c) => c.members), ...this.externalPeers()];
    for (const peer of this.peers) this.peerById.set(peer.id, peer);
    for (const policy of model.policies) {
      const list = this.policiesByNamespace.get(policy.namespace);
      if (list) list.push(policy);
      else this.policiesByNamespace.set(policy.namespace, [policy]);
    }
    if (model.clusterPolicies.length > 0) {
      this.cluster = new ClusterTiers(model.clusterPolicies, {
        classes: this.classes,
        atoms: { ingress: this.sourceAtoms, egress: this.destinationAtoms },
        table: this.table,
        networksMatchPods: (intervals) => this.options.ipBlockMatchesPods && this.coversPodNetwork(intervals),
      });
    }
  }

  get stats(): ReachabilityStats {
    for (const namespace of this.classesByNamespace.keys()) this.assignProfiles(namespace);
    return {
      peers: this.peers.length,
      classes: this.classes.length,
      egressProfiles: this.egressPolicies.length,
      ingressProfiles: this.ingressPolicies.length,
      sourceAtoms: this.sourceAtoms.length,
      destinationAtoms: this.destinationAtoms.length,
      connectionSets: this.table.size,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Peers and classes

  private buildClasses(): PodClass[] {
    const byKey = new Map<string, PodClass>();
    const classes: PodClass[] = [];
    for (const workload of this.model.workloads) {
      const namespace = this.model.namespace(workload.namespace);
      const namespaceLabels = namespace?.labels ?? {};
      const key = classKey(workload);
      let podClass = byKey.get(key);
      if (!podClass) {
        podClass = {
          index: classes.length,
          namespace: workload.namespace,
          namespaceLabels,
          labels: workload.labels,
          ports: workload.ports,
          hostNetwork: workload.hostNetwork === true,
          members: [],
        };
        byKey.set(key, podClass);
        classes.push(podClass);
        const list = this.classesByNamespace.get(workload.namespace) ?? [];
        list.push(podClass.index);
        this.classesByNamespace.set(workload.namespace, list);
      }
      podClass.members.push({
        kind: 'pod',
        id: workload.id,
        workload,
        namespace: workload.namespace,
        classIndex: podClass.index,
      });
    }
    return classes;
  }

  private externalPeers(): ExternalPeer[] {
    const byId = new Map<string, ExternalPeer>();
    const add = (interval: AddressInterval, role: 'sourceAtom' | 'destinationAtom', index: number) => {
      const id = externalPeerId(interval);
      const peer = byId.get(id) ?? { kind: 'external', id, interval };
      peer[role] = index;
      byId.set(id, peer);
    };
    this.sourceAtoms.forEach((atom, i) => add(atom, 'sourceAtom', i));
    this.destinationAtoms.forEach((atom, i) => add(atom, 'destinationAtom', i));
    return [...byId.values()].sort((a, b) => a.interval.lo - b.interval.lo || a.interval.hi - b.interval.hi);
  }

  /** Finds a peer by `ns/name[Kind]`, `ns/name` (when unambiguous) or an IPv4 address. */
  findPeer(spec: string, role: 'source' | 'destination' = 'destination'): Peer | undefined {
    const exact = this.peerById.get(spec);
    if (exact) return exact;
    const address = parseIpv4Address(spec);
    if (address !== undefined) {
      const atoms = role === 'source' ? this.sourceAtoms : this.destinationAtoms;
      const atom = atoms.find((a) => a.lo <= address && address <= a.hi);
      return atom ? this.peerById.get(externalPeerId(atom)) : undefined;
    }
    const matches = this.peers.filter(
      (p) => p.kind === 'pod' && `${p.namespace}/${p.workload.name}` === spec,
    );
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Pod peers whose namespace/name resembles the spec, for "did you mean" messages. */
  suggestPeers(spec: string): string[] {
    const needle = spec.split('[')[0].toLowerCase();
    const name = needle.split('/').pop() ?? needle;
    return this.peers
      .filter(
        (p) =>
          p.kind === 'pod' &&
          (p.id.toLowerCase().includes(needle) || p.workload.name.toLowerCase().includes(name)),
      )
      .map((p) => p.id)
      .slice(0, 5);
  }

  peer(id: string): Peer | undefined {
    return this.peerById.get(id);
  }

  // -------------------------------------------------------------------------------------------
  // Rules

  /** Rules are compiled when first needed: the editor's lints ask about few of them. */
  private compiledRule(policy: PolicyModel, rule: RuleModel): CompiledRule {
    let compiled = this.compiled.get(rule);
    if (!compiled) {
      compiled = this.compileRule(policy, rule);
      this.compiled.set(rule, compiled);
    }
    return compiled;
  }

  private compileRule(policy: PolicyModel, rule: RuleModel): CompiledRule {
    const compiled: CompiledRule = {
      policy,
      rule,
      everything: false,
      everyClass: false,
      selections: [],
      blocks: [],
    };
    const named = (rule.ports ?? []).some((p) => typeof p.port === 'string');
    if (!named) compiled.fixedPorts = this.rulePorts(rule, undefined);
    if (rule.peers === null || rule.peers.length === 0) {
      compiled.everything = true;
      return compiled;
    }
    for (const peer of rule.peers) {
      if (!peer.ipBlock) continue;
      compiled.blocks.push(peer.ipBlock);
      if (this.options.ipBlockMatchesPods && this.coversPodNetwork(ipBlockIntervals(peer.ipBlock))) {
        compiled.everyClass = true;
      }
    }
    compiled.selections = this.ruleSelections(policy, rule);
    if (compiled.selections.length > MAX_SELECTIONS_TRIED) {
      compiled.classSet = new Set(compiled.selections.flatMap((s) => s.indices));
    }
    return compiled;
  }

  /** The atoms of a compiled rule's ipBlocks (of the partition of its direction), found once. */
  private ruleAtoms(compiled: CompiledRule): Set<number> {
    if (compiled.atoms) return compiled.atoms;
    const atoms = new Set<number>();
    const partition = compiled.rule.direction === 'ingress' ? this.sourceAtoms : this.destinationAtoms;
    for (const block of compiled.blocks) atomsWithin(partition, ipBlockIntervals(block), atoms);
    compiled.atoms = atoms;
    return atoms;
  }

  /** The distinct selections of a rule's selector peers, in the order of their first peer. */
  private ruleSelections(policy: PolicyModel, rule: RuleModel): ClassSelection[] {
    let found = this.ruleSelectionCache.get(rule);
    if (!found) {
      found = this.selections.distinct(policy, rule.peers ?? []);
      this.ruleSelectionCache.set(rule, found);
    }
    return found;
  }

  /** With ipBlockMatchesPods, a block matches a pod when it contains the whole pod network. */
  private coversPodNetwork(intervals: readonly AddressInterval[]): boolean {
    const network = this.options.podCIDRs
      .map(parseCidr)
      .flatMap((c) => (c.family === 'ipv4' ? [c.interval] : []));
    const podNetwork = network.length > 0 ? network : [{ lo: 0, hi: 2 ** 32 - 1 }];
    return podNetwork.every((net) => intervals.some((iv) => contains(iv, net)));
  }

  private matchPeerClasses(policy: PolicyModel, peer: PeerModel): number[] {
    const { podSelector, namespaceSelector } = peer;
    if (!podSelector && !namespaceSelector) return []; // An empty peer is invalid and selects nothing.
    // Matching namespaces first keeps the per-class work to the pod selector.
    const namespaces = namespaceSelector
      ? this.model.namespacesMatching(namespaceSelector).map((ns) => ns.name)
      : [policy.namespace];
    const result: number[] = [];
    for (const namespace of namespaces) {
      result.push(
        ...(podSelector ? this.classesSelected(namespace, podSelector) : this.classesIn(namespace)),
      );
    }
    return result;
  }

  private classesIn(namespace: string): readonly number[] {
    return this.classesByNamespace.get(namespace) ?? [];
  }

  /** The classes of a namespace that a pod selector selects, ascending. Shared: do not modify. */
  private classesSelected(namespace: string, podSelector: LabelSelector): readonly number[] {
    let index = this.classIndexes.get(namespace);
    if (!index) {
      index = new SelectorIndex(this.classesIn(namespace), (i) => this.classes[i].labels);
      this.classIndexes.set(namespace, index);
    }
    return index.matching(podSelector);
  }

  /** The connections a rule's `ports` allow towards a destination class (undefined: an external address). */
  private rulePorts(rule: RuleModel, destination: PodClass | undefined): number {
    if (rule.ports === null || rule.ports.length === 0) return this.table.all;
    // Ranges collected per protocol and merged once: a union per entry made thousands of entries quadratic.
    const ranges: Partial<Record<Protocol, [number, number][]>> = {};
    const add = (protocol: Protocol, lo: number, hi: number) => (ranges[protocol] ??= []).push([lo, hi]);
    const named = destination && namedContainerPorts(destination);
    for (const entry of rule.ports) {
      if (!isProtocol(entry.protocol)) continue; // Rejected by the API server; allows nothing.
      const protocol = entry.protocol;
      if (entry.port === undefined) {
        add(protocol, MIN_PORT, MAX_PORT);
      } else if (typeof entry.port === 'number') {
        const end = entry.endPort ?? entry.port;
        if (end >= entry.port) add(protocol, entry.port, end);
      } else {
        // Named ports resolve against the destination pod's containers, never against addresses.
        for (const port of named?.get(`${protocol}/${entry.port}`) ?? []) add(protocol, port, port);
      }
    }
    return this.table.intern(ConnectionSet.fromJSON(ranges));
  }

  private portsTowards(compiled: CompiledRule, destinationClass: number | undefined): number {
    if (compiled.fixedPorts !== undefined) return compiled.fixedPorts;
    // Named ports resolve per destination class (-1: an address); rows ask for the same answers many times.
    const key = destinationClass ?? -1;
    compiled.namedPorts ??= new Map();
    let id = compiled.namedPorts.get(key);
    if (id === undefined) {
      id = this.rulePorts(compiled.rule, key < 0 ? undefined : this.classes[key]);
      compiled.namedPorts.set(key, id);
    }
    return id;
  }

  private ruleMatchesClass(compiled: CompiledRule, classIndex: number): boolean {
    if (compiled.everything || compiled.everyClass) return true;
    if (compiled.classSet) return compiled.classSet.has(classIndex);
    return compiled.selections.some((s) => s.has(classIndex));
  }

  private ruleMatchesAtom(compiled: CompiledRule, atom: number): boolean {
    return compiled.everything || this.ruleAtoms(compiled).has(atom);
  }

  // -------------------------------------------------------------------------------------------
  // Profiles and rows

  /** The policies that select a class for a direction: its profile's list. Shared: do not modify. */
  private selecting(podClass: PodClass, direction: Direction): PolicyModel[] {
    if (direction === 'egress') {
      const profile = this.egressProfileIndex(podClass.index);
      return profile < 0 ? [] : this.egressPolicies[profile];
    }
    const profile = this.ingressProfileIndex(podClass.index);
    return profile < 0 ? [] : this.ingressPolicies[profile];
  }

  private egressProfileIndex(classIndex: number): number {
    this.assignProfiles(this.classes[classIndex].namespace);
    return this.egressProfileOf[classIndex];
  }

  private ingressProfileIndex(classIndex: number): number {
    this.assignProfiles(this.classes[classIndex].namespace);
    return this.ingressProfileOf[classIndex];
  }

  /** The profiles of a namespace's classes (once): the policies selecting each, by direction. */
  private assignProfiles(namespace: string): void {
    if (this.profiledNamespaces.has(namespace)) return;
    this.profiledNamespaces.add(namespace);
    const classes = this.classesIn(namespace);
    for (const index of classes) this.selectedBy[index] = [];
    for (const policy of this.policiesByNamespace.get(namespace) ?? []) {
      for (const index of this.classesSelected(namespace, policy.podSelector)) {
        this.selectedBy[index].push(policy);
      }
    }
    for (const index of classes) {
      const egress: PolicyModel[] = [];
      const ingress: PolicyModel[] = [];
      let named = false;
      for (const policy of this.selectedBy[index]) {
        if (policy.affects.egress) egress.push(policy);
        if (policy.affects.ingress) {
          ingress.push(policy);
          named ||= hasNamedIngressPort(policy);
        }
      }
      this.egressProfileOf[index] = this.profile(egress, '', this.egressProfileKeys, this.egressPolicies);
      // Named ports in ingress rules resolve against the destination itself, so its ports join the key.
      const suffix = named ? `#${portsKey(this.classes[index].ports)}` : '';
      this.ingressProfileOf[index] = this.profile(
        ingress,
        suffix,
        this.ingressProfileKeys,
        this.ingressPolicies,
      );
    }
  }

  /**
   * The profile of a list of policies (plus `suffix`), numbered in the order first seen. Keyed through a
   * trie of policy ids: classes by the thousand walk it without building a key text each.
   */
  private profile(
    policies: PolicyModel[],
    suffix: string,
    keys: ProfileTrie,
    store: PolicyModel[][],
  ): number {
    if (policies.length === 0) return -1; // Not isolated for this direction.
    let node = 0;
    for (const policy of policies) node = keys.child(node, policy.id);
    let id = keys.id(node, suffix);
    if (id === undefined) {
      id = store.length;
      store.push(policies);
      keys.setId(node, suffix, id);
    }
    return id;
  }

  /** Egress row: targets are classes 0..C-1, then destination atoms C.. */
  private egressRow(profile: number): Row {
    let row = this.egressRows[profile];
    if (!row) {
      row = this.buildRow(this.egressPolicies[profile], 'egress', undefined);
      this.egressRows[profile] = row;
    }
    return row;
  }

  /** Ingress row: targets are source classes 0..C-1, then source atoms C..; ports resolve against `self`. */
  private ingressRow(profile: number, self: number): Row {
    let row = this.ingressRows[profile];
    if (!row) {
      row = this.buildRow(this.ingressPolicies[profile], 'ingress', self);
      this.ingressRows[profile] = row;
    }
    return row;
  }

  private buildRow(policies: PolicyModel[], direction: Direction, self: number | undefined): Row {
    const table = this.table;
    const classCount = this.classes.length;
    const atomCount = direction === 'egress' ? this.destinationAtoms.length : this.sourceAtoms.length;
    let base = table.none;
    const entries = new Map<number, number>();
    const add = (target: number, conns: number) => {
      if (conns === table.none) return;
      entries.set(target, table.union(entries.get(target) ?? base, conns));
    };
    const compiledRules = policies.flatMap((p) => p[direction].map((r) => this.compiledRule(p, r)));
    // First the rules that allow the same thing to every target, so `base` is final before exceptions.
    for (const c of compiledRules) {
      if (c.everything && (direction === 'ingress' || c.fixedPorts !== undefined)) {
        base = table.union(base, this.portsTowards(c, self));
      }
    }
    for (const c of compiledRules) {
      const destinationOf = (target: number) => (direction === 'egress' ? target : self);
      if (c.everything) {
        if (direction === 'ingress' || c.fixedPorts !== undefined) continue;
        for (let t = 0; t < classCount; t++) add(t, this.portsTowards(c, t));
        for (let a = 0; a < atomCount; a++) add(classCount + a, this.portsTowards(c, undefined));
        continue;
      }
      // A class in several selections is added again with the same connections: a union, so no change.
      if (c.everyClass) for (let t = 0; t < classCount; t++) add(t, this.portsTowards(c, destinationOf(t)));
      else {
        for (const selection of c.selections) {
          for (const t of selection.indices) add(t, this.portsTowards(c, destinationOf(t)));
        }
      }
      const atomPorts = direction === 'egress' ? this.portsTowards(c, undefined) : this.portsTowards(c, self);
      for (const a of this.ruleAtoms(c)) add(classCount + a, atomPorts);
    }
    return { base, entries };
  }

  private rowValue(row: Row, target: number): number {
    return row.entries.get(target) ?? row.base;
  }

  // -------------------------------------------------------------------------------------------
  // Answers

  /**
   * The two sides of a connection as interned ids (a side that is not isolated allows everything), or
   * undefined when nothing can connect the two (an address no rule names, two addresses).
   */
  private sideIds(source: Peer, destination: Peer): SideIds | undefined {
    const table = this.table;
    const classCount = this.classes.length;
    const ids: SideIds = {
      egress: table.all,
      ingress: table.all,
      egressIsolated: false,
      ingressIsolated: false,
    };
    if (source.kind === 'pod') {
      const target =
        destination.kind === 'pod'
          ? destination.classIndex
          : destination.destinationAtom === undefined
            ? -1
            : classCount + destination.destinationAtom;
      ids.egressIsolated = this.egressProfileIndex(source.classIndex) >= 0;
      ids.egress = this.egressId(source.classIndex, target);
    } else if (source.sourceAtom === undefined || destination.kind !== 'pod') {
      return undefined;
    }
    if (destination.kind === 'pod') {
      const target =
        source.kind === 'pod' ? source.classIndex : classCount + (source as ExternalPeer).sourceAtom!;
      ids.ingressIsolated = this.ingressProfileIndex(destination.classIndex) >= 0;
      ids.ingress = this.ingressId(destination.classIndex, target);
    } else if (destination.destinationAtom === undefined) {
      return undefined;
    }
    return ids;
  }

  /** Allowed connections between two class/atom endpoints, as an interned id. */
  private connectionId(source: Peer, destination: Peer): number {
    const ids = this.sideIds(source, destination);
    return ids ? this.table.intersect(ids.egress, ids.ingress) : this.table.none;
  }

  /**
   * The unreadable objects that could change whether `source` may connect to `destination` (empty: the
   * answer is as read). `covers(id)` says whether a side's connections give all that is asked, `denies(id)`
   * whether they give none of it.
   */
  private pairDoubts(
    source: Peer,
    destination: Peer,
    ids: SideIds | undefined,
    covers: (id: number) => boolean,
    denies: (id: number) => boolean,
  ): UnreadableObject[] {
    if (!this.doubts.any || !ids) return [];
    const sideOf = (self: Peer, other: Peer, direction: Direction, isolated: boolean, id: number) => ({
      denies: denies(id),
      doubts:
        self.kind === 'pod'
          ? this.doubts.side({
              namespace: self.namespace,
              otherNamespace: other.kind === 'pod' ? other.namespace : undefined,
              isolated,
              covers: covers(id),
              labels: self.workload.labels,
              direction,
            })
          : [],
    });
    const egress = sideOf(source, destination, 'egress', ids.egressIsolated, ids.egress);
    const ingress = sideOf(destination, source, 'ingress', ids.ingressIsolated, ids.ingress);
    const ends = this.doubts.ends(source.id, destination.id);
    if (ends.length > 0) return [...new Set([...ends, ...egress.doubts, ...ingress.doubts])];
    return combineDoubts(egress, ingress);
  }

  /**
   * The unreadable objects that could change whether `source` may connect to `destination` (on `port`,
   * or at all): when there are any, the answer is unknown. Cheaper than {@link query}.
   */
  unknownBecause(source: Peer, destination: Peer, port?: PortQuery): UnreadableObject[] {
    if (!this.doubts.any) return [];
    const covers = (id: number) => {
      const set = this.table.get(id);
      return port ? set.contains(port.protocol, port.port) : !set.isEmpty();
    };
    return this.pairDoubts(
      source,
      destination,
      this.sideIds(source, destination),
      covers,
      (id) => !covers(id),
    );
  }

  /**
   * The unreadable objects that could change any of the connections from `source` to `destination` (what
   * {@link unknownPairs} names): a side in doubt counts unless it already allows everything, or denies
   * everything on a side that decides it alone.
   */
  connectionsInDoubt(source: Peer, destination: Peer): UnreadableObject[] {
    if (!this.doubts.any) return [];
    const { all, none } = this.table;
    return this.pairDoubts(
      source,
      destination,
      this.sideIds(source, destination),
      (id) => id === all,
      (id) => id === none,
    );
  }

  /**
   * What the egress side of a class allows towards a target (a class, `classCount + atom`, or -1 for an
   * address outside the partition): the NetworkPolicies' row, inside the cluster tiers when there are any.
   */
  private egressId(source: number, target: number): number {
    const profile = this.egressProfileIndex(source);
    const networkPolicy =
      profile < 0 ? undefined : target < 0 ? this.table.none : this.rowValue(this.egressRow(profile), target);
    if (!this.cluster) return networkPolicy ?? this.table.all;
    return this.cluster.combine('egress', source, target, networkPolicy);
  }

  /** What the ingress side of a class allows from a source (a class or `classCount + atom`). */
  private ingressId(destination: number, source: number): number {
    const profile = this.ingressProfileIndex(destination);
    const networkPolicy =
      profile < 0 ? undefined : this.rowValue(this.ingressRow(profile, destination), source);
    if (!this.cluster) return networkPolicy ?? this.table.all;
    return this.cluster.combine('ingress', destination, source, networkPolicy);
  }

  /**
   * What a class allows towards every class (egress) or from every class (ingress): a default and the
   * targets whose answer differs from it (classes 0..C-1, then atoms), as interned ids that
   * {@link connectionSet} reads and {@link intersectIds} combines; a pod pair's connections are the
   * source's egress answer for the destination's class intersected with the destination's ingress answer
   * for the source's. Undefined when cluster-scoped policies take part: they decide per pair.
   */
  classSide(direction: Direction, classIndex: number): Readonly<Row> | undefined {
    if (this.cluster) return undefined;
    if (direction === 'egress') {
      const profile = this.egressProfileIndex(classIndex);
      return profile < 0 ? this.openRow : this.egressRow(profile);
    }
    const profile = this.ingressProfileIndex(classIndex);
    return profile < 0 ? this.openRow : this.ingressRow(profile, classIndex);
  }

  /** The intersection of two interned ids of this analysis. */
  intersectIds(a: number, b: number): number {
    return this.table.intersect(a, b);
  }

  /** Everything allowed from `source` to `destination`. */
  connections(source: Peer, destination: Peer): ConnectionSet {
    return this.table.get(this.connectionId(source, destination));
  }

  /** Every ordered pair of distinct peers that can be asked about (never external to external). */
  private *candidatePairs(): Generator<[Peer, Peer]> {
    for (const source of this.peers) {
      if (source.kind === 'external' && source.sourceAtom === undefined) continue;
      for (const destination of this.peers) if (isCandidate(source, destination)) yield [source, destination];
    }
  }

  /**
   * Every allowed ordered pair of distinct peers (pods and external ranges; never external to external).
   * External ranges appear as sources from the ingress partition and as destinations from the egress one.
   * Pairs an unreadable object could change are not among them (see {@link unknownPairs}).
   */
  *allowedPairs(): Generator<AllowedPair> {
    const { all, none } = this.table;
    const covers = (id: number) => id === all;
    const denies = (id: number) => id === none;
    for (const source of this.peers) {
      if (source.kind === 'external' && source.sourceAtom === undefined) continue;
      for (const destination of this.peers) {
        if (!isCandidate(source, destination)) continue;
        const id = this.connectionId(source, destination);
        if (id === none) continue;
        if (this.doubts.any) {
          const ids = this.sideIds(source, destination);
          if (this.pairDoubts(source, destination, ids, covers, denies).length > 0) continue;
        }
        yield { source, destination, connections: this.table.get(id) };
      }
    }
  }

  /** The pairs whose connections unreadable objects could change, with those objects. */
  *unknownPairs(): Generator<UnknownPair> {
    if (!this.doubts.any) return;
    for (const [source, destination] of this.candidatePairs()) {
      const because = this.connectionsInDoubt(source, destination);
      if (because.length > 0) yield { source, destination, because };
    }
  }

  /**
   * The class-level matrix: for every (source class, destination class) the interned connection id.
   * This is the whole pod-to-pod computation; the benchmark measures it.
   */
  classMatrix(): Int32Array {
    const count = this.classes.length;
    const matrix = new Int32Array(count * count);
    const table = this.table;
    for (let s = 0; s < count; s++) {
      for (let d = 0; d < count; d++) {
        const egress = this.egressId(s, d);
        if (egress === table.none) continue; // matrix is zero-filled and table.none === 0
        matrix[s * count + d] = table.intersect(egress, this.ingressId(d, s));
      }
    }
    return matrix;
  }

  connectionSet(id: number): ConnectionSet {
    return this.table.get(id);
  }

  /** Whether a connection is allowed, and which policies and rules decide it on each side. */
  query(source: Peer, destination: Peer, port?: PortQuery): QueryResult {
    const connections = this.connections(source, destination);
    const egress = this.side(source, destination, 'egress', port);
    const ingress = this.side(destination, source, 'ingress', port);
    const unknown = this.unknownBecause(source, destination, port);
    const reads = port ? connections.contains(port.protocol, port.port) : !connections.isEmpty();
    const allowed = unknown.length === 0 && reads;
    return { source, destination, port, connections, allowed, unknown, egress, ingress };
  }

  /**
   * One side of {@link query}: which policies isolate `self` for the direction and which of their rules
   * allow something towards `other`, without computing the other side.
   */
  side(self: Peer, other: Peer, direction: Direction, port?: PortFilter): SideVerdict {
    // Objects written out (no spreads of differently shaped objects: the DNS lint asks per egress
    // profile), their keys in the order the verdicts have always had.
    if (self.kind !== 'pod') {
      const connections = ConnectionSet.ALL;
      return {
        direction,
        isolated: false,
        policies: [],
        rules: [],
        admin: [],
        baseline: [],
        clusterPolicies: [],
        connections,
      };
    }
    const networkPolicySide = this.networkPolicySide(self, other, direction, port);
    if (!this.cluster?.selects(direction, self.classIndex)) {
      const { isolated, policies, rules, connections } = networkPolicySide;
      return {
        admin: [],
        baseline: [],
        clusterPolicies: [],
        connections,
        direction,
        isolated,
        policies,
        rules,
      };
    }
    const target = this.targetOf(other, direction);
    const tiers = this.cluster.explain(direction, self.classIndex, target, networkPolicySide.isolated);
    const concerns = (m: ClusterRuleMatch) => !port || allowsAny(m.connections, port);
    const value =
      direction === 'egress'
        ? this.egressId(self.classIndex, target)
        : this.ingressId(self.classIndex, target);
    return {
      ...networkPolicySide,
      clusterPolicies: this.cluster.selecting(direction, self.classIndex),
      admin: tiers.admin.filter(concerns),
      baseline: tiers.baseline.filter(concerns),
      connections: this.table.get(value),
    };
  }

  /** The other end of a side as a cluster target (see {@link egressId}). */
  private targetOf(other: Peer, direction: Direction): number {
    if (other.kind === 'pod') return other.classIndex;
    const atom = direction === 'egress' ? other.destinationAtom : other.sourceAtom;
    return atom === undefined ? -1 : this.classes.length + atom;
  }

  /** The NetworkPolicy part of {@link side}. */
  private networkPolicySide(
    self: PodPeer,
    other: Peer,
    direction: Direction,
    port?: PortFilter,
  ): Pick<SideVerdict, 'direction' | 'isolated' | 'policies' | 'rules' | 'connections'> {
    const policies = this.selecting(this.classes[self.classIndex], direction);
    if (policies.length === 0) {
      return { direction, isolated: false, policies, rules: [], connections: ConnectionSet.ALL };
    }
    const destinationClass =
      direction === 'ingress' ? self.classIndex : other.kind === 'pod' ? other.classIndex : undefined;
    const rules: RuleMatch[] = [];
    const table = this.table;
    let connections = table.none;
    for (const policy of policies) {
      for (const rule of policy[direction]) {
        // A rule whose ports cannot hold the port asked about is left out before it is compiled.
        if (port && !mayAllowPort(rule, port)) continue;
        const compiled = this.compiledRule(policy, rule);
        const matches =
          other.kind === 'pod'
            ? this.ruleMatchesClass(compiled, other.classIndex)
            : direction === 'egress'
              ? other.destinationAtom !== undefined && this.ruleMatchesAtom(compiled, other.destinationAtom)
              : other.sourceAtom !== undefined && this.ruleMatchesAtom(compiled, other.sourceAtom);
        if (!matches) continue;
        const id = this.portsTowards(compiled, destinationClass);
        if (id === table.none) continue;
        const allowed = table.get(id);
        if (port && !allowsAny(allowed, port)) continue;
        rules.push({ policy, rule, direction, ruleIndex: rule.index, connections: allowed });
        // Interned and memoised: rules of thousands of sides allow the same few sets.
        connections = table.union(connections, id);
      }
    }
    return { direction, isolated: true, policies, rules, connections: table.get(connections) };
  }

  /**
   * The classes of the pods a policy selects, shared by the policies of a namespace that select with the
   * same meaning. Shared: do not modify.
   */
  selectedClasses(policy: PolicyModel): PodClass[] {
    const indices = this.classesSelected(policy.namespace, policy.podSelector);
    let classes = this.selectedClassCache.get(indices);
    if (!classes) {
      classes = indices.map((i) => this.classes[i]);
      this.selectedClassCache.set(indices, classes);
    }
    return classes;
  }

  /**
   * The policies whose podSelector selects the workload, in model order, whatever directions they affect
   * (a lens over every workload of a file asked each policy of the workspace).
   */
  policiesSelecting(workload: WorkloadModel): PolicyModel[] {
    const peer = this.peerById.get(workload.id);
    if (peer?.kind === 'pod' && peer.workload === workload) {
      this.assignProfiles(peer.namespace);
      return [...this.selectedBy[peer.classIndex]];
    }
    return this.model.policies.filter(
      (p) => p.namespace === workload.namespace && selectorMatches(p.podSelector, workload.labels),
    );
  }

  /** The workloads a policy selects. The list is shared: do not modify it. */
  selectedWorkloads(policy: PolicyModel): WorkloadModel[] {
    return this.workloadsOf(this.selectedClasses(policy));
  }

  /** The members of classes, each once (classes are disjoint), kept per shared class list. */
  private workloadsOf(classes: readonly PodClass[]): WorkloadModel[] {
    let workloads = this.workloadCache.get(classes);
    if (!workloads) {
      workloads = classes.flatMap((c) => c.members.map((m) => m.workload));
      selectionWork.workloadsListed += workloads.length;
      this.workloadCache.set(classes, workloads);
    }
    return workloads;
  }

  /**
   * The classes of the pods any selector peer of the rule matches, each once, in the order the peers
   * first match them (ipBlocks match addresses; a rule without peers is not limited to pods). Shared by
   * the rules whose peers mean the same: do not modify.
   */
  ruleClasses(policy: PolicyModel, rule: RuleModel): readonly PodClass[] {
    return this.selections.union(this.ruleSelections(policy, rule));
  }

  /**
   * The same per selector peer, each peer's list once: what the rule's pods have in common can be summed up
   * per list (shared by every rule with such a peer) instead of over the rule's whole union. Shared.
   */
  rulePeerClasses(policy: PolicyModel, rule: RuleModel): readonly (readonly PodClass[])[] {
    return this.ruleSelections(policy, rule).map((s) => s.classes);
  }

  /**
   * The first `limit` of {@link ruleWorkloads} and how many there are, without the union of the peers
   * (which costs as much as the pods a rule reaches, for each rule of a large file).
   */
  ruleWorkloadsHead(
    policy: PolicyModel,
    rule: RuleModel,
    limit: number,
  ): { first: WorkloadModel[]; count: number } {
    const selections = this.ruleSelections(policy, rule);
    if (selections.length <= 1) {
      const all = this.ruleWorkloads(policy, rule);
      return { first: all.slice(0, limit), count: all.length };
    }
    return {
      first: firstWorkloads(selections, this.classes, limit),
      count: workloadCount(selections, this.classes),
    };
  }

  /**
   * The workloads any selector peer of the rule matches, each once (ipBlocks match addresses; a rule
   * without peers is not limited to pods). Shared: do not modify.
   */
  ruleWorkloads(policy: PolicyModel, rule: RuleModel): WorkloadModel[] {
    return this.workloadsOf(this.ruleClasses(policy, rule));
  }

  /**
   * The egress profile of a class: classes with the same one are selected by the same egress policies,
   * so their egress towards any peer is the same (-1: not isolated for egress).
   */
  egressProfile(classIndex: number): number {
    return this.egressProfileIndex(classIndex);
  }

  /** Cluster rules that match traffic of the workspace but never decide any (see cluster/shadowing.ts). */
  shadowedClusterRules(): ShadowedRule[] {
    this.shadowed ??= this.cluster ? shadowedRules(this.cluster) : [];
    return this.shadowed;
  }

  /** The workloads a cluster policy's subject or `namespaces`/`pods` peer selects. */
  selectionWorkloads(selection: PodSelection): WorkloadModel[] {
    return this.classes
      .filter((c) => selectionMatchesClass(selection, c))
      .flatMap((c) => c.members.map((m) => m.workload));
  }

  /** The workloads the `namespaces`/`pods` peers of a cluster rule select, each once. */
  clusterRuleWorkloads(rule: ClusterRuleModel): WorkloadModel[] {
    const peers = rule.peers.filter((p) => !p.networks && !p.unevaluable && !p.unrecognised);
    return this.classes
      .filter((c) => peers.some((p) => selectionMatchesClass(p, c)))
      .flatMap((c) => c.members.map((m) => m.workload));
  }

  /** How many workloads the selector peers among `peers` match together (counted, not listed). */
  peersWorkloadCount(policy: PolicyModel, peers: readonly PeerModel[]): number {
    return workloadCount(this.selections.distinct(policy, peers), this.classes);
  }

  /** Whether a selector peer matches the workload of that id (a set lookup, not a list of its workloads). */
  peerSelectsWorkload(policy: PolicyModel, peer: PeerModel, workloadId: string): boolean {
    const self = this.peerById.get(workloadId);
    return self?.kind === 'pod' && this.selections.of(policy, peer).has(self.classIndex);
  }

  /** Whether a selector peer matches any pod (cheaper than {@link peerWorkloads} when only that counts). */
  peerMatchesPods(policy: PolicyModel, peer: PeerModel): boolean {
    return this.selections.of(policy, peer).indices.length > 0;
  }

  /** The workloads a rule's peer matches (selectors only; ipBlocks match addresses). Shared: do not modify. */
  peerWorkloads(policy: PolicyModel, peer: PeerModel): WorkloadModel[] {
    return this.workloadsOf(this.selections.of(policy, peer).classes);
  }
}

/**
 * Profiles by their policies' ids, one id after the other, then by the key suffix. Its nodes are numbers
 * (0 the root) and its edges one map for the whole trie: a large file has a node per policy of each
 * profile, and two maps a node were a twentieth of what its analysis kept.
 */
class ProfileTrie {
  /** Child node by `node * stride + policy id`. */
  private readonly children = new Map<number | string, number>();
  /** Profile ids by node, for the empty suffix (most profiles), and by `node + suffix` otherwise. */
  private readonly ids = new Map<number, number>();
  private readonly suffixedIds = new Map<string, number>();
  private nodes = 1;
  private readonly stride: number;

  /** For policy ids 0 to `policyCount - 1`, the model's. */
  constructor(policyCount: number) {
    this.stride = policyCount;
  }

  child(node: number, policyId: number): number {
    // An id past the model's count (not one of its policies) gets a key of its own, never a shared one.
    const key = policyId < this.stride ? node * this.stride + policyId : `${node}:${policyId}`;
    let child = this.children.get(key);
    if (child === undefined) this.children.set(key, (child = this.nodes++));
    return child;
  }

  id(node: number, suffix: string): number | undefined {
    return suffix === '' ? this.ids.get(node) : this.suffixedIds.get(`${node}${suffix}`);
  }

  setId(node: number, suffix: string, id: number): void {
    if (suffix === '') this.ids.set(node, id);
    else this.suffixedIds.set(`${node}${suffix}`, id);
  }
}

/** Whether an ingress rule of the policy names a port (kept per policy object, which outlives a build). */
const namedIngress = new WeakMap<PolicyModel, boolean>();

function hasNamedIngressPort(policy: PolicyModel): boolean {
  let named = namedIngress.get(policy);
  if (named === undefined) {
    named = policy.ingress.some((r) => (r.ports ?? []).some((x) => typeof x.port === 'string'));
    namedIngress.set(policy, named);
  }
  return named;
}

/** A rule with more selector peers than this tests membership in one set of their union. */
const MAX_SELECTIONS_TRIED = 8;

/**
 * The atoms inside the intervals. Atoms are sorted and cut at every boundary of every block, so each
 * interval is a run of whole atoms: found by binary search, not by testing every atom (a rule with
 * thousands of ipBlock peers would otherwise cost peers × atoms).
 */
function atomsWithin(
  partition: readonly AddressInterval[],
  intervals: readonly AddressInterval[],
  found: Set<number>,
): void {
  for (const iv of intervals) {
    let lo = 0;
    let hi = partition.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (partition[mid].hi < iv.lo) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < partition.length && partition[i].lo <= iv.hi; i++) {
      if (contains(iv, partition[i])) found.add(i);
    }
  }
}

/** A destination that can be asked about from `source`: another peer, never external to external. */
function isCandidate(source: Peer, destination: Peer): boolean {
  if (source === destination) return false;
  if (destination.kind !== 'external') return true;
  return source.kind !== 'external' && destination.destinationAtom !== undefined;
}

/** The `networks` CIDRs of cluster policies' egress rules, which cut the external ranges like ipBlocks. */
function collectNetworks(policies: readonly ClusterPolicyModel[]): IpBlockModel[] {
  return policies.flatMap((p) => p.egress.flatMap((r) => r.peers.flatMap((peer) => peer.networks ?? [])));
}

function collectBlocks(policies: readonly PolicyModel[], direction: Direction): IpBlockModel[] {
  // Loops, not nested flatMaps: this runs over every peer of the workspace at each analysis.
  const blocks: IpBlockModel[] = [];
  for (const policy of policies) {
    for (const rule of policy[direction]) {
      for (const peer of rule.peers ?? []) if (peer.ipBlock) blocks.push(peer.ipBlock);
    }
  }
  return blocks;
}

/** Workload objects are cached per parsed file, so their class keys are computed once. */
const classKeys = new WeakMap<WorkloadModel, string>();

function classKey(workload: WorkloadModel): string {
  let key = classKeys.get(workload);
  if (key === undefined) {
    key = [
      workload.namespace,
      labelsKey(workload.labels),
      portsKey(workload.ports),
      workload.hostNetwork ? 'hostNetwork' : '',
    ].join('\u0000');
    classKeys.set(workload, key);
  }
  return key;
}

function labelsKey(labels: Labels): string {
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(',');
}

function portsKey(ports: readonly ContainerPort[]): string {
  return ports
    .map((p) => `${p.name ?? ''}:${p.containerPort}/${p.protocol}`)
    .sort()
    .join(',');
}

/** The id of an external address range, as `reach -o txt` writes it: `a.b.c.d-e.f.g.h[External]`. */
export function externalPeerId(interval: AddressInterval): string {
  return `${formatInterval(interval)}[External]`;
}

export function sortPeers<T extends Peer>(peers: T[]): T[] {
  return peers.sort((a, b) => compare(a.id, b.id));
}

export { workloadId };

/** A class's container ports by `protocol/name`: found once per class, not per rule entry. */
const namedPortsOf = new WeakMap<PodClass, Map<string, number[]>>();

function namedContainerPorts(podClass: PodClass): Map<string, number[]> {
  let byName = namedPortsOf.get(podClass);
  if (!byName) {
    byName = new Map();
    for (const cp of podClass.ports) {
      if (cp.name === undefined) continue;
      const key = `${cp.protocol}/${cp.name}`;
      const ports = byName.get(key);
      if (ports) ports.push(cp.containerPort);
      else byName.set(key, [cp.containerPort]);
    }
    namedPortsOf.set(podClass, byName);
  }
  return byName;
}
