// netpol.missing-namespace: write the namespace the policy is analysed in.
import { CODES } from '../codes';
import { policyNode } from '../diagnostics/lint-yaml';
import type { Fix, QuickFixProvider } from './fix';
import { addPair, editFile, policyAt } from './fix-yaml';

export const NAMESPACE_FIXES: QuickFixProvider = {
  codes: [CODES.missingNamespace],
  fixes(analysis, problem): Fix[] {
    const namespace = problem.data?.namespace ?? analysis.options.defaultNamespace;
    const policy = policyAt(analysis, problem);
    const f = editFile(analysis, problem.uri);
    const located = policy && policyNode(analysis, policy);
    if (!f || !located?.metadata || typeof namespace !== 'string') return [];
    const edit = addPair(f, located.metadata, 'namespace', namespace, 'name');
    return edit ? [{ title: `Add metadata.namespace: ${namespace}`, edits: [edit], isPreferred: true }] : [];
  },
};
