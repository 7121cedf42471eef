// The graph webview's data preparation, from the engine's real output on the fixtures: elements,
// filters, denied pairs, live-update diffs and the details of an edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyzeFiles, buildGraph, type Analysis } from '../../server/src/core/index';
import type { GraphResult } from '../../server/src/protocol';
import {
  EXTERNAL_GROUP,
  allowedEdgeId,
  deniedEdgeId,
  diffElements,
  edgeDetails,
  namespaceNodeId,
  namespacesOf,
  nodeDetails,
  parsePortFilter,
  type GraphElements,
} from '../../client/src/webview/graph-model';
import { buildElements } from '../../client/src/webview/view-model';

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return manifests(path);
    return /\.ya?ml$/.test(name) && name !== 'claims.yaml' ? [path] : [];
  });
}

function analyse(dir: string): Analysis {
  return analyzeFiles(
    manifests(dir).map((path) => ({ uri: pathToFileURL(path).toString(), text: readFileSync(path, 'utf8') })),
  );
}

function fixture(dir: string): { analysis: Analysis; graph: GraphResult } {
  const analysis = analyse(dir);
  return { analysis, graph: buildGraph(analysis, { maxDenied: 10_000 }) };
}

const ids = (elements: { data: { id: string } }[]) => elements.map((e) => e.data.id).sort();

/** The node a peer is drawn as in the detailed view: a pod itself, an external range its group. */
function drawnAs(graph: GraphResult): (id: string) => string {
  const groups = new Map(graph.externalGroups.flatMap((g) => g.peers.map((p) => [p, g.id] as const)));
  return (id) => groups.get(id) ?? id;
}

/** The drawn edge ids of the engine's allowed pairs (pairs into one external group share an edge). */
function pairEdgeIds(graph: GraphResult, pairs: { source: { id: string }; destination: { id: string } }[]) {
  const as = drawnAs(graph);
  return [...new Set(pairs.map((p) => allowedEdgeId(as(p.source.id), as(p.destination.id))))].sort();
}

const FIXTURES = [
  'test-fixtures/three-tier',
  'test-fixtures/secure-app',
  'test-fixtures/db-policy',
  'test-fixtures/default-deny-dns/zero-trust',
  'test-fixtures/namespace-isolation/step-4-default-deny',
];

for (const dir of FIXTURES) {
  test(`${dir}: every pod is a node in its namespace and every allowed pair an edge`, () => {
    const { analysis, graph } = fixture(dir);
    const elements = buildElements(graph);
    const pods = analysis.reachability.peers.filter((p) => p.kind === 'pod');
    const pairs = [...analysis.reachability.allowedPairs()];
    const nodes = new Map(elements.nodes.map((n) => [n.data.id, n]));
    for (const pod of pods) {
      const node = nodes.get(pod.id);
      assert.ok(node, `node for ${pod.id}`);
      assert.equal(node.data.parent, namespaceNodeId(pod.namespace));
      assert.equal(nodes.get(namespaceNodeId(pod.namespace))?.data.kind, 'namespace');
      assert.equal(node.classes.split(' ').includes('implicit'), pod.workload.implicit);
    }
    assert.deepEqual(ids(elements.edges), pairEdgeIds(graph, pairs));
    const as = drawnAs(graph);
    for (const pair of pairs) {
      const edge = elements.edges.find(
        (e) => e.data.id === allowedEdgeId(as(pair.source.id), as(pair.destination.id)),
      )!;
      assert.equal(edge.data.all, pair.connections.isAll(), edge.data.id);
      assert.equal(edge.classes.split(' ').includes('all'), pair.connections.isAll());
      assert.equal(edge.data.label, pair.connections.isAll() ? 'all' : pair.connections.toString());
    }
    // External ranges sit outside every namespace, and only when they connect to something.
    const connected = new Set(pairs.flatMap((p) => [as(p.source.id), as(p.destination.id)]));
    for (const node of elements.nodes.filter((n) => n.data.kind === 'external')) {
      assert.equal(node.data.parent, EXTERNAL_GROUP);
      assert.ok(connected.has(node.data.id), `${node.data.id} is connected`);
    }
    // Every edge end is drawn.
    for (const edge of elements.edges) assert.ok(nodes.has(edge.data.source) && nodes.has(edge.data.target));
  });
}

