// Completion inside NetworkPolicies: label keys and values from the workspace in selectors (pods for a
// podSelector, namespaces for a namespaceSelector), the few enumerations of the API, the field names of
// a policy, and snippets for the tutorial patterns in an empty document.
import { isScalar, parse as parseYaml } from 'yaml';
import { NAMESPACE_NAME_LABEL } from '../extract';
import { isJsonUri } from '../text';
import type { Analysis } from '../index';
import { PROTOCOLS, type Labels, type PolicyModel, type Range } from '../types';
import { guardrailSnippets } from './cluster-snippets';
import { isClusterKind } from '../cluster/types';
import { clusterCompletions, kindCompletions } from './cluster-completion';
import { completionContext, type CompletionContext } from './completion-context';
import { findFile, type PathSegment } from './locate';
import { expectationCompletions, expectationsSnippet } from './expectations';
import { tutorialSnippets } from './snippets';

export type CompletionKind = 'label-key' | 'label-value' | 'field' | 'enum' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** Plain text. */
  detail?: string;
  /** Plain text. */
  documentation?: string;
  insertText: string;
  /** `insertText` uses LSP snippet syntax (`${1:name}`). */
  snippet?: boolean;
  /** The text the item replaces. */
  range: Range;
  sortText?: string;
}

/** A set of labelled things (workloads or namespaces) to draw keys and values from. */
export interface LabelSource {
  noun: string;
  items: { id: string; labels: Labels }[];
}

const FIELDS: { at: (path: PathSegment[]) => boolean; keys: string[] }[] = [
  { at: (p) => p.length === 1 && p[0] === 'spec', keys: ['podSelector', 'policyTypes', 'ingress', 'egress'] },
  { at: (p) => isSelector(p), keys: ['matchLabels', 'matchExpressions'] },
  { at: (p) => expressionIndex(p) === p.length - 1, keys: ['key', 'operator', 'values'] },
  { at: (p) => isRule(p), keys: [] }, // filled per direction below
  { at: (p) => isPeer(p), keys: ['podSelector', 'namespaceSelector', 'ipBlock'] },
  { at: (p) => p.length === 5 && p[3] === 'ports', keys: ['protocol', 'port', 'endPort'] },
  { at: (p) => p[p.length - 1] === 'ipBlock', keys: ['cidr', 'except'] },
];

const ENUMS: Record<string, string[]> = {
  operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'],
  protocol: [...PROTOCOLS],
  policyTypes: ['Ingress', 'Egress'],
};

function isRule(path: PathSegment[]): boolean {
  return path.length === 3 && path[0] === 'spec' && (path[1] === 'ingress' || path[1] === 'egress');
}

function isPeer(path: PathSegment[]): boolean {
  return path.length === 5 && isRule(path.slice(0, 3)) && (path[3] === 'from' || path[3] === 'to');
}

function selectorIndex(path: PathSegment[]): number {
  if (path[0] !== 'spec') return -1;
  if (path[1] === 'podSelector') return 1;
  return isPeer(path.slice(0, 5)) && (path[5] === 'podSelector' || path[5] === 'namespaceSelector') ? 5 : -1;
}

function isSelector(path: PathSegment[]): boolean {
  return selectorIndex(path) === path.length - 1 && path.length > 0;
}

/** Index in `path` of the number of a matchExpressions item, or -1. */
function expressionIndex(path: PathSegment[]): number {
  const at = selectorIndex(path);
  return at >= 0 && path[at + 1] === 'matchExpressions' && typeof path[at + 2] === 'number' ? at + 2 : -1;
}

