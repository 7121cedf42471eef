// The comparison with a base through the real server (in-process LSP connection), on a temporary git
// repository holding the test-fixtures/diff base: Information diagnostics and code lenses on the policy
// whose edit changes reachability, nothing once the edit is undone, the comparison request and the
// graph's diff mode, a folder base, and no comparison when the setting is empty.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, Diagnostic } from 'vscode-languageserver/node';
import {
  COMPARE,
  GRAPH,
  WORKSPACE_TRUSTED,
  type CompareResult,
  type GraphResult,
} from '../../server/src/protocol';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';

const FIXTURES = join(process.cwd(), 'test-fixtures', 'diff');
const CODE = 'netpol.reachability-changed';

/** A git repository whose HEAD holds the diff fixtures' base. */
function repository(): string {
  const repo = mkdtempSync(join(tmpdir(), 'netpol-lsp-compare-'));
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo });
  git('init', '-q');
  cpSync(join(FIXTURES, 'base'), repo, { recursive: true });
  git('add', '-A');
  git('commit', '-qm', 'base');
  return repo;
}

async function start(
  folder: string,
  settings: Record<string, unknown> = {},
  experimental?: object,
): Promise<TestClient> {
  const client = inProcessClient(() => ({ debounceMs: 5, ...settings }));
  await initializeWorkspace(client, folder, { capabilities: experimental ? { experimental } : {} });
  await client.session!.ready;
  return client;
}

function published(client: TestClient, uri: string, probe: (d: Diagnostic[]) => boolean, what: string) {
  return client.waitFor(() => {
    const latest = client.latest(uri)?.diagnostics;
    return latest && probe(latest) && latest;
  }, what);
}

const comparisons = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.code === CODE);

async function edit(client: TestClient, uri: string, text: string, version: number) {
  await client.connection.sendNotification('textDocument/didChange', {
    textDocument: { uri, version },
    contentChanges: [{ text }],
  });
}

test('an edit that changes reachability gets a comparison diagnostic and lens; undoing it clears both', async () => {
  const repo = repository();
  const client = await start(repo);
  const uri = pathToFileURL(join(repo, 'policies', 'db.yaml')).toString();
  const original = readFileSync(join(repo, 'policies', 'db.yaml'), 'utf8');
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text: original },
  });
  await published(client, uri, (d) => comparisons(d).length === 0, 'no comparison diagnostic at first');

  await edit(client, uri, readFileSync(join(FIXTURES, 'added-peer', 'policies', 'db.yaml'), 'utf8'), 2);
  const [diagnostic] = comparisons(
    await published(client, uri, (d) => comparisons(d).length === 1, 'the comparison diagnostic'),
  );
  assert.equal(diagnostic.message, 'compared with HEAD: now allows shop/web → shop/db on TCP 5432');
  assert.equal(diagnostic.severity, 3, 'Information');
  assert.equal(diagnostic.range.start.line, 3, 'on the policy name');
  const lenses = (await client.connection.sendRequest('textDocument/codeLens', {
    textDocument: { uri },
  })) as CodeLens[];
  assert.ok(lenses.some((l) => l.command?.title === diagnostic.message));

  const compared = (await client.connection.sendRequest(COMPARE, {})) as CompareResult;
  assert.equal(compared.base, 'HEAD');
  assert.deepEqual(
    compared.rows.map((r) => [r.diffType, r.src, r.dst, r.ref1, r.ref2]),
    [['added', 'shop/web[Deployment]', 'shop/db[Deployment]', 'No Connections', 'TCP 5432']],
  );
  assert.match(compared.markdown, /\| added \| shop\/web\\\[Deployment\\\] \|/);
  const graph = (await client.connection.sendRequest(GRAPH, {
    compare: { kind: 'revision', revision: 'HEAD' },
  })) as GraphResult;
  assert.deepEqual(graph.diff?.edges, [
    {
      src: 'shop/web[Deployment]',
      dst: 'shop/db[Deployment]',
      change: 'added',
      old: 'No Connections',
      new: 'TCP 5432',
      label: 'TCP 5432',
    },
  ]);

  await edit(client, uri, original, 3);
  await published(
    client,
    uri,
    (d) => client.latest(uri)?.version === 3 && comparisons(d).length === 0,
    'the comparison diagnostic gone',
  );
  await client.close();
});

