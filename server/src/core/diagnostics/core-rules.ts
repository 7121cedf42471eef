// Problems the parser and the model report while reading manifests. Their checks live where the
// reading happens; these entries document them and give their default severities.
import { CODES } from '../codes';
import { NETWORK_POLICY_API } from '../types';
import type { DiagnosticRule } from './rule';

const NAMESPACE_OK = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

/** A default-deny NetworkPolicy written with the given apiVersion. */
const denyAll = (apiVersion: string) => `apiVersion: ${apiVersion}
kind: NetworkPolicy
metadata:
  name: deny
  namespace: shop
spec:
  podSelector: {}
`;

/** A policy whose one egress rule allows the ipBlock `cidr`. */
const egressTo = (cidr: string) => `apiVersion: ${NETWORK_POLICY_API}
kind: NetworkPolicy
metadata:
  name: egress-v6
  namespace: shop
spec:
  podSelector: {}
  egress:
    - to:
        - ipBlock:
            cidr: ${cidr}
`;

export const CORE_RULES: DiagnosticRule[] = [
  {
    code: CODES.yamlSyntax,
    defaultSeverity: 'error',
    title: 'The YAML cannot be parsed',
    description:
      'kubectl cannot read a document with a YAML syntax error (or a duplicated key). The other documents of the file are still analysed. In files that are not open in the editor, and in the CLI, documents of kinds no analysis reads (ConfigMap, Secret, CustomResourceDefinition, RBAC and the like, written in plain block style) are not parsed at all, so their syntax errors show only once the file is opened.',
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: "shop
`,
    good: NAMESPACE_OK,
  },
  {
    code: CODES.yamlWarning,
    defaultSeverity: 'warning',
    title: 'The YAML parser warns about this construct',
    description:
      'For example an unknown tag or a deprecated YAML 1.1 form; kubectl may read it differently than intended.',
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: !custom shop
`,
    good: NAMESPACE_OK,
  },
  {
    code: CODES.template,
    defaultSeverity: 'information',
    title: 'Helm/Go template',
    description:
      'The document contains Go/Helm template actions (`{{ … }}`). It is not valid Kubernetes YAML until it is rendered (for example with `helm template`); analyse the rendered output instead, or exclude the chart. It is never dropped in silence: a NetworkPolicy whose actions are only in its name, labels or annotations (a cluster policy: labels or annotations; a Namespace: annotations) is analysed as written; any other NetworkPolicy, cluster policy or Namespace is unreadable (`netpol.unreadable`), so every answer it could change is unknown. Other kinds are not analysed.',
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: {{ .Release.Namespace }}
`,
    good: NAMESPACE_OK,
  },
  {
    code: CODES.type,
    defaultSeverity: 'error',
    title: 'A field has the wrong type',
    description:
      'A mapping where a list belongs, a number where a string belongs (label values must be quoted strings), and so on. The API server rejects the object; the analysis skips the offending field.',
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    version: 2
`,
    good: `apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels:
    version: "2"
`,
  },
  {
    code: CODES.unreadable,
    defaultSeverity: 'error',
    title: 'The object cannot be read, so what it does is unknown',
    description:
      'A YAML error inside the object, an alias without its anchor, or a field of the wrong type that would have to be left out. Read without the broken part a policy would allow more than written (a lost `from` reads as "from everywhere"), so it is not analysed at all: `can` answers UNKNOWN (exit code 3) for connections it could change, `reach` leaves them out of the list and counts them on stderr (`unknown` in the JSON output), and `explain` and hovers say the policy cannot be read. An unreadable Namespace makes answers that depend on its labels unknown; an unreadable workload is left out.',
    bad: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - from: *trusted_peers
`,
    good: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  ingress:
    - from: &trusted_peers
        - podSelector: {matchLabels: {app: client}}
`,
  },
  {
    code: CODES.missingName,
    defaultSeverity: 'error',
    title: 'The object has no metadata.name',
    description: 'Every Kubernetes object needs a name; the API server rejects one without.',
    bad: `apiVersion: v1
kind: Namespace
metadata:
  labels: {team: a}
`,
    good: NAMESPACE_OK,
  },
  {
    code: CODES.apiVersion,
    defaultSeverity: 'warning',
    title: 'NetworkPolicy with an apiVersion Kubernetes no longer serves',
    description:
      'NetworkPolicy is served as `networking.k8s.io/v1`; `extensions/v1beta1` was removed in Kubernetes 1.16. Such a document is not analysed.',
    bad: denyAll('extensions/v1beta1'),
    good: denyAll(NETWORK_POLICY_API),
  },
  {
    code: CODES.ipv6,
    defaultSeverity: 'warning',
    title: 'IPv6 ipBlock is not analysed',
    description:
      'netpol-lens computes reachability over IPv4 addresses. An IPv6 `cidr` or `except` is valid for the API server but is left out of the analysis.',
    bad: egressTo('2001:db8::/32'),
    good: egressTo('192.0.2.0/24'),
  },
  {
    code: CODES.ownerReference,
    defaultSeverity: 'warning',
    title: 'A controller ownerReference that cannot name the owner',
    description:
      'A Pod with an `ownerReference` that has `controller: true` is reported as its owner (`ns/owner[Kind]`, the first controller reference; an owner without a kind as `[Pod]`, a Node owner leaves a static pod as itself). A controller reference without a name cannot be named: the pod is analysed as itself.',
    bad: `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  ownerReferences:
    - apiVersion: apps/v1
      kind: ReplicaSet
      controller: true
`,
    good: `apiVersion: v1
kind: Pod
metadata:
  name: web-1
  namespace: shop
  ownerReferences:
    - apiVersion: apps/v1
      kind: ReplicaSet
      name: web-5d4f
      controller: true
`,
  },
  {
    code: CODES.duplicateObject,
    defaultSeverity: 'warning',
    title: 'An object defined twice',
    description:
      'Two objects of one kind, namespace and name (a Namespace, a workload, a Service, a cluster-scoped policy; any two BaselineAdminNetworkPolicies, a singleton): the cluster keeps only the copy applied last. Each copy is reported, naming the others; copies that mean the same are a warning and one is analysed, copies that differ an error. A workload whose copies differ (other labels, ports or host network) stays a peer, and every connection it is an end of is unknown; a Service whose copies differ is not used. AdminNetworkPolicies and ClusterNetworkPolicies whose copies differ (and BaselineAdminNetworkPolicies named `default`) are not analysed, and every answer they could change is unknown; a Namespace whose copies have other labels keeps its last copy, with its labels unknown. A BaselineAdminNetworkPolicy not named `default` is rejected by the API server and never competes.',
    bad: `${NAMESPACE_OK}---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
  labels: {team: a}
`,
    good: `${NAMESPACE_OK}---
apiVersion: v1
kind: Namespace
metadata:
  name: shop-a
  labels: {team: a}
`,
  },
  {
    code: CODES.fileUnreadable,
    defaultSeverity: 'error',
    title: 'A manifest file that is not read',
    description:
      'The file is not a regular file (a FIFO, socket or device, also behind a symlink), is larger than the size limit (`netpolLens.maxFileSizeMB`, CLI `--max-file-size`, default 50 MB), or cannot be decoded: kubectl reads UTF-8, and UTF-16 LE/BE with a byte-order mark; bytes that are not valid in the encoding, or NUL characters, make the file unreadable. Its objects are not analysed.',
    bad: `apiVersion: v1
kind: Namespace
metadata:
  name: shop\u0000
`,
    good: NAMESPACE_OK,
  },
];
