// Runs the packaged extension in code-server (a real VS Code served to a browser): used by `npm start`
// and by the e2e suite. code-server itself is installed by code-server-setup.sh.
/* global fetch */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { clearTimeout, setTimeout } from 'node:timers';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Installs code-server when missing (idempotent, fast when done) and returns its entry script. */
export function setupCodeServer() {
  const out = execFileSync('bash', [join(ROOT, 'scripts/code-server-setup.sh')], {
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  return out.trim().split('\n').pop();
}

/** The .vsix that `npm run package` wrote for the version in package.json. */
export function vsixPath() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
}

/**
 * A profile: user data, extensions and code-server's own config, all under `dir`.
 * `settings` go to the user's settings.json when the profile has none yet (a kept profile keeps its own).
 */
export function createProfile(dir, settings = {}) {
  const profile = {
    dir,
    userDataDir: join(dir, 'data'),
    extensionsDir: join(dir, 'extensions'),
    config: join(dir, 'config.yaml'),
  };
  mkdirSync(join(profile.userDataDir, 'User'), { recursive: true });
  mkdirSync(profile.extensionsDir, { recursive: true });
  const settingsFile = join(profile.userDataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
  // Without --config code-server writes a config with a password into the user's home.
  writeFileSync(profile.config, 'auth: none\n');
  return profile;
}

function commonArgs(profile) {
  return [
    '--config',
    profile.config,
    '--user-data-dir',
    profile.userDataDir,
    '--extensions-dir',
    profile.extensionsDir,
  ];
}

/** Installs (or reinstalls) a .vsix into the profile, as `code --install-extension` does. */
export function installExtension(entry, profile, vsix) {
  execFileSync(process.execPath, [entry, ...commonArgs(profile), '--force', '--install-extension', vsix], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Folders of the extensions installed in the profile (e.g. `netpol-lens.netpol-lens-0.1.0`). */
export function installedExtensions(profile) {
  return readdirSync(profile.extensionsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => join(profile.extensionsDir, e.name));
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts code-server on 127.0.0.1:port with `folder` open, in its own process group so that
 * stop() ends it with its extension hosts and language servers. Resolves once it answers HTTP.
 */
export async function launchCodeServer(
  entry,
  profile,
  { port, folder, extraArgs = [], env = {}, output = 'pipe' },
) {
  const args = [
    entry,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...commonArgs(profile),
    ...extraArgs,
    folder,
  ];
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', output, output],
    env: { ...process.env, ...env },
  });
  let log = '';
  if (output === 'pipe') {
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
  }
  const url = `http://127.0.0.1:${port}/`;
  const exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await Promise.race([
      fetch(`${url}healthz`).then(
        (r) => r.status,
        () => 0,
      ),
      exited.then(() => -1),
    ]);
    if (status === 200) break;
    if (status === -1) throw new Error(`code-server exited before answering:\n${log}`);
    if (Date.now() > deadline) {
      stopProcessGroup(child);
      throw new Error(`code-server did not answer on ${url} within 60 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    child,
    log: () => log,
    exited,
    stop: async () => {
      stopProcessGroup(child);
      const killer = setTimeout(() => stopProcessGroup(child, 'SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** Signals the whole process group (code-server, its extension hosts, our language server). */
export function stopProcessGroup(child, signal = 'SIGTERM') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
