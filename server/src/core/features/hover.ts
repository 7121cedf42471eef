// Hovers: plain-English explanations of the policy element under the cursor, and the reach summary of
// a workload. The words come from explain.ts (as `netpol-lens explain` prints them), escaped as markdown.
import {
  explainDirection,
  explainIpBlock,
  explainPeer,
  explainPeerSelector,
  explainPodSelector,
  explainPolicy,
  explainPolicyTypes,
  explainPort,
  explainPorts,
  explainRule,
  explainUnreadable,
  type ElementExplanation,
} from '../explain';
import { isExpectationsObject } from '../expectations/document';
import type { Analysis } from '../index';
import { clusterHover } from './cluster-hover';
import { expectationHover } from './expectations';
import type { PolicyModel, Range } from '../types';
import { workspaceFolder } from '../paths';
import { locateIn, nodeRange, onObjectHeader, type CursorLocation, type ModelElement } from './locate';
import {
  bulletList,
  escapeMarkdown,
  markdownToPlainText,
  namespaceLink,
  paragraphs,
  workloadLink,
} from './markdown';
import { renderWorkloadSummary, workloadSummary } from './workload-summary';

/** What the client renders: markdown (VS Code) or plain text (clients announcing only `plaintext`). */
export type HoverFormat = 'markdown' | 'plaintext';

export interface Hover {
  /** Markdown (every user-provided string in it escaped), or plain text when asked for. */
  contents: string;
  format: HoverFormat;
  range: Range;
  /** A workload's hover: its id, for "Show in Graph". */
  workload?: string;
}

type PolicyPart = Exclude<ModelElement, { kind: 'workload' | 'namespace' | 'service' }>;

/** `spec.ingress[0].from[1].podSelector`: where the hovered element is written. */
function elementPath(element: PolicyPart): string {
  if (element.kind === 'policy') return 'metadata.name';
  if (element.kind === 'policyTypes') return 'spec.policyTypes';
  if (element.kind === 'rules') return `spec.${element.direction}`;
  if (element.kind === 'selector' && element.role === 'policy') return 'spec.podSelector';
  const rule = `spec.${element.rule.direction}[${element.rule.index}]`;
  const peers = element.rule.direction === 'ingress' ? 'from' : 'to';
  switch (element.kind) {
    case 'rule':
      return rule;
    case 'ports':
      return `${rule}.ports`;
    case 'port':
      return `${rule}.ports[${element.port.index}]`;
    case 'peer':
      return `${rule}.${peers}[${element.peer.index}]`;
    case 'ipBlock':
      return `${rule}.${peers}[${element.peer.index}].ipBlock`;
    case 'selector':
      return `${rule}.${peers}[${element.peer.index}].${element.role}Selector`;
  }
}

function explanationOf(element: PolicyPart, analysis: Analysis): ElementExplanation | undefined {
  const reach = analysis.reachability;
  switch (element.kind) {
    case 'policyTypes':
      return explainPolicyTypes(element.policy, reach);
    case 'rules':
      return explainDirection(element.policy, element.direction, reach);
    case 'rule':
      return explainRule(element.policy, element.rule, reach);
    case 'ports':
      return explainPorts(element.policy, element.rule, reach);
    case 'port':
      return explainPort(element.policy, element.rule, element.port, reach);
    case 'peer':
      return explainPeer(element.policy, element.rule, element.peer, reach);
    case 'ipBlock':
      return explainIpBlock(element.policy, element.rule, element.peer, reach);
    case 'selector':
      return element.role === 'policy'
        ? explainPodSelector(element.policy, reach)
        : explainPeerSelector(element.policy, element.rule, element.peer, element.role, reach);
    case 'policy':
      return undefined;
  }
}

function elementRange(element: PolicyPart): Range {
  switch (element.kind) {
    case 'policy':
      return element.policy.nameRange ?? element.policy.range;
    case 'policyTypes':
      return element.policy.policyTypesRange ?? element.policy.range;
    case 'rules':
      return element.policy[`${element.direction}Range`] ?? element.policy.range;
    case 'rule':
      return element.rule.range;
    case 'ports':
      return element.rule.portsRange ?? element.rule.range;
    case 'port':
      return element.port.range;
    case 'peer':
      return element.peer.range;
    case 'ipBlock':
      return element.ipBlock.range;
    case 'selector':
      return element.selector.range;
  }
}

