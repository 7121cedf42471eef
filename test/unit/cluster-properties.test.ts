// Property-based tests of the cluster-scoped tiers (fast-check), on the e2e model (test/e2e-model/base.yaml):
//   1. an oracle: per pod pair, per (protocol, port), the engine agrees with a reference evaluation written
//      directly from the specification (§1: Admin tier → NetworkPolicy → Baseline tier → allow), working on
//      the generated objects themselves (no model, no classes, no interning);
//   2. the result never depends on the order of the policies in the files, nor on how they are spread
//      over files.
// Deterministic (fixed seed); FC_SEED / FC_SCALE as in properties.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { convertAll } from '../support/convert';
import { analyzeFiles, formatReachability, type PodPeer, type Protocol } from '../../server/src/core/index';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 0x636e70;
const SCALE = Number(process.env.FC_SCALE ?? 1);
const BASE = readFileSync(join(__dirname, '..', 'e2e-model', 'base.yaml'), 'utf8');
const NAMESPACES = ['x', 'y', 'z'];
const PODS = NAMESPACES.flatMap((ns) => ['a', 'b', 'c'].map((pod) => ({ ns, pod })));
const PROBES: [Protocol, number][] = (['TCP', 'UDP', 'SCTP'] as const).flatMap((p) => [
  [p, 80] as [Protocol, number],
  [p, 81] as [Protocol, number],
]);
const OPTIONS = { implicitDns: false, inferPods: false };

type Pod = (typeof PODS)[number];
type Selector = { matchLabels?: Record<string, string> };
type Selection = { namespaces: Selector } | { pods: { namespaceSelector: Selector; podSelector: Selector } };
type Port =
  | { portNumber: { protocol: Protocol; port: number } }
  | { portRange: { protocol: Protocol; start: number; end: number } }
  | { namedPort: string };
interface Rule {
  name: string;
  action: 'Allow' | 'Deny' | 'Pass';
  peers: Selection[];
  ports?: Port[];
}
interface ClusterPolicy {
  kind: 'AdminNetworkPolicy' | 'BaselineAdminNetworkPolicy' | 'ClusterNetworkPolicy';
  tier: 'Admin' | 'Baseline';
  name: string;
  priority: number;
  subject: Selection;
  ingress: Rule[];
  egress: Rule[];
}
interface NetworkPolicy {
  name: string;
  namespace: string;
  pod?: string;
  types: ('Ingress' | 'Egress')[];
  ingress: { from: Selection[]; port?: number }[];
  egress: { to: Selection[]; port?: number }[];
}

// ---------------------------------------------------------------------------------------------
// Generators

const label = (key: string, values: string[]) =>
  fc.option(
    fc.constantFrom(...values).map((v) => ({ matchLabels: { [key]: v } })),
    { nil: {} as Selector },
  );
