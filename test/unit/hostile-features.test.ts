// Every feature over policies whose rules, peers or ports are not mappings (test/hostile/non-mapping-cases.ts):
// no feature throws, the item is an error where it is, and what the broken policy could decide is
// unknown, never allowed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OUTPUT_FORMATS, type LanguageService } from '../../server/src/core/index';
import { NON_MAPPING_CASES, nonMappingFiles } from '../hostile/non-mapping-cases';
import { serviceOf } from '../support/fixtures';

function everyFeature(service: LanguageService, uri: string, text: string): void {
  service.documentSymbols(uri);
  service.codeLenses(uri);
  for (const problem of service.allDiagnostics()) service.codeActions(problem.uri, problem.range);
  for (let offset = 0; offset <= text.length; offset += 3) {
    service.hover(uri, offset);
    service.definition(uri, offset);
    service.references(uri, offset, { includeDeclaration: true });
  }
  for (let offset = 0; offset <= text.length; offset += 11) service.completions(uri, offset);
  service.explainPolicies();
  service.explainClusterPolicies();
  for (const format of OUTPUT_FORMATS) service.reachability(format);
  service.reachabilityJson();
  service.graph();
  for (const peer of service.peers()) {
    service.deniedPairs(peer.id);
    for (const other of service.peers()) service.canReach(peer.id, other.id);
  }
}

for (const c of NON_MAPPING_CASES) {
  test(`non-mapping items, ${c.name}: every feature answers; ${c.from} → ${c.to} is unknown`, () => {
    const files = Object.entries(nonMappingFiles(c)).map(([name, text]) => ({
      uri: `file:///non-mapping/${c.name}/${name}`,
      text,
    }));
    const policy = files.find((f) => f.uri.endsWith('/pol.yaml'))!;
    const service = serviceOf(files);
    everyFeature(service, policy.uri, policy.text);
    const problems = service.allDiagnostics().filter((p) => p.uri === policy.uri);
    assert.ok(
      problems.some((p) => p.code === 'netpol.type' && p.range.start.line + 1 === c.line),
      JSON.stringify(problems.map((p) => `${p.code} ${p.range.start.line + 1}`)),
    );
    assert.ok(problems.some((p) => p.code === 'netpol.unreadable'));
    const answer = service.canReach(c.from, c.to);
    assert.ok(answer.found);
    assert.ok(answer.result.unknown.length > 0, answer.text);
    // The policy is not analysed from what is left of it: no explanation says what it allows.
    assert.deepEqual(service.explainPolicies(), []);
    assert.deepEqual(service.explainClusterPolicies(), []);
  });
}
