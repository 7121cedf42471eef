// netpol.dns-egress-missing: add an egress rule to cluster DNS, or the missing protocol to a DNS rule
// that allows only one of UDP and TCP 53.
import { isSeq } from 'yaml';
import { DNS_PORT } from '../diagnostics/lint-dns';
import { policyNode, ruleNode, valueOf } from '../diagnostics/lint-yaml';
import { NAMESPACE_NAME_LABEL } from '../extract';
import { KUBE_DNS_LABELS, KUBE_SYSTEM } from '../model';
import type { Fix, QuickFixProvider } from './fix';
import { appendToSeq, editFile, policyAt, setValue, type YamlValue } from './fix-yaml';

const DNS_PEER: YamlValue = {
  namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: KUBE_SYSTEM } },
  podSelector: { matchLabels: { ...KUBE_DNS_LABELS } },
};

const dnsPorts = (protocols: string[]): YamlValue[] =>
  protocols.map((protocol) => ({ protocol, port: DNS_PORT }));

export const DNS_RULE: YamlValue = { to: [DNS_PEER], ports: dnsPorts(['UDP', 'TCP']) };

export const DNS_FIXES: QuickFixProvider = {
  codes: ['netpol.dns-egress-missing'],
  fixes(analysis, problem): Fix[] {
    const policy = policyAt(analysis, problem);
    const f = editFile(analysis, problem.uri);
    const located = policy && policyNode(analysis, policy);
    if (!f || !located?.spec) return [];
    const data = problem.data ?? {};
    const protocols = Array.isArray(data.protocols) ? data.protocols.map(String) : ['UDP', 'TCP'];
    if (data.kind === 'add-port' && typeof data.ruleIndex === 'number') {
      const ports = valueOf(ruleNode(located, 'egress', data.ruleIndex), 'ports');
      const edit = isSeq(ports) ? appendToSeq(f, ports, dnsPorts(protocols)) : undefined;
      const title = `Also allow ${protocols.map((p) => `${p} 53`).join(' and ')} in this DNS rule`;
      return edit ? [{ title, edits: [edit], isPreferred: true }] : [];
    }
    const egress = valueOf(located.spec, 'egress');
    const edit =
      isSeq(egress) && !(egress.flow && egress.items.length === 0)
        ? appendToSeq(f, egress, [DNS_RULE])
        : setValue(f, located.spec, 'egress', [DNS_RULE]);
    const title = `Allow DNS egress to ${KUBE_SYSTEM}/kube-dns (UDP and TCP 53)`;
    return edit ? [{ title, edits: [edit], isPreferred: true }] : [];
  },
};
