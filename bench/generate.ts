// Deterministic synthetic workspaces for the benchmark: one YAML file per namespace holding the Namespace,
// its pods (replicas share labels, as real ReplicaSets do) and a realistic mix of NetworkPolicies.
// Everything is drawn from a seeded PRNG, so a size always yields byte-identical files.
import { stringify } from 'yaml';

export interface SizeSpec {
  name: string;
  namespaces: number;
  /** Workloads (Pods, plus a few Deployments that each count as one workload). */
  pods: number;
  policies: number;
}

export const SIZES: readonly SizeSpec[] = [
  { name: 'small', namespaces: 10, pods: 200, policies: 20 },
  { name: 'medium', namespaces: 50, pods: 2_000, policies: 200 },
  { name: 'large', namespaces: 200, pods: 10_000, policies: 1_000 },
];

export interface GeneratedFile {
  uri: string;
  text: string;
}

export interface Workspace {
  size: SizeSpec;
  files: GeneratedFile[];
  /** Kubernetes objects written (Namespaces + workloads + policies), kube-system included. */
  objects: number;
  bytes: number;
}

/** mulberry32: small, fast, good enough for synthetic data, and above all deterministic. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  next(): number;
  int(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  hex(length: number): string;
}

function rng(seed: number): Rng {
  const next = prng(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  return {
    next,
    int,
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    hex: (length) => Array.from({ length }, () => '0123456789abcdef'[int(0, 15)]).join(''),
  };
}

const TEAMS = ['payments', 'search', 'identity', 'platform', 'data', 'growth', 'mobile', 'infra'];
const ENVS = ['prod', 'staging', 'dev'];

interface AppKind {
  app: string;
  tier: 'frontend' | 'backend' | 'data';
  ports: { name: string; containerPort: number; protocol?: string }[];
}

/** Apps drawn per namespace; each gets a few replicas sharing its labels and ports. */
const APPS: readonly AppKind[] = [
  {
    app: 'web',
    tier: 'frontend',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090 },
    ],
  },
  {
    app: 'gateway',
    tier: 'frontend',
    ports: [
      { name: 'https', containerPort: 8443 },
      { name: 'metrics', containerPort: 9090 },
    ],
  },
  {
    app: 'api',
    tier: 'backend',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'grpc', containerPort: 9000 },
    ],
  },
  { app: 'auth', tier: 'backend', ports: [{ name: 'grpc', containerPort: 9000 }] },
  { app: 'worker', tier: 'backend', ports: [{ name: 'metrics', containerPort: 9090 }] },
  {
    app: 'statsd',
    tier: 'backend',
    ports: [
      { name: 'statsd', containerPort: 8125, protocol: 'UDP' },
      { name: 'admin', containerPort: 8126 },
    ],
  },
  { app: 'postgres', tier: 'data', ports: [{ name: 'postgres', containerPort: 5432 }] },
  { app: 'redis', tier: 'data', ports: [{ name: 'redis', containerPort: 6379 }] },
  {
    app: 'kafka',
    tier: 'data',
    ports: [
      { name: 'kafka', containerPort: 9092 },
      { name: 'jmx', containerPort: 5555 },
    ],
  },
  { app: 'prometheus', tier: 'backend', ports: [{ name: 'web', containerPort: 9090 }] },
];

const PRIVATE_RANGES = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];

interface NamespacePlan {
  name: string;
  team: string;
  env: string;
  apps: AppKind[];
}

type Obj = Record<string, unknown>;

function podObject(namespace: string, name: string, labels: Record<string, string>, app: AppKind): Obj {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      containers: [{ name: app.app, image: `registry.example.com/${app.app}:1.4.2`, ports: app.ports }],
    },
  };
}

function deploymentObject(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  app: AppKind,
): Obj {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels: { app: labels.app } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: labels.app, version: labels.version } },
      template: {
        metadata: { labels },
        spec: {
          containers: [{ name: app.app, image: `registry.example.com/${app.app}:2.0.0`, ports: app.ports }],
        },
      },
    },
  };
}

function policy(namespace: string, name: string, spec: Obj): Obj {
  return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name, namespace }, spec };
}

/**
 * The p-th policy of the n-th namespace: a default deny first (ingress only, plus egress in prod), then a
 * mix of the shapes real clusters use, rotated per namespace so small namespaces still get variety.
 */
