// NetworkPolicy spec, as ValidateNetworkPolicySpec checks it: selectors, ports, peers and policyTypes.
import { isProtocol, PROTOCOLS } from '../types';
import { isSeq, type YAMLMap } from 'yaml';
import { API } from './api-codes';
import { checkIpBlock } from './api-ipblock';
import { checkSelector } from './api-labels';
import { caseFix, suggestPortName } from './api-suggest';
import {
  duplicate,
  forbidden,
  invalid,
  notSupported,
  portName,
  portNumber,
  required,
} from './api-validation';
import { child, integerValue, stringValue, type Sink } from './api-yaml';

const POLICY_TYPES = ['Ingress', 'Egress'];

export function checkPolicySpec(s: Sink, spec: YAMLMap | undefined): void {
  if (!spec) return;
  checkSelector(s, s.get(spec, 'podSelector'), 'spec.podSelector');
  checkRules(s, spec, 'ingress', 'from');
  checkRules(s, spec, 'egress', 'to');
  checkPolicyTypes(s, spec);
}

// Indexed loops, no callbacks (see lint-util.ts): every policy's rules, ports and peers come here.
function checkRules(s: Sink, spec: YAMLMap, direction: string, peersKey: string): void {
  const rules = s.items(spec, direction);
  for (let i = 0; i < rules.length; i++) {
    const rule = s.map(rules[i]);
    if (rule) checkRule(s, rule, `spec.${direction}[${i}]`, peersKey);
  }
}

function checkRule(s: Sink, rule: YAMLMap, path: string, peersKey: string): void {
  const ports = s.items(rule, 'ports');
  for (let i = 0; i < ports.length; i++) {
    const port = s.map(ports[i]);
    if (port) checkPort(s, port, `${path}.ports[${i}]`);
  }
  const peers = s.items(rule, peersKey);
  for (let i = 0; i < peers.length; i++) {
    const peer = s.map(peers[i]);
    if (peer) checkPeer(s, peer, `${path}.${peersKey}[${i}]`);
  }
}

const PEER_SELECTORS = ['podSelector', 'namespaceSelector'];

function checkPeer(s: Sink, peer: YAMLMap, path: string): void {
  const selectors = PEER_SELECTORS.filter((key) => s.get(peer, key) !== undefined);
  for (let i = 0; i < selectors.length; i++)
    checkSelector(s, s.get(peer, selectors[i]), child(path, selectors[i]));
  const ipBlockKey = s.keyNode(peer, 'ipBlock');
  const ipBlock = s.get(peer, 'ipBlock');
  const ipBlockMap = s.map(ipBlock);
  if (ipBlockMap) checkIpBlock(s, ipBlockMap, ipBlockKey, child(path, 'ipBlock'));
  if (selectors.length === 0 && ipBlock === undefined) {
    s.report(API.peer, peer, required(path, 'must specify a peer'), { reason: 'empty' });
  } else if (selectors.length > 0 && ipBlock !== undefined) {
    const message = forbidden(path, 'may not specify both ipBlock and another peer');
    s.report(API.peer, ipBlockKey, message, { reason: 'ipblock-with-selector' });
  }
}

function checkPort(s: Sink, map: YAMLMap, path: string): void {
  const protocolNode = s.get(map, 'protocol');
  const protocol = stringValue(protocolNode);
  if (protocol !== undefined && !isProtocol(protocol)) {
    const message = notSupported(child(path, 'protocol'), protocol, [...PROTOCOLS]);
    s.report(API.protocol, protocolNode, message, {
      protocol,
      suggestion: caseFix(protocol, [...PROTOCOLS]),
    });
  }
  const portNode = s.get(map, 'port');
  const port = portNode === undefined ? undefined : (integerValue(portNode) ?? stringValue(portNode));
  if (portNode !== undefined && port === undefined) return; // a wrong type, reported by the model
  if (port !== undefined) {
    const messages = typeof port === 'number' ? portNumber(port) : portName(port);
    for (const message of messages) {
      const data = { port, suggestion: portSuggestion(port) };
      s.report(API.port, portNode, invalid(child(path, 'port'), port, message), data);
    }
  }
  checkEndPort(s, map, child(path, 'endPort'), port);
}

/** `"80"` is a (bad) port name to the API server; the number 80 is what was meant. */
function portSuggestion(port: number | string): number | string | undefined {
  if (typeof port === 'number') return undefined;
  const number = /^\d+$/.test(port) ? Number(port) : NaN;
  return number >= 1 && number <= 65535 ? number : suggestPortName(port);
}

function checkEndPort(s: Sink, map: YAMLMap, path: string, port: number | string | undefined): void {
  const node = s.get(map, 'endPort');
  const endPort = integerValue(node);
  if (endPort === undefined) return; // absent, or a wrong type reported by the model
  const report = (detail: string, reason: string) =>
    s.report(API.endPort, node, invalid(path, endPort, detail), { port, endPort, reason });
  if (port === undefined) return report('may not be specified when `port` is not specified', 'no-port');
  if (typeof port === 'string')
    return report('may not be specified when `port` is non-numeric', 'named-port');
  if (endPort < port) report('must be greater than or equal to `port`', 'less-than-port');
  for (const message of portNumber(endPort)) report(message, 'out-of-range');
}

function checkPolicyTypes(s: Sink, spec: YAMLMap): void {
  if (!isSeq(s.get(spec, 'policyTypes'))) return;
  const items = s.items(spec, 'policyTypes');
  if (items.length > POLICY_TYPES.length) {
    // Upstream stops here, without looking at the entries.
    const shown = `[${items.map((n) => JSON.stringify(stringValue(n) ?? String(n))).join(', ')}]`;
    const message = `spec.policyTypes: Invalid value: ${shown}: may not specify more than two policyTypes`;
    s.report(API.policyTypes, s.keyNode(spec, 'policyTypes'), message, {
      reason: 'too-many',
      count: items.length,
    });
    return;
  }
  const seen: string[] = [];
  items.forEach((node, index) => {
    const value = stringValue(node);
    if (value === undefined) return;
    const path = `spec.policyTypes[${index}]`;
    if (seen.includes(value)) {
      s.report(API.policyTypes, node, duplicate(path, value), { reason: 'duplicate', value, index });
    }
    seen.push(value);
    if (!POLICY_TYPES.includes(value)) {
      const suggestion = caseFix(value, POLICY_TYPES);
      const message = notSupported(path, value, POLICY_TYPES);
      s.report(API.policyTypes, node, message, { reason: 'unsupported', value, index, suggestion });
    }
  });
}
