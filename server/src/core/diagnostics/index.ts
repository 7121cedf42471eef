// All diagnostics: the problems the parser and model report, plus every rule's checks, with the
// user's severity settings applied.
import type { Analysis } from '../index';
import { sortProblems } from '../analysis';
import { displayText } from '../display';
import type { PolicyModel, Problem } from '../types';
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

export type PolicyFindings = WeakMap<PolicyModel, Map<string, Problem[]>>;

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
  let cachedFindings: Map<string, Problem[]>[] | undefined;
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
    if (rule.scope === 'policy' && options.policyFindings) {
      // A 'policy' rule's findings for one policy: kept from an earlier analysis, or computed on a view
      // of the workspace that holds that policy alone.
      const cached = findingsOf(options.policyFindings);
      for (let i = 0; i < policies.length; i++) {
        const byRule = cached[i];
        let found = byRule.get(rule.code);
        if (!found) {
          into = found = [];
          const view = viewOf(policies[i]);
          run(view, view.model.policies);
          into = result;
          byRule.set(rule.code, found);
        }
        for (let f = 0; f < found.length; f++) result.push(found[f]);
      }
    } else {
      run(analysis, rule.reportsPerPolicy ? policies : allPolicies);
    }
  }
  return sortProblems(result);
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
