// The fix round-trip invariant, over every fix the service offers on every workspace we have (the
// seed fixtures, test/reading, every rule's `bad` example, the hostile corpus): after applying a fix,
// every edited document still parses with no alias left unresolved, and the connectivity list changes
// only as the fix's title says (a fix that is not about opening access never turns a DENIED pair into
// ALLOWED). Anchors make one text mean something in several places, so the issue's anchored-except case
// is checked by itself too, and a deliberately broken fix must be caught.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseAllDocuments, visit } from 'yaml';
import {
  RULES,
  type AnalysisOptions,
  type Fix,
  type LanguageService,
  type Problem,
  type ReachabilityJson,
  type SourceFile,
  type TextEdit,
} from '../../server/src/core/index';
import { CASES } from '../hostile/corpus';
import { serviceOf } from '../support/fixtures';

interface Workspace {
  name: string;
  files: SourceFile[];
  options?: Partial<AnalysisOptions>;
}

const ALL_ON = Object.fromEntries(
  RULES.map((r) => [r.code, r.defaultSeverity === 'off' ? 'information' : r.defaultSeverity] as const),
);

function serviceFor(files: readonly SourceFile[], options: Partial<AnalysisOptions> = {}): LanguageService {
  return serviceOf(files, { ...options, severity: ALL_ON }, () => undefined);
}

// ---------------------------------------------------------------------------------------------
// The workspaces

function manifestsUnder(dir: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) files.push(...manifestsUnder(path));
    else if (/\.(ya?ml|json)$/.test(entry))
      files.push({ uri: pathToFileURL(resolve(path)).toString(), text: readFileSync(path, 'utf8') });
  }
  return files;
}

/**
 * The workspaces under a folder: a folder that holds manifests itself is one workspace (with its
 * subfolders, as `netpol-lens reach DIR` reads it); one that holds only folders (cluster-policies/e1…,
 * diff/base…) is a collection of workspaces.
 */
function workspacesUnder(dir: string, name: string): Workspace[] {
  const entries = readdirSync(dir).sort();
  if (entries.some((e) => /\.(ya?ml|json)$/.test(e))) return [{ name, files: manifestsUnder(dir) }];
  return entries
    .filter((e) => statSync(join(dir, e)).isDirectory())
    .flatMap((e) => workspacesUnder(join(dir, e), `${name}/${e}`));
}

function allWorkspaces(): Workspace[] {
  const fixtures = workspacesUnder('test-fixtures', 'test-fixtures');
  const reading = workspacesUnder('test/reading', 'reading');
  const examples = RULES.map((rule) => ({
    name: `example ${rule.code}`,
    files: [{ uri: 'file:///example/bad.yaml', text: rule.bad }],
    options: rule.exampleOptions,
  }));
  const hostile = CASES.flatMap((c) =>
    c.kind === 'cli'
      ? [
          {
            name: `hostile ${c.name}`,
            files: Object.entries(c.files)
              .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
              .map(([file, text]) => ({ uri: `file:///hostile/${c.name}/${file}`, text })),
          },
        ]
      : [],
  );
  return [...fixtures, ...reading, ...examples, ...hostile, ...anchorWorkspaces()];
}

