// Every diagnostic rule proves itself on its own documented examples, and the docs match the rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RULES, type DiagnosticRule } from '../../server/src/core/index';
import { DIAGNOSTICS_DOC, diagnosticsDoc } from '../../scripts/diagnostics-doc';
import { serviceOf } from '../support/fixtures';

function codesFor(rule: DiagnosticRule, text: string): string[] {
  const code = rule.code;
  // Turn every rule on, so rules that are off by default are exercised too.
  const severities = Object.fromEntries(
    RULES.map((r) => [r.code, r.defaultSeverity === 'off' ? 'information' : r.defaultSeverity]),
  );
  const service = serviceOf([{ uri: 'file:///example.yaml', text }], {
    ...rule.exampleOptions,
    severity: severities,
  });
  if (rule.exampleBase !== undefined)
    service.setComparisonBase({
      label: 'HEAD',
      files: [{ uri: 'file:///example.yaml', text: rule.exampleBase }],
    });
  return service
    .allDiagnostics()
    .filter((p) => p.code === code)
    .map((p) => p.message);
}

test('codes are unique and well-formed', () => {
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const code of codes) assert.match(code, /^netpol\.[a-z0-9]+(-[a-z0-9]+)*$/);
});

for (const rule of RULES) {
  test(`${rule.code}: the bad example triggers it and the good one does not`, () => {
    assert.notDeepEqual(codesFor(rule, rule.bad), [], 'bad example should trigger');
    assert.deepEqual(codesFor(rule, rule.good), [], 'good example should not trigger');
  });
}

test('docs/diagnostics.md is generated from the rules (run `npm run docs`)', async () => {
  assert.equal(readFileSync(DIAGNOSTICS_DOC, 'utf8'), await diagnosticsDoc());
});

test('netpol.reachability-changed: its documented example says what the edit opens and closes', () => {
  const rule = RULES.find((r) => r.code === 'netpol.reachability-changed')!;
  assert.deepEqual(codesFor(rule, rule.bad), [
    'compared with HEAD: now allows shop/web → shop/db on TCP 5432',
  ]);
});
