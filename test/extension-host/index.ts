// Entry point VS Code calls in the extension host (--extensionTestsPath): runs the mocha suite bundled
// next to this file and writes mocha's JSON report to results.json beside it, which the code-server
// harness reads (a browser-hosted window has no process exit code to hand back).
import { join } from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false,
    timeout: 60_000,
    reporter: 'json',
    reporterOptions: { output: join(__dirname, 'results.json') },
  });
  mocha.addFile(join(__dirname, 'suite.test.js'));
  // Last: it replaces the workspace's files for each fixture (and restores them afterwards).
  mocha.addFile(join(__dirname, 'claims.test.js'));
  return new Promise((resolve, reject) => {
    mocha.run((failures) =>
      failures > 0 ? reject(new Error(`${failures} extension host tests failed`)) : resolve(),
    );
  });
}
