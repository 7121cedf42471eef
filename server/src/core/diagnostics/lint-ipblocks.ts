// Lints about ipBlocks: overlap with the pod network, excepts that remove nothing, and the cloud
// metadata address left open by a wide egress block.
import { CODES } from '../codes';
import {
  contains,
  ipBlockIntervals,
  mergeIntervals,
  parseCidr,
  parseIpv4Address,
  unionContains,
  type AddressInterval,
} from '../addresses';
import { ConnectionSet } from '../connections';
import type { IpBlockModel, PeerModel, PolicyModel, RuleModel } from '../types';
import { effectiveRules, rulePath } from './lint-util';
import { acceptedIpBlock } from './accepted';
import type { CheckContext, DiagnosticRule } from './rule';

export const METADATA_ADDRESS = '169.254.169.254';

type BlockCheck = (
  context: CheckContext,
  policy: PolicyModel,
  rule: RuleModel,
  peer: PeerModel & { ipBlock: IpBlockModel },
) => void;

function eachBlock(context: CheckContext, check: BlockCheck): void {
  // Indexed loops (see lint-util.ts): this runs for every policy, once per rule of this file.
  const policies = context.analysis.model.policies;
  for (let p = 0; p < policies.length; p++) {
    const policy = policies[p];
    const rules = effectiveRules(policy);
    for (let r = 0; r < rules.length; r++) {
      const rule = rules[r];
      const peers = rule.peers;
      if (!peers) continue;
      for (let i = 0; i < peers.length; i++) {
        const peer = peers[i];
        // An ipBlock the API server rejects has its own error (netpol.invalid-cidr, netpol.invalid-except).
        if (peer.ipBlock && acceptedIpBlock(peer.ipBlock))
          check(context, policy, rule, peer as PeerModel & { ipBlock: IpBlockModel });
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

/** The addresses the ipBlock peers of a rule admit, merged; computed once per rule (not per peer). */
const ruleUnions = new WeakMap<RuleModel, AddressInterval[]>();

function ruleAddresses(rule: RuleModel): AddressInterval[] {
  let union = ruleUnions.get(rule);
  if (!union) {
    union = mergeIntervals((rule.peers ?? []).flatMap((p) => (p.ipBlock ? ipBlockIntervals(p.ipBlock) : [])));
    ruleUnions.set(rule, union);
  }
  return union;
}

/** Excepts the API server accepts: IPv4 and strictly inside the cidr (others are netpol.invalid-except). */
function validExcept(cidr: AddressInterval, text: string): AddressInterval | undefined {
  const parsed = parseCidr(text);
  if (parsed.family !== 'ipv4') return undefined;
  const iv = parsed.interval;
  return contains(cidr, iv) && (iv.lo !== cidr.lo || iv.hi !== cidr.hi) ? iv : undefined;
}

/** `lo/len` of a CIDR interval (a power-of-two aligned range). */
function cidrKey(iv: AddressInterval): string {
  return `${iv.lo}/${Math.round(Math.log2(iv.hi - iv.lo + 1))}`;
}

/** The CIDRs that contain `iv` (its ancestors, at most 32), as keys. */
function ancestorKeys(iv: AddressInterval): string[] {
  const size = Math.log2(iv.hi - iv.lo + 1);
  const keys: string[] = [];
  for (let bits = Math.round(size) + 1; bits <= 32; bits++) {
    const span = 2 ** bits;
    keys.push(`${Math.floor(iv.lo / span) * span}/${bits}`);
  }
  return keys;
}

/** The valid excepts of a block, indexed so each question about one of them costs O(log n). */
interface ExceptIndex {
  intervals: (AddressInterval | undefined)[];
  /** Index of the last except with each CIDR. */
  lastByKey: Map<string, number>;
  /** Index of the first except with each CIDR. */
  firstByKey: Map<string, number>;
  /** Valid excepts sorted by start, then widest first. */
  sorted: { iv: AddressInterval; index: number }[];
}

function indexExcepts(cidr: AddressInterval, block: IpBlockModel): ExceptIndex {
  const intervals = block.except.map((text) => validExcept(cidr, text));
  const lastByKey = new Map<string, number>();
  const firstByKey = new Map<string, number>();
  const sorted: { iv: AddressInterval; index: number }[] = [];
  intervals.forEach((iv, index) => {
    if (!iv) return;
    const key = cidrKey(iv);
    lastByKey.set(key, index);
    if (!firstByKey.has(key)) firstByKey.set(key, index);
    sorted.push({ iv, index });
  });
  sorted.sort((a, b) => a.iv.lo - b.iv.lo || b.iv.hi - a.iv.hi);
  return { intervals, lastByKey, firstByKey, sorted };
}

/** An except (other than `index`) that contains or repeats except `index`. */
function coveringExcept(excepts: ExceptIndex, index: number): number | undefined {
  const iv = excepts.intervals[index]!;
  const same = excepts.firstByKey.get(cidrKey(iv));
  if (same !== undefined && same !== index) return same;
  for (const key of ancestorKeys(iv)) {
    const wider = excepts.firstByKey.get(key);
    if (wider !== undefined) return wider;
  }
  return undefined;
}

/**
 * The addresses only except `index` removes: its range less the excepts nested inside it (CIDRs nest or
 * are disjoint, so those are the sorted entries that start within it).
 */
function removedOnlyBy(excepts: ExceptIndex, index: number): AddressInterval[] {
  const iv = excepts.intervals[index]!;
  const sorted = excepts.sorted;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid].iv.lo < iv.lo) lo = mid + 1;
    else hi = mid;
  }
  const pieces: AddressInterval[] = [];
  let from = iv.lo;
  for (let k = lo; k < sorted.length && sorted[k].iv.lo <= iv.hi; k++) {
    const inner = sorted[k].iv;
    if (sorted[k].index === index) continue;
    if (inner.lo > from) pieces.push({ lo: from, hi: inner.lo - 1 });
    from = Math.max(from, inner.hi + 1);
  }
  if (from <= iv.hi) pieces.push({ lo: from, hi: iv.hi });
  return pieces;
}

function noOpReason(block: IpBlockModel, excepts: ExceptIndex, index: number): string {
  const other = coveringExcept(excepts, index);
  if (other === undefined) return 'another peer of this rule allows the addresses it removes';
  const same = excepts.intervals[other]!;
  const interval = excepts.intervals[index]!;
  return same.lo === interval.lo && same.hi === interval.hi
    ? `it repeats except[${other}]`
    : `it lies inside except[${other}] (${block.except[other]})`;
}

/**
 * Except `index` removes nothing when the addresses only it removes are allowed anyway by the rule's
 * other peers (this peer admits none of them), or when another except covers it. Linear in the excepts
 * and peers of the rule, with a binary search per except.
 */
const checkExceptNoOp: BlockCheck = ({ report }, policy, rule, peer) => {
  const block = peer.ipBlock;
  const cidr = parseCidr(block.cidr);
  if (cidr.family !== 'ipv4' || block.except.length === 0) return;
  const excepts = indexExcepts(cidr.interval, block);
  block.except.forEach((text, i) => {
    const interval = excepts.intervals[i];
    if (!interval) return;
    // Of identical excepts, only the last is reported.
    if (excepts.lastByKey.get(cidrKey(interval)) !== i) return;
    const removed = coveringExcept(excepts, i) !== undefined ? [] : removedOnlyBy(excepts, i);
    const union = ruleAddresses(rule);
    if (!removed.every((piece) => unionContains(union, piece))) return;
    report({
      uri: policy.uri,
      range: block.exceptRanges[i],
      message: `${rulePath(rule, peer)}: except ${text} removes nothing: ${noOpReason(block, excepts, i)}.`,
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
    code: CODES.ipblockOverlapsPods,
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
    code: CODES.exceptNoOp,
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
    code: CODES.metadataExposed,
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
