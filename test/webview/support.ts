// Serves the real graph page (client/src/graph/html.ts + dist/webview.js) with the fake VS Code host
// from a local HTTP server, and drives it in Debian's Chromium through playwright-core.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderGraphPage } from '../../client/src/graph/html';
import type { DrawnElement } from '../../client/src/webview/graph-view';
import type { HostToWebview, WebviewToHost } from '../../client/src/webview/messages';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Bundles the harness and serves the page; each request gets a fresh nonce, as each webview load does.
 * `dist` is the folder with webview.js and webview.css (another build's, to compare two side by side).
 */
export async function servePage(dist = 'dist'): Promise<PageServer> {
  const bundle = resolve(dist, 'webview.js');
  if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run \`npm run build\` first`);
  const harness = await esbuild.build({
    entryPoints: ['test/webview/harness/fake-vscode.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
  });
  const files: Record<string, { type: string; body: () => Buffer | string }> = {
    '/dist/webview.js': { type: 'text/javascript', body: () => readFileSync(bundle) },
    '/dist/webview.css': { type: 'text/css', body: () => readFileSync(resolve(dist, 'webview.css')) },
    '/harness.js': { type: 'text/javascript', body: () => harness.outputFiles[0].text },
  };
  let origin = '';
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', origin).pathname;
    if (path === '/index.html') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(
        renderGraphPage({
          cspSource: origin,
          nonce: randomBytes(18).toString('base64'),
          scripts: [`${origin}/harness.js`, `${origin}/dist/webview.js`],
          styles: [`${origin}/dist/webview.css`],
        }),
      );
      return;
    }
    const file = files[path];
    if (path === '/favicon.ico') {
      response.writeHead(204).end(); // the browser asks; a webview never does
      return;
    }
    if (!file) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type });
    response.end(file.body());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${origin}/index.html`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium), as .ci/run does`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
}

/** The page under test, with the fake host's side of the conversation. */
export class GraphPage {
  readonly errors: string[] = [];

  constructor(readonly page: Page) {
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`console: ${message.text()}`);
    });
    page.on('dialog', (dialog) => {
      this.errors.push(`dialog: ${dialog.message()}`);
      void dialog.dismiss();
    });
  }

  /** Sends a message from the "extension host", as VS Code delivers them: a window message event. */
  async send(message: HostToWebview): Promise<void> {
    await this.page.evaluate((m) => window.postMessage(m, '*'), message);
  }

  posted(): Promise<WebviewToHost[]> {
    return this.page.evaluate(
      () => (window as unknown as { __harness: { posted: WebviewToHost[] } }).__harness.posted,
    );
  }

  violations(): Promise<string[]> {
    return this.page.evaluate(
      () => (window as unknown as { __harness: { violations: string[] } }).__harness.violations,
    );
  }

  async waitForPosted(type: WebviewToHost['type'], count = 1): Promise<WebviewToHost[]> {
    await this.page.waitForFunction(
      ([t, n]) =>
        (window as unknown as { __harness: { posted: { type: string }[] } }).__harness.posted.filter(
          (m) => m.type === t,
        ).length >= n,
      [type, count] as const,
      { timeout: 15_000 },
    );
    return (await this.posted()).filter((m) => m.type === type);
  }

  renderCount(): Promise<number> {
    return this.page.evaluate(() => Number(document.body.dataset.renderCount ?? 0));
  }

  async waitForRender(count: number, timeout = 15_000): Promise<void> {
    await this.page.waitForFunction((n) => Number(document.body.dataset.renderCount ?? 0) >= n, count, {
      timeout,
    });
  }

  /** The drawn elements, read back from the page's text-only mirror of cytoscape. */
  drawn(): Promise<DrawnElement[]> {
    return this.page.$$eval('#graph-elements li', (items) =>
      items.map((li) => {
        const d = (li as HTMLElement).dataset;
        return {
          group: d.group as 'node' | 'edge',
          id: d.id!,
          label: li.textContent ?? '',
          kind: d.kind ?? '',
          classes: d.classes ?? '',
          parent: d.parent,
          source: d.source,
          target: d.target,
          x: Number(d.x),
          y: Number(d.y),
          width: d.width === undefined ? undefined : Number(d.width),
          height: d.height === undefined ? undefined : Number(d.height),
          selected: d.selected === 'true',
          peers: d.peers,
          labelBox: d.labelBox,
          titleBox: d.titleBox,
          labelShown: d.labelShown === undefined ? undefined : d.labelShown === 'true',
        };
      }),
    );
  }

  viewport(): Promise<{ zoom: number; pan: string }> {
    return this.page.evaluate(() => ({
      zoom: Number(document.body.dataset.zoom),
      pan: document.body.dataset.pan ?? '',
    }));
  }

  /** Clicks a drawn element where cytoscape draws it (model position → screen). */
  async click(element: DrawnElement, clickCount = 1): Promise<void> {
    const { zoom, pan } = await this.viewport();
    const [panX, panY] = pan.split(',').map(Number);
    const box = (await this.page.locator('#graph').boundingBox())!;
    await this.page.mouse.click(box.x + element.x * zoom + panX, box.y + element.y * zoom + panY, {
      clickCount,
    });
  }

  /** Moves the pointer onto a drawn element where cytoscape draws it. */
  async hover(element: DrawnElement): Promise<void> {
    const { zoom, pan } = await this.viewport();
    const [panX, panY] = pan.split(',').map(Number);
    const box = (await this.page.locator('#graph').boundingBox())!;
    await this.page.mouse.move(box.x + element.x * zoom + panX, box.y + element.y * zoom + panY);
  }

  /** How long the page's last draw took (model, diff, layout, mirror), as it measured it. */
  async drawMs(): Promise<number> {
    return Number(await this.page.evaluate(() => document.body.dataset.drawMs));
  }
}

