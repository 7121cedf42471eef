// The tutorial claims of one fixture (test-fixtures/db-policy/claims.yaml, written down by hand) through
// the real UI: the Can A Reach B? answer in the command palette, the Problems panel, the graph webview.
// The extension-host suite (test/extension-host/claims.test.ts) checks every claim of every fixture
// through the command's API; these tests cover the plumbing to what a person reads.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ROOT } from '../../scripts/code-server.mjs';
import { readClaims, validClaim, type Claim } from '../support/claims';
import { openSession, poll, withArtifacts, type Session } from './harness';
import { Workbench, type PanelProblem } from './workbench';

const FIXTURE = 'db-policy';
/** An expectations document the Problems panel test adds (and removes). */
const CONTRARY = 'contrary-expectations.yaml';

const claims: Claim[] = readClaims(join(ROOT, 'test-fixtures', FIXTURE, 'claims.yaml')).map((entry, i) =>
  validClaim(entry, `${FIXTURE}/claims.yaml: claim ${i + 1}`),
);

let session: Session;
let bench: Workbench;

const verdict = (allowed: boolean) => (allowed ? 'allowed' : 'denied');
const describeClaim = (c: Claim) => `${c.from} → ${c.to} ${c.port ?? 'any port'}: ${verdict(c.allowed)}`;

/**
 * Every claim written as the expectation to the contrary, so each must show in the Problems panel as
 * violated, saying what the editor found; returns the text and the 1-based line of each claim's entry.
 */
function contraryExpectations(): { text: string; lines: number[] } {
  const head = [
    'apiVersion: netpol-lens/v1',
    'kind: ConnectivityExpectations',
    'metadata:',
    '  name: contrary',
  ];
  const body: string[] = ['expectations:'];
  const lines: number[] = [];
  for (const c of claims) {
    lines.push(head.length + body.length + 1);
    body.push(`  - from: ${c.from}`, `    to: ${c.to}`);
    if (c.port) body.push(`    port: ${c.port}`);
    body.push(`    expect: ${c.allowed ? 'deny' : 'allow'}`);
  }
  return { text: [...head, ...body, ''].join('\n'), lines };
}

/** Whether an answer's title names the peer: a workload by its id; an address by the range it falls in. */
function names(title: string, spec: string): boolean {
  return /^\d+\.\d+\.\d+\.\d+$/.test(spec) ? title.includes('[External]') : title.includes(`${spec}[`);
}

/** "Expected A → B … to be denied, but it is allowed: …": the verdict the editor reports, or undefined. */
function reportedVerdict(message: string): string | undefined {
  return /^Expected .+ to be (?:allowed|denied), but it is (allowed|denied)\b/.exec(message)?.[1];
}

/** The peer ids (as the graph's nodes stand for them) a claim's end is: a workload, or ranges holding an address. */
function peersOf(spec: string, nodes: string[]): string[] {
  if (!/^\d+\.\d+\.\d+\.\d+$/.test(spec)) return nodes.filter((id) => id.startsWith(`${spec}[`));
  const value = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  return nodes.filter((id) => {
    const range = /^([\d.]+)-([\d.]+)\[External\]$/.exec(id);
    return range !== null && value(range[1]) <= value(spec) && value(spec) <= value(range[2]);
  });
}

/**
 * What the drawn graph says against the claims ('' when it agrees): an allowed claim needs an edge
 * between its ends (on some port, so its port too when it has one); a claim that nothing is allowed,
 * none. A claim that one port is denied says nothing about the edge.
 */
function graphDisagreement(shape: { nodes: string[]; edges: string[] }): string {
  const edges = new Set(shape.edges);
  const problems: string[] = [];
  for (const c of claims) {
    const from = peersOf(c.from, shape.nodes);
    const to = peersOf(c.to, shape.nodes);
    if (c.allowed && (from.length === 0 || to.length === 0)) {
      problems.push(`${describeClaim(c)}: no node for ${from.length === 0 ? c.from : c.to}`);
      continue;
    }
    const drawn = from.some((s) => to.some((d) => edges.has(`${s} -> ${d}`)));
    if (c.allowed && !drawn) problems.push(`${describeClaim(c)}: no edge drawn`);
    if (!c.allowed && c.port === undefined && drawn) problems.push(`${describeClaim(c)}: an edge is drawn`);
  }
  return problems.join('\n');
}

