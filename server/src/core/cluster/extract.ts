// AdminNetworkPolicy, BaselineAdminNetworkPolicy and ClusterNetworkPolicy objects → the cluster policy
// model, with ranges. Reading is lenient: wrong types are reported by the reader, everything the CRDs
// forbid is reported by the validation diagnostics (cluster/validate.ts); here a value that cannot be
// evaluated is simply left out, so the rule or peer it belongs to matches less, never more.
import type { Node, YAMLMap } from 'yaml';
import { readSelector } from '../extract';
import type { KubeObject } from '../parse';
import type { YamlReader } from '../reader';
import { PROTOCOLS, type IpBlockModel } from '../types';
import type {
  ClusterAction,
  ClusterPeerModel,
  ClusterPolicyKind,
  ClusterPolicyModel,
  ClusterPortModel,
  ClusterRuleModel,
  PodSelection,
} from './types';

const ACTIONS: Record<ClusterPolicyKind, Record<string, ClusterAction>> = {
  AdminNetworkPolicy: { Allow: 'Allow', Deny: 'Deny', Pass: 'Pass' },
  BaselineAdminNetworkPolicy: { Allow: 'Allow', Deny: 'Deny' },
  ClusterNetworkPolicy: { Accept: 'Allow', Deny: 'Deny', Pass: 'Pass' },
};

/** v1alpha2 spells each protocol as a lower-case key (`tcp: {…}`). */
const V1ALPHA2_PROTOCOLS = Object.fromEntries(PROTOCOLS.map((p) => [p.toLowerCase(), p]));

/** `subject`, or a `namespaces`/`pods` peer: whatever of the two is written. */
export function readPodSelection(r: YamlReader, map: YAMLMap, node: Node, path: string): PodSelection {
  const selection: PodSelection = { range: r.range(node) };
  const namespaces = r.get(map, 'namespaces');
  if (namespaces !== undefined) selection.namespaces = readSelector(r, namespaces, `${path}.namespaces`);
  const podsNode = r.get(map, 'pods');
  const pods = r.map(podsNode, `${path}.pods`);
  if (podsNode !== undefined && pods) {
    const podSelectorNode = r.get(pods, 'podSelector');
    selection.pods = {
      namespaceSelector: readSelector(r, r.get(pods, 'namespaceSelector'), `${path}.pods.namespaceSelector`),
      // A missing podSelector is reported by the validation; reading it as `{}` would widen the selection,
      // so it becomes a selector that matches nothing (an impossible requirement).
      podSelector: readSelector(r, podSelectorNode, `${path}.pods.podSelector`) ?? {
        matchLabels: {},
        matchExpressions: [{ key: '', operator: 'Invalid', values: [], range: r.range(podsNode) }],
        range: r.range(podsNode),
      },
    };
  }
  return selection;
}

function readNetworks(r: YamlReader, node: Node, path: string): IpBlockModel[] {
  return r.items(node, path).flatMap((item, i) => {
    const cidr = r.string(item, `${path}[${i}]`);
    if (cidr === undefined) return [];
    const range = r.range(item);
    return [{ cidr, except: [], range, cidrRange: range, exceptRanges: [] }];
  });
}

function readPeer(r: YamlReader, node: Node, index: number, path: string): ClusterPeerModel | undefined {
  const map = r.map(node, path);
  if (!map) return undefined;
  const peer: ClusterPeerModel = { ...readPodSelection(r, map, node, path), index, unrecognised: false };
  const networks = r.get(map, 'networks');
  if (networks !== undefined) peer.networks = readNetworks(r, networks, `${path}.networks`);
  if (r.has(map, 'nodes')) peer.unevaluable = 'nodes';
  else if (r.has(map, 'domainNames')) peer.unevaluable = 'domainNames';
  peer.unrecognised =
    !peer.namespaces && !peer.pods && !peer.networks && !peer.unevaluable && !r.has(map, 'pods');
  return peer;
}

/** v1alpha1 `ports[]`: exactly one of portNumber, portRange, namedPort. */
function readV1alpha1Port(r: YamlReader, node: Node, index: number, path: string): ClusterPortModel[] {
  const map = r.map(node, path);
  if (!map) return [];
  const base = { index, range: r.range(node) };
  const namedPort = r.get(map, 'namedPort');
  if (namedPort !== undefined) {
    const name = r.string(namedPort, `${path}.namedPort`);
    return name === undefined ? [] : [{ ...base, protocol: '', namedPort: name }];
  }
  const number = r.map(r.get(map, 'portNumber'), `${path}.portNumber`);
  if (number) {
    const port = r.integer(r.get(number, 'port'), `${path}.portNumber.port`);
    const protocol = r.string(r.get(number, 'protocol'), `${path}.portNumber.protocol`) ?? 'TCP';
    return port === undefined ? [] : [{ ...base, protocol, port }];
  }
  const range = r.map(r.get(map, 'portRange'), `${path}.portRange`);
  if (range) {
    const start = r.integer(r.get(range, 'start'), `${path}.portRange.start`);
    const end = r.integer(r.get(range, 'end'), `${path}.portRange.end`);
    const protocol = r.string(r.get(range, 'protocol'), `${path}.portRange.protocol`) ?? 'TCP';
    return start === undefined || end === undefined ? [] : [{ ...base, protocol, port: start, endPort: end }];
  }
  return [];
}

