// All diagnostics: the problems the parser and model report, plus every rule's checks, with the
// user's severity settings applied.
import type { Analysis } from '../index';
import { sortProblems } from '../analysis';
import { displayText } from '../display';
import { endOffsetOf, startOffsetOf } from '../text';
import type { PolicyModel, Problem, Range } from '../types';
import { API_SERVER_RULES } from './api-server';
import { CLUSTER_RULES } from './cluster-rules';
import { COMPARISON_RULES } from './comparison';
import { CORE_RULES } from './core-rules';
import { EXPECTATION_RULES } from './expectations';
import { LINT_RULES } from './lints';
import type { CheckContext, DiagnosticRule, SeveritySetting } from './rule';
import { SCHEMA_RULES } from './schema';

export type { DiagnosticRule, SeveritySetting, CheckContext } from './rule';

export const RULES: readonly DiagnosticRule[] = [
  ...CORE_RULES,
  ...SCHEMA_RULES,
  ...API_SERVER_RULES,
  ...LINT_RULES,
  ...CLUSTER_RULES,
  ...EXPECTATION_RULES,
  ...COMPARISON_RULES,
];

/** The rules that run over the whole workspace ('workspace' and 'policy' scope), in the order they run. */
export const WORKSPACE_RULE_CODES: readonly string[] = RULES.filter(
  (rule) => rule.check && rule.scope !== 'file',
).map((rule) => rule.code);

const RULES_BY_CODE = new Map<string, DiagnosticRule>(RULES.map((r) => [r.code, r]));

export function ruleFor(code: string): DiagnosticRule | undefined {
  return RULES_BY_CODE.get(code);
}

export interface DiagnosticsOptions {
  /** Per-code severity overrides; 'off' silences a code. */
  severities?: Readonly<Record<string, SeveritySetting>>;
  /** Called when a rule throws; the other rules still run. */
  onRuleError?: (code: string, error: unknown) => void;
  /**
   * Only the rules of this scope ('workspace' also takes the analysis' own problems and the 'policy'
   * rules); by default all. The language service computes the 'file' rules per file version and the rest
   * per workspace change.
   */
  scope?: 'file' | 'workspace';
  /**
   * Findings of the 'policy' rules per policy object, kept from earlier analyses and filled here. Only
   * valid for one set of severities and analysis options: the caller starts a new one when they change.
   */
  policyFindings?: PolicyFindings;
  /**
   * Only the diagnostics of these files, exactly as the run for all files has them there: the rules that
   * report per policy run for the files' policies alone, the others run in full and are filtered.
   */
  uris?: ReadonlySet<string>;
  /**
   * Only the rules whose code this accepts (by default every rule), and with `ownProblems: false` without
   * the analysis' own problems: for a host that shares the rules between two threads.
   */
  rules?: (code: string) => boolean;
  ownProblems?: boolean;
}

export type PolicyFindings = WeakMap<PolicyModel, Map<string, readonly Problem[]>>;

/** What the findings cache keeps for a rule that found nothing in a policy: one list for all of them. */
const NO_FINDINGS: readonly Problem[] = Object.freeze([]);

/** Every diagnostic for the analysed workspace, sorted by uri and position. */
export function computeDiagnostics(analysis: Analysis, options: DiagnosticsOptions = {}): Problem[] {
  const severities = options.severities ?? {};
  const severityOf = (code: string): SeveritySetting =>
    severities[code] ?? RULES_BY_CODE.get(code)?.defaultSeverity ?? 'error';
  const { scope, uris } = options;
  const wanted = (p: { uri: string }) => !uris || uris.has(p.uri);
  const own = uris ? analysis.problems.filter(wanted) : analysis.problems;
  const result = scope === 'file' || options.ownProblems === false ? [] : withSeverities(own, severities);
  const allPolicies = analysis.model.policies;
  const policies = uris ? allPolicies.filter(wanted) : allPolicies;
  // The workspace as a 'policy' rule sees it for one policy: one view per policy, shared by those rules.
  const views = new Map<PolicyModel, Analysis>();
  const viewOf = (policy: PolicyModel): Analysis => {
    let view = views.get(policy);
    if (!view) views.set(policy, (view = { ...analysis, model: { ...analysis.model, policies: [policy] } }));
    return view;
  };
  // Each policy's findings by rule, looked up once per policy for all of the 'policy' rules.
  let cachedFindings: Map<string, readonly Problem[]>[] | undefined;
  const findingsOf = (cache: PolicyFindings) =>
    (cachedFindings ??= policies.map((policy) => {
      let byRule = cache.get(policy);
      if (!byRule) cache.set(policy, (byRule = new Map()));
      return byRule;
    }));
  for (const rule of RULES) {
    if (!rule.check) continue;
    const ruleScope = rule.scope === 'policy' ? 'workspace' : (rule.scope ?? 'workspace');
    if (scope !== undefined && ruleScope !== scope) continue;
    if (options.rules && !options.rules(rule.code)) continue;
    const severity = severityOf(rule.code);
    if (severity === 'off') continue;
    // Where the rule's reports go: the result, or the findings of one policy being computed.
    let into = result;
    const context: CheckContext = {
      analysis,
      policies: allPolicies,
      report: (p) => {
        if (wanted(p)) into.push({ ...p, message: displayText(p.message), code: rule.code, severity });
      },
    };
    const run = (within: Analysis, reportOn: readonly PolicyModel[]) => {
      context.analysis = within;
      context.policies = reportOn;
      try {
        rule.check!(context);
      } catch (error) {
        options.onRuleError?.(rule.code, error);
      }
    };
    /**
     * The rule run once on a view that holds these policies alone, its findings split by policy; undefined
     * when it throws (each policy is then run alone, as the error must be reported for those it concerns).
     */
    const runTogether = (together: PolicyModel[]): Problem[][] | undefined => {
      into = [];
      context.analysis = { ...analysis, model: { ...analysis.model, policies: together } };
      context.policies = together;
      let threw = false;
      try {
        rule.check!(context);
      } catch {
        threw = true;
      }
      const found = into;
      into = result;
      return threw ? undefined : byPolicy(together, found);
    };
    if (rule.scope === 'policy' && options.policyFindings) {
      // A 'policy' rule's findings for one policy: kept from an earlier analysis, or computed afresh.
      const cached = findingsOf(options.policyFindings);
      const missing: number[] = [];
      for (let i = 0; i < policies.length; i++) if (!cached[i].has(rule.code)) missing.push(i);
      // Computed for all of them in one run where each finding can be told its policy (see byPolicy),
      // else on a view of the workspace that holds one policy alone, for each.
      const together = missing.length > 1 ? runTogether(missing.map((i) => policies[i])) : undefined;
      for (let k = 0; k < missing.length; k++) {
        let found = together?.[k];
        if (!found) {
          into = found = [];
          const view = viewOf(policies[missing[k]]);
          run(view, view.model.policies);
          into = result;
        }
        cached[missing[k]].set(rule.code, found.length === 0 ? NO_FINDINGS : found);
      }
      for (let i = 0; i < policies.length; i++) {
        const found = cached[i].get(rule.code)!;
        for (let f = 0; f < found.length; f++) result.push(found[f]);
      }
    } else {
      run(analysis, rule.reportsPerPolicy ? policies : allPolicies);
    }
  }
  return sortProblems(result);
}

