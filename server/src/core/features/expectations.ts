// Editor features inside `kind: ConnectivityExpectations` documents: a code lens on each expectation,
// a hover with its full evaluation, and completion of fields, peers, ports and verdicts.
import { isMap, isScalar } from 'yaml';
import {
  EXPECTATIONS_API_VERSION,
  EXPECTATIONS_KIND,
  EXPECTATIONS_SCHEMA,
  expectationsDocuments,
  isExpectationsObject,
} from '../expectations/document';
import {
  evaluateExpectations,
  explainExpectation,
  resolvePeerSpec,
  type ExpectationResult,
  type PairVerdict,
} from '../expectations/evaluate';
import type { Analysis } from '../index';
import { formatPortQuery } from '../queries';
import type { Range, WorkloadModel } from '../types';
import type { CompletionContext } from './completion-context';
import type { CompletionItem } from './completion';
import type { CursorLocation, PathSegment } from './locate';
import type { CodeLens } from './lenses';
import type { Location } from './navigation';
import { escapeMarkdown, paragraphs } from './markdown';

/** The results of the expectations written in one file. */
function resultsIn(analysis: Analysis, uri: string): ExpectationResult[] {
  return evaluateExpectations(analysis).filter((r) => r.document.uri === uri);
}

/** Where the rules that decide a pair are written: the allowing rules, or the isolating policies. */
function decidingLocations(result: ExpectationResult, pair: PairVerdict | undefined): Location[] {
  if (!pair) return [];
  const query = result.explain(pair);
  const locations: Location[] = [];
  for (const side of [query.egress, query.ingress]) {
    if (query.allowed || side.rules.length > 0) {
      for (const match of side.rules) locations.push({ uri: match.policy.uri, range: match.rule.range });
    } else {
      for (const policy of side.policies)
        locations.push({ uri: policy.uri, range: policy.nameRange ?? policy.range });
    }
  }
  return locations;
}

/** A lens over each expectation of the file: `holds`, `violated: …` or `invalid: …`. */
export function expectationLenses(analysis: Analysis, uri: string): CodeLens[] {
  return resultsIn(analysis, uri).map((result) => {
    const pair = result.pairs.find((p) => !p.holds) ?? result.pairs[0];
    return {
      range: result.expectation.range,
      title: result.summary,
      locations: decidingLocations(result, pair),
    };
  });
}

/** One pair: its verdict as the heading, then the lines `netpol-lens can` prints. */
function pairMarkdown(result: ExpectationResult, pair: PairVerdict): string {
  const [, account = ''] = explainExpectation({ ...result, pairs: [pair] }, 1);
  const [first, ...rest] = account.split('\n');
  return [`**${escapeMarkdown(first)}**`, paragraphs(rest)].join('\n\n');
}

/** How many pairs a hover spells out. */
const HOVER_PAIRS = 10;

function expectationMarkdown(result: ExpectationResult): string {
  const name = result.document.name ? ` ${result.document.name}` : '';
  const title = `expectations[${result.expectation.index}] · ${EXPECTATIONS_KIND}${name}`;
  const parts = [`**${escapeMarkdown(title)}**`];
  const [headline] = explainExpectation(result, 0);
  parts.push(escapeMarkdown(headline));
  if (result.expectation.description) parts.push(`_${escapeMarkdown(result.expectation.description)}_`);
  const ordered = [...result.pairs.filter((p) => !p.holds), ...result.pairs.filter((p) => p.holds)];
  for (const pair of ordered.slice(0, HOVER_PAIRS)) parts.push(pairMarkdown(result, pair));
  if (ordered.length > HOVER_PAIRS)
    parts.push(escapeMarkdown(`… and ${ordered.length - HOVER_PAIRS} more pairs`));
  return parts.join('\n\n');
}

function documentMarkdown(results: ExpectationResult[], name: string | undefined): string {
  const count = (status: string) => results.filter((r) => r.status === status).length;
  const title = `${EXPECTATIONS_KIND}${name ? ` ${name}` : ''}`;
  const total = `${results.length} ${results.length === 1 ? 'expectation' : 'expectations'}`;
  const line = `${total}: ${count('holds')} hold, ${count('violated')} violated, ${count('invalid')} invalid.`;
  return [`**${escapeMarkdown(title)}**`, escapeMarkdown(line)].join('\n\n');
}

