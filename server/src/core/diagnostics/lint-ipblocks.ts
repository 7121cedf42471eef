// Lints about ipBlocks: overlap with the pod network, excepts that remove nothing, and the cloud
// metadata address left open by a wide egress block.
import { contains, ipBlockIntervals, parseCidr, parseIpv4Address, type AddressInterval } from '../addresses';
import { ConnectionSet } from '../connections';
import type { IpBlockModel, PeerModel, PolicyModel, RuleModel } from '../types';
import { effectiveRules, rulePath } from './lint-util';
import type { CheckContext, DiagnosticRule } from './rule';

export const METADATA_ADDRESS = '169.254.169.254';

type BlockCheck = (
  context: CheckContext,
  policy: PolicyModel,
  rule: RuleModel,
  peer: PeerModel & { ipBlock: IpBlockModel },
) => void;

function eachBlock(context: CheckContext, check: BlockCheck): void {
  for (const policy of context.analysis.model.policies) {
    for (const rule of effectiveRules(policy)) {
      for (const peer of rule.peers ?? []) {
        if (peer.ipBlock) check(context, policy, rule, peer as PeerModel & { ipBlock: IpBlockModel });
      }
    }
  }
}

function overlaps(a: AddressInterval, b: AddressInterval): boolean {
  return a.lo <= b.hi && b.lo <= a.hi;
}

const checkPodOverlap: BlockCheck = ({ analysis, report }, policy, rule, peer) => {
  const network = analysis.options.podCIDRs.flatMap((text) => {
    const parsed = parseCidr(text);
    return parsed.family === 'ipv4' ? [{ text: parsed.canonical, interval: parsed.interval }] : [];
  });
  const intervals = ipBlockIntervals(peer.ipBlock);
  const hit = network.filter((n) => intervals.some((iv) => overlaps(iv, n.interval)));
  if (hit.length === 0) return;
  report({
    uri: policy.uri,
    range: peer.ipBlock.cidrRange,
    message: `${rulePath(rule, peer)}: ipBlock ${peer.ipBlock.cidr} includes pod addresses (pod network ${hit.map((n) => n.text).join(', ')}). Most network plugins do not apply ipBlocks to pod traffic; select pods with podSelector/namespaceSelector, or except the pod network.`,
    data: { podCIDRs: hit.map((n) => n.text) },
  });
};

/** Union of the addresses the ipBlock peers of a rule admit, as a canonical string. */
function ruleAddresses(rule: RuleModel, replace?: { peer: PeerModel; block: IpBlockModel }): string {
  const intervals = (rule.peers ?? []).flatMap((p) => {
    const block = p === replace?.peer ? replace.block : p.ipBlock;
    return block ? ipBlockIntervals(block) : [];
  });
  const sorted = intervals.sort((a, b) => a.lo - b.lo);
  const merged: AddressInterval[] = [];
  for (const iv of sorted) {
    const last = merged[merged.length - 1];
    if (last && iv.lo <= last.hi + 1) last.hi = Math.max(last.hi, iv.hi);
    else merged.push({ ...iv });
  }
  return merged.map((iv) => `${iv.lo}-${iv.hi}`).join(',');
}

/** Excepts the API server accepts: IPv4 and strictly inside the cidr (others are netpol.invalid-except). */
function validExcept(cidr: AddressInterval, text: string): AddressInterval | undefined {
  const parsed = parseCidr(text);
  if (parsed.family !== 'ipv4') return undefined;
  const iv = parsed.interval;
  return contains(cidr, iv) && (iv.lo !== cidr.lo || iv.hi !== cidr.hi) ? iv : undefined;
}

function noOpReason(block: IpBlockModel, index: number, interval: AddressInterval): string {
  const cidr = parseCidr(block.cidr);
  const other = block.except.findIndex((text, j) => {
    if (j === index || cidr.family !== 'ipv4') return false;
    const iv = validExcept(cidr.interval, text);
    return iv !== undefined && contains(iv, interval);
  });
  if (other < 0) return 'another peer of this rule allows the addresses it removes';
  const same = parseCidr(block.except[other]);
  return same.family === 'ipv4' && same.interval.lo === interval.lo && same.interval.hi === interval.hi
    ? `it repeats except[${other}]`
    : `it lies inside except[${other}] (${block.except[other]})`;
}

