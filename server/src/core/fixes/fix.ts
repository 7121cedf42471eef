// The shape of a quick-fix: for a diagnostic code, the text edits that repair it.
import type { DiagnosticCode } from '../codes';
import type { Analysis } from '../index';
import type { Problem, Range } from '../types';

export interface TextEdit {
  uri: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  /** Edits to existing files, and possibly the text of a new file to create. */
  edits: TextEdit[];
  createFile?: { uri: string; text: string };
  /** The preferred fix is applied by "Fix all" / auto-fix. */
  isPreferred?: boolean;
}

export interface QuickFixProvider {
  /** The diagnostic codes this provider repairs. */
  codes: DiagnosticCode[];
  /** The fixes for one reported problem; [] when none applies. Never touches text outside the fix. */
  fixes(analysis: Analysis, problem: Problem): Fix[];
}