function policyObject(r: Rng, ns: NamespacePlan, n: number, all: NamespacePlan[], p: number): Obj {
  const app = (k: number) => ns.apps[k % ns.apps.length].app;
  const other = r.pick(all);
  const i = p === 0 ? 0 : 1 + ((p - 1 + n) % 7);
  switch (i) {
    case 0:
      return policy(ns.name, 'default-deny', {
        podSelector: {},
        policyTypes: ns.env === 'prod' ? ['Ingress', 'Egress'] : ['Ingress'],
      });
    case 1:
      return policy(ns.name, 'allow-dns', {
        podSelector: {},
        policyTypes: ['Egress'],
        egress: [
          {
            to: [
              {
                namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
                podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
              },
            ],
            ports: [
              { protocol: 'UDP', port: 53 },
              { protocol: 'TCP', port: 53 },
            ],
          },
        ],
      });
    case 2:
      return policy(ns.name, `${app(1)}-from-${app(0)}`, {
        podSelector: { matchLabels: { app: app(1) } },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: app(0) } } }],
            ports: [{ port: 'http' }, { port: 'grpc' }],
          },
        ],
      });
    case 3:
      return policy(ns.name, `data-from-${other.team}`, {
        podSelector: { matchLabels: { tier: 'data' } },
        ingress: [
          {
            from: [
              {
                namespaceSelector: { matchLabels: { team: other.team, env: ns.env } },
                podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] },
              },
              { podSelector: { matchLabels: { tier: 'backend' } } },
            ],
            ports: [{ port: 'postgres' }, { port: 'redis' }, { protocol: 'TCP', port: 9092 }],
          },
        ],
      });
    case 4: {
      const own = `10.${r.int(0, 255)}.${r.int(0, 255)}.0/24`;
      return policy(ns.name, 'egress-internet', {
        podSelector: { matchExpressions: [{ key: 'app', operator: 'In', values: [app(2), app(3)] }] },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ ipBlock: { cidr: '0.0.0.0/0', except: PRIVATE_RANGES } }],
            ports: [{ protocol: 'TCP', port: 443 }],
          },
          { to: [{ ipBlock: { cidr: own } }], ports: [{ protocol: 'TCP', port: 5432 }] },
        ],
      });
    }
    case 5:
      return policy(ns.name, 'nodeports-from-prod', {
        podSelector: { matchLabels: { tier: 'frontend' } },
        ingress: [
          {
            from: [{ namespaceSelector: { matchLabels: { env: 'prod' } } }],
            ports: [{ protocol: 'TCP', port: 30000, endPort: 32767 }, { port: 'https' }],
          },
          {
            from: [
              { ipBlock: { cidr: `172.${r.int(16, 31)}.0.0/16`, except: [`172.16.${r.int(0, 255)}.0/24`] } },
            ],
          },
        ],
      });
    case 6:
      return policy(ns.name, 'metrics-scrape', {
        podSelector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['postgres', 'redis'] }] },
        ingress: [
          {
            from: [
              {
                namespaceSelector: {
                  matchExpressions: [{ key: 'team', operator: 'In', values: ['platform', 'infra'] }],
                },
                podSelector: { matchLabels: { app: 'prometheus' } },
              },
            ],
            ports: [{ port: 'metrics' }, { protocol: 'UDP', port: 8125 }],
          },
        ],
      });
    default:
      return policy(ns.name, `allow-${app(p)}-egress`, {
        podSelector: { matchLabels: { app: app(p) } },
        policyTypes: ['Egress'],
        egress: [
          {
            to: [{ podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] } }],
            ports: [{ protocol: 'TCP', port: 8000, endPort: 9100 }],
          },
          { to: [{ namespaceSelector: { matchLabels: { team: other.team } } }], ports: [{ port: 'grpc' }] },
        ],
      });
  }
}

function shuffle<T>(r: Rng, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

function documents(objects: Obj[]): string {
  return objects.map((o) => stringify(o, { aliasDuplicateObjects: false })).join('---\n');
}

/** Generates a workspace of the given size; the same size always gives the same files. */
export function generateWorkspace(size: SizeSpec, seed = 20240611): Workspace {
  const r = rng(seed ^ (size.pods * 31 + size.policies));
  const plans: NamespacePlan[] = Array.from({ length: size.namespaces }, (_, i) => {
    const team = TEAMS[i % TEAMS.length];
    const count = r.int(3, 6);
    const apps = shuffle(r, [...APPS]).slice(0, count);
    return { name: `${team}-${String(i).padStart(3, '0')}`, team, env: r.pick(ENVS), apps };
  });

  const files: GeneratedFile[] = [];
  let objects = 0;

  // Cluster DNS, defined so the analysis does not add an implicit one.
  const kubeSystem: Obj[] = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'kube-system' } },
    ...[0, 1].map((i) =>
      podObject(
        'kube-system',
        `coredns-5d78c9869d-${['x7k2p', 'q9m4z'][i]}`,
        { 'k8s-app': 'kube-dns' },
        {
          app: 'coredns',
          tier: 'backend',
          ports: [
            { name: 'dns', containerPort: 53, protocol: 'UDP' },
            { name: 'dns-tcp', containerPort: 53 },
          ],
        },
      ),
    ),
  ];
  files.push({ uri: 'file:///bench/kube-system.yaml', text: documents(kubeSystem) });
  objects += kubeSystem.length;

  // Spread workloads and policies as evenly as possible over the namespaces.
  const share = (total: number, i: number) =>
    Math.floor(total / size.namespaces) + (i < total % size.namespaces ? 1 : 0);
  plans.forEach((ns, i) => {
    const out: Obj[] = [
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: ns.name, labels: { team: ns.team, env: ns.env } },
      },
    ];
    const workloadCount = share(size.pods, i);
    const names = new Set<string>();
    for (let w = 0; w < workloadCount; w++) {
      const app = ns.apps[w % ns.apps.length];
      // Two versions rolling out, so replicas of one app fall into two label sets.
      const version = r.chance(0.8) ? 'v1' : 'v2';
      const hash = `${app.app.length}${version === 'v1' ? 'f7c9d' : 'b41e2'}${ns.name.length}`;
      const labels = { app: app.app, tier: app.tier, version, 'pod-template-hash': hash };
      if (w % 25 === 24) out.push(deploymentObject(ns.name, `${app.app}-${version}-${w}`, labels, app));
      else {
        let name = `${app.app}-${hash}-${r.hex(5)}`;
        while (names.has(name)) name = `${app.app}-${hash}-${r.hex(5)}`;
        names.add(name);
        out.push(podObject(ns.name, name, labels, app));
      }
    }
    const policyCount = share(size.policies, i);
    for (let p = 0; p < policyCount; p++) {
      const obj = policyObject(r, ns, i, plans, p);
      (obj.metadata as Obj).name = `${(obj.metadata as Obj).name}-${p}`;
      out.push(obj);
    }
    objects += out.length;
    files.push({ uri: `file:///bench/${ns.name}.yaml`, text: documents(out) });
  });

  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  return { size, files, objects, bytes };
}
