import type { DiagnosticRule } from './rule';

export const SCHEMA_RULES: DiagnosticRule[] = [];