function renderExplanationMarkdown(title: string, explanation: ElementExplanation): string {
  const parts = [`**${escapeMarkdown(title)}**`, paragraphs(explanation.lines)];
  if (explanation.namespaces) {
    parts.push(
      explanation.namespaces.length === 0
        ? 'Selects no namespace in the workspace.'
        : `Namespaces (${explanation.namespaces.length}):\n\n${bulletList(explanation.namespaces.map(namespaceLink))}`,
    );
  }
  if (explanation.workloads) {
    parts.push(
      explanation.workloads.length === 0
        ? 'Matches no workload in the workspace.'
        : `Workloads (${explanation.workloads.length}):\n\n${bulletList(explanation.workloads.map(workloadLink))}`,
    );
  }
  return parts.join('\n\n');
}

/** The policy-name hover: the policy's overall effect and the text `netpol-lens explain` prints. */
export function policyMarkdown(policy: PolicyModel, analysis: Analysis): string {
  const explanation = explainPolicy(policy, analysis.reachability);
  // Paragraphs, with the rule lines of a direction as one bullet list under it.
  const blocks: string[] = [];
  for (const line of explanation.lines) {
    const item = line.startsWith('  - ') ? `- ${escapeMarkdown(line.slice(4))}` : undefined;
    if (item && blocks.length > 0 && blocks[blocks.length - 1].startsWith('- '))
      blocks[blocks.length - 1] += `\n${item}`;
    else blocks.push(item ?? escapeMarkdown(line));
  }
  const selected =
    explanation.selected.length === 0
      ? 'Selects no workload in the workspace.'
      : `Selected workloads (${explanation.selected.length}):\n\n${bulletList(explanation.selected.map(workloadLink))}`;
  return [
    `**${escapeMarkdown(explanation.title)}**`,
    `${escapeMarkdown(explanation.summary)}.`,
    ...blocks,
    selected,
  ].join('\n\n');
}

function policyPartHover(
  element: PolicyPart,
  location: CursorLocation,
  analysis: Analysis,
): Omit<Hover, 'format'> | undefined {
  const range = nodeRange(location, elementRange(element));
  if (element.kind === 'policy') {
    if (!onObjectHeader(location)) return undefined;
    return { contents: policyMarkdown(element.policy, analysis), range };
  }
  const explanation = explanationOf(element, analysis)!;
  const policy = element.policy;
  const title = `${elementPath(element)} · NetworkPolicy ${policy.namespace}/${policy.name}`;
  return { contents: renderExplanationMarkdown(title, explanation), range };
}

/** Anywhere in an object that cannot be read: that it cannot be, and what that means. */
function unreadableHover(analysis: Analysis, location: CursorLocation): Omit<Hover, 'format'> | undefined {
  const object = location.object;
  if (!object) return undefined;
  const start = object.range.start.offset;
  const unreadable = analysis.model.unreadable.find(
    (u) => u.uri === location.file.uri && u.range.start.offset === start,
  );
  if (!unreadable) return undefined;
  const [title, ...lines] = explainUnreadable(unreadable, workspaceFolder(analysis)).split('\n');
  return {
    contents: [`**${escapeMarkdown(title)}**`, ...lines.map((l) => escapeMarkdown(l.trim()))].join('\n\n'),
    range: nodeRange(location, object.range),
  };
}

export function hover(
  analysis: Analysis,
  uri: string,
  offset: number,
  format: HoverFormat = 'markdown',
): Hover | undefined {
  const found = markdownHover(analysis, uri, offset);
  if (!found || format === 'markdown') return found && { ...found, format };
  return { contents: markdownToPlainText(found.contents), format, range: found.range };
}

function markdownHover(analysis: Analysis, uri: string, offset: number): Omit<Hover, 'format'> | undefined {
  const location = locateIn(analysis, uri, offset);
  const element = location?.element;
  if (location && isExpectationsObject(location.object)) return expectationHover(analysis, location);
  const cluster = location && clusterHover(analysis, location);
  if (cluster) return cluster;
  if (location && !element) return unreadableHover(analysis, location);
  if (!location || !element) return undefined;
  if (element.kind === 'workload') {
    if (!onObjectHeader(location) || !element.workload.source) return undefined;
    const contents = renderWorkloadSummary(workloadSummary(analysis, element.workload));
    return {
      contents,
      range: nodeRange(location, element.workload.source.range),
      workload: element.workload.id,
    };
  }
  if (element.kind === 'namespace' || element.kind === 'service') return undefined;
  return policyPartHover(element, location, analysis);
}
