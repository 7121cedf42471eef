// Applies the quick-fix that converts AdminNetworkPolicy/BaselineAdminNetworkPolicy to ClusterNetworkPolicy.
import { analyzeFiles, type AnalysisOptions, type SourceFile } from '../../server/src/core/index';
import { computeDiagnostics } from '../../server/src/core/diagnostics/index';
import { quickFixes } from '../../server/src/core/fixes/index';

const CODE = 'netpol.cluster-v1alpha1';

/** Applies every conversion offered in the workspace; returns the new files and how many were applied. */
export function convertAll(
  files: SourceFile[],
  options: Partial<AnalysisOptions> = {},
): { files: SourceFile[]; converted: number } {
  const analysis = analyzeFiles(files, options);
  const problems = computeDiagnostics(analysis).filter((p) => p.code === CODE);
  let converted = 0;
  const result = files.map((file) => {
    const edits = problems
      .filter((p) => p.uri === file.uri)
      .flatMap((p) => quickFixes(analysis, p).flatMap((fix) => fix.edits))
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