/** v1alpha2 `protocols[]`: exactly one of tcp, udp, sctp (each with a destinationPort), destinationNamedPort. */
function readV1alpha2Protocol(r: YamlReader, node: Node, index: number, path: string): ClusterPortModel[] {
  const map = r.map(node, path);
  if (!map) return [];
  const base = { index, range: r.range(node) };
  const namedPort = r.get(map, 'destinationNamedPort');
  if (namedPort !== undefined) {
    const name = r.string(namedPort, `${path}.destinationNamedPort`);
    return name === undefined ? [] : [{ ...base, protocol: '', namedPort: name }];
  }
  for (const [key, protocol] of Object.entries(V1ALPHA2_PROTOCOLS)) {
    const entry = r.map(r.get(map, key), `${path}.${key}`);
    if (!entry) continue;
    const where = `${path}.${key}.destinationPort`;
    const destination = r.map(r.get(entry, 'destinationPort'), where);
    if (!destination) return []; // `tcp: {}` is rejected by the CRD (minProperties 1)
    const number = r.get(destination, 'number');
    if (number !== undefined) {
      const port = r.integer(number, `${where}.number`);
      return port === undefined ? [] : [{ ...base, protocol, port }];
    }
    const range = r.map(r.get(destination, 'range'), `${where}.range`);
    const start = r.integer(r.get(range, 'start'), `${where}.range.start`);
    const end = r.integer(r.get(range, 'end'), `${where}.range.end`);
    return start === undefined || end === undefined ? [] : [{ ...base, protocol, port: start, endPort: end }];
  }
  return [];
}

function readRules(
  r: YamlReader,
  spec: YAMLMap | undefined,
  kind: ClusterPolicyKind,
  direction: 'ingress' | 'egress',
): ClusterRuleModel[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const portsKey = kind === 'ClusterNetworkPolicy' ? 'protocols' : 'ports';
  const readPort = kind === 'ClusterNetworkPolicy' ? readV1alpha2Protocol : readV1alpha1Port;
  return r.items(r.get(spec, direction), `spec.${direction}`).flatMap((node, index) => {
    const path = `spec.${direction}[${index}]`;
    const map = r.map(node, path);
    if (!map) return [];
    const actionNode = r.get(map, 'action');
    const writtenAction = r.string(actionNode, `${path}.action`);
    const portsNode = r.get(map, portsKey);
    const peersNode = r.get(map, peersKey);
    const rule: ClusterRuleModel = {
      direction,
      index,
      range: r.range(node),
      name: r.string(r.get(map, 'name'), `${path}.name`),
      action: writtenAction === undefined ? undefined : ACTIONS[kind][writtenAction],
      writtenAction,
      actionRange: actionNode ? r.range(actionNode) : undefined,
      peers: peersNode
        ? r
            .items(peersNode, `${path}.${peersKey}`)
            .flatMap((p, i) => readPeer(r, p, i, `${path}.${peersKey}[${i}]`) ?? [])
        : [],
      peersRange: r.pairRange(map, peersKey),
      ports: portsNode
        ? r
            .items(portsNode, `${path}.${portsKey}`)
            .flatMap((p, i) => readPort(r, p, i, `${path}.${portsKey}[${i}]`))
        : null,
      portsRange: r.pairRange(map, portsKey),
    };
    return [rule];
  });
}

export function extractClusterPolicy(obj: KubeObject, kind: ClusterPolicyKind): ClusterPolicyModel {
  const r = obj.reader;
  const meta = r.map(r.get(obj.node, 'metadata'), `${kind}.metadata`);
  const nameNode = r.get(meta, 'name');
  const spec = r.map(r.get(obj.node, 'spec'), 'spec');
  const subjectNode = r.get(spec, 'subject');
  const subjectMap = r.map(subjectNode, 'spec.subject');
  const priorityNode = r.get(spec, 'priority');
  const tierNode = r.get(spec, 'tier');
  const tier =
    kind === 'AdminNetworkPolicy'
      ? 'Admin'
      : kind === 'BaselineAdminNetworkPolicy'
        ? 'Baseline'
        : r.string(tierNode, 'spec.tier');
  return {
    id: -1,
    kind,
    apiVersion: obj.apiVersion,
    uri: r.source.uri,
    range: obj.range,
    name: r.string(nameNode, 'metadata.name') ?? '',
    nameRange: nameNode ? r.range(nameNode) : undefined,
    // An unknown tier is rejected by the API server; read as Admin it would at least never hide traffic
    // below a NetworkPolicy, but the policy is reported and evaluated as nothing (no subject) instead.
    tier: tier === 'Baseline' ? 'Baseline' : 'Admin',
    priority: kind === 'BaselineAdminNetworkPolicy' ? undefined : r.integer(priorityNode, 'spec.priority'),
    priorityRange: priorityNode ? r.range(priorityNode) : undefined,
    subject:
      subjectMap && (tier === 'Admin' || tier === 'Baseline')
        ? readPodSelection(r, subjectMap, subjectNode!, 'spec.subject')
        : undefined,
    ingress: readRules(r, spec, kind, 'ingress'),
    ingressRange: r.pairRange(spec, 'ingress'),
    egress: readRules(r, spec, kind, 'egress'),
    egressRange: r.pairRange(spec, 'egress'),
  };
}
