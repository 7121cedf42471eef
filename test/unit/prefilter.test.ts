// The relevance pre-filter (core/prefilter.ts): which `---` sections it may skip, and that skipping never
// changes a result. Every fixture, the e2e model's cases and a generated corpus are analysed both ways
// (every document parsed, and with `relevantOnly`) and must give the same problems, diagnostics and
// connectivity; the mixed variants interleave documents the filter skips with tricky ones it must not.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { analyzeFiles, formatReachability, type SourceFile } from '../../server/src/core/index';
import { computeDiagnostics } from '../../server/src/core/diagnostics/index';
import { parseFile } from '../../server/src/core/parse';
import { cannotHoldKubernetesObjects, skippableKind, UNREAD_KINDS } from '../../server/src/core/prefilter';
import { createLanguageService } from '../../server/src/core/service';
import { loadFixture } from '../support/fixtures';

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: "1"\n';

test('skippableKind: sections it may skip, written down by hand', () => {
  assert.equal(skippableKind(CONFIG_MAP), 'ConfigMap');
  assert.equal(skippableKind(`---\n${CONFIG_MAP}`), 'ConfigMap');
  assert.equal(skippableKind(`--- # a comment\n# another\n\n${CONFIG_MAP}`), 'ConfigMap');
  assert.equal(skippableKind(CONFIG_MAP.replace(/\n/g, '\r\n')), 'ConfigMap');
  assert.equal(
    skippableKind('kind: Secret # opaque\napiVersion: v1\nstringData:\n  x: "*/5 &a"\n'),
    'Secret',
  );
  assert.equal(
    skippableKind('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nspec:\n  x: 1\n'),
    'CustomResourceDefinition',
  );
  assert.equal(skippableKind('kind: Secret\r\ndata: {}\r\n'), 'Secret', 'the kind on the first line');
  assert.equal(skippableKind('a:\n  kind: Pod\nkind: Role\n'), 'Role', 'an indented kind is no kind line');
});

