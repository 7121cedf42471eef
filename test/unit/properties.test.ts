// Property-based tests of the analysis core (fast-check):
//   1. hostile input never makes the analysis, the txt/json outputs or the explanations throw or hang;
//   2. every problem is located inside its file, with consistent line/character and a netpol.* code;
//   3. the reachability answer does not depend on how the manifests are spread over files and documents;
//   4. a semantic oracle: per pod pair, per (protocol, port), the engine agrees with a small reference
//      implementation written directly from the Kubernetes NetworkPolicy semantics (no classes, no interning);
//   5. the connectivity diff: `diff A A` is empty however A is laid out, `diff B A` mirrors `diff A B`, and
//      every row (and every address between rows) agrees with asking both analyses directly.
//
// Runs are deterministic (fixed seed); on failure fast-check prints the seed and the counterexample path.
// FC_SEED=<n> picks another seed and FC_SCALE=<k> multiplies every numRuns for a longer fuzzing session.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { mirrorDiffLine } from '../support/diff-fixtures';
import {
  analyzeFiles,
  diffConnectivity,
  diffLine,
  explainPolicy,
  formatReachability,
  type Analysis,
  type AnalysisOptions,
  type DiffRow,
  type PodPeer,
  type Problem,
  type Protocol,
  type SourceFile,
} from '../../server/src/core/index';

const SEED = process.env.FC_SEED !== undefined ? Number(process.env.FC_SEED) : 0x6e70;
const SCALE = Number(process.env.FC_SCALE ?? 1);
/**
 * One analysis of small generated input takes a few ms. A run slower than this is held against a
 * calibration measured at that moment (a fixture workspace of about the same size), so that a loaded
 * machine cannot fail the test while runaway work (an expansion, a quadratic pass) still does.
 */
const SLOW_MS = 1000;
/** How many times the calibration workspace's analysis time a generated input may take. */
const SLOW_RATIO = 50;

/** The three-tier tutorial repeated to `chars` characters: an ordinary workspace of the given size. */
function calibrationFiles(chars: number): SourceFile[] {
  const dir = join(__dirname, '../../test-fixtures/three-tier');
  const texts = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') && name !== 'claims.yaml')
    .map((name) => readFileSync(join(dir, name), 'utf8'));
  const files: SourceFile[] = [];
  for (let size = 0, i = 0; size < chars; i++) {
    const text = texts[i % texts.length]!;
    files.push({ uri: `file:///calibration/${i}.yaml`, text });
    size += text.length;
  }
  return files;
}

/** Milliseconds an ordinary workspace of `chars` characters takes through `analyzeEverything`'s work. */
function calibrationMs(chars: number): number {
  const files = calibrationFiles(Math.max(chars, 2000));
  const started = performance.now();
  const analysis = analyzeFiles(files);
  formatReachability(analysis, 'txt');
  for (const policy of analysis.model.policies) explainPolicy(policy, analysis.reachability);
  return performance.now() - started;
}

/** Fails when `elapsed` ms is slow both absolutely and relative to an ordinary workspace of `chars` chars. */
function assertNotRunaway(elapsed: number, chars: number, what: string, floorMs = SLOW_MS): void {
  if (elapsed < floorMs) return;
  const calibration = calibrationMs(chars);
  assert.ok(
    elapsed < SLOW_RATIO * calibration,
    `${what} took ${elapsed.toFixed(0)} ms, ${(elapsed / calibration).toFixed(1)}x an ordinary workspace of that size (${calibration.toFixed(0)} ms)`,
  );
}

function runs(numRuns: number): fc.Parameters<unknown> {
  return {
    seed: SEED,
    numRuns: Math.max(1, Math.round(numRuns * SCALE)),
    // Bounds shrinking of big counterexamples (the runs themselves take a few seconds); the partly shrunk
    // counterexample and the seed are still reported.
    interruptAfterTimeLimit: 20_000 * SCALE,
  };
}

// ---------------------------------------------------------------------------------------------
// Shared checks

/** Lines end at \n, \r\n and a lone \r (as editors count them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) starts.push(i + 1);
  }
  return starts;
}

/** Line and UTF-16 character of an offset. */
function positionAt(starts: number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo, character: offset - starts[lo] };
}

const SEVERITIES = new Set(['error', 'warning', 'information', 'hint']);

/** Checks that every problem is well-formed and inside its file, with line/character matching the offset. */
function assertProblemsLocated(files: readonly SourceFile[], problems: readonly Problem[]): void {
  const texts = new Map(files.map((f) => [f.uri, f.text]));
  const starts = new Map<string, number[]>();
  for (const problem of problems) {
    const where = `${problem.code} "${problem.message}" at ${JSON.stringify(problem.range)}`;
    const text = texts.get(problem.uri);
    assert.ok(text !== undefined, `problem for an unknown uri ${problem.uri}: ${where}`);
    assert.match(problem.code, /^netpol\.[a-z0-9-]+$/, where);
    assert.ok(problem.message.trim().length > 0, `empty message: ${where}`);
    assert.ok(SEVERITIES.has(problem.severity), `bad severity: ${where}`);
    const { start, end } = problem.range;
    assert.ok(
      Number.isInteger(start.offset) && Number.isInteger(end.offset),
      `non-integer offsets: ${where}`,
    );
    assert.ok(
      0 <= start.offset && start.offset <= end.offset && end.offset <= text.length,
      `range outside the text: ${where}`,
    );
    if (!starts.has(problem.uri)) starts.set(problem.uri, lineStarts(text));
    for (const position of [start, end]) {
      assert.deepEqual(
        { line: position.line, character: position.character },
        positionAt(starts.get(problem.uri)!, position.offset),
        `line/character do not match the offset: ${where}`,
      );
    }
  }
}

/** Everything a user can trigger on a workspace: analysis, txt and json output, every explanation. */
function analyzeEverything(files: readonly SourceFile[], options: Partial<AnalysisOptions> = {}): Analysis {
  const started = performance.now();
  const analysis = analyzeFiles(files, options);
  assert.equal(typeof formatReachability(analysis, 'txt'), 'string');
  JSON.parse(formatReachability(analysis, 'json'));
  for (const policy of analysis.model.policies) {
    const explanation = explainPolicy(policy, analysis.reachability);
    assert.ok(explanation.lines.length > 0);
  }
  assertProblemsLocated(files, analysis.problems);
  const elapsed = performance.now() - started;
  const chars = files.reduce((n, f) => n + f.text.length, 0);
  assertNotRunaway(elapsed, chars, `analysis of ${chars} chars`);
  return analysis;
}

