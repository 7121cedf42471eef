// The graph's views on a small workspace whose every value below was worked out by hand from the
// policies (not read back from the engine): the overview (namespace nodes, their isolation, one edge
// per namespace pair with its pair count and ports), a namespace expanded in place, the focus on one
// workload with its denied pairs, and external ranges merged and labelled as the policy wrote them.
// Then the same views on a generated workspace of 500 workloads, checked against the engine's pairs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, buildGraph } from '../../server/src/core/index';
import type { GraphResult } from '../../server/src/protocol';
import { EXTERNAL_GROUP, namespaceNodeId } from '../../client/src/webview/graph-model';
import { viewDetails } from '../../client/src/webview/view-details';
import {
  buildView,
  findWorkload,
  initialExpansion,
  type ViewSpec,
} from '../../client/src/webview/view-model';
import { generateWorkspace } from '../../bench/generate';

const SHOP = `apiVersion: v1
kind: Namespace
metadata: { name: shop }
---
apiVersion: v1
kind: Pod
metadata: { name: web, namespace: shop, labels: { app: web } }
---
apiVersion: v1
kind: Pod
metadata: { name: api, namespace: shop, labels: { app: api } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: web-egress, namespace: shop }
spec:
  podSelector: { matchLabels: { app: web } }
  policyTypes: [Egress]
  egress:
    - to: [{ podSelector: { matchLabels: { app: api } } }]
      ports: [{ protocol: TCP, port: 8080 }]
    - to: [{ ipBlock: { cidr: 0.0.0.0/0, except: [10.0.0.0/8] } }]
      ports: [{ protocol: TCP, port: 443 }]
`;

const DB = `apiVersion: v1
kind: Namespace
metadata: { name: db }
---
apiVersion: v1
kind: Pod
metadata: { name: pg, namespace: db, labels: { app: pg } }
---
apiVersion: v1
kind: Pod
metadata: { name: cache, namespace: db, labels: { app: cache } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: default-deny, namespace: db }
spec:
  podSelector: {}
  policyTypes: [Ingress]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: from-shop-api, namespace: db }
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector: { matchLabels: { kubernetes.io/metadata.name: shop } }
          podSelector: { matchLabels: { app: api } }
      ports: [{ protocol: TCP, port: 5432 }]
`;

const graph: GraphResult = buildGraph(
  analyzeFiles(
    [
      { uri: 'file:///ws/shop.yaml', text: SHOP },
      { uri: 'file:///ws/db.yaml', text: DB },
    ],
    { implicitDns: false },
  ),
  { maxDenied: 1000 },
);

const WEB = 'shop/web[Pod]';
const API = 'shop/api[Pod]';
const PG = 'db/pg[Pod]';
const CACHE = 'db/cache[Pod]';
// web's egress cuts the destinations at 10.0.0.0/8; nothing cuts the sources.
const NOT_PRIVATE = 'ext:0.0.0.0/0 except 10.0.0.0/8';
const PRIVATE = '10.0.0.0-10.255.255.255[External]';
const ANY_SOURCE = '0.0.0.0-255.255.255.255[External]';

const spec = (patch: Partial<ViewSpec> = {}): ViewSpec => ({
  filters: { hiddenNamespaces: [], showDenied: false },
  expanded: [],
  ...patch,
});

function edgeLabels(view: ReturnType<typeof buildView>): Record<string, string> {
  return Object.fromEntries(view.elements.edges.map((e) => [e.data.id, e.data.label]));
}

test('external ranges with the same connections merge, labelled as the policy wrote them', () => {
  assert.deepEqual(
    graph.externalGroups.map((g) => [g.id, g.label, g.asWritten, g.ranges]),
    [
      [ANY_SOURCE, '0.0.0.0/0', false, ['0.0.0.0-255.255.255.255']],
      [
        NOT_PRIVATE,
        '0.0.0.0/0 except 10.0.0.0/8',
        true,
        ['0.0.0.0-9.255.255.255', '11.0.0.0-255.255.255.255'],
      ],
      [PRIVATE, '10.0.0.0/8', false, ['10.0.0.0-10.255.255.255']],
    ],
  );
});

