// The worked examples of the cluster-policy specification (test-fixtures/cluster-policies/*): each
// folder's whole connectivity list (`reach --no-implicit`) must equal its connlist.txt, which was written
// down from the specification. The single outcomes the specification states are in each claims.yaml
// (checked by fixtures.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeFiles, formatReachability } from '../../server/src/core/index';
import { loadFixture } from '../support/fixtures';

const ROOT = join(__dirname, '..', '..', 'test-fixtures', 'cluster-policies');
const EXAMPLES = readdirSync(ROOT, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();
const NO_IMPLICIT = { implicitDns: false, inferPods: false };

test('the eight worked examples of the specification are fixtures', () => {
  assert.equal(EXAMPLES.length, 8);
});

for (const example of EXAMPLES) {
  test(`${example}: the connectivity list is the one written down`, () => {
    const analysis = analyzeFiles(loadFixture(`cluster-policies/${example}`), NO_IMPLICIT);
    const expected = readFileSync(join(ROOT, example, 'connlist.txt'), 'utf8');
    assert.equal(formatReachability(analysis, 'txt'), expected);
  });
}