describe('tutorial claims in VS Code (code-server)', { timeout: 300_000 }, () => {
  before(async () => {
    session = await openSession(FIXTURE);
    bench = new Workbench(session.page);
  });
  beforeEach(async () => {
    await bench?.dismiss();
  });
  after(async () => {
    await session?.close();
  });

  it('answers each outcome the tutorial states in Can A Reach B?, as claims.yaml writes it down', async () => {
    await withArtifacts(session, 'claims-can-reach', async () => {
      const stated = claims.filter((c) => c.tutorial !== undefined);
      assert.ok(stated.length >= 5, 'the fixture premise: the tutorial states outcomes');
      await bench.open('README.md');
      const wrong: string[] = [];
      for (const claim of stated) {
        const { title, placeholder } = await bench.canReach(claim.from, claim.to, claim.port ?? '');
        const shown = title.startsWith('ALLOWED: ') ? 'allowed' : 'denied';
        // The placeholder repeats the verdict in words: "Allowed. All connections…" or "Denied.".
        const worded = placeholder.startsWith('Allowed.')
          ? 'allowed'
          : placeholder === 'Denied.'
            ? 'denied'
            : '?';
        if (shown !== verdict(claim.allowed) || worded !== shown || !names(title, claim.from))
          wrong.push(`${describeClaim(claim)} (${claim.why}); shown: "${title}" / "${placeholder}"`);
      }
      assert.deepEqual(wrong, []);
    });
  });

  it('shows every claim, written as the expectation to the contrary, as violated in the Problems panel', async () => {
    await withArtifacts(session, 'claims-problems', async () => {
      const { text, lines } = contraryExpectations();
      writeFileSync(join(session.workspace, CONTRARY), text);
      try {
        await bench.open(CONTRARY);
        // Room for a row per claim: the panel's list only renders the rows it shows.
        await bench.problems();
        await bench.command('View: Toggle Maximized Panel');
        let rows: PanelProblem[] = [];
        const check = () => {
          const byLine = new Map(rows.map((p) => [p.line, p.message]));
          return claims.flatMap((c, i) => {
            const message = byLine.get(lines[i]);
            const reported = message === undefined ? undefined : reportedVerdict(message);
            return reported === verdict(c.allowed)
              ? []
              : [`line ${lines[i]}, ${describeClaim(c)} (${c.why}); the panel: ${message ?? 'nothing'}`];
          });
        };
        await poll(
          async () => {
            rows = (await bench.problems()).filter((p) => p.file === CONTRARY);
            return rows.length === claims.length && check().length === 0;
          },
          'a violation per claim in the Problems panel',
          60_000,
        ).catch((error: Error) => assert.deepEqual(check(), [], `${error.message}; rows: ${rows.length}`));
        await bench.command('View: Toggle Maximized Panel');
        await bench.command('View: Close All Editor Groups');
      } finally {
        rmSync(join(session.workspace, CONTRARY), { force: true });
      }
    });
  });

  it('draws an edge for each allowed claim and none where a claim allows nothing, in the graph', async () => {
    await withArtifacts(session, 'claims-graph', async () => {
      await bench.open('README.md');
      await bench.command('NetPol Lens: Show Reachability Graph');
      const frame = await bench.graphFrame();
      let shape = { nodes: [] as string[], edges: [] as string[] };
      await poll(async () => {
        shape = await bench.graphShape(frame);
        return shape.edges.length > 0 && graphDisagreement(shape) === '';
      }, 'the graph to draw what the claims say').catch((error: Error) =>
        assert.equal(graphDisagreement(shape), '', error.message),
      );
      await bench.command('View: Close All Editor Groups');
    });
  });
});