test('the overview: one node per namespace with its isolation, one edge per namespace pair', () => {
  const view = buildView(graph, spec());
  assert.deepEqual(
    view.elements.nodes.map((n) => [n.data.id, n.data.label, n.data.kind]),
    [
      [namespaceNodeId('db'), 'db\n2 workloads\nin: isolated · out: open', 'namespace-summary'],
      [namespaceNodeId('shop'), 'shop\n2 workloads\nin: open · out: 1/2 isolated', 'namespace-summary'],
      [EXTERNAL_GROUP, 'External addresses\n3 address groups', 'namespace-summary'],
    ],
  );
  assert.deepEqual(edgeLabels(view), {
    'allow:ns:shop->ns:db': '2 pairs: TCP 5432',
    'allow:ns:db->ns:shop': '4 pairs: all',
    'allow:ns:shop->external:': '3 pairs: all | TCP 443',
    'allow:ns:db->external:': '4 pairs: all',
    'allow:external:->ns:shop': '2 pairs: all',
  });
  assert.equal(view.inside.get(namespaceNodeId('shop')), 2, 'web → api and api → web');
  assert.equal(view.inside.get(namespaceNodeId('db')), undefined, 'db isolates its ingress from itself');
  const db = viewDetails(graph, view, namespaceNodeId('db'))!;
  assert.deepEqual(
    db.sides.map((s) => [s.heading, s.summary, s.links.map((l) => l.text)]),
    [
      ['Ingress', 'isolated; isolated by:', ['db/default-deny', 'db/from-shop-api']],
      ['Egress', 'open: no policy isolates its workloads', []],
    ],
  );
  assert.ok(db.sides[0].links.every((l) => l.location?.uri === 'file:///ws/db.yaml'));
  // Past the threshold the graph starts on the overview; at or below it everything is expanded.
  assert.deepEqual(initialExpansion(graph, 3), []);
  assert.equal(initialExpansion(graph, 4), 'all');
});

test('expanding a namespace draws its workloads; the rest stays aggregated', () => {
  const view = buildView(graph, spec({ expanded: ['shop'] }));
  assert.deepEqual(
    view.elements.nodes.map((n) => [n.data.id, n.data.parent ?? '']),
    [
      [namespaceNodeId('db'), ''],
      [namespaceNodeId('shop'), ''],
      [EXTERNAL_GROUP, ''],
      [API, namespaceNodeId('shop')],
      [WEB, namespaceNodeId('shop')],
    ],
  );
  assert.equal(view.elements.nodes[1].data.kind, 'namespace');
  assert.deepEqual(edgeLabels(view), {
    [`allow:${WEB}->${API}`]: 'TCP 8080',
    [`allow:${API}->${WEB}`]: 'all',
    [`allow:${API}->ns:db`]: '2 pairs: TCP 5432',
    [`allow:ns:db->${WEB}`]: '2 pairs: all',
    [`allow:ns:db->${API}`]: '2 pairs: all',
    [`allow:${WEB}->external:`]: 'TCP 443',
    [`allow:${API}->external:`]: '2 pairs: all',
    'allow:ns:db->external:': '4 pairs: all',
    [`allow:external:->${WEB}`]: 'all',
    [`allow:external:->${API}`]: 'all',
  });
  // One pair (web and the merged range) stands for two of the engine's connections.
  assert.equal(view.members.get(`allow:${WEB}->external:`)?.length, 2);
});

test('an expanded namespace’s details name its peers as people write them, never by internal ids', () => {
  const view = buildView(graph, spec({ expanded: ['shop'] }));
  const details = viewDetails(graph, view, namespaceNodeId('shop'))!;
  const links = (heading: string) =>
    details.sides.find((s) => s.heading === heading)!.links.map((l) => l.text);
  // shop's workloads reach db's api-only port, each other and the internet; db and the internet reach them.
  assert.deepEqual(links('Reaches'), [
    'External addresses',
    'namespace db',
    'shop/api [Pod]',
    'shop/web [Pod]',
  ]);
  assert.deepEqual(links('Reached by'), [
    'External addresses',
    'namespace db',
    'shop/api [Pod]',
    'shop/web [Pod]',
  ]);
  const focus = buildView(graph, spec({ focus: WEB }));
  const web = viewDetails(graph, focus, WEB)!;
  const reaches = web.sides.find((s) => s.heading === 'Reaches')!.links.map((l) => l.text);
  assert.deepEqual(reaches, ['0.0.0.0/0 except 10.0.0.0/8', 'shop/api [Pod]']);
});

test('the focus shows one workload, what reaches it and what it reaches, and its denied pairs', () => {
  const view = buildView(graph, spec({ focus: WEB, filters: { hiddenNamespaces: [], showDenied: true } }));
  assert.equal(view.focus, WEB);
  const leaves = view.elements.nodes.filter((n) => n.data.kind === 'pod' || n.data.kind === 'external');
  assert.deepEqual(
    leaves.map((n) => n.data.id).sort(),
    [ANY_SOURCE, PG, CACHE, API, WEB, NOT_PRIVATE].sort(),
  );
  assert.deepEqual(edgeLabels(view), {
    [`allow:${ANY_SOURCE}->${WEB}`]: 'all',
    [`allow:${WEB}->${API}`]: 'TCP 8080',
    [`allow:${WEB}->${NOT_PRIVATE}`]: 'TCP 443',
    [`allow:${API}->${WEB}`]: 'all',
    [`allow:${PG}->${WEB}`]: 'all',
    [`allow:${CACHE}->${WEB}`]: 'all',
    [`deny:${WEB}->${PG}`]: 'denied',
    [`deny:${WEB}->${CACHE}`]: 'denied',
  });
  // The denied pair's details name the policy whose egress rules do not reach the database.
  const denied = viewDetails(graph, view, `deny:${WEB}->${PG}`)!;
  assert.match(denied.verdict, /^Denied/);
  assert.match(denied.sides[0].summary, /^Isolated by shop\/web-egress; no rule allows it/);
  assert.equal(findWorkload(graph, 'shop/web'), WEB);
  assert.equal(findWorkload(graph, 'web'), WEB);
  assert.equal(findWorkload(graph, 'nothing'), undefined);
});

