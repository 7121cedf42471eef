// `npm run test:vscode`: the extension-host suite in a desktop VS Code downloaded by @vscode/test-electron
// (the standard runner), with this folder as the extension under development. Machines that cannot
// download VS Code run the same suite inside code-server instead (test/e2e/extension-host.e2e.ts, part
// of `npm test`).
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { ROOT } from '../../scripts/code-server.mjs';
import { bundleExtensionHostTests } from './bundle';

// The oldest VS Code the extension supports (package.json engines.vscode).
const VERSION = process.env.VSCODE_VERSION ?? '1.100.3';

async function main(): Promise<number> {
  const index = await bundleExtensionHostTests();
  const tmp = mkdtempSync(join(tmpdir(), 'netpol-vscode-'));
  const workspace = join(tmp, 'three-tier');
  cpSync(join(ROOT, 'test-fixtures/three-tier'), workspace, { recursive: true });
  let code = 0;
  try {
    await runTests({
      version: VERSION,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: index,
      launchArgs: [
        workspace,
        '--disable-extensions',
        '--disable-workspace-trust',
        '--user-data-dir',
        join(tmp, 'data'),
      ],
    });
  } catch (error) {
    console.error(`extension host tests failed: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  } finally {
    try {
      const report = JSON.parse(readFileSync(join(dirname(index), 'results.json'), 'utf8'));
      console.log(`${report.stats.passes} passed, ${report.stats.failures} failed`);
    } catch {
      console.error('no test report was written (did VS Code start?)');
      code = 1;
    }
    rmSync(tmp, { recursive: true, force: true });
  }
  return code;
}

main().then((code) => process.exit(code));
