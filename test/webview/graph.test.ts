// The built graph webview in headless Chromium, fed the engine's output for the fixtures: what it
// draws, how it reacts to clicks, filters and live updates, what it restores after a reload, its
// exports, hostile labels, and screenshots in light, dark and high-contrast themes (artifacts/webview/).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { analyzeFiles, buildGraph, type SourceFile } from '../../server/src/core/index';
import type { GraphResult } from '../../server/src/protocol';
import { allowedEdgeId, namespaceNodeId } from '../../client/src/webview/graph-model';
import type { DrawnElement } from '../../client/src/webview/graph-view';
import { generateWorkspace } from '../../bench/generate';
import { GraphPage, assertLabelsAtFit, launchChromium, servePage, type PageServer } from './support';

const ARTIFACTS = 'artifacts/webview';
const HOSTILE = '<img src=x onerror=alert(1)>';

function fixtureFiles(dir: string): SourceFile[] {
  const walk = (d: string): string[] =>
    readdirSync(d).flatMap((name) => {
      const path = join(d, name);
      if (statSync(path).isDirectory()) return walk(path);
      return /\.ya?ml$/.test(name) && name !== 'claims.yaml' ? [path] : [];
    });
  return walk(dir).map((path) => ({ uri: pathToFileURL(path).toString(), text: readFileSync(path, 'utf8') }));
}

const graphOf = (files: SourceFile[]): GraphResult => buildGraph(analyzeFiles(files), { maxDenied: 2000 });

let browser: Browser;
let server: PageServer;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await servePage();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function openPage(theme = 'light', viewport = { width: 1280, height: 800 }): Promise<GraphPage> {
  const context = await browser.newContext({ viewport });
  const page = new GraphPage(await context.newPage());
  await page.page.goto(`${server.url}?theme=${theme}`);
  await page.waitForPosted('ready');
  return page;
}

/** A real layout: every node has a size, no two workloads overlap, each sits inside its namespace. */
function assertLaidOut(drawn: DrawnElement[]): void {
  const leaves = drawn.filter((e) => e.group === 'node' && e.parent);
  for (const leaf of leaves) assert.ok(leaf.width! > 10 && leaf.height! > 10, `${leaf.id} has a size`);
  for (let i = 0; i < leaves.length; i++) {
    for (let j = i + 1; j < leaves.length; j++) {
      const [a, b] = [leaves[i], leaves[j]];
      const apart =
        Math.abs(a.x - b.x) * 2 >= a.width! + b.width! - 1 ||
        Math.abs(a.y - b.y) * 2 >= a.height! + b.height! - 1;
      assert.ok(apart, `${a.id} and ${b.id} do not overlap`);
    }
  }
  for (const leaf of leaves) {
    const parent = drawn.find((n) => n.id === leaf.parent)!;
    assert.ok(
      Math.abs(leaf.x - parent.x) * 2 <= parent.width! && Math.abs(leaf.y - parent.y) * 2 <= parent.height!,
      `${leaf.id} inside ${parent.id}`,
    );
  }
}

const nodes = (drawn: DrawnElement[]) => drawn.filter((e) => e.group === 'node');
const edges = (drawn: DrawnElement[]) => drawn.filter((e) => e.group === 'edge');

/** The engine's pairs behind the drawn edges: an external node stands for every range it merges. */
function pairsBehind(drawn: DrawnElement[], kind = 'allowed'): string[] {
  const members = new Map(nodes(drawn).map((n) => [n.id, n.peers ? n.peers.split(' ') : [n.id]]));
  const expand = (id: string) => members.get(id) ?? [id];
  return edges(drawn)
    .filter((e) => e.kind === kind)
    .flatMap((e) => expand(e.source!).flatMap((s) => expand(e.target!).map((t) => allowedEdgeId(s, t))))
    .sort();
}