test('a denied pair the host sent for the focus (the graph’s list cut short) names its isolating policy', () => {
  // The graph lists no denied pair at all: the focus gets the workload's from the host.
  const cut: GraphResult = { ...graph, denied: [], deniedTruncated: true };
  const full = buildView(graph, spec({ focus: WEB, filters: { hiddenNamespaces: [], showDenied: true } }));
  const pairs = [...full.denied.values()].flat();
  const view = buildView(
    cut,
    spec({ focus: WEB, filters: { hiddenNamespaces: [], showDenied: true }, focusDenied: pairs }),
  );
  const denied = viewDetails(cut, view, `deny:${WEB}->${PG}`)!;
  assert.ok(denied, 'the denied edge has details');
  assert.equal(denied.verdict, 'Denied: no connection allowed');
  assert.match(denied.sides[0].summary, /^Isolated by shop\/web-egress; no rule allows it/);
  assert.deepEqual(
    denied.sides[0].links.map((l) => l.text),
    ['shop/web-egress (isolates)'],
  );
});

test('500 workloads: the overview accounts for every allowed pair exactly once', () => {
  const workspace = generateWorkspace({ name: 'view', namespaces: 50, pods: 500, policies: 150 });
  const big = buildGraph(analyzeFiles(workspace.files), { maxDenied: 100 });
  const overview = buildView(big, spec());
  const namespaces = new Set(big.reachability.peers.flatMap((p) => (p.type === 'pod' ? [p.namespace] : [])));
  assert.equal(overview.elements.nodes.length, namespaces.size + 1);
  const counted =
    [...overview.members.values()].reduce((n, m) => n + m.length, 0) +
    [...overview.inside.values()].reduce((n, m) => n + m, 0);
  assert.equal(counted, big.reachability.connections.length);
  // Every engine pair between two namespaces is behind the edge of that namespace pair.
  const namespaceOf = new Map(
    big.reachability.peers.flatMap((p) => (p.type === 'pod' ? [[p.id, p.namespace]] : [])),
  );
  const unit = (id: string) => (namespaceOf.has(id) ? namespaceNodeId(namespaceOf.get(id)!) : EXTERNAL_GROUP);
  for (const [id, members] of overview.members)
    for (const c of members) assert.equal(`allow:${unit(c.src)}->${unit(c.dst)}`, id);
  // The focus draws exactly the workload's one-hop neighbourhood.
  const focus = big.reachability.peers.find((p) => p.type === 'pod' && !p.implicit)!.id;
  const view = buildView(big, spec({ focus }));
  const touching = big.reachability.connections.filter((c) => c.src === focus || c.dst === focus);
  assert.equal(
    [...view.members.values()].reduce((n, m) => n + m.length, 0),
    touching.length,
  );
});

test('diff mode: added edges, removed ones dashed, changed ones labelled old → new, in both views', () => {
  const rows = [
    { src: WEB, dst: PG, change: 'removed', old: 'TCP 5432', new: 'No Connections', label: 'TCP 5432' },
    {
      src: API,
      dst: PG,
      change: 'changed',
      old: 'TCP 5432-5433',
      new: 'TCP 5432',
      label: 'TCP 5432-5433 → TCP 5432',
    },
    { src: WEB, dst: API, change: 'added', old: 'No Connections', new: 'TCP 8080', label: 'TCP 8080' },
  ] as const;
  const compared: GraphResult = {
    ...graph,
    diff: { base: 'HEAD', edges: [...rows], extraPeers: [], addedWorkloads: [], removedWorkloads: [] },
  };
  const detailed = buildView(compared, spec({ expanded: 'all' }));
  const edge = (id: string) => detailed.elements.edges.find((e) => e.data.id === id)!;
  assert.ok(edge(`allow:${WEB}->${API}`).classes.split(' ').includes('added'));
  assert.equal(edge(`allow:${API}->${PG}`).data.label, 'TCP 5432-5433 → TCP 5432');
  assert.ok(edge(`allow:${API}->${PG}`).classes.split(' ').includes('changed'));
  const removed = edge(`removed:allow:${WEB}->${PG}`);
  assert.deepEqual(
    [removed.data.kind, removed.data.label, removed.classes],
    ['removed', 'removed: TCP 5432', 'removed'],
  );
  assert.match(viewDetails(compared, detailed, removed.data.id)!.verdict, /^Removed: TCP 5432/);
  // The overview counts the changes behind each namespace pair; web → api stays inside shop.
  const overview = buildView(compared, spec());
  assert.equal(edgeLabels(overview)['allow:ns:shop->ns:db'], '2 pairs: TCP 5432 (−1 ~1)');
  assert.equal(overview.elements.edges.filter((e) => e.data.kind === 'removed').length, 0);
  // Without a diff nothing is marked.
  assert.ok(
    !buildView(graph, spec({ expanded: 'all' })).elements.edges.some((e) =>
      /added|changed|removed/.test(e.classes),
    ),
  );
});