test('the implicit cluster DNS is styled apart, and so are inferred pods', () => {
  const { graph } = fixture('test-fixtures/three-tier');
  const dns = buildElements(graph).nodes.find((n) => n.data.id === 'kube-system/kube-dns[Deployment]');
  assert.ok(dns?.classes.includes('implicit'));

  // A policy-only namespace gets a representative pod per selector.
  const policyOnly = analyzeFiles([
    {
      uri: 'file:///ws/policy.yaml',
      text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: api, namespace: shop }
spec:
  podSelector: { matchLabels: { app: api } }
  ingress:
    - from:
        - podSelector: { matchLabels: { app: web } }
`,
    },
  ]);
  const inferred = buildElements(buildGraph(policyOnly, { maxDenied: 100 })).nodes.filter((n) =>
    n.classes.includes('inferred'),
  );
  assert.ok(inferred.length > 0, 'inferred pods are drawn');
  for (const node of inferred) assert.equal(node.data.parent, namespaceNodeId('shop'));
});

test('hiding a namespace removes its pods and every edge that touches them', () => {
  const { graph } = fixture('test-fixtures/db-policy');
  const all = buildElements(graph);
  const namespaces = namespacesOf(graph);
  assert.ok(namespaces.length > 1);
  const hidden = namespaces[0];
  const filtered = buildElements(graph, { hiddenNamespaces: [hidden], showDenied: false });
  const peerNamespace = new Map(
    graph.reachability.peers.flatMap((p) => (p.type === 'pod' ? [[p.id, p.namespace] as const] : [])),
  );
  assert.ok(
    !filtered.nodes.some((n) => n.data.id === namespaceNodeId(hidden) || n.data.namespace === hidden),
  );
  const touches = (id: string) => peerNamespace.get(id) === hidden;
  assert.deepEqual(
    ids(filtered.edges),
    ids(all.edges.filter((e) => !touches(e.data.source) && !touches(e.data.target))),
  );
  // Hiding the external group hides every external range.
  const noExternal = buildElements(graph, { hiddenNamespaces: [EXTERNAL_GROUP], showDenied: false });
  assert.ok(!noExternal.nodes.some((n) => n.data.kind === 'external' || n.data.kind === 'external-group'));
});

test('the port filter keeps exactly the pairs the engine allows on that port', () => {
  for (const dir of FIXTURES) {
    const { analysis, graph } = fixture(dir);
    for (const [text, protocols] of [
      ['53/UDP', ['UDP']],
      ['80', ['TCP', 'UDP', 'SCTP']],
      ['5432/tcp', ['TCP']],
    ] as const) {
      const filter = parsePortFilter(text);
      assert.ok(filter && filter !== 'invalid');
      const elements = buildElements(graph, { hiddenNamespaces: [], port: filter, showDenied: false });
      const expected = pairEdgeIds(
        graph,
        [...analysis.reachability.allowedPairs()].filter((p) =>
          protocols.some((protocol) => p.connections.contains(protocol, filter.port)),
        ),
      );
      assert.deepEqual(ids(elements.edges), expected, `${dir} on ${text}`);
    }
  }
});

test('denied pairs show only when asked, with the isolating policies in the details', () => {
  const { analysis, graph } = fixture('test-fixtures/three-tier');
  const plain = buildElements(graph);
  assert.ok(!plain.edges.some((e) => e.data.kind === 'denied'));
  const withDenied = buildElements(graph, { hiddenNamespaces: [], showDenied: true });
  const denied = withDenied.edges.filter((e) => e.data.kind === 'denied');
  const frontend = analysis.reachability.findPeer('frontend/frontend')!;
  const database = analysis.reachability.findPeer('database/database')!;
  assert.ok(analysis.reachability.connections(frontend, database).isEmpty());
  const id = deniedEdgeId(frontend.id, database.id);
  assert.ok(denied.some((e) => e.data.id === id));
  assert.equal(denied.length, graph.denied.length);

  const details = edgeDetails(graph, id)!;
  assert.match(details.verdict, /^Denied/);
  const ingress = details.sides[1];
  assert.match(ingress.summary, /^Isolated by database\/default-deny-all-database/);
  assert.ok(ingress.links.every((l) => l.location && l.location.uri.endsWith('database.yaml')));

  // With a port filter, pairs that connect but not on that port count as denied for the view.
  const onPort = buildElements(graph, { hiddenNamespaces: [], showDenied: true, port: { port: 443 } });
  const notOnPort = onPort.edges.filter((e) => e.data.label === 'not 443');
  assert.ok(notOnPort.length > 0);
  assert.match(edgeDetails(graph, notOnPort[0].data.id)!.verdict, /^Allowed only on/);
});

test('the details of an allowed edge link each side to the rules that allow it', () => {
  const { graph } = fixture('test-fixtures/three-tier');
  const details = edgeDetails(
    graph,
    allowedEdgeId('frontend/frontend[Deployment]', 'backend/backend[Deployment]'),
  )!;
  assert.equal(details.verdict, 'Allowed: All Connections');
  assert.equal(details.sides.length, 2);
  for (const side of details.sides) {
    assert.ok(side.links.length > 0, side.heading);
    for (const link of side.links) {
      const lines = readFileSync(new URL(link.location!.uri), 'utf8').split('\n');
      assert.match(lines[link.location!.line - 1], /^\s*- (to|from|ports):/, link.text);
    }
  }
  const node = nodeDetails(graph, 'frontend/frontend[Deployment]', buildElements(graph))!;
  assert.ok(
    node.sides
      .find((s) => s.heading === 'Reaches')!
      .links.some((l) => l.text === 'backend/backend [Deployment]'),
  );
  assert.match(node.sides[0].links[0].location!.uri, /frontend\.yaml$/);
});

test('parsePortFilter reads ports with optional protocols and rejects the rest', () => {
  assert.deepEqual(parsePortFilter('80'), { port: 80 });
  assert.deepEqual(parsePortFilter(' 53 / udp '), { port: 53, protocol: 'UDP' });
  assert.deepEqual(parsePortFilter('tcp/443'), { port: 443, protocol: 'TCP' });
  assert.equal(parsePortFilter(''), undefined);
  for (const bad of ['0', '65536', '80/HTTP', 'http', '80-90', '1e3'])
    assert.equal(parsePortFilter(bad), 'invalid', bad);
});

/** Applies a diff to a map of elements, as the webview does to cytoscape. */
function apply(previous: GraphElements, next: GraphElements): Map<string, string> {
  const drawn = new Map([...previous.nodes, ...previous.edges].map((e) => [e.data.id, JSON.stringify(e)]));
  const diff = diffElements(previous, next);
  for (const id of diff.remove) drawn.delete(id);
  for (const e of [...diff.add, ...diff.update]) drawn.set(e.data.id, JSON.stringify(e));
  return drawn;
}

test('a live update touches only what changed', () => {
  const dir = 'test-fixtures/three-tier';
  const before = buildElements(fixture(dir).graph);
  // Remove the backend's egress policy file content: the backend loses its database edge.
  const files = manifests(dir).map((path) => ({
    uri: pathToFileURL(path).toString(),
    text: readFileSync(path, 'utf8'),
  }));
  const edited = files.map((f) =>
    f.uri.endsWith('policies/backend.yaml')
      ? { ...f, text: f.text.replace('tier: database', 'tier: nothing') }
      : f,
  );
  const after = buildElements(buildGraph(analyzeFiles(edited), { maxDenied: 100 }));
  const diff = diffElements(before, after);
  assert.ok(
    diff.remove.includes(allowedEdgeId('backend/backend[Deployment]', 'database/database[Deployment]')),
  );
  assert.equal(diff.add.length, 0);
  assert.ok(diff.remove.length + diff.update.length < before.nodes.length + before.edges.length);
  const expected = new Map([...after.nodes, ...after.edges].map((e) => [e.data.id, JSON.stringify(e)]));
  assert.deepEqual(apply(before, after), expected);
  // No change, no work.
  assert.deepEqual(diffElements(after, buildElements(buildGraph(analyzeFiles(edited), { maxDenied: 100 }))), {
    add: [],
    remove: [],
    update: [],
  });
});