for (const theme of ['light', 'dark', 'high-contrast']) {
  test(`three-tier in the ${theme} theme: every peer and allowed pair is drawn, laid out in namespaces`, async () => {
    const files = fixtureFiles('test-fixtures/three-tier');
    const analysis = analyzeFiles(files);
    const graph = graphOf(files);
    const page = await openPage(theme);
    try {
      await page.send({ type: 'graph', graph });
      await page.waitForRender(1);
      const drawn = await page.drawn();

      const pods = analysis.reachability.peers.filter((p) => p.kind === 'pod');
      const pairs = [...analysis.reachability.allowedPairs()];
      for (const pod of pods) {
        const node = drawn.find((e) => e.id === pod.id);
        assert.ok(node, `${pod.id} is drawn`);
        assert.equal(node.label, `${pod.workload.name} [${pod.workload.kind}]`);
        assert.equal(node.parent, namespaceNodeId(pod.namespace));
      }
      // External ranges with the same connections are one node: its edges stand for all of them.
      const members = new Map(nodes(drawn).map((n) => [n.id, n.peers ? n.peers.split(' ') : [n.id]]));
      const expand = (id: string) => members.get(id) ?? [id];
      assert.deepEqual(
        pairsBehind(drawn),
        pairs.map((p) => allowedEdgeId(p.source.id, p.destination.id)).sort(),
      );
      for (const edge of edges(drawn)) {
        const pair = pairs.find(
          (p) =>
            expand(edge.source!).includes(p.source.id) && expand(edge.target!).includes(p.destination.id),
        )!;
        assert.equal(edge.label, pair.connections.isAll() ? 'all' : pair.connections.toString());
      }
      assertLaidOut(drawn);
      // Colours follow the theme.
      const background = await page.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      const expected = {
        light: 'rgb(255, 255, 255)',
        dark: 'rgb(31, 31, 31)',
        'high-contrast': 'rgb(0, 0, 0)',
      }[theme];
      assert.equal(background, expected);
      await page.page.screenshot({ path: join(ARTIFACTS, `three-tier-${theme}.png`) });
      assert.deepEqual(await page.violations(), [], 'no CSP violation');
      assert.deepEqual(page.errors, []);
    } finally {
      await page.page.context().close();
    }
  });
}

test('clicking a node highlights what it reaches and what reaches it; clicking an edge shows its rules with links', async () => {
  const graph = graphOf(fixtureFiles('test-fixtures/three-tier'));
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1);
    let drawn = await page.drawn();
    const backend = drawn.find((e) => e.id === 'backend/backend[Deployment]')!;
    await page.click(backend);
    await page.page.waitForFunction((id) => document.body.dataset.selected === id, backend.id, {
      timeout: 5000,
    });
    drawn = await page.drawn();
    const classes = (id: string) => drawn.find((e) => e.id === id)!.classes.split(' ');
    assert.ok(classes('database/database[Deployment]').includes('reaches'));
    assert.ok(classes('frontend/frontend[Deployment]').includes('reached'));
    assert.ok(
      classes(allowedEdgeId('backend/backend[Deployment]', 'database/database[Deployment]')).includes(
        'outgoing',
      ),
    );
    assert.ok(
      classes(allowedEdgeId('frontend/frontend[Deployment]', 'backend/backend[Deployment]')).includes(
        'incoming',
      ),
    );
    // Edges that do not touch the backend fade.
    const unrelated = edges(drawn).filter((e) => e.source !== backend.id && e.target !== backend.id);
    assert.ok(unrelated.length > 0 && unrelated.every((e) => e.classes.split(' ').includes('faded')));
    assert.equal(await page.page.locator('#details h2').textContent(), 'backend [Deployment]');

    const edge = drawn.find(
      (e) => e.id === allowedEdgeId('frontend/frontend[Deployment]', 'backend/backend[Deployment]'),
    )!;
    await page.click(edge);
    await page.page.waitForFunction((id) => document.body.dataset.selected === id, edge.id, {
      timeout: 5000,
    });
    const details = page.page.locator('#details');
    assert.match((await details.locator('.verdict').textContent()) ?? '', /^Allowed: All Connections/);
    const links = details.locator('a');
    const texts = await links.allTextContents();
    assert.ok(
      texts.some((t) => t.startsWith('frontend/allow-egress-to-backend spec.egress[0]')),
      texts.join(' | '),
    );
    assert.ok(
      texts.some((t) => t.startsWith('backend/allow-ingress-from-frontend spec.ingress[0]')),
      texts.join(' | '),
    );
    await links.first().click();
    const [open] = await page.waitForPosted('open');
    assert.ok(
      open.type === 'open' && open.location.uri.endsWith('policies/frontend.yaml'),
      JSON.stringify(open),
    );
    await page.page.screenshot({ path: join(ARTIFACTS, 'three-tier-edge-details.png') });

    // Clicking the background clears the selection.
    const box = (await page.page.locator('#graph').boundingBox())!;
    await page.page.mouse.click(box.x + 5, box.y + box.height - 5);
    await page.page.waitForFunction(() => document.body.dataset.selected === '', undefined, {
      timeout: 5000,
    });
    assert.equal(await details.isHidden(), true);
  } finally {
    await page.page.context().close();
  }
});