test('skippableKind: sections that must be parsed', () => {
  const mustParse: [string, string][] = [
    ['a kind the analysis reads', 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n'],
    ['a policy', 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n'],
    ['an unknown kind', 'apiVersion: v1\nkind: Widget\n'],
    ['a List', 'apiVersion: v1\nkind: List\nitems: []\n'],
    ['a *List of a skipped kind', 'apiVersion: v1\nkind: ConfigMapList\nitems: []\n'],
    ['no kind', 'apiVersion: v1\ndata: {}\n'],
    ['two kind lines', `${CONFIG_MAP}kind: NetworkPolicy\n`],
    ['a kind hidden in a quoted scalar', 'a: "x\nkind: ConfigMap\n  y"\nkind: NetworkPolicy\n'],
    ['an indented root', '  apiVersion: v1\n  kind: NetworkPolicy\n  x: "a\nkind: ConfigMap\n  b"\n'],
    ['flow style', '{apiVersion: v1, kind: ConfigMap}\n'],
    ['JSON', '{\n"apiVersion": "v1",\n"kind": "ConfigMap"\n}\n'],
    ['a quoted kind key', '"kind": ConfigMap\napiVersion: v1\n'],
    ['a kind on the next line', 'kind:\n  ConfigMap\n'],
    ['a tagged kind', 'kind: !!str ConfigMap\n'],
    ['an anchored kind', 'kind: &k ConfigMap\n'],
    ['a quoted kind value', 'kind: "ConfigMap"\n'],
    ['a merge key', 'base: &b {kind: NetworkPolicy}\n<<: *b\nkind: ConfigMap\n'],
    ['a complex key', '? kind\n: NetworkPolicy\nkind: ConfigMap\n'],
    ['a template', 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: {{ .Values.a }}\n'],
    ['a document end marker', `${CONFIG_MAP}...\nkind: NetworkPolicy\n`],
    ['a directive', `%YAML 1.1\n---\n${CONFIG_MAP}`],
    ['a tagged separator', `--- !!map\n${CONFIG_MAP}`],
    ['a tab-indented line', `${CONFIG_MAP}\tx: 1\n`],
    ['a sequence root', '- kind: ConfigMap\n'],
    ['a scalar root', 'just text\n'],
    ['a byte order mark', `\uFEFF${CONFIG_MAP}`],
    ['a read kind, then a skipped one', 'kind: Pod\napiVersion: v1\nkind: ConfigMap\n'],
    ['a skipped kind, then a read one', 'apiVersion: v1\nkind: Secret\nkind: Pod\n'],
    ['a read kind with a comment, then a skipped one', 'kind: Pod # p\r\nkind: Secret\r\n'],
    ['a kind without a space', 'kind:ConfigMap\n'],
  ];
  for (const [what, text] of mustParse) assert.equal(skippableKind(text), undefined, what);
});

test('the core never names a kind the pre-filter skips (a kind a rule starts to read must leave the list)', () => {
  const root = join(__dirname, '..', '..', 'server', 'src', 'core');
  const sources = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  for (const path of sources(root)) {
    if (path.endsWith('prefilter.ts')) continue;
    const text = readFileSync(path, 'utf8');
    for (const kind of UNREAD_KINDS) {
      if (kind === 'Ingress') continue; // also a policy type, named all over the core
      assert.ok(!text.includes(`'${kind}'`) && !text.includes(`"${kind}"`), `${path} names ${kind}`);
    }
  }
});

/** Everything an analysis yields: problems, every diagnostic and the connectivity. */
function results(files: readonly SourceFile[], relevantOnly: boolean) {
  const analysis = analyzeFiles(files, {}, { relevantOnly });
  return {
    problems: analysis.problems,
    diagnostics: computeDiagnostics(analysis),
    // The JSON output lists the problems too; they are compared on their own above.
    reachability: { ...JSON.parse(formatReachability(analysis, 'json')), problems: undefined },
    // The full parse also yields the skipped kinds' objects, which nothing reads.
    objects: analysis.files.map((f) =>
      f.objects.filter((o) => !UNREAD_KINDS.has(o.kind)).map((o) => `${o.kind}@${o.range.start.offset}`),
    ),
  };
}

function skippedCount(files: readonly SourceFile[]): number {
  return files.reduce(
    (n, f) => n + parseFile(f.uri, f.text, undefined, { relevantOnly: true }).skipped.length,
    0,
  );
}

function assertSameResults(files: readonly SourceFile[], what: string): void {
  assert.deepEqual(results(files, true), results(files, false), what);
}

/** Sections the filter skips and sections that look like them but must be read, for mixing in. */
const NOISE = [
  CONFIG_MAP,
  'apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: prod\ntype: Opaque\nstringData:\n  k: "kind: NetworkPolicy"\n',
  'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r}\nrules: [{apiGroups: [""], verbs: [get]}]\n',
  'apiVersion: v1\nkind: ConfigMapList\nitems:\n  - apiVersion: v1\n    kind: Pod\n    metadata: {name: listed, namespace: prod, labels: {app: web}}\n',
  '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "json-ns", "labels": {"team": "x"}}}\n',
  'apiVersion: v1\nkind: Pod\nmetadata:\n  name: hidden\n  namespace: prod\n  labels: {app: db}\nnote: "x\nkind: ConfigMap\n  y"\n',
];

function mixed(file: SourceFile, seed: number): SourceFile {
  const sections = file.text.split(/^---[ \t]*$/m);
  const out: string[] = [];
  sections.forEach((section, i) => {
    out.push(section.replace(/^\n/, ''));
    out.push(NOISE[(seed + i) % NOISE.length]);
  });
  return { uri: file.uri, text: out.map((s) => (s.endsWith('\n') ? s : `${s}\n`)).join('---\n') };
}

const FIXTURES = readdirSync('test-fixtures', { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

test('every fixture gives the same results with and without the pre-filter, also mixed with noise', () => {
  let skipped = 0;
  for (const folder of FIXTURES) {
    const files = loadFixture(folder);
    assertSameResults(files, folder);
    const noisy = files.map((f, i) => mixed(f, i));
    skipped += skippedCount(noisy);
    assertSameResults(noisy, `${folder} mixed with noise`);
  }
  assert.ok(skipped > FIXTURES.length, `the mixed fixtures had sections to skip (${skipped})`);
});

test('the e2e model cases give the same results with and without the pre-filter', () => {
  const dir = join('test', 'e2e-model');
  const base = { uri: 'file:///model/base.yaml', text: readFileSync(join(dir, 'base.yaml'), 'utf8') };
  for (const name of readdirSync(join(dir, 'cases'))) {
    const text = readFileSync(join(dir, 'cases', name), 'utf8');
    const files = [base, { uri: `file:///model/${name}`, text }];
    assertSameResults(files, name);
    assertSameResults(
      files.map((f, i) => mixed(f, i)),
      `${name} mixed`,
    );
  }
});

test('a generated corpus (sections from a palette, then random edits) gives the same results both ways', () => {
  const palette = [
    ...NOISE,
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n  labels: {env: prod}\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: prod\n  labels: {app: web}\nspec:\n  containers: [{name: w, image: w, ports: [{name: http, containerPort: 80}]}]\n',
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny, namespace: prod}\nspec:\n  podSelector: {}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: web}}}]\n      ports: [{port: http}]\n',
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tricky\nkind: NetworkPolicy\nspec: {podSelector: {}}\n',
  ];
  const edit = fc.record({
    at: fc.nat(),
    insert: fc.constantFrom(
      '',
      '\n',
      ' ',
      '\t',
      '"',
      "'",
      '{',
      '[',
      '#',
      '---\n',
      'kind: ',
      'ConfigMap',
      ': ',
      '&a ',
      '*a',
      '\n  ',
    ),
    remove: fc.nat({ max: 4 }),
  });
  const file = fc
    .record({
      sections: fc.array(fc.constantFrom(...palette), { minLength: 1, maxLength: 6 }),
      edits: fc.array(edit, { maxLength: 3 }),
    })
    .map(({ sections, edits }) => {
      let text = sections.join('---\n');
      for (const e of edits) {
        const at = e.at % (text.length + 1);
        text = text.slice(0, at) + e.insert + text.slice(at + e.remove);
      }
      return text;
    });
  fc.assert(
    fc.property(fc.array(file, { minLength: 1, maxLength: 3 }), (texts) => {
      const files = texts.map((text, i) => ({ uri: `file:///gen/f${i}.yaml`, text }));
      const a = results(files, true);
      const b = results(files, false);
      // A skipped section's own YAML errors are the one thing the filter may drop (see prefilter.ts):
      // compare everything but problems located inside skipped sections.
      const skipped = files.flatMap((f) =>
        parseFile(f.uri, f.text, undefined, { relevantOnly: true }).skipped.map((s) => ({
          uri: f.uri,
          ...s,
        })),
      );
      const inSkipped = (p: { uri: string; range: { start: { offset: number } } }) =>
        skipped.some(
          (s) =>
            s.uri === p.uri &&
            s.range.start.offset <= p.range.start.offset &&
            p.range.start.offset <= s.range.end.offset,
        );
      assert.deepEqual(
        a.problems,
        b.problems.filter((p) => !inSkipped(p)),
      );
      assert.deepEqual(
        a.diagnostics,
        b.diagnostics.filter((p) => !inSkipped(p)),
      );
      assert.deepEqual(a.reachability, b.reachability);
      assert.deepEqual(a.objects, b.objects);
    }),
    { seed: 0x13, numRuns: 80, interruptAfterTimeLimit: 20_000 },
  );
});

