// The attacker's files tried against the language server (the CLI's side is test/hostile/corpus.ts and
// manifest-files.test.ts): special files in the scan and in watched-file events, odd encodings, symlinked
// folders and deep nesting. The server must publish what `check` reports for the same folder, never read
// a file twice or wait on one, and answer every request about deeply nested text with a real message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { main } from '../../server/src/cli/main';
import { walkManifests, pathExcluder } from '../../server/src/node/manifest-files';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';

/** A pod whose label value is a number: one `netpol.type` error, on line 7. */
const POD = (name: string) => `apiVersion: v1
kind: Pod
metadata:
  name: ${name}
  namespace: shop
  labels:
    app: 7
`;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const utf16be = (text: string) =>
  Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]);

/** The size limit both are given: 2 KB, below big.yaml. */
const LIMIT_MB = 0.002;

/** Special files, loops, a file over the size limit, CR-only and UTF-16 text, and one good file. */
function hostileFolder(): string {
  const root = mkdtempSync(join(tmpdir(), 'netpol-lsp-files-'));
  writeFileSync(join(root, 'pod.yaml'), POD('web'));
  execFileSync('mkfifo', [join(root, 'x.yaml')]);
  symlinkSync('/dev/zero', join(root, 'zero.yaml'));
  symlinkSync(join(root, 'b.yaml'), join(root, 'a.yaml')); // a file loop: a → b → a
  symlinkSync(join(root, 'a.yaml'), join(root, 'b.yaml'));
  mkdirSync(join(root, 'sub'));
  symlinkSync(root, join(root, 'sub', 'loop')); // a folder loop
  writeFileSync(join(root, 'big.yaml'), POD('big') + `#${'x'.repeat(3000)}\n`);
  // CR-only: the problems land on their own lines (7: the label; 8 and 9: what follows it).
  writeFileSync(join(root, 'cr.yaml'), POD('cr').replace(/\n/g, '\r') + 'spec: [\r');
  writeFileSync(join(root, 'le.yaml'), utf16le(POD('le')));
  writeFileSync(join(root, 'be.yaml'), utf16be(POD('be')));
  return root;
}

/** Written down from the files above: each file, the line and the code of every problem. */
const EXPECTED = [
  'a.yaml:1 netpol.file-unreadable',
  'b.yaml:1 netpol.file-unreadable',
  'be.yaml:7 netpol.type',
  'big.yaml:1 netpol.file-unreadable',
  'cr.yaml:4 netpol.unreadable',
  'cr.yaml:7 netpol.type',
  'cr.yaml:8 netpol.type',
  'cr.yaml:9 netpol.yaml-syntax',
  'le.yaml:7 netpol.type',
  'pod.yaml:7 netpol.type',
  'x.yaml:1 netpol.file-unreadable',
  'zero.yaml:1 netpol.file-unreadable',
];

/** `file:line code` of every problem `check -f json` reports, files relative to the root. */
async function checked(root: string): Promise<string[]> {
  const { out } = await cli('check', '-f', 'json', '--max-file-size', String(LIMIT_MB), root);
  const problems = JSON.parse(out) as { uri: string; line: number; code: string }[];
  return problems.map((p) => `${p.uri.slice(root.length + 1)}:${p.line} ${p.code}`).sort();
}

/** The same from the server's latest publish for each uri. */
function published(client: TestClient, root: string): string[] {
  const prefix = pathToFileURL(root).toString() + '/';
  const latest = new Map(client.published.map((p) => [p.uri, p.diagnostics]));
  return [...latest]
    .flatMap(([uri, diagnostics]) =>
      diagnostics.map(
        (d) => `${decodeURIComponent(uri.slice(prefix.length))}:${d.range.start.line + 1} ${d.code}`,
      ),
    )
    .sort();
}

const uriOf = (root: string, name: string) => pathToFileURL(join(root, name)).toString();

/** Opens a document (hovers answer on open documents) and hovers at a position: the markdown, if any. */
async function hoverOn(
  client: TestClient,
  uri: string,
  text: string,
  position: { line: number; character: number },
): Promise<string | undefined> {
  await client.connection.sendNotification('textDocument/didOpen', {
    textDocument: { uri, languageId: 'yaml', version: 1, text },
  });
  const hover = (await client.connection.sendRequest('textDocument/hover', {
    textDocument: { uri },
    position,
  })) as { contents: { value: string } } | null;
  return hover?.contents.value.replace(/\\(.)/g, '$1'); // markdown escapes undone
}

