// The graph at real size in headless Chromium: generated workspaces of 60, 200 and 500 workloads (10,
// 20 and 50 namespaces) open on the overview; a namespace expands in place and collapses back with the
// rest of the layout still; the focus on one workload draws its one-hop neighbourhood; a live update
// follows an edit. No node box overlaps another at any step. The page's own draw times are printed
// (bench/RESULTS.md quotes them); the tests assert what is drawn, never how fast.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { analyzeFiles, buildGraph, deniedPairsOf } from '../../server/src/core/index';
import type { GraphResult } from '../../server/src/protocol';
import { EXTERNAL_GROUP, namespaceNodeId } from '../../client/src/webview/graph-model';
import type { DrawnElement } from '../../client/src/webview/graph-view';
import { generateWorkspace, type GeneratedFile } from '../../bench/generate';
import {
  GraphPage,
  assertLabelsAtFit,
  assertLabelsClear,
  labelSizingOf,
  launchChromium,
  servePage,
  type PageServer,
} from './support';

const ARTIFACTS = 'artifacts/webview';
const SIZES = [
  { pods: 60, namespaces: 10 },
  { pods: 200, namespaces: 20 },
  { pods: 500, namespaces: 50 },
];

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

async function openPage(theme: string): Promise<GraphPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = new GraphPage(await context.newPage());
  await page.page.goto(`${server.url}?theme=${theme}`);
  await page.waitForPosted('ready');
  return page;
}

function workspace(size: { pods: number; namespaces: number }): GeneratedFile[] {
  const name = `graph-${size.pods}`;
  return generateWorkspace({
    name,
    namespaces: size.namespaces,
    pods: size.pods,
    policies: size.namespaces * 3,
  }).files;
}

const graphOf = (files: GeneratedFile[]): GraphResult => buildGraph(analyzeFiles(files), { maxDenied: 2000 });
const nodes = (drawn: DrawnElement[]) => drawn.filter((e) => e.group === 'node');
const topLevel = (drawn: DrawnElement[]) => nodes(drawn).filter((n) => !n.parent);

function overlap(a: DrawnElement, b: DrawnElement): boolean {
  return (
    Math.abs(a.x - b.x) * 2 < a.width! + b.width! - 1 && Math.abs(a.y - b.y) * 2 < a.height! + b.height! - 1
  );
}