test('the language service parses a pre-filtered file in full once it is opened (its YAML errors show)', () => {
  const service = createLanguageService();
  const uri = 'file:///ws/config.yaml';
  const text = `${CONFIG_MAP}---\napiVersion: v1\nkind: Secret\nstringData:\n  a: [unclosed\n`;
  const syntax = () => service.diagnostics(uri).filter((p) => p.code === 'netpol.yaml-syntax');
  service.setFile(uri, text, { relevantOnly: true });
  assert.deepEqual(syntax(), [], 'the workspace scan skips both documents');
  service.setFile(uri, text);
  assert.equal(syntax().length > 0, true, 'opened: the Secret is parsed and its error reported');
  assert.ok(
    syntax().every((p) => p.range.start.line >= 7),
    'located in the Secret (from line 7)',
  );
});

test('cannotHoldKubernetesObjects: JSON a workspace scan need not parse, written down by hand', () => {
  const noObject = [
    '{\n  "name": "shop",\n  "version": "1.0.0",\n  "scripts": {"build": "tsc"}\n}\n',
    '{\n  // comments, as tsconfig allows\n  "compilerOptions": {"strict": true,},\n}\n',
    '{"packages": {"node_modules/kind-of": {"version": "6.0.3"}, "node_modules/is-kind-x": {}}}\n',
    '{"editor.tabSize": 2, "kinds": ["a"], "apiVersions": 1, "kindly": true}\n',
    '',
  ];
  for (const text of noObject) assert.equal(cannotHoldKubernetesObjects(text), true, text);
  const mayHoldOne = [
    '{"apiVersion": "v1", "kind": "Pod"}',
    '{"kind": "Pod"}', // no apiVersion: still parsed, as parseFile reports what it sees
    '{apiVersion: v1}', // YAML flow style in a .json file
    '- kind: Pod\n',
    '{"\\u006bind": "Pod", "apiVersion": "v1"}', // an escaped key reads as kind
    '{"name": "a\\"b"}', // any backslash: parsed
    '{"x-kind": 1}',
  ];
  for (const text of mayHoldOne) assert.equal(cannotHoldKubernetesObjects(text), false, text);
});

