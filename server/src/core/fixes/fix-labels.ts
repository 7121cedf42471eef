// netpol.namespace-label-missing: select the namespace by the label Kubernetes sets on every namespace.
import { CODES } from '../codes';
import type { Fix, QuickFixProvider } from './fix';
import { editFile, problemPath, replaceScalar } from './fix-yaml';

export const NAMESPACE_LABEL_FIXES: QuickFixProvider = {
  codes: [CODES.namespaceLabelMissing],
  fixes(analysis, problem): Fix[] {
    const { key, value, replacementKey } = problem.data ?? {};
    const f = editFile(analysis, problem.uri);
    if (!f || typeof replacementKey !== 'string') return [];
    const node = problemPath(f, problem).pop();
    const edit = node && replaceScalar(f, node, replacementKey);
    if (!edit || f.text.slice(edit.range.start.offset, edit.range.end.offset).replace(/["']/g, '') !== key)
      return [];
    return [{ title: `Use ${replacementKey}: ${String(value)}`, edits: [edit], isPreferred: true }];
  },
};
