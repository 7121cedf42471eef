// AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy as their CRDs validate them
// (spec §2: OpenAPI required/enum/minimum/maximum/maxItems/maxLength, minProperties+maxProperties for
// "exactly one of", and the CEL rules), in the words kube-apiserver uses for CRD validation errors.
import { CODES } from '../codes';
import type { Node, YAMLMap } from 'yaml';
import { isSeq } from 'yaml';
import { parseCidr } from '../addresses';
import { classifyPolicyKind } from '../cluster/kinds';
import type { ClusterPolicyKind } from '../cluster/types';
import type { Analysis } from '../index';
import type { KubeObject } from '../parse';
import { goValue, notSupported, required } from './api-validation';
import { child, integerValue, Sink, stringValue, type Finding } from './api-yaml';

export const CLUSTER_API = {
  required: CODES.clusterRequired,
  enum: CODES.clusterUnsupportedValue,
  range: CODES.clusterOutOfRange,
  size: CODES.clusterTooMany,
  oneOf: CODES.clusterExactlyOne,
  cidr: CODES.clusterInvalidCidr,
  singleton: CODES.banpSingleton,
} as const;

interface Limits {
  rules: number;
  peers: number;
  ports: number;
  actions: readonly string[];
  portsKey: 'ports' | 'protocols';
  egressPeers: readonly string[];
}

const V1ALPHA1_EGRESS = ['namespaces', 'pods', 'nodes', 'networks', 'domainNames'];
const LIMITS: Record<ClusterPolicyKind, Limits> = {
  AdminNetworkPolicy: {
    rules: 100,
    peers: 100,
    ports: 100,
    actions: ['Allow', 'Deny', 'Pass'],
    portsKey: 'ports',
    egressPeers: V1ALPHA1_EGRESS,
  },
  BaselineAdminNetworkPolicy: {
    rules: 100,
    peers: 100,
    ports: 100,
    actions: ['Allow', 'Deny'],
    portsKey: 'ports',
    egressPeers: ['namespaces', 'pods', 'nodes', 'networks'],
  },
  ClusterNetworkPolicy: {
    rules: 25,
    peers: 25,
    ports: 25,
    actions: ['Accept', 'Deny', 'Pass'],
    portsKey: 'protocols',
    egressPeers: V1ALPHA1_EGRESS,
  },
};
const SUBJECT_FIELDS = ['namespaces', 'pods'];
const MAX_NETWORKS = 25;
const MAX_RULE_NAME = 100;

function tooMany(path: string, count: number, max: number): string {
  return `${path}: Too many: ${count}: must have at most ${max} items`;
}

function bound(path: string, value: number, relation: 'less' | 'greater', limit: number): string {
  const words = relation === 'less' ? 'less than or equal to' : 'greater than or equal to';
  return `${path}: Invalid value: ${value}: ${path} in body should be ${words} ${limit}`;
}

function celError(path: string, message: string, type = 'object'): string {
  return `${path}: Invalid value: "${type}": ${message}`;
}

class ClusterChecks {
  constructor(
    private readonly s: Sink,
    private readonly kind: ClusterPolicyKind,
    private readonly limits = LIMITS[kind],
  ) {}

  /** A required field: reported at the mapping that lacks it. */
  need(map: YAMLMap, key: string, path: string, at: Node): Node | undefined {
    const value = this.s.get(map, key);
    if (value === undefined) this.s.report(CLUSTER_API.required, at, required(child(path, key)));
    return value;
  }

  list(map: YAMLMap, key: string, path: string, min: number, max: number): Node[] {
    const node = this.s.get(map, key);
    if (!isSeq(node)) return [];
    const items = this.s.items(map, key);
    const where = child(path, key);
    if (items.length > max)
      this.s.report(CLUSTER_API.size, this.s.keyNode(map, key), tooMany(where, items.length, max));
    if (items.length < min) {
      this.s.report(
        CLUSTER_API.size,
        node,
        `${where}: Invalid value: ${items.length}: ${where} in body should have at least ${min} items`,
      );
    }
    return items;
  }

  /** `minProperties: 1` + `maxProperties: 1` over the known fields. */
  exactlyOne(map: YAMLMap, node: Node, path: string, fields: readonly string[]): string | undefined {
    const present = fields.filter((f) => this.s.keyNode(map, f) !== undefined);
    const all = this.s.entries(map).length;
    if (all === 0 || present.length === 0) {
      this.s.report(
        CLUSTER_API.oneOf,
        node,
        `${path}: Invalid value: "object": ${path} in body should have at least 1 properties (one of ${fields.join(', ')})`,
      );
    } else if (all > 1) {
      this.s.report(
        CLUSTER_API.oneOf,
        node,
        `${path}: Invalid value: "object": ${path} in body should have at most 1 properties (exactly one of ${fields.join(', ')})`,
      );
    }
    return present.length === 1 ? present[0] : undefined;
  }

