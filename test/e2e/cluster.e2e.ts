// Cluster-scoped policies in a real VS Code (code-server): on a copy of the spec's worked example E1 the
// Problems panel shows the cluster-policy lint that `netpol-lens check` finds (allow-b's rule can never
// decide anything: deny-b runs first), and the hover on an AdminNetworkPolicy explains it in plain English.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { expectedHover, expectedProblems, positionOf, sortProblems } from './expected';
import { openSession, poll, withArtifacts, type Session } from './harness';
import { Workbench, type PanelProblem } from './workbench';

const FILE = 'policies.yaml';

let session: Session;
let bench: Workbench;

describe('cluster policies in VS Code (code-server)', { timeout: 300_000 }, () => {
  before(async () => {
    session = await openSession('cluster-policies/e1-priority');
    bench = new Workbench(session.page);
  });
  beforeEach(async () => {
    await bench?.dismiss();
  });
  after(async () => {
    await session?.close();
  });

  it('shows the cluster-policy diagnostic that check finds', async () => {
    await withArtifacts(session, 'cluster-diagnostics', async () => {
      const expected = sortProblems(expectedProblems(session.workspace));
      // Written down from the example: allow-from-b (priority 20) is shadowed by deny-from-b (priority 10).
      const shadowed = expected.find((p) => p.message.startsWith('This rule never decides anything'));
      assert.ok(
        shadowed && shadowed.file === FILE && shadowed.severity === 'Warning',
        JSON.stringify(expected),
      );
      await bench.open(FILE);
      let seen: PanelProblem[] = [];
      await poll(
        async () => {
          seen = sortProblems(await bench.problems());
          return JSON.stringify(seen) === JSON.stringify(expected);
        },
        'the Problems panel to match `netpol-lens check`',
        90_000,
      ).catch((error: Error) => assert.deepEqual(seen, expected, error.message));
    });
  });

  it('explains an AdminNetworkPolicy on hover: tier, priority, what it denies, before any NetworkPolicy', async () => {
    await withArtifacts(session, 'cluster-hover', async () => {
      const text = readFileSync(join(session.workspace, FILE), 'utf8');
      const [line, column] = positionOf(text, 'name: deny-b}');
      const expected = expectedHover(session.workspace, FILE, line, column + 7);
      const sentence =
        'Admin tier, priority 10: denies ingress to all pods in namespaces team=a from all pods in namespaces team=b, on all ports, before any NetworkPolicy.';
      assert.ok(expected.includes(sentence), JSON.stringify(expected));
      await bench.open(FILE);
      await bench.goto(line, column + 7);
      let hover = '';
      await poll(async () => {
        hover = (await bench.hoverText()).replace(/\s+/g, ' ');
        if (hover === '') await bench.showHover();
        return expected.every((l) => hover.includes(l)) ? hover : undefined;
      }, 'the hover to read what the core explains').catch((error: Error) => {
        assert.fail(`${error.message}\nexpected lines: ${JSON.stringify(expected)}\nhover: "${hover}"`);
      });
      assert.ok(hover.includes(sentence), hover);
      await bench.page.keyboard.press('Escape');
    });
  });
});