/** The hover inside an expectations document, or undefined elsewhere. */
export function expectationHover(
  analysis: Analysis,
  location: CursorLocation,
): { contents: string; range: Range } | undefined {
  const object = location.object;
  if (!object || !isExpectationsObject(object)) return undefined;
  const document = expectationsDocuments(location.file).find((d) => d.object === object);
  if (!document) return undefined;
  const results = resultsIn(analysis, location.file.uri).filter((r) => r.document === document);
  const [first, index] = location.path;
  if (first === 'expectations' && typeof index === 'number') {
    const result = results.find((r) => r.expectation.index === index);
    return result && { contents: expectationMarkdown(result), range: result.expectation.range };
  }
  if (first === 'kind' || (first === 'metadata' && location.path[1] === 'name')) {
    return { contents: documentMarkdown(results, document.name), range: document.range };
  }
  return undefined;
}

/** The workloads the `from`/`to` value at the cursor names (for go to definition), or undefined. */
export function expectationPeerWorkloads(
  analysis: Analysis,
  location: CursorLocation,
): WorkloadModel[] | undefined {
  const [first, index, field] = location.path;
  if (!isExpectationsObject(location.object) || first !== 'expectations' || location.path.length !== 3)
    return undefined;
  if (field !== 'from' && field !== 'to') return undefined;
  const document = expectationsDocuments(location.file).find((d) => d.object === location.object);
  const spec = document?.expectations.find((e) => e.index === index)?.[field];
  if (!spec) return [];
  const resolved = resolvePeerSpec(analysis.reachability, spec, field === 'from' ? 'source' : 'destination');
  return 'peers' in resolved ? resolved.peers.flatMap((p) => (p.kind === 'pod' ? [p.workload] : [])) : [];
}

// ---------------------------------------------------------------------------------------------
// Completion

type SchemaNode = { properties?: Record<string, { description?: string; enum?: string[] }> };

function schemaFields(path: PathSegment[]): SchemaNode['properties'] | undefined {
  if (path.length === 0) return (EXPECTATIONS_SCHEMA as SchemaNode).properties;
  if (path.length === 1 && path[0] === 'metadata')
    return (EXPECTATIONS_SCHEMA.properties.metadata as SchemaNode).properties;
  if (path.length === 2 && path[0] === 'expectations' && typeof path[1] === 'number')
    return (EXPECTATIONS_SCHEMA.definitions.expectation as SchemaNode).properties;
  return undefined;
}

function sortText(index: number): string {
  return String(index).padStart(5, '0');
}

/** The context, with the space a value needs after a `:` typed without one. */
type ValueContext = CompletionContext & { lead: string };

function item(context: ValueContext, label: string, index: number, detail?: string): CompletionItem {
  // Brackets would start a YAML flow sequence unquoted.
  const needsQuotes = !context.quoted && /[[\]]/.test(label);
  return {
    label,
    kind: 'enum',
    detail,
    insertText: context.lead + (needsQuotes ? JSON.stringify(label) : label),
    range: context.range,
    sortText: sortText(index),
  };
}

function fieldItems(context: CompletionContext): CompletionItem[] {
  const fields = schemaFields(context.path);
  if (!fields) return [];
  return Object.entries(fields)
    .filter(([key]) => !context.siblingKeys.includes(key))
    .map(([key, field], index) => ({
      label: key,
      kind: 'field' as const,
      documentation: field.description,
      insertText: key + (context.colonFollows ? '' : ': '),
      range: context.range,
      sortText: sortText(index),
    }));
}

/** Workloads by their short name where it is unambiguous, and `ns/*` for each namespace with workloads. */
function peerItems(context: ValueContext, analysis: Analysis): CompletionItem[] {
  const reach = analysis.reachability;
  const items: CompletionItem[] = [];
  const namespaces = new Set<string>();
  for (const peer of reach.peers) {
    if (peer.kind !== 'pod' || peer.workload.inferred) continue;
    namespaces.add(peer.namespace);
    const short = `${peer.namespace}/${peer.workload.name}`;
    const label = reach.findPeer(short) === peer ? short : peer.id;
    const note = peer.workload.implicit ? ' (implicit cluster DNS)' : '';
    items.push(item(context, label, items.length, `${peer.workload.kind}${note}`));
  }
  for (const namespace of [...namespaces].sort()) {
    const count = analysis.model.workloadsIn(namespace).length;
    items.push(item(context, `${namespace}/*`, items.length, `every workload of ${namespace} (${count})`));
  }
  return items;
}

