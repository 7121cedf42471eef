// The language server entry point: `node dist/server.js --stdio` for any LSP client, IPC for VS Code.
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startSession } from './lsp/session';

const connection = createConnection(ProposedFeatures.all);
startSession(connection);
connection.listen();
