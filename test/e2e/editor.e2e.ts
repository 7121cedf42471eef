// The packaged extension in a real VS Code (code-server) driven by headless Chromium, on a fresh copy of
// the three-tier tutorial workspace. Expected results come from the engine (CLI and core) on the same
// files. The tests run in order on one window; each leaves the files as it found them.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  expectedComparison,
  expectedFix,
  expectedGraph,
  expectedHover,
  expectedProblems,
  positionOf,
  sortProblems,
  type GraphShape,
} from './expected';
import { commitAll, openSession, poll, withArtifacts, type Session } from './harness';
import { Workbench, type PanelProblem } from './workbench';

const MISTAKES = 'policies/database.yaml'; // no DNS egress under a default-deny
const CLEAN = 'namespaces.yaml';

/** An expectations document the expectations test adds to the workspace (and removes again). */
const CONTRACT = 'contract.yaml';
const CONTRACT_TEXT = `apiVersion: netpol-lens/v1
kind: ConnectivityExpectations
metadata:
  name: three-tier-contract
expectations:
  - from: backend/backend
    to: database/database
    expect: allow
  - from: frontend/frontend
    to: database/database
    expect: deny
  - from: 198.51.100.20
    to: frontend/frontend
    port: 80/TCP
    expect: allow
`;

let session: Session;
let bench: Workbench;

/** Waits until the Problems panel lists exactly `expected` (order aside). */
async function panelShows(expected: PanelProblem[], what: string, timeoutMs = 20_000): Promise<void> {
  const want = sortProblems(expected);
  let seen: PanelProblem[] = [];
  try {
    await poll(
      async () => {
        seen = sortProblems(await bench.problems());
        return JSON.stringify(seen) === JSON.stringify(want);
      },
      what,
      timeoutMs,
    );
  } catch (error) {
    assert.deepEqual(seen, want, String(error));
  }
}

