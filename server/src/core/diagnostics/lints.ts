import type { DiagnosticRule } from './rule';

export const LINT_RULES: DiagnosticRule[] = [];
