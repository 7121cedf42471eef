// Large files that no editor has open keep no yaml nodes: each `---` section is read again from its text
// when a rule or a feature asks for its document or an object's node (RebuiltSection in documents.ts), and
// the work that reads every object (extraction, schema and API checks) is done while the document is first
// read (prepare.ts). These tests read every fixture and reading case both ways, with the cache of rebuilt
// sections cut to one section so that every later look is a new reading, and demand the same results;
// and they count the yaml nodes still alive after an analysis and every diagnostic, at two file sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { generateWorkspace } from '../../bench/generate';
import { DOCS_3900, generateSingleFile } from '../../bench/generate-repo';
import { rebuiltBudget, sectionRebuilds } from '../../server/src/core/documents';
import { createLanguageService, DEFAULT_SETTINGS, type SourceFile } from '../../server/src/core/index';
import { parseFile, REBUILT_FILE_LENGTH, type KubeObject } from '../../server/src/core/parse';
import { CASES } from '../hostile/corpus';
import { loadFixture } from '../support/fixtures';
import { assertSameSeen } from '../support/reading-paths';

const REBUILT = { relevantOnly: true, rebuildDocuments: true } as const;
const KEPT = { relevantOnly: true, rebuildDocuments: false } as const;

/** Runs `work` with the cache of rebuilt sections holding `textLength` characters of sections. */
async function withBudget<T>(textLength: number, work: () => T | Promise<T>): Promise<T> {
  const saved = rebuiltBudget.textLength;
  rebuiltBudget.textLength = textLength;
  try {
    return await work();
  } finally {
    rebuiltBudget.textLength = saved;
  }
}

/** Runs `work` with the cache of rebuilt sections holding one section at most. */
const withTinyCache = (work: () => void) => withBudget(1, work);

function manifestsUnder(dir: string): SourceFile[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return manifestsUnder(path);
    if (!/\.(ya?ml|json)$/.test(entry.name) || !statSync(path).isFile()) return [];
    return [{ uri: pathToFileURL(join('/reading', path)).toString(), text: readFileSync(path, 'utf8') }];
  });
}

/** Another default namespace than the one the documents were prepared for: extraction from rebuilt nodes. */
const OTHER_NAMESPACE = { first: {}, changed: { defaultNamespace: 'elsewhere' } };

