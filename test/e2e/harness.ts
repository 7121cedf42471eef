// Runs the packaged extension in code-server and drives it with headless Chromium, as a person would:
// keyboard shortcuts, the command palette, the Problems panel, hovers and the light bulb menu.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  ROOT,
  createProfile,
  freePort,
  installExtension,
  installedExtensions,
  launchCodeServer,
  setupCodeServer,
  vsixPath,
  type Profile,
  type RunningCodeServer,
} from '../../scripts/code-server.mjs';

export const ARTIFACTS = join(ROOT, '.artifacts', 'e2e');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Polls `probe` until it returns something other than undefined/false; no fixed sleeps anywhere. */
export async function poll<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const detail = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${detail})`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Session {
  workspace: string;
  profile: Profile;
  server: RunningCodeServer;
  browser: Browser;
  page: Page;
  /** The folder the .vsix was installed to (holds dist/server.js). */
  extensionDir: string;
  close(): Promise<void>;
}

/** Settings of the test profile: no trust prompt, nothing that pops up over the editor. */
const TEST_SETTINGS = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'workbench.editor.enablePreview': false,
};

/**
 * Copies `fixture` (a folder under test-fixtures/, or an absolute path) to a fresh temp dir (the tests edit files),
 * installs the packaged .vsix into a fresh profile and opens the copy in code-server and Chromium.
 */
export async function openSession(
  fixture: string,
  options: {
    extraArgs?: string[];
    env?: Record<string, string>;
    /** Query parameters to add to the window's URL; told the server's authority and the extension's folder. */
    query?: (where: { authority: string; extensionDir: string }) => Record<string, string>;
  } = {},
): Promise<Session> {
  const tmp = mkdtempSync(join(tmpdir(), 'netpol-e2e-'));
  const workspace = join(tmp, fixture.split('/').pop()!);
  cpSync(isAbsolute(fixture) ? fixture : join(ROOT, 'test-fixtures', fixture), workspace, {
    recursive: true,
  });
  const entry = setupCodeServer();
  const profile = createProfile(join(tmp, 'profile'), TEST_SETTINGS);
  installExtension(entry, profile, vsixPath());
  const extensionDir = installedExtensions(profile).find((d) => /netpol-lens-\d/.test(d));
  if (!extensionDir) throw new Error(`the .vsix did not install into ${profile.extensionsDir}`);
  const server = await launchCodeServer(entry, profile, {
    port: await freePort(),
    folder: workspace,
    extraArgs: options.extraArgs,
    env: options.env,
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS });
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const url = new URL(server.url);
  url.searchParams.set('folder', workspace);
  const query = options.query?.({ authority: url.host, extensionDir }) ?? {};
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  await page.goto(url.href);
  await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
  return {
    workspace,
    profile,
    server,
    browser,
    page,
    extensionDir,
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

function slug(name: string): string {
  return name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '');
}

/**
 * Runs one test body; saves a screenshot afterwards and, when it fails, the extension host logs
 * (and code-server's own output) next to it.
 */
export async function withArtifacts(
  session: Session,
  name: string,
  body: () => Promise<void>,
): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const base = join(ARTIFACTS, slug(name));
  // Logs are kept for failures only: drop those of an earlier failed run.
  rmSync(`${base}-logs`, { recursive: true, force: true });
  rmSync(`${base}-code-server.log`, { force: true });
  try {
    await body();
  } catch (error) {
    cpSync(join(session.profile.userDataDir, 'logs'), `${base}-logs`, { recursive: true });
    writeFileSync(`${base}-code-server.log`, session.server.log());
    throw error;
  } finally {
    await session.page.screenshot({ path: `${base}.png` }).catch(() => undefined);
  }
}

/** Commits `dir` as it is to a fresh git repository (comparisons with HEAD read it). */
export function commitAll(dir: string, message: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', message);
}

/** The built CLI's output; exit code 1 (problems found in the input) still prints the answer. */
export function cli(args: string[], cwd: string): string {
  const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli.js'), ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`netpol-lens ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}
