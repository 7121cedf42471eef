// Code lenses: one line of counts over each policy and each workload.
import { tierWords } from '../cluster/describe';
import type { ClusterPolicyModel } from '../cluster/types';
import type { Analysis } from '../index';
import type { PolicyModel, Range, RuleModel, Direction, WorkloadModel } from '../types';
import { expectationLenses } from './expectations';
import { workloadLocations, type Location } from './navigation';
import { policiesSelecting } from './workload-summary';

export interface PolicyRef {
  namespace: string;
  name: string;
  uri: string;
  range: Range;
}

export interface CodeLens {
  range: Range;
  title: string;
  /** Plain JSON for a command, e.g. the policies to list. */
  data?: { policies?: PolicyRef[]; workloads?: string[] };
  /** A workload lens: the workload's id, for "Show in Graph". */
  workload?: string;
  /**
   * What a click on the lens peeks, like a references lens: the definitions of the selected workloads
   * (policy lens) or the names of the policies selecting the workload (workload lens).
   */
  locations: Location[];
}

/** Policies looked at by workload lenses (for tests that bound the work as the input grows). */
export const lensWork = { policies: 0 };

/** "no workload", "1 workload", "2 workloads". */
function plural(count: number, noun: string, nouns = `${noun}s`): string {
  if (count === 0) return `no ${noun}`;
  return `${count} ${count === 1 ? noun : nouns}`;
}

/** "2 workloads and 1 ipBlock": the non-zero counts, joined. */
function counts(parts: [number, string, string?][]): string {
  return parts
    .filter(([count]) => count > 0)
    .map(([count, noun, nouns]) => plural(count, noun, nouns))
    .join(' and ');
}

export function policyRef(policy: PolicyModel): PolicyRef {
  return {
    namespace: policy.namespace,
    name: policy.name,
    uri: policy.uri,
    range: policy.nameRange ?? policy.range,
  };
}

/**
 * How many workloads the policy's rules of one direction match, or 'all' when a rule matches everything:
 * counted over the engine's shared selections, since a lens over each policy of a large file listing the
 * workloads its rules reach grew with the square of the file.
 */
function ruleWorkloadCount(analysis: Analysis, policy: PolicyModel, direction: Direction): number | 'all' {
  const rules: RuleModel[] = policy[direction];
  if (rules.some((r) => r.peers === null || r.peers.length === 0)) return 'all';
  return analysis.reachability.peersWorkloadCount(
    policy,
    rules.flatMap((r) => r.peers ?? []),
  );
}

/**
 * What one direction of a policy lets in or out: "ingress: deny all", "ingress from anywhere", or the
 * workloads its peers match and the ipBlocks it names (an ipBlock counts once, however many address
 * ranges its `except` cuts it into).
 */
function directionText(analysis: Analysis, policy: PolicyModel, direction: Direction): string {
  const preposition = direction === 'ingress' ? 'from' : 'to';
  if (!policy.affects[direction]) return `${direction} unchanged`;
  if (policy[direction].length === 0) return `${direction}: deny all`;
  const workloads = ruleWorkloadCount(analysis, policy, direction);
  if (workloads === 'all') return `${direction} ${preposition} anywhere`;
  const ipBlocks = new Set(
    policy[direction]
      .flatMap((r) => r.peers ?? [])
      .flatMap((p) => (p.ipBlock ? [ipBlockKey(p.ipBlock)] : [])),
  ).size;
  const what = counts([
    [workloads, 'workload'],
    [ipBlocks, 'ipBlock'],
  ]);
  return `${direction} ${preposition} ${what || 'nothing (no peer matches)'}`;
}

function ipBlockKey(block: { cidr: string; except: readonly string[] }): string {
  return [block.cidr, ...block.except].join(' ');
}

/** "1 workload", "3 inferred pods" (a folder of policies alone), "2 workloads and 1 inferred pod". */
function selectedText(selected: readonly WorkloadModel[]): string {
  const inferred = selected.filter((w) => w.inferred).length;
  const what = counts([
    [selected.length - inferred, 'workload'],
    [inferred, 'inferred pod'],
  ]);
  return `selects ${what || 'no workload'}`;
}

export function policyLens(analysis: Analysis, policy: PolicyModel): CodeLens {
  const selected = analysis.reachability.selectedWorkloads(policy);
  const title = [
    selectedText(selected),
    directionText(analysis, policy, 'ingress'),
    directionText(analysis, policy, 'egress'),
  ].join(' · ');
  return {
    range: policy.range,
    title,
    data: { workloads: selected.map((w) => w.id) },
    locations: workloadLocations(analysis, selected),
  };
}

export function workloadLens(analysis: Analysis, workload: WorkloadModel, range: Range): CodeLens {
  const policies = policiesSelecting(analysis, workload);
  lensWork.policies += policies.length;
  const state = (direction: Direction) =>
    `${direction}: ${policies.some((p) => p.affects[direction]) ? 'isolated' : 'open'}`;
  const title = [
    `selected by ${plural(policies.length, 'policy', 'policies')}`,
    state('ingress'),
    state('egress'),
  ].join(' · ');
  const refs = policies.map(policyRef);
  return {
    range,
    title,
    data: { policies: refs },
    locations: refs.map(({ uri, range }) => ({ uri, range })),
    workload: workload.id,
  };
}

/** "Admin tier, priority 10 · subject: 2 workloads · 1 ingress rule · 0 egress rules". */
export function clusterPolicyLens(analysis: Analysis, policy: ClusterPolicyModel): CodeLens {
  const selected = policy.subject ? analysis.reachability.selectionWorkloads(policy.subject) : [];
  const title = [
    tierWords(policy),
    `subject: ${plural(selected.length, 'workload')}`,
    plural(policy.ingress.length, 'ingress rule'),
    plural(policy.egress.length, 'egress rule'),
  ].join(' · ');
  return {
    range: policy.range,
    title,
    data: { workloads: selected.map((w) => w.id) },
    locations: workloadLocations(analysis, selected),
  };
}

/** Lenses for the policies, workloads and expectations written in one file, in document order. */
export function codeLenses(analysis: Analysis, uri: string): CodeLens[] {
  const policies = [
    ...analysis.model.policies.filter((p) => p.uri === uri).map((p) => policyLens(analysis, p)),
    ...analysis.model.clusterPolicies.filter((p) => p.uri === uri).map((p) => clusterPolicyLens(analysis, p)),
  ];
  const workloads = analysis.model.workloads.flatMap((w) =>
    w.source?.uri === uri ? [workloadLens(analysis, w, w.source.range)] : [],
  );
  return [...policies, ...workloads, ...expectationLenses(analysis, uri)].sort(
    (a, b) => a.range.start.offset - b.range.start.offset,
  );
}
