import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DEFAULT_SETTINGS, resolveSettings } from '../../server/src/core/index';
import { diffBase, diffCase } from '../support/diff-fixtures';
import { serviceOf } from '../support/fixtures';
import { DEFAULT_GRAPH_SETTINGS } from '../../client/src/webview/messages';

const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const properties: Record<string, { default: unknown }> = manifest.contributes.configuration.properties;

test('package.json declares every server setting with the same default', () => {
  for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
    const declared = properties[`netpolLens.${key}`];
    assert.ok(declared, `netpolLens.${key} is declared in package.json`);
    assert.deepEqual(declared.default, value, `default of netpolLens.${key}`);
  }
  const serverKeys = new Set(Object.keys(DEFAULT_SETTINGS).map((k) => `netpolLens.${k}`));
  const clientOnly = ['netpolLens.trace.server', 'netpolLens.graph.overviewThreshold'];
  assert.equal(
    properties['netpolLens.graph.overviewThreshold']?.default,
    DEFAULT_GRAPH_SETTINGS.overviewThreshold,
    'the graph view and package.json agree on the overview threshold',
  );
  for (const key of Object.keys(properties)) {
    assert.ok(serverKeys.has(key) || clientOnly.includes(key), `${key} is read by the server or the client`);
  }
});

test('untrusted or malformed settings fall back to the defaults', () => {
  assert.deepEqual(resolveSettings(undefined), DEFAULT_SETTINGS);
  const resolved = resolveSettings({
    defaultNamespace: 42,
    implicitDns: 'yes',
    podCIDRs: ['10.244.0.0/16', 7],
    exclude: ['gen/**'],
    debounceMs: -5,
    severity: { 'netpol.schema': 'off', 'netpol.type': 'loud' },
  });
  assert.equal(resolved.defaultNamespace, 'default');
  assert.equal(resolved.implicitDns, true);
  assert.deepEqual(resolved.podCIDRs, []);
  assert.deepEqual(resolved.exclude, ['gen/**']);
  assert.equal(resolved.debounceMs, 100);
  assert.deepEqual(resolved.severity, { 'netpol.schema': 'off' });
});

test('editor settings never reach the outputs: reach -o json, the graph and the comparison carry analysis options only', () => {
  const editor = resolveSettings({
    severity: { 'netpol.schema': 'off' },
    exclude: ['**/tmp/**'],
    debounceMs: 7,
    schemaValidation: 'off',
    maxFileSizeMB: 3,
    compareWith: 'main',
    inferPods: false,
  });
  const service = serviceOf(diffCase('changed-port'), editor);
  service.setComparisonBase({ label: 'HEAD', files: diffBase() });
  // Written down from docs/json-output.md: the five analysis options, as set.
  const expected = {
    defaultNamespace: 'default',
    implicitDns: true,
    inferPods: false,
    ipBlockMatchesPods: false,
    podCIDRs: [],
  };
  assert.deepEqual(JSON.parse(service.reachability('json')).options, expected);
  assert.deepEqual(service.reachabilityJson().options, expected);
  assert.deepEqual(service.graph().reachability.options, expected);
  assert.deepEqual(service.comparisonReport()?.json.options, expected);
});
