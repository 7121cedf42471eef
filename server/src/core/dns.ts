// Cluster DNS, once: the kube-dns the analysis assumes (the implicit peer), how a workload is told to be
// cluster DNS, and the one egress rule that allows it — which the quick-fix inserts, the "allow DNS"
// snippet offers and the dns-egress-missing examples show.
import { stringify } from 'yaml';
import { NAMESPACE_NAME_LABEL } from './extract';
import type { Protocol, WorkloadModel } from './types';

export const KUBE_SYSTEM = 'kube-system';
export const KUBE_DNS_LABELS = { 'k8s-app': 'kube-dns' } as const;
export const DNS_PORT = 53;
/** UDP first: DNS asks over UDP and falls back to TCP for answers too large for a datagram. */
export const DNS_PROTOCOLS: readonly Protocol[] = ['UDP', 'TCP'];

/** A workload that serves cluster DNS: kube-system pods labelled `k8s-app: kube-dns`. */
export function isClusterDns(workload: WorkloadModel): boolean {
  return workload.namespace === KUBE_SYSTEM && workload.labels['k8s-app'] === KUBE_DNS_LABELS['k8s-app'];
}

/** The `ports` entries for DNS on the given protocols. */
export function dnsPorts(protocols: readonly Protocol[] = DNS_PROTOCOLS) {
  return protocols.map((protocol) => ({ protocol, port: DNS_PORT }));
}

/** The egress rule to cluster DNS (kube-system pods `k8s-app: kube-dns`), as plain data. */
export function dnsEgressRule(protocols: readonly Protocol[] = DNS_PROTOCOLS) {
  return {
    to: [
      {
        namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_SYSTEM } },
        podSelector: { matchLabels: { ...KUBE_DNS_LABELS } },
      },
    ],
    ports: dnsPorts(protocols),
  };
}

/** The same rule as a YAML sequence item (`- to: …`), every line indented by `indent` spaces. */
export function dnsEgressRuleYaml(indent: number, protocols: readonly Protocol[] = DNS_PROTOCOLS): string {
  const pad = ' '.repeat(indent);
  return stringify([dnsEgressRule(protocols)])
    .trimEnd()
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}
