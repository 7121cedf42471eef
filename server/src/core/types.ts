// Plain data shared by every stage of the analysis core. Positions follow LSP conventions
// (0-based line and UTF-16 character) so adapters can pass them through unchanged.

import type { DiagnosticCode } from './codes';

export interface Position {
  line: number;
  character: number;
  /** Offset into the file text. */
  offset: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** Where a model element was written. */
export interface SourceRef {
  uri: string;
  range: Range;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A located finding of the core: a YAML error, a wrong type, an unsupported construct, … */
export interface Problem {
  /** Stable code, e.g. `netpol.yaml-syntax` (codes.ts lists them all). */
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  uri: string;
  range: Range;
  /** Facts a quick-fix needs (plain JSON), e.g. the label to replace. */
  data?: Record<string, unknown>;
}

export type Protocol = 'TCP' | 'UDP' | 'SCTP';
/** The protocols a port may name, in the API's order (its error messages list them so). */
export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** A protocol the API accepts; any other allows nothing (the API server rejects it). */
export function isProtocol(value: string): value is Protocol {
  return (PROTOCOLS as readonly string[]).includes(value);
}

/** The apiVersion of the NetworkPolicy objects Kubernetes serves. */
export const NETWORK_POLICY_API = 'networking.k8s.io/v1';
/** The apiVersion of the core objects (Namespace, Pod, Service). */
export const CORE_API = 'v1';

export type Labels = Readonly<Record<string, string>>;

export interface LabelRequirement {
  key: string;
  operator: string;
  values: string[];
  range: Range;
}

export interface LabelSelector {
  matchLabels: Record<string, string>;
  matchExpressions: LabelRequirement[];
  range: Range;
}

export interface IpBlockModel {
  cidr: string;
  except: string[];
  range: Range;
  cidrRange: Range;
  exceptRanges: Range[];
}

export interface PeerModel {
  index: number;
  range: Range;
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: IpBlockModel;
}

export interface PortModel {
  index: number;
  range: Range;
  /** As written; defaults to TCP when absent. May be invalid (checked by diagnostics). */
  protocol: string;
  /** Absent: every port of the protocol. */
  port?: number | string;
  endPort?: number;
}

export type Direction = 'ingress' | 'egress';

export interface RuleModel {
  direction: Direction;
  index: number;
  range: Range;
  /** `null` when `from`/`to` is absent; an empty list also means "everything". */
  peers: PeerModel[] | null;
  peersRange?: Range;
  /** `null` when `ports` is absent; an empty list also means "every port". */
  ports: PortModel[] | null;
  portsRange?: Range;
}

export interface PolicyModel {
  id: number;
  uri: string;
  range: Range;
  name: string;
  nameRange?: Range;
  namespace: string;
  /** False when metadata.namespace is missing and the default namespace was assumed. */
  namespaceExplicit: boolean;
  podSelector: LabelSelector;
  /** As written; `null` when policyTypes is absent. */
  policyTypes: string[] | null;
  policyTypesRange?: Range;
  ingress: RuleModel[];
  ingressRange?: Range;
  egress: RuleModel[];
  egressRange?: Range;
  /** Directions in effect, per the API's defaulting of policyTypes. */
  affects: { ingress: boolean; egress: boolean };
}

/**
 * An object that is in the workspace but cannot be read as written (a YAML error inside it, an unresolved
 * alias, a field of the wrong type that would have to be left out). It is not analysed as if the broken
 * part were absent: what it would allow or select is unknown, and answers it could change say so.
 */
export interface UnreadableObject {
  /** As written; undefined when even the kind cannot be read. */
  kind?: string;
  name?: string;
  /** Undefined when the namespace cannot be read: the object may then be in any namespace. */
  namespace?: string;
  uri: string;
  range: Range;
  /** What cannot be read, e.g. "unresolved alias *peers". */
  reason: string;
  /** Where that is. */
  reasonRange: Range;
  /**
   * Readable, but defined more than once with copies that differ (see duplicates.ts): which one the
   * cluster keeps is unknown.
   */
  ambiguous?: boolean;
  /**
   * For the copies of one NetworkPolicy that differ: what each copy selects, and for which directions.
   * Whichever copy the cluster keeps, it can change only the sides of the pods it selects (see doubts.ts).
   * Undefined: the object may select any pod of its namespace, for both directions.
   */
  selects?: readonly PolicySelection[];
  /** For the copies of one workload that differ: its peer id; every connection it is an end of is unknown. */
  peer?: string;
}

/** The pods a NetworkPolicy selects and the directions it affects for them. */
export interface PolicySelection {
  podSelector: LabelSelector;
  ingress: boolean;
  egress: boolean;
}

export interface NamespaceModel {
  name: string;
  /** Includes the automatic `kubernetes.io/metadata.name` label. */
  labels: Labels;
  /** True when referenced but not defined in the workspace. */
  implicit: boolean;
  source?: SourceRef;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  protocol: string;
}

export const WORKLOAD_KINDS = [
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
  'Job',
  'CronJob',
] as const;

/** Where each workload kind but Pod keeps the pod template whose labels its pods get. */
export const TEMPLATE_PATHS: Readonly<Record<string, readonly string[]>> = {
  Deployment: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  ReplicationController: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

export interface WorkloadModel {
  /** Unique within the model: `namespace/name[Kind]`. */
  id: string;
  kind: string;
  name: string;
  /** The metadata.name of the pod that defines it, when the pod is reported as its owner. */
  objectName?: string;
  namespace: string;
  labels: Labels;
  ports: ContainerPort[];
  /** `spec.hostNetwork: true`: cluster-scoped policies never select the pod (as subject or peer). */
  hostNetwork?: boolean;
  /** Added by the analysis (cluster DNS), not written in the workspace. */
  implicit: boolean;
  /** A representative pod inferred from the selectors of a namespace without workloads. */
  inferred: boolean;
  source?: SourceRef;
}

export interface ServicePortModel {
  name?: string;
  port?: number;
  targetPort?: number | string;
  protocol: string;
  range: Range;
}

export interface ServiceModel {
  name: string;
  namespace: string;
  selector: Labels | null;
  ports: ServicePortModel[];
  source: SourceRef;
}

export interface AnalysisOptions {
  /** Namespace of objects without metadata.namespace. */
  defaultNamespace: string;
  /** Add `kube-system/kube-dns` when the workspace does not define cluster DNS. */
  implicitDns: boolean;
  /** Add representative pods to namespaces that have policies but no workloads. */
  inferPods: boolean;
  /** Some network plugins let ipBlock match pod IPs; Kubernetes leaves it undefined. */
  ipBlockMatchesPods: boolean;
  /** The pod network, used when ipBlockMatchesPods is on. */
  podCIDRs: string[];
}

export const DEFAULT_OPTIONS: AnalysisOptions = {
  defaultNamespace: 'default',
  implicitDns: true,
  inferPods: true,
  ipBlockMatchesPods: false,
  podCIDRs: [],
};
