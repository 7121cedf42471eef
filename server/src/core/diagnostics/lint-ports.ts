// Lints about the ports of rules, checked against the pods they reach: policies see container ports,
// not Service ports, and a named port must be defined by a destination container.
import { CODES } from '../codes';
import type { Analysis } from '../index';
import type { PodClass, Reachability } from '../reachability';
import { groupedBy } from '../grouping';
import { selectorMatches } from '../selectors';
import type { KubeObject, ParsedFile } from '../parse';
import type {
  ContainerPort,
  Direction,
  PolicyModel,
  PortModel,
  Range,
  RuleModel,
  ServiceModel,
  ServicePortModel,
  WorkloadModel,
} from '../types';
import { allRules, effectiveRules, listIds, rulePath } from './lint-util';
import { policyNode, ruleNode, tighten, tightRange, valueOf } from './lint-yaml';
import { isSeq, type Node } from 'yaml';
import { mapOf } from './lint-yaml';
import { acceptedPort } from './accepted';
import type { CheckContext, DiagnosticRule } from './rule';

interface Destinations {
  /** The destination pods by class (the pods of a class share their container ports); shared, so a key.
   * Asked only when needed: a rule's union of peers costs as much as the pods it reaches. */
  classes(): readonly PodClass[];
  /** What their ports are (summed up per selector peer, shared by every rule with such a peer). */
  ports: PortSummary;
  /** The destination workloads, for messages. */
  workloads(): readonly WorkloadModel[];
  /** The rule also reaches external addresses, which have no container ports. */
  addresses: boolean;
}

/** The pods a rule's ports apply to: the selected pods for ingress, the peers' pods for egress. */
function destinations(reach: Reachability, policy: PolicyModel, rule: RuleModel): Destinations {
  if (rule.direction === 'ingress') {
    const classes = reach.selectedClasses(policy);
    return {
      classes: () => classes,
      ports: summary(classes),
      workloads: () => reach.selectedWorkloads(policy),
      addresses: false,
    };
  }
  const peers = rule.peers ?? [];
  if (peers.length === 0) {
    const classes = reach.classes;
    return {
      classes: () => classes,
      ports: summary(classes),
      workloads: () => reach.model.workloads,
      addresses: true,
    };
  }
  return {
    classes: () => reach.ruleClasses(policy, rule),
    ports: joinedSummary(reach.rulePeerClasses(policy, rule)),
    workloads: () => reach.ruleWorkloads(policy, rule),
    addresses: peers.some((p) => p.ipBlock),
  };
}

/** What the port checks need to know about the destinations (thousands of pods, few distinct ports). */
interface PortSummary {
  /** Some, and none inferred (inferred pods have no containers). */
  judgeable: boolean;
  /** Some pod is inferred. */
  inferred: boolean;
  /** Some pod declares no ports at all. */
  undeclared: boolean;
  /** The protocols of the container ports by name, in the order the pods first define them: a rule with
   * thousands of port entries looks each up instead of scanning every container port. */
  byName: Map<string, string[]>;
  /** Each protocol's distinct port numbers, ascending. */
  numbers: Map<string, number[]>;
}

/** Class lists are shared by the reachability engine per selector meaning, so their summaries are too. */
const summaries = new WeakMap<readonly PodClass[], PortSummary>();

function summary(classes: readonly PodClass[]): PortSummary {
  let found = summaries.get(classes);
  if (!found) {
    const byName = new Map<string, string[]>();
    const numbers = new Map<string, Set<number>>();
    let inferred = false;
    let undeclared = false;
    for (let c = 0; c < classes.length; c++) {
      const podClass = classes[c];
      portWork.classes++;
      inferred ||= podClass.members.some((m) => m.workload.inferred);
      undeclared ||= podClass.ports.length === 0;
      const ports = podClass.ports;
      for (let i = 0; i < ports.length; i++) addPort(byName, numbers, ports[i]);
    }
    const judgeable = classes.length > 0 && !inferred;
    found = { judgeable, inferred, undeclared, byName, numbers: ascending(numbers) };
    summaries.set(classes, found);
  }
  return found;
}

function addPort(byName: Map<string, string[]>, numbers: Map<string, Set<number>>, port: ContainerPort) {
  if (port.name !== undefined) addProtocol(byName, port.name, port.protocol);
  addNumber(numbers, port.protocol, port.containerPort);
}