test('the server publishes what check reports for special files, loops, a large file, CR and UTF-16', async () => {
  const root = hostileFolder();
  const client = inProcessClient(() => ({ debounceMs: 5, maxFileSizeMB: LIMIT_MB }));
  try {
    assert.deepEqual(await checked(root), EXPECTED);
    await initializeWorkspace(client, root, {
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
    });
    await client.session!.ready;
    await client.waitFor(() => published(client, root).length >= EXPECTED.length, 'every file published');
    assert.deepEqual(published(client, root), EXPECTED);

    // Every hostile file announced again and again (more than the file-I/O thread pool), created and
    // changed, and the same files through the folder loop: nothing waits, nothing is read twice.
    const names = ['x.yaml', 'zero.yaml', 'a.yaml', 'b.yaml', 'big.yaml', 'cr.yaml', 'le.yaml', 'be.yaml'];
    const changes = Array.from({ length: 16 }, (_, i) =>
      names.flatMap((name) => [
        { uri: uriOf(root, name), type: 1 + (i % 2) },
        { uri: uriOf(root, `sub/loop/${name}`), type: 2 },
      ]),
    ).flat();
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes });
    // A later change on disk is still seen.
    writeFileSync(join(root, 'late.yaml'), POD('late'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: [{ uri: uriOf(root, 'late.yaml'), type: 1 }],
    });
    await client.waitFor(() => client.latest(uriOf(root, 'late.yaml')), 'late.yaml published');
    await client.waitFor(() => published(client, root).length > EXPECTED.length, 'every file published');
    const withLate = [...EXPECTED, 'late.yaml:7 netpol.type'].sort();
    assert.deepEqual(await checked(root), withLate);
    assert.deepEqual(published(client, root), withLate);
    const hover = await hoverOn(client, uriOf(root, 'late.yaml'), POD('late'), { line: 3, character: 9 });
    assert.match(String(hover), /^\*\*shop\/late\[Pod\]\*\*/, 'a hover is answered afterwards');
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('file events through a symlinked folder or a loop do not read a file a second time', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-lsp-links-'));
  mkdirSync(join(root, 'real'));
  writeFileSync(join(root, 'real', 'pod.yaml'), POD('a'));
  mkdirSync(join(root, 'sub'));
  symlinkSync(join(root, 'real'), join(root, 'sub', 'link'));
  symlinkSync(root, join(root, 'sub', 'loop'));
  const client = inProcessClient(() => ({ debounceMs: 5 }));
  try {
    await initializeWorkspace(client, root, {
      workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
    });
    await client.session!.ready;
    writeFileSync(join(root, 'real', 'new.yaml'), POD('b'));
    mkdirSync(join(root, 'real', 'deeper'));
    writeFileSync(join(root, 'real', 'deeper', 'c.yaml'), POD('c'));
    const paths = [
      'real/new.yaml',
      'sub/link/new.yaml',
      'sub/link/pod.yaml',
      'sub/loop/real/pod.yaml',
      'sub/loop/sub/loop/real/pod.yaml',
      'sub/link/deeper/c.yaml',
      'real/deeper/c.yaml',
    ];
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', {
      changes: paths.map((p) => ({ uri: uriOf(root, p), type: 1 })),
    });
    await client.waitFor(() => client.latest(uriOf(root, 'real/deeper/c.yaml')), 'c.yaml published');
    // The files a fresh walk (the CLI's, and a rescan's) reads: each once, by its first way in.
    const walked = await walkManifests(root, pathExcluder([root], []));
    const expected = ['real/deeper/c.yaml', 'real/new.yaml', 'real/pod.yaml'];
    assert.deepEqual(
      walked.files.map((f) => f.slice(root.length + 1)),
      expected,
    );
    assert.deepEqual(
      client
        .session!.service.uris()
        .map((u) => u.slice(pathToFileURL(root).toString().length + 1))
        .sort(),
      expected,
    );
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});

const HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
`;
const flow = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
const flowMaps = (depth: number) => '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
const blockMaps = (depth: number) =>
  Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 8)}k${i}:\n`).join('');

