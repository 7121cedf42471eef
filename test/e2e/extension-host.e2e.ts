// Runs the mocha suite of test/extension-host inside code-server's extension host, with the packaged
// extension as the extension under development (VS Code's extensionDevelopmentPath/extensionTestsPath,
// passed to a browser-hosted window through its URL's `payload`). A browser must be attached: the
// extension host starts with the window. The suite writes mocha's JSON report, read here.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { bundleExtensionHostTests } from '../extension-host/bundle';
import { openSession, poll, withArtifacts, type Session } from './harness';

interface MochaTest {
  fullTitle: string;
  duration?: number;
  err: { message?: string; stack?: string };
}

interface MochaReport {
  stats: { tests: number; passes: number; failures: number; pending: number };
  passes: MochaTest[];
  failures: MochaTest[];
}

describe('extension host mocha suite in code-server', { timeout: 420_000 }, () => {
  let session: Session;
  let results: string;

  before(async () => {
    const index = await bundleExtensionHostTests();
    results = join(dirname(index), 'results.json');
    session = await openSession('three-tier', {
      query: ({ authority, extensionDir }) => ({
        payload: JSON.stringify([
          ['extensionDevelopmentPath', `vscode-remote://${authority}${extensionDir}`],
          ['extensionTestsPath', `vscode-remote://${authority}${index}`],
        ]),
      }),
    });
  });
  after(async () => {
    await session?.close();
  });

  it('passes every test of the suite', async () => {
    await withArtifacts(session, 'extension-host-suite', async () => {
      const report = await poll(
        () => (existsSync(results) ? (JSON.parse(readFileSync(results, 'utf8')) as MochaReport) : undefined),
        'the extension host suite to report',
        300_000,
      );
      for (const test of report.passes)
        console.log(`  ✔ [extension host] ${test.fullTitle} (${test.duration ?? 0} ms)`);
      for (const test of report.failures)
        console.log(`  ✖ [extension host] ${test.fullTitle}\n${test.err.stack ?? test.err.message}`);
      assert.ok(report.stats.tests > 0, 'the suite ran tests');
      assert.equal(
        report.stats.failures,
        0,
        report.failures.map((f) => `${f.fullTitle}: ${f.err.message}`).join('\n'),
      );
      assert.equal(report.stats.passes, report.stats.tests);
    });
  });
});
