// The work that reads an object's yaml nodes and holds for every analysis of its file: the model's
// extraction, the NetworkPolicy schema check, the API-server checks and where the lints that report on
// most policies point. A large file keeps no nodes (its sections are read again when asked: RebuiltSection
// in documents.ts), so parseFile hands each document's objects here while they are in memory
// (ParseOptions.whileRead), and none of that work reads the document a second time. What it finds is
// memoised per file or per object, where the analysis and the rules look it up; for another default
// namespace the extraction is done again, from rebuilt nodes.
import { objectApiFindings } from './diagnostics/api-objects';
import { notePortRanges } from './diagnostics/lint-ports';
import { noteTightRange } from './diagnostics/lint-yaml';
import { policySchemaErrors, validatedAsPolicy } from './diagnostics/schema-validate';
import { extractEarly } from './model';
import type { KubeObject, ParsedFile, ParseOptions } from './parse';
import { startOffsetOf } from './text';
import type { PolicyModel } from './types';

/** Does, for the objects of one document, the work that reads their nodes (see above). */
export function prepareObjects(
  file: ParsedFile,
  objects: readonly KubeObject[],
  defaultNamespace: string,
): void {
  for (const policy of extractEarly(file, objects, defaultNamespace)) notePlaces(file, objects, policy);
  for (const obj of objects) {
    if (!obj.templated) objectApiFindings(obj);
    if (validatedAsPolicy(obj)) policySchemaErrors(obj);
  }
}

/**
 * Notes, while the nodes are in memory, where the rules that report on most policies point: each port
 * entry's value, the pod selector. The policy's object is the one policyNode finds for it, the first that
 * starts where the policy starts.
 */
function notePlaces(file: ParsedFile, objects: readonly KubeObject[], policy: PolicyModel): void {
  noteTightRange(file, policy.podSelector.range);
  const start = startOffsetOf(policy.range);
  const object = objects.find((o) => startOffsetOf(o.range) === start);
  if (object) notePortRanges(file, object, policy);
}

/** The parse options that prepare each document's objects for analyses with this default namespace. */
export function preparing(options: ParseOptions, defaultNamespace: string): ParseOptions {
  const also = options.whileRead;
  return {
    ...options,
    whileRead: (file, objects) => {
      prepareObjects(file, objects, defaultNamespace);
      also?.(file, objects);
    },
  };
}