/** What the engine says of the workspace with `file` replaced by `text` (an unsaved edit). */
function withEdit<T>(file: string, text: string, engine: (workspace: string) => T): T {
  const copy = mkdtempSync(join(tmpdir(), 'netpol-e2e-expect-'));
  try {
    cpSync(session.workspace, copy, { recursive: true });
    writeFileSync(join(copy, file), text);
    return engine(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function problemsWith(file: string, text: string): PanelProblem[] {
  return withEdit(file, text, expectedProblems);
}

/** Waits until `file` on disk reads `text` (a save lands asynchronously). */
async function fileBecomes(file: string, text: string, what: string): Promise<void> {
  await poll(() => read(file) === text, what, 10_000).catch((error: Error) =>
    assert.equal(read(file), text, error.message),
  );
}

function read(file: string): string {
  return readFileSync(join(session.workspace, file), 'utf8');
}

/** Process ids of our language server: node running dist/server.js from the installed extension. */
function serverPids(): number[] {
  const script = join(session.extensionDir, 'dist', 'server.js');
  return execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes(script))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}

/** Types `typo` at the end of the line holding `needle`; returns the file's text with the typo. */
async function typeAtEndOf(file: string, needle: string, typo: string): Promise<string> {
  const text = read(file);
  const [line] = positionOf(text, needle);
  await bench.open(file);
  await bench.goto(line, 1);
  await bench.page.keyboard.press('End');
  await bench.page.keyboard.type(typo);
  const lines = text.split('\n');
  lines[line - 1] += typo;
  return lines.join('\n');
}

async function eraseTypo(typo: string): Promise<void> {
  for (let i = 0; i < typo.length; i++) await bench.page.keyboard.press('Backspace');
  await bench.save();
}

describe('netpol-lens in VS Code (code-server)', { timeout: 300_000 }, () => {
  before(async () => {
    session = await openSession('three-tier');
    bench = new Workbench(session.page);
  });
  beforeEach(async () => {
    await bench?.dismiss();
  });
  after(async () => {
    await session?.close();
  });

  it('shows the engine’s diagnostics in the Problems panel: the mistakes, and none for a clean file', async () => {
    await withArtifacts(session, 'diagnostics', async () => {
      const expected = expectedProblems(session.workspace);
      assert.ok(
        expected.some((p) => p.file === MISTAKES),
        `the fixture premise: the engine finds mistakes in ${MISTAKES}`,
      );
      assert.ok(!expected.some((p) => p.file === CLEAN), `the fixture premise: ${CLEAN} is clean`);
      await bench.open(MISTAKES);
      await panelShows(expected, 'the Problems panel to match `netpol-lens check`', 90_000);
      const shown = await bench.problems();
      assert.equal(
        shown.filter((p) => p.file === MISTAKES).length,
        expected.filter((p) => p.file === MISTAKES).length,
      );
      assert.equal(shown.filter((p) => p.file === CLEAN).length, 0);
    });
  });

  it('explains a podSelector in plain English on hover, with the workloads it matches', async () => {
    await withArtifacts(session, 'hover', async () => {
      const file = 'policies/backend.yaml';
      const text = read(file);
      // The podSelector of the DNS peer: it should name the (implicit) kube-dns workload.
      const [line, column] = positionOf(
        text,
        'podSelector:',
        positionOf(text, 'kubernetes.io/metadata.name')[0],
      );
      const expected = expectedHover(session.workspace, file, line, column + 2);
      assert.ok(
        expected.some((l) => /^Workloads \(\d+\)/.test(l)),
        'the core lists matching workloads',
      );
      await bench.open(file);
      await bench.goto(line, column + 2);
      const shown = await bench
        .hoverShowing(
          (hover) => expected.every((l) => hover.includes(l)),
          'the hover to read what the core explains',
        )
        .catch((error: Error) =>
          assert.fail(`${error.message}\nexpected lines: ${JSON.stringify(expected)}`),
        );
      assert.ok(shown.includes('kube-dns'), shown);
      await bench.page.keyboard.press('Escape');
    });
  });

  it('applies the "add DNS egress" quick-fix from the light bulb menu; undo restores the file', async () => {
    await withArtifacts(session, 'quick-fix', async () => {
      const fix = expectedFix(session.workspace, MISTAKES, 'netpol.dns-egress-missing', 'Allow DNS egress');
      const before = expectedProblems(session.workspace);
      await bench.open(MISTAKES);
      await bench.goto(fix.line, fix.column);
      await bench.codeAction(fix.title);
      await bench.waitDirty();
      await bench.save();
      await fileBecomes(MISTAKES, fix.after, 'the file after the fix');
      const fixed = expectedProblems(session.workspace);
      assert.ok(fixed.length < before.length, 'the engine no longer reports the missing DNS egress');
      await panelShows(fixed, 'the DNS diagnostic to disappear');

      await bench.page.keyboard.press('Control+Z');
      await bench.waitDirty();
      await bench.save();
      await fileBecomes(MISTAKES, fix.before, 'undo to restore the file');
      await panelShows(before, 'the diagnostic to come back after undo');
    });
  });

  it('shows a diagnostic for an error typed into a policy, and drops it once fixed', async () => {
    await withArtifacts(session, 'typing', async () => {
      const file = 'policies/frontend.yaml';
      const before = expectedProblems(session.workspace);
      const typo = 'X';
      const edited = await typeAtEndOf(file, 'protocol: TCP', typo);
      const withTypo = problemsWith(file, edited);
      const fresh = withTypo.filter((p) => !before.some((b) => JSON.stringify(b) === JSON.stringify(p)));
      assert.ok(fresh.length > 0 && fresh.every((p) => p.file === file), 'the engine reports the typo');
      await panelShows(withTypo, 'a diagnostic for the typo (unsaved)');
      await eraseTypo(typo);
      await panelShows(before, 'the diagnostic to go once the typo is fixed');
    });
  });

  it('draws the engine’s reachability graph in the webview, and redraws it when a policy changes', async () => {
    await withArtifacts(session, 'graph', async () => {
      const file = 'policies/database.yaml';
      const expected = expectedGraph(session.workspace);
      assert.ok(expected.edges.length > 0, 'the fixture premise: some pairs can connect');
      await bench.open(file);
      await bench.command('NetPol Lens: Show Reachability Graph');
      const frame = await bench.graphFrame();
      let drawn: GraphShape = { nodes: [], edges: [] };
      const drawsExactly = async (want: GraphShape, what: string) => {
        try {
          await poll(async () => {
            drawn = await bench.graphShape(frame);
            return JSON.stringify(drawn) === JSON.stringify(want);
          }, what);
        } catch (error) {
          assert.deepEqual(drawn, want, String(error));
        }
      };
      await drawsExactly(expected, 'the graph to show the connections of `netpol-lens reach`');
      // The internet range is drawn as policies/frontend.yaml writes it, not as the ranges it covers.
      const externals = await frame.locator('#graph-elements li[data-kind="external"]').allTextContents();
      assert.ok(
        externals.some((label) => label.split('\n')[0] === '0.0.0.0/0 except 10.0.0.0/8'),
        `an external node labelled with the policy's ipBlock: ${externals.join(' | ')}`,
      );

      // Let the frontend, not the backend, into the database: an unsaved edit in the editor.
      const text = read(file);
      const [line] = positionOf(text, 'tier: backend');
      // The graph opened beside the editor; Ctrl+1 goes back to the editor (Quick Open would open
      // the file in the graph's group and hide the graph).
      await bench.page.keyboard.press('Control+1');
      await bench.retypeLastWord(line, 'frontend');
      const edited = text.replace('tier: backend', 'tier: frontend');
      const changed = withEdit(file, edited, expectedGraph);
      assert.notDeepEqual(changed.edges, expected.edges, 'the edit changes who reaches the database');
      await drawsExactly(changed, 'the graph to follow the edit');

      await bench.page.keyboard.press('Control+Z');
      await bench.save();
      await fileBecomes(file, text, 'undo to restore the file');
      await drawsExactly(expected, 'the graph to return after undo');
      await bench.command('View: Close All Editor Groups');
    });
  });

  it('shows the comparison with HEAD and a violated expectation in the Problems panel as a policy is edited; undo clears both', async () => {
    await withArtifacts(session, 'expectations', async () => {
      // The tutorial's promises, written as an expectations document next to the manifests, and the
      // workspace committed to git: the server compares with HEAD (netpolLens.compareWith's default).
      writeFileSync(join(session.workspace, CONTRACT), CONTRACT_TEXT);
      commitAll(session.workspace, 'the tutorial and its contract');
      try {
        const before = expectedProblems(session.workspace);
        assert.ok(!before.some((p) => p.file === CONTRACT), 'the premise: every expectation holds');
        await bench.open(CONTRACT);
        await panelShows(before, 'the expectations to hold');

        // Let the frontend, not the backend, into the database: an unsaved edit in another file.
        const file = 'policies/database.yaml';
        const text = read(file);
        const [line] = positionOf(text, 'tier: backend');
        await bench.open(file);
        await bench.retypeLastWord(line, 'frontend');
        const edited = text.replace('tier: backend', 'tier: frontend');
        const broken = problemsWith(file, edited);
        assert.deepEqual(
          broken.filter((p) => p.file === CONTRACT).map((p) => [p.line, p.message.split(':')[0]]),
          [[6, 'Expected backend/backend → database/database to be allowed, but it is denied']],
          'the engine: only the backend → database promise breaks',
        );
        const compared = expectedComparison(session.workspace, file, edited);
        assert.deepEqual(
          compared.map((p) => [p.file, p.severity, p.message]),
          [
            [
              file,
              'Info',
              'compared with HEAD: no longer allows backend/backend → database/database on all connections',
            ],
          ],
          // The frontend's egress still goes only to the backend: nothing new opens.
          'the engine: the edited policy closes backend → database',
        );
        await panelShows([...broken, ...compared], 'the comparison and the violation while typing', 30_000);

        await bench.page.keyboard.press('Control+Z');
        await bench.save();
        await fileBecomes(file, text, 'undo to restore the file');
        await panelShows(before, 'the comparison and the violation to go after undo');
        await bench.command('View: Close All Editor Groups');
      } finally {
        rmSync(join(session.workspace, CONTRACT), { force: true });
        rmSync(join(session.workspace, '.git'), { recursive: true, force: true });
      }
    });
  });

  it('restarts the language server after it is killed, and diagnostics come back', async () => {
    await withArtifacts(session, 'server-restart', async () => {
      const [old] = await poll(() => {
        const pids = serverPids();
        return pids.length === 1 ? pids : undefined;
      }, 'exactly one language server process');
      process.kill(old, 'SIGKILL');
      const [restarted] = await poll(
        () => {
          const pids = serverPids();
          return pids.length === 1 && pids[0] !== old ? pids : undefined;
        },
        'a new language server process',
        30_000,
      );
      assert.notEqual(restarted, old);
      // The new server analyses live edits: a new diagnostic appears and goes, the others stay.
      const file = 'policies/backend.yaml';
      const before = expectedProblems(session.workspace);
      const typo = 'X';
      const edited = await typeAtEndOf(file, 'protocol: UDP', typo);
      await panelShows(problemsWith(file, edited), 'diagnostics from the restarted server', 30_000);
      await eraseTypo(typo);
      await panelShows(before, 'the diagnostics of the saved files');
    });
  });
});
