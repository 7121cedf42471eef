// The client's editor-free parts: manifest detection, crash policy, schema-validation resolution,
// status text, and the manifest's commands, menus and activation matching the code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { showReferencesArguments, type LocationConverter } from '../../client/src/commands/show-locations';
import { CrashPolicy } from '../../client/src/crash-policy';
import { looksLikeKubernetes, mentionsNetworkPolicy } from '../../client/src/manifest-detect';
import { resolveSchemaValidation } from '../../client/src/schema-validation';
import { statusText } from '../../client/src/status-text';
import { SHOW_LOCATIONS_COMMAND } from '../../server/src/protocol';

test('Kubernetes YAML is told apart from other YAML', () => {
  for (const dir of ['test-fixtures/three-tier', 'test-fixtures/three-tier/policies']) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml') && n !== 'claims.yaml')) {
      assert.ok(looksLikeKubernetes(readFileSync(`${dir}/${name}`, 'utf8')), name);
    }
  }
  assert.ok(mentionsNetworkPolicy(readFileSync('test-fixtures/three-tier/policies/backend.yaml', 'utf8')));
  assert.ok(!mentionsNetworkPolicy(readFileSync('test-fixtures/three-tier/backend.yaml', 'utf8')));
  const others = [
    'name: CI\non:\n  push:\njobs:\n  build:\n    runs-on: ubuntu-latest\n',
    'version: "3"\nservices:\n  web:\n    image: nginx\n',
    'claims:\n  - from: a\n    to: b\n',
    'kind: thing\n', // no apiVersion
  ];
  for (const text of others) assert.ok(!looksLikeKubernetes(text), text);
  assert.ok(looksLikeKubernetes('- apiVersion: v1\n  kind: Namespace\n'));
});

test('Kubernetes JSON is told apart from other JSON', () => {
  const pods = '{\n  "apiVersion": "v1",\n  "kind": "PodList",\n  "items": []\n}\n';
  assert.ok(looksLikeKubernetes(pods));
  assert.ok(looksLikeKubernetes('{"apiVersion":"v1","kind":"Pod","metadata":{"name":"a"}}'));
  assert.ok(looksLikeKubernetes('[{"kind": "Namespace", "apiVersion": "v1"}]'));
  const policy = '{"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "spec": {}}';
  assert.ok(mentionsNetworkPolicy(policy));
  assert.ok(!mentionsNetworkPolicy(pods));
  for (const text of [
    readFileSync('package.json', 'utf8'),
    readFileSync('tsconfig.json', 'utf8'),
    '{\n  // tasks\n  "version": "2.0.0",\n  "tasks": [{"group": {"kind": "build"}}]\n}\n',
  ])
    assert.ok(!looksLikeKubernetes(text), text.slice(0, 80));
});

test('a crashed server restarts; the user is told once; a crash loop gives up', () => {
  const policy = new CrashPolicy(3, 1000);
  assert.equal(policy.onCrash(0), 'restart-and-tell');
  assert.equal(policy.onCrash(10), 'restart');
  assert.equal(policy.onCrash(20), 'restart');
  assert.equal(policy.onCrash(30), 'give-up');
  // Crashes far apart never add up.
  const spaced = new CrashPolicy(3, 1000);
  const decisions = [0, 2000, 4000, 6000, 8000].map((t) => spaced.onCrash(t));
  assert.deepEqual(decisions, ['restart-and-tell', 'restart', 'restart', 'restart', 'restart']);
  // A manual restart clears the count but the user is not told again.
  policy.reset();
  assert.equal(policy.onCrash(40), 'restart');
});

test("schemaValidation 'auto' defers to Red Hat's YAML extension only when it validates Kubernetes", () => {
  const facts = (installed: boolean, schemas: unknown, validate: unknown = true) => ({
    installed,
    schemas,
    validate,
  });
  assert.equal(resolveSchemaValidation('auto', facts(false, { kubernetes: '*.yaml' })), 'on');
  assert.equal(resolveSchemaValidation('auto', facts(true, {})), 'on');
  assert.equal(resolveSchemaValidation('auto', facts(true, { kubernetes: ['k8s/**/*.yaml'] })), 'off');
  assert.equal(resolveSchemaValidation('auto', facts(true, { kubernetes: '*.yaml' }, false)), 'on');
  assert.equal(resolveSchemaValidation('on', facts(true, { kubernetes: '*.yaml' })), 'on');
  assert.equal(resolveSchemaValidation('off', facts(false, undefined)), 'off');
  assert.equal(resolveSchemaValidation(42, facts(false, undefined)), 'on');
});

