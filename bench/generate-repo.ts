// Repository-scale workspaces for the benchmark (see issue "speed at repository scale"): GitOps-sized
// folders where most bytes are CRDs and ConfigMaps that no NetworkPolicy analysis reads, and single files
// of many policies. Deterministic, like generate.ts, and built from the same namespace/workload/policy
// generator so the relevant part is the 3,900-document workspace itself.
import { stringify } from 'yaml';
import { generateWorkspace, prng, type GeneratedFile, type SizeSpec, type Workspace } from './generate';

/** 1,800 policies in 100 files, with their Namespaces and no workloads (~800 KB). */
export const POLICIES_ONLY: SizeSpec = { name: 'policies-1800', namespaces: 100, pods: 0, policies: 1_800 };
/** 3,900 documents: 100 Namespaces, 2,000 workloads, 1,800 policies (~1.6 MB). */
export const DOCS_3900: SizeSpec = { name: 'docs-3900', namespaces: 100, pods: 2_000, policies: 1_800 };

const MB = 1024 * 1024;

function words(next: () => number, count: number): string {
  const vocabulary = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india'];
  return Array.from({ length: count }, () => vocabulary[Math.floor(next() * vocabulary.length)]).join(' ');
}

/** An OpenAPI schema of `depth` levels and `width` properties per level, as CRDs carry. */
function openApiSchema(next: () => number, depth: number, width: number): Record<string, unknown> {
  if (depth === 0) {
    const types = ['string', 'integer', 'boolean'];
    return { type: types[Math.floor(next() * types.length)], description: words(next, 12) };
  }
  const properties: Record<string, unknown> = {};
  for (let i = 0; i < width; i++) properties[`field${depth}x${i}`] = openApiSchema(next, depth - 1, width);
  return { type: 'object', description: words(next, 8), properties, required: ['field' + depth + 'x0'] };
}

function crd(next: () => number, i: number): Record<string, unknown> {
  const plural = `widgets${i}`;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.example.com`, labels: { 'app.kubernetes.io/part-of': 'platform' } },
    spec: {
      group: 'example.com',
      names: { kind: `Widget${i}`, listKind: `Widget${i}List`, plural, singular: `widget${i}` },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: openApiSchema(next, 3, 5) },
        },
      ],
    },
  };
}

function configMap(next: () => number, namespace: string, i: number): Record<string, unknown> {
  const data: Record<string, string> = {};
  for (let k = 0; k < 6; k++) {
    const lines = Array.from({ length: 20 }, (_, l) => `key${l} = ${words(next, 6)}`).join('\n');
    data[`config-${k}.properties`] = `${lines}\n`;
  }
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `settings-${i}`, namespace, labels: { app: 'web' } },
    data,
  };
}

/** Files of one kind of noise until `bytes` are written, `perFile` documents a file. */
function noiseFiles(
  prefix: string,
  bytes: number,
  perFile: number,
  make: (i: number) => Record<string, unknown>,
): GeneratedFile[] {
  const files: GeneratedFile[] = [];
  let written = 0;
  for (let i = 0; written < bytes;) {
    const docs: string[] = [];
    for (let d = 0; d < perFile; d++, i++) docs.push(stringify(make(i), { aliasDuplicateObjects: false }));
    const text = docs.join('---\n');
    written += text.length;
    files.push({ uri: `file:///bench/${prefix}-${String(files.length).padStart(4, '0')}.yaml`, text });
  }
  return files;
}

/**
 * The 3,900-document workspace plus ~9.7 MB of CRDs and ~9.4 MB of ConfigMaps, 540 files in all (the
 * GitOps repository of the issue: 21 MB, of which 1.6 MB matter to the analysis).
 */
export function generateRepository(): Workspace {
  const relevant = generateWorkspace(DOCS_3900);
  const next = prng(0x5eed);
  const crds = noiseFiles('crds/crd', 9.7 * MB, 1, (i) => crd(next, i));
  const namespaces = relevant.files.map((f) => /bench\/(.*)\.yaml$/.exec(f.uri)![1]);
  // ConfigMaps spread over the remaining files so the whole folder has 540 files.
  const remaining = Math.max(1, 540 - relevant.files.length - crds.length);
  const configBytes = 9.4 * MB;
  const perFile = Math.max(1, Math.round(configBytes / remaining / 4_900));
  const configs = noiseFiles('config/cm', configBytes, perFile, (i) =>
    configMap(next, namespaces[i % namespaces.length], i),
  );
  const files = [...relevant.files, ...crds, ...configs];
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  const size = { ...DOCS_3900, name: 'repo-21mb' };
  return { size, files, objects: relevant.objects, bytes };
}

/**
 * One file holding a whole workspace of `megabytes` (Namespaces, workloads and policies in the ratio of
 * the 3,900-document workspace), for the linearity figures of large single files.
 */
export function generateSingleFile(megabytes: number): Workspace {
  const scale = megabytes / 1.6;
  const spec: SizeSpec = {
    name: `single-${megabytes}mb`,
    namespaces: Math.max(1, Math.round(100 * scale)),
    pods: Math.round(2_000 * scale),
    policies: Math.round(1_800 * scale),
  };
  const workspace = generateWorkspace(spec);
  const text = workspace.files.map((f) => f.text).join('---\n');
  return { ...workspace, files: [{ uri: `file:///bench/${spec.name}.yaml`, text }] };
}

/**
 * `namespaces` namespaces of three Deployments, each behind a Service that forwards port 80 to the pods'
 * 8080, and a policy per Deployment that names port 80 (every one a `netpol.service-port` warning): the
 * port lints look for the Services in front of each rule's pods, once per namespace's Services.
 */
export function generateServices(namespaces: number): Workspace {
  const apps = ['web', 'api', 'worker'];
  const files = Array.from({ length: namespaces }, (_, n) => {
    const ns = `team-${String(n).padStart(3, '0')}`;
    const objects = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${ns}\n`];
    for (const app of apps) {
      objects.push(
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  selector:\n    matchLabels:\n      app: ${app}\n  template:\n    metadata:\n      labels:\n        app: ${app}\n    spec:\n      containers:\n        - name: ${app}\n          image: nginx\n          ports:\n            - containerPort: 8080\n`,
        `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${app}\n  namespace: ${ns}\nspec:\n  selector:\n    app: ${app}\n  ports:\n    - port: 80\n      targetPort: 8080\n`,
        `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: ${app}-in\n  namespace: ${ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: ${app}\n  ingress:\n    - ports:\n        - port: 80\n`,
      );
    }
    return { uri: `file:///bench/${ns}.yaml`, text: objects.join('---\n') };
  });
  const bytes = files.reduce((n, f) => n + Buffer.byteLength(f.text), 0);
  const size = { name: `services-${namespaces}`, namespaces, pods: 3 * namespaces, policies: 3 * namespaces };
  return { size, files, objects: 10 * namespaces, bytes };
}
