// The cluster-scoped tiers around NetworkPolicy, per direction (spec §1):
//
//   Admin tier (ascending priority, rules in order, first match decides: Allow, Deny or Pass)
//   → NetworkPolicy (final for the pods it selects in this direction)
//   → Baseline tier (BANP `default` and ClusterNetworkPolicy tier Baseline; Pass skips the rest)
//   → default allow.
//
// As a formula over connection sets, for one pod (the subject) and one peer:
//   side = A.allow ∪ ((ALL − A.allow − A.deny) ∩ (isolated by an NP ? NP : ALL − B.deny))
// A class's tiers depend only on the cluster policies whose subject selects it (its cluster profile),
// so outcomes are computed once per profile and target, as interned connection-set ids.
import { blockContainsAtom, ipBlockIntervals, type AddressInterval } from '../addresses';
import { ConnectionSet, type ConnectionTable } from '../connections';
import type { PodClass } from '../reachability';
import { selectorMatches } from '../selectors';
import { isProtocol, type Direction, type Protocol } from '../types';
import type {
  ClusterAction,
  ClusterPeerModel,
  ClusterPolicyModel,
  ClusterRuleModel,
  ClusterTier,
  PodSelection,
} from './types';

/** Where a peer is: a pod class, an external range (atom of the direction's partition), or neither. */
export type ClusterTarget = { classIndex: number } | { atom: number } | { unknown: true };

export interface ClusterEnvironment {
  classes: readonly PodClass[];
  /** Egress destinations' and ingress sources' partitions of the external addresses. */
  atoms: Record<Direction, readonly AddressInterval[]>;
  table: ConnectionTable;
  /** With ipBlockMatchesPods: whether blocks with these addresses match every pod. */
  networksMatchPods(intervals: readonly AddressInterval[]): boolean;
}

/** A cluster rule that decided part of a connection. */
export interface ClusterRuleMatch {
  policy: ClusterPolicyModel;
  rule: ClusterRuleModel;
  tier: ClusterTier;
  action: ClusterAction;
  /** What this rule decided: what it matches, less what earlier rules had decided. */
  connections: ConnectionSet;
}

interface TierOutcome {
  allow: number;
  deny: number;
}

interface CompiledClusterRule {
  everyClass: boolean;
  everyAtom: boolean;
  classes: Set<number>;
  atoms: Set<number>;
  /** Connections independent of the destination (no named ports). */
  fixedPorts?: number;
}

function sortByPrecedence(policies: ClusterPolicyModel[]): ClusterPolicyModel[] {
  // Equal priorities are undefined behaviour in the API (and reported); kind and name make the order
  // deterministic, so the answer never depends on the order of files or documents.
  const rank = (p: ClusterPolicyModel) =>
    p.kind === 'BaselineAdminNetworkPolicy' ? 1001 : (p.priority ?? 0);
  return policies.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0) ||
      a.id - b.id,
  );
}

/** Whether a subject or a `namespaces`/`pods` peer selects pods of the class (exactly one field is valid). */
export function selectionMatchesClass(selection: PodSelection, podClass: PodClass): boolean {
  // Host-networked pods are never selected as subjects, nor by `namespaces`/`pods` peers (spec §1).
  if (podClass.hostNetwork) return false;
  const { namespaces, pods } = selection;
  if (namespaces && !pods) return selectorMatches(namespaces, podClass.namespaceLabels);
  if (pods && !namespaces) {
    return (
      (!pods.namespaceSelector || selectorMatches(pods.namespaceSelector, podClass.namespaceLabels)) &&
      selectorMatches(pods.podSelector, podClass.labels)
    );
  }
  return false;
}

/** Whether the policy is evaluable at all: a valid priority (when it has one) and a subject. */
function evaluable(policy: ClusterPolicyModel): boolean {
  if (!policy.subject) return false;
  if (policy.kind === 'BaselineAdminNetworkPolicy') return policy.name === 'default';
  return policy.priority !== undefined && policy.priority >= 0 && policy.priority <= 1000;
}