/** Small deterministic PRNG for shuffles and partitions derived from a generated integer. */
function prng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n) => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n);
  };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const random = prng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = random(i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Generated workspaces: valid manifests with deliberately overlapping labels

const NAMESPACES = ['alpha', 'beta', 'gamma', 'default'] as const;
/** Pod labels; `env` is also a namespace label, to catch pod and namespace labels being mixed up. */
const POD_LABELS: Record<string, readonly string[]> = {
  app: ['web', 'api', 'db'],
  tier: ['front', 'back'],
  env: ['prod', 'dev'],
};
const NS_LABELS: Record<string, readonly string[]> = { team: ['red', 'blue'], env: ['prod', 'dev'] };
const NS_SELECTOR_LABELS: Record<string, readonly string[]> = {
  ...NS_LABELS,
  'kubernetes.io/metadata.name': NAMESPACES,
};
const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const PORT_NAMES = ['http', 'dns', 'metrics'];
const CONTAINER_PORTS = [53, 80, 443, 8080, 9090];
const SAMPLE_PORTS = [1, 53, 79, 80, 81, 443, 8080, 65535];

type Labels = Record<string, string>;
interface Expression {
  key: string;
  operator: string;
  values?: string[];
}
interface Selector {
  matchLabels?: Labels;
  matchExpressions?: Expression[];
}
interface PeerSpec {
  podSelector?: Selector;
  namespaceSelector?: Selector;
  ipBlock?: { cidr: string; except?: string[] };
}
interface PortSpec {
  protocol?: string;
  port?: number | string;
  endPort?: number;
}
interface RuleSpec {
  from?: PeerSpec[];
  to?: PeerSpec[];
  ports?: PortSpec[];
}
interface PolicySpec {
  podSelector: Selector;
  policyTypes?: string[];
  ingress?: RuleSpec[];
  egress?: RuleSpec[];
}
interface GenNamespace {
  name: string;
  labels: Labels;
}
interface GenContainerPort {
  name?: string;
  containerPort: number;
  protocol?: string;
}
interface GenPod {
  kind: 'Pod' | 'Deployment';
  name: string;
  namespace?: string;
  labels: Labels;
  ports: GenContainerPort[];
}
interface GenPolicy {
  name: string;
  namespace?: string;
  spec: PolicySpec;
}
interface Workspace {
  namespaces: GenNamespace[];
  pods: GenPod[];
  policies: GenPolicy[];
}

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

function labelsArb(pool: Record<string, readonly string[]>): fc.Arbitrary<Labels> {
  const model = Object.fromEntries(
    Object.entries(pool).map(([k, values]) => [k, fc.constantFrom(...values)]),
  );
  return fc.record(model, { requiredKeys: [] }) as fc.Arbitrary<Labels>;
}

function expressionArb(pool: Record<string, readonly string[]>): fc.Arbitrary<Expression> {
  return fc.constantFrom(...Object.keys(pool)).chain((key) =>
    fc.oneof(
      fc.record({
        key: fc.constant(key),
        operator: fc.constantFrom('In', 'NotIn'),
        // Shuffled, and sometimes with a value no object carries.
        values: fc.shuffledSubarray([...pool[key], 'other'], { minLength: 1 }),
      }),
      fc.record({ key: fc.constant(key), operator: fc.constantFrom('Exists', 'DoesNotExist') }),
    ),
  );
}

/** Mostly zero or one label: selectors with many conditions rarely select anything. */
function fewLabelsArb(pool: Record<string, readonly string[]>): fc.Arbitrary<Labels> {
  const single = fc
    .constantFrom(...Object.keys(pool))
    .chain((key) => fc.constantFrom(...pool[key]).map((value) => ({ [key]: value })));
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({}) },
    { weight: 3, arbitrary: single },
    { weight: 1, arbitrary: labelsArb(pool) },
  );
}

function selectorArb(pool: Record<string, readonly string[]>): fc.Arbitrary<Selector> {
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 4,
      arbitrary: fc.record(
        {
          matchLabels: fewLabelsArb(pool),
          matchExpressions: fc.array(expressionArb(pool), { maxLength: 2 }),
        },
        { requiredKeys: [] },
      ),
    },
  );
}

const IP_BLOCKS: readonly { cidr: string; excepts: string[] }[] = [
  { cidr: '10.0.0.0/8', excepts: ['10.1.0.0/16', '10.1.2.0/24', '10.128.0.0/9'] },
  { cidr: '0.0.0.0/0', excepts: ['10.0.0.0/8', '192.168.0.0/16'] },
  { cidr: '192.168.1.0/24', excepts: [] },
  { cidr: '172.16.5.4/32', excepts: [] },
];

const ipBlockArb: fc.Arbitrary<PeerSpec> = fc
  .constantFrom(...IP_BLOCKS)
  .chain(({ cidr, excepts }) =>
    fc.subarray(excepts).map((except) => ({ ipBlock: except.length > 0 ? { cidr, except } : { cidr } })),
  );

const peerArb: fc.Arbitrary<PeerSpec> = fc.oneof(
  fc.record({ podSelector: selectorArb(POD_LABELS) }),
  fc.record({ namespaceSelector: selectorArb(NS_SELECTOR_LABELS) }),
  fc.record({ podSelector: selectorArb(POD_LABELS), namespaceSelector: selectorArb(NS_SELECTOR_LABELS) }),
  ipBlockArb,
);

const protocolArb = fc.constantFrom<string>(...PROTOCOLS);
const portNumberArb = fc.oneof(
  fc.constantFrom(1, 53, 79, 80, 81, 443, 8080, 9090, 65535),
  fc.integer({ min: 1, max: 65535 }),
);

const portSpecArb: fc.Arbitrary<PortSpec> = fc.oneof(
  // `{}` or protocol only: every port of the protocol.
  fc.record({ protocol: protocolArb }, { requiredKeys: [] }),
  fc.record({ protocol: protocolArb, port: portNumberArb }, { requiredKeys: ['port'] }),
  fc
    .tuple(optional(protocolArb), portNumberArb, fc.constantFrom(0, 1, 2, 100, 70000))
    .map(([protocol, port, span]) => ({
      ...(protocol ? { protocol } : {}),
      port,
      endPort: Math.min(65535, port + span),
    })),
  fc.record(
    { protocol: protocolArb, port: fc.constantFrom(...PORT_NAMES, 'nope') },
    { requiredKeys: ['port'] },
  ),
);

function ruleArb(peersKey: 'from' | 'to'): fc.Arbitrary<RuleSpec> {
  return fc
    .record(
      { peers: fc.array(peerArb, { maxLength: 3 }), ports: fc.array(portSpecArb, { maxLength: 3 }) },
      { requiredKeys: [] },
    )
    .map(({ peers, ports }) => ({ ...(peers ? { [peersKey]: peers } : {}), ...(ports ? { ports } : {}) }));
}

/** Skewed towards two namespaces, so that policies and pods meet; undefined is "no metadata.namespace". */
const namespaceChoiceArb = fc.constantFrom<string | undefined>(
  'alpha',
  'alpha',
  'alpha',
  'beta',
  'beta',
  'gamma',
  'default',
  undefined,
);

const policySpecArb: fc.Arbitrary<PolicySpec> = fc.record(
  {
    podSelector: selectorArb(POD_LABELS),
    policyTypes: fc.constantFrom([], ['Ingress'], ['Egress'], ['Ingress', 'Egress'], ['Egress', 'Ingress']),
    ingress: fc.array(ruleArb('from'), { maxLength: 3 }),
    egress: fc.array(ruleArb('to'), { maxLength: 3 }),
  },
  { requiredKeys: ['podSelector'] },
);

