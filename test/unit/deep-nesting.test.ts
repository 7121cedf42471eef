// A document nested deeper than the parser's stack: the problem names the text's deepest point, so it
// reads the same on every run, however far V8 has optimised the parser when it meets the text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLanguageService, DEFAULT_SETTINGS } from '../../server/src/core/index';
import { generateWorkspace, SIZES } from '../../bench/generate';

function deepPolicy(depth: number, before = ''): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {}
${before}  ingress: ${'['.repeat(depth)}1${']'.repeat(depth)}
`;
}

function nestingProblems(text: string) {
  const service = createLanguageService();
  service.setSettings(DEFAULT_SETTINGS);
  service.setFile('file:///w/deep.yaml', text);
  return service
    .diagnostics('file:///w/deep.yaml')
    .filter((d) => d.message.includes('levels deep'))
    .map((d) => ({ message: d.message, start: d.range.start, end: d.range.end }));
}

test('the deep-nesting problem is the same before and after the parser has warmed up', () => {
  const text = deepPolicy(20000);
  const cold = nestingProblems(text);
  // Warm the parser up on ordinary manifests, so that its frames on the stack change size.
  const warm = createLanguageService();
  warm.setSettings(DEFAULT_SETTINGS);
  for (const [i, file] of generateWorkspace(SIZES[0]).files.entries())
    warm.setFile(`file:///w/${i}.yaml`, file.text);
  warm.allDiagnostics();
  const hot = nestingProblems(text);
  assert.equal(cold.length, 1, JSON.stringify(cold));
  assert.deepEqual(hot, cold);
  // 20,000 lists after `  ingress: ` (11 characters of the line that count: 2 spaces, none of the rest).
  assert.match(cold[0].message, /^YAML nested 20002 levels deep here, deeper than the parser can follow/);
  assert.equal(cold[0].start.line, 5);
  assert.equal(cold[0].start.character, 11 + 20000);
});

test('brackets in quotes and comments, and closed ones, do not count as nesting', () => {
  const before = `  # {{{{ [[[[\n  policyTypes: ["[[[[", '{{{{', [Ingress]]\n`;
  const problems = nestingProblems(deepPolicy(20000, before));
  assert.equal(problems.length, 1, JSON.stringify(problems));
  assert.match(problems[0].message, /^YAML nested 20002 levels deep here/);
  assert.equal(problems[0].start.line, 7);
  assert.equal(problems[0].start.character, 11 + 20000);
});

test('leading dashes count as block levels', () => {
  const problems = nestingProblems(deepPolicy(20000).replace('  ingress: ', '  ingress:\n  - - ['));
  assert.equal(problems.length, 1, JSON.stringify(problems));
  // `  - - ` opens 6 levels, then 20,001 lists (the one written after the dashes and the 20,000).
  assert.match(problems[0].message, /^YAML nested 20007 levels deep here/);
  assert.equal(problems[0].start.line, 6);
});
