// The language server entry point: `node dist/server.js --stdio` for any LSP client, IPC for VS Code.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startSession } from './lsp/session';
import { createStdioConnection } from './lsp/stdio-transport';

// Only as the main module: the build loads the bundle once to make its code cache (node/code-cache.ts).
if (require.main === module) {
  const connection = process.argv.includes('--stdio')
    ? createStdioConnection()
    : createConnection(ProposedFeatures.all);
  // The bundle lives in dist/; the diagnostics reference ships next to it in docs/.
  startSession(connection, {
    docsUri: pathToFileURL(join(__dirname, '..', 'docs', 'diagnostics.md')).toString(),
  });
  connection.listen();
}
