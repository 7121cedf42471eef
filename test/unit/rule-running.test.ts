// How the rules are run and their problems put together: repeats dropped and the order kept by
// sortProblems, and the DNS rule's blame found once per pod class, with every pod of the class named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sortProblems, type Problem } from '../../server/src/core/index';
import { serviceOf } from '../support/fixtures';

function problem(uri: string, start: number, end: number, code: string, message: string): Problem {
  const at = (offset: number) => ({ line: 0, character: offset, offset });
  return {
    uri,
    code: code as Problem['code'],
    severity: 'warning',
    message,
    range: { start: at(start), end: at(end) },
  };
}

const shown = (problems: Problem[]) =>
  problems.map((p) => `${p.uri} ${p.range.start.offset}-${p.range.end.offset} ${p.code} ${p.message}`);

test('sortProblems drops repeats (the first stays) and sorts by uri, start and code, keeping the input order of ties', () => {
  const problems = [
    problem('b.yaml', 5, 9, 'netpol.b', 'one'),
    problem('a.yaml', 7, 8, 'netpol.a', 'first'),
    problem('a.yaml', 7, 9, 'netpol.a', 'first'), // another end: not a repeat
    problem('a.yaml', 3, 4, 'netpol.z', 'z'),
    problem('a.yaml', 7, 8, 'netpol.a', 'second'),
    problem('b.yaml', 5, 9, 'netpol.b', 'one'), // a repeat, apart from the first
    problem('a.yaml', 7, 8, 'netpol.a', 'first'), // a repeat
    problem('a.yaml', 3, 4, 'netpol.c', 'c'),
  ];
  assert.deepEqual(shown(sortProblems(problems)), [
    'a.yaml 3-4 netpol.c c',
    'a.yaml 3-4 netpol.z z',
    'a.yaml 7-8 netpol.a first',
    'a.yaml 7-9 netpol.a first',
    'a.yaml 7-8 netpol.a second',
    'b.yaml 5-9 netpol.b one',
  ]);
  assert.equal(problems.length, 8, 'the input is left as it was');
});

test('sortProblems drops repeats in a long run of problems at one place too', () => {
  // 40 problems of one code at one start: messages m0…m19, each twice, the second round in reverse.
  const forward = Array.from({ length: 20 }, (_, i) => problem('a.yaml', 0, 1, 'netpol.x', `m${i}`));
  const problems = [...forward, ...forward.map((p) => ({ ...p })).reverse()];
  problems.push(problem('a.yaml', 0, 2, 'netpol.x', 'm3')); // another end
  const sorted = sortProblems(problems);
  assert.deepEqual(
    sorted.map((p) => `${p.range.end.offset} ${p.message}`),
    [...Array.from({ length: 20 }, (_, i) => `1 m${i}`), '2 m3'],
  );
  assert.ok(
    sorted.every((p, i) => i === 20 || p === forward[i]),
    'the first of each stays',
  );
});

