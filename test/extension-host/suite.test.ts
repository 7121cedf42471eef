// Runs inside VS Code's extension host (mocha), next to the extension, with the three-tier tutorial
// workspace open: the editor's own API (diagnostics, hover and code action providers, commands) must
// agree with the analysis core on the same files. Bundled by bundle.ts; started by the code-server
// e2e harness (test/e2e/extension-host.e2e.ts) or by @vscode/test-electron (run-electron.ts).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { createLanguageService, type LanguageService, type Problem } from '../../server/src/core/index';
import type { RecordExpectationsResult } from '../../server/src/protocol';

const EXTENSION_ID = 'netpol-lens.netpol-lens';
const COMMANDS = [
  'netpolLens.showGraph',
  'netpolLens.explainPolicy',
  'netpolLens.canReach',
  'netpolLens.exportGraph',
  'netpolLens.restartServer',
  'netpolLens.recordExpectations',
];

async function poll<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

/** The core on the files as saved, under the URIs VS Code gives them. */
function coreService(): LanguageService {
  const service = createLanguageService();
  for (const file of yamlFiles(workspaceRoot()))
    service.setFile(vscode.Uri.file(file).toString(), readFileSync(file, 'utf8'));
  return service;
}

const SEVERITY: Record<Problem['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
  hint: vscode.DiagnosticSeverity.Hint,
};

function key(d: {
  line: number;
  character: number;
  severity: number;
  code: string;
  message: string;
}): string {
  return `${d.line}:${d.character} ${d.severity} ${d.code} ${d.message}`;
}

function editorDiagnostics(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === 'netpol-lens')
    .map((d) => {
      const code = typeof d.code === 'object' ? String(d.code.value) : String(d.code);
      const { line, character } = d.range.start; // getters: a spread would miss them
      return key({ line, character, severity: d.severity, code, message: d.message });
    })
    .sort();
}

function coreDiagnostics(service: LanguageService, uri: vscode.Uri): string[] {
  return service
    .diagnostics(uri.toString())
    .map((p) => key({ ...p.range.start, severity: SEVERITY[p.severity], code: p.code, message: p.message }))
    .sort();
}

async function allDiagnosticsMatch(service: LanguageService, what: string): Promise<void> {
  const uris = yamlFiles(workspaceRoot()).map((f) => vscode.Uri.file(f));
  const expected = uris.map((u) => coreDiagnostics(service, u));
  assert.ok(
    expected.some((d) => d.length > 0),
    'the fixture premise: the core finds problems',
  );
  await poll(
    () => uris.every((u, i) => JSON.stringify(editorDiagnostics(u)) === JSON.stringify(expected[i])),
    what,
  ).catch((error: Error) => {
    assert.deepEqual(
      uris.map((u) => editorDiagnostics(u)),
      expected,
      error.message,
    );
  });
}