const checkExceptNoOp: BlockCheck = ({ report }, policy, rule, peer) => {
  const block = peer.ipBlock;
  const cidr = parseCidr(block.cidr);
  if (cidr.family !== 'ipv4') return;
  const full = ruleAddresses(rule);
  block.except.forEach((text, i) => {
    const interval = validExcept(cidr.interval, text);
    if (!interval) return;
    // Of identical excepts, only the last is reported.
    const repeatedLater = block.except.slice(i + 1).some((later) => {
      const iv = validExcept(cidr.interval, later);
      return iv !== undefined && iv.lo === interval.lo && iv.hi === interval.hi;
    });
    if (repeatedLater) return;
    const without = { ...block, except: block.except.filter((_, j) => j !== i) };
    if (ruleAddresses(rule, { peer, block: without }) !== full) return;
    report({
      uri: policy.uri,
      range: block.exceptRanges[i],
      message: `${rulePath(rule, peer)}: except ${text} removes nothing: ${noOpReason(block, i, interval)}.`,
      data: { except: text, index: i },
    });
  });
};

/** The rule's ports allow HTTP (TCP 80) to an external address. */
function allowsHttp(rule: RuleModel): boolean {
  if (!rule.ports || rule.ports.length === 0) return true;
  return rule.ports.some((p) => {
    if (p.protocol !== 'TCP' || typeof p.port === 'string') return false;
    if (p.port === undefined) return true;
    return ConnectionSet.of('TCP', p.port, p.endPort ?? p.port).contains('TCP', 80);
  });
}

const checkMetadata: BlockCheck = ({ report }, policy, rule, peer) => {
  if (rule.direction !== 'egress' || !allowsHttp(rule)) return;
  const address = parseIpv4Address(METADATA_ADDRESS)!;
  if (!ipBlockIntervals(peer.ipBlock).some((iv) => iv.lo <= address && address <= iv.hi)) return;
  report({
    uri: policy.uri,
    range: peer.ipBlock.cidrRange,
    message: `${rulePath(rule, peer)}: egress to ${peer.ipBlock.cidr} includes the cloud metadata service ${METADATA_ADDRESS}, which hands out node credentials on most clouds. Add ${METADATA_ADDRESS}/32 to except unless the pods need it.`,
    data: { except: `${METADATA_ADDRESS}/32` },
  });
};

const POLICY = (peers: string, name = 'egress') => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: ${name}
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress:
    - to:
${peers}`;

export const IPBLOCK_RULES: DiagnosticRule[] = [
  {
    code: 'netpol.ipblock-overlaps-pods',
    defaultSeverity: 'warning',
    title: 'An ipBlock that includes pod addresses',
    description:
      'Reported only when the pod network is configured (`netpolLens.podCIDRs`, CLI `--pod-cidr`). Kubernetes leaves undefined whether an ipBlock matches traffic to or from pods, and most network plugins apply ipBlocks to cluster-external addresses only, so an ipBlock is a poor way to allow (or except) pods. Use pod and namespace selectors for pods.',
    exampleOptions: { podCIDRs: ['10.0.0.0/8'] },
    bad: `# with netpolLens.podCIDRs: ["10.0.0.0/8"]\n${POLICY('        - ipBlock:\n            cidr: 0.0.0.0/0\n')}`,
    good: POLICY(
      '        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 10.0.0.0/8\n',
    ),
    scope: 'policy',
    check: (context) => eachBlock(context, checkPodOverlap),
  },
  {
    code: 'netpol.except-no-op',
    defaultSeverity: 'warning',
    title: 'An except that removes nothing',
    description:
      'An `except` entry that repeats another, lies inside another except of the same block, or removes addresses that another peer of the same rule allows again changes nothing, and suggests the rule does not do what it says. (An except outside its cidr is rejected by the API server: `netpol.invalid-except`.)',
    bad: POLICY(
      '        - ipBlock:\n            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16\n              - 10.1.2.0/24\n',
    ),
    good: POLICY(
      '        - ipBlock:\n            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16\n',
    ),
    scope: 'policy',
    check: (context) => eachBlock(context, checkExceptNoOp),
  },
  {
    code: 'netpol.metadata-exposed',
    defaultSeverity: 'warning',
    title: 'Egress open to the cloud metadata address',
    description:
      "An egress ipBlock such as `0.0.0.0/0` that contains 169.254.169.254 (with ports that allow HTTP) lets the pods query the cloud metadata service, which on most clouds hands out the node's credentials. Add `169.254.169.254/32` to `except` unless the pods need it.",
    bad: POLICY('        - ipBlock:\n            cidr: 0.0.0.0/0\n'),
    good: POLICY(
      '        - ipBlock:\n            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n',
    ),
    scope: 'policy',
    check: (context) => eachBlock(context, checkMetadata),
  },
];