/** Container ports of the destination (or of every workload), as `PORT/PROTOCOL`. */
function portItems(context: ValueContext, analysis: Analysis): CompletionItem[] {
  const object = context.object!;
  const index = context.path[1] as number;
  const expectation = object.node.getIn(['expectations', index], true);
  const to = isMap(expectation) ? expectation.get('to', true) : undefined;
  const written = isScalar(to) ? String(to.value) : undefined;
  const reach = analysis.reachability;
  const destination = written ? reach.findPeer(written) : undefined;
  const namespace = written?.endsWith('/*') ? written.slice(0, -2) : undefined;
  const workloads =
    destination?.kind === 'pod'
      ? [destination.workload]
      : namespace
        ? analysis.model.workloadsIn(namespace)
        : analysis.model.workloads;
  const ports = new Map<string, string[]>();
  for (const w of workloads) {
    for (const cp of w.ports) {
      const text = formatPortQuery({ port: cp.containerPort, protocol: cp.protocol as 'TCP' });
      ports.set(text, [
        ...(ports.get(text) ?? []),
        `${w.namespace}/${w.name}${cp.name ? ` (${cp.name})` : ''}`,
      ]);
    }
  }
  return [...ports.entries()]
    .sort(([a], [b]) => parseInt(a) - parseInt(b) || (a < b ? -1 : 1))
    .map(([text, owners], i) => item(context, text, i, `container port of ${owners.slice(0, 3).join(', ')}`));
}

/** Completion inside an expectations document, or undefined when the context is not one. */
export function expectationCompletions(
  written: CompletionContext,
  analysis: Analysis,
  text: string,
): CompletionItem[] | undefined {
  if (!isExpectationsObject(written.object)) return undefined;
  if (written.position === 'key') return fieldItems(written);
  const context = { ...written, lead: text[written.range.start.offset - 1] === ':' ? ' ' : '' };
  const path = context.path;
  if (path.length === 1 && path[0] === 'apiVersion') return [item(context, EXPECTATIONS_API_VERSION, 0)];
  if (path.length !== 3 || path[0] !== 'expectations' || typeof path[1] !== 'number') return [];
  const field = path[2];
  if (field === 'from' || field === 'to') return peerItems(context, analysis);
  if (field === 'port') return portItems(context, analysis);
  if (field === 'expect') {
    const values = EXPECTATIONS_SCHEMA.definitions.expectation.properties.expect.enum;
    return values.map((value, i) => item(context, value, i));
  }
  return [];
}

/** Workload names that can be snippet choices (no `|`, `,` or `$`). */
const CHOICE_SAFE = /^[a-z0-9.-]+\/[a-z0-9.-]+$/;

/** A snippet for a new expectations document, its peers offered from the workspace. */
export function expectationsSnippet(analysis: Analysis, range: Range, sortIndex: number): CompletionItem {
  const reach = analysis.reachability;
  const names = reach.peers.flatMap((p) => {
    if (p.kind !== 'pod' || p.workload.inferred) return [];
    const short = `${p.namespace}/${p.workload.name}`;
    return reach.findPeer(short) === p && CHOICE_SAFE.test(short) ? [short] : [];
  });
  const peer = (n: number) => (names.length > 1 ? `\${${n}|${names.join(',')}|}` : `\${${n}:namespace/name}`);
  return {
    label: `${EXPECTATIONS_KIND}: connectivity a team promises`,
    kind: 'snippet',
    detail: 'Expectations checked against the policies on every keystroke and by netpol-lens check',
    insertText: `apiVersion: ${EXPECTATIONS_API_VERSION}
kind: ${EXPECTATIONS_KIND}
metadata:
  name: \${1:contract}
expectations:
  - from: ${peer(2)}
    to: ${peer(3)}
    port: \${4:80/TCP}
    expect: \${5|deny,allow|}
$0`,
    snippet: true,
    range,
    sortText: String(sortIndex),
  };
}
