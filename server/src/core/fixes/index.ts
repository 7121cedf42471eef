// Quick-fixes for diagnostics: each provider repairs one or more codes with minimal text edits.
import type { Analysis } from '../index';
import type { Problem } from '../types';
import type { Fix, QuickFixProvider } from './fix';
import { PROVIDERS } from './providers';
import { breaksJson } from './json-files';
import { touchesSharedNode } from './shared-yaml';

export type { Fix, TextEdit, QuickFixProvider } from './fix';

const BY_CODE = new Map<string, QuickFixProvider[]>();
for (const provider of PROVIDERS) {
  for (const code of provider.codes) BY_CODE.set(code, [...(BY_CODE.get(code) ?? []), provider]);
}

/**
 * The fixes for one problem. A provider that throws contributes nothing; a fix that would edit a node
 * aliases refer to elsewhere (see shared-yaml.ts), or that would leave a JSON file no longer JSON
 * (json-files.ts), is not offered.
 */
export function quickFixes(analysis: Analysis, problem: Problem): Fix[] {
  return (BY_CODE.get(problem.code) ?? []).flatMap((provider) => {
    try {
      return provider
        .fixes(analysis, problem)
        .filter((fix) => !touchesSharedNode(analysis, fix.edits) && !breaksJson(analysis, fix.edits));
    } catch {
      return [];
    }
  });
}

export function fixableCodes(): string[] {
  return [...BY_CODE.keys()];
}
