// The reachability graph webview as the e2e tests read and drive it: what it drew (its hidden text
// mirror, #graph-elements), the view it shows (body data attributes), clicks where cytoscape draws a
// node, and the Focus box. Revealing the panel again may replace its iframe, so the frame is found anew
// whenever a probe waits for something.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { rmSync } from 'node:fs';
import { ARTIFACTS, openSession, poll, type Session } from './harness';
import { Workbench } from './workbench';

/** One drawn element as the page's text mirror lists it. */
export interface Drawn {
  group: string;
  id: string;
  kind: string;
  label: string;
  classes: string;
  parent?: string;
  source?: string;
  target?: string;
  peers?: string;
}

/** Edges the diff mode marks (added, removed or changed). */
export const markedEdges = (items: Drawn[]): Drawn[] =>
  items.filter((e) => e.group === 'edge' && /\b(added|removed|changed)\b/.test(e.classes));

/** `src -> dst` of each edge. */
export const edgeEnds = (edges: Drawn[]): string[] => edges.map((e) => `${e.source} -> ${e.target}`).sort();

export class GraphPage {
  private current: Frame | undefined;

  constructor(private readonly bench: Workbench) {}

  /** The webview's frame, as last found. */
  get frame(): Frame {
    assert.ok(this.current, 'the graph webview was found');
    return this.current;
  }

  /** Finds the webview's frame (after the graph was opened or revealed). */
  async attach(): Promise<Frame> {
    this.current = await this.bench.graphFrame();
    return this.current;
  }

  /** Every element the page drew, from its text mirror. */
  async drawn(): Promise<Drawn[]> {
    return this.frame.locator('#graph-elements li').evaluateAll((items) =>
      items.map((li) => {
        const d = (li as unknown as { dataset: Record<string, string | undefined> }).dataset;
        return {
          group: d.group ?? '',
          id: d.id ?? '',
          kind: d.kind ?? '',
          label: (li as unknown as { textContent: string | null }).textContent ?? '',
          classes: d.classes ?? '',
          parent: d.parent,
          source: d.source,
          target: d.target,
          peers: d.peers,
        };
      }),
    );
  }

  /** A data attribute of the page's body (`view`, `zoom`, `pan`…). */
  dataset(name: string): Promise<string> {
    return this.frame
      .locator('body')
      .evaluate(
        (body, key) =>
          (body as unknown as { dataset: Record<string, string | undefined> }).dataset[key] ?? '',
        name,
      );
  }

  /** The status line under the graph. */
  status(): Promise<string> {
    return this.frame.locator('#status').innerText();
  }

  /**
   * Waits until `probe` holds, finding the frame anew each time; on a timeout, `otherwise` (when given)
   * runs the assertion that says what was there instead.
   */
  async shows(
    probe: () => Promise<boolean>,
    what: string,
    otherwise?: (error: Error) => Promise<void>,
  ): Promise<void> {
    await poll(
      async () => {
        await this.attach();
        return probe();
      },
      what,
      60_000,
    ).catch(async (error: Error) => {
      if (!otherwise) throw error;
      await otherwise(error);
    });
  }

  /** Whether the page (found anew) says it shows `view`. */
  async isShowing(view: string): Promise<boolean> {
    await this.attach();
    return (await this.dataset('view')) === view;
  }

  /** Waits until the page says it shows `view` ('overview', 'focus ns/name[Kind]'). */
  async waitForView(view: string, what: string): Promise<void> {
    await this.shows(
      async () => (await this.dataset('view')) === view,
      what,
      async (error) => assert.equal(await this.dataset('view'), view, error.message),
    );
  }

  /** Clicks a drawn node where cytoscape draws it (model position → screen, through both iframes). */
  async clickNode(id: string): Promise<void> {
    const box = await this.frame.locator(`#graph-elements li[data-id="${id}"]`).evaluate((li) => {
      const d = (li as unknown as { dataset: Record<string, string | undefined> }).dataset;
      return { x: Number(d.x), y: Number(d.y) };
    });
    const zoom = Number(await this.dataset('zoom'));
    const pan = (await this.dataset('pan')).split(',').map(Number);
    const graph = (await this.frame.locator('#graph').boundingBox())!;
    await this.bench.page.mouse.click(graph.x + box.x * zoom + pan[0], graph.y + box.y * zoom + pan[1]);
  }

  /** Clicks a node, then the button under its details (Expand, Collapse, Focus on this workload). */
  async nodeAction(id: string, action: string): Promise<void> {
    await this.clickNode(id);
    await this.frame.locator('#details .actions button', { hasText: action }).click();
  }

  /** Focuses a workload from the Focus box, as a person does: its name, then Enter. */
  async focusOn(id: string): Promise<void> {
    const search = this.frame.locator('#search');
    await search.fill(id);
    await search.press('Enter');
    await this.waitForView(`focus ${id}`, `the focus on ${id}`);
  }

  /** Back to the overview with every namespace collapsed (the Overview button). */
  async overview(): Promise<void> {
    await this.frame.locator('#collapse-all').click();
    await this.waitForView('overview', 'the overview');
  }

  /** A screenshot of the whole window into the e2e artifacts, besides the one each test saves. */
  async screenshot(name: string): Promise<void> {
    await this.bench.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  }
}

/** A code-server window on a workspace made for the test (in a temp folder of its own), and its graph. */
export async function openGraphSession(
  workspace: string,
): Promise<{ session: Session; bench: Workbench; graph: GraphPage }> {
  const session = await openSession(workspace);
  const bench = new Workbench(session.page);
  return { session, bench, graph: new GraphPage(bench) };
}

/** Closes the window and removes the temp folder the workspace was made in. */
export async function closeGraphSession(
  session: Session | undefined,
  workspace: string | undefined,
): Promise<void> {
  await session?.close();
  if (workspace) rmSync(join(workspace, '..'), { recursive: true, force: true });
}
