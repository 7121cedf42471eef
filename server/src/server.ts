// The language server entry point: `node dist/server.js --stdio` for any LSP client, IPC for VS Code.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSession } from './lsp/session';
import { createStdioConnection } from './lsp/stdio-transport';
import { createLanguageService } from './core/index';
import { optimiseAsV8Does, optimiseLater } from './node/optimisation-budget';
import { fixtureFolders, manifestsIn } from './node/warm-up-fixtures';

/**
 * The build runs this before it writes the bundle's code cache (node/code-cache.ts): the analysis, every
 * diagnostic and a hover for each fixture folder of the repository, so that the cache holds the
 * functions of the server's first scan too.
 */
export function warmUpForCodeCache(): void {
  for (const folder of fixtureFolders(__dirname)) {
    const service = createLanguageService();
    const files = manifestsIn(folder);
    for (const file of files) service.setFile(file.uri, file.text);
    service.allDiagnostics();
    for (const file of files) {
      const at = file.text.indexOf('podSelector');
      if (at >= 0) service.hover(file.uri, at);
    }
  }
}

// Only as the main module: the build loads the bundle once to make its code cache (node/code-cache.ts).
if (require.main === module) {
  optimiseLater(process.execArgv, process.env.NODE_OPTIONS);
  const connection = process.argv.includes('--stdio')
    ? createStdioConnection()
    : createConnection(ProposedFeatures.all);
  // The bundle lives in dist/; the diagnostics reference ships next to it in docs/.
  startSession(connection, {
    docsUri: pathToFileURL(join(__dirname, '..', 'docs', 'diagnostics.md')).toString(),
    // The first scan runs under a raised optimisation budget; the warm-up and the keystrokes under V8's.
    afterFirstPublish: () => optimiseAsV8Does(process.execArgv, process.env.NODE_OPTIONS),
  });
  connection.listen();
}
