// The TextMate grammar of the explanation documents (syntaxes/netpol-explain.tmLanguage.json): wired
// up in package.json, every regex compiles with Oniguruma (what VS Code runs) and with JavaScript, and
// VS Code's own tokenizer (vscode-textmate) colours the real `explain` and `can` output of the
// three-tier tutorial: headers, rule paths, peer ids, ports and the effect words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as oniguruma from 'vscode-oniguruma';
import { INITIAL, parseRawGrammar, Registry, type IToken } from 'vscode-textmate';
import { main } from '../../server/src/cli/main';
import { loadFixture } from '../support/fixtures';

const GRAMMAR_PATH = 'syntaxes/netpol-explain.tmLanguage.json';
const grammarJson = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8'));

interface Rule {
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
}

/** Every rule of the grammar, the top level's and the repository's, nested ones included. */
function rules(): Rule[] {
  const all: Rule[] = [];
  const walk = (rule: Rule) => {
    all.push(rule);
    rule.patterns?.forEach(walk);
  };
  grammarJson.patterns.forEach(walk);
  Object.values(grammarJson.repository as Record<string, Rule>).forEach(walk);
  return all;
}

async function cli(...args: string[]): Promise<string> {
  let out = '';
  await main(args, { out: (t) => (out += t), err: () => undefined });
  return out;
}

async function tokenizer() {
  await oniguruma.loadWASM({ data: readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')) });
  const registry = new Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scope) =>
      scope === grammarJson.scopeName
        ? parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH)
        : null,
  });
  const grammar = await registry.loadGrammar(grammarJson.scopeName);
  assert.ok(grammar, 'the grammar loads');
  return (text: string): IToken[][] => {
    let state = INITIAL;
    return text.split('\n').map((line) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      return result.tokens;
    });
  };
}

/**
 * Asserts that the span [start, end) of a line is tokens of its own (boundaries at both ends) that
 * all carry a scope starting with `scope`.
 */
function assertScoped(tokens: IToken[], line: string, start: number, end: number, scope: string): void {
  const what = `"${line.slice(start, end)}" in "${line}"`;
  assert.ok(
    tokens.some((t) => t.startIndex === start),
    `${what}: a token starts there`,
  );
  assert.ok(
    tokens.some((t) => t.endIndex === end || (t.endIndex > line.length && end === line.length)),
    `${what}: a token ends there`,
  );
  for (const t of tokens.filter((t) => t.startIndex < end && t.endIndex > start)) {
    assert.ok(
      t.scopes.some((s) => s.startsWith(scope)),
      `${what}: ${scope} (got ${t.scopes.join(' ')})`,
    );
  }
}

/** Every match of a regex in each line, with the line's index. */
function occurrences(lines: string[], regex: RegExp): { line: number; index: number; text: string }[] {
  return lines.flatMap((text, line) =>
    [...text.matchAll(regex)].map((m) => ({ line, index: m.index!, text: m[0] })),
  );
}

test('package.json contributes the netpol-explain language and its grammar; the client uses it', () => {
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
  const [language] = manifest.contributes.languages.filter((l: { id: string }) => l.id === 'netpol-explain');
  assert.ok(language, 'the language is contributed');
  // No file of the user's may open in it: only the explanation documents, by setTextDocumentLanguage.
  for (const key of ['extensions', 'filenames', 'filenamePatterns', 'firstLine'])
    assert.equal(language[key], undefined, key);
  const grammar = manifest.contributes.grammars.find(
    (g: { language: string }) => g.language === 'netpol-explain',
  );
  assert.equal(grammar.scopeName, grammarJson.scopeName);
  assert.equal(grammar.path, `./${GRAMMAR_PATH}`);
  assert.ok(existsSync(grammar.path));
  // An explanation's summary is one long line: wrapped, it reads without scrolling sideways.
  assert.equal(manifest.contributes.configurationDefaults['[netpol-explain]']['editor.wordWrap'], 'on');
  const explain = readFileSync('client/src/commands/explain.ts', 'utf8');
  assert.match(explain, /EXPLAIN_LANGUAGE = 'netpol-explain'/);
  assert.match(explain, /setTextDocumentLanguage\(document, EXPLAIN_LANGUAGE\)/);
});