  integerIn(node: Node | undefined, path: string, min: number, max: number): number | undefined {
    const value = integerValue(node);
    if (value === undefined) return undefined;
    if (value < min) this.s.report(CLUSTER_API.range, node, bound(path, value, 'greater', min));
    else if (value > max) this.s.report(CLUSTER_API.range, node, bound(path, value, 'less', max));
    return value;
  }

  spec(obj: KubeObject, spec: YAMLMap, specNode: Node): void {
    if (this.kind === 'ClusterNetworkPolicy') {
      const tier = this.need(spec, 'tier', 'spec', specNode);
      const value = stringValue(tier);
      if (value !== undefined && value !== 'Admin' && value !== 'Baseline') {
        this.s.report(CLUSTER_API.enum, tier, notSupported('spec.tier', value, ['Admin', 'Baseline']));
      }
    }
    if (this.kind !== 'BaselineAdminNetworkPolicy') {
      this.integerIn(this.need(spec, 'priority', 'spec', specNode), 'spec.priority', 0, 1000);
    }
    const subject = this.need(spec, 'subject', 'spec', specNode);
    const subjectMap = this.s.map(subject);
    if (subjectMap) this.selection(subjectMap, subject!, 'spec.subject', SUBJECT_FIELDS);
    for (const direction of ['ingress', 'egress'] as const) {
      this.list(spec, direction, 'spec', 0, this.limits.rules).forEach((node, i) => {
        const rule = this.s.map(node);
        if (rule) this.rule(rule, node, `spec.${direction}[${i}]`, direction);
      });
    }
    void obj;
  }

  selection(map: YAMLMap, node: Node, path: string, fields: readonly string[]): void {
    const field = this.exactlyOne(map, node, path, fields);
    if (field !== 'pods') return;
    const pods = this.s.mapAt(map, 'pods');
    if (!pods) return;
    const podsPath = `${path}.pods`;
    this.need(pods, 'podSelector', podsPath, this.s.get(map, 'pods')!);
    if (this.kind !== 'ClusterNetworkPolicy')
      this.need(pods, 'namespaceSelector', podsPath, this.s.get(map, 'pods')!);
  }

  rule(rule: YAMLMap, node: Node, path: string, direction: 'ingress' | 'egress'): void {
    const name = stringValue(this.s.get(rule, 'name'));
    if (name !== undefined && new TextEncoder().encode(name).length > MAX_RULE_NAME) {
      this.s.report(
        CLUSTER_API.size,
        this.s.get(rule, 'name'),
        `${path}.name: Too long: may not be more than ${MAX_RULE_NAME} bytes`,
      );
    }
    const action = this.need(rule, 'action', path, node);
    const actionValue = stringValue(action);
    if (actionValue !== undefined && !this.limits.actions.includes(actionValue)) {
      this.s.report(
        CLUSTER_API.enum,
        action,
        notSupported(`${path}.action`, actionValue, this.limits.actions),
      );
    }
    const peersKey = direction === 'ingress' ? 'from' : 'to';
    this.need(rule, peersKey, path, node);
    const fields = direction === 'ingress' ? SUBJECT_FIELDS : this.limits.egressPeers;
    this.list(rule, peersKey, path, 1, this.limits.peers).forEach((peerNode, i) => {
      const peer = this.s.map(peerNode);
      if (!peer) return;
      const peerPath = `${path}.${peersKey}[${i}]`;
      this.selection(peer, peerNode, peerPath, fields);
      this.networks(peer, peerPath);
    });
    this.list(rule, this.limits.portsKey, path, 1, this.limits.ports).forEach((portNode, i) => {
      const port = this.s.map(portNode);
      const portPath = `${path}.${this.limits.portsKey}[${i}]`;
      if (!port) return;
      if (this.kind === 'ClusterNetworkPolicy') this.protocol(port, portNode, portPath);
      else this.port(port, portNode, portPath);
    });
  }

  networks(peer: YAMLMap, path: string): void {
    this.list(peer, 'networks', path, 1, MAX_NETWORKS).forEach((node, i) => {
      const cidr = stringValue(node);
      if (cidr === undefined) return;
      const where = `${path}.networks[${i}]`;
      if (cidr.length > 43)
        this.s.report(CLUSTER_API.size, node, `${where}: Too long: may not be more than 43 bytes`);
      else if (parseCidr(cidr).family === 'invalid') {
        this.s.report(CLUSTER_API.cidr, node, celError(where, 'Invalid CIDR format provided', 'string'));
      }
    });
  }