const containerPortArb: fc.Arbitrary<GenContainerPort> = fc.record(
  {
    name: fc.constantFrom(...PORT_NAMES),
    containerPort: fc.constantFrom(...CONTAINER_PORTS),
    protocol: protocolArb,
  },
  { requiredKeys: ['containerPort'] },
);

const workspaceArb: fc.Arbitrary<Workspace> = fc
  .record({
    namespaces: fc
      .subarray([...NAMESPACES])
      .chain((names) =>
        fc.tuple(...names.map((name) => labelsArb(NS_LABELS).map((labels) => ({ name, labels })))),
      ),
    pods: fc.array(
      fc.record({
        kind: fc.constantFrom<'Pod' | 'Deployment'>('Pod', 'Pod', 'Deployment'),
        namespace: namespaceChoiceArb,
        labels: labelsArb(POD_LABELS).chain((labels) =>
          fc.constantFrom(...POD_LABELS.app).map((app) => ({ app, ...labels })),
        ),
        // Container port names are unique within a pod, as the API requires.
        ports: fc.uniqueArray(containerPortArb, {
          maxLength: 3,
          selector: (p) => p.name ?? `${p.containerPort}/${p.protocol ?? 'TCP'}`,
        }),
      }),
      { minLength: 2, maxLength: 8 },
    ),
    policies: fc.array(fc.record({ namespace: namespaceChoiceArb, spec: policySpecArb }), {
      minLength: 1,
      maxLength: 6,
    }),
  })
  .map(({ namespaces, pods, policies }) => ({
    namespaces: namespaces as GenNamespace[],
    pods: pods.map((p, i) => ({ ...p, name: `p${i}` })),
    policies: policies.map((p, i) => ({ ...p, name: `np${i}` })),
  }));

type Manifest = Record<string, unknown>;

function metadata(name: string, namespace: string | undefined, labels?: Labels): Manifest {
  return {
    name,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
  };
}

function toManifests(ws: Workspace): Manifest[] {
  const containers = (pod: GenPod) => [
    { name: 'main', image: 'example/app:1', ...(pod.ports.length > 0 ? { ports: pod.ports } : {}) },
  ];
  return [
    ...ws.namespaces.map((ns) => ({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: metadata(ns.name, undefined, ns.labels),
    })),
    ...ws.pods.map((pod) =>
      pod.kind === 'Pod'
        ? {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: metadata(pod.name, pod.namespace, pod.labels),
            spec: { containers: containers(pod) },
          }
        : {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: metadata(pod.name, pod.namespace),
            spec: {
              selector: { matchLabels: pod.labels },
              template: { metadata: { labels: pod.labels }, spec: { containers: containers(pod) } },
            },
          },
    ),
    ...ws.policies.map((p) => ({
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: metadata(p.name, p.namespace),
      spec: p.spec,
    })),
  ];
}

interface Layout {
  /** Number of files to spread the objects over. */
  files: number;
  seed: number;
  /**
   * `list-flow-aliases`: each file as one `kind: List`, in flow style, with YAML aliases for repeated
   * sub-objects; `json`: each file as one JSON `List`; `typed-lists`: per kind one `PodList`,
   * `NetworkPolicyList`, … whose items carry no kind and no apiVersion (older `kubectl get -o json`).
   */
  style: 'stream' | 'list-flow-aliases' | 'json' | 'typed-lists';
}

/** Per kind one `<Kind>List` document whose items leave out kind and apiVersion. */
function typedLists(group: readonly Manifest[]): string {
  const byKind = new Map<string, Manifest[]>();
  for (const m of group) byKind.set(String(m.kind), [...(byKind.get(String(m.kind)) ?? []), m]);
  return [...byKind]
    .map(([kind, items]) =>
      stringify(
        {
          apiVersion: items[0].apiVersion,
          kind: `${kind}List`,
          items: items.map(({ kind: _kind, apiVersion: _apiVersion, ...rest }) => rest),
        },
        { aliasDuplicateObjects: false },
      ),
    )
    .join('---\n');
}

function renderGroup(group: readonly Manifest[], style: Layout['style']): string {
  if (style === 'stream')
    return group.map((m) => stringify(m, { aliasDuplicateObjects: false })).join('---\n');
  if (style === 'json') return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: group }, null, 2);
  if (style === 'typed-lists') return typedLists(group);
  return stringify(shareEqualSubtrees({ apiVersion: 'v1', kind: 'List', items: group }), {
    collectionStyle: 'flow',
  });
}

/** Gives structurally equal sub-objects one identity, so `stringify` writes them as anchors and aliases. */
function shareEqualSubtrees(value: unknown, seen = new Map<string, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  const copy = Array.isArray(value)
    ? value.map((v) => shareEqualSubtrees(v, seen))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shareEqualSubtrees(v, seen)]));
  const key = JSON.stringify(copy);
  if (!seen.has(key)) seen.set(key, copy);
  return seen.get(key);
}

function render(manifests: readonly Manifest[], layout: Layout, uriPrefix = 'file:///ws/'): SourceFile[] {
  const random = prng(layout.seed);
  const groups: Manifest[][] = Array.from({ length: layout.files }, () => []);
  manifests.forEach((m, i) => groups[i < layout.files ? i : random(layout.files)].push(m));
  return groups
    .filter((g) => g.length > 0)
    .map((group, i) => ({
      uri: `${uriPrefix}f${i}.${layout.style === 'json' ? 'json' : 'yaml'}`,
      text: renderGroup(group, layout.style),
    }));
}

/** Shuffles the documents of a `---` stream (documents never contain a line that is exactly `---`). */
function shuffleDocuments(file: SourceFile, seed: number): SourceFile {
  return { uri: file.uri, text: shuffled(file.text.split('---\n'), seed).join('---\n') };
}

const layoutArb: fc.Arbitrary<Layout> = fc.record({
  files: fc.integer({ min: 1, max: 4 }),
  seed: fc.integer(),
  style: fc.constant<'stream'>('stream'),
});

// ---------------------------------------------------------------------------------------------
// The reference implementation: Kubernetes NetworkPolicy semantics, per pod pair, from the manifests

const NAME_LABEL = 'kubernetes.io/metadata.name';
const has = (labels: Labels, key: string) => Object.prototype.hasOwnProperty.call(labels, key);

function refSelects(selector: Selector, labels: Labels): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!has(labels, key) || labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every((e) => {
    const values = e.values ?? [];
    switch (e.operator) {
      case 'In':
        return has(labels, e.key) && values.includes(labels[e.key]);
      case 'NotIn':
        return !has(labels, e.key) || !values.includes(labels[e.key]);
      case 'Exists':
        return has(labels, e.key);
      case 'DoesNotExist':
        return !has(labels, e.key);
      default:
        return false;
    }
  });
}

interface RefPod {
  id: string;
  namespace: string;
  labels: Labels;
  ports: GenContainerPort[];
}

class Reference {
  readonly pods: RefPod[];

  constructor(private readonly ws: Workspace) {
    this.pods = ws.pods.map((p) => {
      const namespace = p.namespace ?? 'default';
      return { id: `${namespace}/${p.name}[${p.kind}]`, namespace, labels: p.labels, ports: p.ports };
    });
  }

