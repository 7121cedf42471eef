// The shape of one diagnostic check: its stable code, its documentation and its check function.
import type { Analysis } from '../index';
import type { AnalysisOptions, Problem, Range, Severity } from '../types';

export type SeveritySetting = Severity | 'off';

export interface DiagnosticRule {
  /** Stable code, `netpol.<kebab-case>`. */
  code: string;
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
   * Reports problems for the analysis. Rules whose problems are produced elsewhere (the parser, the
   * model) omit it and exist for their documentation.
   */
  check?(context: CheckContext): void;
}

export interface CheckContext {
  analysis: Analysis;
  report(problem: { uri: string; range: Range; message: string; data?: Record<string, unknown> }): void;
}

export type Diagnostic = Problem;