/** No two top-level boxes overlap, and no two workloads inside one namespace do. */
function assertNoOverlap(drawn: DrawnElement[], when: string): void {
  const groups = new Map<string, DrawnElement[]>();
  for (const n of nodes(drawn)) {
    const key = n.parent ?? '';
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  for (const [parent, members] of groups) {
    for (let i = 0; i < members.length; i++)
      for (let j = i + 1; j < members.length; j++)
        assert.ok(
          !overlap(members[i], members[j]),
          `${when}: ${members[i].id} and ${members[j].id} overlap (in ${parent || 'the graph'})`,
        );
  }
}

const positionsOf = (drawn: DrawnElement[]) =>
  nodes(drawn)
    .map((n) => `${n.id} ${n.x},${n.y}`)
    .sort();

/**
 * Selects a node by clicking it (trying points inside it until one is not covered by an edge), then
 * presses the details panel's button: what a person does to expand or collapse a namespace.
 */
async function pressOn(page: GraphPage, node: DrawnElement, button: string): Promise<void> {
  const inset = (f: number) => ({ x: node.x + (f * node.width!) / 2, y: node.y - node.height! / 2 + 5 });
  for (const point of [{ x: node.x, y: node.y }, inset(0), inset(-0.8), inset(0.8)]) {
    // Expanding selects the namespace already; a click then would only move the selection away.
    if ((await page.page.evaluate(() => document.body.dataset.selected)) === node.id) break;
    await page.click({ ...node, ...point });
    const selected = await page.page.evaluate(() => document.body.dataset.selected);
    if (selected === node.id) break;
  }
  await page.page.waitForFunction((id) => document.body.dataset.selected === id, node.id, {
    timeout: 30_000,
  });
  // Generous deadlines: a loaded CI machine draws 500 workloads slowly; the checks stay the same.
  await page.page.click(`#details .actions button:text-is("${button}")`, { timeout: 90_000 });
}

/**
 * Zoomed out below the legible level, no edge label is drawn; hovering an edge draws its label. Ends
 * with the pointer away and the graph fitted again, as it was.
 */
async function assertLabelsOnHoverOnly(page: GraphPage): Promise<void> {
  const { minZoom } = await labelSizingOf(page);
  while ((await page.viewport()).zoom >= minZoom) await page.page.click('#zoom-out');
  const far = await page.drawn();
  assert.deepEqual(
    far.filter((e) => e.labelShown).map((e) => e.id),
    [],
    'no label is drawn below the legible zoom',
  );
  // An edge whose middle is clear of every node box, so the pointer lands on the edge.
  const boxes = nodes(far);
  const edge = far.find(
    (e) =>
      e.group === 'edge' &&
      e.label !== '' &&
      boxes.every((n) => Math.abs(e.x - n.x) * 2 > n.width! + 8 || Math.abs(e.y - n.y) * 2 > n.height! + 8),
  );
  assert.ok(edge, 'an edge with a label away from the nodes');
  await page.hover(edge);
  await page.page.waitForFunction(() => (document.body.dataset.hovered ?? '') !== '', undefined, {
    timeout: 30_000,
  });
  const hovered = await page.page.evaluate(() => document.body.dataset.hovered!);
  await page.page.waitForFunction(
    (id) =>
      [...document.querySelectorAll<HTMLElement>('#graph-elements li')].some(
        (li) => li.dataset.id === id && li.dataset.labelShown === 'true',
      ),
    hovered,
    { timeout: 30_000 },
  );
  // Off the edge, into the padding at the graph's corner, where nothing is drawn.
  const graphBox = (await page.page.locator('#graph').boundingBox())!;
  await page.page.mouse.move(graphBox.x + 4, graphBox.y + 4);
  await page.page.waitForFunction(() => document.body.dataset.hovered === '', undefined, { timeout: 30_000 });
  await page.page.click('#fit');
}

const figures: string[] = [];
/** Each figure is taken this many times in the run; bench/RESULTS.md quotes the medians. */
const ROUNDS = 3;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const figure = (values: number[]) => `${median(values)} [${values.join(', ')}]`;
after(() => {
  if (figures.length > 0) console.log(`graph figures (ms, in the page):\n${figures.join('\n')}`);
});

for (const size of SIZES) {
  test(`${size.pods} workloads in ${size.namespaces} namespaces: overview, expand, collapse, focus, live update`, async () => {
    const files = workspace(size);
    const graph = graphOf(files);
    const pods = graph.reachability.peers.filter((p) => p.type === 'pod');
    const namespaces = new Set(pods.map((p) => (p.type === 'pod' ? p.namespace : '')));
    const firstDraws: number[] = [];
    const page = await openPage('light');
    try {
      await page.send({ type: 'graph', graph });
      await page.waitForRender(1, 60_000);
      const overview = await page.drawn();
      const firstDraw = await page.drawMs();
      const phases = await page.page.evaluate(() => document.body.dataset.drawPhases);
      // One node per namespace, no workload drawn.
      const summaries = nodes(overview).filter((n) => n.kind === 'namespace-summary');
      assert.deepEqual(
        summaries.map((n) => n.id).sort(),
        [...[...namespaces].map(namespaceNodeId), EXTERNAL_GROUP].sort(),
      );
      assert.equal(nodes(overview).filter((n) => n.kind === 'pod').length, 0);
      assertNoOverlap(overview, 'overview');
      const labelsShown = [await assertLabelsAtFit(page, overview, 'overview')];
      await page.page.screenshot({ path: join(ARTIFACTS, `generated-${size.pods}-overview-light.png`) });
      await assertLabelsOnHoverOnly(page);

      // Expand the namespace with the most workloads: in place, the others do not overlap it.
      const counts = new Map<string, number>();
      for (const p of pods) if (p.type === 'pod') counts.set(p.namespace, (counts.get(p.namespace) ?? 0) + 1);
      const biggest = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
      const target = overview.find((e) => e.id === namespaceNodeId(biggest))!;
      await pressOn(page, target, 'Expand');
      await page.waitForRender(2, 90_000);
      const expanded = await page.drawn();
      const expandMs = [await page.drawMs()];
      const members = nodes(expanded).filter((n) => n.parent === namespaceNodeId(biggest));
      assert.equal(members.length, counts.get(biggest));
      assertNoOverlap(expanded, 'expanded');
      labelsShown.push(`${assertLabelsClear(expanded, 'expanded')} expanded`);
      // Only the nodes right of it or below it move, by the same offset each: the layout stays as it was.
      const box = { x2: target.x + target.width! / 2, y2: target.y + target.height! / 2 };
      const offsets = new Map<string, string>();
      for (const n of topLevel(overview).filter((e) => e.id !== target.id)) {
        const now = expanded.find((e) => e.id === n.id)!;
        const side = `${n.x - n.width! / 2 >= box.x2 ? 'right' : ''}${n.y - n.height! / 2 >= box.y2 ? 'below' : ''}`;
        const offset = `${side}: ${Math.round(now.x - n.x)},${Math.round(now.y - n.y)}`;
        if (side === '') assert.equal(offset, ': 0,0', `${n.id} stays where it was`);
        assert.equal(offsets.get(side) ?? offset, offset, `${n.id} moves with the others ${side}`);
        offsets.set(side, offset);
      }
      await page.page.screenshot({ path: join(ARTIFACTS, `generated-${size.pods}-expanded-light.png`) });

      // Collapse again (on the namespace's frame, not on a workload): the overview is back. Then the
      // same again, for the figures: each expand draws the same, each collapse gives the same overview.
      const frame = expanded.find((e) => e.id === namespaceNodeId(biggest))!;
      let renders = 2;
      for (let round = 1; ; round++) {
        await pressOn(page, { ...frame, height: frame.height! - 2 }, 'Collapse');
        await page.waitForRender(++renders, 90_000);
        const collapsed = await page.drawn();
        for (const n of topLevel(overview)) {
          const now = collapsed.find((e) => e.id === n.id)!;
          assert.deepEqual([now.x, now.y], [n.x, n.y], `${n.id} is back`);
        }
        if (round === ROUNDS) break;
        await pressOn(page, target, 'Expand');
        await page.waitForRender(++renders, 90_000);
        expandMs.push(await page.drawMs());
        assert.deepEqual(
          positionsOf(await page.drawn()),
          positionsOf(expanded),
          'expanded as the first time',
        );
      }

      // Focus on a workload from the search box: only it and its one-hop neighbourhood.
      const focus = pods.find((p) => p.type === 'pod' && p.namespace === biggest)!.id;
      const focusMs: number[] = [];
      const focusOn = async () => {
        await page.page.fill('#search', focus);
        await page.page.press('#search', 'Enter');
        await page.waitForRender(++renders, 90_000);
        focusMs.push(await page.drawMs());
        return page.drawn();
      };
      // The figures: focus and back to the overview, twice, then the focus that is checked.
      for (let round = 1; round < ROUNDS; round++) {
        await focusOn();
        await page.page.click('#clear-focus');
        await page.waitForRender(++renders, 90_000);
      }
      const focused = await focusOn();
      const neighbours = new Set(
        graph.reachability.connections.flatMap((c) =>
          c.src === focus ? [c.dst] : c.dst === focus ? [c.src] : [],
        ),
      );
      const drawnPods = nodes(focused)
        .filter((n) => n.kind === 'pod')
        .map((n) => n.id);
      const expectedPods = [focus, ...[...neighbours].filter((id) => pods.some((p) => p.id === id))];
      assert.deepEqual(drawnPods.sort(), expectedPods.sort());
      assertNoOverlap(focused, 'focus');
      labelsShown.push(await assertLabelsAtFit(page, focused, 'focus'));
      await page.page.screenshot({ path: join(ARTIFACTS, `generated-${size.pods}-focus-light.png`) });

      // Back to the overview, then a live update after an edit of one namespace's policies (and the
      // edit undone, and made again, for the figures).
      await page.page.click('#clear-focus');
      await page.waitForRender(++renders, 90_000);
      const edited = files.map((f, i) =>
        i === 1 ? { ...f, text: f.text.replace(/tier: data/g, 'tier: none') } : f,
      );
      const updateMs: number[] = [];
      for (const version of [edited, files, edited]) {
        await page.send({ type: 'graph', graph: graphOf(version) });
        await page.waitForRender(++renders, 90_000);
        updateMs.push(await page.drawMs());
      }
      const updated = await page.drawn();
      assertNoOverlap(updated, 'after the update');
      labelsShown.push(`${assertLabelsClear(updated, 'after the update')} after the update`);
      firstDraws.push(firstDraw);
      figures.push(
        `${size.pods} workloads: overview ${firstDraw} (${phases}), expand ${figure(expandMs)}, focus ${figure(focusMs)}, live update ${figure(updateMs)}; labels drawn ${labelsShown.join(' · ')}`,
      );
      assert.deepEqual(page.errors, []);
      assert.deepEqual(await page.violations(), []);
    } finally {
      await page.page.context().close();
    }
    // The first draw again on fresh pages (dark, high contrast): three first draws for the figures.
    for (const theme of ['dark', 'high-contrast']) {
      const other = await openPage(theme);
      try {
        await other.send({ type: 'graph', graph });
        await other.waitForRender(1, 60_000);
        firstDraws.push(await other.drawMs());
        assertNoOverlap(await other.drawn(), `overview (${theme})`);
        await other.page.screenshot({
          path: join(ARTIFACTS, `generated-${size.pods}-overview-${theme}.png`),
        });
      } finally {
        await other.page.context().close();
      }
    }
    figures.push(`${size.pods} workloads: first draw of the overview ${figure(firstDraws)}`);
  });
}

test('the 500-workload overview in a small panel fits below zoom 0.7 and still shows legible labels', async () => {
  const graph = graphOf(workspace(SIZES[2]));
  const context = await browser.newContext({ viewport: { width: 900, height: 600 } });
  const page = new GraphPage(await context.newPage());
  try {
    await page.page.goto(`${server.url}?theme=light`);
    await page.waitForPosted('ready');
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1, 60_000);
    const { zoom } = await page.viewport();
    assert.ok(zoom < 0.7, `fitted at zoom ${zoom}`);
    const drawn = await page.drawn();
    assertNoOverlap(drawn, 'small panel');
    figures.push(
      `500 workloads in a 900x600 panel: labels drawn ${await assertLabelsAtFit(page, drawn, 'small panel')}`,
    );
    await page.page.screenshot({ path: join(ARTIFACTS, 'generated-500-overview-small-panel-light.png') });
    await assertLabelsOnHoverOnly(page);
    assert.deepEqual(page.errors, []);
  } finally {
    await context.close();
  }
});

