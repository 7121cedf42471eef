// What a person does in VS Code, in terms of the workbench's DOM: open a file, run a command, go to a
// line, read the Problems panel and hovers, pick a code action. Each step waits for what it expects.
import type { Frame, Page } from 'playwright-core';
import { poll } from './harness';

export interface PanelProblem {
  /** Path relative to the workspace, e.g. `policies/database.yaml`. */
  file: string;
  severity: string;
  message: string;
  line: number;
  column: number;
}

export class Workbench {
  constructor(readonly page: Page) {}

  /** Closes whatever a failed step may have left open (quick input, menus, hovers). */
  async dismiss(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
  }

  /**
   * Moves the keyboard focus down a list until the focused row's aria-label is the wanted one, as a
   * person does with the arrow keys (clicks race with lists that re-render while results arrive).
   */
  private async focusRow(list: string, wanted: (label: string) => boolean, what: string): Promise<void> {
    const focused = this.page.locator(`${list} .monaco-list-row.focused`);
    await poll(async () => {
      const current = await focused.first().getAttribute('aria-label', { timeout: 1_000 });
      if (current !== null && wanted(current)) return true;
      await this.page.keyboard.press('ArrowDown');
      return undefined;
    }, `the focus on ${what}`);
  }

  /**
   * Opens a quick input with `key`, enters `text` after what it starts with (the palette's `>`) and
   * accepts the entry `wanted` picks. The text is filled in at once: typed key by key it took seconds.
   */
  private async pickEntry(
    key: string,
    text: string,
    wanted: (label: string) => boolean,
    timeoutMs?: number,
  ): Promise<void> {
    await this.page.keyboard.press(key);
    await this.choose(text, wanted, timeoutMs);
  }