  namespaceLabels(name: string): Labels {
    const defined = this.ws.namespaces.find((n) => n.name === name);
    return { ...(defined?.labels ?? {}), [NAME_LABEL]: name };
  }

  /** Effective policyTypes: as written when non-empty, else Ingress, plus Egress when egress rules exist. */
  static affects(spec: PolicySpec, direction: 'ingress' | 'egress'): boolean {
    if (spec.policyTypes && spec.policyTypes.length > 0) {
      return spec.policyTypes.includes(direction === 'ingress' ? 'Ingress' : 'Egress');
    }
    return direction === 'ingress' || (spec.egress ?? []).length > 0;
  }

  /** The policies isolating `pod` for `direction`. */
  isolating(pod: RefPod, direction: 'ingress' | 'egress'): GenPolicy[] {
    return this.ws.policies.filter(
      (p) =>
        (p.namespace ?? 'default') === pod.namespace &&
        refSelects(p.spec.podSelector, pod.labels) &&
        Reference.affects(p.spec, direction),
    );
  }

  peerMatches(policyNamespace: string, peer: PeerSpec, pod: RefPod): boolean {
    if (peer.ipBlock) return false; // ipBlocks are for addresses outside the cluster.
    const namespaceOk = peer.namespaceSelector
      ? refSelects(peer.namespaceSelector, this.namespaceLabels(pod.namespace))
      : pod.namespace === policyNamespace;
    return namespaceOk && (!peer.podSelector || refSelects(peer.podSelector, pod.labels));
  }

  static portMatches(
    ports: PortSpec[] | undefined,
    destination: RefPod,
    protocol: string,
    port: number,
  ): boolean {
    if (!ports || ports.length === 0) return true;
    return ports.some((entry) => {
      if ((entry.protocol ?? 'TCP') !== protocol) return false;
      if (entry.port === undefined) return true;
      if (typeof entry.port === 'number') {
        return entry.endPort !== undefined
          ? entry.port <= port && port <= entry.endPort
          : entry.port === port;
      }
      return destination.ports.some(
        (cp) => cp.name === entry.port && (cp.protocol ?? 'TCP') === protocol && cp.containerPort === port,
      );
    });
  }

  side(
    direction: 'ingress' | 'egress',
    self: RefPod,
    other: RefPod,
    destination: RefPod,
    protocol: string,
    port: number,
  ) {
    const policies = this.isolating(self, direction);
    if (policies.length === 0) return true;
    return policies.some((policy) =>
      (policy.spec[direction] ?? []).some((rule) => {
        const peers = direction === 'ingress' ? rule.from : rule.to;
        const peerOk =
          !peers ||
          peers.length === 0 ||
          peers.some((peer) => this.peerMatches(policy.namespace ?? 'default', peer, other));
        return peerOk && Reference.portMatches(rule.ports, destination, protocol, port);
      }),
    );
  }

  allowed(source: RefPod, destination: RefPod, protocol: string, port: number): boolean {
    return (
      this.side('egress', source, destination, destination, protocol, port) &&
      this.side('ingress', destination, source, destination, protocol, port)
    );
  }
}

/** The ports worth probing: the fixed sample, every container port, and both sides of every written bound. */
function probePorts(ws: Workspace): number[] {
  const ports = new Set<number>([...SAMPLE_PORTS, ...CONTAINER_PORTS]);
  for (const policy of ws.policies) {
    for (const rule of [...(policy.spec.ingress ?? []), ...(policy.spec.egress ?? [])]) {
      for (const entry of rule.ports ?? []) {
        for (const bound of [entry.port, entry.endPort]) {
          if (typeof bound === 'number') [bound - 1, bound, bound + 1].forEach((p) => ports.add(p));
        }
      }
    }
  }
  return [...ports].filter((p) => p >= 1 && p <= 65535).sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// Hostile input: mutations of valid manifests

type Path = (string | number)[];

function allPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length > 40) return out;
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
  }
  return out;
}

function getAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = getAt(root, path.slice(0, -1)) as Record<string | number, unknown>;
  parent[path[path.length - 1]] = value;
  return root;
}

function deepMarker({ depth, list }: { depth: number; list: boolean }): string {
  return `DEEPNEST${depth}${list ? 'L' : 'M'}X`;
}

/** Replaces the deep-nesting markers by `[[[…]]]` or `{k: {k: …}}`, `depth` levels deep. */
function expandDeepMarkers(text: string): string {
  return text.replace(/DEEPNEST(\d+)([LM])X/g, (_, d: string, kind: string) => {
    const depth = Number(d);
    return kind === 'L'
      ? '['.repeat(depth) + ']'.repeat(depth)
      : '{k: '.repeat(depth) + '1' + '}'.repeat(depth);
  });
}

const weirdScalarArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    1e308,
    -1e308,
    -1,
    0,
    -0,
    65536,
    99999999999,
    1.5,
    Number.NaN,
    Infinity,
    -Infinity,
    '',
    ' ',
    null,
    true,
    false,
    'ünïcödé ☃',
    '😀😀😀',
    'e\u0301',
    '\u0000',
    '\u2028',
    'TCP',
    'UDP',
    'SCTP',
    'ICMP',
    'tcp',
    'In',
    'NotIn',
    'Exists',
    'Bogus',
    'Ingress',
    'Egress',
    'http',
    '10.0.0.0/8',
    '10.0.0.1/33',
    '::1/128',
    '2001:db8::/32',
    '0.0.0.0/0',
    '300.1.1.1/8',
    'yes',
    'no',
    '~',
    '0x1F',
    '0o17',
    '1e3',
    '{{ .Values.port }}',
    '*x',
    '&y',
    '- a',
    'a: b',
    '#',
    '"',
    "'",
    '[',
    '{',
    '|',
    '>',
    'kube-system',
    'kubernetes.io/metadata.name',
    '__proto__',
    'constructor',
    'List',
  ),
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.integer(),
  fc.double(),
);

const weirdValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: weirdScalarArb },
  { weight: 1, arbitrary: fc.constantFrom([], {}, [null], [{}], [[]], { '': '' }) },
  { weight: 1, arbitrary: fc.array(weirdScalarArb, { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('port', 'from', 'to', 'key', 'values', 'cidr', 'x', ''),
      weirdScalarArb,
      { maxKeys: 3 },
    ),
  },
  // Deep nesting: a marker, replaced after stringify by compact flow text (stringify would indent each level).
  {
    weight: 1,
    arbitrary: fc.record({ depth: fc.integer({ min: 1, max: 600 }), list: fc.boolean() }).map(deepMarker),
  },
);

type Mutation =
  | { op: 'set'; at: number; value: unknown }
  | { op: 'delete'; at: number }
  | { op: 'share'; at: number; from: number }
  | { op: 'rename'; at: number; key: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant<'set'>('set'), at: fc.nat(), value: weirdValueArb }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant<'delete'>('delete'), at: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant<'share'>('share'), at: fc.nat(), from: fc.nat() }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant<'rename'>('rename'),
      at: fc.nat(),
      key: fc.constantFrom(
        'ingress',
        'egress',
        'from',
        'to',
        'ports',
        'podSelector',
        'namespaceSelector',
        'items',
        'kind',
      ),
    }),
  },
);

