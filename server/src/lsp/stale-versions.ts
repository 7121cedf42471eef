// A didChange whose version is not above the document's (sent twice, or overtaken by a later one) would
// be applied on top of a newer text and leave the server's copy different from the editor's, so every
// later position would point at the wrong place. Such a change is logged and ignored.
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** `connection` as TextDocuments should listen to it: stale didChange notifications never reach it. */
export function ignoringStaleVersions(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
): Connection {
  return new Proxy(connection, {
    get(target, property, receiver) {
      if (property !== 'onDidChangeTextDocument') return Reflect.get(target, property, receiver);
      const register: Connection['onDidChangeTextDocument'] = (handler) =>
        target.onDidChangeTextDocument((params) => {
          const { uri, version } = params.textDocument;
          const current = documents.get(uri)?.version;
          if (current !== undefined && version <= current) {
            target.console.warn(
              `netpol-lens: ignored a change to ${uri} at version ${version} (it has ${current})`,
            );
            return;
          }
          return handler(params);
        });
      return register;
    },
  });
}
