// netpol.dns-egress-missing: add an egress rule to cluster DNS, or the missing protocol to a DNS rule
// that allows only one of UDP and TCP 53.
import { CODES } from '../codes';
import { isSeq } from 'yaml';
import { policyNode, ruleNode, valueOf } from '../diagnostics/lint-yaml';
import { DNS_PROTOCOLS, dnsEgressRule, dnsPorts, KUBE_SYSTEM } from '../dns';
import { isProtocol } from '../types';
import type { Fix, QuickFixProvider } from './fix';
import { appendToSeq, editFile, policyAt, setValue, type YamlValue } from './fix-yaml';

const DNS_RULE: YamlValue = dnsEgressRule();

export const DNS_FIXES: QuickFixProvider = {
  codes: [CODES.dnsEgressMissing],
  fixes(analysis, problem): Fix[] {
    const policy = policyAt(analysis, problem);
    const f = editFile(analysis, problem.uri);
    const located = policy && policyNode(analysis, policy);
    if (!f || !located?.spec) return [];
    const data = problem.data ?? {};
    const protocols = Array.isArray(data.protocols)
      ? data.protocols.map(String).filter(isProtocol)
      : DNS_PROTOCOLS;
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