function mutate(original: unknown, mutations: readonly Mutation[]): unknown {
  let root: unknown = structuredClone(original);
  for (const m of mutations) {
    const paths = allPaths(root);
    const path = paths[m.at % paths.length];
    if (m.op === 'set') root = setAt(root, path, structuredClone(m.value));
    else if (m.op === 'delete' && path.length > 0) {
      const parent = getAt(root, path.slice(0, -1));
      if (Array.isArray(parent)) parent.splice(path[path.length - 1] as number, 1);
      else delete (parent as Record<string, unknown>)[path[path.length - 1]];
    } else if (m.op === 'share') {
      // The same object twice: `stringify` writes an anchor and an alias. Never into itself (no cycles).
      const from = paths[m.from % paths.length];
      const isPrefix = from.length <= path.length && from.every((k, i) => path[i] === k);
      if (!isPrefix) root = setAt(root, path, getAt(root, from));
    } else if (m.op === 'rename' && path.length > 0) {
      const parent = getAt(root, path.slice(0, -1));
      if (parent !== null && typeof parent === 'object' && !Array.isArray(parent)) {
        const record = parent as Record<string, unknown>;
        const value = record[path[path.length - 1]];
        delete record[path[path.length - 1]];
        record[m.key] = value;
      }
    }
  }
  return root;
}

const CHUNKS = [
  '\t',
  '"',
  "'",
  '[',
  ']',
  '{',
  '}',
  ': ',
  ':',
  '- ',
  '-',
  '&a ',
  '*a',
  '*nope',
  '&a [*a]',
  '{{ .Values.x }}',
  '{{- if .Values.enabled }}\n',
  '{{ end }}',
  '---\n',
  '...\n',
  '\n',
  '\r\n',
  '\r',
  '#',
  '!!str ',
  '!!binary ',
  '!!map ',
  '!custom ',
  '%YAML 1.2\n',
  '%TAG ! tag:x,2000:\n',
  '? ',
  '|',
  '>-',
  '\uFEFF',
  '😀',
  '\u0301',
  ' ',
  '    ',
  'kind: List\n',
  'apiVersion: v1\n',
  '<<: *a\n',
  ',',
  '@',
  '`',
  '%',
  '\\',
  '\0',
];

type RawEdit =
  | { op: 'truncate'; at: number }
  | { op: 'insert'; at: number; chunk: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate-line'; at: number }
  | { op: 'tab-indent'; at: number };

const fraction = fc.double({ min: 0, max: 1, noNaN: true });

const rawEditArb: fc.Arbitrary<RawEdit> = fc.oneof(
  fc.record({ op: fc.constant<'truncate'>('truncate'), at: fraction }),
  fc.record({
    op: fc.constant<'insert'>('insert'),
    at: fraction,
    chunk: fc.oneof(fc.constantFrom(...CHUNKS), fc.string({ unit: 'binary', maxLength: 6 })),
  }),
  fc.record({ op: fc.constant<'delete'>('delete'), at: fraction, length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ op: fc.constant<'duplicate-line'>('duplicate-line'), at: fraction }),
  fc.record({ op: fc.constant<'tab-indent'>('tab-indent'), at: fraction }),
);

function applyRawEdit(text: string, edit: RawEdit): string {
  const at = Math.floor(edit.at * text.length);
  const lineStart = text.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = text.indexOf('\n', at) === -1 ? text.length : text.indexOf('\n', at) + 1;
  switch (edit.op) {
    case 'truncate':
      return text.slice(0, at);
    case 'insert':
      return text.slice(0, at) + edit.chunk + text.slice(at);
    case 'delete':
      return text.slice(0, at) + text.slice(at + edit.length);
    case 'duplicate-line': // Duplicate keys, most of the time.
      return text.slice(0, lineEnd) + text.slice(lineStart, lineEnd) + text.slice(lineEnd);
    case 'tab-indent':
      return (
        text.slice(0, lineStart) + text.slice(lineStart, lineEnd).replace(/^ +/, '\t') + text.slice(lineEnd)
      );
  }
}

/** Valid manifests of every kind the core reads, including Lists and other workload kinds. */
const manifestArb: fc.Arbitrary<Manifest> = fc.oneof(
  workspaceArb.chain((ws) => fc.constantFrom(...toManifests(ws))),
  workspaceArb.map((ws) => ({ apiVersion: 'v1', kind: 'List', items: toManifests(ws) })),
  fc.constantFrom<Manifest>(
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'alpha' },
      spec: {
        selector: { app: 'web' },
        ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cron', namespace: 'beta' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: {
              metadata: { labels: { app: 'job' } },
              spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] },
            },
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'gamma' },
      spec: {
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'c', ports: [{ name: 'pg', containerPort: 5432 }] }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'web-abc',
        namespace: 'alpha',
        labels: { app: 'web' },
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', controller: true }],
      },
      spec: { containers: [{ name: 'c' }] },
    },
    {
      apiVersion: 'v1',
      kind: 'PodList',
      items: [{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }],
    },
    {
      apiVersion: 'extensions/v1beta1',
      kind: 'NetworkPolicy',
      metadata: { name: 'old' },
      spec: { podSelector: {} },
    },
  ),
);

const mutatedDocumentArb: fc.Arbitrary<string> = fc
  .record({
    manifest: manifestArb,
    mutations: fc.array(mutationArb, { maxLength: 4 }),
    flow: fc.boolean(),
    edits: fc.array(rawEditArb, { maxLength: 3 }),
  })
  .map(({ manifest, mutations, flow, edits }) => {
    const text = expandDeepMarkers(
      stringify(mutate(manifest, mutations), { collectionStyle: flow ? 'flow' : 'any' }),
    );
    return edits.reduce(applyRawEdit, text);
  });

const separatorArb = fc.constantFrom('---\n', '---\n', '--- \n', '...\n---\n', '\n---\n# c\n', '---');

const mutatedFilesArb: fc.Arbitrary<SourceFile[]> = fc
  .array(
    fc.tuple(
      fc.array(mutatedDocumentArb, { minLength: 1, maxLength: 4 }),
      fc.array(separatorArb, { minLength: 3, maxLength: 3 }),
    ),
    {
      minLength: 1,
      maxLength: 3,
    },
  )
  .map((files) =>
    files.map(([docs, separators], i) => ({
      uri: `file:///fuzz/m${i}.yaml`,
      text: docs.reduce(
        (text, doc, j) => (j === 0 ? doc : text + separators[j % separators.length] + doc),
        '',
      ),
    })),
  );

// ---------------------------------------------------------------------------------------------
// 1 + 2. Robustness and located problems

