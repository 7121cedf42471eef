// A cheap relevance pre-filter per `---` section. GitOps repositories are mostly ConfigMaps, Secrets, CRDs
// and RBAC that no NetworkPolicy analysis reads, and parsing them dominates the time of a workspace scan.
// A section is skipped (never parsed) only when a line scan proves what its single document is: a block
// mapping at column 0 whose one top-level `kind:` line names a kind in UNREAD_KINDS. Anything the scan
// cannot tell for sure (flow style or JSON, quoted or complex keys, merge keys, tags, templates, indented
// roots, a kind that is absent, repeated or not a plain word, `...` or directives) is parsed in full, so a
// skipped section can never hide an object the analysis reads. It is a deny-list on purpose: a kind that
// a rule starts to read tomorrow is analysed, not skipped, unless someone adds it here.
//
// What is lost for a skipped section: YAML syntax errors and warnings inside it (the section is not
// parsed). Files open in the editor are therefore always parsed in full (see parseFile's `relevantOnly`).

/**
 * Kinds that no analysis, rule or feature reads (a test checks that the core never names them). A `*List`
 * is never skipped, whatever its name, since its items may be anything.
 */
export const UNREAD_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'Certificate',
  'CertificateSigningRequest',
  'ClusterIssuer',
  'ClusterRole',
  'ClusterRoleBinding',
  'ConfigMap',
  'CSIDriver',
  'CustomResourceDefinition',
  'HorizontalPodAutoscaler',
  'Ingress',
  'IngressClass',
  'Issuer',
  'LimitRange',
  'MutatingWebhookConfiguration',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'PodDisruptionBudget',
  'PodMonitor',
  'PriorityClass',
  'PrometheusRule',
  'ResourceQuota',
  'Role',
  'RoleBinding',
  'Secret',
  'ServiceAccount',
  'ServiceMonitor',
  'StorageClass',
  'ValidatingWebhookConfiguration',
  'VolumeSnapshot',
  'VolumeSnapshotClass',
]);

/** A column-0 line that is a plain simple mapping key (`metadata:`, `data: x`). */
const PLAIN_KEY_LINE = /^[A-Za-z_][A-Za-z0-9_./-]*:(?:[ \t]|$)/;
/** The one kind line that lets a section be skipped: `kind: Word`, maybe with a comment. */
const SKIPPABLE_KIND_LINE = /^kind:[ \t]+([A-Za-z][A-Za-z0-9]*)[ \t]*(?:#.*)?$/;
/** Anything at column 0 that could be a `kind` key, however written. */
const ANY_KIND_KEY = /^(?:kind|"kind"|'kind')[ \t]*:/;
/** The separator line may carry only a comment. */
const BARE_SEPARATOR = /^---[ \t]*(?:#.*)?$/;

/**
 * The kind of the section's only document when the section can be skipped (see above); undefined when it
 * must be parsed.
 */
export function skippableKind(section: string): string | undefined {
  if (section.includes('{{')) return undefined; // templates are reported, so they are parsed
  if (namesAReadKind(section)) return undefined;
  let kind: string | undefined;
  let kindLines = 0;
  let sawContent = false;
  let lineStart = 0;
  while (lineStart < section.length) {
    let lineEnd = section.indexOf('\n', lineStart);
    if (lineEnd === -1) lineEnd = section.length;
    const first = section.charCodeAt(lineStart);
    // Indented lines (space) belong to the value of the column-0 key above them.
    if (first !== 32 && lineEnd > lineStart) {
      const line = section.slice(lineStart, section.charCodeAt(lineEnd - 1) === 13 ? lineEnd - 1 : lineEnd);
      if (!acceptLine(line, lineStart === 0)) {
        if (line.trim() !== '' && !line.startsWith('#')) return undefined;
      } else if (ANY_KIND_KEY.test(line)) {
        kindLines++;
        kind = SKIPPABLE_KIND_LINE.exec(line)?.[1];
      }
      if (line.trim() !== '' && !line.startsWith('#') && !line.startsWith('---')) sawContent = true;
    } else if (first === 32 && !sawContent && section.slice(lineStart, lineEnd).trim() !== '') {
      // Content before the first column-0 key: the root is indented, or a scalar. Parse it.
      if (!section.slice(lineStart, lineEnd).trim().startsWith('#')) return undefined;
    }
    lineStart = lineEnd + 1;
  }
  if (kindLines !== 1 || kind === undefined || kind.endsWith('List')) return undefined;
  return UNREAD_KINDS.has(kind) ? kind : undefined;
}

/**
 * Whether the section's first line that starts with `kind:` names a kind the analysis reads, or one
 * written in a way the scan does not skip (quoted, with other text after it): the section is then parsed
 * whatever its other lines are, as a skipped section needs its only kind line to name an unread kind.
 * Most sections of a workspace worth analysing are such, and this tells them without reading each line.
 */
function namesAReadKind(section: string): boolean {
  const at = section.startsWith('kind:') ? 0 : section.indexOf('\nkind:') + 1;
  if (at === 0 && !section.startsWith('kind:')) return false;
  let end = section.indexOf('\n', at);
  if (end === -1) end = section.length;
  if (section.charCodeAt(end - 1) === 13) end--;
  const kind = SKIPPABLE_KIND_LINE.exec(section.slice(at, end))?.[1];
  return kind === undefined || kind.endsWith('List') || !UNREAD_KINDS.has(kind);
}

/** Whether a non-indented line keeps the section a plain column-0 block mapping. */
function acceptLine(line: string, isFirst: boolean): boolean {
  if (isFirst && line.startsWith('---')) return BARE_SEPARATOR.test(line);
  if (line.startsWith('\t')) return false; // a tab cannot indent YAML: let the parser report it
  return PLAIN_KEY_LINE.test(line);
}

/**
 * `kind` or `apiVersion` as a word of its own (`"kind"`, `kind:`, `- kind`), the keys that every object
 * the analysis reads has at its top level; `kind-of` (a package name in every package-lock.json) is none.
 */
const KUBE_KEY_WORD = /(?<!\w)(?:kind|apiVersion)(?![\w-])/;

/**
 * Whether a `.json` file cannot hold a Kubernetes object, so a workspace scan need not parse it at all
 * (package.json, tsconfig.json, package-lock.json, editor settings). An object needs both keys, and a
 * key's text can differ from how it is written only through a backslash escape (`"\u006bind"`), so text
 * with neither word, and without a backslash, yields no object and no problem when parsed: parseFile
 * reports nothing for YAML or JSON that names neither key (its syntax errors included).
 */
export function cannotHoldKubernetesObjects(text: string): boolean {
  return !text.includes('\\') && !KUBE_KEY_WORD.test(text);
}
