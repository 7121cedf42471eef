// Stage 2: Kubernetes objects → typed model elements that remember where they were written.
import { CODES } from './codes';
import { isMap, isScalar, type Node, type YAMLMap } from 'yaml';
import type { KubeObject } from './parse';
import type { YamlReader } from './reader';
import { TEMPLATE_PATHS } from './types';
import type {
  ContainerPort,
  IpBlockModel,
  LabelRequirement,
  LabelSelector,
  PeerModel,
  PolicyModel,
  PortModel,
  Range,
  RuleModel,
  ServiceModel,
  ServicePortModel,
  WorkloadModel,
  Direction,
} from './types';

export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

interface Metadata {
  name?: string;
  namespace?: string;
  labels: Record<string, string>;
  nameRange?: Range;
  owner?: { kind: string; name: string };
}

function readMetadata(obj: KubeObject): Metadata {
  const r = obj.reader;
  const meta = r.map(r.get(obj.node, 'metadata'), `${obj.kind}.metadata`);
  const nameNode = r.get(meta, 'name');
  // `kubectl create` accepts generateName instead of a name; the prefix stands in for the name.
  const generateName = nameNode ? undefined : r.string(r.get(meta, 'generateName'), 'metadata.generateName');
  const metadata: Metadata = {
    name: r.string(nameNode, 'metadata.name') ?? generateName,
    namespace: r.string(r.get(meta, 'namespace'), 'metadata.namespace'),
    labels: r.stringMap(r.get(meta, 'labels'), 'metadata.labels'),
    nameRange: nameNode ? r.range(nameNode) : undefined,
  };
  metadata.owner = readControllerOwner(r, r.get(meta, 'ownerReferences'));
  return metadata;
}

/**
 * The first ownerReference with `controller: true` (the API server allows only one; the reference
 * analyzer takes the first), as the peer the pod is reported as. An owner without a kind is reported
 * with kind Pod; an owner without a name cannot be named and is reported, leaving the pod as itself.
 */
function readControllerOwner(r: YamlReader, refs: Node | undefined): Metadata['owner'] {
  for (const [i, ref] of r.items(refs, 'metadata.ownerReferences').entries()) {
    const path = `metadata.ownerReferences[${i}]`;
    const owner = r.map(ref, path);
    const controller = r.get(owner, 'controller');
    if (!(isScalar(controller) && controller.value === true)) continue;
    const kind = r.string(r.get(owner, 'kind'), `${path}.kind`) || 'Pod';
    const name = r.string(r.get(owner, 'name'), `${path}.name`);
    if (!name) {
      r.report(
        ref,
        CODES.ownerReference,
        `${path}: a controller reference without a name; the pod is analysed as itself`,
        'warning',
      );
      return undefined;
    }
    return { kind, name };
  }
  return undefined;
}

function reportMissingName(obj: KubeObject): void {
  obj.reader.report(obj.node, CODES.missingName, `${obj.kind} has no metadata.name`);
}

/**
 * The list at its exact length. One built by `push` or `flatMap` keeps room for 16 more items, and a large
 * file holds tens of thousands of these short lists (their slack was a tenth of what the model kept).
 */
function exactLength<T>(list: T[]): T[] {
  return list.length === 0 ? [] : list.slice();
}

// ---------------------------------------------------------------------------------------------
// Label selectors

export function readSelector(r: YamlReader, node: Node | undefined, path: string): LabelSelector | undefined {
  if (node === undefined) return undefined;
  const map = r.map(node, path);
  const selector: LabelSelector = { matchLabels: {}, matchExpressions: [], range: r.range(node) };
  if (!map) return selector;
  selector.matchLabels = r.stringMap(r.get(map, 'matchLabels'), `${path}.matchLabels`);
  r.items(r.get(map, 'matchExpressions'), `${path}.matchExpressions`).forEach((item, i) => {
    const itemPath = `${path}.matchExpressions[${i}]`;
    const expr = r.map(item, itemPath);
    if (!expr) return;
    const requirement: LabelRequirement = {
      key: r.string(r.get(expr, 'key'), `${itemPath}.key`) ?? '',
      operator: r.string(r.get(expr, 'operator'), `${itemPath}.operator`) ?? '',
      values: exactLength(
        r
          .items(r.get(expr, 'values'), `${itemPath}.values`)
          .flatMap((v, j) => r.labelValue(v, `${itemPath}.values[${j}]`) ?? []),
      ),
      range: r.range(item),
    };
    selector.matchExpressions.push(requirement);
  });
  selector.matchExpressions = exactLength(selector.matchExpressions);
  return selector;
}

// ---------------------------------------------------------------------------------------------
// NetworkPolicy

