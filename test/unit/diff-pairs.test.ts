// The connectivity diff's workload rows against a brute-force reference: every ordered pair of distinct
// workloads asked on each side (no connections where a side lacks one), kept where the answers differ.
// The diff itself compares groups of workloads once; this checks it finds exactly the same pairs and
// answers, on the diff fixtures and on generated workspaces with edits, and that its work grows with the
// workloads rather than with their pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  analyzeFiles,
  diffConnectivity,
  type PodPeer,
  type Reachability,
  type SourceFile,
} from '../../server/src/core/index';
import { diffBase, diffCase, diffCaseNames } from '../support/diff-fixtures';
import { generateWorkspace } from '../../bench/generate';

function podPairsThatChanged(old: Reachability, next: Reachability): string[] {
  const pods = (reach: Reachability) =>
    new Map(reach.peers.filter((p): p is PodPeer => p.kind === 'pod').map((p) => [p.id, p]));
  const [before, after] = [pods(old), pods(next)];
  const ids = [...new Set([...before.keys(), ...after.keys()])];
  const answer = (reach: Reachability, side: Map<string, PodPeer>, s: string, d: string) => {
    const [source, destination] = [side.get(s), side.get(d)];
    return source && destination ? reach.connections(source, destination).toString() : 'No Connections';
  };
  const changed: string[] = [];
  for (const s of ids) {
    for (const d of ids) {
      if (s === d) continue;
      const [ref1, ref2] = [answer(old, before, s, d), answer(next, after, s, d)];
      if (ref1 !== ref2) changed.push(`${s} -> ${d}: ${ref1} | ${ref2}`);
    }
  }
  return changed.sort();
}

function diffPodPairs(old: Reachability, next: Reachability): string[] {
  return diffConnectivity(old, next)
    .rows.filter((r) => r.source.kind === 'pod' && r.destination.kind === 'pod')
    .map((r) => `${r.source.id} -> ${r.destination.id}: ${r.ref1} | ${r.ref2}`)
    .sort();
}

function assertSamePairs(oldFiles: SourceFile[], newFiles: SourceFile[], what: string) {
  const old = analyzeFiles(oldFiles).reachability;
  const next = analyzeFiles(newFiles).reachability;
  const expected = podPairsThatChanged(old, next);
  assert.deepEqual(diffPodPairs(old, next), expected, what);
  assert.deepEqual(diffPodPairs(next, old), podPairsThatChanged(next, old), `${what}, reversed`);
  return expected.length;
}

for (const name of diffCaseNames()) {
  test(`diff case ${name}: the workload rows are the pairs whose answers differ`, () => {
    assertSamePairs(diffBase(), diffCase(name), name);
  });
}

/** A generated workspace and edits of it: a policy gone, a label changed, a port changed, a pod gone. */
function editedWorkspaces(namespaces: number, pods: number, policies: number, seed: number) {
  const { files } = generateWorkspace({ name: 'pairs', namespaces, pods, policies }, seed);
  const edit = (index: number, change: (text: string) => string): SourceFile[] =>
    files.map((f, i) => (i === index ? { uri: f.uri, text: change(f.text) } : f));
  const withoutFirst = (text: string, kind: string) => {
    const docs = text.split(/^---$/m);
    const at = docs.findIndex((d) => d.includes(`kind: ${kind}`));
    return at < 0 ? text : [...docs.slice(0, at), ...docs.slice(at + 1)].join('---');
  };
  return {
    files,
    edits: [
      edit(1, (t) => withoutFirst(t, 'NetworkPolicy')),
      edit(2, (t) => t.replace(/app: (\S+)/, 'app: $1-renamed')),
      edit(3, (t) => t.replace(/port: \d+/, 'port: 6553')),
      edit(0, (t) => withoutFirst(t, 'Pod')),
      files.slice(1),
    ],
  };
}

test('generated workspaces with edits: the workload rows are the pairs whose answers differ', () => {
  let changedPairs = 0;
  for (const seed of [1, 2, 3]) {
    const { files, edits } = editedWorkspaces(6, 90, 24, seed);
    for (const [i, edited] of edits.entries())
      changedPairs += assertSamePairs(files, edited, `seed ${seed} edit ${i}`);
  }
  assert.ok(changedPairs > 0, 'some edit changed some pair');
});

/**
 * `namespaces` namespaces of six workloads with labels of their own (each its own class, as in most
 * clusters) and two policies: the db admits web, and every pod may send to 10.0.0.0/8 only.
 */
function namespacesOfApps(namespaces: number, dropFirstPolicy = false): SourceFile[] {
  const docs: string[] = [];
  for (let n = 0; n < namespaces; n++) {
    const ns = `ns-${n}`;
    for (const app of ['web', 'api', 'db', 'cache', 'queue', 'worker']) {
      docs.push(
        `apiVersion: v1\nkind: Pod\nmetadata: {name: ${app}, namespace: ${ns}, labels: {app: ${app}, team: t${n}}}\n` +
          `spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}`,
      );
    }
    if (!(dropFirstPolicy && n === 0)) {
      docs.push(
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: db, namespace: ${ns}}\n` +
          `spec: {podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: {matchLabels: {app: web}}}], ports: [{port: 8080}]}]}`,
      );
    }
    docs.push(
      `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: out, namespace: ${ns}}\n` +
        `spec: {podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: {cidr: 10.0.0.0/8}}]}]}`,
    );
  }
  return [{ uri: 'file:///pairs/apps.yaml', text: docs.join('\n---\n') + '\n' }];
}

/**
 * Answers asked of both sides while the diff is made (pairs of peers, or of rows' answers), and the
 * pairs that changed.
 */
function diffWork(namespaces: number): { calls: number; changed: string[] } {
  const old = analyzeFiles(namespacesOfApps(namespaces)).reachability;
  const next = analyzeFiles(namespacesOfApps(namespaces, true)).reachability;
  let calls = 0;
  for (const reach of [old, next]) {
    const [connections, intersectIds, connectionSet] = [
      reach.connections.bind(reach),
      reach.intersectIds.bind(reach),
      reach.connectionSet.bind(reach),
    ];
    reach.connections = (source, destination) => (calls++, connections(source, destination));
    reach.intersectIds = (a, b) => (calls++, intersectIds(a, b));
    reach.connectionSet = (id) => (calls++, connectionSet(id));
  }
  const changed = diffPodPairs(old, next);
  return { calls, changed };
}

test('the diff asks about groups of workloads, not every pair: twice the workspace, about twice the work', () => {
  assertSamePairs(namespacesOfApps(5), namespacesOfApps(5, true), 'apps in 5 namespaces');
  const small = diffWork(40);
  const large = diffWork(80);
  // Written down independently: every pod of the namespaces may send to 10.0.0.0/8 only (no pods), so
  // without ns-0's db policy the one new pair is the implicit kube-dns pod (kube-system has no policies)
  // reaching ns-0's db; web reached it through the db policy only on the ingress side before.
  assert.deepEqual(small.changed, [
    'kube-system/kube-dns[Deployment] -> ns-0/db[Pod]: No Connections | All Connections',
  ]);
  assert.deepEqual(large.changed, small.changed);
  assert.ok(small.calls > 0);
  // Every ordered pair of the workloads asked on each side made it four times (115,000 calls at 40 namespaces).
  assert.ok(large.calls <= 2.5 * small.calls, `connections asked ${small.calls} → ${large.calls}`);
});