/** 5,000 levels of nesting in each place an attacker may put it. */
const DEEP: Record<string, { file: string; text: string }> = {
  'a label value': {
    file: 'pol.yaml',
    text: `${HEAD}  labels: {deep: ${flow(5000)}}\nspec:\n  podSelector: {}\n`,
  },
  'the ingress rules': {
    file: 'pol.yaml',
    text: `${HEAD}spec:\n  podSelector: {}\n  ingress: ${flow(5000)}\n`,
  },
  'a peer (flow mappings)': {
    file: 'pol.yaml',
    text: `${HEAD}spec:\n  podSelector: {}\n  ingress: [{from: [${flowMaps(5000)}]}]\n`,
  },
  'an egress rule (block mappings)': {
    file: 'pol.yaml',
    text: `${HEAD}spec:\n  podSelector: {}\n  egress:\n    - to:\n${blockMaps(5000)}`,
  },
  'a JSON file': {
    file: 'pol.json',
    text: JSON.stringify({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'web', namespace: 'shop' },
      spec: { podSelector: {}, ingress: 'DEEP' },
    }).replace('"DEEP"', flow(5000)),
  },
};

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: api, namespace: shop, labels: {app: api}}
`;

for (const [where, { file, text }] of Object.entries(DEEP)) {
  test(`5,000 levels of nesting in ${where}: every request answers with a real message`, async () => {
    const root = mkdtempSync(join(tmpdir(), 'netpol-lsp-deep-'));
    writeFileSync(join(root, file), text);
    writeFileSync(join(root, 'pods.yaml'), PODS);
    const client = inProcessClient(() => ({ debounceMs: 5 }));
    try {
      await initializeWorkspace(client, root);
      await client.session!.ready;
      const uri = uriOf(root, file);
      await client.connection.sendNotification('textDocument/didOpen', {
        textDocument: { uri, languageId: file.endsWith('.json') ? 'json' : 'yaml', version: 1, text },
      });
      const { diagnostics } = await client.waitFor(
        () => (client.latest(uri)?.version === 1 ? client.latest(uri) : undefined),
        'the opened file published',
      );
      const nesting = diagnostics.find((d) => d.code === 'netpol.yaml-syntax');
      assert.match(
        String(nesting?.message),
        /^YAML nested \d+ levels deep here, deeper than the parser can follow/,
      );
      const before = text.slice(0, text.indexOf('web'));
      const name = {
        line: before.split('\n').length - 1,
        character: before.length - before.lastIndexOf('\n') - 1,
      };
      assert.ok(diagnostics.some((d) => d.code === 'netpol.unreadable' && d.range.start.line === name.line));

      const answers: unknown[] = [];
      const ask = async (method: string, params: object) => {
        const answer = await client.connection.sendRequest(method, params);
        answers.push(answer);
        return answer;
      };
      const hover = (await ask('textDocument/hover', { textDocument: { uri }, position: name })) as {
        contents: { value: string };
      } | null;
      assert.match(String(hover?.contents.value), /Cannot be read/);
      const explained = (await ask('netpolLens/explainPolicy', { uri, position: name })) as {
        text: string;
        atPosition: boolean;
      }[];
      assert.equal(explained.length, 1, JSON.stringify(explained));
      assert.match(
        explained[0].text,
        /^NetworkPolicy shop\/web\n {2}Cannot be read: .* \(pol\.(yaml|json):\d+:\d+\)\./,
      );
      assert.ok(explained[0].atPosition);
      for (const d of diagnostics) {
        const actions = await ask('textDocument/codeAction', {
          textDocument: { uri },
          range: d.range,
          context: { diagnostics: [d] },
        });
        assert.ok(Array.isArray(actions));
      }
      const graph = (await ask('netpolLens/graph', {})) as { reachability: { peers: { id: string }[] } };
      assert.ok(graph.reachability.peers.some((p) => p.id === 'shop/api[Pod]'));
      // The unreadable policy may isolate shop/api: nothing is said to reach it.
      const reach = (await ask('netpolLens/reachability', { format: 'txt' })) as string;
      assert.doesNotMatch(reach, /=> shop\/api\[Pod\]/);
      await ask('textDocument/codeLens', { textDocument: { uri } });
      await ask('textDocument/documentSymbol', { textDocument: { uri } });

      const logged = client.notifications.map((n) => JSON.stringify(n.params)).join('\n');
      assert.doesNotMatch(JSON.stringify(answers) + logged, /Maximum call stack|too much recursion/);
      assert.doesNotMatch(logged, /failed/);
      // Alive afterwards: a hover on the other file is answered.
      const after = await hoverOn(client, uriOf(root, 'pods.yaml'), PODS, { line: 2, character: 18 });
      // Written down: the unreadable policy may select shop/api, so its connections are not claimed.
      assert.match(String(after), /^\*\*shop\/api\[Pod\]\*\*/, 'a hover after them is answered');
      assert.match(String(after), /Unknown: NetworkPolicy shop\/web cannot be read/);
      assert.match(String(after), /ingress\*\*: open as far as the readable policies go/);
      assert.doesNotMatch(String(after), /every pod and address/);
    } finally {
      await client.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
}