/** Five pods of one Deployment's template (one pod class) whose egress allows DNS over UDP only. */
const FIVE_PODS = [
  ...['a', 'b', 'c', 'd', 'e'].map(
    (name) => `apiVersion: v1
kind: Pod
metadata:
  name: web-${name}
  namespace: shop
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx
`,
  ),
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector: {}
      ports:
        - protocol: UDP
          port: 53
`,
  `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: all-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Egress
`,
].join('---\n');

test('DNS blame names every pod of a class, on the rule that allows DNS in part', () => {
  const service = serviceOf([{ uri: 'file:///dns/pods.yaml', text: FIVE_PODS }]);
  const dns = service.allDiagnostics().filter((p) => p.code === 'netpol.dns-egress-missing');
  assert.deepEqual(
    dns.map((p) => p.message),
    [
      // Written down: the five pods share their labels, so one class and one verdict for all of them;
      // the blame goes to the rule that allows UDP alone, not to the policy that isolates them too.
      'spec.egress[0] allows cluster DNS (kube-system/kube-dns) on UDP 53 but not on TCP 53 (for shop/web-a[Pod], shop/web-b[Pod], shop/web-c[Pod], and 2 more): DNS falls back to TCP for large answers, so lookups fail.',
    ],
  );
});

/** Cluster DNS as three pods: two replicas alike (one class) and a third with a label of its own. */
const DNS_PODS = ['a', 'b', 'c']
  .map(
    (name) => `apiVersion: v1
kind: Pod
metadata:
  name: coredns-${name}
  namespace: kube-system
  labels:
    k8s-app: kube-dns${name === 'c' ? '\n    zone: west' : ''}
spec:
  containers:
    - name: coredns
      image: coredns
`,
  )
  .join('---\n');

/** Egress of app=web: UDP 53 to the DNS pods of zone west only, TCP 53 to every DNS pod. */
const SPLIT_DNS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              zone: west
      ports:
        - protocol: UDP
          port: 53
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: TCP
          port: 53
`;

test('DNS is judged on every class of DNS pods together: UDP to one class and TCP to all is enough', () => {
  const web = FIVE_PODS.split('---\n')[0];
  const withBoth = serviceOf([
    { uri: 'file:///dns/split.yaml', text: [DNS_PODS, web, SPLIT_DNS].join('---\n') },
  ]);
  assert.deepEqual(
    withBoth.allDiagnostics().filter((p) => p.code === 'netpol.dns-egress-missing'),
    [],
    'UDP reaches zone west, TCP reaches all: lookups work',
  );
  // Without the TCP rule, only UDP is allowed (and only to zone west): the UDP rule is blamed for TCP.
  const udpOnly = SPLIT_DNS.slice(0, SPLIT_DNS.indexOf('    - to:', SPLIT_DNS.indexOf('port: 53')));
  const without = serviceOf([
    { uri: 'file:///dns/split.yaml', text: [DNS_PODS, web, udpOnly].join('---\n') },
  ]);
  assert.deepEqual(
    without
      .allDiagnostics()
      .filter((p) => p.code === 'netpol.dns-egress-missing')
      .map((p) => p.message),
    [
      'spec.egress[0] allows cluster DNS (kube-system/kube-dns) on UDP 53 but not on TCP 53 (for shop/web-a[Pod]): DNS falls back to TCP for large answers, so lookups fail.',
    ],
  );
});

/** A policy in `namespace` admitting `app: api` pods of its own namespace. */
const ADMIT_API = (namespace: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: ${namespace}
spec:
  podSelector: {}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: api
`;

const WEB_IN_SHOP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
`;

test("a peer of the policy's own namespace is judged by that namespace's workloads, whichever policy comes first", () => {
  // shop has workloads (web, not api): its peer matches nothing. ops has none: its peer is not judged.
  for (const order of [
    ['shop', 'ops'],
    ['ops', 'shop'],
  ]) {
    const text = [WEB_IN_SHOP, ...order.map(ADMIT_API)].join('---\n');
    const service = serviceOf([{ uri: 'file:///peers/policies.yaml', text }]);
    const found = service
      .allDiagnostics()
      .filter((p) => p.code === 'netpol.peer-matches-nothing')
      .map((p) => p.message);
    assert.deepEqual(found, [
      'spec.ingress[0].from[0]: podSelector app=api matches no pod in namespace shop, so this peer allows nothing.',
    ]);
  }
});

/** A policy admitting `app: api` pods of its own namespace twice: without namespaceSelector, and by name. */
const API_TWICE = (namespace: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: ${namespace}
spec:
  podSelector: {}
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app: api
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: ${namespace}
          podSelector:
            matchLabels:
              app: api
`;

test("a peer naming the policy's own namespace is redundant next to one without namespaceSelector, in each namespace", () => {
  const text = ['shop', 'ops', 'shop-2'].map(API_TWICE).join('---\n');
  const service = serviceOf([{ uri: 'file:///peers/twice.yaml', text }]);
  const found = service
    .allDiagnostics()
    .filter((p) => p.code === 'netpol.redundant-peer')
    .map((p) => `${p.range.start.line + 1}: ${p.message}`);
  // Written down: in each policy the second peer (the `- namespaceSelector` lines 13, 32 and 51: each
  // document is 18 lines and a `---`) is covered by the first, in that policy's own namespace.
  assert.deepEqual(
    found,
    [
      [13, 'shop'],
      [32, 'ops'],
      [51, 'shop-2'],
    ].map(
      ([line, ns]) =>
        `${line}: spec.ingress[0].from[1] (pods app=api in namespace ${ns}) is redundant: spec.ingress[0].from[0] (pods app=api in namespace ${ns}) matches everything it matches.`,
    ),
  );
});

/** A policy in its own file whose only ipBlock has an except inside another one (netpol.except-no-op). */
const NO_OP_EXCEPT = (name: string, inner: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - ipBlock:
            cidr: 10.0.0.0/8
            except:
              - 10.1.0.0/16
              - ${inner}
`;

test("a 'policy' rule's findings run for many policies at once are kept with the policy they are in", () => {
  const a = { uri: 'file:///blocks/a.yaml', text: NO_OP_EXCEPT('a', '10.1.2.0/24') };
  const b = { uri: 'file:///blocks/b.yaml', text: NO_OP_EXCEPT('b', '10.1.3.0/24') };
  const service = serviceOf([a, b]);
  const noOps = () =>
    service
      .allDiagnostics()
      .filter((p) => p.code === 'netpol.except-no-op')
      .map((p) => `${p.uri.slice(-6)} ${p.message}`);
  assert.deepEqual(noOps(), [
    'a.yaml spec.egress[0].to[0]: except 10.1.2.0/24 removes nothing: it lies inside except[0] (10.1.0.0/16).',
    'b.yaml spec.egress[0].to[0]: except 10.1.3.0/24 removes nothing: it lies inside except[0] (10.1.0.0/16).',
  ]);
  // b's except no longer lies inside: a's finding is kept from the first run, b's is gone.
  service.setFile(b.uri, NO_OP_EXCEPT('b', '10.2.0.0/24'));
  assert.deepEqual(noOps(), [
    'a.yaml spec.egress[0].to[0]: except 10.1.2.0/24 removes nothing: it lies inside except[0] (10.1.0.0/16).',
  ]);
  service.setFile(a.uri, NO_OP_EXCEPT('a', '10.3.0.0/24'));
  assert.deepEqual(noOps(), []);
});
