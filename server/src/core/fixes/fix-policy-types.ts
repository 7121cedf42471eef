// netpol.rules-ignored, netpol.implicit-ingress-isolation, netpol.empty-egress: write the policyTypes
// the policy needs.
import { CODES } from '../codes';
import { isSeq } from 'yaml';
import { policyNode, valueOf } from '../diagnostics/lint-yaml';
import type { Analysis } from '../index';
import type { Problem } from '../types';
import type { Fix, QuickFixProvider } from './fix';
import { appendToSeq, editFile, policyAt, setValue } from './fix-yaml';

/** Adds `type` to policyTypes, or writes `policyTypes: [types]` when it is absent or empty. */
function policyTypesFix(analysis: Analysis, problem: Problem, types: string[], title: string): Fix[] {
  const policy = policyAt(analysis, problem);
  const f = editFile(analysis, problem.uri);
  const located = policy && policyNode(analysis, policy);
  if (!f || !located?.spec) return [];
  const current = valueOf(located.spec, 'policyTypes');
  const edit =
    isSeq(current) && current.items.length > 0
      ? appendToSeq(f, current, types)
      : setValue(f, located.spec, 'policyTypes', types, 'podSelector');
  return edit ? [{ title, edits: [edit] }] : [];
}

export const POLICY_TYPE_FIXES: QuickFixProvider = {
  codes: [CODES.rulesIgnored, CODES.implicitIngressIsolation, CODES.emptyEgress],
  fixes(analysis, problem): Fix[] {
    const data = problem.data ?? {};
    if (typeof data.add === 'string') {
      const fixes = policyTypesFix(analysis, problem, [data.add], `Add ${data.add} to policyTypes`);
      return fixes.map((fix) => ({ ...fix, isPreferred: true }));
    }
    if (problem.code === CODES.implicitIngressIsolation) {
      return [
        ...policyTypesFix(analysis, problem, ['Egress'], 'Add policyTypes: [Egress] (egress only)').map(
          (fix) => ({
            ...fix,
            isPreferred: true,
          }),
        ),
        ...policyTypesFix(
          analysis,
          problem,
          ['Ingress', 'Egress'],
          'Add policyTypes: [Ingress, Egress] (keep denying ingress)',
        ),
      ];
    }
    if (Array.isArray(data.policyTypes)) {
      const types = data.policyTypes.map(String);
      const fixes = policyTypesFix(analysis, problem, types, `Add policyTypes: [${types.join(', ')}]`);
      return fixes.map((fix) => ({ ...fix, isPreferred: true }));
    }
    return [];
  },
};