test('every include resolves and every regex compiles with Oniguruma and JavaScript', async () => {
  await oniguruma.loadWASM({ data: readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm')) });
  const all = rules();
  for (const rule of all) {
    if (rule.include) assert.ok(grammarJson.repository[rule.include.slice(1)], rule.include);
    for (const source of [rule.match, rule.begin, rule.end]) {
      if (source === undefined) continue;
      assert.doesNotThrow(() => new oniguruma.OnigScanner([source]).dispose(), `Oniguruma: ${source}`);
      assert.doesNotThrow(() => new RegExp(source), `JavaScript: ${source}`);
    }
  }
  assert.ok(all.filter((r) => r.match).length >= 10);
});

test('the real explain output of three-tier is highlighted: headers, rule paths, peers, ports, effects', async () => {
  const tokenize = await tokenizer();
  const text = await cli('explain', '-q', 'test-fixtures/three-tier');
  const lines = text.split('\n');
  const tokens = tokenize(text);

  const headers = occurrences(lines, /^NetworkPolicy (\S+)$/g);
  const policyCount = loadFixture('three-tier')
    .map((f) => f.text.match(/^kind: NetworkPolicy$/gm)?.length ?? 0)
    .reduce((a, b) => a + b, 0);
  assert.equal(headers.length, policyCount, 'one header per policy of the fixture');
  for (const h of headers) {
    const line = lines[h.line];
    assertScoped(tokens[h.line], line, 0, 'NetworkPolicy'.length, 'keyword.');
    assertScoped(tokens[h.line], line, 'NetworkPolicy '.length, line.length, 'entity.name.type.');
  }

  const paths = occurrences(lines, /spec\.(?:ingress|egress)\[\d+\]/g);
  assert.ok(paths.length > 0);
  for (const p of paths)
    assertScoped(tokens[p.line], lines[p.line], p.index, p.index + p.text.length, 'variable.');

  const peers = occurrences(lines, /[\w.-]+\/[\w.-]+\[[A-Za-z]+\]/g);
  assert.ok(peers.length > 0);
  for (const p of peers) {
    const bracket = p.text.indexOf('[');
    assertScoped(tokens[p.line], lines[p.line], p.index, p.index + bracket, 'string.');
    assertScoped(
      tokens[p.line],
      lines[p.line],
      p.index + bracket + 1,
      p.index + p.text.length - 1,
      'entity.name.type.',
    );
  }

  const ports = occurrences(lines, /\b(?:TCP|UDP|SCTP) \d+\b/g);
  assert.ok(ports.some((p) => p.text === 'UDP 53') && ports.some((p) => p.text === 'TCP 80'));
  for (const p of ports) {
    const space = p.text.indexOf(' ');
    assertScoped(
      tokens[p.line],
      lines[p.line],
      p.index + space + 1,
      p.index + p.text.length,
      'constant.numeric.',
    );
  }

  const effects = occurrences(lines, /\b(?:isolates|allows|denies)\b/g);
  for (const word of ['isolates', 'allows', 'denies'])
    assert.ok(
      effects.some((e) => e.text === word),
      word,
    );
  for (const e of effects)
    assertScoped(tokens[e.line], lines[e.line], e.index, e.index + e.text.length, 'keyword.');
});

test('the real can output is highlighted too: verdict, external peers, the port asked about', async () => {
  const tokenize = await tokenizer();
  const text = await cli(
    'can',
    '-q',
    'test-fixtures/three-tier',
    '--from',
    '8.8.8.8',
    '--to',
    'frontend/frontend',
    '--port',
    '80/TCP',
  );
  const lines = text.split('\n');
  const tokens = tokenize(text);
  assert.match(lines[0], /^ALLOWED: /);
  assertScoped(tokens[0], lines[0], 0, 'ALLOWED'.length, 'keyword.');

  const externals = occurrences(lines, /\d+(?:\.\d+){3}-\d+(?:\.\d+){3}\[External\]/g);
  assert.ok(externals.length > 0);
  for (const x of externals) {
    const bracket = x.text.indexOf('[');
    assertScoped(tokens[x.line], lines[x.line], x.index, x.index + bracket, 'string.');
    assertScoped(
      tokens[x.line],
      lines[x.line],
      x.index + bracket + 1,
      x.index + x.text.length - 1,
      'entity.name.type.',
    );
  }
  // The policies named in "isolated by a/b, c/d." (without the full stop).
  const isolating = lines.flatMap((line, i) => {
    const list = /isolated by (.*)\.$/.exec(line);
    if (!list) return [];
    let at = list.index + 'isolated by '.length;
    return list[1].split(', ').map((name) => ({ line: i, index: (at = line.indexOf(name, at)), text: name }));
  });
  assert.ok(isolating.length > 0);
  for (const p of isolating)
    assertScoped(tokens[p.line], lines[p.line], p.index, p.index + p.text.length, 'entity.name.type.');
  const asked = lines[0].indexOf('80/TCP');
  assertScoped(tokens[0], lines[0], asked, asked + 2, 'constant.numeric.');
  const paths = occurrences(lines, /spec\.(?:ingress|egress)\[\d+\]/g);
  assert.ok(paths.length > 0);
  for (const p of paths)
    assertScoped(tokens[p.line], lines[p.line], p.index, p.index + p.text.length, 'variable.');
});
