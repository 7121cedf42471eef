// netpol.service-port: allow the pods' port (the Service's targetPort) instead of the Service's port.
import { CODES } from '../codes';
import { isMap, isScalar } from 'yaml';
import { valueOf } from '../diagnostics/lint-yaml';
import type { Fix, QuickFixProvider } from './fix';
import { editFile, problemPath, replaceScalar } from './fix-yaml';

export const SERVICE_PORT_FIXES: QuickFixProvider = {
  codes: [CODES.servicePort],
  fixes(analysis, problem): Fix[] {
    const target = problem.data?.targetPort;
    const f = editFile(analysis, problem.uri);
    if (!f || (typeof target !== 'number' && typeof target !== 'string')) return [];
    const [entry, port] = problemPath(f, problem).slice(-2);
    if (!isMap(entry) || !isScalar(port) || valueOf(entry, 'port') !== port) return [];
    const edits = [replaceScalar(f, port, target)];
    // An endPort equal to the old port would now be below the new one.
    const endPort = valueOf(entry, 'endPort');
    if (isScalar(endPort)) {
      if (typeof target !== 'number') return [];
      edits.push(replaceScalar(f, endPort, target));
    }
    if (edits.some((e) => !e)) return [];
    return [
      {
        title: `Use the pods' port ${target} (targetPort of ${String(problem.data?.service)})`,
        edits: edits.map((e) => e!),
        isPreferred: true,
      },
    ];
  },
};
