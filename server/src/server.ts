// The language server: a thin LSP adapter over the analysis core. Runs over IPC (VS Code) or
// `--stdio` (any LSP client).
import {
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzeFiles, type Problem, type Severity } from './core/index';

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

function toDiagnostic(problem: Problem): Diagnostic {
  return {
    range: {
      start: { line: problem.range.start.line, character: problem.range.start.character },
      end: { line: problem.range.end.line, character: problem.range.end.character },
    },
    severity: SEVERITIES[problem.severity],
    code: problem.code,
    source: 'netpol-lens',
    message: problem.message,
  };
}

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'netpol-lens' },
}));

function validate(): void {
  try {
    const open = documents.all();
    const analysis = analyzeFiles(open.map((d) => ({ uri: d.uri, text: d.getText() })));
    for (const document of open) {
      const diagnostics = analysis.problems.filter((p) => p.uri === document.uri).map(toDiagnostic);
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
    }
  } catch (error) {
    connection.console.error(`netpol-lens: analysis failed: ${(error as Error).stack ?? String(error)}`);
  }
}

documents.onDidChangeContent(validate);
documents.onDidClose((event) => {
  void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  validate();
});

documents.listen(connection);
connection.listen();
