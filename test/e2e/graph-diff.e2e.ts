// The graph's diff mode on the three-tier tutorial in a real VS Code (code-server), as a person uses it:
// the tutorial committed to git, then a DNS egress policy added to the database tier on disk; "Compare
// Reachability with… HEAD" marks the new connection in the detailed view; an unsaved edit in the editor
// (the database admits the frontend tier instead of the backend) adds the removed connection, dashed,
// while typing; the overview marks both namespace edges, and expanding a namespace marks its
// workloads' edges again. The changes are written down by hand from the tutorial's policies and checked
// against the engine's diff (the CLI, once the edit is saved) too.
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ROOT } from '../../scripts/code-server.mjs';
import {
  closeGraphSession,
  edgeEnds,
  markedEdges,
  openGraphSession,
  type Drawn,
  type GraphPage,
} from './graph-page';
import { cli, commitAll, withArtifacts, type Session } from './harness';
import type { Workbench } from './workbench';

const POLICY = 'policies/database.yaml';
/** Appended after the commit: the database tier may ask the cluster DNS (UDP 53). */
const DNS_EGRESS = `---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns-egress
  namespace: database
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
`;
const [frontend, backend, database, dns] = [
  'frontend/frontend',
  'backend/backend',
  'database/database',
  'kube-system/kube-dns',
].map((id) => `${id}[Deployment]`);
/** The changes, by hand: what the appended policy opens, and what the edit in the editor closes. */
const ADDED = `${database} -> ${dns}`;
const REMOVED = `${backend} -> ${database}`;

let session: Session;
let bench: Workbench;
let graph: GraphPage;
let source: string;

/** The engine's diff of the workspace on disk against HEAD, as `src -> dst` per change type. */
function engineDiff(): Record<string, string[]> {
  const output = cli(['diff', 'HEAD:.', '.', '-o', 'json', '-q'], session.workspace);
  const rows = (JSON.parse(output) as { diffs: { diffType: string; src: string; dst: string }[] }).diffs;
  const byType: Record<string, string[]> = {};
  for (const r of rows) (byType[r.diffType] ??= []).push(`${r.src} -> ${r.dst}`);
  return byType;
}

/** The marked edges as `src -> dst` per mark (added, removed, changed). */
function marks(items: Drawn[]): Record<string, string[]> {
  const byMark: Record<string, string[]> = {};
  for (const edge of markedEdges(items)) {
    const mark = ['added', 'removed', 'changed'].find((m) => edge.classes.split(' ').includes(m))!;
    (byMark[mark] ??= []).push(...edgeEnds([edge]));
  }
  for (const list of Object.values(byMark)) list.sort();
  return byMark;
}

/** Waits until the graph marks exactly `expected` (and its status counts `changes`). */
async function graphMarks(expected: Record<string, string[]>, changes: number, what: string): Promise<void> {
  await graph.shows(
    async () =>
      (await graph.status()).includes(`compared with HEAD: ${changes} changes`) &&
      JSON.stringify(marks(await graph.drawn())) === JSON.stringify(expected),
    what,
    async (error) => assert.deepEqual(marks(await graph.drawn()), expected, error.message),
  );
}

describe(
  'diff mode of the graph on the three-tier tutorial in VS Code (code-server)',
  { timeout: 300_000 },
  () => {
    before(async () => {
      source = join(mkdtempSync(join(tmpdir(), 'netpol-e2e-diff-')), 'three-tier');
      cpSync(join(ROOT, 'test-fixtures', 'three-tier'), source, { recursive: true });
      commitAll(source, 'the tutorial');
      appendFileSync(join(source, POLICY), DNS_EGRESS);
      ({ session, bench, graph } = await openGraphSession(source));
    });
    beforeEach(async () => {
      await bench?.dismiss();
    });
    after(() => closeGraphSession(session, source));

    it('compared with HEAD, the detailed view marks the connection the new policy opens', async () => {
      await withArtifacts(session, 'graph-diff-added', async () => {
        assert.deepEqual(engineDiff(), { added: [ADDED] }, 'the engine agrees with the change written down');
        await bench.open(POLICY);
        await bench.commandAsking('NetPol Lens: Compare Reachability with…', 'Compare reachability with');
        await bench.choose('HEAD', (label) => label.startsWith('HEAD'));
        await graph.attach();
        // Four workloads: below the overview threshold, the graph opens on the detailed view.
        await graphMarks({ added: [ADDED] }, 1, 'the added edge');
        const drawn = await graph.drawn();
        assert.ok(
          drawn.some((n) => n.kind === 'pod' && n.id === frontend),
          'the workloads are drawn (detailed view)',
        );
        const added = markedEdges(drawn)[0];
        assert.equal(added.label, 'UDP 53');
      });
    });

    it('an unsaved edit in the editor adds the connection it closes, dashed, while typing', async () => {
      await withArtifacts(session, 'graph-diff-removed', async () => {
        const text = readFileSync(join(session.workspace, POLICY), 'utf8');
        const line = text.split('\n').indexOf('              tier: backend') + 1;
        assert.ok(line > 0, `${POLICY} admits the backend tier`);
        await bench.page.keyboard.press('Control+1');
        await bench.open(POLICY);
        await bench.retypeLastWord(line, 'frontend');
        await bench.waitDirty();
        await graphMarks({ added: [ADDED], removed: [REMOVED] }, 2, 'the removed edge while typing');
        const removed = (await graph.drawn()).find((e) => e.kind === 'removed')!;
        assert.equal(removed.label, 'removed: All Connections');
        await graph.screenshot('graph-diff-detailed');
        // Saved, the engine's diff on disk says the same.
        await bench.save();
        assert.deepEqual(engineDiff(), { added: [ADDED], removed: [REMOVED] });
      });
    });

    it('the overview marks both namespace edges; an expanded namespace marks its workloads’ edges', async () => {
      await withArtifacts(session, 'graph-diff-overview', async () => {
        await graph.overview();
        const ns = (edge: string) => edge.replace(/([a-z-]+)\/[^ ]+\[Deployment\]/g, 'ns:$1');
        await graphMarks({ added: [ns(ADDED)], removed: [ns(REMOVED)] }, 2, 'the overview in diff mode');
        await graph.screenshot('graph-diff-overview');
        await graph.nodeAction('ns:database', 'Expand');
        await graphMarks(
          { added: [`${database} -> ns:kube-system`], removed: [`ns:backend -> ${database}`] },
          2,
          'the database namespace expanded in diff mode',
        );
      });
    });
  },
);
