// The tutorial claims (test-fixtures/**/claims.yaml, written down by hand) as the editor answers them:
// each fixture folder is put into the workspace, the server restarted on it (as if the folder had just
// been opened), and every claim asked through the Can A Reach B? command, whose answer is what the user
// reads (the verdict in the title, the connections in the placeholder). An engine that gets a verdict
// wrong fails here even though the rest of the e2e suite compares the editor with the engine itself.
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import type { CanReachResult } from '../../server/src/protocol';
import {
  claimFiles,
  claimsOrNone,
  claimTitle,
  fixtureLabel,
  validClaim,
  type Claim,
} from '../support/claims';

// The bundle lies in <project>/.cache/extension-host-tests (bundle.ts).
const FIXTURES = join(__dirname, '..', '..', 'test-fixtures');

/**
 * Claims this suite cannot check through the editor, each with the reason. Every claim today is a
 * reachability claim, which Can A Reach B? answers; a claim of another kind must be listed here (the last
 * test fails otherwise), so none is skipped silently.
 */
const UNCHECKED: { fixture: string; claim: string; reason: string }[] = [];

/** Claims in the claims files, and claims the editor answered as claimed. */
let total = 0;
let checked = 0;

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** Moves every entry of `from` into `to` (same file system: both under the temp folder). */
function moveEntries(from: string, to: string): void {
  for (const name of readdirSync(from)) renameSync(join(from, name), join(to, name));
}

/** What Can A Reach B? answers for the claim, as the user reads it; '' when it agrees with the claim. */
function disagreement(claim: Claim, answer: CanReachResult | undefined): string {
  if (!answer) return 'the command gave no answer';
  if (!answer.found) return `the command found no such peer: ${answer.message ?? ''}`;
  const title = answer.text.split('\n')[0];
  const verdict = answer.allowed ? 'ALLOWED' : 'DENIED';
  if (!title.startsWith(`${verdict}: `)) return `the answer's title "${title}" contradicts its verdict`;
  const expected = claim.allowed ? 'ALLOWED' : 'DENIED';
  return verdict === expected ? '' : `the editor answers "${title}"; the claim: ${claim.why}`;
}

describe('tutorial claims (claims.yaml) through Can A Reach B?', function () {
  this.timeout(60_000);
  const files = claimFiles(FIXTURES);
  let stash: string;
  let round = 0;

  before(() => {
    // The workspace the window opened (the other suite's) is set aside and brought back at the end.
    stash = mkdtempSync(join(tmpdir(), 'netpol-claims-stash-'));
    moveEntries(workspaceRoot(), stash);
  });

  after(async () => {
    for (const name of readdirSync(workspaceRoot()))
      rmSync(join(workspaceRoot(), name), { recursive: true, force: true });
    moveEntries(stash, workspaceRoot());
    rmSync(stash, { recursive: true, force: true });
    await vscode.commands.executeCommand('netpolLens.restartServer');
  });

  it('finds the claims files of every tutorial fixture', () => {
    assert.ok(files.length >= 5, `claims files under ${FIXTURES}: ${files.join(', ')}`);
  });

  for (const file of files) {
    const fixture = fixtureLabel(FIXTURES, dirname(file));
    const entries = claimsOrNone(file);
    total += entries.length;

    describe(fixture, () => {
      before(async () => {
        // A folder name never used before: a late file event of an earlier round cannot touch it.
        const root = workspaceRoot();
        for (const name of readdirSync(root)) rmSync(join(root, name), { recursive: true, force: true });
        const target = join(root, `${++round}-${fixture.replace(/\//g, '-')}`);
        mkdirSync(target);
        cpSync(dirname(file), target, { recursive: true });
        // The restarted server scans the folder as it is now; its answers wait for the scan.
        await vscode.commands.executeCommand('netpolLens.restartServer');
      });

      it('has claims', () => {
        assert.ok(entries.length > 0, `${file} has no readable claims`);
      });

      entries.forEach((entry, i) => {
        if (UNCHECKED.some((u) => u.fixture === fixture && u.claim === claimTitle(fixture, entry))) return;
        it(claimTitle(fixture, entry), async () => {
          const claim = validClaim(entry, `${file}: claim ${i + 1}`);
          const answer = await vscode.commands.executeCommand<CanReachResult | undefined>(
            'netpolLens.canReach',
            claim.from,
            claim.to,
            claim.port,
          );
          assert.equal(disagreement(claim, answer), '');
          checked++;
        });
      });
    });
  }
});

// A suite of its own: mocha runs a suite's tests before its child suites.
describe('tutorial claims: coverage', () => {
  it('checked every claim of every claims.yaml, or lists it as unchecked with a reason', () => {
    assert.deepEqual(UNCHECKED, [], 'every claim is a reachability claim today');
    assert.ok(total > 0, 'the claims files hold claims');
    assert.equal(checked + UNCHECKED.length, total);
  });
});