/** Writes a string as a YAML scalar: plain when YAML 1.1 reads it back as that string, else quoted. */
export function yamlString(value: string): string {
  let plain: unknown;
  try {
    plain = parseYaml(value, { version: '1.1' });
  } catch {
    plain = undefined;
  }
  const safe = plain === value && value.trim() === value && !/[,[\]{}#:"']/.test(value);
  return safe ? value : JSON.stringify(value);
}

function labelSource(analysis: Analysis, policy: PolicyModel | undefined, path: PathSegment[]): LabelSource {
  const at = selectorIndex(path);
  if (path[at] === 'namespaceSelector') {
    return {
      noun: 'namespace',
      items: analysis.model.namespaces.map((n) => ({ id: n.name, labels: n.labels })),
    };
  }
  const workloads = analysis.model.workloads.filter((w) => !w.inferred);
  // spec.podSelector, and a peer podSelector without namespaceSelector, select in the policy's namespace.
  const peerHasNamespaces =
    at === 5 &&
    policy?.[path[1] as 'ingress' | 'egress']?.[path[2] as number]?.peers?.[path[4] as number]
      ?.namespaceSelector;
  const local = policy && !peerHasNamespaces ? workloads.filter((w) => w.namespace === policy.namespace) : [];
  return { noun: 'workload', items: local.length > 0 ? local : workloads };
}

function examples(ids: string[]): string {
  const shown = ids.slice(0, 5).join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}

function counted(source: LabelSource, select: (labels: Labels) => string | undefined) {
  const found = new Map<string, string[]>();
  for (const item of source.items) {
    const value = select(item.labels);
    if (value !== undefined) found.set(value, [...(found.get(value) ?? []), item.id]);
  }
  // Most used first, then alphabetical.
  return [...found.entries()].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1));
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function sortText(index: number): string {
  return String(index).padStart(5, '0');
}

/** A space after `key:` that was typed without one. */
function lead(context: CompletionContext, text: string): string {
  return text[context.range.start.offset - 1] === ':' ? ' ' : '';
}

function keyItems(context: CompletionContext, text: string, source: LabelSource): CompletionItem[] {
  const written = new Set(context.siblingKeys);
  const byKey = new Map<string, string[]>();
  for (const item of source.items)
    for (const key of Object.keys(item.labels)) byKey.set(key, [...(byKey.get(key) ?? []), item.id]);
  return [...byKey.entries()]
    .filter(([key]) => !written.has(key))
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .map(([key, ids], index) => ({
      label: key,
      kind: 'label-key' as const,
      detail: `label of ${plural(ids.length, source.noun)}`,
      documentation: examples(ids),
      insertText:
        lead(context, text) + (context.quoted ? key : yamlString(key)) + (context.colonFollows ? '' : ': '),
      range: context.range,
      sortText: sortText(key === NAMESPACE_NAME_LABEL ? 0 : index + 1),
    }));
}

function valueItems(
  context: CompletionContext,
  text: string,
  source: LabelSource,
  key: string,
  exclude: string[] = [],
): CompletionItem[] {
  return counted(source, (labels) => labels[key])
    .filter(([value]) => !exclude.includes(value))
    .map(([value, ids], index) => ({
      label: value === '' ? '""' : value,
      kind: 'label-value' as const,
      detail: `${key}=${value} on ${plural(ids.length, source.noun)}`,
      documentation: examples(ids),
      insertText: lead(context, text) + (context.quoted ? value : yamlString(value)),
      range: context.range,
      sortText: sortText(index),
    }));
}

export function enumItems(context: CompletionContext, text: string, values: string[]): CompletionItem[] {
  return values
    .filter((v) => !context.siblingKeys.includes(v))
    .map((value, index) => ({
      label: value,
      kind: 'enum' as const,
      insertText: lead(context, text) + value,
      range: context.range,
      sortText: sortText(index),
    }));
}

function fieldItems(context: CompletionContext): CompletionItem[] {
  const path = context.path;
  const table = FIELDS.find((f) => f.at(path));
  if (!table) return [];
  const keys = isRule(path) ? (path[1] === 'ingress' ? ['from', 'ports'] : ['to', 'ports']) : table.keys;
  return fieldNameItems(context, keys);
}