test('the status bar counts policies and problems', () => {
  const state = (policies: number, error: number, warning: number, information: number, hint: number) => ({
    policies,
    workloads: 3,
    files: 4,
    problems: { error, warning, information, hint },
  });
  assert.equal(statusText(state(12, 1, 1, 1, 5)), 'NetPol: 12 policies, 3 problems');
  assert.equal(statusText(state(1, 0, 1, 0, 0)), 'NetPol: 1 policy, 1 problem');
});

test('package.json contributes every command the code registers, with menus and activation', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  const source = readFileSync('client/src/commands/index.ts', 'utf8');
  const registered = [...source.matchAll(/'(netpolLens\.[A-Za-z]+)'/g)]
    .map((m) => m[1])
    .filter((id) => id !== 'netpolLens.graph');
  const declared = manifest.contributes.commands.map((c: { command: string }) => c.command);
  assert.deepEqual([...declared].sort(), [...registered].sort());
  for (const id of [
    'netpolLens.showGraph',
    'netpolLens.explainPolicy',
    'netpolLens.canReach',
    'netpolLens.exportGraph',
    'netpolLens.restartServer',
  ]) {
    assert.ok(declared.includes(id), id);
  }
  for (const command of manifest.contributes.commands) assert.equal(command.category, 'NetPol Lens');
  for (const entries of Object.values(manifest.contributes.menus) as { command: string }[][]) {
    for (const entry of entries) assert.ok(declared.includes(entry.command), `menu entry ${entry.command}`);
  }
  // The lens command is registered under the id the server sends, and kept out of the palette.
  assert.ok(registered.includes(SHOW_LOCATIONS_COMMAND));
  assert.ok(
    manifest.contributes.menus.commandPalette.some(
      (e: { command: string; when?: string }) => e.command === SHOW_LOCATIONS_COMMAND && e.when === 'false',
    ),
  );
  assert.ok(manifest.activationEvents.includes('onWebviewPanel:netpolLens.graph'));
  assert.ok(manifest.activationEvents.includes('onLanguage:yaml'));
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, 'limited');
  assert.ok(
    manifest.capabilities.untrustedWorkspaces.restrictedConfigurations.includes('netpolLens.exclude'),
  );
});

test("a lens click's LSP arguments become editor.action.showReferences arguments; anything else is refused", () => {
  // A stand-in for the language client's protocol2CodeConverter (it needs a running editor): tags
  // each value with the conversion applied, so order and coverage show.
  const converter = {
    asUri: (uri: string) => ({ uri }),
    asPosition: (position: unknown) => ({ position }),
    asLocation: (location: unknown) => ({ location }),
  } as unknown as LocationConverter;
  const position = { line: 4, character: 2 };
  const location = (line: number) => ({
    uri: 'file:///w/backend.yaml',
    range: { start: { line, character: 8 }, end: { line, character: 15 } },
  });
  assert.deepEqual(
    showReferencesArguments(['file:///w/policy.yaml', position, [location(4), location(30)]], converter),
    [{ uri: 'file:///w/policy.yaml' }, { position }, [{ location: location(4) }, { location: location(30) }]],
  );
  assert.deepEqual(showReferencesArguments(['file:///w/p.yaml', position, []], converter)?.[2], []);
  for (const args of [
    [],
    ['file:///w/p.yaml'],
    [42, position, []],
    ['file:///w/p.yaml', { line: '4', character: 2 }, []],
    ['file:///w/p.yaml', position, location(4)],
    ['file:///w/p.yaml', position, [{ uri: 'file:///w/b.yaml' }]],
    ['file:///w/p.yaml', position, [null]],
  ]) {
    assert.equal(showReferencesArguments(args, converter), undefined, JSON.stringify(args));
  }
});
