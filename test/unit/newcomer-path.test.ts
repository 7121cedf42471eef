// The README's two commands are the whole story: `npm test` sets up what its suites need before they
// run, and CI's `.ci/run` calls nothing but the README's `npm ci` and `npm test`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

const scripts: Record<string, string> = JSON.parse(readFileSync('package.json', 'utf8')).scripts;

test('npm test runs the idempotent setup script before the webview and e2e suites', () => {
  const steps = scripts.test.split('&&').map((step) => step.trim());
  const at = (step: string) => steps.indexOf(step);
  assert.equal(scripts['test:setup'], 'bash scripts/code-server-setup.sh');
  assert.ok(at('npm run test:setup') >= 0, scripts.test);
  assert.ok(at('npm run test:setup') < at('npm run test:webview'), scripts.test);
  assert.ok(at('npm run test:webview') < at('npm run test:e2e'), scripts.test);
  // The script installs Debian's chromium itself (with sudo when not root).
  const setup = readFileSync('scripts/code-server-setup.sh', 'utf8');
  assert.match(setup, /APT_PACKAGES=\([^)]*\bchromium\b/);
  assert.match(setup, /SUDO=\(sudo\)/);
});

test('.ci/run calls only what the README tells a newcomer to run', () => {
  const commands = readFileSync('.ci/run', 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !/^(set|cd|echo) /.test(line));
  assert.deepEqual(commands, ['npm ci --no-audit --no-fund', 'npm test']);
  const readme = readFileSync('README.md', 'utf8');
  assert.match(readme, /```sh\nnpm ci && npm start\n```/);
  assert.match(readme, /```sh\nnpm test\n```/);
});