test('cluster policies: edges name the deciding tier, and unanalysed policy kinds get a notice', async () => {
  const files = [
    ...fixtureFiles('test-fixtures/cluster-policies/e4-deny-above-networkpolicy'),
    {
      uri: 'file:///w/cilium.yaml',
      text: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: lock, namespace: a}\nspec: {}\n',
    },
  ];
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph: graphOf(files) });
    await page.waitForRender(1);
    const drawn = await page.drawn();
    const fromC = drawn.find((e) => e.id === allowedEdgeId('c/client[Pod]', 'a/web[Pod]'))!;
    assert.equal(fromC.label, 'all · Admin: guardrails');
    assert.ok(fromC.classes.split(' ').includes('tier-admin'));
    const fromB = drawn.find((e) => e.id === allowedEdgeId('b/client[Pod]', 'a/web[Pod]'))!;
    assert.ok(!fromB.label.includes('Admin'), fromB.label);
    const notice = page.page.locator('#notice');
    assert.equal(await notice.isVisible(), true);
    assert.match((await notice.textContent()) ?? '', /^Not analysed: 1 policy .*CiliumNetworkPolicy a\/lock/);
    await page.page.screenshot({ path: join(ARTIFACTS, 'cluster-tiers.png') });

    // Without the unanalysed policy, the notice goes away.
    await page.send({ type: 'graph', graph: graphOf(files.slice(0, -1)) });
    await page.waitForRender(2);
    assert.equal(await notice.isHidden(), true);
    assert.deepEqual(await page.violations(), [], 'no CSP violation');
    assert.deepEqual(page.errors, []);
  } finally {
    await page.page.context().close();
  }
});

test('filters: port, namespaces and denied pairs', async () => {
  const files = fixtureFiles('test-fixtures/three-tier');
  const analysis = analyzeFiles(files);
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph: graphOf(files) });
    await page.waitForRender(1);
    await page.page.fill('#port-filter', '53/UDP');
    await page.waitForRender(2);
    const onDns = pairsBehind(await page.drawn());
    const expected = [...analysis.reachability.allowedPairs()]
      .filter((p) => p.connections.contains('UDP', 53))
      .map((p) => allowedEdgeId(p.source.id, p.destination.id));
    assert.deepEqual(onDns.sort(), expected.sort());

    await page.page.fill('#port-filter', 'nonsense');
    await page.page.waitForFunction(
      () => document.getElementById('port-error')?.textContent !== '',
      undefined,
      {
        timeout: 5000,
      },
    );
    await page.page.fill('#port-filter', '');
    await page.waitForRender(3);

    await page.page.check('#show-denied');
    await page.waitForRender(4);
    const denied = edges(await page.drawn()).filter((e) => e.kind === 'denied');
    const pods = analysis.reachability.peers.filter((p) => p.kind === 'pod');
    const expectedDenied = pods.flatMap((s) =>
      pods.filter((d) => d !== s && analysis.reachability.connections(s, d).isEmpty()),
    ).length;
    assert.equal(denied.length, expectedDenied);
    await page.page.screenshot({ path: join(ARTIFACTS, 'three-tier-denied.png') });

    await page.page.click('#namespace-filter summary');
    await page.page.uncheck('#namespace-list input[data-namespace="database"]');
    await page.waitForRender(5);
    const drawn = await page.drawn();
    assert.ok(
      !drawn.some((e) => e.id === 'database/database[Deployment]' || e.id === namespaceNodeId('database')),
    );
    assert.ok(
      !edges(drawn).some(
        (e) => e.source === 'database/database[Deployment]' || e.target === 'database/database[Deployment]',
      ),
    );
  } finally {
    await page.page.context().close();
  }
});

