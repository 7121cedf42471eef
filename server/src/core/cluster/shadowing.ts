// Cluster rules that never decide anything: everything they match in the workspace is already decided by
// an earlier rule of the same policy or by a policy of higher precedence (a `Pass` included: it hides the
// rest of its tier). Traced like the evaluation, tier by tier, for every subject profile and every target.
import type { Direction } from '../types';
import type { ClusterTiers } from './evaluate';
import type { ClusterPolicyModel, ClusterRuleModel } from './types';

export interface ShadowedRule {
  policy: ClusterPolicyModel;
  rule: ClusterRuleModel;
  /** The rules that decided what it matches, in precedence order. */
  by: { policy: ClusterPolicyModel; rule: ClusterRuleModel }[];
}

interface Decider {
  policy: ClusterPolicyModel;
  rule: ClusterRuleModel;
  decided: number;
}

interface Trace {
  matched: Map<ClusterRuleModel, ClusterPolicyModel>;
  decidedSomething: Set<ClusterRuleModel>;
  by: Map<ClusterRuleModel, Map<ClusterRuleModel, ClusterPolicyModel>>;
}

/** Runs one tier like the evaluation does, noting who matched, who decided and who took whose traffic. */
function traceTier(
  tiers: ClusterTiers,
  trace: Trace,
  step: { direction: Direction; self: number; target: number },
  policies: readonly ClusterPolicyModel[],
  start: { remaining: number; deciders: Decider[] },
): { remaining: number; passed: number; deciders: Decider[] } {
  const table = tiers.table;
  let remaining = start.remaining;
  let passed = table.none;
  const deciders = [...start.deciders];
  for (const policy of policies) {
    for (const rule of policy[step.direction]) {
      const own = tiers.ruleConnections(rule, step.self, step.target);
      if (own === table.none) continue;
      trace.matched.set(rule, policy);
      const decided = table.intersect(own, remaining);
      if (decided !== table.none) {
        trace.decidedSomething.add(rule);
        deciders.push({ policy, rule, decided });
        remaining = table.subtract(remaining, decided);
        if (rule.action === 'Pass') passed = table.union(passed, decided);
        continue;
      }
      const takenBy = trace.by.get(rule) ?? new Map<ClusterRuleModel, ClusterPolicyModel>();
      for (const d of deciders) {
        if (table.intersect(d.decided, own) !== table.none) takenBy.set(d.rule, d.policy);
      }
      trace.by.set(rule, takenBy);
    }
  }
  return { remaining, passed, deciders };
}

function precedence(policy: ClusterPolicyModel, rule: ClusterRuleModel): (string | number)[] {
  const priority = policy.kind === 'BaselineAdminNetworkPolicy' ? 1001 : (policy.priority ?? 0);
  return [policy.tier === 'Admin' ? 0 : 1, priority, policy.kind, policy.name, rule.direction, rule.index];
}

function byPrecedence(
  a: { policy: ClusterPolicyModel; rule: ClusterRuleModel },
  b: { policy: ClusterPolicyModel; rule: ClusterRuleModel },
): number {
  const x = precedence(a.policy, a.rule);
  const y = precedence(b.policy, b.rule);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/** The rules that match traffic in the workspace but decide none of it. */
export function shadowedRules(tiers: ClusterTiers): ShadowedRule[] {
  const table = tiers.table;
  const trace: Trace = { matched: new Map(), decidedSomething: new Set(), by: new Map() };
  for (const direction of ['ingress', 'egress'] as const) {
    for (const { self, admin, baseline } of tiers.profileRepresentatives(direction)) {
      for (let target = 0; target < tiers.targetCount(direction); target++) {
        const step = { direction, self, target };
        const afterAdmin = traceTier(tiers, trace, step, admin, { remaining: table.all, deciders: [] });
        // Passed traffic goes on to the Baseline tier; what the Admin tier passed decided nothing there.
        const remaining = table.union(afterAdmin.remaining, afterAdmin.passed);
        const deciders = afterAdmin.deciders.filter((d) => d.rule.action !== 'Pass');
        traceTier(tiers, trace, step, baseline, { remaining, deciders });
      }
    }
  }
  const found: ShadowedRule[] = [];
  for (const [rule, policy] of trace.matched) {
    if (trace.decidedSomething.has(rule)) continue;
    const by = [...(trace.by.get(rule) ?? [])].map(([r, p]) => ({ rule: r, policy: p }));
    found.push({ policy, rule, by: by.sort(byPrecedence) });
  }
  return found.sort(byPrecedence);
}
