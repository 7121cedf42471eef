import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import { PLACE_OF_ARRAY, writeJsonArray, writeJsonWith } from '../../server/src/cli/json-stream';
import { displayJson } from '../../server/src/core/index';

function written(run: (write: (text: string) => void) => void): { text: string; writes: string[] } {
  const writes: string[] = [];
  run((t) => writes.push(t));
  return { text: writes.join(''), writes };
}

test('an array written item by item is the text displayJson makes of it whole', () => {
  const items = [
    { a: 1, b: ['x', { c: null }], d: {} },
    { e: 'line\nbreak and \u2028 and \u0085', f: [] },
  ];
  const expected = `[
  {
    "a": 1,
    "b": [
      "x",
      {
        "c": null
      }
    ],
    "d": {}
  },
  {
    "e": "line\\nbreak and \\u2028 and \\u0085",
    "f": []
  }
]`;
  assert.equal(displayJson(items), expected);
  assert.equal(written((w) => writeJsonArray(items, (x) => x, w)).text, expected);
  assert.equal(written((w) => writeJsonArray([], (x: object) => x, w)).text, '[]');
});

test('an array streamed into its place deep in a document is indented as there', () => {
  const results = [{ id: 1 }, { id: 2, tags: ['t'] }];
  const document = (value: unknown) => ({
    version: '2.1.0',
    runs: [{ tool: { name: 'n' }, results: value }],
  });
  const whole = displayJson(document(results));
  assert.equal(written((w) => writeJsonWith(document(PLACE_OF_ARRAY), results, (x) => x, w)).text, whole);
  assert.equal(
    written((w) => writeJsonWith(document(PLACE_OF_ARRAY), [], (x: object) => x, w)).text,
    displayJson(document([])),
  );
});

test('a large report is written in pieces, never as one string', () => {
  const items = Array.from({ length: 5000 }, (_, i) => ({
    uri: `/w/file-${i}.yaml`,
    line: i,
    message: 'm'.repeat(40),
  }));
  const { text, writes } = written((w) => writeJsonArray(items, (x) => x, w));
  assert.equal(text, displayJson(items));
  assert.ok(text.length > 500_000, `${text.length} characters`);
  assert.ok(writes.length > 5, `${writes.length} writes`);
  assert.ok(Math.max(...writes.map((t) => t.length)) < 100_000);
});

test('`check -f json` and `-f sarif` print what displayJson makes of their values, on every fixture', async () => {
  for (const folder of readdirSync('test-fixtures')) {
    for (const format of ['json', 'sarif']) {
      let stdout = '';
      await main(['check', join('test-fixtures', folder), '-f', format, '--fail-on', 'never'], {
        out: (t) => (stdout += t),
        err: () => {},
      });
      assert.ok(stdout.endsWith('\n'), `${folder} ${format}`);
      assert.equal(stdout, displayJson(JSON.parse(stdout)) + '\n', `${folder} ${format}`);
    }
  }
});