describe('netpol-lens in the extension host', function () {
  this.timeout(60_000);
  const policy = () => vscode.Uri.file(join(workspaceRoot(), 'policies', 'database.yaml'));

  before(async () => {
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(policy()));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('activates on a Kubernetes YAML file and registers its commands', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await poll(() => extension.isActive, 'the extension to activate');
    const commands = await vscode.commands.getCommands(true);
    assert.deepEqual(
      COMMANDS.filter((c) => !commands.includes(c)),
      [],
    );
  });

  it('publishes the core’s diagnostics for every file of the workspace', async () => {
    await allDiagnosticsMatch(coreService(), 'the editor’s diagnostics to equal the core’s');
  });

  it('hovers with the core’s explanation of a podSelector', async () => {
    const service = coreService();
    const uri = policy();
    const text = service.text(uri.toString())!;
    const offset = text.indexOf('podSelector:') + 2;
    const expected = service.hover(uri.toString(), offset);
    assert.ok(expected, 'the core explains the podSelector');
    const document = await vscode.workspace.openTextDocument(uri);
    const hovers = await poll(async () => {
      const found = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        uri,
        document.positionAt(offset),
      );
      return found.length > 0 ? found : undefined;
    }, 'a hover');
    const markdown = hovers
      .flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)))
      .join('\n');
    assert.ok(markdown.includes(expected.contents), `hover:\n${markdown}\n\nexpected:\n${expected.contents}`);
  });

  it('offers the core’s DNS quick-fix, whose edit gives the core’s text', async () => {
    const service = coreService();
    const uri = policy();
    const problem = service.diagnostics(uri.toString()).find((p) => p.code === 'netpol.dns-egress-missing');
    assert.ok(problem, 'the core reports the missing DNS egress');
    const [{ fix }] = service.codeActions(uri.toString(), problem.range).filter((a) => a.fix.isPreferred);
    const before = service.text(uri.toString())!;
    const expected = [...fix.edits]
      .sort((a, b) => b.range.start.offset - a.range.start.offset)
      .reduce((t, e) => t.slice(0, e.range.start.offset) + e.newText + t.slice(e.range.end.offset), before);
    const document = await vscode.workspace.openTextDocument(uri);
    const range = new vscode.Range(
      document.positionAt(problem.range.start.offset),
      document.positionAt(problem.range.end.offset),
    );
    const actions = await poll(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeAction[]>(
        'vscode.executeCodeActionProvider',
        uri,
        range,
        vscode.CodeActionKind.QuickFix.value,
      );
      return found.some((a) => a.title === fix.title) ? found : undefined;
    }, `the code action "${fix.title}"`);
    const action = actions.find((a) => a.title === fix.title)!;
    assert.equal(action.isPreferred, true);
    assert.ok(action.edit, 'the action carries its edit');
    assert.ok(await vscode.workspace.applyEdit(action.edit));
    assert.equal(document.getText(), expected);
    await poll(
      () => !editorDiagnostics(uri).some((d) => d.includes('netpol.dns-egress-missing')),
      'the DNS diagnostic to go',
    );
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.equal(document.getText(), before);
  });

  it('code lenses peek the core’s locations through netpolLens.showLocations', async () => {
    const uri = policy();
    const expected = coreService().codeLenses(uri.toString());
    assert.ok(expected.length > 0 && expected.every((l) => l.locations.length > 0), 'the fixture premise');
    const lenses = await poll(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        uri,
      );
      return found.length === expected.length ? found : undefined;
    }, 'the code lenses');
    const where = (l: { uri: unknown; range: { start: { line: number } } }) =>
      `${String(l.uri)}:${l.range.start.line}`;
    for (const [i, lens] of lenses.entries()) {
      // The client announced the command, so the server attached it (other clients get plain titles).
      assert.equal(lens.command?.title, expected[i].title);
      assert.equal(lens.command?.command, 'netpolLens.showLocations', lens.command?.title);
      const [, , locations] = lens.command.arguments as [string, unknown, Parameters<typeof where>[0][]];
      assert.deepEqual(locations.map(where), expected[i].locations.map(where));
    }
    const { command, arguments: args = [] } = lenses[0].command!;
    await vscode.commands.executeCommand(command, ...args);
    await vscode.commands.executeCommand('closeReferenceSearch');
  });

  it('Explain This Policy opens a read-only netpol-explain document', async () => {
    const document = await vscode.workspace.openTextDocument(policy());
    const editor = await vscode.window.showTextDocument(document);
    // Inside the first policy, so no quick pick asks which one.
    const at = document.positionAt(document.getText().indexOf('kind: NetworkPolicy'));
    editor.selection = new vscode.Selection(at, at);
    const text = await vscode.commands.executeCommand<string | undefined>('netpolLens.explainPolicy');
    assert.ok(text?.startsWith('NetworkPolicy '), text);
    const explanation = await poll(
      () => vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'netpol-lens-explain'),
      'the explanation document',
    );
    assert.equal(explanation.languageId, 'netpol-explain');
    assert.equal(explanation.getText(), `${text}\n`);
  });

  it('Record Connectivity as Expectations opens the core’s document, and every expectation holds', async () => {
    const namespaces = ['backend', 'database'];
    const expected = coreService().recordExpectations(namespaces);
    assert.ok(expected.allowed > 0 && expected.denied > 0, 'the fixture premise: both kinds of pairs');
    const result = await vscode.commands.executeCommand<RecordExpectationsResult | undefined>(
      'netpolLens.recordExpectations',
      namespaces,
    );
    assert.equal(result?.text, expected.text);
    const document = vscode.window.activeTextEditor?.document;
    assert.ok(document, 'the recorded document is shown');
    assert.equal(document.uri.scheme, 'untitled');
    assert.equal(document.languageId, 'yaml');
    assert.equal(document.getText(), expected.text);
    // The server checks the new document at once: one lens per recorded pair, each holding.
    const lenses = await poll(async () => {
      const found = await vscode.commands.executeCommand<vscode.CodeLens[]>(
        'vscode.executeCodeLensProvider',
        document.uri,
      );
      return found.length === expected.allowed + expected.denied ? found : undefined;
    }, 'a lens per recorded pair');
    assert.deepEqual([...new Set(lenses.map((l) => l.command?.title))], ['holds']);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('analyses live edits again after Restart Server', async () => {
    await vscode.commands.executeCommand('netpolLens.restartServer');
    const uri = policy();
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    // A typo the restarted server must see: the core says what it reports.
    const before = document.getText();
    const at = before.indexOf('- Ingress') + '- Ingres'.length;
    const edited = before.slice(0, at) + before.slice(at + 1);
    const service = coreService();
    service.setFile(uri.toString(), edited);
    const expected = coreDiagnostics(service, uri);
    assert.notDeepEqual(expected, coreDiagnostics(coreService(), uri), 'the typo changes the diagnostics');
    const edit = new vscode.WorkspaceEdit();
    edit.delete(uri, new vscode.Range(document.positionAt(at), document.positionAt(at + 1)));
    assert.ok(await vscode.workspace.applyEdit(edit));
    await poll(
      () => JSON.stringify(editorDiagnostics(uri)) === JSON.stringify(expected),
      'the restarted server to report the typo',
    ).catch((error: Error) => assert.deepEqual(editorDiagnostics(uri), expected, error.message));
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await allDiagnosticsMatch(coreService(), 'the diagnostics of the saved files');
  });

  it('analyses an open, edited pods.json as check does; other JSON gets nothing', async function () {
    // Two waits of up to 30 s each (the file watcher's rescan, then the edit's publish), plus the writes: the
    // suite's 60 s would cut the second wait short under load, hiding which step was slow.
    this.timeout(120_000);
    // A namespace of its own, so the three-tier policies are not affected; removed at the end.
    const folder = vscode.Uri.file(join(workspaceRoot(), 'json-shop'));
    const file = (name: string) => vscode.Uri.joinPath(folder, name);
    const pods = (app: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'PodList',
        items: [{ metadata: { name: 'p1', namespace: 'jshop', labels: { app } } }],
      });
    const write = (name: string, text: string) =>
      vscode.workspace.fs.writeFile(file(name), new TextEncoder().encode(text));
    try {
      await write('ns.yaml', 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: jshop\n');
      await write(
        'policy.yaml',
        'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: web-ingress\n  namespace: jshop\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  ingress:\n    - from:\n        - podSelector: {}\n',
      );
      await write('pods.json', pods('db'));
      await write('package.json', '{\n  "name": "jshop",\n  "version": "1.0.0"\n}\n');
      const policyFile = file('policy.yaml');
      const warned = () => editorDiagnostics(policyFile).some((d) => d.includes('netpol.selects-nothing'));
      // The core on the same files says what the editor must show.
      const service = coreService();
      const podsUri = file('pods.json').toString();
      service.setFile(podsUri, pods('db'));
      assert.ok(
        coreDiagnostics(service, policyFile).some((d) => d.includes('netpol.selects-nothing')),
        'the premise: the core warns while the pod is app=db',
      );
      service.setFile(podsUri, pods('web'));
      assert.deepEqual(coreDiagnostics(service, policyFile), [], 'the premise: app=web pods clear it');
      await poll(warned, 'the policy warning while pods.json on disk holds app=db only');

      const document = await vscode.workspace.openTextDocument(file('pods.json'));
      assert.equal(document.languageId, 'json');
      await vscode.window.showTextDocument(document);
      const edit = new vscode.WorkspaceEdit();
      const all = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      edit.replace(document.uri, all, pods('web'));
      assert.ok(await vscode.workspace.applyEdit(edit));
      assert.ok(document.isDirty, 'the edit is not saved: only the editor knows it');
      await poll(() => !warned(), 'the warning to go once the open pods.json defines an app=web pod');

      const other = await vscode.workspace.openTextDocument(file('package.json'));
      await vscode.window.showTextDocument(other);
      const symbols = await vscode.commands.executeCommand<unknown[] | undefined>(
        'vscode.executeDocumentSymbolProvider',
        other.uri,
      );
      assert.deepEqual(editorDiagnostics(other.uri), [], 'no netpol diagnostics in package.json');
      // Only the JSON extension's own outline (its keys) may be there; the symbols carry the file's URI,
      // so matching their text would depend on where the workspace lies.
      const names = (symbols ?? []).map((symbol) => (symbol as { name?: string }).name);
      assert.deepEqual(
        names.filter((name) => name !== 'name' && name !== 'version'),
        [],
        'no netpol symbols in package.json',
      );
    } finally {
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(folder, { recursive: true, useTrash: false });
    }
    await allDiagnosticsMatch(coreService(), 'the diagnostics once json-shop is gone');
  });
});
