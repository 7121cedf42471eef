// The language server publishes an edited file's diagnostics before the rest of the workspace's
// (LanguageService.leadingDiagnostics: the rules that report per policy run for that file's policies
// alone). What goes out first must be exactly what the full run finds for that file, or the editor would
// show one list and replace it with another: every file of every workspace at hand is compared.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES, type Problem, type SourceFile } from '../../server/src/core/index';
import { generateWorkspace, SIZES } from '../../bench/generate';
import { foldersIn, manifestsIn, serviceOf } from '../support/fixtures';

/** Every manifest under `folder`, recursively. */
/** A rule's example with each document in a file of its own, so policies meet across files. */
function examplePerDocument(code: string, which: string, text: string): SourceFile[] {
  return text
    .split(/^---\s*$/m)
    .filter((doc) => doc.trim() !== '')
    .map((doc, i) => ({ uri: `file:///examples/${code}/${which}/doc-${i}.yaml`, text: doc }));
}

const WORKSPACES: { name: string; files: SourceFile[] }[] = [
  ...[...foldersIn('test-fixtures'), ...foldersIn('test/reading')].map((folder) => ({
    name: folder,
    files: manifestsIn(folder),
  })),
  ...RULES.flatMap((rule) => [
    { name: `${rule.code} bad`, files: examplePerDocument(rule.code, 'bad', rule.bad) },
    { name: `${rule.code} good`, files: examplePerDocument(rule.code, 'good', rule.good) },
  ]),
  {
    name: 'generated small workspace',
    files: generateWorkspace(SIZES.find((s) => s.name === 'small')!).files.map((f, i) => ({
      uri: `file:///generated/ns-${i}.yaml`,
      text: f.text,
    })),
  },
];

const codes = (problems: readonly Problem[]) => problems.map((p) => p.code);

test('an edited file gets first exactly the diagnostics the whole workspace has for it', () => {
  let compared = 0;
  let nonEmpty = 0;
  for (const { name, files } of WORKSPACES) {
    if (files.length === 0) continue;
    const cold = serviceOf(files);
    for (const { uri } of files) {
      const service = serviceOf(files);
      const first = service.leadingDiagnostics([uri]).get(uri);
      assert.deepEqual(first, cold.diagnostics(uri), `${name}: ${uri}`);
      compared++;
      if (first!.length > 0) nonEmpty++;
      // What follows for the other files is the full analysis' too (the first list taken as it is, the
      // files in the same order).
      assert.deepEqual(
        [...service.state().diagnostics],
        [...cold.state().diagnostics],
        `${name}: after ${uri}`,
      );
    }
  }
  assert.ok(compared > 300, `${compared} files compared`);
  assert.ok(nonEmpty > 100, `${nonEmpty} of them with diagnostics`);
});

test('the workspace rules that report per policy are found first on the edited file (written down)', () => {
  // default-deny-dns: the egress deny-all cuts the shop's pods off from kube-dns (netpol.dns-egress-missing,
  // a workspace rule judged per policy); its policy file gets it in the first list.
  const files = manifestsIn('test-fixtures/default-deny-dns');
  const policyFile = files.find((f) => /kind:\s*NetworkPolicy/.test(f.text) && /egress/i.test(f.text));
  assert.ok(policyFile, 'the fixture has an egress policy file');
  const first = serviceOf(files).leadingDiagnostics([policyFile.uri]).get(policyFile.uri)!;
  assert.ok(codes(first).includes('netpol.dns-egress-missing'), codes(first).join(', '));
});

test('several files at once, and a file the workspace does not hold', () => {
  const files = manifestsIn('test-fixtures/three-tier');
  const cold = serviceOf(files);
  const uris = files.slice(0, 2).map((f) => f.uri);
  const first = serviceOf(files).leadingDiagnostics([...uris, 'file:///nowhere.yaml']);
  for (const uri of uris) assert.deepEqual(first.get(uri), cold.diagnostics(uri), uri);
  assert.deepEqual(first.get('file:///nowhere.yaml'), []);
});

test('once the workspace is analysed, the first list is the analysed one', () => {
  const files = manifestsIn('test-fixtures/db-policy');
  const service = serviceOf(files);
  const all = service.state();
  const withProblems = files.filter((f) => all.diagnostics.has(f.uri));
  assert.ok(withProblems.length > 0, 'some file has diagnostics');
  for (const { uri } of withProblems)
    assert.equal(service.leadingDiagnostics([uri]).get(uri), all.diagnostics.get(uri), uri);
});

test('the full run after a first list computes only the other files, and takes the first list as it is', () => {
  const files = manifestsIn('test-fixtures/three-tier');
  const cold = serviceOf(files);
  const service = serviceOf(files);
  const uris = files.slice(0, 2).map((f) => f.uri);
  const first = service.leadingDiagnostics(uris);
  const full = service.state().diagnostics;
  // The same list objects: nothing is computed twice for the files that went first.
  for (const uri of uris)
    if (cold.diagnostics(uri).length > 0) assert.equal(full.get(uri), first.get(uri), uri);
  assert.deepEqual([...full], [...cold.state().diagnostics]);
  // A first list for other files computes theirs, then the full run the rest.
  const again = serviceOf(files);
  again.leadingDiagnostics([uris[0]]);
  again.leadingDiagnostics([uris[1]]);
  assert.deepEqual([...again.state().diagnostics], [...cold.state().diagnostics]);
});
