// Values kube-apiserver rejects when the manifest is applied, reported with the API server's own words
// before `kubectl apply` fails. The checks live in the api-*.ts modules; `data` is documented in api-codes.ts.
import { API } from './api-codes';
import { apiFindings } from './api-objects';
import type { DiagnosticRule } from './rule';

function apiRule(
  code: string,
  title: string,
  description: string,
  bad: string,
  good: string,
): DiagnosticRule {
  return {
    code,
    defaultSeverity: 'error',
    title,
    description: `${description} The API server rejects the whole object, so \`kubectl apply\` fails.`,
    bad,
    good,
    scope: 'file',
    check({ analysis, report }) {
      for (const { code: found, uri, range, message, data } of apiFindings(analysis)) {
        if (found === code) report({ uri, range, message, ...(data ? { data } : {}) });
      }
    },
  };
}

/** A NetworkPolicy in namespace `shop` with the given metadata name and spec lines. */
function policy(spec: string, name = 'allow-web', namespace = 'shop'): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  podSelector:
    matchLabels:
      app: web
${spec}`;
}

/** A policy admitting `peer` (a list item under `from`, indented for it) on `ports` lines. */
function ingressFrom(peer: string, ports = ''): string {
  return policy(`  ingress:
    - from:
${peer}${ports}`);
}

function ingressPorts(ports: string): string {
  return policy(`  ingress:
    - ports:
${ports}`);
}

const selectorWith = (expression: string) =>
  ingressFrom(`        - podSelector:
            matchExpressions:
${expression}`);

const ipBlock = (block: string) =>
  policy(`  egress:
    - to:
        - ipBlock:
${block}`);

export const API_SERVER_RULES: DiagnosticRule[] = [
  apiRule(
    API.name,
    'The name of a policy or workload is not a valid DNS subdomain',
    'NetworkPolicy names, and the names of pods and workloads (Deployment, StatefulSet, DaemonSet, Job, …), must be lowercase RFC 1123 subdomains: at most 253 characters of `a-z`, `0-9`, `-` and `.`, starting and ending with a letter or digit (some workload kinds add limits of their own). A name with a control character or a space is rejected too; outputs show such characters escaped.',
    policy('', 'Allow_Web'),
    policy('', 'allow-web'),
  ),
  apiRule(
    API.namespace,
    'The namespace name is not a valid DNS label',
    'Namespace names (`metadata.namespace`, and the name of a Namespace object) must be lowercase RFC 1123 labels: at most 63 characters of `a-z`, `0-9` and `-`, starting and ending with a letter or digit.',
    policy('', 'allow-web', 'Shop'),
    policy('', 'allow-web', 'shop'),
  ),
  apiRule(
    API.labelKey,
    'A label key is not a valid qualified name',
    'Label keys (in `metadata.labels`, `matchLabels` and `matchExpressions`) are an optional DNS subdomain prefix and `/`, then a name of at most 63 characters of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.',
    ingressFrom(`        - namespaceSelector:
            matchLabels:
              "team name": payments
`),
    ingressFrom(`        - namespaceSelector:
            matchLabels:
              team: payments
`),
  ),
  apiRule(
    API.labelValue,
    'A label value is not valid',
    'Label values (in `metadata.labels`, `matchLabels` and `matchExpressions` values) are empty or at most 63 characters of letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit.',
    ingressFrom(`        - podSelector:
            matchLabels:
              version: 1.2+build
`),
    ingressFrom(`        - podSelector:
            matchLabels:
              version: 1.2-build
`),
  ),
  apiRule(
    API.operator,
    'A matchExpressions operator is not In, NotIn, Exists or DoesNotExist',
    'Operators are case-sensitive: `in` or `exists` are rejected.',
    selectorWith(`              - { key: role, operator: in, values: [api] }
`),
    selectorWith(`              - { key: role, operator: In, values: [api] }
`),
  ),
  apiRule(
    API.selectorValues,
    'matchExpressions values do not fit the operator',
    '`In` and `NotIn` need at least one value; `Exists` and `DoesNotExist` take none.',
    selectorWith(`              - { key: role, operator: Exists, values: [api] }
`),
    selectorWith(`              - { key: role, operator: Exists }
`),
  ),
  apiRule(
    API.protocol,
    'The protocol is not TCP, UDP or SCTP',
    'Protocols are case-sensitive upper-case names; ICMP and others cannot be written in a NetworkPolicy.',
    ingressPorts(`        - protocol: tcp
          port: 8080
`),
    ingressPorts(`        - protocol: TCP
          port: 8080
`),
  ),
  apiRule(
    API.port,
    'The port is not a valid port number or port name',
    'A numeric port is 1 to 65535. A named port is an IANA service name: at most 15 characters of `a-z`, `0-9` and `-`, with at least one letter, no `--`, and no `-` at either end. A quoted number such as `"8080"` is a string, so it is taken as a (bad) port name.',
    ingressPorts(`        - port: "8080"
`),
    ingressPorts(`        - port: 8080
`),
  ),
  apiRule(
    API.endPort,
    'endPort is not valid for this port',
    '`endPort` needs a numeric `port`, and must be a port number no smaller than `port`.',
    ingressPorts(`        - port: 8090
          endPort: 8080
`),
    ingressPorts(`        - port: 8080
          endPort: 8090
`),
  ),
  apiRule(
    API.peer,
    'A peer is empty, or combines ipBlock with a selector',
    'Each `from`/`to` entry needs `podSelector`, `namespaceSelector` or `ipBlock`; `ipBlock` cannot share an entry with a selector (write two entries to allow either).',
    ingressFrom(`        - ipBlock:
            cidr: 10.0.0.0/8
          podSelector:
            matchLabels:
              app: api
`),
    ingressFrom(`        - ipBlock:
            cidr: 10.0.0.0/8
        - podSelector:
            matchLabels:
              app: api
`),
  ),
  apiRule(
    API.cidr,
    'ipBlock.cidr is missing or not a valid CIDR',
    'The `cidr` of an ipBlock is required and must be an IPv4 or IPv6 CIDR such as `10.0.0.0/8` or `2001:db8::/32`.',
    ipBlock(`            cidr: 10.0.0.0/33
`),
    ipBlock(`            cidr: 10.0.0.0/8
`),
  ),
  apiRule(
    API.except,
    'An ipBlock except is not a strict subset of the cidr',
    'Every `except` entry must be a valid CIDR of the same IP family, inside the `cidr` and smaller than it.',
    ipBlock(`            cidr: 10.0.0.0/16
            except:
              - 10.1.0.0/24
`),
    ipBlock(`            cidr: 10.0.0.0/16
            except:
              - 10.0.1.0/24
`),
  ),
  apiRule(
    API.policyTypes,
    'policyTypes has an unknown, duplicated or extra entry',
    '`policyTypes` lists at most `Ingress` and `Egress`, each once and spelled exactly so.',
    policy(`  policyTypes:
    - ingress
`),
    policy(`  policyTypes:
    - Ingress
`),
  ),
];
