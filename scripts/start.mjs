// `npm start`: builds and packages the extension, installs it into a project-local code-server and
// opens the three-tier tutorial workspace in it. Ctrl-C stops code-server and everything it started.
//
// Environment: PORT (default 8080).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  ROOT,
  createProfile,
  installExtension,
  launchCodeServer,
  setupCodeServer,
  stopProcessGroup,
  vsixPath,
} from './code-server.mjs';

const port = Number(process.env.PORT ?? 8080);
const folder = join(ROOT, 'test-fixtures/three-tier');

function step(message) {
  console.log(`\n== ${message}`);
}

step('building and packaging the extension');
execFileSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit' });

step('setting up code-server (first run takes a few minutes)');
const entry = setupCodeServer();

step('installing the extension into .cache/profile');
// The profile keeps your settings between runs; only the extension is replaced.
const profile = createProfile(join(ROOT, '.cache/profile'), {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
});
installExtension(entry, profile, vsixPath());

step(`starting code-server on port ${port}`);
const server = await launchCodeServer(entry, profile, { port, folder, output: 'inherit' }).catch((error) => {
  console.error(String(error.message ?? error));
  console.error(`Is port ${port} taken? Try PORT=8081 npm start.`);
  process.exit(1);
});

console.log(`\nNetPol Lens is running in VS Code at ${server.url}`);
console.log('Open that URL in your browser; press Ctrl-C here to stop.\n');

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server…');
  await server.stop();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('exit', () => stopProcessGroup(server.child, 'SIGKILL'));
const { code, signal } = await server.exited;
if (!stopping) {
  console.error(`code-server stopped by itself (${signal ?? `exit code ${code}`})`);
  process.exit(1);
}
