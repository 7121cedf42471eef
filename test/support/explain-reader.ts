// Reads NetworkPolicy explanations as a person does (the `explain` text, or the hover of a policy) and
// decides a claim from that text alone, with the Kubernetes rules: a pod is isolated for a direction
// when a policy for that direction selects it, and then a connection needs a rule that matches the
// other end on the port. No engine code is used here, so an explanation that names the wrong
// workloads, ports or addresses decides a claim differently from what claims.yaml writes down.
import ipaddr from 'ipaddr.js';
import type { Claim } from './claims';

type Direction = 'ingress' | 'egress';
const PROTOCOLS = ['TCP', 'UDP', 'SCTP'] as const;

/** Ports as the text states them: per protocol, inclusive ranges. */
export type Ports = { protocol: string; from: number; to: number }[];
const ALL_PORTS: Ports = PROTOCOLS.map((protocol) => ({ protocol, from: 1, to: 65535 }));

export interface ReadRule {
  /** 'everywhere', or the peers as written (joined by "; or "). */
  peers: string;
  /** The workload ids the text says the rule's pod peers match. */
  matches: string[];
  ports: Ports;
  line: string;
}

export interface ReadPolicy {
  /** `namespace/name` from the title line. */
  name: string;
  /** The workload ids of the "Selects …: …" line. */
  selects: string[];
  /** Per direction: undefined when the policy does not affect it; else its rules ([] = deny all). */
  rules: Record<Direction, ReadRule[] | undefined>;
}

/** `ns/name[Kind]` ids in a workload list ("a[Pod], b[Deployment] and the assumed cluster DNS c[…]"). */
function workloadIds(list: string): string[] {
  if (/, and \d+ more$/.test(list)) throw new Error(`a shortened workload list cannot be read: ${list}`);
  return [...list.matchAll(/[a-z0-9][a-z0-9.-]*\/[a-z0-9][a-z0-9.-]*\[[A-Za-z]+\]/g)].map((m) => m[0]);
}

function readPorts(text: string): Ports {
  if (text === 'on all ports and protocols') return ALL_PORTS;
  return text
    .replace(/^on /, '')
    .split(', ')
    .map((item) => {
      const all = /^all (TCP|UDP|SCTP) ports$/.exec(item);
      if (all) return { protocol: all[1], from: 1, to: 65535 };
      const range = /^(TCP|UDP|SCTP) (\d+)(?:-(\d+))?$/.exec(item);
      if (!range) throw new Error(`ports the reader does not know how to read: "${item}" in "${text}"`);
      return { protocol: range[1], from: Number(range[2]), to: Number(range[3] ?? range[2]) };
    });
}

const RULE = /^- spec\.(ingress|egress)\[\d+\]: (?:from|to) (.+?), (on .+?)(?: \(matches (.+)\))?$/;

function readRule(line: string): { direction: Direction; rule: ReadRule } | undefined {
  const m = RULE.exec(line);
  if (!m) return undefined;
  const peers = m[2].startsWith('everywhere') ? 'everywhere' : m[2];
  return {
    direction: m[1] as Direction,
    rule: { peers, matches: m[4] ? workloadIds(m[4]) : [], ports: readPorts(m[3]), line },
  };
}

/**
 * The policies of an explanation text: blocks that start with "NetworkPolicy ns/name". Lines are read
 * trimmed, blank ones skipped, so the CLI's indented text and a hover's paragraphs read alike.
 */
export function readExplanations(text: string): ReadPolicy[] {
  const policies: ReadPolicy[] = [];
  let current: ReadPolicy | undefined;
  for (const line of text.split('\n').map((l) => l.trim())) {
    const title = /^NetworkPolicy (\S+\/\S+)$/.exec(line);
    if (title) {
      current = { name: title[1], selects: [], rules: { ingress: undefined, egress: undefined } };
      policies.push(current);
      continue;
    }
    if (!current) continue;
    const selects = /^Selects .*: (.+)\.$/.exec(line);
    if (selects)
      current.selects = selects[1] === 'no workload in the workspace' ? [] : workloadIds(selects[1]);
    const side = /^(Ingress|Egress): (.*)$/.exec(line);
    if (side) {
      const direction = side[1].toLowerCase() as Direction;
      current.rules[direction] = side[2].startsWith('not affected by this policy') ? undefined : [];
    }
    const rule = readRule(line);
    if (rule) {
      const rules = current.rules[rule.direction];
      if (!rules)
        throw new Error(`${current.name}: a ${rule.direction} rule under no "${rule.direction}:" line`);
      rules.push(rule.rule);
    }
  }
  return policies;
}

const isAddress = (spec: string) => ipaddr.IPv4.isValidFourPartDecimal(spec);

/** Whether a workload id of the text is the claim's end (`ns/name`, or `ns/name[Kind]`). */
function isEnd(id: string, spec: string): boolean {
  return spec.includes('[') ? id === spec : id.startsWith(`${spec}[`);
}