test('arbitrary strings never make the analysis throw, and every problem is located', () => {
  const yamlish = fc
    .array(
      fc.oneof(
        fc.constantFrom(
          ...CHUNKS,
          'apiVersion: networking.k8s.io/v1\n',
          'kind: NetworkPolicy\n',
          'metadata:\n',
          'spec:\n',
          '  podSelector: {}\n',
          '  ingress:\n',
          '  - from:\n',
          '    - ipBlock: {cidr: 10.0.0.0/8}\n',
          'name: x\n',
        ),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 30 },
    )
    .map((parts) => parts.join(''));
  fc.assert(
    fc.property(
      fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }), yamlish),
      (text) => {
        // With the Kubernetes hint, YAML errors are reported too; without it the text is ignored quietly.
        analyzeEverything([
          { uri: 'file:///fuzz/raw.yaml', text },
          { uri: 'file:///fuzz/hinted.yaml', text: `apiVersion: v1\nkind: Pod\n${text}` },
        ]);
      },
    ),
    runs(250),
  );
});

test('mutated manifests (wrong types, deep nesting, aliases, templates, broken YAML) never make the analysis throw', () => {
  fc.assert(
    fc.property(mutatedFilesArb, fc.boolean(), (files, inferPods) => {
      analyzeEverything(files, { inferPods, implicitDns: inferPods });
    }),
    runs(130),
  );
});

// Regression: RuleModel.index is the position in the YAML list, while policy.ingress omits the rules that
// are not mappings; the json output once used the one as an index into the other and threw.
test('json output survives a rule that is not a mapping', () => {
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: np, namespace: a}',
    'spec:',
    '  podSelector: {}',
    '  ingress:',
    '    - 42',
    '    - {}',
    '',
  ].join('\n');
  const analysis = analyzeFiles([{ uri: 'file:///np.yaml', text }]);
  assert.doesNotThrow(() => formatReachability(analysis, 'json'));
});

// Regression: positions once came from yaml's LineCounter, which does not register the newlines inside some
// error tokens; every position after such an error was then on the wrong line (here line 3, not 4).
test('positions after a syntax error are on the right line', () => {
  const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p},\n  x\nspec: 1\n';
  const problem = analyzeFiles([{ uri: 'file:///lines.yaml', text }]).problems.find((p) =>
    p.message.startsWith('spec:'),
  );
  assert.ok(problem);
  assert.equal(text.slice(problem.range.start.offset, problem.range.end.offset), '1');
  assert.deepEqual(
    { line: problem.range.start.line, character: problem.range.start.character },
    { line: 4, character: 6 },
  );
});

test('line/character match the offset of every problem, even in broken YAML', () => {
  fc.assert(
    fc.property(mutatedFilesArb, (files) => {
      assertProblemsLocated(files, analyzeFiles(files).problems);
    }),
    runs(50),
  );
});

test('Helm templates are reported once per document and not analysed', () => {
  fc.assert(
    fc.property(workspaceArb, fc.nat(), (ws, pick) => {
      const manifests = toManifests(ws);
      const docs = manifests.map((m) => stringify(m, { aliasDuplicateObjects: false }));
      const target = pick % docs.length;
      const lines = docs[target].split('\n');
      lines.splice(1 + (pick % (lines.length - 1)), 0, '{{- if .Values.enabled }}');
      docs[target] = lines.join('\n') + '{{- end }}\n';
      const file = { uri: 'file:///helm/templates/all.yaml', text: docs.join('---\n') };
      const analysis = analyzeEverything([file]);
      const templates = analysis.problems.filter((p) => p.code === 'netpol.template');
      assert.equal(templates.length, 1);
      assert.equal(templates[0].severity, 'information');
    }),
    runs(30),
  );
});

test('deep nesting (500 levels and more) in every position the reader follows is reported, not a crash', () => {
  const head =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deep, namespace: a}\nspec:\n';
  for (const depth of [500, 5000]) {
    const seq = '['.repeat(depth) + ']'.repeat(depth);
    const map = '{a: '.repeat(depth) + '1' + '}'.repeat(depth);
    const block = Array.from({ length: Math.min(depth, 500) }, (_, i) => `${' '.repeat(2 * i + 4)}- k:`).join(
      '\n',
    );
    for (const value of [seq, map]) {
      for (const at of ['podSelector', 'ingress', 'policyTypes']) {
        analyzeEverything([
          { uri: 'file:///deep.yaml', text: `${head}  podSelector: {}\n  ${at}: ${value}\n` },
        ]);
      }
      analyzeEverything([
        {
          uri: 'file:///deep.yaml',
          text: `${head}  podSelector: {}\n  ingress: [{from: [{podSelector: {matchLabels: ${value}}}]}]\n`,
        },
      ]);
    }
    analyzeEverything([
      { uri: 'file:///deep.yaml', text: `${head}  podSelector: {}\n  ingress:\n${block}\n` },
    ]);
  }
});

/** `&l0 [x, x, …]`, then `&l1 [*l0, *l0, …]`, … : 10^levels leaves when fully expanded. */
function laughs(levels: number, width: number, indent = ''): string {
  const lines = [`${indent}l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i <= levels; i++)
    lines.push(
      `${indent}l${i}: &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  return lines.join('\n');
}

test('billion-laughs documents finish fast wherever the aliases point', () => {
  const cases = [
    // Aliases the core never needs to follow.
    `apiVersion: v1\nkind: Pod\nmetadata:\n  name: lol\n  annotations:\n${laughs(9, 10, '    ')}\n`,
    // A List whose items and an ordinary label map point at the expansion.
    `x:\n${laughs(9, 10, '  ')}\napiVersion: v1\nkind: List\nitems: *l9\n`,
    `x:\n${laughs(9, 10, '  ')}\napiVersion: v1\nkind: Pod\nmetadata: {name: p, labels: *l9}\nspec: {containers: *l9}\n`,
    // Every list the policy reader walks, pointing at the expansion.
    `x:\n${laughs(9, 10, '  ')}\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: lol, namespace: a}\n` +
      `spec:\n  podSelector: {matchExpressions: *l9}\n  policyTypes: *l9\n  ingress: *l9\n  egress: [{to: *l9, ports: *l9}]\n`,
    // Merge keys and self-reference.
    `apiVersion: v1\nkind: Pod\nmetadata: &m {name: p, labels: &l {a: b}, x: *m}\nspec: &s {containers: [{name: c, x: *s}]}\n`,
    `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: self, namespace: a}\nspec: &s {podSelector: {}, ingress: [{from: [*s]}], egress: [{to: [{<<: *s}]}]}\n`,
  ];
  for (const text of cases) {
    const started = performance.now();
    analyzeEverything([{ uri: 'file:///laughs.yaml', text }]);
    assertNotRunaway(performance.now() - started, text.length, 'an alias bomb');
  }
});

// Regression: the reader reads an aliased node again at every alias, and the policy reader follows four
// nested lists (rules → peers → matchExpressions → values), so aliases at each level multiply: this 800-byte
// document expands to 20^4 = 160,000 label values (n^4). The core now bounds what aliases may add to a
// document and reports the document instead of expanding it.
test('alias amplification through the policy structure stays bounded', () => {
  const n = 20;
  const list = (item: string) => `[${Array(n).fill(item).join(', ')}]`;
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: amplify, namespace: a}',
    'x-anchors:',
    `  - &e {key: app, operator: In, values: ${list('v')}}`,
    `  - &p {podSelector: {matchExpressions: ${list('*e')}}}`,
    `  - &r {from: ${list('*p')}, ports: ${list('{port: 80}')}}`,
    'spec:',
    '  podSelector: {}',
    `  ingress: ${list('*r')}`,
    '',
  ].join('\n');
  const started = performance.now();
  const analysis = analyzeFiles([{ uri: 'file:///amplify.yaml', text }]);
  assertNotRunaway(performance.now() - started, text.length, `a ${text.length}-byte document`, 200);
  // Said once, at an alias, rather than expanded.
  const said = analysis.problems.filter((p) => /aliases .* expand/.test(p.message));
  assert.equal(said.length, 1, JSON.stringify(analysis.problems.map((p) => p.message)));
  assert.equal(text[said[0].range.start.offset], '*');
  // Read without its aliases the policy would allow nothing; it is unreadable instead.
  assert.deepEqual(analysis.model.policies, []);
  assert.equal(analysis.model.unreadable.length, 1);
});

