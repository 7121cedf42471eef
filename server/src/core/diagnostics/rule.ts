// The shape of one diagnostic check: its stable code, its documentation and its check function.
import type { Analysis } from '../index';
import type { DiagnosticCode } from '../codes';
import type { AnalysisOptions, PolicyModel, Problem, Range, Severity } from '../types';

export type SeveritySetting = Severity | 'off';

export interface DiagnosticRule {
  /** Stable code, `netpol.<kebab-case>`, from codes.ts. */
  code: DiagnosticCode;
  defaultSeverity: SeveritySetting;
  /** One line, shown as the heading in docs/diagnostics.md. */
  title: string;
  /** Why it matters, in a few sentences (markdown, no HTML). */
  description: string;
  /** A workspace (one YAML multi-document text) that triggers this diagnostic. */
  bad: string;
  /** The same workspace corrected; must not trigger this diagnostic. */
  good: string;
  /** Analysis options both examples are checked with (e.g. a pod network), when the rule needs them. */
  exampleOptions?: Partial<AnalysisOptions>;
  /**
   * A rule about the comparison with a base: the workspace (one YAML multi-document text) as the base
   * holds it; both examples are compared with it.
   */
  exampleBase?: string;
  /**
   * 'file' when the findings for a file depend on that file alone (its objects and its own problems), so
   * the language service can compute them once per version of the file; 'policy' when the findings for a
   * NetworkPolicy depend on that policy, its file and the analysis options alone (never on other policies,
   * namespaces or workloads), so they can be kept per policy object, which lives as long as its file's
   * text; by default the whole workspace.
   */
  scope?: 'file' | 'policy' | 'workspace';
  /**
   * A workspace rule that reports only on the NetworkPolicies of `context.policies`, each judged from
   * that policy against the whole workspace: run for some of them, it finds exactly what a run for all
   * finds on those. The language server uses it to publish an edited file's diagnostics before the rest.
   */
  reportsPerPolicy?: boolean;
  /**
   * Reports problems for the analysis. Rules whose problems are produced elsewhere (the parser, the
   * model) omit it and exist for their documentation.
   */
  check?(context: CheckContext): void;
}

export interface CheckContext {
  analysis: Analysis;
  /**
   * The policies a `reportsPerPolicy` rule reports on: all of `analysis.model.policies` unless the caller
   * asks for the diagnostics of some files only. Other policies are still read from the analysis.
   */
  policies: readonly PolicyModel[];
  report(problem: { uri: string; range: Range; message: string; data?: Record<string, unknown> }): void;
}

export type Diagnostic = Problem;

/** A located finding of a validation pass, before the rule of its code gives it a severity. */
export interface Finding {
  code: DiagnosticCode;
  uri: string;
  range: Range;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * The rule maker for the codes of one validation pass that finds every rejection of a file at once
 * (what kube-apiserver rejects): each rule is an error that reports the pass's findings of its code.
 * `consequence` ends every description.
 */
export function rejectionRules(findings: (analysis: Analysis) => readonly Finding[], consequence: string) {
  return (
    code: DiagnosticCode,
    title: string,
    description: string,
    bad: string,
    good: string,
  ): DiagnosticRule => ({
    code,
    defaultSeverity: 'error',
    title,
    description: `${description} ${consequence}`,
    bad,
    good,
    scope: 'file',
    check({ analysis, report }) {
      for (const { code: found, uri, range, message, data } of findings(analysis)) {
        if (found === code) report({ uri, range, message, ...(data ? { data } : {}) });
      }
    },
  });
}