  /**
   * In the quick input a command opened, types `text` and accepts the entry whose aria-label is the
   * wanted one; without `wanted`, accepts what was typed (an input box).
   */
  async choose(text: string, wanted?: (label: string) => boolean, timeoutMs?: number): Promise<void> {
    const { page } = this;
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`${await input.inputValue()}${text}`);
    if (!wanted) {
      await page.keyboard.press('Enter');
      return;
    }
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await poll(
      async () => {
        const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
        return labels.some(wanted);
      },
      `a quick input entry for "${text}"`,
      timeoutMs,
    );
    await this.focusRow('.quick-input-widget .quick-input-list', wanted, `the entry for "${text}"`);
    await page.keyboard.press('Enter');
  }

  private async quickInput(
    key: string,
    text: string,
    wanted: (label: string) => boolean,
    timeoutMs?: number,
  ): Promise<void> {
    await this.pickEntry(key, text, wanted, timeoutMs);
    await this.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /**
   * Runs a command that asks with a quick input, and returns once the palette has turned into that
   * prompt (its title or placeholder includes `prompt`). Some commands show it at once, others after a
   * request: waiting for the palette to close first would race with the former.
   */
  async commandAsking(title: string, prompt: string): Promise<void> {
    await this.pickEntry('F1', title, Workbench.isCommand(title));
    const input = this.page.locator('.quick-input-widget:visible .quick-input-box input');
    await poll(async () => {
      if ((await this.quickInputTitle()).includes(prompt)) return true;
      return (await input.count()) > 0 && (await input.first().getAttribute('placeholder'))?.includes(prompt);
    }, `the prompt "${prompt}" of ${title}`);
  }

  /** Whether a palette row's label is the command `title` ("Title" or "Title, Ctrl+K Ctrl+I"). */
  private static isCommand(title: string): (label: string) => boolean {
    return (l) => l === title || l.startsWith(`${title},`);
  }

  /** Runs a command from the palette by its title, e.g. "NetPol Lens: Show Reachability Graph". */
  async command(title: string): Promise<void> {
    await this.quickInput('F1', title, Workbench.isCommand(title));
  }

  /** Opens `relativePath` with Quick Open and waits until its editor has focus. */
  async open(relativePath: string): Promise<void> {
    const parts = relativePath.split('/');
    const name = parts.pop()!;
    const folder = parts.join('/');
    // Quick Open labels its rows "name folder" ("name" at the root), the first one with ", file results".
    const wanted = folder ? `${name} ${folder}` : name;
    const isEntry = (l: string) => l === wanted || l.startsWith(`${wanted},`);
    // Quick Open lists the files it found when it opened: on a busy machine a file written a moment ago
    // can be missing from that search, so a miss closes it and asks again.
    for (let attempt = 1; ; attempt++) {
      try {
        await this.quickInput('Control+P', relativePath, isEntry, attempt < 4 ? 8_000 : 20_000);
        break;
      } catch (error) {
        if (attempt >= 4) throw error;
        await this.page.keyboard.press('Escape');
      }
    }
    // A tab's label is the file's name, followed by ", Editor Group N" once there are several groups.
    const isTab = (label: string | null) => label === name || label?.startsWith(`${name}, Editor Group `);
    await poll(
      async () =>
        isTab(
          await this.page.locator('.editor-group-container.active .tab.active').getAttribute('aria-label'),
        ),
      `the editor tab of ${relativePath}`,
    );
  }

  /** Moves the cursor to a 1-based line and column (Go to Line/Column). */
  async goto(line: number, column: number): Promise<void> {
    const { page } = this;
    await page.keyboard.press('Control+G');
    await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
    await page.keyboard.type(`${line}:${column}`);
    // Enter only once the widget has read the text (it then offers "Go to line L and character C").
    const offer = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', {
      hasText: `Go to line ${line} and character ${column}`,
    });
    await poll(async () => (await offer.count()) > 0, `Go to line ${line}:${column} to be offered`);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await poll(
      async () => (await this.cursor()).join(':') === `${line}:${column}`,
      `the cursor at ${line}:${column}`,
      5_000,
    );
  }

  /** In the active editor, replaces the last word of a line by typing `word` over it (unsaved). */
  async retypeLastWord(line: number, word: string): Promise<void> {
    await this.goto(line, 1);
    await this.page.keyboard.press('End');
    await this.page.keyboard.press('Control+Shift+ArrowLeft');
    await this.page.keyboard.type(word);
  }

  /** The cursor position from the status bar ("Ln 9, Col 3"). */
  async cursor(): Promise<[number, number]> {
    const text = await this.page.locator('.statusbar-item[id="status.editor.selection"]').innerText();
    const m = /Ln (\d+), Col (\d+)/.exec(text);
    return m ? [Number(m[1]), Number(m[2])] : [0, 0];
  }

  /** Waits until the active editor has unsaved changes (an edit made through the client has landed). */
  async waitDirty(): Promise<void> {
    await poll(
      async () => (await this.page.locator('.editor-group-container.active .tab.active.dirty').count()) > 0,
      'the editor to have unsaved changes',
    );
  }

  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await poll(
      async () => (await this.page.locator('.editor-group-container.active .tab.active.dirty').count()) === 0,
      'the file to be saved',
    );
  }

  /** The title of the visible quick input ('' when none shows one). */
  private async quickInputTitle(): Promise<string> {
    const title = this.page.locator('.quick-input-widget:visible .quick-input-title');
    return (await title.count()) > 0 ? (await title.first().innerText()).trim() : '';
  }

  /** Waits for the quick input whose title includes `title` (a command's next prompt). */
  private async quickInputTitled(title: string): Promise<void> {
    await poll(async () => (await this.quickInputTitle()).includes(title), `the quick input "${title}"`);
  }

  /** Once the quick input whose title includes `title` shows, does {@link choose} in it. */
  async chooseIn(title: string, text: string, wanted?: (label: string) => boolean): Promise<void> {
    await this.quickInputTitled(title);
    await this.choose(text, wanted);
  }

  /** Types `text` into the quick input whose title includes `title`, once it shows, and accepts it. */
  private async answerQuickInput(title: string, text: string): Promise<void> {
    await this.quickInputTitled(title);
    const input = this.page.locator('.quick-input-widget .quick-input-box input');
    await input.fill(text);
    await poll(async () => (await input.inputValue()) === text, `"${text}" typed into "${title}"`);
    await this.page.keyboard.press('Enter');
  }

  /**
   * Runs Can A Reach B? from the palette, typing the source, the destination and the port (empty for any
   * connection) as a person does, and returns the answer as shown: the quick pick's title (`ALLOWED: …`
   * or `DENIED: …`) and its placeholder. The answer is dismissed afterwards.
   */
  async canReach(
    source: string,
    destination: string,
    port = '',
  ): Promise<{ title: string; placeholder: string }> {
    const { page } = this;
    const command = 'NetPol Lens: Can A Reach B?';
    // The palette is not closed in between: it turns into the command's first prompt.
    await this.pickEntry('F1', command, Workbench.isCommand(command));
    await this.answerQuickInput('A (source)', source);
    await this.answerQuickInput('B (destination)', destination);
    await this.answerQuickInput('Port (optional)', port);
    const title = await poll(async () => {
      const shown = await this.quickInputTitle();
      return /^(ALLOWED|DENIED): /.test(shown) ? shown : undefined;
    }, `the answer to ${source} → ${destination} ${port}`);
    const placeholder =
      (await page.locator('.quick-input-widget .quick-input-box input').getAttribute('placeholder')) ?? '';
    await page.keyboard.press('Escape');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    return { title, placeholder };
  }

  /** Closes the editor tab whose label starts with `title` (a file name, "Reachability Graph"). */
  async closeTab(title: string): Promise<void> {
    const tab = this.page.locator('.tab', { has: this.page.locator('.tab-label', { hasText: title }) });
    await tab.first().hover();
    await tab.first().locator('.tab-actions .codicon-close').click();
    await poll(async () => (await tab.count()) === 0, `the tab "${title}" to close`);
  }

  /** Every row of the Problems panel (it shows all files' diagnostics; groups are expanded). */
  async problems(): Promise<PanelProblem[]> {
    const panel = this.page.locator('.markers-panel');
    // Ctrl+Shift+M toggles the Problems panel: pressed only while it is hidden.
    if (!(await panel.isVisible())) await this.page.keyboard.press('Control+Shift+M');
    await panel.waitFor({ state: 'visible' });
    const rows = await panel.locator('.monaco-list-row').evaluateAll((els) =>
      els.map((e) => ({
        aria: e.getAttribute('aria-label') ?? '',
        text: (e as unknown as { innerText: string }).innerText,
      })),
    );
    const problems: PanelProblem[] = [];
    let file = '';
    for (const { aria, text } of rows) {
      const group = /^\d+ problems? in file (.+?)(?: of folder (.+))?$/.exec(aria);
      if (group) {
        // A file at the workspace root is "of folder ." (seen for a new file).
        file = group[2] && group[2] !== '.' ? `${group[2]}/${group[1]}` : group[1];
        continue;
      }
      const marker = /^(Error|Warning|Info|Hint): ([\s\S]*) at line (\d+) and character (\d+)\./.exec(aria);
      if (marker) {
        const message = text.split('\n')[0];
        problems.push({
          file,
          severity: marker[1],
          message,
          line: Number(marker[3]),
          column: Number(marker[4]),
        });
      }
    }
    return problems;
  }

  /** Shows the hover at the cursor (Show or Focus Hover). */
  async showHover(): Promise<void> {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+I');
  }

  /** The text of the visible hover ('' when none). */
  async hoverText(): Promise<string> {
    const texts = await this.page
      .locator('.monaco-hover:visible')
      .evaluateAll((els) => els.map((e) => (e as unknown as { innerText: string }).innerText));
    return texts.join('\n').trim();
  }

  /**
   * Shows the hover at the cursor until its text passes `shows`, and returns that text (whitespace
   * collapsed). A hover can close by itself (the document re-renders, the server was still busy): it is
   * asked for again, as a person would.
   */
  async hoverShowing(shows: (text: string) => boolean, what: string, timeoutMs = 30_000): Promise<string> {
    let text = '';
    return poll(
      async () => {
        text = (await this.hoverText()).replace(/\s+/g, ' ');
        if (text === '') await this.showHover();
        return shows(text) ? text : undefined;
      },
      what,
      timeoutMs,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\nhover: "${text}"`);
    });
  }

  /**
   * Clicks the link `text` in the hover at the cursor until `done` holds. The hover is shown again
   * whenever it has closed by itself (as {@link hoverShowing}); the click closes it.
   */
  async clickHoverLink(text: string, done: () => Promise<boolean>, what: string): Promise<void> {
    const link = this.page.locator('.monaco-hover:visible a', { hasText: text }).first();
    await poll(
      async () => {
        if (await done()) return true;
        if ((await link.count()) === 0) await this.showHover();
        else await link.click({ timeout: 2_000 }).catch(() => undefined);
        return false;
      },
      what,
      60_000,
    );
  }

  /** Opens the code action menu at the cursor (Ctrl+.) and applies the action titled `title`. */
  async codeAction(title: string): Promise<void> {
    const { page } = this;
    await page.keyboard.press('Control+.');
    const rows = page.locator('.action-widget .monaco-list-row.action');
    await poll(async () => {
      const labels = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') ?? ''));
      return labels.includes(title);
    }, `the code action "${title}" in the menu`);
    await this.focusRow('.action-widget', (l) => l === title, `"${title}"`);
    await page.keyboard.press('Enter');
    await page.locator('.action-widget').waitFor({ state: 'hidden' });
  }

  /**
   * The graph webview's frame: webviews are iframes inside an iframe; the page's own script mirrors
   * what it drew into a hidden list (#graph-elements).
   */
  async graphFrame(): Promise<Frame> {
    return poll(
      async () => {
        for (const frame of this.page.frames()) {
          if (
            (await frame
              .locator('#graph-elements')
              .count()
              .catch(() => 0)) > 0
          )
            return frame;
        }
        return undefined;
      },
      'the reachability graph webview',
      30_000,
    );
  }

  /** Workload/external node ids and `src -> dst` edges the webview drew (sorted). */
  async graphShape(frame: Frame): Promise<{ nodes: string[]; edges: string[] }> {
    const items = await frame.locator('#graph-elements li').evaluateAll((els) =>
      els.map((e) => {
        const data = (e as unknown as { dataset: Record<string, string | undefined> }).dataset;
        return {
          group: data.group,
          id: data.id,
          kind: data.kind,
          source: data.source,
          target: data.target,
          peers: data.peers,
        };
      }),
    );
    // An external node stands for the engine's ranges it merges: compare those with the CLI's output.
    const peersOf = new Map(items.map((i) => [i.id!, i.peers ? i.peers.split(' ') : [i.id!]]));
    const expand = (id: string) => peersOf.get(id) ?? [id];
    return {
      nodes: items
        .filter((i) => i.group === 'node' && (i.kind === 'pod' || i.kind === 'external'))
        .flatMap((i) => expand(i.id!))
        .sort(),
      edges: items
        .filter((i) => i.group === 'edge')
        .flatMap((i) => expand(i.source!).flatMap((s) => expand(i.target!).map((t) => `${s} -> ${t}`)))
        .sort(),
    };
  }
}