function addProtocol(byName: Map<string, string[]>, name: string, protocol: string) {
  const protocols = byName.get(name);
  if (!protocols) byName.set(name, [protocol]);
  else if (!protocols.includes(protocol)) protocols.push(protocol);
}

function addNumber(numbers: Map<string, Set<number>>, protocol: string, port: number) {
  const set = numbers.get(protocol);
  if (set) set.add(port);
  else numbers.set(protocol, new Set([port]));
}

function ascending(numbers: Map<string, Set<number>>): Map<string, number[]> {
  return new Map([...numbers].map(([protocol, set]) => [protocol, [...set].sort((a, b) => a - b)]));
}

/**
 * The summary of the union of several class lists (a rule's selector peers), from theirs: the same as
 * summing up the union itself, since a class in two lists has the same ports in both and the order of
 * first definitions is kept.
 */
function joinedSummary(lists: readonly (readonly PodClass[])[]): PortSummary {
  if (lists.length === 1) return summary(lists[0]);
  const parts = lists.map(summary);
  const byName = new Map<string, string[]>();
  const numbers = new Map<string, Set<number>>();
  for (const part of parts) {
    for (const [name, protocols] of part.byName) for (const p of protocols) addProtocol(byName, name, p);
    for (const [protocol, list] of part.numbers) for (const n of list) addNumber(numbers, protocol, n);
  }
  const inferred = parts.some((p) => p.inferred);
  return {
    judgeable: lists.some((l) => l.length > 0) && !inferred,
    inferred,
    undeclared: parts.some((p) => p.undeclared),
    byName,
    numbers: ascending(numbers),
  };
}