const ANCHOR_POLICY = (peer2: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock: {cidr: 10.0.0.0/8, except: &ex [10.1.0.0/24]}
        - ipBlock: ${peer2}
`;

const CLIENT_POD = `apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
`;

/** Issue 10, item 2, and its relatives: an except list shared through an anchor. */
function anchorWorkspaces(): Workspace[] {
  const variants = {
    // The issue's text: peer 2's except lies outside its cidr (invalid-except on the alias).
    'anchor-except-outside': '{cidr: 172.16.0.0/12, except: *ex}',
    // Peer 2 wholly inside the except: the alias removes the whole block (except-no-op or invalid).
    'anchor-except-equal': '{cidr: 10.1.0.0/24, except: *ex}',
    // Peer 2 a wider block, the alias excepting a part of it that peer 1 already excepts.
    'anchor-except-wider': '{cidr: 10.1.0.0/16, except: *ex}',
  };
  const anchored = Object.entries(variants).map(([name, peer2]) => ({
    name,
    files: [
      { uri: 'file:///anchor/pods.yaml', text: CLIENT_POD },
      { uri: 'file:///anchor/pol.yaml', text: ANCHOR_POLICY(peer2) },
    ],
  }));
  // And without anchors: an address without its prefix length ("Change except to …/32").
  const plain = {
    name: 'except-without-prefix',
    files: [
      { uri: 'file:///plain/pods.yaml', text: CLIENT_POD },
      { uri: 'file:///plain/pol.yaml', text: ANCHOR_POLICY('{cidr: 172.16.0.0/12, except: [172.16.4.1]}') },
    ],
  };
  return [...anchored, plain];
}

// ---------------------------------------------------------------------------------------------
// Applying a fix

function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start.offset - a.range.start.offset);
  for (const edit of sorted) {
    text = text.slice(0, edit.range.start.offset) + edit.newText + text.slice(edit.range.end.offset);
  }
  return text;
}

function applyFix(files: readonly SourceFile[], fix: Fix): SourceFile[] {
  const after = files.map((f) => {
    const edits = fix.edits.filter((e) => e.uri === f.uri);
    return edits.length > 0 ? { uri: f.uri, text: applyEdits(f.text, edits) } : f;
  });
  if (fix.createFile) after.push({ uri: fix.createFile.uri, text: fix.createFile.text });
  return after;
}

// ---------------------------------------------------------------------------------------------
// Parsing after a fix: no new YAML error, no alias left without its anchor

function yamlProblems(text: string): string[] {
  return parseAllDocuments(text).flatMap((doc) => {
    const found = doc.errors.map((e) => `${e.code}: ${e.message.split('\n')[0]}`);
    visit(doc, {
      Alias(_, alias) {
        if (!alias.resolve(doc)) found.push(`unresolved alias *${alias.source}`);
      },
    });
    return found;
  });
}

function parseViolations(before: readonly SourceFile[], after: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of after) {
    const old = before.find((f) => f.uri === file.uri);
    if (old?.text === file.text) continue;
    const had = new Set(old ? yamlProblems(old.text) : []);
    for (const p of yamlProblems(file.text)) if (!had.has(p)) violations.push(`${file.uri}: ${p}`);
  }
  return violations;
}

// ---------------------------------------------------------------------------------------------
// Connectivity: who may reach whom, on which ports, as a function over probe endpoints

type Protocol = 'TCP' | 'UDP' | 'SCTP';
type PortRanges = [number, number][];
/** A pod class id (`ns/name[Kind]`) or an IPv4 address (a number). */
type Probe = string | number;

interface Connectivity {
  /** `src→dst` → protocol → allowed port ranges. */
  allowed: Map<string, Partial<Record<Protocol, PortRanges>>>;
  unknown: Set<string>;
}

function ipv4(text: string): number {
  return text.split('.').reduce((n, part) => n * 256 + Number(part), 0);
}

function externalRange(id: string): [number, number] | undefined {
  const m = /^(\d+\.\d+\.\d+\.\d+)-(\d+\.\d+\.\d+\.\d+)\[External\]$/.exec(id);
  return m ? [ipv4(m[1]), ipv4(m[2])] : undefined;
}

/** The probes an id stands for: itself for a pod class, every address probe in its range. */
function probesOf(id: string, addresses: readonly number[]): Probe[] {
  const range = externalRange(id);
  return range ? addresses.filter((a) => range[0] <= a && a <= range[1]) : [id];
}

/** Address probes: both ends of every external range of either side, and the address after each. */
function addressProbes(...documents: ReachabilityJson[]): number[] {
  const probes = new Set<number>();
  for (const json of documents) {
    for (const peer of json.peers) {
      const range = externalRange(peer.id);
      if (!range) continue;
      probes.add(range[0]).add(range[1]);
      if (range[1] < 2 ** 32 - 1) probes.add(range[1] + 1);
    }
  }
  return [...probes].sort((a, b) => a - b);
}

const pairKey = (src: Probe, dst: Probe) => `${String(src)}→${String(dst)}`;

/** How a probe is written in a failure: a pod class id, or an address in dotted form. */
const probeName = (p: Probe) =>
  typeof p === 'number' ? [24, 16, 8, 0].map((s) => (p >>> s) & 255).join('.') : p;

function connectivity(json: ReachabilityJson, addresses: readonly number[]): Connectivity {
  const allowed: Connectivity['allowed'] = new Map();
  for (const c of json.connections) {
    for (const src of probesOf(c.src, addresses)) {
      for (const dst of probesOf(c.dst, addresses)) {
        const key = pairKey(src, dst);
        const ports = allowed.get(key) ?? {};
        for (const [protocol, ranges] of Object.entries(c.connections) as [Protocol, PortRanges][])
          ports[protocol] = [...(ports[protocol] ?? []), ...ranges];
        allowed.set(key, ports);
      }
    }
  }
  const unknown = new Set<string>();
  for (const u of json.unknown ?? [])
    for (const src of probesOf(u.src, addresses))
      for (const dst of probesOf(u.dst, addresses)) unknown.add(pairKey(src, dst));
  return { allowed, unknown };
}

/** The ports in `after` that are not in `before` (inclusive ranges). */
function subtract(after: PortRanges, before: PortRanges): PortRanges {
  let rest = after.map(([lo, hi]) => [lo, hi] as [number, number]);
  for (const [blo, bhi] of before) {
    rest = rest.flatMap(([lo, hi]): PortRanges => {
      if (bhi < lo || blo > hi) return [[lo, hi]];
      const parts: PortRanges = [];
      if (lo < blo) parts.push([lo, blo - 1]);
      if (bhi < hi) parts.push([bhi + 1, hi]);
      return parts;
    });
  }
  return rest;
}

/** One connection a fix opened: a pair (known before) and ports it may now use that it could not. */
interface Opened {
  src: Probe;
  dst: Probe;
  protocol: Protocol;
  ports: PortRanges;
}

interface Change {
  opened: Opened[];
  /** Pairs whose verdict was known before and is unknown after. */
  madeUnknown: string[];
}

function changeOf(before: ReachabilityJson, after: ReachabilityJson): Change {
  const addresses = addressProbes(before, after);
  const was = connectivity(before, addresses);
  const now = connectivity(after, addresses);
  const opened: Opened[] = [];
  for (const [key, ports] of now.allowed) {
    if (was.unknown.has(key)) continue;
    const [src, dst] = key.split('→').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
    for (const [protocol, ranges] of Object.entries(ports) as [Protocol, PortRanges][]) {
      const extra = subtract(ranges, was.allowed.get(key)?.[protocol] ?? []);
      if (extra.length > 0) opened.push({ src, dst, protocol, ports: extra });
    }
  }
  const madeUnknown = [...now.unknown]
    .filter((k) => !was.unknown.has(k))
    .map((k) =>
      k
        .split('→')
        .map((p) => probeName(/^\d+$/.test(p) ? Number(p) : p))
        .join(' → '),
    );
  return { opened, madeUnknown };
}

// ---------------------------------------------------------------------------------------------
// What each fix's title allows it to open

function cidrRange(text: unknown): [number, number] | undefined {
  const m = typeof text === 'string' ? /^(\d+\.\d+\.\d+\.\d+)\/(\d+)$/.exec(text.trim()) : null;
  if (!m) return undefined;
  const size = 2 ** (32 - Number(m[2]));
  const lo = Math.floor(ipv4(m[1]) / size) * size;
  return [lo, lo + size - 1];
}

const within = (probe: Probe, range: [number, number] | undefined) =>
  typeof probe === 'number' && range !== undefined && range[0] <= probe && probe <= range[1];

const onlyPorts = (o: Opened, port: number, protocols: Protocol[]) =>
  protocols.includes(o.protocol) && o.ports.every(([lo, hi]) => lo === port && hi === port);

const inNamespace = (probe: Probe, namespace: unknown) =>
  typeof probe === 'string' && probe.startsWith(`${String(namespace)}/`);

/**
 * Whether the fix's title (and its problem) says it may open this connection. Fixes that add a
 * policy type, a default deny, an except, or join two peers only ever take access away; a rewrite to
 * another kind, or writing the namespace the policy is analysed in, changes nothing.
 */
function titleAllows(fix: Fix, problem: Problem, o: Opened): boolean {
  const title = fix.title;
  if (/^Allow DNS egress|^Also allow .* in this DNS rule/.test(title))
    return onlyPorts(o, 53, ['UDP', 'TCP']);
  const port = /^Use the pods' port (\d+)/.exec(title);
  if (port) return onlyPorts(o, Number(port[1]), ['TCP', 'UDP', 'SCTP']);
  // The policy stops isolating ingress as it implicitly did: what opens is ingress into pods.
  if (title.endsWith('(egress only)')) return typeof o.dst === 'string';
  const label = /^Use kubernetes\.io\/metadata\.name: (.*)$/.exec(title);
  if (label) return inNamespace(o.src, label[1]) || inNamespace(o.dst, label[1]);
  const except = /^Remove except (.*)$/.exec(title);
  if (except && problem.code === 'netpol.invalid-except') {
    // Only addresses of that except that the block's own cidr holds (the except gave them up), or, when the
    // except is not a CIDR (the block admitted nothing), any address of the block.
    const ends = [o.src, o.dst];
    const block = cidrRange(problem.data?.cidr);
    if (cidrRange(except[1]) === undefined) return ends.some((e) => within(e, block));
    return ends.some((e) => within(e, cidrRange(except[1])) && (block === undefined || within(e, block)));
  }
  // An except that is not a CIDR leaves its block admitting nothing: writing it as one opens the block.
  if (/^Change except to /.test(title) && problem.code === 'netpol.invalid-except')
    return [o.src, o.dst].some((e) => within(e, cidrRange(problem.data?.cidr)));
  return false;
}

function describeOpened(o: Opened): string {
  const name = probeName;
  return `${name(o.src)} → ${name(o.dst)} ${o.protocol} ${o.ports.map(([a, b]) => (a === b ? a : `${a}-${b}`)).join(',')}`;
}

/** Everything wrong with applying `fix` (for `problem`) to the workspace; empty when it keeps the invariant. */
function fixViolations(
  ws: Workspace,
  problem: Problem,
  fix: Fix,
  before = serviceFor(ws.files, ws.options),
): string[] {
  const afterFiles = applyFix(ws.files, fix);
  const violations = parseViolations(ws.files, afterFiles);
  const after = serviceFor(afterFiles, ws.options);
  const change = changeOf(before.reachabilityJson(), after.reachabilityJson());
  for (const o of change.opened) {
    if (!titleAllows(fix, problem, o)) violations.push(`opens ${describeOpened(o)}`);
  }
  for (const key of change.madeUnknown.slice(0, 5)) violations.push(`makes ${key} unknown`);
  return violations;
}

/** Every (problem, fix) the service offers on the workspace. */
function offeredFixes(service: LanguageService): { problem: Problem; fix: Fix }[] {
  return service.allDiagnostics().flatMap((problem) =>
    service
      .codeActions(problem.uri, problem.range, [problem.code])
      .filter((action) => action.problem === problem)
      .map(({ fix }) => ({ problem, fix })),
  );
}

// ---------------------------------------------------------------------------------------------

test('every fix offered on every workspace keeps the documents parsing and opens only what its title says', () => {
  let checked = 0;
  const failures: string[] = [];
  const titles = new Set<string>();
  for (const ws of allWorkspaces()) {
    const service = serviceFor(ws.files, ws.options);
    for (const { problem, fix } of offeredFixes(service)) {
      checked++;
      titles.add(fix.title.replace(/ .*/, ''));
      for (const v of fixViolations(ws, problem, fix, service))
        failures.push(`${ws.name}: "${fix.title}" (${problem.code}): ${v}`);
    }
  }
  assert.deepEqual(failures, []);
  // The sweep reaches the fixes of every provider, so the invariant is checked on each kind of edit.
  assert.ok(checked >= 40, `only ${checked} fixes checked`);
  for (const word of ['Allow', 'Add', 'Remove', 'Make', 'Use', 'Change', 'Convert', 'Create', 'Also'])
    assert.ok(titles.has(word), `no "${word} …" fix was checked (${[...titles].join(', ')})`);
});

function anchorCase(name: string): { ws: Workspace; service: LanguageService } {
  const ws = anchorWorkspaces().find((w) => w.name === name)!;
  return { ws, service: serviceFor(ws.files, ws.options) };
}

function canReachAddress(files: readonly SourceFile[], address: string): string {
  const answer = serviceFor(files).canReach('shop/client', address);
  return answer.found ? answer.text.split(':')[0] : `not found: ${answer.spec}`;
}

test('an except shared through an anchor: no fix makes 10.1.0.5 reachable or leaves *ex dangling', () => {
  for (const name of ['anchor-except-outside', 'anchor-except-equal', 'anchor-except-wider']) {
    const { ws, service } = anchorCase(name);
    assert.equal(
      canReachAddress(ws.files, '10.1.0.5'),
      'DENIED',
      `${name}: 10.1.0.5 is excepted to begin with`,
    );
    for (const { problem, fix } of offeredFixes(service)) {
      const after = applyFix(ws.files, fix);
      assert.equal(canReachAddress(after, '10.1.0.5'), 'DENIED', `${name}: "${fix.title}" opened 10.1.0.5`);
      assert.deepEqual(fixViolations(ws, problem, fix, service), [], `${name}: "${fix.title}"`);
    }
  }
  // The issue's case has a problem on the alias (10.1.0.0/24 is not inside 172.16.0.0/12), so there
  // was a "Remove except" to offer; it must not be the one that deletes the anchored node.
  const { service } = anchorCase('anchor-except-outside');
  assert.ok(service.allDiagnostics().some((p) => p.code === 'netpol.invalid-except'));
});

test('the invariant catches a broken fix: removing the anchored except entry, or the anchored list', () => {
  const { ws, service } = anchorCase('anchor-except-outside');
  const problem = service.allDiagnostics().find((p) => p.code === 'netpol.invalid-except')!;
  const text = ws.files[1].text;
  const uri = ws.files[1].uri;
  const at = (s: string) => ({ offset: text.indexOf(s) }) as TextEdit['range']['start'];
  const range = (s: string, e: number) => ({
    start: at(s),
    end: { ...at(s), offset: text.indexOf(s) + e },
  });
  // What the issue saw: the fix deleted the item inside `&ex [...]`, which peer 1 owns.
  const entry = '10.1.0.0/24]';
  const removeEntry: Fix = {
    title: 'Remove except 10.1.0.0/24',
    edits: [{ uri, range: range(entry, entry.length - 1), newText: '' }],
  };
  assert.equal(canReachAddress(applyFix(ws.files, removeEntry), '10.1.0.5'), 'ALLOWED');
  assert.match(
    fixViolations(ws, problem, removeEntry, service).join('\n'),
    /opens shop\/client\[Pod\] → 10\.1\.0\.0/,
  );
  // Deleting the anchored list itself leaves *ex without its anchor.
  const list = ', except: &ex [10.1.0.0/24]';
  const removeList: Fix = {
    title: 'Remove except 10.1.0.0/24',
    edits: [{ uri, range: range(list, list.length), newText: '' }],
  };
  assert.match(fixViolations(ws, problem, removeList, service).join('\n'), /unresolved alias \*ex/);
});