test('at start, the workspace diagnostics go out before the comparison base is analysed; its diagnostic follows', async () => {
  const repo = repository();
  // Changed on disk since HEAD: the comparison has one diagnostic, on a file no editor has open.
  cpSync(join(FIXTURES, 'added-peer', 'policies', 'db.yaml'), join(repo, 'policies', 'db.yaml'));
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  let stream = '';
  client.onServerData!((chunk) => (stream += chunk));
  await initializeWorkspace(client, repo);
  await client.session!.ready;
  const uri = pathToFileURL(join(repo, 'policies', 'db.yaml')).toString();
  const [diagnostic] = comparisons(
    await published(client, uri, (d) => comparisons(d).length === 1, 'the comparison diagnostic'),
  );
  assert.equal(diagnostic.message, 'compared with HEAD: now allows shop/web → shop/db on TCP 5432');
  // In the order the server wrote them: every file's diagnostics and the analysis state, then the
  // comparison's publish (which says the state again).
  const firstState = stream.indexOf('"method":"netpolLens/analysisState"');
  const comparison = stream.indexOf(`"code":"${CODE}"`);
  assert.ok(
    firstState > 0 && comparison > firstState,
    'the comparison diagnostic after the first analysis state',
  );
  assert.ok(stream.indexOf('"method":"netpolLens/analysisState"', comparison) > comparison);
  await client.close();
});

test('a changed edge reads old → new; comment edits and other policies get nothing', async () => {
  const repo = repository();
  const client = await start(repo);
  const db = pathToFileURL(join(repo, 'policies', 'db.yaml')).toString();
  const web = pathToFileURL(join(repo, 'policies', 'web.yaml')).toString();
  const changed = readFileSync(join(FIXTURES, 'changed-port', 'policies', 'db.yaml'), 'utf8');
  const webText = readFileSync(join(repo, 'policies', 'web.yaml'), 'utf8');
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: web, languageId: 'yaml', version: 1, text: `# only a comment\n${webText}` },
  });
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri: db, languageId: 'yaml', version: 1, text: changed },
  });
  const [diagnostic] = comparisons(
    await published(client, db, (d) => comparisons(d).length === 1, 'the comparison diagnostic'),
  );
  assert.equal(
    diagnostic.message,
    'compared with HEAD: allows shop/api → shop/db on TCP 5432-5433 instead of TCP 5432',
  );
  const graph = (await client.connection.sendRequest(GRAPH, {
    compare: { kind: 'revision', revision: 'HEAD' },
  })) as GraphResult;
  assert.equal(graph.diff?.edges[0].label, 'TCP 5432 → TCP 5432-5433');
  assert.deepEqual(comparisons(client.latest(web)?.diagnostics ?? []), []);
  await client.close();
});

test('a folder base, chosen through the request; and no comparison when compareWith is empty', async () => {
  const repo = repository();
  const client = await start(repo, { compareWith: '' });
  const uri = pathToFileURL(join(repo, 'policies', 'db.yaml')).toString();
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: {
      uri,
      languageId: 'yaml',
      version: 1,
      text: readFileSync(join(FIXTURES, 'added-peer', 'policies', 'db.yaml'), 'utf8'),
    },
  });
  await published(client, uri, (d) => d !== undefined, 'first diagnostics');
  assert.deepEqual(comparisons(client.latest(uri)!.diagnostics), [], 'compareWith empty: no comparison');
  const none = (await client.connection.sendRequest(COMPARE, {})) as CompareResult;
  assert.ok(none.error);

  const folder = pathToFileURL(join(FIXTURES, 'base')).toString();
  const compared = (await client.connection.sendRequest(COMPARE, {
    base: { kind: 'folder', uri: folder },
  })) as CompareResult;
  assert.equal(compared.error, undefined);
  assert.deepEqual(
    compared.rows.map((r) => [r.diffType, r.src, r.dst]),
    [['added', 'shop/web[Deployment]', 'shop/db[Deployment]']],
  );
  const [diagnostic] = comparisons(
    await published(client, uri, (d) => comparisons(d).length === 1, 'the folder comparison diagnostic'),
  );
  assert.match(
    String(diagnostic.message),
    /^compared with .*base: now allows shop\/web → shop\/db on TCP 5432$/,
  );
  await client.close();
});