test('aliases within the budget are followed', () => {
  const text = [
    'apiVersion: networking.k8s.io/v1',
    'kind: NetworkPolicy',
    'metadata: {name: reuse, namespace: a}',
    'x-anchors:',
    '  - &e {key: app, operator: In, values: [web, api]}',
    '  - &p {podSelector: {matchExpressions: [*e, *e]}}',
    '  - &r {from: [*p, *p, *p], ports: [{port: 80}]}',
    'spec:',
    '  podSelector: {}',
    '  ingress: [*r, *r]',
    '',
  ].join('\n');
  const analysis = analyzeFiles([{ uri: 'file:///reuse.yaml', text }]);
  assert.deepEqual(
    analysis.problems.filter((p) => p.severity !== 'information').map((p) => p.message),
    [],
  );
  const rules = analysis.model.policies[0].ingress;
  assert.deepEqual(
    rules.map((r) => r.peers?.map((peer) => peer.podSelector?.matchExpressions.length)),
    [
      [2, 2, 2],
      [2, 2, 2],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// 3. Order independence

const policyDoc = (name: string, expressions: string) =>
  `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: ${name}, namespace: shop}\n` +
  `spec:\n  podSelector: {matchExpressions: ${expressions}}\n  ingress: [{}]\n`;

// Regression: inferPods keeps one selector per selectorKey (values sorted); the pod was once built from the
// values as written, so which pod was inferred (shop/web or shop/api) depended on which file sorted last.
test('inferred pods do not depend on file order', () => {
  const one = policyDoc('one', '[{key: app, operator: In, values: [web, api]}]');
  const two = policyDoc('two', '[{key: app, operator: In, values: [api, web]}]');
  const pods = (files: SourceFile[]) =>
    analyzeFiles(files)
      .model.workloads.filter((w) => w.inferred)
      .map((w) => w.id);
  assert.deepEqual(
    pods([
      { uri: 'file:///a.yaml', text: one },
      { uri: 'file:///b.yaml', text: two },
    ]),
    pods([
      { uri: 'file:///b.yaml', text: one },
      { uri: 'file:///a.yaml', text: two },
    ]),
  );
});

// Regression: representativeLabels once set `app=true` for Exists, then skipped the In on the same key, so a
// satisfiable selector got no representative pod; with the expressions swapped it got shop/web.
test('a satisfiable selector always gets a representative pod', () => {
  for (const expressions of [
    '[{key: app, operator: Exists}, {key: app, operator: In, values: [web]}]',
    '[{key: app, operator: In, values: [web]}, {key: app, operator: Exists}]',
  ]) {
    const analysis = analyzeFiles([{ uri: 'file:///a.yaml', text: policyDoc('p', expressions) }]);
    assert.deepEqual(
      analysis.model.workloads.filter((w) => w.inferred).map((w) => w.id),
      ['shop/web[Pod]'],
      expressions,
    );
  }
});

test('the connectivity list does not depend on file order, document order, the number of files, YAML vs JSON or Lists', () => {
  fc.assert(
    fc.property(
      workspaceArb,
      layoutArb,
      fc.integer(),
      fc.integer({ min: 1, max: 5 }),
      (ws, layout, seed, regroup) => {
        const manifests = toManifests(ws);
        const files = render(manifests, layout);
        const base = analyzeFiles(files);
        const expected = formatReachability(base, 'txt');
        assert.deepEqual(
          base.problems.filter((p) => p.severity === 'error'),
          [],
          'generated workspaces are valid',
        );

        const reordered = formatReachability(analyzeFiles(shuffled(files, seed)), 'txt');
        assert.equal(reordered, expected, '(a) shuffled files');

        const docsShuffled = formatReachability(
          analyzeFiles(files.map((f, i) => shuffleDocuments(f, seed + i))),
          'txt',
        );
        assert.equal(docsShuffled, expected, '(b) shuffled documents within files');

        const spread = render(
          shuffled(manifests, seed),
          { files: regroup, seed: seed + 1, style: 'stream' },
          'file:///other/',
        );
        assert.equal(formatReachability(analyzeFiles(spread), 'txt'), expected, `(c) ${regroup} file(s)`);

        const lists = render(manifests, { ...layout, style: 'list-flow-aliases' });
        assert.equal(
          formatReachability(analyzeFiles(lists), 'txt'),
          expected,
          '(d) Lists, flow style, YAML aliases',
        );

        const json = render(manifests, { ...layout, style: 'json' });
        assert.equal(formatReachability(analyzeFiles(json), 'txt'), expected, '(e) JSON spelling');

        const typed = render(manifests, { ...layout, style: 'typed-lists' });
        assert.equal(
          formatReachability(analyzeFiles(typed), 'txt'),
          expected,
          '(f) PodList, NetworkPolicyList, … without item kinds',
        );
      },
    ),
    runs(60),
  );
});

// ---------------------------------------------------------------------------------------------
// 4. The semantic oracle

const ORACLE_OPTIONS = { implicitDns: false, inferPods: false };

test('per pod pair and port, the engine agrees with the reference semantics', () => {
  fc.assert(
    fc.property(workspaceArb, layoutArb, (ws, layout) => {
      const analysis = analyzeFiles(render(toManifests(ws), layout), ORACLE_OPTIONS);
      const reach = analysis.reachability;
      const reference = new Reference(ws);
      const ports = probePorts(ws);
      const podPeers = reach.peers.filter((p): p is PodPeer => p.kind === 'pod');
      assert.deepEqual(
        podPeers.map((p) => p.id).sort(),
        reference.pods.map((p) => p.id).sort(),
        'exactly the generated pods',
      );

      const matrix = reach.classMatrix();
      const classCount = reach.classes.length;
      let allowedPodPairs = 0;
      for (const src of reference.pods) {
        const srcPeer = reach.findPeer(src.id)!;
        for (const dst of reference.pods) {
          const dstPeer = reach.findPeer(dst.id)!;
          const result = reach.query(srcPeer, dstPeer);
          const pair = `${src.id} => ${dst.id}`;
          for (const protocol of PROTOCOLS) {
            for (const port of ports) {
              const expected = reference.allowed(src, dst, protocol, port);
              if (result.connections.contains(protocol, port) !== expected) {
                assert.fail(
                  `${pair} on ${protocol}/${port}: engine says ${!expected}, reference says ${expected}; engine: ${result.connections}`,
                );
              }
            }
          }
          assert.equal(
            result.egress.isolated,
            reference.isolating(src, 'egress').length > 0,
            `${pair}: egress isolation`,
          );
          assert.equal(
            result.ingress.isolated,
            reference.isolating(dst, 'ingress').length > 0,
            `${pair}: ingress isolation`,
          );
          // The explanation's rules account for exactly the allowed connections of an isolated side.
          if (result.egress.isolated && result.ingress.isolated) {
            assert.equal(
              result.egress.connections.intersect(result.ingress.connections).toString(),
              result.connections.toString(),
            );
          }
          // The class matrix (what the benchmark measures) holds the same answer.
          const id = matrix[(srcPeer as PodPeer).classIndex * classCount + (dstPeer as PodPeer).classIndex];
          assert.equal(
            reach.connectionSet(id).toString(),
            result.connections.toString(),
            `${pair}: classMatrix`,
          );
          if (src !== dst && !result.connections.isEmpty()) allowedPodPairs++;
          // A port query agrees with the connection set.
          const probe = {
            protocol: PROTOCOLS[ports.length % 3],
            port: ports[allowedPodPairs % ports.length],
          };
          assert.equal(
            reach.query(srcPeer, dstPeer, probe).allowed,
            result.connections.contains(probe.protocol, probe.port),
          );
        }
      }
      const listed = [...reach.allowedPairs()].filter(
        (p) => p.source.kind === 'pod' && p.destination.kind === 'pod',
      );
      assert.equal(listed.length, allowedPodPairs, 'allowedPairs lists every allowed pod pair once');
    }),
    runs(250),
  );
});

test('the oracle generators produce workspaces where selectors actually select', () => {
  // Guards the generators: a property that only ever sees "everything denied" proves little.
  const samples = fc.sample(workspaceArb, { seed: SEED, numRuns: 200 });
  let mixed = 0;
  for (const ws of samples) {
    const reference = new Reference(ws);
    let allowed = 0;
    let denied = 0;
    for (const src of reference.pods) {
      for (const dst of reference.pods) {
        if (reference.allowed(src, dst, 'TCP', 80)) allowed++;
        else denied++;
      }
    }
    if (allowed > 0 && denied > 0) mixed++;
  }
  assert.ok(mixed >= 80, `only ${mixed} of 200 workspaces mix allowed and denied pairs`);
});

// ---------------------------------------------------------------------------------------------
// 5. The connectivity diff

test('diff A A is empty however A is spread over files', () => {
  fc.assert(
    fc.property(workspaceArb, layoutArb, fc.integer({ min: 1, max: 4 }), (ws, layout, regroup) => {
      const manifests = toManifests(ws);
      const a = analyzeFiles(render(manifests, layout));
      const again = analyzeFiles(
        render(shuffled(manifests, layout.seed), { files: regroup, seed: layout.seed + 1, style: 'stream' }),
      );
      assert.deepEqual(diffConnectivity(a.reachability, again.reachability).rows.map(diffLine), []);
    }),
    runs(40),
  );
});

/** Every address where a row could start or end, on either side. */
function probeAddresses(...analyses: Analysis[]): number[] {
  const points = new Set<number>();
  for (const analysis of analyses) {
    for (const atom of [...analysis.reachability.sourceAtoms, ...analysis.reachability.destinationAtoms]) {
      for (const x of [atom.lo, atom.hi]) points.add(x);
    }
  }
  return [...points];
}

function answer(analysis: Analysis, podId: string, address: string, role: 'source' | 'destination'): string {
  const reach = analysis.reachability;
  const pod = reach.peer(podId);
  const external = reach.findPeer(address, role);
  if (!pod || !external) return 'No Connections';
  return (role === 'source' ? reach.connections(external, pod) : reach.connections(pod, external)).toString();
}

/** The rows of a diff agree with both analyses' answers, pair by pair and address by address. */
function assertRowsAgree(a: Analysis, b: Analysis, rows: DiffRow[]): void {
  const pods = [
    ...new Set([a, b].flatMap((x) => x.reachability.peers.filter((p) => p.kind === 'pod').map((p) => p.id))),
  ];
  const podAnswer = (x: Analysis, s: string, d: string) => {
    const [source, destination] = [x.reachability.peer(s), x.reachability.peer(d)];
    return source && destination
      ? x.reachability.connections(source, destination).toString()
      : 'No Connections';
  };
  for (const s of pods) {
    for (const d of pods) {
      if (s === d) continue;
      const [ref1, ref2] = [podAnswer(a, s, d), podAnswer(b, s, d)];
      const row = rows.find((r) => r.source.id === s && r.destination.id === d);
      assert.deepEqual(row && [row.ref1, row.ref2], ref1 === ref2 ? undefined : [ref1, ref2], `${s} => ${d}`);
    }
  }
  for (const role of ['source', 'destination'] as const) {
    const ranged = rows.filter((r) => (role === 'source' ? r.source : r.destination).kind === 'external');
    for (const pod of pods) {
      const mine = ranged
        .filter((r) => (role === 'source' ? r.destination : r.source).id === pod)
        .map((r) => ({
          row: r,
          interval: (role === 'source' ? r.source : r.destination) as {
            interval: { lo: number; hi: number };
          },
        }))
        .sort((x, y) => x.interval.interval.lo - y.interval.interval.lo);
      for (const address of probeAddresses(a, b)) {
        const text = [address >>> 24, (address >>> 16) & 255, (address >>> 8) & 255, address & 255].join('.');
        const [ref1, ref2] = [answer(a, pod, text, role), answer(b, pod, text, role)];
        const row = mine.find(
          (m) => m.interval.interval.lo <= address && address <= m.interval.interval.hi,
        )?.row;
        assert.deepEqual(
          row && [row.ref1, row.ref2],
          ref1 === ref2 ? undefined : [ref1, ref2],
          `${pod} ${role} ${text}`,
        );
      }
      // Merged: two touching rows of one workload and direction never carry the same answers.
      for (let i = 1; i < mine.length; i++) {
        const [prev, next] = [mine[i - 1], mine[i]];
        if (prev.interval.interval.hi + 1 !== next.interval.interval.lo) continue;
        assert.notDeepEqual(
          [prev.row.ref1, prev.row.ref2],
          [next.row.ref1, next.row.ref2],
          `${pod} ${role} merge`,
        );
      }
    }
  }
}

test('diff B A mirrors diff A B, and both agree with asking each side directly', () => {
  fc.assert(
    fc.property(workspaceArb, workspaceArb, layoutArb, (wsA, wsB, layout) => {
      const a = analyzeFiles(render(toManifests(wsA), layout, 'file:///a/'));
      const b = analyzeFiles(render(toManifests(wsB), layout, 'file:///b/'));
      const forward = diffConnectivity(a.reachability, b.reachability).rows;
      const backward = diffConnectivity(b.reachability, a.reachability).rows;
      assert.deepEqual(backward.map(diffLine).map(mirrorDiffLine).sort(), forward.map(diffLine).sort());
      assertRowsAgree(a, b, forward);
    }),
    runs(40),
  );
});