/** Whether a container port of the protocol lies in [from, to] (a binary search). */
function exposes(ports: PortSummary, protocol: string, from: number, to: number): boolean {
  const numbers = ports.numbers.get(protocol);
  if (!numbers) return false;
  portWork.lookups++;
  let lo = 0;
  let hi = numbers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (numbers[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < numbers.length && numbers[lo] <= to;
}

/**
 * Work counts for tests (scaling.test.ts, scaling-services.test.ts): port lookups, Service ports looked at,
 * classes summed up, Services looked at for a destination list.
 */
export const portWork = { lookups: 0, servicePorts: 0, classes: 0, services: 0 };

/** The `port` value of an entry as written in the object's own nodes (no alias or merge key followed). */
function writtenPort(object: KubeObject, direction: Direction, ruleIndex: number, entryIndex: number) {
  const rule = ruleNode({ spec: mapOf(valueOf(object.node, 'spec')) }, direction, ruleIndex);
  const ports = valueOf(rule, 'ports');
  const item = isSeq(ports) ? mapOf(ports.items[entryIndex] as Node | undefined) : undefined;
  return valueOf(item, 'port');
}

/**
 * Where the port lints point for the entries of files whose documents are rebuilt (parse.ts): found while
 * the nodes are in memory (prepare.ts), since looking a reported entry up afterwards read its section
 * again, a fifth of the parse of the 10 MB benchmark file once more. Another extraction of the file (for
 * another default namespace) makes new entries, which are looked up as before.
 */
const earlyPortRanges = new WeakMap<PortModel, Range>();

/**
 * Notes where each port entry of the policy points (see earlyPortRanges); `object` is the object
 * policyNode finds for it (prepare.ts), its nodes in memory.
 */
export function notePortRanges(file: ParsedFile, object: KubeObject, policy: PolicyModel): void {
  for (const rule of allRules(policy)) {
    const ports = rule.ports ?? [];
    for (let i = 0; i < ports.length; i++) {
      const port = writtenPort(object, rule.direction, rule.index, ports[i].index);
      if (port) earlyPortRanges.set(ports[i], tightRange(file, port));
    }
  }
}

function portRange(analysis: Analysis, policy: PolicyModel, rule: RuleModel, entry: PortModel) {
  const early = earlyPortRanges.get(entry);
  if (early) return early;
  const located = policyNode(analysis, policy);
  const port = located && writtenPort(located.object, rule.direction, rule.index, entry.index);
  return located && port ? tightRange(located.file, port) : tighten(analysis, policy.uri, entry.range);
}

interface ServiceMismatch {
  service: ServiceModel;
  servicePort: ServicePortModel;
}

/** A Service in front of the destinations whose `port` is this entry's port but forwards elsewhere. */
export function serviceMismatch(
  analysis: Analysis,
  to: Destinations,
  entry: PortModel,
): ServiceMismatch | undefined {
  const port = entry.port;
  if (typeof port !== 'number' || (entry.endPort !== undefined && entry.endPort !== port)) return undefined;
  if (exposes(to.ports, entry.protocol, port, port)) return undefined;
  portWork.servicePorts++;
  return forwardingPorts(analysis, to).get(`${port}/${entry.protocol}`);
}

/**
 * The Service ports in front of the destinations that forward to another port, by `port/protocol` (the
 * first Service, in model order, and its first such port): found once per destination list, so a rule
 * with thousands of port entries does not go through every Service for each.
 */
const forwarding = new WeakMap<readonly PodClass[], Map<string, ServiceMismatch>>();

function forwardingPorts(analysis: Analysis, to: Destinations): Map<string, ServiceMismatch> {
  const key = to.classes();
  let found = forwarding.get(key);
  if (found) return found;
  found = new Map();
  // Only a Service of a destination's namespace can front it: those Services alone are looked at, in
  // model order, each against the destinations of its namespace (a scan of every Service per destination
  // list grew with the square of a repository of many namespaces).
  const targets = groupedBy(to.workloads(), (w) => w.namespace);
  const services = analysis.model.services;
  for (const index of servicesOf(analysis, targets.keys())) {
    const service = services[index];
    portWork.services++;
    const asSelector = { matchLabels: service.selector!, matchExpressions: [], range: service.source.range };
    const fronts = targets.get(service.namespace)!.some((w) => selectorMatches(asSelector, w.labels));
    if (!fronts) continue;
    for (const servicePort of service.ports) {
      const { targetPort } = servicePort;
      if (targetPort === undefined || targetPort === servicePort.port || targetPort === '') continue;
      const key = `${servicePort.port}/${servicePort.protocol}`;
      if (!found.has(key)) found.set(key, { service, servicePort });
    }
  }
  forwarding.set(key, found);
  return found;
}

/** The model's Services that have a selector, by namespace: their indexes, ascending. */
const selectingServices = new WeakMap<readonly ServiceModel[], Map<string, number[]>>();

/** The indexes of the Services with a selector in these namespaces, in model order. */
function servicesOf(analysis: Analysis, namespaces: Iterable<string>): number[] {
  const services = analysis.model.services;
  let index = selectingServices.get(services);
  if (!index) {
    const selecting = services.flatMap(({ selector }, i) =>
      selector && Object.keys(selector).length > 0 ? [i] : [],
    );
    index = groupedBy(selecting, (i) => services[i].namespace);
    selectingServices.set(services, index);
  }
  const found: number[] = [];
  let lists = 0;
  for (const namespace of namespaces) {
    const list = index.get(namespace);
    if (!list) continue;
    lists++;
    for (const i of list) found.push(i);
  }
  return lists > 1 ? found.sort((a, b) => a - b) : found;
}

type PortCheck = (
  context: CheckContext,
  policy: PolicyModel,
  rule: RuleModel,
  entry: PortModel,
  to: Destinations,
) => void;

interface JudgedPort {
  policy: PolicyModel;
  rule: RuleModel;
  entry: PortModel;
  to: Destinations;
}

/**
 * The port entries the three port rules judge, found once per analysis for all of them: keyed by the list
 * of policies reported on (the analysis' own list, or the few of the files asked for).
 */
const judgedPorts = new WeakMap<readonly PolicyModel[], { reach: Reachability; found: JudgedPort[] }>();

function portsToJudge(reach: Reachability, policies: readonly PolicyModel[]): JudgedPort[] {
  const held = judgedPorts.get(policies);
  if (held?.reach === reach) return held.found;
  const found: JudgedPort[] = [];
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const rules = effectiveRules(policy);
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      const ports = rule.ports;
      if (!ports || ports.length === 0) continue;
      const to = destinations(reach, policy, rule);
      if (!to.ports.judgeable) continue;
      // An entry the API server rejects has its own error; judging it here would restate it as valid.
      for (let i = 0; i < ports.length; i++)
        if (acceptedPort(ports[i])) found.push({ policy, rule, entry: ports[i], to });
    }
  }
  judgedPorts.set(policies, { reach, found });
  return found;
}

function eachPort(context: CheckContext, check: PortCheck): void {
  const judged = portsToJudge(context.analysis.reachability, context.policies);
  for (let i = 0; i < judged.length; i++) {
    const { policy, rule, entry, to } = judged[i];
    check(context, policy, rule, entry, to);
  }
}