export class ClusterTiers {
  private readonly profileOf: Record<Direction, number[]> = { ingress: [], egress: [] };
  private readonly profiles: Record<
    Direction,
    { admin: ClusterPolicyModel[]; baseline: ClusterPolicyModel[] }[]
  > = {
    ingress: [],
    egress: [],
  };
  private readonly outcomes: Record<
    Direction,
    Map<number, { admin: TierOutcome; baseline?: TierOutcome }>[]
  > = {
    ingress: [],
    egress: [],
  };
  private readonly compiled = new Map<ClusterRuleModel, CompiledClusterRule>();
  private readonly namedPorts = new Map<ClusterRuleModel, Map<number, number>>();

  constructor(
    readonly policies: readonly ClusterPolicyModel[],
    private readonly env: ClusterEnvironment,
  ) {
    const usable = policies.filter(evaluable);
    for (const direction of ['ingress', 'egress'] as const) {
      const keys = new Map<string, number>();
      const withRules = usable.filter((p) => p[direction].length > 0);
      for (const podClass of env.classes) {
        const selecting = withRules.filter((p) => selectionMatchesClass(p.subject!, podClass));
        if (selecting.length === 0) {
          this.profileOf[direction].push(-1);
          continue;
        }
        const admin = sortByPrecedence(selecting.filter((p) => p.tier === 'Admin'));
        const baseline = sortByPrecedence(selecting.filter((p) => p.tier === 'Baseline'));
        // Ingress named ports resolve on the subject itself, so its ports join the key.
        const named =
          direction === 'ingress' &&
          selecting.some((p) =>
            p.ingress.some((r) => (r.ports ?? []).some((x) => x.namedPort !== undefined)),
          );
        const key = selecting.map((p) => p.id).join(',') + (named ? `#${podClass.index}` : '');
        let id = keys.get(key);
        if (id === undefined) {
          id = this.profiles[direction].length;
          this.profiles[direction].push({ admin, baseline });
          this.outcomes[direction].push(new Map());
          keys.set(key, id);
        }
        this.profileOf[direction].push(id);
      }
    }
  }

  get table(): ConnectionTable {
    return this.env.table;
  }

  /** Whether any cluster policy selects the class for the direction. */
  selects(direction: Direction, classIndex: number): boolean {
    return this.profileOf[direction][classIndex] >= 0;
  }

  /** The cluster policies that select the class for the direction, in evaluation order. */
  selecting(direction: Direction, classIndex: number): ClusterPolicyModel[] {
    const profile = this.profileOf[direction][classIndex];
    if (profile < 0) return [];
    const { admin, baseline } = this.profiles[direction][profile];
    return [...admin, ...baseline];
  }

  /**
   * What one side allows, as an interned id: `self` is the subject pod's class, `target` the other end
   * (its class, or `classCount + atom` for an external range, or -1 for an address outside the partition),
   * `networkPolicy` the NetworkPolicies' answer, undefined when none selects `self` for the direction.
   */
  combine(direction: Direction, self: number, target: number, networkPolicy: number | undefined): number {
    const table = this.env.table;
    const profile = this.profileOf[direction][self];
    if (profile < 0) return networkPolicy ?? table.all;
    const policies = this.profiles[direction][profile];
    const outcomes = this.outcomes[direction][profile];
    let outcome = outcomes.get(target);
    if (!outcome) {
      outcome = { admin: this.evaluateTier(policies.admin, direction, self, this.target(target)) };
      outcomes.set(target, outcome);
    }
    let below = networkPolicy;
    if (below === undefined) {
      // The Baseline tier only matters where no NetworkPolicy selects the pod.
      outcome.baseline ??= this.evaluateTier(policies.baseline, direction, self, this.target(target));
      below = table.subtract(table.all, outcome.baseline.deny);
    }
    const undecided = table.subtract(table.subtract(table.all, outcome.admin.allow), outcome.admin.deny);
    return table.union(outcome.admin.allow, table.intersect(undecided, below));
  }