const nsSelector = label('ns', NAMESPACES);
const podSelector = label('pod', ['a', 'b', 'c']);
const selection: fc.Arbitrary<Selection> = fc.oneof(
  nsSelector.map((namespaces) => ({ namespaces })),
  fc.record({ namespaceSelector: nsSelector, podSelector }).map((pods) => ({ pods })),
);
const protocol = fc.constantFrom<Protocol>('TCP', 'UDP', 'SCTP');
const port: fc.Arbitrary<Port> = fc.oneof(
  fc.record({ protocol, port: fc.constantFrom(80, 81) }).map((portNumber) => ({ portNumber })),
  fc.record({ protocol, start: fc.constant(80), end: fc.constant(81) }).map((portRange) => ({ portRange })),
  fc.constantFrom('serve-80-tcp', 'serve-81-udp', 'missing').map((namedPort) => ({ namedPort })),
);
const rule = (actions: Rule['action'][]) =>
  fc.record({
    name: fc.constantFrom('r1', 'r2', 'r3'),
    action: fc.constantFrom(...actions),
    peers: fc.array(selection, { minLength: 1, maxLength: 2 }),
    ports: fc.option(fc.array(port, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  });
const clusterPolicy: fc.Arbitrary<Omit<ClusterPolicy, 'name' | 'priority'>> = fc
  .constantFrom(
    'AdminNetworkPolicy',
    'ClusterNetworkPolicy',
    'ClusterNetworkPolicy',
    'BaselineAdminNetworkPolicy',
  )
  .chain((kind) =>
    fc.record({
      kind: fc.constant(kind as ClusterPolicy['kind']),
      tier:
        kind === 'AdminNetworkPolicy'
          ? fc.constant('Admin' as const)
          : kind === 'BaselineAdminNetworkPolicy'
            ? fc.constant('Baseline' as const)
            : fc.constantFrom('Admin' as const, 'Baseline' as const),
      subject: selection,
      ingress: fc.array(
        rule(kind === 'BaselineAdminNetworkPolicy' ? ['Allow', 'Deny'] : ['Allow', 'Deny', 'Pass']),
        { maxLength: 2 },
      ),
      egress: fc.array(
        rule(kind === 'BaselineAdminNetworkPolicy' ? ['Allow', 'Deny'] : ['Allow', 'Deny', 'Pass']),
        { maxLength: 2 },
      ),
    }),
  );
const networkPolicy: fc.Arbitrary<Omit<NetworkPolicy, 'name'>> = fc.record({
  namespace: fc.constantFrom(...NAMESPACES),
  pod: fc.option(fc.constantFrom('a', 'b', 'c'), { nil: undefined }),
  types: fc.constantFrom<NetworkPolicy['types'][]>(['Ingress'], ['Egress'], ['Ingress', 'Egress']),
  ingress: fc.array(
    fc.record({
      from: fc.array(selection, { minLength: 1, maxLength: 1 }),
      port: fc.option(fc.constantFrom(80, 81), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
  egress: fc.array(
    fc.record({
      to: fc.array(selection, { minLength: 1, maxLength: 1 }),
      port: fc.option(fc.constantFrom(80, 81), { nil: undefined }),
    }),
    { maxLength: 2 },
  ),
});

/** Distinct priorities per tier (equal ones are undefined behaviour) and at most one BANP, named default. */
const workspace = fc
  .record({
    cluster: fc.array(clusterPolicy, { minLength: 1, maxLength: 4 }),
    priorities: fc.shuffledSubarray([1, 2, 3, 4, 5, 6, 7, 8], { minLength: 8, maxLength: 8 }),
    nps: fc.array(networkPolicy, { maxLength: 2 }),
  })
  .map(({ cluster, priorities, nps }) => {
    let banp = false;
    const policies = cluster.flatMap((p, i): ClusterPolicy[] => {
      if (p.kind === 'BaselineAdminNetworkPolicy') {
        if (banp) return [];
        banp = true;
        // Where both exist, netpol-lens evaluates the BANP after every Baseline ClusterNetworkPolicy.
        return [{ ...p, name: 'default', priority: 1001 }];
      }
      return [{ ...p, name: `p${i}`, priority: priorities[i] * 10 }];
    });
    return { policies, nps: nps.map((np, i) => ({ ...np, name: `np${i}` })) };
  });

// ---------------------------------------------------------------------------------------------
// YAML

function toV1alpha2Port(p: Port): unknown {
  if ('namedPort' in p) return { destinationNamedPort: p.namedPort };
  if ('portNumber' in p)
    return { [p.portNumber.protocol.toLowerCase()]: { destinationPort: { number: p.portNumber.port } } };
  const { protocol, start, end } = p.portRange;
  return { [protocol.toLowerCase()]: { destinationPort: { range: { start, end } } } };
}

function clusterYaml(p: ClusterPolicy): string {
  const v2 = p.kind === 'ClusterNetworkPolicy';
  const rules = (rules: Rule[], peersKey: string) =>
    rules.map((r) => ({
      name: r.name,
      action: v2 && r.action === 'Allow' ? 'Accept' : r.action,
      [peersKey]: r.peers,
      ...(r.ports ? (v2 ? { protocols: r.ports.map(toV1alpha2Port) } : { ports: r.ports }) : {}),
    }));
  const spec: Record<string, unknown> = {
    ...(v2 ? { tier: p.tier } : {}),
    ...(p.kind === 'BaselineAdminNetworkPolicy' ? {} : { priority: p.priority }),
    subject: p.subject,
    ...(p.ingress.length ? { ingress: rules(p.ingress, 'from') } : {}),
    ...(p.egress.length ? { egress: rules(p.egress, 'to') } : {}),
  };
  const apiVersion = `policy.networking.k8s.io/${v2 ? 'v1alpha2' : 'v1alpha1'}`;
  return stringify({ apiVersion, kind: p.kind, metadata: { name: p.name }, spec }, { version: '1.1' });
}

function npPeer(s: Selection): unknown {
  if ('namespaces' in s) return { namespaceSelector: s.namespaces };
  return { namespaceSelector: s.pods.namespaceSelector, podSelector: s.pods.podSelector };
}

function npYaml(np: NetworkPolicy): string {
  const ports = (port?: number) => (port ? { ports: [{ port }] } : {});
  return stringify(
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: np.name, namespace: np.namespace },
      spec: {
        podSelector: np.pod ? { matchLabels: { pod: np.pod } } : {},
        policyTypes: np.types,
        ingress: np.ingress.map((r) => ({ from: r.from.map(npPeer), ...ports(r.port) })),
        egress: np.egress.map((r) => ({ to: r.to.map(npPeer), ...ports(r.port) })),
      },
    },
    { version: '1.1' },
  );
}

// ---------------------------------------------------------------------------------------------
// The reference evaluation

const matches = (s: Selector, labels: Record<string, string>) =>
  Object.entries(s.matchLabels ?? {}).every(([k, v]) => labels[k] === v);

function selects(s: Selection, pod: Pod): boolean {
  const nsLabels = { ns: pod.ns };
  if ('namespaces' in s) return matches(s.namespaces, nsLabels);
  return matches(s.pods.namespaceSelector, nsLabels) && matches(s.pods.podSelector, { pod: pod.pod });
}

/** base.yaml: every pod serves 80 and 81 on each protocol, named serve-<port>-<protocol>. */
function portMatches(ports: Port[] | undefined, proto: Protocol, number: number): boolean {
  if (!ports) return true;
  return ports.some((p) => {
    if ('portNumber' in p) return p.portNumber.protocol === proto && p.portNumber.port === number;
    if ('portRange' in p)
      return p.portRange.protocol === proto && p.portRange.start <= number && number <= p.portRange.end;
    return p.namedPort === `serve-${number}-${proto.toLowerCase()}`;
  });
}

function order(policies: ClusterPolicy[]): ClusterPolicy[] {
  return [...policies].sort((a, b) => a.priority - b.priority);
}

/** First match in the tier: the action, or undefined when nothing matches. */
function tier(
  policies: ClusterPolicy[],
  self: Pod,
  other: Pod,
  dir: 'ingress' | 'egress',
  proto: Protocol,
  n: number,
) {
  for (const p of order(policies)) {
    if (!selects(p.subject, self)) continue;
    for (const r of p[dir]) {
      if (r.peers.some((s) => selects(s, other)) && portMatches(r.ports, proto, n)) return r.action;
    }
  }
  return undefined;
}

function side(
  w: { policies: ClusterPolicy[]; nps: NetworkPolicy[] },
  self: Pod,
  other: Pod,
  dir: 'ingress' | 'egress',
  proto: Protocol,
  n: number,
): boolean {
  const admin = tier(
    w.policies.filter((p) => p.tier === 'Admin'),
    self,
    other,
    dir,
    proto,
    n,
  );
  if (admin === 'Allow') return true;
  if (admin === 'Deny') return false;
  const type = dir === 'ingress' ? 'Ingress' : 'Egress';
  const nps = w.nps.filter(
    (np) => np.namespace === self.ns && (!np.pod || np.pod === self.pod) && np.types.includes(type),
  );
  if (nps.length > 0) {
    // The generated NetworkPolicies use TCP ports only (protocol defaults to TCP).
    return nps.some((np) =>
      (dir === 'ingress'
        ? np.ingress.map((r) => ({ peers: r.from, port: r.port }))
        : np.egress.map((r) => ({ peers: r.to, port: r.port }))
      ).some(
        (r) =>
          r.peers.some((s) => selects(s, other)) &&
          (r.port === undefined || (proto === 'TCP' && r.port === n)),
      ),
    );
  }
  const baseline = tier(
    w.policies.filter((p) => p.tier === 'Baseline'),
    self,
    other,
    dir,
    proto,
    n,
  );
  return baseline !== 'Deny';
}

function yamlOf(w: { policies: ClusterPolicy[]; nps: NetworkPolicy[] }): string[] {
  return [...w.policies.map(clusterYaml), ...w.nps.map(npYaml)];
}

// ---------------------------------------------------------------------------------------------

test('the engine agrees with the reference evaluation of the tiers on every pod pair and port', () => {
  fc.assert(
    fc.property(workspace, (w) => {
      const analysis = analyzeFiles(
        [
          { uri: 'file:///base.yaml', text: BASE },
          { uri: 'file:///policies.yaml', text: yamlOf(w).join('---\n') },
        ],
        OPTIONS,
      );
      const peers = new Map(
        analysis.reachability.peers.filter((p): p is PodPeer => p.kind === 'pod').map((p) => [p.id, p]),
      );
      const peerOf = (pod: Pod) => peers.get(`${pod.ns}/${pod.pod}[Pod]`)!;
      for (const src of PODS) {
        for (const dst of PODS) {
          if (src === dst) continue;
          const connections = analysis.reachability.connections(peerOf(src), peerOf(dst));
          for (const [proto, n] of PROBES) {
            const expected = side(w, src, dst, 'egress', proto, n) && side(w, dst, src, 'ingress', proto, n);
            const actual = connections.contains(proto, n);
            if (actual !== expected) {
              assert.fail(
                `${src.ns}/${src.pod} -> ${dst.ns}/${dst.pod} ${n}/${proto}: reference ${expected}, engine ${actual}\n${yamlOf(w).join('---\n')}`,
              );
            }
          }
        }
      }
    }),
    { seed: SEED, numRuns: Math.max(1, Math.round(150 * SCALE)) },
  );
});

test('the connectivity list does not depend on the order of policies or how they are split into files', () => {
  fc.assert(
    fc.property(
      workspace.chain((w) => {
        const docs = yamlOf(w);
        return fc.record({
          docs: fc.constant(docs),
          shuffled: fc.shuffledSubarray(docs, { minLength: docs.length, maxLength: docs.length }),
          split: fc.integer({ min: 0, max: docs.length }),
        });
      }),
      ({ docs, shuffled, split }) => {
        const list = (files: string[]) =>
          formatReachability(
            analyzeFiles(
              [
                { uri: 'file:///base.yaml', text: BASE },
                ...files.map((text, i) => ({ uri: `file:///p${i}.yaml`, text })),
              ],
              OPTIONS,
            ),
            'txt',
          );
        const expected = list([docs.join('---\n')]);
        assert.equal(
          list([shuffled.slice(0, split).join('---\n'), shuffled.slice(split).join('---\n')]),
          expected,
        );
        assert.equal(list([...shuffled].reverse()), expected);
      },
    ),
    { seed: SEED, numRuns: Math.max(1, Math.round(60 * SCALE)) },
  );
});

test('converting every AdminNetworkPolicy and BaselineAdminNetworkPolicy to ClusterNetworkPolicy keeps the list', () => {
  let total = 0;
  fc.assert(
    fc.property(workspace, (w) => {
      const files = [
        { uri: 'file:///base.yaml', text: BASE },
        { uri: 'file:///policies.yaml', text: yamlOf(w).join('---\n') },
      ];
      const before = formatReachability(analyzeFiles(files, OPTIONS), 'txt');
      const converted = convertAll(files, OPTIONS);
      total += converted.converted;
      assert.equal(formatReachability(analyzeFiles(converted.files, OPTIONS), 'txt'), before);
    }),
    { seed: SEED, numRuns: Math.max(1, Math.round(60 * SCALE)) },
  );
  assert.ok(total >= 30, `only ${total} policies were converted`);
});
