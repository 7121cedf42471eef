import { analyzeFiles } from '../server/src/core/index';
import { computeDiagnostics } from '../server/src/core/diagnostics/index';
import { hover } from '../server/src/core/features/hover';
function text(n: number, withExcept: boolean) {
  const peers = Array.from({ length: n }, (_, i) => `        - ipBlock: {cidr: 10.${(i >> 8) & 255}.${i & 255}.0/24${withExcept ? `, except: [10.${(i >> 8) & 255}.${i & 255}.0/28]` : ''}}`).join('\n');
  return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: a}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n${peers}\n`;
}
for (const ex of [false, true]) for (const n of [1000, 2000, 4000]) {
  const t = text(n, ex);
  const c0 = process.cpuUsage();
  const a = analyzeFiles([{ uri: 'file:///p.yaml', text: t }]);
  const c1 = process.cpuUsage(c0);
  const times: Record<string, number> = {};
  const problems = computeDiagnostics(a, { onRuleTime: undefined } as any);
  const c2 = process.cpuUsage(c0);
  hover(a, 'file:///p.yaml', t.indexOf('ipBlock') + 2);
  const c3 = process.cpuUsage(c0);
  console.log(ex, n, 'analyze', ((c1.user)/1000).toFixed(0), 'diag', ((c2.user - c1.user)/1000).toFixed(0), 'hover', ((c3.user-c2.user)/1000).toFixed(0), problems.length);
}
