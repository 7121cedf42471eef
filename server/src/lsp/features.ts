// Editor features (hover, lenses, completion, symbols, navigation) over the core's feature functions.
// Every handler reads the service's analysis of the very text the client has (one parse per version,
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
  type TextDocuments,
} from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis } from '../core/index';
import { SHOW_LOCATIONS_COMMAND, type NetpolLensExperimentalCapabilities } from '../protocol';
import type { ParsedFile } from '../core/parse';
import type { LanguageService } from '../core/service';
import type { Range } from '../core/types';
import { codeLenses, type CodeLens as CoreLens } from '../core/features/lenses';
import { comparisonLenses } from '../core/comparison';
import { completions, type CompletionKind } from '../core/features/completion';
import { hover } from '../core/features/hover';
import { findFile } from '../core/features/locate';
import { definition, references, type Location as CoreLocation } from '../core/features/navigation';
import {
  documentSymbols,
  type DocumentSymbol as CoreSymbol,
  type SymbolKind as CoreSymbolKind,
} from '../core/features/symbols';
import { toLspRange } from './convert';
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

interface InHand {
  analysis: Analysis;
  file: ParsedFile;
  document: TextDocument;
}

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
): FeatureHooks {
  /**
   * The analysis of the document as the client has it, or undefined when the service does not hold
   * this text (not a manifest, or not yet synchronised): answering from another version would put
   * every position in the wrong place.
   */
  function inHand(uri: string): InHand | undefined {
    const document = documents.get(uri);
    if (!document || service.text(uri) !== document.getText()) return undefined;
    const analysis = service.state().analysis;
    const file = findFile(analysis, uri);
    return file && { analysis, file, document };
  }

  /** Runs a feature on a document with Kubernetes content; anything else gets the fallback. */
  function onKubernetes<T>(
    name: string,
    uri: string,
    token: CancellationToken,
    fallback: T,
    work: (hand: InHand) => T,
  ): T {
    return runSafe(connection, name, token, fallback, () => {
      const hand = inHand(uri);
      return hand && hand.file.objects.length > 0 ? work(hand) : fallback;
    });
  }

  const offset = (hand: InHand, position: LspPosition) => hand.document.offsetAt(position);

  connection.onHover((params, token) =>
    onKubernetes('hover', params.textDocument.uri, token, null as Hover | null, (hand) => {
      const found = hover(hand.analysis, hand.file.uri, offset(hand, params.position));
      return found
        ? { contents: { kind: MarkupKind.Markdown, value: found.contents }, range: toLspRange(found.range) }
        : null;
    }),
  );

  /** The client runs our lens command (the netpol-lens client does; other editors don't know it). */
  const showsLocations = () =>
    (clientCapabilities()?.experimental as NetpolLensExperimentalCapabilities | undefined)?.netpolLens
      ?.showLocations === true;

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
    onKubernetes('codeLens', params.textDocument.uri, token, [] as CodeLens[], (hand) => {
      const lenses: CodeLens[] = codeLenses(hand.analysis, hand.file.uri).map((lens) => ({
        range: toLspRange(lens.range),
        command: lensCommand(params.textDocument.uri, lens),
        data: lens.data,
      }));
      const comparison = service.state().comparison;
      for (const lens of comparison ? comparisonLenses(comparison, hand.file.uri) : []) {
        lenses.push({ range: toLspRange(lens.range), command: { title: lens.title, command: '' } });
      }
      return lenses;
    }),
  );

  connection.onCompletion((params, token) =>
    // Not onKubernetes: an empty file may receive the policy snippets.
    runSafe(connection, 'completion', token, [] as CompletionItem[], () => {
      const hand = inHand(params.textDocument.uri);
      if (!hand) return [];
      return completions(hand.analysis, hand.file.uri, offset(hand, params.position)).map((item) => ({
        label: item.label,
        kind: COMPLETION_KINDS[item.kind],
        detail: item.detail,
        documentation: item.documentation,
        sortText: item.sortText,
        textEdit: { range: toLspRange(item.range), newText: item.insertText },
        insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
      }));
    }),
  );

  connection.onDocumentSymbol((params, token) =>
    onKubernetes('documentSymbol', params.textDocument.uri, token, [] as DocumentSymbol[], (hand) =>
      documentSymbols(hand.analysis, hand.file.uri).map(toLspSymbol),
    ),
  );

  connection.onDefinition((params, token) =>
    onKubernetes('definition', params.textDocument.uri, token, [] as Location[], (hand) =>
      definition(hand.analysis, hand.file.uri, offset(hand, params.position)).map(toLspLocation),
    ),
  );

  connection.onReferences((params, token) =>
    onKubernetes('references', params.textDocument.uri, token, [] as Location[], (hand) =>
      references(hand.analysis, hand.file.uri, offset(hand, params.position), {
        includeDeclaration: params.context.includeDeclaration,
      }).map(toLspLocation),
    ),
  );

  return {
    analysed() {
      // Only clients that announce support may receive the request (VS Code does).
      if (clientCapabilities()?.workspace?.codeLens?.refreshSupport !== true) return;
      connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    },
  };
}
