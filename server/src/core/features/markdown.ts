// Markdown for hovers. Everything written in the manifests (names, label keys and values, CIDRs) is
// untrusted: it must render as literal text, never as markup, HTML or a link.
import { displayText } from '../display';
import type { NamespaceModel, PolicyModel, Range, WorkloadModel } from '../types';

/** Every ASCII punctuation character can be backslash-escaped in CommonMark; escaping all is simplest. */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
/**
 * Plain text → markdown that renders as exactly that text (on one line): line breaks would start new
 * blocks and bidi controls can disguise text, so controls are shown escaped (display.ts), long values cut.
 */
export function escapeMarkdown(text: string): string {
  return displayText(text).replace(PUNCTUATION, '\\$&');
}

/** VS Code's file link with a position: `uri#L<line>,<column>` (1-based). */
export function positionLink(uri: string, range: Range): string {
  // Characters that would end or break a markdown link destination are percent-encoded.
  const safe = uri.replace(
    /[\s()<>\\[\]`"']/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
  );
  return `${safe}#L${range.start.line + 1},${range.start.character + 1}`;
}

export function link(text: string, uri: string, range: Range): string {
  return `[${escapeMarkdown(text)}](${positionLink(uri, range)})`;
}

/** A workload, linked to its definition; implicit and inferred ones are marked and not linked. */
export function workloadLink(workload: WorkloadModel): string {
  if (workload.implicit) return `${escapeMarkdown(workload.id)} _(implicit: assumed cluster DNS)_`;
  if (workload.inferred) return `${escapeMarkdown(workload.id)} _(inferred representative pod)_`;
  if (!workload.source) return escapeMarkdown(workload.id);
  return link(workload.id, workload.source.uri, workload.source.range);
}

export function namespaceLink(namespace: NamespaceModel): string {
  if (!namespace.source) return `${escapeMarkdown(namespace.name)} _(not defined in the workspace)_`;
  return link(namespace.name, namespace.source.uri, namespace.source.range);
}

export function policyLink(policy: PolicyModel): string {
  return link(`${policy.namespace}/${policy.name}`, policy.uri, policy.nameRange ?? policy.range);
}

/** How many entries a hover list shows before "and N more". */
export const LIST_LIMIT = 10;

/** A bullet list of already-rendered items, capped. */
export function bulletList(items: string[], limit = LIST_LIMIT): string {
  const lines = items.slice(0, limit).map((item) => `- ${item}`);
  if (items.length > limit) lines.push(`- and ${items.length - limit} more`);
  return lines.join('\n');
}

/** Plain-text lines → escaped paragraphs. */
export function paragraphs(lines: string[]): string {
  return lines.map(escapeMarkdown).join('\n\n');
}

/**
 * The plain text a reader sees in the markdown this module writes, for clients that render no markup:
 * escapes resolved, emphasis and link destinations dropped. Only our own markup is unescaped (every
 * user-provided character is escaped), so any unescaped `*`, `_`, `[` or `](…)` is markup.
 */
export function markdownToPlainText(markdown: string): string {
  let text = '';
  for (let i = 0; i < markdown.length; i++) {
    const c = markdown[i];
    if (c === '\\' && i + 1 < markdown.length && markdown[i + 1] !== '\n') text += markdown[++i];
    else if (c === ']' && markdown[i + 1] === '(') i = markdown.indexOf(')', i);
    else if (c !== '*' && c !== '_' && c !== '[') text += c;
    if (i < 0) break;
  }
  return text.replace(/ {2}\n/g, '\n');
}