test('in a focus, checking and unchecking Denied pairs lays the focus out again and fits it', async () => {
  const workspace = generateWorkspace({ name: 'webview', namespaces: 10, pods: 60, policies: 10 });
  // Every denied pair in the graph's own list, so that the focus needs nothing from the host.
  const graph = buildGraph(analyzeFiles(workspace.files), { maxDenied: 100_000 });
  assert.equal(graph.deniedTruncated, false);
  // The workload with the fewest allowed neighbours: its focus is small, its denied pairs many.
  const neighbours = (id: string) =>
    graph.reachability.connections.filter((c) => c.src === id || c.dst === id).length;
  const focus = graph.reachability.peers
    .filter((p) => p.type === 'pod')
    .map((p) => p.id)
    .sort((a, b) => neighbours(a) - neighbours(b) || (a < b ? -1 : 1))[0];
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph, settings: { overviewThreshold: 1000 } });
    await page.waitForRender(1, 60_000);
    await page.page.fill('#search', focus);
    await page.page.press('#search', 'Enter');
    await page.waitForRender(2, 60_000);
    const ids = (drawn: DrawnElement[]) => nodes(drawn).map((e) => e.id);
    const focused = await page.drawn();
    const fitted = (await page.viewport()).zoom;

    await page.page.check('#show-denied');
    await page.waitForRender(3, 60_000);
    assert.ok(
      ids(await page.drawn()).length > ids(focused).length,
      'denied pairs bring peers into the focus',
    );
    const wider = (await page.viewport()).zoom;
    assert.ok(
      wider < 0.9 * fitted,
      `the focus with its denied pairs is fitted smaller (${wider} vs ${fitted})`,
    );

    await page.page.uncheck('#show-denied');
    await page.waitForRender(4, 60_000);
    assert.deepEqual(ids(await page.drawn()).sort(), ids(focused).sort());
    // Laid out and fitted as the first time, not left at the positions and the zoom of the larger focus.
    const zoom = (await page.viewport()).zoom;
    assert.ok(Math.abs(zoom - fitted) < 0.02 * fitted, `zoom ${zoom} after unchecking, ${fitted} at first`);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.page.context().close();
  }
});

/** Whether the page's legend is open. */
const legendOpen = (page: GraphPage) =>
  page.page.evaluate(() => (document.getElementById('legend-entries') as HTMLDetailsElement).open);

test('a narrow panel lays the layers out top down, readable at the fit, with the legend closed until opened', async () => {
  const graph = graphOf(fixtureFiles('test-fixtures/three-tier'));
  const page = await openPage('light', { width: 400, height: 800 });
  try {
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1);
    assert.equal(await legendOpen(page), false);
    const drawn = await page.drawn();
    const pods = nodes(drawn).filter((n) => n.kind === 'pod' || n.kind === 'external');
    const extent = (axis: 'x' | 'y') =>
      Math.max(...pods.map((n) => n[axis])) - Math.min(...pods.map((n) => n[axis]));
    // frontend → backend → database: three layers one under the other.
    const y = (id: string) => pods.find((n) => n.id === id)!.y;
    assert.ok(y('frontend/frontend[Deployment]') < y('backend/backend[Deployment]'));
    assert.ok(y('backend/backend[Deployment]') < y('database/database[Deployment]'));
    assert.ok(extent('y') > extent('x'), `extent ${extent('x')} x ${extent('y')}`);
    await assertLabelsAtFit(page, drawn, 'narrow panel');
    await page.page.screenshot({ path: join(ARTIFACTS, 'three-tier-narrow.png') });

    // The user's choice outlives a reload.
    await page.page.click('#legend-entries summary');
    await page.page.waitForFunction(
      () => JSON.parse(sessionStorage.getItem('netpol-lens-webview-state') ?? '{}').legendOpen === true,
      undefined,
      { timeout: 5000 },
    );
    await page.page.reload();
    await page.waitForPosted('ready');
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1);
    assert.equal(await legendOpen(page), true);
    assert.deepEqual(page.errors, []);
  } finally {
    await page.page.context().close();
  }
});

test('a wide panel lays the layers out left to right, with the legend open', async () => {
  const graph = graphOf(fixtureFiles('test-fixtures/three-tier'));
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1);
    assert.equal(await legendOpen(page), true);
    const drawn = await page.drawn();
    const x = (id: string) => drawn.find((n) => n.id === id)!.x;
    assert.ok(x('frontend/frontend[Deployment]') < x('backend/backend[Deployment]'));
    assert.ok(x('backend/backend[Deployment]') < x('database/database[Deployment]'));
  } finally {
    await page.page.context().close();
  }
});