function readIpBlock(r: YamlReader, node: Node, path: string): IpBlockModel | undefined {
  const map = r.map(node, path);
  if (!map) return undefined;
  const cidrNode = r.get(map, 'cidr');
  const exceptNodes = r.items(r.get(map, 'except'), `${path}.except`);
  const except: string[] = [];
  const exceptRanges: Range[] = [];
  exceptNodes.forEach((n, i) => {
    const value = r.string(n, `${path}.except[${i}]`);
    if (value !== undefined) {
      except.push(value);
      exceptRanges.push(r.range(n));
    }
  });
  return {
    cidr: r.string(cidrNode, `${path}.cidr`) ?? '',
    except: exactLength(except),
    range: r.range(node),
    cidrRange: r.range(cidrNode ?? node),
    exceptRanges,
  };
}

function readPeer(r: YamlReader, node: Node, index: number, path: string): PeerModel | undefined {
  const map = r.map(node, path);
  if (!map) return undefined;
  const peer: PeerModel = { index, range: r.range(node) };
  peer.podSelector = readSelector(r, r.get(map, 'podSelector'), `${path}.podSelector`);
  peer.namespaceSelector = readSelector(r, r.get(map, 'namespaceSelector'), `${path}.namespaceSelector`);
  const ipBlock = r.get(map, 'ipBlock');
  if (ipBlock) peer.ipBlock = readIpBlock(r, ipBlock, `${path}.ipBlock`);
  return peer;
}

function readPort(r: YamlReader, node: Node, index: number, path: string): PortModel | undefined {
  const map = r.map(node, path);
  if (!map) return undefined;
  return {
    index,
    range: r.range(node),
    protocol: r.string(r.get(map, 'protocol'), `${path}.protocol`) ?? 'TCP',
    port: r.intOrString(r.get(map, 'port'), `${path}.port`),
    endPort: r.integer(r.get(map, 'endPort'), `${path}.endPort`),
  };
}

function readRules(r: YamlReader, spec: YAMLMap | undefined, direction: Direction): RuleModel[] {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  return r.items(r.get(spec, direction), `spec.${direction}`).flatMap((node, index) => {
    const path = `spec.${direction}[${index}]`;
    // A rule that is not a mapping makes the policy unreadable. Leaving it out is not "one rule fewer":
    // the last rule gone turns an inferred Egress policy type off (all egress allowed), and the API server
    // reads a null rule as an empty one, which allows everything.
    if (!isMap(node)) {
      r.report(node, CODES.type, `${path}: expected a mapping`);
      r.lose(node, `${path}: expected a mapping`);
      return [];
    }
    const map = node;
    const peersNode = r.get(map, peersKey);
    const portsNode = r.get(map, 'ports');
    const rule: RuleModel = {
      direction,
      index,
      range: r.range(node),
      peers: peersNode
        ? exactLength(
            r
              .items(peersNode, `${path}.${peersKey}`)
              .flatMap((p, i) => readPeer(r, p, i, `${path}.${peersKey}[${i}]`) ?? []),
          )
        : null,
      peersRange: r.pairRange(map, peersKey),
      ports: portsNode
        ? exactLength(
            r
              .items(portsNode, `${path}.ports`)
              .flatMap((p, i) => readPort(r, p, i, `${path}.ports[${i}]`) ?? []),
          )
        : null,
      portsRange: r.pairRange(map, 'ports'),
    };
    return [rule];
  });
}

export function extractPolicy(
  obj: KubeObject,
  id: number,
  defaultNamespace: string,
): PolicyModel | undefined {
  const r = obj.reader;
  const metadata = readMetadata(obj);
  if (metadata.name === undefined) reportMissingName(obj);
  const spec = r.map(r.get(obj.node, 'spec'), 'spec');
  const podSelectorNode = r.get(spec, 'podSelector');
  const podSelector = readSelector(r, podSelectorNode, 'spec.podSelector') ?? {
    matchLabels: {},
    matchExpressions: [],
    range: r.range(spec ?? obj.node),
  };
  const typesNode = r.get(spec, 'policyTypes');
  const writtenTypes = typesNode
    ? exactLength(
        r.items(typesNode, 'spec.policyTypes').flatMap((n, i) => r.string(n, `spec.policyTypes[${i}]`) ?? []),
      )
    : null;
  const ingress = exactLength(readRules(r, spec, 'ingress'));
  const egress = exactLength(readRules(r, spec, 'egress'));
  // The API server defaults an empty or absent policyTypes: Ingress always, Egress when egress rules exist.
  const defaulted = writtenTypes === null || writtenTypes.length === 0;
  const affects = defaulted
    ? { ingress: true, egress: egress.length > 0 }
    : { ingress: writtenTypes.includes('Ingress'), egress: writtenTypes.includes('Egress') };
  return {
    id,
    uri: r.source.uri,
    range: obj.range,
    name: metadata.name ?? '',
    nameRange: metadata.nameRange,
    namespace: metadata.namespace ?? defaultNamespace,
    namespaceExplicit: metadata.namespace !== undefined,
    podSelector,
    policyTypes: writtenTypes,
    policyTypesRange: r.pairRange(spec, 'policyTypes'),
    ingress,
    ingressRange: r.pairRange(spec, 'ingress'),
    egress,
    egressRange: r.pairRange(spec, 'egress'),
    affects,
  };
}

// ---------------------------------------------------------------------------------------------
// Namespaces, workloads, services

