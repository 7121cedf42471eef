// The shortcuts the editor-latency work takes must not change any answer: diagnostics after a series of
// edits equal those of a cold analysis of the same texts, and the idle-time warm-up leaves the state alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { generateWorkspace, SIZES } from '../../bench/generate';
import { createLanguageService, RULES, type LanguageService } from '../../server/src/core/index';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

const SMALL = generateWorkspace(SIZES.find((s) => s.name === 'small')!);
/**
 * The small benchmark workspace plus every rule's bad example as a file of its own, so that every lint
 * has findings that an edit can change (the generated workspace triggers only a few of them).
 */
const TEXTS = [...SMALL.files.map((f) => f.text), ...RULES.map((r) => r.bad)];
const uriOf = (i: number, folder = 'w') => `file:///${folder}/ns-${String(i).padStart(4, '0')}.yaml`;

/**
 * A service holding the texts. The cold one gets its own folder: caches keyed by anything but the parsed
 * file (a uri, say) then cannot hand it the edited service's results.
 */
function load(texts: readonly string[], folder = 'w'): LanguageService {
  const service = createLanguageService();
  texts.forEach((text, i) => service.setFile(uriOf(i, folder), text));
  return service;
}

/** Every diagnostic by file name, the folder left out. */
function allDiagnostics(service: LanguageService) {
  const strip = (value: unknown) => JSON.parse(JSON.stringify(value).replaceAll(/file:\/\/\/\w+\//g, ''));
  return [...service.state().diagnostics]
    .map(([uri, problems]) => [uri.split('/').pop(), strip(problems)])
    .sort(([a], [b]) => (a! < b! ? -1 : 1));
}

/** Edits that change what the lints see: labels, selectors, ports, namespaces, DNS rules. */
const SNIPPETS = ['x', '', '\n', 'app: ', 'kube-dns', '53', 'dns', 'UDP', 'team', 'prod', '\n---\n', '- '];

test('diagnostics after edits across the benchmark workspace equal a cold analysis', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.record({
          // Mostly the examples: each holds a finding that a nearby edit moves, changes or removes.
          file: fc.oneof(
            { arbitrary: fc.nat({ max: SMALL.files.length - 1 }), weight: 1 },
            { arbitrary: fc.integer({ min: SMALL.files.length, max: TEXTS.length - 1 }), weight: 3 },
          ),
          at: fc.double({ min: 0, max: 1, noNaN: true }),
          length: fc.nat({ max: 6 }),
          insert: fc.constantFrom(...SNIPPETS),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      (edits) => {
        const texts = [...TEXTS];
        const service = load(texts);
        service.state();
        for (const { file, at, length, insert } of edits) {
          const text = texts[file];
          const offset = Math.floor(at * text.length);
          texts[file] = text.slice(0, offset) + insert + text.slice(offset + length);
          service.setFile(uriOf(file), texts[file]);
          // What the server publishes first for the edited file, then the whole state (which reuses it).
          const first = service.leadingDiagnostics([uriOf(file)]).get(uriOf(file));
          assert.deepEqual(first, service.state().diagnostics.get(uriOf(file)) ?? []);
        }
        assert.deepEqual(allDiagnostics(service), allDiagnostics(load(texts, 'cold')));
      },
    ),
    { seed: 0x6c6174, numRuns: 30 },
  );
});

test('the warm-up analyses without changing the state, the generation, the texts or the diagnostics', () => {
  const texts = SMALL.files.map((f) => f.text);
  const service = load(texts);
  const before = service.state();
  const generation = service.generation();
  assert.ok(before.diagnostics.size > 0, 'the workspace has diagnostics to compare');
  for (let i = 0; i < texts.length + 1; i++) service.warmUp();
  assert.equal(service.state(), before);
  assert.equal(service.generation(), generation);
  texts.forEach((text, i) => assert.equal(service.text(uriOf(i)), text));
  assert.deepEqual(allDiagnostics(service), allDiagnostics(load(texts, 'cold')));
  // The files it held are intact: the next real edit is parsed from them as usual.
  texts[0] = texts[0].replace(/app: (\S+)/, 'app: $1x');
  service.setFile(uriOf(0), texts[0]);
  assert.deepEqual(allDiagnostics(service), allDiagnostics(load(texts, 'cold')));
});

test('the server warms up after the initial scan and still answers the first edit correctly', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-warm-up-'));
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  try {
    const uris = SMALL.files.map((file, i) => {
      const path = join(root, `ns-${i}.yaml`);
      writeFileSync(path, file.text);
      return pathToFileURL(path).toString();
    });
    await initializeWorkspace(client, root, { name: 'w' });
    await client.session!.warmedUp;
    const text = SMALL.files[0].text;
    const edited = text.replace(/app: (\S+)/, 'app: $1x');
    assert.notEqual(edited, text, 'the edit changes a label');
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uris[0], languageId: 'yaml', version: 1, text: edited },
    });
    const published = await client.waitFor(
      () => client.latest(uris[0])?.version === 1 && client.latest(uris[0]),
      'diagnostics of the edited file',
    );
    const cold = createLanguageService();
    uris.forEach((uri, i) => cold.setFile(uri, i === 0 ? edited : SMALL.files[i].text));
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range.start.line, d.message]),
      cold.diagnostics(uris[0]).map((p) => [p.code, p.range.start.line, p.message]),
    );
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});

test('the server publishes the edited file first, then the files the edit changed, then the state', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-edited-first-'));
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  try {
    // A policy whose podSelector matches the workload of another file: renaming the workload's label
    // makes the policy select nothing (netpol.selects-nothing lands in the policy's file).
    const policy = RULES.find((r) => r.code === 'netpol.selects-nothing')!.good;
    const docs = policy.split(/^---\s*$/m).filter((d) => d.trim() !== '');
    const paths = docs.map((_, i) => join(root, `doc-${i}.yaml`));
    docs.forEach((doc, i) => writeFileSync(paths[i], doc));
    const uris = paths.map((p) => pathToFileURL(p).toString());
    const workload = docs.findIndex((d) => /kind:\s*Deployment/.test(d));
    const selecting = docs.findIndex((d) => /kind:\s*NetworkPolicy/.test(d));
    assert.ok(workload >= 0 && selecting >= 0, 'the example has a Deployment and a NetworkPolicy');
    await initializeWorkspace(client, root, { name: 'w' });
    await client.waitFor(
      () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
      'the scan',
    );
    const uri = uris[workload];
    const states = () => client.notifications.filter((n) => n.method === 'netpolLens/analysisState').length;
    const beforeOpen = states();
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: docs[workload] },
    });
    // The opening publishes in two steps as well: both must be in before the edit is watched.
    await client.waitFor(
      () => client.latest(uri)?.version === 1 && states() > beforeOpen,
      'the opened file and its full publish',
    );
    const before = { published: client.published.length, states: states() };
    const edited = docs[workload].replace(/app: (\S+)/g, 'app: $1-renamed');
    assert.notEqual(edited, docs[workload]);
    await client.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: edited }],
    });
    await client.waitFor(
      () => client.latest(uri)?.version === 2 && states() > before.states,
      'the edited file and the full publish',
    );
    const order = client.published.slice(before.published).map((p) => p.uri);
    assert.equal(order[0], uri, `the edited file first: ${order.join(', ')}`);
    assert.ok(order.includes(uris[selecting]), 'the policy file, whose diagnostics the edit changed');
    const policyList = client.latest(uris[selecting])!.diagnostics.map((d) => d.code);
    assert.ok(policyList.includes('netpol.selects-nothing'), policyList.join(', '));
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
});
