// docs/diagnostics.md as `npm run docs` writes it: the rules' reference, in the layout the project's
// formatter gives every hand-written markdown file, so `npm run lint` checks the generated file too.
import { format, resolveConfig } from 'prettier';
import { renderDiagnosticsDoc } from '../server/src/core/index';

export const DIAGNOSTICS_DOC = 'docs/diagnostics.md';

export async function diagnosticsDoc(): Promise<string> {
  const config = await resolveConfig(DIAGNOSTICS_DOC);
  return format(renderDiagnosticsDoc(), { ...config, filepath: DIAGNOSTICS_DOC });
}
