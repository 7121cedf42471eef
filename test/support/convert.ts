// Applies the quick-fix that converts AdminNetworkPolicy/BaselineAdminNetworkPolicy to ClusterNetworkPolicy,
// through the language service as the editor does.
import {
  createLanguageService,
  DEFAULT_SETTINGS,
  type AnalysisOptions,
  type LanguageService,
  type SourceFile,
} from '../../server/src/core/index';

const CODE = 'netpol.cluster-v1alpha1';

/** A language service holding the files, with the analysis options. */
export function serviceOf(
  files: readonly SourceFile[],
  options: Partial<AnalysisOptions> = {},
): LanguageService {
  const service = createLanguageService();
  service.setSettings({ ...DEFAULT_SETTINGS, ...options });
  for (const file of files) service.setFile(file.uri, file.text);
  return service;
}

/** Applies every conversion offered in the workspace; returns the new files and how many were applied. */
export function convertAll(
  files: SourceFile[],
  options: Partial<AnalysisOptions> = {},
): { files: SourceFile[]; converted: number } {
  const service = serviceOf(files, options);
  const problems = service.allDiagnostics().filter((p) => p.code === CODE);
  let converted = 0;
  const result = files.map((file) => {
    const edits = problems
      .filter((p) => p.uri === file.uri)
      .flatMap((p) =>
        service
          .codeActions(file.uri, p.range, [CODE])
          .filter((action) => action.problem.range.start.offset === p.range.start.offset)
          .flatMap((action) => action.fix.edits),
      )
      .sort((a, b) => b.range.start.offset - a.range.start.offset);
    let text = file.text;
    for (const edit of edits) {
      text = text.slice(0, edit.range.start.offset) + edit.newText + text.slice(edit.range.end.offset);
      converted++;
    }
    return { uri: file.uri, text };
  });
  return { files: result, converted };
}