test('every fixture and reading case shows the same with documents rebuilt as with them kept', async () => {
  await withTinyCache(() => {
    const before = sectionRebuilds.reads;
    for (const folder of readdirSync('test-fixtures'))
      assertSameSeen(loadFixture(folder), folder, REBUILT, KEPT, OTHER_NAMESPACE);
    for (const folder of readdirSync(join('test', 'reading'), { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      const files = manifestsUnder(join('test', 'reading', folder.name));
      assertSameSeen(files, folder.name, REBUILT, KEPT, OTHER_NAMESPACE);
    }
    assert.ok(sectionRebuilds.reads - before > 1000, `sections read: ${sectionRebuilds.reads - before}`);
  });
});

test('the e2e model cases and the hostile corpus show the same with documents rebuilt', async () => {
  await withTinyCache(() => {
    const dir = join('test', 'e2e-model');
    const base = { uri: 'file:///model/base.yaml', text: readFileSync(join(dir, 'base.yaml'), 'utf8') };
    for (const name of readdirSync(join(dir, 'cases'))) {
      const text = readFileSync(join(dir, 'cases', name), 'utf8');
      assertSameSeen([base, { uri: `file:///model/${name}`, text }], name, REBUILT, KEPT);
    }
    let compared = 0;
    for (const c of CASES) {
      if (c.kind !== 'cli') continue;
      const files = Object.entries(c.files).flatMap(([name, content]) =>
        typeof content === 'string' && /\.(ya?ml|json)$/.test(name)
          ? [{ uri: `file:///hostile/${c.name}/${name}`, text: content }]
          : [],
      );
      if (files.length === 0 || files.some((f) => f.text.length > 300_000)) continue;
      assertSameSeen(files, c.name, REBUILT, KEPT);
      compared++;
    }
    assert.ok(compared > 20, `hostile cases compared: ${compared}`);
  });
});

test('a generated workspace in one file shows the same rebuilt, with its settings changed too', async () => {
  const files = generateWorkspace(DOCS_3900).files.slice(0, 4);
  const one = [{ uri: 'file:///w/one.yaml', text: files.map((f) => f.text).join('---\n') }];
  await withTinyCache(() => assertSameSeen(one, 'one file', REBUILT, KEPT, OTHER_NAMESPACE));
});

test('only large files parsed for a workspace scan rebuild their documents; open files keep them', () => {
  const rebuilds = (text: string, relevantOnly: boolean) =>
    parseFile('file:///w/a.yaml', text, undefined, { relevantOnly }).objects[0].reader.rebuildsDocument;
  const policy = loadFixture('three-tier')[0].text;
  const large = `${policy}\n---\n`.repeat(Math.ceil(REBUILT_FILE_LENGTH / policy.length) + 1);
  assert.equal(rebuilds(policy, true), false, 'a small file keeps its documents');
  assert.equal(rebuilds(large, true), true, 'a large file of a workspace scan rebuilds them');
  assert.equal(rebuilds(large, false), false, 'a large open file keeps them (edits need them)');
});

const gc = (() => {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

/** A turn of the event loop: WeakRefs made or read in this one keep their targets until it ends. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Reads one file into a language service, computes every diagnostic and a hover, and counts the object
 * nodes still alive after a full collection, of all the objects read; and how often a section was read.
 */
async function nodesAlive(text: string, options: typeof REBUILT | typeof KEPT) {
  const refs: WeakRef<object>[] = [];
  const watch = (_file: unknown, objects: readonly KubeObject[]) => {
    for (const object of objects) refs.push(new WeakRef(object.node));
  };
  const reads = sectionRebuilds.reads;
  const service = createLanguageService();
  service.setSettings({ ...DEFAULT_SETTINGS });
  service.setFile('file:///w/big.yaml', text, { ...options, whileRead: watch });
  const sections = sectionRebuilds.reads - reads;
  const problems = service.allDiagnostics();
  service.hover('file:///w/big.yaml', text.lastIndexOf('podSelector'));
  await nextTurn();
  gc();
  const alive = refs.filter((ref) => ref.deref() !== undefined).length;
  return { alive, objects: refs.length, sections, reads: sectionRebuilds.reads - reads, problems, service };
}

test('no yaml node of an unopened large file stays alive beyond the rebuilt sections cache, at two sizes', async () => {
  const small = generateSingleFile(0.1).files[0].text;
  const large = generateSingleFile(0.4).files[0].text;
  // A cache of 16 KB of section text (some 30 sections here; 256 KB by default) whatever the file's size.
  const budget = 16 * 1024;
  const a = await withBudget(budget, () => nodesAlive(small, REBUILT));
  const b = await withBudget(budget, () => nodesAlive(large, REBUILT));
  assert.ok(b.objects > 3 * a.objects, `objects read: ${a.objects} and ${b.objects}`);
  const bound = budget / 300;
  assert.ok(a.alive <= bound && b.alive <= bound, `nodes alive: ${a.alive} and ${b.alive} (bound ${bound})`);
  assert.ok(b.alive < b.objects / 4, `nodes alive: ${b.alive} of ${b.objects}`);
  // Each section is read once for the parse, the extraction and the schema and API checks; the rules
  // that point at a node read a share of them again, never every one twice.
  assert.ok(b.reads < 1.75 * b.sections, `sections read ${b.reads} times for ${b.sections} sections`);
  // The measure can fail: kept documents keep every node alive.
  const kept = await nodesAlive(small, KEPT);
  assert.equal(kept.alive, kept.objects);
  assert.deepEqual(kept.problems, a.problems, 'the same diagnostics both ways');
});

test('the lints of most policies point into a rebuilt file without reading its sections again', async () => {
  // Each policy names a port that no pod defines and one that no container exposes: two port findings a
  // policy, each pointing at the `port:` value as written, which only the nodes tell; every fifth selects
  // no pod, a finding at its pod selector.
  const policy = (i: number) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-${i}
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: ${i % 5 === 4 ? 'ghost' : 'web'}
  ingress:
    - ports:
        - port:   https${i % 3}   # spaces and a comment: the range is the value alone
        - protocol: UDP
          port: ${9000 + (i % 7)}
`;
  const pod = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
spec:
  containers:
    - name: web
      image: nginx
      ports:
        - name: http
          containerPort: 8080
`;
  const text = [pod, ...Array.from({ length: 40 }, (_, i) => policy(i))].join('---\n');
  const uri = 'file:///w/ports.yaml';
  const diagnose = (options: typeof REBUILT | typeof KEPT) => {
    const service = createLanguageService();
    service.setSettings({ ...DEFAULT_SETTINGS });
    service.setFile(uri, text, options);
    const before = sectionRebuilds.reads;
    const problems = service.allDiagnostics();
    return { problems, reads: sectionRebuilds.reads - before };
  };
  const rebuilt = await withBudget(1, () => diagnose(REBUILT));
  const kept = diagnose(KEPT);
  const ports = rebuilt.problems.filter((p) =>
    ['netpol.unknown-named-port', 'netpol.unexposed-port'].includes(p.code),
  );
  assert.equal(ports.length, 64, ports.map((p) => p.code).join(', '));
  const nothing = rebuilt.problems.filter((p) => p.code === 'netpol.selects-nothing');
  assert.equal(nothing.length, 8);
  // Written down: the fifth policy's pod selector, from `matchLabels:` (4 spaces in) to the end of
  // `      app: ghost` (16 characters).
  const lines = text.split('\n');
  const ghost = lines.findIndex((l) => l === '      app: ghost');
  assert.deepEqual(
    [
      nothing[0].range.start.line,
      nothing[0].range.start.character,
      nothing[0].range.end.line,
      nothing[0].range.end.character,
    ],
    [ghost - 1, 4, ghost, 16],
  );
  // Written down: the first policy's named port, `https0`, after `        - port:   ` (18 characters).
  const first = ports.find((p) => p.code === 'netpol.unknown-named-port')!;
  const line = text.split('\n').findIndex((l) => l.includes('https0'));
  assert.deepEqual(
    [first.range.start.line, first.range.start.character, first.range.end.character],
    [line, 18, 24],
  );
  assert.deepEqual(rebuilt.problems, kept.problems, 'the same diagnostics both ways');
  // The other findings here (the same spec twice) point at a policy's name, which the model holds.
  assert.equal(rebuilt.reads, 0, 'sections read again');
});
