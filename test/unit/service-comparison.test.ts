// A comparison base set after the workspace has been analysed (the server's cold start publishes first,
// then reads the base): the diagnostics are those of a service that had the base from the start, and the
// rules do not run again for it (files the comparison leaves alone keep their very lists).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/core/index';
import { serviceOf } from '../support/fixtures';
import { diffBase, diffCase, diffCaseNames } from '../support/diff-fixtures';

const CODE = 'netpol.reachability-changed';

for (const name of diffCaseNames()) {
  test(`diff case ${name}: a base set late gives the diagnostics of a base set first`, () => {
    const late = serviceOf(diffCase(name));
    const before = late.state();
    const generation = late.generation();
    late.setComparisonBase({ label: 'HEAD', files: diffBase() });
    assert.ok(late.generation() > generation, 'a new generation: the publisher sends it');

    const early = createLanguageService();
    early.setSettings(DEFAULT_SETTINGS);
    early.setComparisonBase({ label: 'HEAD', files: diffBase() });
    for (const file of diffCase(name)) early.setFile(file.uri, file.text);

    assert.deepEqual(
      JSON.parse(JSON.stringify(late.allDiagnostics())),
      JSON.parse(JSON.stringify(early.allDiagnostics())),
    );
    const after = late.state();
    assert.deepEqual(
      [...after.diagnostics.keys()],
      [...early.state().diagnostics.keys()],
      'files in the same order',
    );
    for (const [uri, problems] of after.diagnostics) {
      if (problems.some((p) => p.code === CODE)) continue;
      assert.equal(problems, before.diagnostics.get(uri), `${uri}: the rules' list kept, not made again`);
    }
  });
}

test('the comparison diagnostics of a late base are there, as the diff fixture README states them', () => {
  const service = serviceOf(diffCase('changed-port'));
  service.state();
  service.setComparisonBase({ label: 'HEAD', files: diffBase() });
  const found = service.allDiagnostics().filter((p) => p.code === CODE);
  // test-fixtures/diff/README.md: changed-port makes db accept api on TCP 5432-5433 instead of 5432.
  assert.deepEqual(
    found.map((p) => p.message),
    ['compared with HEAD: allows shop/api → shop/db on TCP 5432-5433 instead of TCP 5432'],
  );
  service.setComparisonBase(undefined);
  assert.deepEqual(
    service.allDiagnostics().filter((p) => p.code === CODE),
    [],
  );
});
