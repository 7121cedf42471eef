// Editor features (hover, lenses, completion, symbols, navigation) over the core's feature functions.
import type { Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { LanguageService } from '../core/service';

export const FEATURE_CAPABILITIES: ServerCapabilities = {};

export function registerFeatures(
  _connection: Connection,
  _documents: TextDocuments<TextDocument>,
  _service: LanguageService,
): void {}
