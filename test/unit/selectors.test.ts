// Representative labels for inferred pods: a label set the selector selects, whenever one exists, and the
// same one however the selector is written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { representativeLabels, selectorMatches } from '../../server/src/core/selectors';
import type { LabelSelector } from '../../server/src/core/types';

function selector(yaml: string): LabelSelector {
  const written = parse(yaml) as { matchLabels?: Record<string, string>; matchExpressions?: [] };
  return {
    matchLabels: written.matchLabels ?? {},
    matchExpressions: (written.matchExpressions ?? []).map((e: { values?: string[] }) => ({
      ...(e as { key: string; operator: string }),
      values: e.values ?? [],
      range: { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } },
    })),
    range: { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } },
  };
}

const cases: [string, Record<string, string> | undefined][] = [
  ['{}', {}],
  ['{matchLabels: {app: web}}', { app: 'web' }],
  [
    '{matchExpressions: [{key: app, operator: Exists}, {key: app, operator: In, values: [web]}]}',
    { app: 'web' },
  ],
  [
    '{matchExpressions: [{key: app, operator: In, values: [web, api]}, {key: app, operator: NotIn, values: [api]}]}',
    { app: 'web' },
  ],
  [
    '{matchExpressions: [{key: app, operator: In, values: [web, api, db]}, {key: app, operator: In, values: [db, web]}]}',
    { app: 'db' },
  ],
  [
    '{matchExpressions: [{key: app, operator: Exists}, {key: app, operator: NotIn, values: ["true"]}]}',
    { app: 'true-2' },
  ],
  [
    '{matchExpressions: [{key: app, operator: NotIn, values: [web]}, {key: tier, operator: DoesNotExist}]}',
    {},
  ],
  ['{matchLabels: {app: web}, matchExpressions: [{key: app, operator: In, values: [api]}]}', undefined],
  [
    '{matchExpressions: [{key: app, operator: In, values: [web]}, {key: app, operator: DoesNotExist}]}',
    undefined,
  ],
  [
    '{matchExpressions: [{key: app, operator: In, values: [web]}, {key: app, operator: NotIn, values: [web]}]}',
    undefined,
  ],
  ['{matchExpressions: [{key: app, operator: Bogus}]}', undefined],
];

for (const [yaml, expected] of cases) {
  test(`representative labels of ${yaml}`, () => {
    const s = selector(yaml);
    const labels = representativeLabels(s);
    assert.deepEqual(labels, expected);
    if (labels) assert.ok(selectorMatches(s, labels));
    // The same selector with its expressions and values in reverse order gets the same labels.
    const reversed = {
      ...s,
      matchExpressions: [...s.matchExpressions]
        .reverse()
        .map((e) => ({ ...e, values: [...e.values].reverse() })),
    };
    assert.deepEqual(representativeLabels(reversed), expected);
  });
}
