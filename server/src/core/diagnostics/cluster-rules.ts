// Diagnostics about cluster-scoped policies (AdminNetworkPolicy, BaselineAdminNetworkPolicy,
// ClusterNetworkPolicy) and about policy kinds the engine does not evaluate.
import { UNANALYSED_CODE } from '../cluster/kinds';
import type { DiagnosticRule } from './rule';

export const CLUSTER_RULES: DiagnosticRule[] = [
  {
    code: UNANALYSED_CODE,
    defaultSeverity: 'warning',
    title: 'A policy kind netpol-lens does not evaluate',
    description:
      'CiliumNetworkPolicy, CiliumClusterwideNetworkPolicy, Calico `NetworkPolicy`/`GlobalNetworkPolicy` (`crd.projectcalico.org`, `projectcalico.org/v3`), MultiNetworkPolicy, Antrea policies and unknown versions of `policy.networking.k8s.io` are reported here and left out of every verdict: traffic they deny may be shown as allowed. `can`, `explain`, `reach` (on stderr, or in the `unanalysed` list of the JSON output) and the graph say that such policies exist.',
    bad: `apiVersion: cilium.io/v2
kind: CiliumNetworkPolicy
metadata:
  name: deny-other
  namespace: shop
spec:
  endpointSelector:
    matchLabels:
      app: web
`,
    good: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes: [Ingress]
`,
  },
];