test('outside a git repository the base cannot be read, and nothing is shown', async () => {
  const folder = mkdtempSync(join(tmpdir(), 'netpol-lsp-nogit-'));
  cpSync(join(FIXTURES, 'base'), folder, { recursive: true });
  const client = await start(folder);
  const result = (await client.connection.sendRequest(COMPARE, {})) as CompareResult;
  assert.equal(result.base, 'HEAD');
  assert.match(result.error ?? '', /not a git repository/i);
  assert.deepEqual(result.rows, []);
  await client.close();
});

/**
 * Runs `body` with a \`git\` first on PATH that notes each call in a log and runs the real git: what
 * tells whether the server ran git at all. Returns the calls.
 */
async function gitCalls(body: () => Promise<void>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'netpol-fake-git-'));
  const log = join(dir, 'calls.log');
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFileSync(log, '');
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  const path = process.env.PATH;
  process.env.PATH = `${dir}:${path ?? ''}`;
  try {
    await body();
  } finally {
    process.env.PATH = path;
  }
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

const UNTRUSTED = { netpolLens: { workspaceTrusted: false } };

test('an untrusted workspace runs no git: a revision base shows nothing until trust is granted', async () => {
  const repo = repository();
  const uri = pathToFileURL(join(repo, 'policies', 'db.yaml')).toString();
  const edited = readFileSync(join(FIXTURES, 'added-peer', 'policies', 'db.yaml'), 'utf8');
  let client: TestClient | undefined;
  const untrusted = await gitCalls(async () => {
    // compareWith from the workspace's settings names a revision; the client says it is untrusted.
    client = await start(repo, { compareWith: 'HEAD' }, UNTRUSTED);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: edited },
    });
    await published(client, uri, (d) => d !== undefined, 'first diagnostics');
    const result = (await client.connection.sendRequest(COMPARE, {})) as CompareResult;
    assert.equal(result.base, 'HEAD');
    assert.match(result.error ?? '', /untrusted workspace/);
    // Nor does a revision asked for through the request run git.
    const asked = (await client.connection.sendRequest(COMPARE, {
      base: { kind: 'revision', revision: 'HEAD' },
    })) as CompareResult;
    assert.match(asked.error ?? '', /untrusted workspace/);
    assert.deepEqual(comparisons(client.latest(uri)!.diagnostics), []);
  });
  assert.deepEqual(untrusted, [], 'git was not run');

  // Trust granted: the same session now reads HEAD and shows the change.
  const trusted = await gitCalls(async () => {
    await client!.connection.sendNotification(WORKSPACE_TRUSTED);
    const [diagnostic] = comparisons(
      await published(client!, uri, (d) => comparisons(d).length === 1, 'the comparison after trust'),
    );
    assert.equal(diagnostic.message, 'compared with HEAD: now allows shop/web → shop/db on TCP 5432');
  });
  assert.ok(trusted.length > 0, 'git runs once the workspace is trusted (the log does see it)');
  await client!.close();
});

test('an untrusted workspace still compares with a folder named in its settings, without git', async () => {
  const repo = repository();
  const uri = pathToFileURL(join(repo, 'policies', 'db.yaml')).toString();
  const calls = await gitCalls(async () => {
    const client = await start(repo, { compareWith: join(FIXTURES, 'base') }, UNTRUSTED);
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri,
        languageId: 'yaml',
        version: 1,
        text: readFileSync(join(FIXTURES, 'added-peer', 'policies', 'db.yaml'), 'utf8'),
      },
    });
    const [diagnostic] = comparisons(
      await published(client, uri, (d) => comparisons(d).length === 1, 'the folder comparison diagnostic'),
    );
    assert.match(
      String(diagnostic.message),
      /^compared with .*base: now allows shop\/web → shop\/db on TCP 5432$/,
    );
    await client.close();
  });
  assert.deepEqual(calls, [], 'git was not run');
});
