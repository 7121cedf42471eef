// Core data → LSP data.
import { DiagnosticSeverity, type Diagnostic, type Range as LspRange } from 'vscode-languageserver/node';
import { diagnosticAnchor, type Problem, type Range, type Severity } from '../core/index';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toLspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

/** `docsUri`: where docs/diagnostics.md is (the copy shipped next to the server bundle). */
export function toDiagnostic(problem: Problem, docsUri?: string): Diagnostic {
  return {
    range: toLspRange(problem.range),
    severity: SEVERITIES[problem.severity],
    code: problem.code,
    ...(docsUri ? { codeDescription: { href: `${docsUri}#${diagnosticAnchor(problem.code)}` } } : {}),
    source: 'netpol-lens',
    message: problem.message,
    data: problem.data,
  };
}