test('a live update redraws within a second and keeps zoom, pan, positions and selection', async () => {
  const files = fixtureFiles('test-fixtures/three-tier');
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph: graphOf(files) });
    await page.waitForRender(1);
    await page.page.click('#zoom-in');
    await page.page.click('#zoom-in');
    const before = await page.drawn();
    const frontend = before.find((e) => e.id === 'frontend/frontend[Deployment]')!;
    await page.click(frontend);
    await page.page.waitForFunction((id) => document.body.dataset.selected === id, frontend.id, {
      timeout: 5000,
    });
    const viewport = await page.viewport();

    // The user edits the backend's egress policy: the backend no longer reaches the database, and a workload appears.
    const edited = files.map((f) =>
      f.uri.endsWith('policies/backend.yaml')
        ? { ...f, text: f.text.replace('tier: database', 'tier: nowhere') }
        : f,
    );
    edited.push({
      uri: 'file:///ws/cache.yaml',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: { name: cache, namespace: backend, labels: { app: cache } }\n',
    });
    const started = Date.now();
    await page.send({ type: 'graph', graph: graphOf(edited) });
    await page.waitForRender(2, 1000);
    const elapsed = Date.now() - started;
    const after = await page.drawn();
    assert.ok(
      !after.some(
        (e) => e.id === allowedEdgeId('backend/backend[Deployment]', 'database/database[Deployment]'),
      ),
    );
    assert.ok(after.some((e) => e.id === 'backend/cache[Pod]'));
    assert.deepEqual(await page.viewport(), viewport, 'zoom and pan kept');
    assert.equal(
      await page.page.evaluate(() => document.body.dataset.selected),
      frontend.id,
      'selection kept',
    );
    for (const node of nodes(before).filter((n) => n.parent && n.parent !== namespaceNodeId('backend'))) {
      const now = after.find((e) => e.id === node.id)!;
      assert.deepEqual([now.x, now.y], [node.x, node.y], `${node.id} did not move`);
    }
    const drawMs = await page.page.evaluate(() => document.body.dataset.drawMs);
    console.log(`live update: drawn ${elapsed} ms after the message (${drawMs} ms in the page)`);
  } finally {
    await page.page.context().close();
  }
});

test('after a reload the page restores filters, zoom, pan and selection from its state', async () => {
  const graph = graphOf(fixtureFiles('test-fixtures/three-tier'));
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1);
    await page.page.fill('#port-filter', '80');
    await page.waitForRender(2);
    await page.page.click('#zoom-out');
    const drawn = await page.drawn();
    const target = drawn.find((e) => e.id === 'frontend/frontend[Deployment]')!;
    await page.click(target);
    await page.page.waitForFunction((id) => document.body.dataset.selected === id, target.id, {
      timeout: 5000,
    });
    const viewport = await page.viewport();
    // The state is saved after the viewport settles; wait for it rather than for a fixed time.
    await page.page.waitForFunction(
      (zoom) => JSON.parse(sessionStorage.getItem('netpol-lens-webview-state') ?? '{}').zoom === zoom,
      viewport.zoom,
      { timeout: 5000 },
    );

    await page.page.reload();
    await page.page.waitForFunction(
      () =>
        (window as unknown as { __harness: { posted: { type: string }[] } }).__harness.posted.some(
          (m) => m.type === 'ready',
        ),
      undefined,
      { timeout: 15_000 },
    );
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1);
    assert.equal(await page.page.inputValue('#port-filter'), '80');
    assert.equal(await page.page.evaluate(() => document.body.dataset.selected), target.id);
    const restored = await page.viewport();
    assert.ok(Math.abs(restored.zoom - viewport.zoom) < 1e-6, `zoom ${restored.zoom} vs ${viewport.zoom}`);
    assert.equal(restored.pan, viewport.pan);
  } finally {
    await page.page.context().close();
  }
});

const TUTORIALS = ['three-tier', 'secure-app', 'db-policy', 'default-deny-dns', 'namespace-isolation'];
for (const tutorial of TUTORIALS) {
  test(`the ${tutorial} tutorial shows its edge labels at the fitted zoom, legible and clear of nodes and other labels`, async () => {
    const graph = graphOf(fixtureFiles(`test-fixtures/${tutorial}`));
    const page = await openPage();
    try {
      await page.send({ type: 'graph', graph });
      await page.waitForRender(1);
      const drawn = await page.drawn();
      const summary = await assertLabelsAtFit(page, drawn, tutorial);
      const labelled = edges(drawn).filter((e) => e.label !== '');
      const shown = labelled.filter((e) => e.labelShown);
      assert.ok(labelled.length > 0, 'the tutorial has labelled edges');
      assert.ok(shown.length >= labelled.length / 2, `${summary}: most labels are drawn`);
      console.log(`${tutorial}: labels drawn ${summary}`);
      await page.page.screenshot({ path: join(ARTIFACTS, `${tutorial}-labels.png`) });
      assert.deepEqual(page.errors, []);
    } finally {
      await page.page.context().close();
    }
  });
}

