// The graph webview's draw times for two builds side by side, in headless Chromium: both pages get the
// same generated workspace (500 workloads in 50 namespaces unless told), in turn A B A B…, and each
// round draws the overview, expands the largest namespace, collapses it and focuses one of its
// workloads. The figures are the page's own `data-draw-ms` (model, diff, layout, details, text mirror),
// as test/webview/scale.test.ts prints them, and the CPU time of the page's main thread from the action
// to the paint after it (Chromium's ThreadTime: what a loaded machine does not inflate). Printed: their
// medians and the ratios B/A pair by pair.
//
//   npx tsx test/webview/graph-ab.bench.ts A_DIST B_DIST [--rounds N] [--pods N --namespaces N] [--profile FILE]
//
// A_DIST and B_DIST are folders holding a build's webview.js and webview.css (`dist` is this build).
// --profile writes a CPU profile (.cpuprofile, Chrome DevTools) of B's first expand.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Browser, CDPSession } from 'playwright-core';
import { analyzeFiles, buildGraph } from '../../server/src/core/index';
import { namespaceNodeId } from '../../client/src/webview/graph-model';
import { GraphPage, launchChromium, servePage, type PageServer } from './support';
import { generateWorkspace } from '../../bench/generate';

const STEPS = ['overview', 'expand', 'collapse', 'focus'] as const;
type Step = (typeof STEPS)[number];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    rounds: { type: 'string', default: '5' },
    pods: { type: 'string', default: '500' },
    namespaces: { type: 'string', default: '50' },
    profile: { type: 'string' },
  },
});
if (positionals.length !== 2) throw new Error('usage: graph-ab.bench.ts A_DIST B_DIST [--rounds N]');
const size = { pods: Number(values.pods), namespaces: Number(values.namespaces) };
const files = generateWorkspace({
  name: `graph-${size.pods}`,
  namespaces: size.namespaces,
  pods: size.pods,
  policies: size.namespaces * 3,
}).files;
const graph = buildGraph(analyzeFiles(files), { maxDenied: 2000 });
const pods = graph.reachability.peers.flatMap((p) => (p.type === 'pod' ? [p] : []));
const counts = new Map<string, number>();
for (const p of pods) counts.set(p.namespace, (counts.get(p.namespace) ?? 0) + 1);
const biggest = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0][0];
const focus = pods.find((p) => p.namespace === biggest)!.id;

/** A step's figures: the page's own draw time, and the main thread's CPU time until it is painted. */
interface Figure {
  draw: number;
  cpu: number;
}

/** The CPU time of the page's main thread so far (ms): what a busy machine's other work does not add. */
async function threadTime(cdp: CDPSession): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'ThreadTime')!.value * 1000;
}

/**
 * Runs `action` (which ends with the page's draw number `renders` done), waits for the frame after it
 * (the paint), and returns the draw time and the CPU time of the main thread from the action's start.
 */
async function measure(
  page: GraphPage,
  cdp: CDPSession,
  renders: number,
  action: () => Promise<void>,
): Promise<Figure> {
  const start = await threadTime(cdp);
  await action();
  await page.waitForRender(renders, 90_000);
  await page.page.evaluate(
    () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => done(null)))),
  );
  return { draw: await page.drawMs(), cpu: Math.round((await threadTime(cdp)) - start) };
}

/** Selects a node by clicking it (not measured), then presses the details panel's button (measured). */
async function press(page: GraphPage, cdp: CDPSession, id: string, button: string, renders: number) {
  const node = (await page.drawn()).find((e) => e.id === id)!;
  // The frame of an expanded namespace: its top edge, clear of its workloads.
  const point = node.kind === 'namespace' ? { ...node, y: node.y - node.height! / 2 + 4 } : node;
  await page.click(point);
  await page.page.waitForFunction((want) => document.body.dataset.selected === want, id, { timeout: 60_000 });
  return measure(page, cdp, renders, () =>
    page.page.click(`#details .actions button:text-is("${button}")`, { timeout: 60_000 }),
  );
}

async function round(browser: Browser, server: PageServer, profile?: string): Promise<Record<Step, Figure>> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = new GraphPage(await context.newPage());
    const cdp = await context.newCDPSession(page.page);
    await cdp.send('Performance.enable');
    await page.page.goto(`${server.url}?theme=light`);
    await page.waitForPosted('ready');
    const overview = await measure(page, cdp, 1, () => page.send({ type: 'graph', graph }));
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 1000 });
      await cdp.send('Profiler.start');
    }
    const expand = await press(page, cdp, namespaceNodeId(biggest), 'Expand', 2);
    if (profile) {
      const { profile: data } = await cdp.send('Profiler.stop');
      writeFileSync(profile, JSON.stringify(data));
    }
    const expandPhases = await page.page.evaluate(() => document.body.dataset.drawPhases);
    const collapse = await press(page, cdp, namespaceNodeId(biggest), 'Collapse', 3);
    const focused = await measure(page, cdp, 4, async () => {
      await page.page.fill('#search', focus);
      await page.page.press('#search', 'Enter');
    });
    if (page.errors.length > 0) throw new Error(page.errors.join('\n'));
    console.log(`  expand: ${expandPhases}`);
    return { overview, expand, collapse, focus: focused };
  } finally {
    await context.close();
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main(): Promise<void> {
  const [a, b] = await Promise.all(positionals.map((dist) => servePage(dist)));
  const browser = await launchChromium();
  const runs: Record<'A' | 'B', Record<Step, Figure>[]> = { A: [], B: [] };
  try {
    for (let i = 0; i < Number(values.rounds); i++) {
      runs.A.push(await round(browser, a));
      runs.B.push(await round(browser, b, i === 0 ? values.profile : undefined));
      console.log(`round ${i + 1}: A ${JSON.stringify(runs.A[i])} B ${JSON.stringify(runs.B[i])}`);
    }
  } finally {
    await browser.close();
    await a.close();
    await b.close();
  }
  console.log(
    `${size.pods} workloads, ${size.namespaces} namespaces; A ${positionals[0]}, B ${positionals[1]}`,
  );
  for (const step of STEPS) {
    for (const figure of ['draw', 'cpu'] as const) {
      const [as, bs] = [runs.A.map((r) => r[step][figure]), runs.B.map((r) => r[step][figure])];
      const ratios = bs.map((x, i) => x / as[i]);
      console.log(
        `${step} ${figure === 'draw' ? 'draw (ms, the page)' : 'main-thread CPU to the paint (ms)'}: ` +
          `A median ${median(as)} [${as.join(', ')}], B median ${median(bs)} [${bs.join(', ')}], ` +
          `B/A median ${median(ratios).toFixed(2)} [${ratios.map((r) => r.toFixed(2)).join(', ')}]`,
      );
    }
  }
}

void main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