  /** Per direction, one class of each profile (the classes of a profile behave alike) and its tiers. */
  profileRepresentatives(
    direction: Direction,
  ): { self: number; admin: ClusterPolicyModel[]; baseline: ClusterPolicyModel[] }[] {
    const seen = new Set<number>();
    const found: { self: number; admin: ClusterPolicyModel[]; baseline: ClusterPolicyModel[] }[] = [];
    this.profileOf[direction].forEach((profile, self) => {
      if (profile < 0 || seen.has(profile)) return;
      seen.add(profile);
      found.push({ self, ...this.profiles[direction][profile] });
    });
    return found;
  }

  /**
   * What a rule matches between the subject's class `self` and `target` (numbered as in {@link combine}),
   * as an interned id: none when its peers miss the target or it has no usable action.
   */
  ruleConnections(rule: ClusterRuleModel, self: number, target: number): number {
    const where = this.target(target);
    if (!rule.action || !this.ruleMatches(rule, where)) return this.env.table.none;
    const destination = rule.direction === 'ingress' ? self : 'classIndex' in where ? where.classIndex : -1;
    return this.rulePorts(rule, destination);
  }

  /** The number of targets {@link combine} takes: the classes, then the atoms of the direction. */
  targetCount(direction: Direction): number {
    return this.env.classes.length + this.env.atoms[direction].length;
  }

  private target(target: number): ClusterTarget {
    const classCount = this.env.classes.length;
    if (target < 0) return { unknown: true };
    return target < classCount ? { classIndex: target } : { atom: target - classCount };
  }

  /** First match decides, rule by rule in precedence order; optionally records who decided what. */
  private evaluateTier(
    policies: readonly ClusterPolicyModel[],
    direction: Direction,
    self: number,
    target: ClusterTarget,
    record?: ClusterRuleMatch[],
  ): TierOutcome {
    const table = this.env.table;
    let remaining = table.all;
    let allow = table.none;
    let deny = table.none;
    for (const policy of policies) {
      for (const rule of policy[direction]) {
        if (!rule.action || !this.ruleMatches(rule, target)) continue;
        const destination = direction === 'ingress' ? self : 'classIndex' in target ? target.classIndex : -1;
        const decided = table.intersect(this.rulePorts(rule, destination), remaining);
        if (decided === table.none) continue;
        if (rule.action === 'Allow') allow = table.union(allow, decided);
        else if (rule.action === 'Deny') deny = table.union(deny, decided);
        remaining = table.subtract(remaining, decided);
        record?.push({
          policy,
          rule,
          tier: policy.tier,
          action: rule.action,
          connections: table.get(decided),
        });
        if (remaining === table.none) return { allow, deny };
      }
    }
    return { allow, deny };
  }

  private ruleMatches(rule: ClusterRuleModel, target: ClusterTarget): boolean {
    const compiled = this.compiledRule(rule);
    if ('classIndex' in target) return compiled.everyClass || compiled.classes.has(target.classIndex);
    if ('atom' in target) return compiled.everyAtom || compiled.atoms.has(target.atom);
    return compiled.everyAtom;
  }

  private compiledRule(rule: ClusterRuleModel): CompiledClusterRule {
    let compiled = this.compiled.get(rule);
    if (!compiled) {
      compiled = this.compile(rule);
      this.compiled.set(rule, compiled);
    }
    return compiled;
  }

  private compile(rule: ClusterRuleModel): CompiledClusterRule {
    const compiled: CompiledClusterRule = {
      everyClass: false,
      everyAtom: false,
      classes: new Set(),
      atoms: new Set(),
    };
    if (!(rule.ports ?? []).some((p) => p.namedPort !== undefined))
      compiled.fixedPorts = this.rulePorts(rule, -1);
    for (const peer of rule.peers) this.addPeer(compiled, rule, peer);
    return compiled;
  }

