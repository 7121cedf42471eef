// The graph in diff mode as a real comparison drives it: a git repository holding the diff fixtures'
// base, the language server (in process) with three policies edited in the editor, its
// `netpolLens/compare` answer, and the graph request in diff mode, drawn in headless Chromium. The
// changes below are written down by hand from the fixtures (test-fixtures/diff/README.md), not read
// back from the engine. Screenshots of both views in light and dark go to the suite's artifacts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { COMPARE, GRAPH, type CompareResult, type GraphResult } from '../../server/src/protocol';
import { allowedEdgeId, EXTERNAL_GROUP, namespaceNodeId } from '../../client/src/webview/graph-model';
import type { DrawnElement } from '../../client/src/webview/graph-view';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';
import { GraphPage, launchChromium, servePage, type PageServer } from './support';

const ARTIFACTS = 'artifacts/webview';
const FIXTURES = join(process.cwd(), 'test-fixtures', 'diff');
/** Each edited file: the overlay of a diff case that replaces it. */
const EDITS = {
  'policies/db.yaml': 'changed-port', // api → db on TCP 5432-5433 instead of 5432
  'policies/api.yaml': 'removed-rule', // web may no longer reach api (TCP 8080)
  'policies/batch.yaml': 'batch-egress', // batch may reach 192.168.0.0/16 on TCP 443
};
const [web, api, db, batch] = ['web', 'api', 'db', 'batch'].map((name) => `shop/${name}[Deployment]`);

let browser: Browser;
let server: PageServer;
let repo: string;
let graph: GraphResult;
let compared: CompareResult;

before(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  repo = mkdtempSync(join(tmpdir(), 'netpol-webview-compare-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
  git('init', '-q');
  cpSync(join(FIXTURES, 'base'), repo, { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'base');

  const client = inProcessClient(() => ({ debounceMs: 5, compareWith: 'HEAD' }));
  try {
    await initializeWorkspace(client, repo, { name: 'shop' });
    await client.session!.ready;
    // The edits as unsaved editor buffers: the files on disk stay as HEAD has them.
    for (const [file, overlay] of Object.entries(EDITS)) {
      const uri = pathToFileURL(join(repo, file)).toString();
      const text = readFileSync(join(FIXTURES, overlay, file), 'utf8');
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text },
      });
      await client.waitFor(() => client.latest(uri)?.version === 1, `diagnostics of ${file}`);
    }
    compared = (await client.connection.sendRequest(COMPARE, {})) as CompareResult;
    graph = (await client.connection.sendRequest(GRAPH, {
      compare: { kind: 'revision', revision: 'HEAD' },
    })) as GraphResult;
  } finally {
    await client.close();
  }
  server = await servePage();
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (repo) rmSync(repo, { recursive: true, force: true });
});

async function drawIn(
  theme: string,
  overviewThreshold: number,
): Promise<{ page: GraphPage; drawn: DrawnElement[] }> {
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  const page = new GraphPage(await context.newPage());
  await page.page.goto(`${server.url}?theme=${theme}`);
  await page.waitForPosted('ready');
  await page.send({ type: 'graph', graph, settings: { overviewThreshold } });
  await page.waitForRender(1, 60_000);
  return { page, drawn: await page.drawn() };
}

const classesOf = (e: DrawnElement) => e.classes.split(' ');

test('the comparison the server answers has the three changes the edits make', () => {
  assert.equal(compared.base, 'HEAD');
  assert.equal(compared.error, undefined);
  assert.deepEqual(
    compared.rows.map((r) => [r.diffType, r.src, r.dst, r.ref1, r.ref2]).sort(),
    [
      ['added', batch, '192.168.0.0-192.168.255.255[External]', 'No Connections', 'TCP 443'],
      ['changed', api, db, 'TCP 5432', 'TCP 5432-5433'],
      ['removed', web, api, 'TCP 8080', 'No Connections'],
    ].sort(),
  );
});

for (const theme of ['light', 'dark']) {
  test(`detailed view in diff mode (${theme}): added, removed (dashed) and changed (old → new) edges`, async () => {
    const { page, drawn } = await drawIn(theme, 40);
    try {
      const edge = (id: string) => drawn.find((e) => e.group === 'edge' && e.id === id);
      const changed = edge(allowedEdgeId(api, db));
      assert.ok(changed, 'api → db is drawn');
      assert.ok(classesOf(changed).includes('changed'), changed.classes);
      assert.equal(changed.label, 'TCP 5432 → TCP 5432-5433');
      const removed = edge(`removed:${allowedEdgeId(web, api)}`);
      assert.ok(removed, 'web → api is drawn as removed');
      assert.ok(classesOf(removed).includes('removed'), removed.classes);
      assert.equal(removed.label, 'removed: TCP 8080');
      assert.equal(edge(allowedEdgeId(web, api)), undefined, 'no allowed web → api edge is left');
      const added = drawn.filter(
        (e) => e.group === 'edge' && e.source === batch && classesOf(e).includes('added'),
      );
      assert.equal(added.length, 1, 'batch → the 192.168.0.0/16 addresses is added');
      const range = drawn.find((e) => e.id === added[0].target)!;
      assert.equal(range.kind, 'external');
      assert.match(range.label, /192\.168\./);
      assert.equal(added[0].label, 'TCP 443');
      // Nothing else is marked as changed.
      const marked = drawn.filter((e) => e.group === 'edge' && /\b(added|removed|changed)\b/.test(e.classes));
      assert.equal(marked.length, 3, marked.map((e) => e.id).join(', '));
      assert.match(
        await page.page.textContent('#status').then((t) => t ?? ''),
        /compared with HEAD: 3 changes/,
      );
      await page.page.screenshot({ path: join(ARTIFACTS, `compare-detailed-${theme}.png`) });
      assert.deepEqual(page.errors, []);
    } finally {
      await page.page.context().close();
    }
  });

  test(`overview in diff mode (${theme}): the namespace's new edge to the addresses is marked added`, async () => {
    const { page, drawn } = await drawIn(theme, 1);
    try {
      assert.ok(drawn.some((e) => e.id === namespaceNodeId('shop') && e.kind === 'namespace-summary'));
      const out = drawn.find((e) => e.id === allowedEdgeId(namespaceNodeId('shop'), EXTERNAL_GROUP));
      assert.ok(out, 'shop → external addresses is drawn');
      assert.ok(classesOf(out).includes('added'), out.classes);
      await page.page.screenshot({ path: join(ARTIFACTS, `compare-overview-${theme}.png`) });
      assert.deepEqual(page.errors, []);
    } finally {
      await page.page.context().close();
    }
  });
}