test('a generated workspace of 60 workloads in 10 namespaces is laid out without overlaps in the detailed view', async () => {
  const workspace = generateWorkspace({ name: 'webview', namespaces: 10, pods: 60, policies: 10 });
  const graph = graphOf(workspace.files);
  const page = await openPage();
  try {
    // Above the threshold the graph opens on the overview (scale.test.ts); here every workload is drawn.
    await page.send({ type: 'graph', graph, settings: { overviewThreshold: 1000 } });
    await page.waitForRender(1, 60_000);
    const drawn = await page.drawn();
    const pods = graph.reachability.peers.filter((p) => p.type === 'pod');
    assert.equal(nodes(drawn).filter((n) => n.kind === 'pod').length, pods.length);
    assert.equal(edges(drawn).length, graph.reachability.connections.length);
    assertLaidOut(drawn);
    const drawMs = await page.page.evaluate(() => document.body.dataset.drawMs);
    console.log(
      `${pods.length} workloads, ${graph.reachability.connections.length} edges: first draw ${drawMs} ms in the page`,
    );
    await page.page.screenshot({ path: join(ARTIFACTS, 'generated-60-detailed.png') });
  } finally {
    await page.page.context().close();
  }
});

test('exports SVG and PNG of the drawn graph', async () => {
  const page = await openPage('dark');
  try {
    await page.send({ type: 'graph', graph: graphOf(fixtureFiles('test-fixtures/db-policy')) });
    await page.waitForRender(1);
    await page.send({ type: 'export', requestId: 7, format: 'svg' });
    await page.send({ type: 'export', requestId: 8, format: 'png' });
    const exported = await page.waitForPosted('exported', 2);
    const svg = exported.find((m) => m.type === 'exported' && m.requestId === 7);
    const png = exported.find((m) => m.type === 'exported' && m.requestId === 8);
    assert.ok(svg?.type === 'exported' && svg.data.startsWith('<svg'), 'SVG text');
    const pod = nodes(await page.drawn()).find((n) => n.kind === 'pod')!;
    assert.ok(
      svg.data.includes(`>${pod.label.replace(/&/g, '&amp;').replace(/</g, '&lt;')}<`),
      `${pod.label} in the SVG`,
    );
    assert.ok(png?.type === 'exported' && png.data.startsWith('data:image/png;base64,'), 'PNG data URL');
    assert.ok(Buffer.from(png.data.split(',')[1], 'base64').subarray(1, 4).toString() === 'PNG');
    await page.page.screenshot({ path: join(ARTIFACTS, 'db-policy-dark.png') });
  } finally {
    await page.page.context().close();
  }
});

test('hostile names render as text: no markup, no script, no dialog', async () => {
  const graph = graphOf([
    {
      uri: 'file:///ws/hostile.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata: { name: "${HOSTILE}", namespace: "<script>alert(2)</script>" }
spec: { template: { metadata: { labels: { app: x } } } }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: "<b onmouseover=alert(3)>p</b>", namespace: "<script>alert(2)</script>" }
spec:
  podSelector: {}
  egress:
    - to: [{ ipBlock: { cidr: 0.0.0.0/0 } }]
`,
    },
  ]);
  const page = await openPage();
  try {
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1);
    const drawn = await page.drawn();
    const node = drawn.find((e) => e.label === `${HOSTILE} [Deployment]`);
    assert.ok(node, 'the hostile label is drawn as text');
    assert.ok(drawn.some((e) => e.label === '<script>alert(2)</script>'));
    await page.page.click('#namespace-filter summary');
    const edge = edges(drawn).find((e) => e.source === node.id)!;
    await page.click(edge);
    await page.page.waitForFunction((id) => document.body.dataset.selected === id, edge.id, {
      timeout: 5000,
    });
    const detailsText = (await page.page.locator('#details').textContent()) ?? '';
    assert.ok(detailsText.includes(HOSTILE) && detailsText.includes('<b onmouseover=alert(3)>p</b>'));
    const injected = await page.page.evaluate(() => ({
      images: document.querySelectorAll('img').length,
      bold: document.querySelectorAll('b').length,
      scripts: [...document.scripts].filter((s) => !s.src).length,
    }));
    assert.deepEqual(injected, { images: 0, bold: 0, scripts: 0 });
    await page.page.screenshot({ path: join(ARTIFACTS, 'hostile-labels.png') });
    assert.deepEqual(page.errors, []);
    assert.deepEqual(await page.violations(), []);
  } finally {
    await page.page.context().close();
  }
});