  private addPeer(compiled: CompiledClusterRule, rule: ClusterRuleModel, peer: ClusterPeerModel): void {
    if (peer.unrecognised) {
      // Fail closed: a peer this analysis cannot read denies (or passes) everything, and allows nothing.
      if (rule.action !== 'Allow') compiled.everyClass = compiled.everyAtom = true;
      return;
    }
    const fields = [peer.namespaces, peer.pods, peer.networks, peer.unevaluable].filter(
      (f) => f !== undefined,
    );
    if (fields.length !== 1) return; // rejected by the API server (exactly one of)
    if (peer.networks) {
      const partition = this.env.atoms[rule.direction];
      for (const block of peer.networks) {
        const intervals = ipBlockIntervals(block);
        partition.forEach((atom, i) => {
          if (blockContainsAtom(intervals, atom)) compiled.atoms.add(i);
        });
        if (intervals.length > 0 && this.env.networksMatchPods(intervals)) compiled.everyClass = true;
      }
      return;
    }
    if (peer.unevaluable) return; // nodes, domainNames: not evaluable from manifests
    for (const podClass of this.env.classes) {
      if (selectionMatchesClass(peer, podClass)) compiled.classes.add(podClass.index);
    }
  }

  /** The connections a rule's ports allow towards a destination class (-1: an address). */
  private rulePorts(rule: ClusterRuleModel, destination: number): number {
    const table = this.env.table;
    if (rule.ports === null) return table.all;
    const fixed = this.compiled.get(rule)?.fixedPorts;
    if (fixed !== undefined) return fixed;
    let byDestination = this.namedPorts.get(rule);
    const cached = byDestination?.get(destination);
    if (cached !== undefined) return cached;
    // The ranges of every entry, merged once (a union per entry would be quadratic in the entries).
    const ranges: Partial<Record<Protocol, [number, number][]>> = {};
    const add = (protocol: Protocol, from: number, to: number) => (ranges[protocol] ??= []).push([from, to]);
    for (const entry of rule.ports) {
      if (entry.namedPort !== undefined) {
        // Resolved on the destination pod's container ports; an address has none.
        for (const cp of destination < 0 ? [] : this.env.classes[destination].ports) {
          if (cp.name === entry.namedPort && isProtocol(cp.protocol))
            add(cp.protocol as Protocol, cp.containerPort, cp.containerPort);
        }
      } else if (isProtocol(entry.protocol) && entry.port !== undefined) {
        const end = entry.endPort ?? entry.port;
        if (end >= entry.port) add(entry.protocol as Protocol, entry.port, end);
      }
    }
    const id = table.intern(ConnectionSet.fromJSON(ranges));
    if (!byDestination) this.namedPorts.set(rule, (byDestination = new Map()));
    byDestination.set(destination, id);
    return id;
  }

  /** The rules that decide each part of a side, in order (Admin tier, then Baseline unless an NP selects). */
  explain(
    direction: Direction,
    self: number,
    target: number,
    isolatedByNetworkPolicy: boolean,
  ): { admin: ClusterRuleMatch[]; baseline: ClusterRuleMatch[] } {
    const profile = this.profileOf[direction][self];
    if (profile < 0) return { admin: [], baseline: [] };
    const { admin, baseline } = this.profiles[direction][profile];
    const where = this.target(target);
    const adminMatches: ClusterRuleMatch[] = [];
    const baselineMatches: ClusterRuleMatch[] = [];
    const adminOutcome = this.evaluateTier(admin, direction, self, where, adminMatches);
    if (!isolatedByNetworkPolicy) {
      // Baseline rules see only what the Admin tier left undecided.
      const table = this.env.table;
      const undecided = table.get(
        table.subtract(table.subtract(table.all, adminOutcome.allow), adminOutcome.deny),
      );
      const all: ClusterRuleMatch[] = [];
      this.evaluateTier(baseline, direction, self, where, all);
      for (const match of all) {
        const connections = match.connections.intersect(undecided);
        if (!connections.isEmpty()) baselineMatches.push({ ...match, connections });
      }
    }
    return { admin: adminMatches, baseline: baselineMatches };
  }
}