/**
 * Findings of a 'policy' rule run over several policies, split by the policy each lies in: a 'policy'
 * rule goes through its policies in order and reports on each one's own text, so these are the findings
 * a run for each policy alone makes, in the same order. Undefined when a finding lies in none of them,
 * or comes before one of an earlier policy: the rule is then run for each policy alone.
 */
function byPolicy(policies: readonly PolicyModel[], found: readonly Problem[]): Problem[][] | undefined {
  const split: Problem[][] = policies.map(() => []);
  if (found.length === 0) return split;
  const files = policyTexts(policies);
  if (!files) return undefined;
  let last = 0;
  for (const problem of found) {
    const owner = ownerOf(files.get(problem.uri), problem.range);
    if (owner === undefined || owner < last) return undefined;
    split[owner].push(problem);
    last = owner;
  }
  return split;
}

/** Per uri, where its policies' texts start and end (ascending, apart) and their indexes. */
interface PolicyTexts {
  starts: number[];
  ends: number[];
  indexes: number[];
}

/** The texts of the policies by uri; undefined unless each file's policies come in text order, apart. */
function policyTexts(policies: readonly PolicyModel[]): Map<string, PolicyTexts> | undefined {
  const files = new Map<string, PolicyTexts>();
  for (let i = 0; i < policies.length; i++) {
    const [start, end] = offsetsOf(policies[i].range);
    let texts = files.get(policies[i].uri);
    if (!texts) files.set(policies[i].uri, (texts = { starts: [], ends: [], indexes: [] }));
    const previousEnd = texts.ends[texts.ends.length - 1];
    if (previousEnd !== undefined && start < previousEnd) return undefined;
    texts.starts.push(start);
    texts.ends.push(end);
    texts.indexes.push(i);
  }
  return files;
}

/** The one policy whose text holds `range`: the last one starting at or before it (a binary search). */
function ownerOf(texts: PolicyTexts | undefined, range: Range): number | undefined {
  if (!texts) return undefined;
  const [start, end] = offsetsOf(range);
  let lo = 0;
  let hi = texts.starts.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (texts.starts[mid] <= start) lo = mid + 1;
    else hi = mid - 1;
  }
  if (hi < 0 || end > texts.ends[hi]) return undefined;
  // Where one policy's text ends as the next begins, a finding there could be either's.
  if (hi > 0 && start <= texts.ends[hi - 1]) return undefined;
  return texts.indexes[hi];
}

function offsetsOf(range: Range): [number, number] {
  return [startOffsetOf(range), endOffsetOf(range)];
}

/** Problems with the severities of the settings (a code set to 'off' is left out), messages for display. */
export function withSeverities(
  problems: readonly Problem[],
  severities: Readonly<Record<string, SeveritySetting>>,
): Problem[] {
  const result: Problem[] = [];
  for (const problem of problems) {
    const severity = severities[problem.code];
    if (severity === 'off') continue;
    // Messages quote the manifests: control characters escaped, long values cut (display.ts).
    result.push({
      ...problem,
      message: displayText(problem.message),
      severity: severity ?? problem.severity,
    });
  }
  return result;
}

const LINT_CODES_OFF: Record<string, SeveritySetting> = Object.fromEntries(
  LINT_RULES.map((r) => [r.code, 'off' as const]),
);

/**
 * What the analysis could not read or use: its own problems plus what the API server would reject (an
 * invalid CIDR allows nothing), without the semantic lints. `reach`, `can` and `explain` print these, so
 * no object drops out of a verdict without a word.
 */
export function inputProblems(
  analysis: Analysis,
  options: Omit<DiagnosticsOptions, 'scope'> = {},
): Problem[] {
  const severities = { ...LINT_CODES_OFF, ...options.severities };
  return computeDiagnostics(analysis, { ...options, severities }).filter(
    (p) => p.severity === 'error' || p.severity === 'warning',
  );
}