/** Whether an "addresses 10.0.0.0/8 except 10.1.0.0/16, …" peer holds the address. */
function blockHolds(peer: string, address: string): boolean {
  const m = /^addresses (\S+)(?: except (.+))?$/.exec(peer);
  if (!m) return false;
  const ip = ipaddr.parse(address);
  const inside = (cidr: string) => ip.match(ipaddr.parseCIDR(cidr));
  return inside(m[1]) && !(m[2]?.split(', ') ?? []).some(inside);
}

/** Whether the rule matches the far end: everywhere, an ipBlock holding the address, or a listed pod. */
function ruleMatches(rule: ReadRule, far: string): boolean {
  if (rule.peers === 'everywhere') return true;
  if (isAddress(far)) return rule.peers.split('; or ').some((peer) => blockHolds(peer, far));
  return rule.matches.some((id) => isEnd(id, far));
}

/** The ports one end allows towards/from the far end on one direction, as the policies' text says. */
function sidePorts(policies: ReadPolicy[], end: string, far: string, direction: Direction): Ports {
  // NetworkPolicies select pods only: an address is isolated by none of them.
  if (isAddress(end)) return ALL_PORTS;
  const isolating = policies.filter((p) => p.rules[direction] && p.selects.some((id) => isEnd(id, end)));
  if (isolating.length === 0) return ALL_PORTS;
  return isolating.flatMap((p) =>
    p.rules[direction]!.filter((r) => ruleMatches(r, far)).flatMap((r) => r.ports),
  );
}

function overlap(a: Ports, b: Ports): Ports {
  return a.flatMap((x) =>
    b
      .filter((y) => y.protocol === x.protocol && y.from <= x.to && x.from <= y.to)
      .map((y) => ({ protocol: x.protocol, from: Math.max(x.from, y.from), to: Math.min(x.to, y.to) })),
  );
}

/**
 * Whether the explanations allow the claim's connection: on its port, or on some port when it has none
 * (the source's egress and the destination's ingress must both allow it).
 */
export function explainedVerdict(
  policies: ReadPolicy[],
  claim: Pick<Claim, 'from' | 'to' | 'port'>,
): boolean {
  const both = overlap(
    sidePorts(policies, claim.from, claim.to, 'egress'),
    sidePorts(policies, claim.to, claim.from, 'ingress'),
  );
  return portsAllow(both, claim.port);
}

/** An address as a hover prints it (`1.2.3.4`, `1.2.3.4/32`, `1.2.3.0-1.2.3.9`) holds `address`. */
function rangeHolds(written: string, address: string): boolean {
  const value = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const at = value(address);
  if (written.includes('/')) return ipaddr.parse(address).match(ipaddr.parseCIDR(written));
  const [lo, hi = lo] = written.split('-');
  return value(lo) <= at && at <= value(hi);
}

/** "TCP 80,443-445,UDP 53" or "all connections", as the workload hover prints a connection set. */
function readConnections(text: string): Ports {
  if (text === 'all connections') return ALL_PORTS;
  const ports: Ports = [];
  let protocol = '';
  for (const token of text.split(',')) {
    const named = /^(TCP|UDP|SCTP) (.+)$/.exec(token);
    if (named) protocol = named[1];
    const range = /^(\d+)(?:-(\d+))?$/.exec(named ? named[2] : token);
    if (!protocol || !range) throw new Error(`connections the reader does not know how to read: "${text}"`);
    ports.push({ protocol, from: Number(range[1]), to: Number(range[2] ?? range[1]) });
  }
  return ports;
}

const ADDRESS_TEXT = /\b\d+\.\d+\.\d+\.\d+(?:-\d+\.\d+\.\d+\.\d+|\/\d+)?\b/g;

/**
 * What a workload hover's "Reachable from …" or "May reach …" line says about the far end of a claim:
 * the connections it lists for it, none when the line is complete and does not name it, undefined when
 * the line is shortened ("and 2 more") and does not name it, or there is no such line.
 */
export function hoverReach(
  hover: string,
  verb: 'Reachable from' | 'May reach',
  far: string,
): Ports | undefined {
  const line = hover.split('\n').find((l) => l.startsWith(`${verb} `));
  if (line === undefined) return undefined;
  const body = line.slice(verb.length + 1).replace(/\.$/, '');
  if (body === 'nothing') return [];
  if (body === 'every pod and address on all connections') return ALL_PORTS;
  let shortened = false;
  for (const group of body.split('; ')) {
    if (/^and \d+ more$/.test(group)) {
      shortened = true;
      continue;
    }
    const on = group.lastIndexOf(' on ');
    if (on < 0) throw new Error(`a reach group the reader does not know how to read: "${group}"`);
    const peers = group.slice(0, on);
    const named = isAddress(far)
      ? [...peers.matchAll(ADDRESS_TEXT)].some((m) => rangeHolds(m[0], far))
      : workloadIds(peers).some((id) => isEnd(id, far));
    if (named) return readConnections(group.slice(on + 4));
  }
  return shortened ? undefined : [];
}

/** Whether the ports hold the claim's port (some port when it has none). */
export function portsAllow(ports: Ports, port: string | undefined): boolean {
  if (port === undefined) return ports.length > 0;
  const [number, protocol] = port.split('/');
  return ports.some((p) => p.protocol === protocol && p.from <= Number(number) && Number(number) <= p.to);
}