test('"Show in Graph" focuses a workload; its denied pairs come from the host when the graph’s list is cut short', async () => {
  const files = workspace(SIZES[1]);
  const analysis = analyzeFiles(files);
  const graph = buildGraph(analysis, { maxDenied: 2000 });
  assert.ok(graph.deniedTruncated, 'the 200-workload workspace has more denied pairs than the graph lists');
  const page = await openPage('light');
  try {
    const focus = graph.reachability.peers.find((p) => p.type === 'pod' && !p.implicit)!.id;
    // The host's focus message may come before the graph (the panel was just opened).
    await page.send({ type: 'focus', peer: focus });
    await page.send({ type: 'graph', graph });
    await page.waitForRender(1, 60_000);
    assert.equal(await page.page.evaluate(() => document.body.dataset.view), `focus ${focus}`);
    assert.equal(await page.page.inputValue('#search'), focus);
    await page.page.check('#show-denied');
    const [asked] = await page.waitForPosted('deniedOf');
    assert.deepEqual(asked, { type: 'deniedOf', peer: focus });
    const pairs = deniedPairsOf(analysis, focus);
    await page.send({ type: 'denied', peer: focus, pairs });
    await page.page.waitForFunction(
      (n) => document.querySelectorAll('#graph-elements li[data-kind="denied"]').length === n,
      pairs.length,
      { timeout: 30_000 },
    );
    const drawn = await page.drawn();
    const denied = drawn.filter((e) => e.kind === 'denied').map((e) => `${e.source}>${e.target}`);
    assert.deepEqual(denied.sort(), pairs.map((p) => `${p.src}>${p.dst}`).sort());
    assert.ok(denied.every((d) => d.split('>').includes(focus)));
    assertNoOverlap(drawn, 'focus with denied pairs');
    await page.page.screenshot({ path: join(ARTIFACTS, 'generated-200-focus-denied-light.png') });
    assert.deepEqual(page.errors, []);
  } finally {
    await page.page.context().close();
  }
});
