// Shapes of one policy that once cost (or could cost) more than linear work: a rule with thousands of ports
// and peers, one ipBlock with thousands of excepts, many ipBlocks with excepts, thousands of rules,
// thousands of named ports, two rules of thousands of ports (their coverage), and AdminNetworkPolicy rules
// of thousands of scattered ports (port-range subtraction). Each is checked at 1k and 8k (`ratio` cases of corpus.ts): `check`'s work,
// a hover in the rule and one `can` question must grow about linearly.
//
// Ports × peers: a rule's peers select a set of pods and address ranges, its ports one connection set,
// and the rule allows the product; the engine keeps it as that pair (a class set and one interned
// connection set), so its cost is ports + peers. Only an output that lists every pair with its ports
// (`reach` on such a rule) is ports × peers, because the output itself is that big.
import { createLanguageService } from '../../server/src/core/index';
import type { RatioCase } from './corpus';

const HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: many, namespace: shop}
spec:
  podSelector: {}
`;

const POD = (ports: string) => `---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers:
    - name: web
      image: nginx
      ports:
${ports}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: other, labels: {app: api}}
`;

const address = (i: number) => `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

/** One rule each way with n peers (ipBlocks and selectors) and n ports (numbers and names). */
function portsAndPeers(n: number): string {
  const peers = Array.from({ length: n }, (_, i) =>
    i % 2
      ? `        - ipBlock: {cidr: ${address(i)}.0/24}`
      : `        - podSelector: {matchLabels: {app: a${i}}}`,
  ).join('\n');
  const ports = Array.from({ length: n }, (_, i) =>
    i % 3 ? `        - {port: ${1 + i}}` : `        - {port: p${i}}`,
  ).join('\n');
  return `${HEAD}  ingress:\n    - from:\n${peers}\n      ports:\n${ports}\n  egress:\n    - to:\n${peers}\n      ports:\n${ports}\n${POD('        - {name: p0, containerPort: 8080}')}`;
}

/** One ipBlock with n excepts. */
function oneBlockManyExcepts(n: number): string {
  const excepts = Array.from({ length: n }, (_, i) => `            - ${address(i)}.0/24`).join('\n');
  return `${HEAD}  egress:\n    - to:\n        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n${excepts}\n${POD('        - {containerPort: 80}')}`;
}

/** n/8 ipBlocks with 8 excepts each. */
function manyBlocksWithExcepts(n: number): string {
  const blocks = Array.from({ length: n / 8 }, (_, b) => {
    const net = `${10 + (b >> 8)}.${b & 255}`;
    const excepts = Array.from({ length: 8 }, (_, k) => `${net}.${k * 16}.0/20`).join(', ');
    return `        - ipBlock: {cidr: ${net}.0.0/16, except: [${excepts}]}`;
  }).join('\n');
  return `${HEAD}  ingress:\n    - from:\n${blocks}\n${POD('        - {containerPort: 80}')}`;
}

/** n rules of one peer and one port each. */
function manyRules(n: number): string {
  const rules = Array.from({ length: n }, (_, i) =>
    i % 2
      ? `    - {from: [{podSelector: {matchLabels: {app: a${i}}}}], ports: [{port: ${1 + (i % 60000)}}]}`
      : `    - {from: [{ipBlock: {cidr: ${address(i)}.0/24}}], ports: [{port: ${1 + (i % 60000)}, protocol: UDP}]}`,
  ).join('\n');
  return `${HEAD}  ingress:\n${rules}\n${POD('        - {containerPort: 80}')}`;
}

/** A rule with n named ports, and the pod defining them. */
function manyNamedPorts(n: number): string {
  const entries = Array.from({ length: n }, (_, i) => `        - {port: name-${i}}`).join('\n');
  const container = Array.from(
    { length: n },
    (_, i) => `        - {name: name-${i}, containerPort: ${1 + (i % 65000)}}`,
  ).join('\n');
  return `${HEAD}  ingress:\n    - ports:\n${entries}\n${POD(container)}`;
}

/**
 * Two rules of n ports (numbers, ranges, names) each, the second allowing all of the first's and more:
 * `netpol.redundant-rule` compares their ports (every port of one against the other's set).
 */
function twoRulesManyPorts(n: number): string {
  const ports = (count: number) =>
    Array.from({ length: count }, (_, i) =>
      i % 5 === 0
        ? `        - {port: p${i}}`
        : i % 2
          ? `        - {port: ${2 + 2 * i}}`
          : `        - {port: ${2 + 2 * i}, endPort: ${2 + 2 * i}}`,
    ).join('\n');
  const rule = (count: number) =>
    `    - from: [{podSelector: {matchLabels: {app: api}}}]\n      ports:\n${ports(count)}`;
  return `${HEAD}  ingress:\n${rule(n)}\n${rule(n + 1)}\n${POD('        - {name: p0, containerPort: 8080}')}`;
}

/**
 * An AdminNetworkPolicy rule of n scattered ports (every other port): what it leaves undecided is every
 * port minus n ranges, a subtraction of port ranges on every connection it matches.
 */
function adminManyPorts(n: number): string {
  const ports = Array.from(
    { length: n },
    (_, i) => `        - portNumber: {port: ${2 + 2 * i}, protocol: TCP}`,
  );
  return `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: many}
spec:
  priority: 10
  subject: {namespaces: {}}
  ingress:
    - name: some
      action: Deny
      from: [{namespaces: {}}]
      ports:
${ports.join('\n')}
    - name: rest
      action: Allow
      from: [{namespaces: {}}]
      ports:
${ports.map((p) => p.replace(/port: (\d+)/, (_, x: string) => `port: ${Number(x) + 1}`)).join('\n')}
${POD('        - {containerPort: 80}')}`;
}

/** `check`, a hover on the rule's last peer or port, and one question: the work of a user on the file. */
function useFile(text: string, hoverAt: string): void {
  const uri = 'file:///hostile/scaling/p.yaml';
  const service = createLanguageService();
  service.setFile(uri, text);
  service.allDiagnostics();
  service.hover(uri, text.lastIndexOf(hoverAt) + 1);
  service.canReach('other/api', 'shop/web', { protocol: 'TCP', port: 80 });
  // A keystroke: the file again, one character changed.
  service.setFile(uri, text.replace('name: many', 'name: manz'));
  service.diagnostics(uri);
}

const ratio = (name: string, what: string, text: (n: number) => string, hoverAt: string): RatioCase => ({
  kind: 'ratio',
  name,
  what: `${what}: check, a hover, a question and a keystroke grow about linearly (1k vs 8k)`,
  text,
  sizes: [1000, 8000],
  run: (t) => useFile(t, hoverAt),
  bound: 3,
});

export const SCALING_CASES: RatioCase[] = [
  ratio('ports-and-peers', 'a rule with n ports and n peers, each way', portsAndPeers, 'ipBlock'),
  ratio('one-block-many-excepts', 'one ipBlock with n excepts', oneBlockManyExcepts, '10.'),
  ratio('many-blocks-with-excepts', 'n/8 ipBlocks with 8 excepts each', manyBlocksWithExcepts, 'ipBlock'),
  ratio('many-rules', 'n rules of one peer and one port', manyRules, 'from:'),
  ratio('many-named-ports', 'a rule with n named ports, a pod defining them', manyNamedPorts, 'name-'),
  ratio('two-rules-many-ports', 'two rules of n ports, one covering the other', twoRulesManyPorts, 'port:'),
  ratio('admin-many-ports', 'AdminNetworkPolicy rules of n scattered ports', adminManyPorts, 'port:'),
];
