// Rules, peers and ports that are not mappings (`ingress: [5, "x", null, [..]]`, a peer that is a list):
// the API server rejects them. Each must be a located error, leave the direction it is in unknown (or
// denied), never "allow all", and no feature may throw on it (test/unit/hostile-features.test.ts runs
// every one; the corpus runs `check` and `can` on each).

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec: {containers: [{name: c, image: x, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: other, labels: {app: api}}
`;

export interface NonMappingCase {
  name: string;
  what: string;
  policy: string;
  /** 1-based line of the first non-mapping item (its `netpol.type` error). */
  line: number;
  /** A connection the broken part could decide: it must be unknown, never allowed. */
  from: string;
  to: string;
}

const NP_HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
`;

const ANP_HEAD = `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: admin}
spec:
  priority: 10
  subject: {namespaces: {matchLabels: {kubernetes.io/metadata.name: shop}}}
`;

export const NON_MAPPING_CASES: NonMappingCase[] = [
  {
    name: 'ingress-scalars',
    what: 'ingress rules that are a number, a string, null and a list',
    policy: `${NP_HEAD}  policyTypes: [Ingress]\n  ingress: [5, "x", null, [{from: []}]]\n`,
    line: 7,
    from: 'other/api',
    to: 'shop/web',
  },
  {
    name: 'egress-peer-list',
    what: 'an egress peer that is a list of peers, then a number and null',
    policy: `${NP_HEAD}  policyTypes: [Egress]\n  egress:\n    - to: [[{podSelector: {}}], 7, null]\n`,
    line: 8,
    from: 'shop/web',
    to: 'other/api',
  },
  {
    name: 'ingress-peer-null',
    what: 'an ingress peer that is null beside a good one (a null peer is no "everywhere")',
    policy: `${NP_HEAD}  policyTypes: [Ingress]\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: client}}}, null]\n`,
    line: 8,
    from: 'other/api',
    to: 'shop/web',
  },
  {
    name: 'ports-not-mappings',
    what: 'ports that are a number, null and a list',
    policy: `${NP_HEAD}  policyTypes: [Ingress]\n  ingress:\n    - from: [{podSelector: {}}]\n      ports: [80, null, [{port: 80}]]\n`,
    line: 9,
    from: 'shop/client',
    to: 'shop/web',
  },
  {
    name: 'rules-a-mapping',
    what: 'ingress that is a mapping, not a list of rules',
    policy: `${NP_HEAD}  policyTypes: [Ingress]\n  ingress: {from: [{podSelector: {}}]}\n`,
    line: 7,
    from: 'other/api',
    to: 'shop/web',
  },
  {
    name: 'except-not-strings',
    what: 'an ipBlock except that holds a mapping and a list',
    policy: `${NP_HEAD}  policyTypes: [Ingress]\n  ingress:\n    - from: [{ipBlock: {cidr: 10.0.0.0/8, except: [{a: 1}, [10.1.0.0/16]]}}]\n`,
    line: 8,
    from: '10.1.0.5',
    to: 'shop/web',
  },
  {
    name: 'admin-rules-scalars',
    what: 'AdminNetworkPolicy ingress rules and peers that are not mappings',
    policy: `${ANP_HEAD}  ingress: [5, null, {name: r, action: Deny, from: [[{namespaces: {}}], 3]}]\n`,
    line: 7,
    from: 'other/api',
    to: 'shop/web',
  },
];

export function nonMappingFiles(c: NonMappingCase): Record<string, string> {
  return { 'pods.yaml': PODS, 'pol.yaml': c.policy };
}
