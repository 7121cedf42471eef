// Editor features (hover, lenses, completion, symbols, navigation) over the core's feature functions.
// Every handler asks the language service about the very text the client has (one parse per version,
// shared with the diagnostics) and runs through runSafe.
import {
  CodeLensRefreshRequest,
  CompletionItemKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CancellationToken,
  type ClientCapabilities,
  type CodeLens,
  type Command,
  type CompletionItem,
  type Connection,
  type DocumentSymbol,
  type Hover,
  type Location,
  type Position as LspPosition,
  type ServerCapabilities,
  type ResponseError,
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type {
  CodeLens as CoreLens,
  CompletionKind,
  DocumentSymbol as CoreSymbol,
  HoverFormat,
  LanguageService,
  Location as CoreLocation,
  Range,
  SymbolKind as CoreSymbolKind,
} from '../core/index';
import {
  SHOW_IN_GRAPH_COMMAND,
  SHOW_LOCATIONS_COMMAND,
  showInGraphLink,
  type NetpolLensExperimentalCapabilities,
} from '../protocol';
import { toLspRange } from './convert';
import { settledOrCancelled } from './indexing-gate';
import { runSafe } from './run-safe';

/** Typing `key:` or the space after it opens label values; a space on a new line opens keys. */
export const COMPLETION_TRIGGERS = [':', ' '];

export const FEATURE_CAPABILITIES: ServerCapabilities = {
  hoverProvider: true,
  codeLensProvider: { resolveProvider: false },
  completionProvider: { triggerCharacters: COMPLETION_TRIGGERS, resolveProvider: false },
  documentSymbolProvider: true,
  definitionProvider: true,
  referencesProvider: true,
};

const COMPLETION_KINDS: Record<CompletionKind, CompletionItemKind> = {
  'label-key': CompletionItemKind.Property,
  'label-value': CompletionItemKind.Value,
  field: CompletionItemKind.Field,
  enum: CompletionItemKind.EnumMember,
  snippet: CompletionItemKind.Snippet,
};

const SYMBOL_KINDS: Record<CoreSymbolKind, SymbolKind> = {
  policy: SymbolKind.Class,
  namespace: SymbolKind.Namespace,
  workload: SymbolKind.Struct,
  service: SymbolKind.Interface,
  object: SymbolKind.Object,
  selector: SymbolKind.Property,
  rules: SymbolKind.Array,
  rule: SymbolKind.Event,
  peer: SymbolKind.Field,
};

function within(inner: Range, outer: Range): boolean {
  return outer.start.offset <= inner.start.offset && inner.end.offset <= outer.end.offset;
}

function toLspSymbol(symbol: CoreSymbol): DocumentSymbol {
  return {
    // Clients reject empty names and selection ranges outside the symbol (e.g. an alias to an anchor).
    name: symbol.name || '(unnamed)',
    detail: symbol.detail,
    kind: SYMBOL_KINDS[symbol.kind],
    range: toLspRange(symbol.range),
    selectionRange: toLspRange(
      within(symbol.selectionRange, symbol.range) ? symbol.selectionRange : symbol.range,
    ),
    children: symbol.children.filter((c) => within(c.range, symbol.range)).map(toLspSymbol),
  };
}

function toLspLocation(location: CoreLocation): Location {
  return { uri: location.uri, range: toLspRange(location.range) };
}

export interface FeatureHooks {
  /** After each analysis is published: the lenses of other open files may have changed. */
  analysed(): void;
}

export function registerFeatures(
  connection: Connection,
  documents: TextDocuments<TextDocument>,
  service: LanguageService,
  clientCapabilities: () => ClientCapabilities | undefined = () => undefined,
  /** Resolves once the service holds the workspace as on disk (see indexing-gate.ts). */
  indexed: () => Promise<void> = () => Promise.resolve(),
): FeatureHooks {
  /**
   * The document as the client has it, when the service holds this very text (a manifest, synchronised):
   * answering from another version would put every position in the wrong place.
   */
  function inSync(uri: string): TextDocument | undefined {
    const document = documents.get(uri);
    return document && service.text(uri) === document.getText() ? document : undefined;
  }

  /** Runs a feature on a synchronised document; any other document gets the fallback. */
  function onDocument<T>(
    name: string,
    uri: string,
    token: CancellationToken,
    fallback: T,
    work: (document: TextDocument) => T,
  ): T | ResponseError<void> {
    return runSafe(connection, name, token, fallback, () => {
      const document = inSync(uri);
      return document ? work(document) : fallback;
    });
  }

  /**
   * onDocument once the workspace is read: for answers that name what other files hold (the workloads a
   * policy selects, the policies selecting a workload), which a half-read workspace gets wrong.
   */
  async function onIndexedDocument<T>(
    name: string,
    uri: string,
    token: CancellationToken,
    fallback: T,
    work: (document: TextDocument) => T,
  ): Promise<T | ResponseError<void>> {
    await settledOrCancelled(indexed, token);
    return onDocument(name, uri, token, fallback, work);
  }

  /** The hover format the client prefers of the two we write (markdown when it does not say). */
  function hoverFormat(): HoverFormat {
    const formats = clientCapabilities()?.textDocument?.hover?.contentFormat ?? [];
    const known = formats.find((f) => f === MarkupKind.Markdown || f === MarkupKind.PlainText);
    return known === MarkupKind.PlainText ? 'plaintext' : 'markdown';
  }

  connection.onHover((params, token) =>
    onIndexedDocument('hover', params.textDocument.uri, token, null as Hover | null, (document) => {
      const format = hoverFormat();
      const found = service.hover(document.uri, document.offsetAt(params.position), format);
      const kind = format === 'plaintext' ? MarkupKind.PlainText : MarkupKind.Markdown;
      if (!found) return null;
      const link =
        found.workload !== undefined && format === 'markdown' && showsInGraph()
          ? `\n\n[Show in Graph](${showInGraphLink(found.workload)})`
          : '';
      return { contents: { kind, value: found.contents + link }, range: toLspRange(found.range) };
    }),
  );

  /** The client runs our lens command (the netpol-lens client does; other editors don't know it). */
  const ours = () =>
    (clientCapabilities()?.experimental as NetpolLensExperimentalCapabilities | undefined)?.netpolLens;
  const showsLocations = () => ours()?.showLocations === true;
  const showsInGraph = () => ours()?.showInGraph === true;

  function lensCommand(uri: string, lens: CoreLens): Command {
    // An empty command id shows the title as text: for other clients, and when there is nothing to
    // peek (like a references lens with 0 results).
    if (lens.locations.length === 0 || !showsLocations()) return { title: lens.title, command: '' };
    const args: [string, LspPosition, Location[]] = [
      uri,
      toLspRange(lens.range).start,
      lens.locations.map(toLspLocation),
    ];
    return { title: lens.title, command: SHOW_LOCATIONS_COMMAND, arguments: args };
  }

  connection.onCodeLens((params, token) =>
    onIndexedDocument('codeLens', params.textDocument.uri, token, [] as CodeLens[], (document) =>
      service.codeLenses(document.uri).flatMap((lens) => {
        const range = toLspRange(lens.range);
        const lenses: CodeLens[] = [{ range, command: lensCommand(document.uri, lens), data: lens.data }];
        if (lens.workload !== undefined && showsInGraph()) {
          const command = {
            title: 'Show in Graph',
            command: SHOW_IN_GRAPH_COMMAND,
            arguments: [lens.workload],
          };
          lenses.push({ range, command });
        }
        return lenses;
      }),
    ),
  );

  connection.onCompletion((params, token) =>
    onDocument('completion', params.textDocument.uri, token, [] as CompletionItem[], (document) =>
      service.completions(document.uri, document.offsetAt(params.position)).map((item) => ({
        label: item.label,
        kind: COMPLETION_KINDS[item.kind],
        detail: item.detail,
        documentation: item.documentation,
        sortText: item.sortText,
        textEdit: { range: toLspRange(item.range), newText: item.insertText },
        insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      })),
    ),
  );

  connection.onDocumentSymbol((params, token) =>
    onDocument('documentSymbol', params.textDocument.uri, token, [] as DocumentSymbol[], (document) =>
      service.documentSymbols(document.uri).map(toLspSymbol),
    ),
  );

  connection.onDefinition((params, token) =>
    onIndexedDocument('definition', params.textDocument.uri, token, [] as Location[], (document) =>
      service.definition(document.uri, document.offsetAt(params.position)).map(toLspLocation),
    ),
  );

  connection.onReferences((params, token) =>
    onIndexedDocument('references', params.textDocument.uri, token, [] as Location[], (document) =>
      service
        .references(document.uri, document.offsetAt(params.position), {
          includeDeclaration: params.context.includeDeclaration,
        })
        .map(toLspLocation),
    ),
  );

  /** The service's generation when the client was last asked to refresh its code lenses. */
  let lensesRefreshedAt: number | undefined;

  return {
    analysed() {
      // Only clients that announce support may receive the request (VS Code does).
      if (clientCapabilities()?.workspace?.codeLens?.refreshSupport !== true) return;
      // A publish of the workspace as the lenses already show it (nothing changed) asks for nothing.
      const generation = service.generation();
      if (generation === lensesRefreshedAt) return;
      lensesRefreshedAt = generation;
      connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
  };
}