type Box = { x1: number; y1: number; x2: number; y2: number };
const boxOf = (n: DrawnElement): Box => ({
  x1: n.x - n.width! / 2,
  y1: n.y - n.height! / 2,
  x2: n.x + n.width! / 2,
  y2: n.y + n.height! / 2,
});
const parseBox = (text: string): Box => {
  const [x1, y1, x2, y2] = text.split(',').map(Number);
  return { x1, y1, x2, y2 };
};
const labelBoxOf = (edge: DrawnElement): Box => parseBox(edge.labelBox!);
/** Two boxes overlap by more than the mirror's rounding (half a unit). */
const boxesMeet = (a: Box, b: Box) =>
  a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5;
/** Two boxes overlap, or come within the mirror's rounding of it: what the page may call an overlap. */
const boxesTouch = (a: Box, b: Box) =>
  a.x1 < b.x2 + 0.5 && b.x1 < a.x2 + 0.5 && a.y1 < b.y2 + 0.5 && b.y1 < a.y2 + 0.5;

/**
 * The boxes an edge label must not cover: workloads, collapsed namespaces, external nodes, and the
 * titles of the namespaces drawn with their workloads.
 */
function obstacles(drawn: DrawnElement[]): { id: string; box: Box }[] {
  const parents = new Set(drawn.flatMap((n) => (n.group === 'node' && n.parent ? [n.parent] : [])));
  return drawn.flatMap((n) => {
    if (n.group !== 'node') return [];
    if (!parents.has(n.id)) return [{ id: n.id, box: boxOf(n) }];
    return n.titleBox ? [{ id: `the title of ${n.id}`, box: parseBox(n.titleBox) }] : [];
  });
}

/**
 * The edge labels drawn at this zoom cover no node box (workloads, collapsed namespaces, external
 * nodes) and no other drawn label. Returns how many labels are drawn.
 */
export function assertLabelsClear(drawn: DrawnElement[], when: string): number {
  const blocking = obstacles(drawn);
  const labels = drawn.filter((e) => e.group === 'edge' && e.labelShown);
  for (const label of labels) {
    for (const node of blocking)
      assert.ok(
        !boxesMeet(labelBoxOf(label), node.box),
        `${when}: the label of ${label.id} covers ${node.id}`,
      );
  }
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++)
      assert.ok(
        !boxesMeet(labelBoxOf(labels[i]), labelBoxOf(labels[j])),
        `${when}: the labels of ${labels[i].id} and ${labels[j].id} overlap`,
      );
  return labels.length;
}

/** Whether an edge's label would cover a node box or a label that is drawn: the one reason to hide it. */
export function labelWouldCover(drawn: DrawnElement[], edge: DrawnElement): boolean {
  const box = labelBoxOf(edge);
  const shown = drawn.filter((e) => e.group === 'edge' && e.labelShown && e.id !== edge.id);
  return (
    obstacles(drawn).some((n) => boxesTouch(box, n.box)) || shown.some((e) => boxesTouch(box, labelBoxOf(e)))
  );
}

/** The edge labels' size and the zoom below which they are drawn on hover only, as the page has them. */
export async function labelSizingOf(page: GraphPage): Promise<{ fontSize: number; minZoom: number }> {
  return page.page.evaluate(() => ({
    fontSize: Number(document.body.dataset.labelFontSize),
    minZoom: Number(document.body.dataset.labelMinZoom),
  }));
}

/**
 * At the zoom the graph is fitted at, its edge labels are drawn, legible (7 px and more on screen),
 * each clear of the nodes and the other labels, and a label is hidden only because it would cover a
 * node or a label drawn before it. Returns how many are drawn, of how many, at which zoom.
 */
export async function assertLabelsAtFit(
  page: GraphPage,
  drawn: DrawnElement[],
  when: string,
): Promise<string> {
  const { zoom } = await page.viewport();
  const { fontSize, minZoom } = await labelSizingOf(page);
  const labelled = drawn.filter((e) => e.group === 'edge' && e.label !== '');
  const shown = labelled.filter((e) => e.labelShown);
  assert.ok(zoom >= minZoom * (1 - 1e-6), `${when}: fitted at zoom ${zoom}, labels drawn from ${minZoom}`);
  assert.ok(
    fontSize * zoom >= 7 - 1e-6,
    `${when}: labels of ${fontSize} at zoom ${zoom} are too small to read`,
  );
  assert.ok(
    labelled.every((e) => e.labelBox !== undefined),
    `${when}: every label has a box`,
  );
  if (labelled.length > 0) assert.ok(shown.length > 0, `${when}: no label of ${labelled.length} is drawn`);
  assertLabelsClear(drawn, when);
  for (const edge of labelled.filter((e) => !e.labelShown))
    assert.ok(
      labelWouldCover(drawn, edge),
      `${when}: the label of ${edge.id} (${edge.labelBox}, ${fontSize}px at zoom ${zoom}) is hidden but covers nothing`,
    );
  return `${shown.length}/${labelled.length} at ${zoom.toFixed(2)} (${fontSize}px)`;
}