test('unopened JSON without Kubernetes objects is not parsed, JSON manifests are, and both ways agree', () => {
  const files: SourceFile[] = [
    { uri: 'file:///ws/package.json', text: '{"name": "shop", "dependencies": {"kind-of": "6.0.3"}}\n' },
    { uri: 'file:///ws/broken.json', text: '{"name": "shop", "scripts": {\n' }, // a syntax error
    { uri: 'file:///ws/deep.json', text: `${'['.repeat(20_000)}${']'.repeat(20_000)}\n` },
    {
      uri: 'file:///ws/ns.json',
      text: '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop", "labels": {"team": "x"}}}\n',
    },
    {
      uri: 'file:///ws/pods.json',
      text: '{"apiVersion": "v1", "kind": "PodList", "items": [{"metadata": {"name": "p", "namespace": "shop", "labels": {"app": "web"}}}]}\n',
    },
    {
      uri: 'file:///ws/escaped.json',
      text: '{"apiVersion": "v1", "\\u006bind": "Pod", "metadata": {"name": "q", "namespace": "shop", "labels": {"app": "db"}}}\n',
    },
    {
      uri: 'file:///ws/policy.yaml',
      text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: db}}}]\n',
    },
  ];
  const scanned = files.map((f) => parseFile(f.uri, f.text, undefined, { relevantOnly: true }));
  const parsedDocuments = Object.fromEntries(
    scanned.map((f) => [f.uri.split('/').pop(), f.documents.length]),
  );
  assert.deepEqual(parsedDocuments, {
    'package.json': 0,
    'broken.json': 0,
    'deep.json': 0,
    'ns.json': 1,
    'pods.json': 1,
    'escaped.json': 1,
    'policy.yaml': 1,
  });
  const objects = scanned.flatMap((f) => f.objects.map((o) => o.kind));
  assert.deepEqual(objects, ['Namespace', 'Pod', 'Pod', 'NetworkPolicy']);
  // The pods from the JSON files are what the policy selects and admits: no "selects nothing".
  const diagnostics = computeDiagnostics(analyzeFiles(files, {}, { relevantOnly: true }));
  assert.deepEqual(
    diagnostics.filter(
      (d) => d.code === 'netpol.selects-nothing' || d.code === 'netpol.peer-matches-nothing',
    ),
    [],
  );
  // The same as an analysis of the manifests alone, with every document parsed.
  const manifests = files.filter((f) => !/package|broken|deep/.test(f.uri));
  const withoutEmptyFiles = (r: ReturnType<typeof results>) => ({
    ...r,
    objects: r.objects.filter((o) => o.length > 0),
  });
  assert.deepEqual(withoutEmptyFiles(results(files, true)), withoutEmptyFiles(results(manifests, false)));
});

test('opening a file of the workspace scan with its text on disk parses and analyses it again only if the pre-filter skipped something', () => {
  const service = createLanguageService();
  const policy = loadFixture('three-tier')[0];
  const cases: [string, string, string, boolean][] = [
    ['nothing skipped', policy.uri, policy.text, false],
    ['a ConfigMap skipped', 'file:///ws/config.yaml', `${CONFIG_MAP}---\n${policy.text}`, true],
    ['JSON without objects skipped', 'file:///ws/package.json', '{"name": "shop"}\n', true],
  ];
  for (const [what, uri, text, again] of cases) {
    service.setFile(uri, text, { relevantOnly: true });
    const before = service.state();
    service.setFile(uri, text);
    assert.equal(service.state() !== before, again, what);
    // Either way the file now reads as a full parse does.
    const full = parseFile(uri, text);
    const held = service.state().analysis.files.find((f) => f.uri === uri)!;
    assert.equal(held.relevantOnly, false, what);
    assert.deepEqual(
      held.objects.map((o) => `${o.kind}@${o.range.start.offset}`),
      full.objects.map((o) => `${o.kind}@${o.range.start.offset}`),
      what,
    );
  }
});