const checkServicePort: PortCheck = ({ analysis, report }, policy, rule, entry, to) => {
  const mismatch = serviceMismatch(analysis, to, entry);
  if (!mismatch) return;
  const { service, servicePort } = mismatch;
  report({
    uri: policy.uri,
    range: portRange(analysis, policy, rule, entry),
    message: `${rulePath(rule)}: port ${String(entry.port)} is the port of Service ${service.namespace}/${service.name}, which forwards to targetPort ${String(servicePort.targetPort)} on the pods. NetworkPolicies see the pod's port, so this allows nothing towards the Service's pods.`,
    data: {
      targetPort: servicePort.targetPort,
      servicePort: entry.port,
      service: `${service.namespace}/${service.name}`,
    },
  });
};

const checkNamedPort: PortCheck = ({ analysis, report }, policy, rule, entry, to) => {
  const name = entry.port;
  if (typeof name !== 'string' || name === '') return;
  const protocols = to.ports.byName.get(name) ?? [];
  if (protocols.includes(entry.protocol)) return;
  const other = protocols.length > 0 ? ` (it is defined for ${protocols[0]}, not ${entry.protocol})` : '';
  report({
    uri: policy.uri,
    range: portRange(analysis, policy, rule, entry),
    message: `${rulePath(rule)}: no destination pod (${listIds(to.workloads())}) defines the named port ${name}${other}, so this entry allows nothing.`,
    data: { name, protocol: entry.protocol },
  });
};

const checkUnexposed: PortCheck = ({ analysis, report }, policy, rule, entry, to) => {
  const port = entry.port;
  if (typeof port !== 'number' || to.addresses) return;
  const ports = to.ports;
  if (ports.undeclared) return; // Undeclared ports may still be served.
  const end = entry.endPort ?? port;
  if (exposes(ports, entry.protocol, port, end)) return;
  if (serviceMismatch(analysis, to, entry)) return; // netpol.service-port says more.
  const shown = end === port ? `${port}` : `${port}-${end}`;
  report({
    uri: policy.uri,
    range: portRange(analysis, policy, rule, entry),
    message: `${rulePath(rule)}: no destination container (${listIds(to.workloads())}) exposes ${entry.protocol} ${shown}.`,
    data: { port, endPort: end, protocol: entry.protocol },
  });
};

const WEB = (ports: string) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          ports:
${ports}---
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
`;
const INGRESS = (port: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-ingress
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - ports:
        - port: ${port}
`;
const HTTP_8080 = '            - name: http\n              containerPort: 8080\n';

export const PORT_RULES: DiagnosticRule[] = [
  {
    code: CODES.servicePort,
    defaultSeverity: 'warning',
    title: "A Service's port where the pod's port belongs",
    description:
      "NetworkPolicies act on the packets as the pod receives them, after the Service has translated its `port` to the `targetPort`. A rule that names the Service's port (80) instead of the pods' port (8080) allows nothing towards those pods.",
    bad: WEB(HTTP_8080) + SERVICE + INGRESS('80'),
    good: WEB(HTTP_8080) + SERVICE + INGRESS('8080'),
    reportsPerPolicy: true,
    check: (context) => eachPort(context, checkServicePort),
  },
  {
    code: CODES.unknownNamedPort,
    defaultSeverity: 'warning',
    title: 'A named port that no destination pod defines',
    description:
      'A named port in a rule resolves against the container ports of each destination pod (same name and protocol). When none of the pods the rule reaches defines it, the entry allows nothing. Pods whose containers the workspace does not show (inferred pods) are not judged.',
    bad: WEB(HTTP_8080) + INGRESS('https'),
    good: WEB(HTTP_8080) + INGRESS('http'),
    reportsPerPolicy: true,
    check: (context) => eachPort(context, checkNamedPort),
  },
  {
    code: CODES.unexposedPort,
    defaultSeverity: 'information',
    title: 'A port that no destination container exposes',
    description:
      'The rule allows a port that none of the destination pods declares in its containers. Declaring ports is optional, so this is only a hint; it is reported only when every destination pod declares its ports and the rule reaches no external addresses.',
    bad: WEB(HTTP_8080) + INGRESS('8443'),
    good: WEB(HTTP_8080) + INGRESS('8080'),
    reportsPerPolicy: true,
    check: (context) => eachPort(context, checkUnexposed),
  },
];
