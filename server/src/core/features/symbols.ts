// Document symbols: the outline of a manifest file, with a policy's selector, rules and peers nested
// (and an expectations document's expectations).
import { describePeer, describePorts, describeSelector } from '../explain';
import { describeClusterPeer, describeSelection, tierWords } from '../cluster/describe';
import type { ClusterPolicyModel } from '../cluster/types';
import { expectationsDocuments, isExpectationsObject } from '../expectations/document';
import type { Analysis } from '../index';
import type { KubeObject, ParsedFile } from '../parse';
import { formatPortQuery } from '../queries';
import type { PeerModel, PolicyModel, Range, RuleModel } from '../types';
import { WORKLOAD_KINDS } from '../types';
import { findFile, objectElement, objectName } from './locate';

export type SymbolKind =
  'policy' | 'namespace' | 'workload' | 'service' | 'object' | 'selector' | 'rules' | 'rule' | 'peer';

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** The whole element. */
  range: Range;
  /** The part to reveal, inside `range` (e.g. the name). */
  selectionRange: Range;
  children: DocumentSymbol[];
}

const WORKLOAD_KIND_SET = new Set<string>(WORKLOAD_KINDS);

function leaf(name: string, kind: SymbolKind, range: Range, detail?: string): DocumentSymbol {
  return { name, detail, kind, range, selectionRange: range, children: [] };
}

function peerSymbol(policy: PolicyModel, rule: RuleModel, peer: PeerModel): DocumentSymbol {
  const key = rule.direction === 'ingress' ? 'from' : 'to';
  return leaf(`${key}[${peer.index}]`, 'peer', peer.range, describePeer(policy, peer));
}

function ruleSymbol(policy: PolicyModel, rule: RuleModel): DocumentSymbol {
  const symbol = leaf(`${rule.direction}[${rule.index}]`, 'rule', rule.range, describePorts(rule));
  symbol.children = (rule.peers ?? []).map((peer) => peerSymbol(policy, rule, peer));
  return symbol;
}

function policyChildren(policy: PolicyModel): DocumentSymbol[] {
  const children = [
    leaf('podSelector', 'selector', policy.podSelector.range, describeSelector(policy.podSelector)),
  ];
  for (const direction of ['ingress', 'egress'] as const) {
    const range = policy[`${direction}Range`];
    if (!range) continue;
    const detail = policy.affects[direction]
      ? `${policy[direction].length} rule(s)`
      : 'ignored (policyTypes)';
    const symbol = leaf(direction, 'rules', range, detail);
    symbol.children = policy[direction].map((rule) => ruleSymbol(policy, rule));
    children.push(symbol);
  }
  return children;
}

function clusterChildren(policy: ClusterPolicyModel): DocumentSymbol[] {
  const children: DocumentSymbol[] = [];
  if (policy.subject)
    children.push(leaf('subject', 'selector', policy.subject.range, describeSelection(policy.subject)));
  for (const direction of ['ingress', 'egress'] as const) {
    const range = policy[`${direction}Range`];
    if (!range) continue;
    const symbol = leaf(direction, 'rules', range, `${policy[direction].length} rule(s)`);
    symbol.children = policy[direction].map((rule) => ({
      ...leaf(
        `${direction}[${rule.index}]${rule.name ? ` ${rule.name}` : ''}`,
        'rule',
        rule.range,
        `${rule.writtenAction ?? '?'}`,
      ),
      children: rule.peers.map((peer) =>
        leaf(
          `${direction === 'ingress' ? 'from' : 'to'}[${peer.index}]`,
          'peer',
          peer.range,
          describeClusterPeer(peer),
        ),
      ),
    }));
    children.push(symbol);
  }
  return children;
}

function objectSymbol(analysis: Analysis, file: ParsedFile, obj: KubeObject): DocumentSymbol {
  const element = objectElement(analysis.model, file, obj);
  const written = objectName(obj);
  const selection = written.range ?? obj.range;
  const symbol = (name: string, kind: SymbolKind, detail: string): DocumentSymbol => ({
    name,
    detail,
    kind,
    range: obj.range,
    selectionRange: selection,
    children: [],
  });
  switch (element?.kind) {
    case 'policy': {
      const p = element.policy;
      return {
        ...symbol(`${p.namespace}/${p.name || '(no name)'}`, 'policy', 'NetworkPolicy'),
        children: policyChildren(p),
      };
    }
    case 'namespace':
      return symbol(element.namespace.name, 'namespace', 'Namespace');
    case 'workload': {
      const w = element.workload;
      return symbol(`${w.namespace}/${w.name}`, 'workload', obj.kind);
    }
    case 'service':
      return symbol(`${element.service.namespace}/${element.service.name}`, 'service', 'Service');
  }
  const cluster = analysis.model.clusterPolicies.find(
    (p) => p.uri === file.uri && p.range.start.offset === obj.range.start.offset,
  );
  if (cluster)
    return {
      ...symbol(cluster.name || '(no name)', 'policy', `${obj.kind} · ${tierWords(cluster)}`),
      children: clusterChildren(cluster),
    };
  const kind: SymbolKind = WORKLOAD_KIND_SET.has(obj.kind) ? 'workload' : 'object';
  const children = isExpectationsObject(obj) ? expectationSymbols(file, obj) : [];
  return { ...symbol(written.text ?? obj.kind, kind, obj.kind), children };
}

/** One child per expectation: `shop/web → shop/db`, detailed `deny 5432/TCP`. */
function expectationSymbols(file: ParsedFile, obj: KubeObject): DocumentSymbol[] {
  const document = expectationsDocuments(file).find((d) => d.object === obj);
  return (document?.expectations ?? []).map((e) => ({
    name: `${e.from?.text ?? '?'} → ${e.to?.text ?? '?'}`,
    detail: [e.expect ?? '?', e.port ? formatPortQuery(e.port) : ''].filter(Boolean).join(' '),
    kind: 'rule',
    range: e.range,
    selectionRange: e.range,
    children: [],
  }));
}

/** One symbol per object of the file, in document order. */
export function documentSymbols(analysis: Analysis, uri: string): DocumentSymbol[] {
  const file = findFile(analysis, uri);
  return file ? file.objects.map((obj) => objectSymbol(analysis, file, obj)) : [];
}
