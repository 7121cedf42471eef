// Core data → LSP data.
import { DiagnosticSeverity, type Diagnostic, type Range as LspRange } from 'vscode-languageserver/node';
import { diagnosticAnchor } from '../core/diagnostics/docs';
import type { Problem, Range, Severity } from '../core/index';

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DOCS_URL = 'https://github.com/netpol-lens/netpol-lens/blob/main/docs/diagnostics.md';

export function toLspRange(range: Range): LspRange {
  return {
    start: { line: range.start.line, character: range.start.character },
    end: { line: range.end.line, character: range.end.character },
  };
}

export function toDiagnostic(problem: Problem): Diagnostic {
  return {
    range: toLspRange(problem.range),
    severity: SEVERITIES[problem.severity],
    code: problem.code,
    codeDescription: { href: `${DOCS_URL}#${diagnosticAnchor(problem.code)}` },
    source: 'netpol-lens',
    message: problem.message,
    data: problem.data,
  };
}