/** Field names to type as keys, less those already written in the mapping. */
export function fieldNameItems(context: CompletionContext, keys: string[]): CompletionItem[] {
  return keys
    .filter((k) => !context.siblingKeys.includes(k))
    .map((key, index) => ({
      label: key,
      kind: 'field' as const,
      insertText: key + (context.colonFollows ? '' : ': '),
      range: context.range,
      sortText: sortText(index),
    }));
}

/** The key written in the matchExpressions item around the cursor. */
function expressionKey(context: CompletionContext, at: number): string | undefined {
  const node = context.object?.node.getIn([...context.path.slice(0, at + 1), 'key'], true);
  return isScalar(node) ? String(node.value) : undefined;
}

function selectorItems(context: CompletionContext, text: string, analysis: Analysis): CompletionItem[] {
  const at = selectorIndex(context.path);
  if (at < 0) return [];
  return labelSelectorItems(context, text, at, labelSource(analysis, context.policy, context.path));
}

/**
 * Inside a label selector written at `path[at]` (of a NetworkPolicy or a cluster policy): label keys and
 * values from `source` in matchLabels and matchExpressions, and the operators.
 */
export function labelSelectorItems(
  context: CompletionContext,
  text: string,
  at: number,
  source: LabelSource,
): CompletionItem[] {
  const path = context.path;
  const rest = path.slice(at + 1);
  if (rest[0] === 'matchLabels') {
    if (context.position === 'key' && rest.length === 1) return keyItems(context, text, source);
    if (context.position === 'value' && rest.length === 2)
      return valueItems(context, text, source, String(rest[1]));
    return [];
  }
  const expression = rest[0] === 'matchExpressions' && typeof rest[1] === 'number' ? at + 2 : -1;
  if (expression < 0 || context.position !== 'value') return [];
  const field = path[expression + 1];
  if (field === 'key' && path.length === expression + 2) return keyItems(context, text, source);
  if (field === 'operator') return enumItems(context, text, ENUMS.operator);
  const key = expressionKey(context, expression);
  if (field === 'values' && key !== undefined && typeof path[expression + 2] === 'number')
    return valueItems(context, text, source, key, context.siblingKeys);
  return [];
}

function enumAt(context: CompletionContext, text: string): CompletionItem[] {
  if (context.position !== 'value') return [];
  const path = context.path;
  if (path.length === 3 && path[0] === 'spec' && path[1] === 'policyTypes')
    return enumItems(context, text, ENUMS.policyTypes);
  if (path.length === 6 && path[3] === 'ports' && path[5] === 'protocol')
    return enumItems(context, text, ENUMS.protocol);
  return [];
}

/** Completion items at `offset` of the workspace file `uri`. */
export function completions(analysis: Analysis, uri: string, offset: number): CompletionItem[] {
  // Every item is YAML text (plain keys, block snippets): none of it belongs in a JSON file.
  if (isJsonUri(uri)) return [];
  const file = findFile(analysis, uri);
  if (!file) return [];
  const context = completionContext(file, offset, analysis.options.defaultNamespace);
  if (!context) return [];
  const text = file.source.text;
  if (context.topLevel) {
    // Snippets go into an empty document of a manifest file, or into an empty file.
    const blank =
      text.slice(0, context.range.start.offset).trim() === '' &&
      text.slice(context.range.end.offset).trim() === '';
    if (file.objects.length === 0 && !blank) return [];
    const snippets = tutorialSnippets(analysis, file, context.range);
    return [
      ...snippets,
      expectationsSnippet(analysis, context.range, snippets.length),
      ...guardrailSnippets(context.range),
    ];
  }
  const expectations = expectationCompletions(context, analysis, text);
  if (expectations) return expectations;
  const kinds = kindCompletions(context, text);
  if (kinds) return kinds;
  const kind = context.object?.kind;
  if (isClusterKind(kind)) return clusterCompletions(context, text, analysis, kind);
  if (kind !== 'NetworkPolicy') return [];
  const selector = selectorItems(context, text, analysis);
  if (selector.length > 0) return selector;
  if (context.position === 'key') return fieldItems(context);
  return enumAt(context, text);
}