export interface NamespaceDefinition {
  name: string;
  labels: Record<string, string>;
  range: Range;
  uri: string;
}

export function extractNamespace(obj: KubeObject): NamespaceDefinition | undefined {
  const metadata = readMetadata(obj);
  if (metadata.name === undefined) {
    reportMissingName(obj);
    return undefined;
  }
  return { name: metadata.name, labels: metadata.labels, range: obj.range, uri: obj.reader.source.uri };
}

function readContainerPorts(r: YamlReader, podSpec: YAMLMap | undefined, path: string): ContainerPort[] {
  const ports: ContainerPort[] = [];
  r.items(r.get(podSpec, 'containers'), `${path}.containers`).forEach((containerNode, c) => {
    const container = r.map(containerNode, `${path}.containers[${c}]`);
    r.items(r.get(container, 'ports'), `${path}.containers[${c}].ports`).forEach((portNode, p) => {
      const portPath = `${path}.containers[${c}].ports[${p}]`;
      const port = r.map(portNode, portPath);
      const containerPort = r.integer(r.get(port, 'containerPort'), `${portPath}.containerPort`);
      if (containerPort === undefined) return;
      ports.push({
        name: r.string(r.get(port, 'name'), `${portPath}.name`),
        containerPort,
        protocol: r.string(r.get(port, 'protocol'), `${portPath}.protocol`) ?? 'TCP',
      });
    });
  });
  return exactLength(ports);
}

export function workloadId(namespace: string, name: string, kind: string): string {
  return `${namespace}/${name}[${kind}]`;
}

/** A YAML `true` (the API server rejects any other spelling of a boolean field, and reads `false` alike). */
function isTrue(node: Node | undefined): boolean {
  return isScalar(node) && node.value === true;
}

export function extractWorkload(obj: KubeObject, defaultNamespace: string): WorkloadModel | undefined {
  const r = obj.reader;
  const metadata = readMetadata(obj);
  if (metadata.name === undefined) {
    reportMissingName(obj);
    return undefined;
  }
  let labels = metadata.labels;
  let podSpec: YAMLMap | undefined;
  if (obj.kind === 'Pod') {
    podSpec = r.map(r.get(obj.node, 'spec'), 'spec');
  } else {
    let node: YAMLMap | undefined = obj.node;
    let path = '';
    for (const key of TEMPLATE_PATHS[obj.kind]) {
      path = path ? `${path}.${key}` : key;
      node = r.map(r.get(node, key), path);
    }
    const templateMeta = r.map(r.get(node, 'metadata'), `${path}.metadata`);
    labels = r.stringMap(r.get(templateMeta, 'labels'), `${path}.metadata.labels`);
    podSpec = r.map(r.get(node, 'spec'), `${path}.spec`);
  }
  const namespace = metadata.namespace ?? defaultNamespace;
  // A pod created by a controller is reported as that controller, as the reference analyzer does; a
  // static (mirror) pod, whose controller is its Node, stands as itself.
  const owner = obj.kind === 'Pod' && metadata.owner?.kind !== 'Node' ? metadata.owner : undefined;
  const kind = owner?.kind ?? obj.kind;
  const name = owner?.name ?? metadata.name;
  return {
    id: workloadId(namespace, name, kind),
    kind,
    name,
    ...(owner ? { objectName: metadata.name } : {}),
    namespace,
    labels,
    ports: readContainerPorts(r, podSpec, obj.kind === 'Pod' ? 'spec' : 'template.spec'),
    ...(isTrue(r.get(podSpec, 'hostNetwork')) ? { hostNetwork: true } : {}),
    implicit: false,
    inferred: false,
    source: { uri: r.source.uri, range: obj.range },
  };
}

export function extractService(obj: KubeObject, defaultNamespace: string): ServiceModel | undefined {
  const r = obj.reader;
  const metadata = readMetadata(obj);
  if (metadata.name === undefined) {
    reportMissingName(obj);
    return undefined;
  }
  const spec = r.map(r.get(obj.node, 'spec'), 'spec');
  const selectorNode = r.get(spec, 'selector');
  const ports: ServicePortModel[] = r.items(r.get(spec, 'ports'), 'spec.ports').flatMap((node, i) => {
    const map = r.map(node, `spec.ports[${i}]`);
    if (!map) return [];
    return [
      {
        name: r.string(r.get(map, 'name'), `spec.ports[${i}].name`),
        port: r.integer(r.get(map, 'port'), `spec.ports[${i}].port`),
        targetPort: r.intOrString(r.get(map, 'targetPort'), `spec.ports[${i}].targetPort`),
        protocol: r.string(r.get(map, 'protocol'), `spec.ports[${i}].protocol`) ?? 'TCP',
        range: r.range(node),
      },
    ];
  });
  return {
    name: metadata.name,
    namespace: metadata.namespace ?? defaultNamespace,
    selector: selectorNode ? r.stringMap(selectorNode, 'spec.selector') : null,
    ports,
    source: { uri: r.source.uri, range: obj.range },
  };
}
