import type { DiagnosticRule } from './rule';

export const API_SERVER_RULES: DiagnosticRule[] = [];