  /** v1alpha1 AdminNetworkPolicyPort: exactly one of portNumber, namedPort, portRange. */
  port(port: YAMLMap, node: Node, path: string): void {
    const field = this.exactlyOne(port, node, path, ['portNumber', 'namedPort', 'portRange']);
    const value = this.s.mapAt(port, field ?? '');
    const valueNode = this.s.get(port, field ?? '');
    if (!value || !valueNode) return;
    const where = `${path}.${field}`;
    if (field === 'portNumber') {
      this.integerIn(this.need(value, 'port', where, valueNode), `${where}.port`, 1, 65535);
    } else if (field === 'portRange') {
      const start = this.integerIn(this.need(value, 'start', where, valueNode), `${where}.start`, 1, 65535);
      const end = this.integerIn(this.need(value, 'end', where, valueNode), `${where}.end`, 1, 65535);
      if (start !== undefined && end !== undefined && end < start) {
        // The v1alpha1 CRD has no CEL for it, but the range matches no port (and netpol-analyzer rejects it).
        this.s.report(
          CLUSTER_API.range,
          valueNode,
          `${where}: Invalid value: "${start}-${end}": end may not be less than start (the range matches no port)`,
        );
      }
    }
  }

  /** v1alpha2 ClusterNetworkPolicyProtocol: exactly one of tcp, udp, sctp, destinationNamedPort. */
  protocol(protocol: YAMLMap, node: Node, path: string): void {
    const field = this.exactlyOne(protocol, node, path, ['tcp', 'udp', 'sctp', 'destinationNamedPort']);
    if (field === undefined || field === 'destinationNamedPort') return;
    const entry = this.s.mapAt(protocol, field);
    const entryNode = this.s.get(protocol, field);
    if (!entry || !entryNode) return;
    const where = `${path}.${field}`;
    const destination = this.need(entry, 'destinationPort', where, entryNode);
    const destinationMap = this.s.map(destination);
    if (!destinationMap) return;
    const portPath = `${where}.destinationPort`;
    const which = this.exactlyOne(destinationMap, destination!, portPath, ['number', 'range']);
    if (which === 'number') {
      this.integerIn(this.s.get(destinationMap, 'number'), `${portPath}.number`, 1, 65535);
    } else if (which === 'range') {
      const range = this.s.mapAt(destinationMap, 'range');
      const rangeNode = this.s.get(destinationMap, 'range');
      if (!range || !rangeNode) return;
      const rangePath = `${portPath}.range`;
      const start = this.integerIn(
        this.need(range, 'start', rangePath, rangeNode),
        `${rangePath}.start`,
        1,
        65535,
      );
      const end = this.integerIn(this.need(range, 'end', rangePath, rangeNode), `${rangePath}.end`, 1, 65535);
      if (start !== undefined && end !== undefined && !(start < end)) {
        this.s.report(
          CLUSTER_API.range,
          rangeNode,
          celError(rangePath, 'Start port must be less than End port'),
        );
      }
    }
  }
}

const BANP_SINGLETON =
  'Only one baseline admin network policy with metadata.name="default" can be created in the cluster';

function checkClusterObject(s: Sink, obj: KubeObject, kind: ClusterPolicyKind): void {
  const specNode = s.get(obj.node, 'spec');
  const spec = s.map(specNode);
  const checks = new ClusterChecks(s, kind);
  if (!spec) {
    if (specNode === undefined)
      s.report(CLUSTER_API.required, obj.reader.keyNode(obj.node, 'kind') ?? obj.node, required('spec'));
    return;
  }
  checks.spec(obj, spec, specNode!);
}

const cache = new WeakMap<Analysis, Finding[]>();

/** Every CRD-validation finding of the workspace's cluster policies (memoised per analysis). */
export function clusterFindings(analysis: Analysis): Finding[] {
  let findings = cache.get(analysis);
  if (findings) return findings;
  findings = [];
  let banps = 0;
  for (const file of analysis.files) {
    for (const obj of file.objects) {
      const verdict = classifyPolicyKind(obj.kind, obj.apiVersion);
      if (verdict?.kind !== 'cluster' || obj.templated) continue;
      const s = Sink.for(obj, findings);
      checkClusterObject(s, obj, verdict.clusterKind);
      if (verdict.clusterKind === 'BaselineAdminNetworkPolicy') {
        const meta = s.mapAt(obj.node, 'metadata');
        const nameNode = s.get(meta, 'name');
        const name = stringValue(nameNode);
        if (name !== 'default') {
          s.report(
            CLUSTER_API.singleton,
            nameNode ?? obj.node,
            celError('metadata.name', `${BANP_SINGLETON} (found ${goValue(name ?? '')})`),
          );
        } else if (++banps > 1) {
          s.report(
            CLUSTER_API.singleton,
            nameNode,
            `metadata.name: Duplicate value: "default": only one BaselineAdminNetworkPolicy may exist in the cluster; this one replaces the other when applied`,
          );
        }
      }
    }
  }
  cache.set(analysis, findings);
  return findings;
}
