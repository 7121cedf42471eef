// The click on a code lens: the server sends the lens's document, position and related definitions as
// LSP JSON; VS Code's own references peek shows them (the same as its references lens). Kept free of
// runtime `vscode` imports so the argument handling is testable outside the editor.
import type * as vscode from 'vscode';
import type { Protocol2CodeConverter } from 'vscode-languageclient/node';
import { Location, Position } from 'vscode-languageserver-types';

/** The built-in command behind VS Code's references lens: (uri, position, locations). */
export const SHOW_REFERENCES = 'editor.action.showReferences';

export type LocationConverter = Pick<Protocol2CodeConverter, 'asUri' | 'asPosition' | 'asLocation'>;

export type ShowReferencesArguments = [vscode.Uri, vscode.Position, vscode.Location[]];

/**
 * The lens command's arguments converted for editor.action.showReferences, or undefined when they
 * are not (uri, position, Location[]) — a command id any extension or keybinding could run.
 */
export function showReferencesArguments(
  args: readonly unknown[],
  converter: LocationConverter,
): ShowReferencesArguments | undefined {
  const [uri, position, locations] = args;
  if (typeof uri !== 'string' || !Position.is(position)) return undefined;
  if (!Array.isArray(locations) || !locations.every((l) => Location.is(l))) return undefined;
  return [
    converter.asUri(uri),
    converter.asPosition(position),
    locations.map((l: Location) => converter.asLocation(l)),
  ];
}
