// Editor features of the core over the fixture workspaces: hover, code lenses, completion, document
// symbols, definition and references. Cursor positions are written as `|` inside a searched text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../server/src/cli/main';
import { RULES, type SourceFile } from '../../server/src/core/index';
import {
  cursor,
  fileOf,
  lineOf,
  loadFixture,
  serviceOf,
  unescapeMarkdown,
  withCursor,
} from '../support/fixtures';

const THREE_TIER = loadFixture('three-tier');
const threeTier = serviceOf(THREE_TIER);

function hoverAt(files: SourceFile[], suffix: string, needle: string, nth = 0, analysis = threeTier) {
  const file = fileOf(files, suffix);
  return analysis.hover(file.uri, cursor(file.text, needle, nth));
}

/** `uri#L<line>,<col>` of the first line of `file` that starts with `start` (1-based, column 1). */
function lineLink(file: SourceFile, start: string): string {
  const at = file.text.indexOf(`\n${start}`) + 1;
  assert.ok(at > 0, `${start} in ${file.uri}`);
  return `${file.uri}#L${lineOf(file.text, at) + 1},1`;
}

// ---------------------------------------------------------------------------------------------
// Hover on the parts of a policy

test('hover on spec.podSelector: what it selects, in words, and the workloads with links', () => {
  const found = hoverAt(THREE_TIER, 'policies/frontend.yaml', '  podSelector: {|}');
  assert.ok(found);
  const text = unescapeMarkdown(found.contents);
  assert.match(text, /^spec\.podSelector · NetworkPolicy frontend\/default-deny-all-frontend/);
  assert.match(text, /This selects all pods in namespace frontend: the pods this policy applies to\./);
  assert.match(text, /It isolates them for ingress and egress\./);
  const deployment = lineLink(fileOf(THREE_TIER, 'frontend.yaml'), 'apiVersion: apps/v1');
  assert.ok(
    found.contents.includes(`- [frontend\\/frontend\\[Deployment\\]](${deployment})`),
    found.contents,
  );
});

test('hover on a namespaceSelector: the namespaces and the workloads in them, each linked', () => {
  const found = hoverAt(
    THREE_TIER,
    'policies/frontend.yaml',
    '- |namespaceSelector:\n            matchLabels:\n              tier: backend',
  );
  assert.ok(found);
  const text = unescapeMarkdown(found.contents);
  assert.match(text, /spec\.egress\[0\]\.to\[0\]\.namespaceSelector/);
  assert.match(text, /This selects namespaces tier=backend\./);
  assert.match(text, /Without a podSelector, the peer is every pod in those namespaces\./);
  const namespaces = fileOf(THREE_TIER, 'namespaces.yaml');
  const backendNs = namespaces.text.indexOf('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: backend');
  assert.ok(
    found.contents.includes(`[backend](${namespaces.uri}#L${lineOf(namespaces.text, backendNs) + 1},1)`),
  );
  assert.ok(found.contents.includes(lineLink(fileOf(THREE_TIER, 'backend.yaml'), 'apiVersion: apps/v1')));
});

test('hover on a peer with both selectors explains the AND; the pod selector alone says where', () => {
  const policy = fileOf(THREE_TIER, 'policies/backend.yaml');
  // The dash of a list item stands for the item: here the peer as a whole.
  const peer = threeTier.hover(
    policy.uri,
    cursor(
      policy.text,
      '        |- namespaceSelector:\n            matchLabels:\n              kubernetes.io',
    ),
  );
  assert.ok(peer);
  const text = unescapeMarkdown(peer.contents);
  assert.match(text, /^spec\.egress\[1\]\.to\[0\] · NetworkPolicy backend\/allow-egress-to-database/);
  assert.match(
    text,
    /This egress peer allows traffic to pods k8s-app=kube-dns in namespace kube-system, on UDP 53\./,
  );
  assert.match(text, /a pod must match both \(AND\)/);
  assert.match(text, /kube-system\/kube-dns\[Deployment\] _\(implicit: assumed cluster DNS\)_/);

  const selector = threeTier.hover(
    policy.uri,
    cursor(policy.text, '          pod|Selector:\n            matchLabels:\n              k8s-app'),
  );
  assert.ok(selector);
  assert.match(
    unescapeMarkdown(selector.contents),
    /This selects pods k8s-app=kube-dns in namespace kube-system\./,
  );
});

test('hover on ipBlock, ports, one port and policyTypes', () => {
  const ipBlock = unescapeMarkdown(hoverAt(THREE_TIER, 'policies/frontend.yaml', '- ip|Block:')!.contents);
  assert.match(
    ipBlock,
    /This ingress peer allows traffic from addresses 0\.0\.0\.0\/0 except 10\.0\.0\.0\/8, on TCP 80\./,
  );
  assert.match(ipBlock, /That is 0\.0\.0\.0-9\.255\.255\.255, 11\.0\.0\.0-255\.255\.255\.255\./);

  const ports = unescapeMarkdown(
    hoverAt(THREE_TIER, 'policies/frontend.yaml', '      po|rts:\n        - protocol: TCP')!.contents,
  );
  assert.match(ports, /^spec\.ingress\[0\]\.ports · /);
  assert.match(ports, /This ingress rule allows traffic on TCP 80\./);

  const port = unescapeMarkdown(
    hoverAt(THREE_TIER, 'policies/frontend.yaml', '          port: |80')!.contents,
  );
  assert.match(port, /This port entry allows TCP 80 \(one of the ports of spec\.ingress\[0\]\)\./);

  const types = unescapeMarkdown(hoverAt(THREE_TIER, 'policies/database.yaml', '  policy|Types:')!.contents);
  assert.match(types, /Policy types: Ingress and Egress\./);
  assert.match(types, /Ingress: isolates the selected pods and allows nothing \(deny all ingress\)\./);
});

test('hover on a named port resolves it against the destination pods', () => {
  const found = hoverAt(THREE_TIER, 'policies/backend.yaml', 'pod|Selector: {}', 2);
  assert.ok(found, 'spec.podSelector of allow-ingress-from-frontend');
  const files = [
    ...THREE_TIER,
    {
      uri: 'file:///extra/named.yaml',
      text: `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: http-only, namespace: backend}
spec:
  podSelector: {}
  ingress:
    - ports:
        - port: http
        - port: metrics
`,
    },
  ];
  const analysis = serviceOf(files);
  const http = unescapeMarkdown(hoverAt(files, 'named.yaml', 'port: ht|tp', 0, analysis)!.contents);
  assert.match(http, /The named port http resolves against the destination pod's container ports\./);
  assert.match(http, /It is TCP 80 on backend\/backend\[Deployment\]\./);
  const metrics = unescapeMarkdown(hoverAt(files, 'named.yaml', 'port: met|rics', 0, analysis)!.contents);
  assert.match(
    metrics,
    /No TCP container port named metrics on backend\/backend\[Deployment\]: nothing there\./,
  );
});

const EXPLAINED = ['three-tier', 'secure-app', 'db-policy', 'default-deny-dns/zero-trust'];

test('hover on the policy name is the text `netpol-lens explain` prints, followed by the linked workloads', async () => {
  for (const folder of EXPLAINED) {
    let printed = '';
    const code = await main(['explain', `test-fixtures/${folder}`], {
      out: (t) => (printed += t),
      err: () => undefined,
    });
    assert.equal(code, 0);
    const blocks = printed.trim().split('\n\n');
    const files = loadFixture(folder);
    const analysis = serviceOf(files);
    const policies = analysis.state().analysis.model.policies;
    assert.equal(blocks.length, policies.length, folder);
    for (const [index, policy] of policies.entries()) {
      const found = analysis.hover(policy.uri, policy.nameRange!.start.offset + 1);
      assert.ok(found, policy.name);
      const [explanation, workloads] = found.contents.split(
        /\n\n(?:Selected workloads \(\d+\):\n\n|Selects no workload in the workspace\.$)/,
      );
      const seen = unescapeMarkdown(explanation)
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => line.replace(/^- /, ''));
      const cli = blocks[index].split('\n').map((line) => line.trim().replace(/^- /, ''));
      assert.deepEqual(seen, cli, `hover of ${policy.name} in ${policy.uri}`);
      if (workloads !== undefined) assert.ok(workloads.startsWith('- '), 'selected workloads are listed');
    }
  }
  // `kind:` stands for the policy too; the rest of metadata does not.
  const backend = fileOf(THREE_TIER, 'policies/backend.yaml');
  assert.match(
    unescapeMarkdown(threeTier.hover(backend.uri, cursor(backend.text, 'kind: Network|Policy'))!.contents),
    /^NetworkPolicy backend\/default-deny-all-backend\n/,
  );
  assert.equal(threeTier.hover(backend.uri, cursor(backend.text, '  name|space: backend')), undefined);
});

// ---------------------------------------------------------------------------------------------
// The other direction: a workload and the policies selecting it

test('hover on a workload: the policies selecting it, isolation, who reaches it and what it reaches', () => {
  const found = hoverAt(THREE_TIER, 'backend.yaml', 'kind: Deploy|ment');
  assert.ok(found);
  const policies = fileOf(THREE_TIER, 'policies/backend.yaml');
  const link = (name: string) =>
    `(${policies.uri}#L${lineOf(policies.text, policies.text.indexOf(`name: ${name}`)) + 1},9)`;
  for (const name of ['default-deny-all-backend', 'allow-egress-to-database', 'allow-ingress-from-frontend'])
    assert.ok(found.contents.includes(link(name)), `${name} is linked`);
  const text = unescapeMarkdown(found.contents);
  assert.match(text, /^backend\/backend\[Deployment\]\n\nSelected by 3 policies:/);
  assert.match(text, /ingress: isolated by \[backend\/default-deny-all-backend\]/);
  assert.match(
    text,
    /egress: isolated by \[backend\/default-deny-all-backend\]\([^)]*\), \[backend\/allow-egress-to-database\]/,
  );
  assert.match(text, /Reachable from \[frontend\/frontend\[Deployment\]\]\([^)]*\) on all connections\./);
  assert.match(
    text,
    /May reach \[database\/database\[Deployment\]\]\([^)]*\) on all connections; kube-system\/kube-dns\[Deployment\] _\(implicit: assumed cluster DNS\)_ on UDP 53\./,
  );
});

test('a single address reads as the address, not as a range from it to itself', () => {
  // db-policy's backup server: ipBlock 192.168.5.10/32.
  const files = loadFixture('db-policy');
  const service = serviceOf(files);
  const block = unescapeMarkdown(hoverAt(files, 'default/db-policy.yaml', 'ip|Block:', 0, service)!.contents);
  assert.match(
    block,
    /allows traffic to addresses 192\.168\.5\.10\/32, on TCP 80\.\n\nThat is 192\.168\.5\.10\./,
  );
  const db = hoverAt(files, 'default/pods.yaml', 'kind: P|od', 2, service)!.contents;
  assert.match(unescapeMarkdown(db), /^default\/db\[Pod\]/);
  assert.match(unescapeMarkdown(db), /May reach 192\.168\.5\.10 on TCP 80\./);
  for (const text of [block, unescapeMarkdown(db)])
    assert.doesNotMatch(text, /192\.168\.5\.10-192\.168\.5\.10/);
});

test('workload kinds: every kind gets a hover and a lens; an unselected one is open', () => {
  const kinds = [
    'Pod',
    'Deployment',
    'StatefulSet',
    'DaemonSet',
    'ReplicaSet',
    'ReplicationController',
    'Job',
    'CronJob',
  ];
  const template = `metadata: {labels: {app: web}}
    spec: {containers: [{name: c, image: x, ports: [{containerPort: 8080}]}]}`;
  const text = kinds
    .map((kind, i) => {
      const apiVersion =
        kind === 'Pod' || kind === 'ReplicationController'
          ? 'v1'
          : kind.endsWith('Job')
            ? 'batch/v1'
            : 'apps/v1';
      const spec =
        kind === 'Pod'
          ? `metadata: {name: w${i}, namespace: shop, labels: {app: web}}\nspec: {containers: [{name: c, image: x}]}`
          : kind === 'CronJob'
            ? `metadata: {name: w${i}, namespace: shop}\nspec:\n  schedule: "* * * * *"\n  jobTemplate:\n    spec:\n      template:\n        ${template.replace('\n    ', '\n        ')}`
            : `metadata: {name: w${i}, namespace: shop}\nspec:\n  selector: {matchLabels: {app: web}}\n  template:\n    ${template}`;
      return `apiVersion: ${apiVersion}\nkind: ${kind}\n${spec}\n`;
    })
    .join('---\n');
  const files = [
    { uri: 'file:///w/workloads.yaml', text },
    {
      uri: 'file:///w/policy.yaml',
      text: 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec: {podSelector: {matchLabels: {app: web}}, ingress: [{ports: [{port: 8080}]}]}\n',
    },
  ];
  const analysis = serviceOf(files);
  const lenses = analysis.codeLenses('file:///w/workloads.yaml');
  assert.deepEqual(
    lenses.map((l) => l.title),
    kinds.map(() => 'selected by 1 policy · ingress: isolated · egress: open'),
  );
  for (const [i, kind] of kinds.entries()) {
    const found = analysis.hover('file:///w/workloads.yaml', cursor(text, `kind: |${kind}\n`));
    assert.ok(found, kind);
    const summary = unescapeMarkdown(found.contents);
    assert.ok(summary.startsWith(`shop/w${i}[${kind}]`), summary);
    assert.match(summary, /ingress: isolated by \[shop\/web\]/);
    assert.match(summary, /egress: open \(no policy selects it for egress\)/);
  }
  const [policyLens] = analysis.codeLenses('file:///w/policy.yaml');
  assert.equal(policyLens.title, 'selects 8 workloads · ingress from anywhere · egress unchanged');
});

// ---------------------------------------------------------------------------------------------
// Code lenses

test('code lens over each policy: selects N workloads · ingress from K workloads · egress to M ipBlocks', () => {
  const titles = (suffix: string) => threeTier.codeLenses(fileOf(THREE_TIER, suffix).uri).map((l) => l.title);
  assert.deepEqual(titles('policies/backend.yaml'), [
    'selects 1 workload · ingress: deny all · egress: deny all',
    // policyTypes omitted: Ingress is implied, with no rule, so it also denies ingress.
    'selects 1 workload · ingress: deny all · egress to 2 workloads',
    'selects 1 workload · ingress from 1 workload · egress unchanged',
  ]);
  assert.deepEqual(titles('policies/frontend.yaml').slice(2), [
    // 0.0.0.0/0 except 10.0.0.0/8 is one ipBlock, though it makes two address ranges.
    'selects 1 workload · ingress from 1 ipBlock · egress unchanged',
  ]);
  assert.deepEqual(titles('backend.yaml'), ['selected by 3 policies · ingress: isolated · egress: isolated']);
  const lens = threeTier.codeLenses(fileOf(THREE_TIER, 'policies/backend.yaml').uri)[0];
  assert.deepEqual(lens.data?.workloads, ['backend/backend[Deployment]']);
  assert.equal(
    lens.range.start.line,
    lineOf(
      fileOf(THREE_TIER, 'policies/backend.yaml').text,
      fileOf(THREE_TIER, 'policies/backend.yaml').text.indexOf('apiVersion'),
    ),
  );
});

// ---------------------------------------------------------------------------------------------
// Completion

function complete(marked: string, files = THREE_TIER) {
  const { text, offset } = withCursor(marked);
  const all = [...files, { uri: 'file:///w/new.yaml', text }];
  return serviceOf(all).completions('file:///w/new.yaml', offset);
}

const POLICY_HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: backend
spec:
`;

test('completion: pod label keys and values from the workloads of the policy namespace', () => {
  const keys = complete(`${POLICY_HEAD}  podSelector:\n    matchLabels:\n      |\n`);
  assert.deepEqual(
    keys.map((i) => [i.label, i.kind, i.insertText]),
    [['app', 'label-key', 'app: ']],
  );
  assert.equal(keys[0].detail, 'label of 1 workload');
  assert.equal(keys[0].documentation, 'backend/backend[Deployment]');
  const values = complete(`${POLICY_HEAD}  podSelector:\n    matchLabels:\n      app: b|\n`);
  assert.deepEqual(
    values.map((i) => i.label),
    ['backend'],
  );
  assert.equal(values[0].range.end.offset - values[0].range.start.offset, 1, 'replaces the typed word');
  // Right after the colon the value comes with its space.
  const flow = complete(`${POLICY_HEAD}  podSelector: {matchLabels: {app:|}}\n`);
  assert.deepEqual(
    flow.map((i) => i.insertText),
    [' backend'],
  );
});

test('completion: namespace labels, including kubernetes.io/metadata.name, in a namespaceSelector', () => {
  const keys = complete(
    `${POLICY_HEAD}  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              |\n`,
  );
  assert.deepEqual(
    keys.map((i) => i.label),
    ['kubernetes.io/metadata.name', 'tier'],
  );
  const names = complete(
    `${POLICY_HEAD}  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              kubernetes.io/metadata.name: |\n`,
  );
  // kube-system is known to the analysis as the home of cluster DNS.
  assert.deepEqual(names.map((i) => i.label).sort(), ['backend', 'database', 'frontend', 'kube-system']);
  const tiers = complete(
    `${POLICY_HEAD}  podSelector: {}\n  ingress:\n    - from:\n        - namespaceSelector:\n            matchLabels:\n              tier: "|"\n`,
  );
  assert.deepEqual(
    tiers.map((i) => i.insertText),
    ['backend', 'database', 'frontend'],
  );
});

test('completion: matchExpressions key, operator and values; values already listed are left out', () => {
  const expression = (rest: string) =>
    complete(
      `${POLICY_HEAD}  podSelector: {}\n  egress:\n    - to:\n        - namespaceSelector:\n            matchExpressions:\n              - ${rest}\n`,
    );
  assert.deepEqual(
    expression('key: |').map((i) => i.label),
    ['kubernetes.io/metadata.name', 'tier'],
  );
  assert.deepEqual(
    expression('key: tier\n                operator: |').map((i) => i.label),
    ['In', 'NotIn', 'Exists', 'DoesNotExist'],
  );
  assert.deepEqual(
    expression('key: tier\n                operator: In\n                values: [frontend, |]').map(
      (i) => i.label,
    ),
    ['backend', 'database'],
  );
  assert.deepEqual(
    expression('|').map((i) => i.label),
    ['key', 'operator', 'values'],
  );
});

test('completion: hard-to-write label values are quoted; field names and enumerations', () => {
  const files: SourceFile[] = [
    {
      uri: 'file:///w/pods.yaml',
      text: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: backend, labels: {enabled: "true", v: "1.0", tier: web}}\nspec: {containers: [{name: c, image: x}]}\n',
    },
  ];
  const values = (key: string) =>
    complete(`${POLICY_HEAD}  podSelector:\n    matchLabels:\n      ${key}: |\n`, files);
  assert.deepEqual(
    values('enabled').map((i) => i.insertText),
    ['"true"'],
  );
  assert.deepEqual(
    values('v').map((i) => i.insertText),
    ['"1.0"'],
  );
  assert.deepEqual(
    values('tier').map((i) => i.insertText),
    ['web'],
  );
  assert.deepEqual(
    complete(`${POLICY_HEAD}  |\n`).map((i) => i.label),
    ['podSelector', 'policyTypes', 'ingress', 'egress'],
  );
  assert.deepEqual(
    complete(`${POLICY_HEAD}  podSelector: {}\n  |\n`).map((i) => i.label),
    ['policyTypes', 'ingress', 'egress'],
  );
  assert.deepEqual(
    complete(`${POLICY_HEAD}  podSelector: {}\n  policyTypes: [Ingress, |]\n`).map((i) => i.label),
    ['Egress'],
  );
  assert.deepEqual(
    complete(`${POLICY_HEAD}  podSelector: {}\n  ingress:\n    - ports:\n        - protocol: |\n`).map(
      (i) => i.label,
    ),
    ['TCP', 'UDP', 'SCTP'],
  );
  // Outside selectors of a policy, and in other objects, nothing.
  assert.deepEqual(complete(`${POLICY_HEAD}  podSelector: {}\n# |\n`), []);
  assert.deepEqual(complete(`apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    app: |\n`), []);
});

test('completion: tutorial snippets in an empty document, offering the workspace namespaces', () => {
  const snippets = complete(`apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\n|`);
  assert.deepEqual(
    snippets.map((i) => i.label),
    [
      'NetworkPolicy: default deny',
      'NetworkPolicy: allow DNS',
      'NetworkPolicy: allow from namespace',
      'NetworkPolicy: allow from pods',
      'ConnectivityExpectations: connectivity a team promises',
      "AdminNetworkPolicy: deny all but the cluster's own namespaces",
      'AdminNetworkPolicy: allow monitoring everywhere',
      'BaselineAdminNetworkPolicy: default deny',
      "ClusterNetworkPolicy (Admin): deny all but the cluster's own namespaces",
      'ClusterNetworkPolicy (Admin): allow monitoring everywhere',
      'ClusterNetworkPolicy (Baseline): default deny',
    ],
  );
  assert.ok(snippets.every((s) => s.snippet && s.kind === 'snippet'));
  assert.match(
    snippets[0].insertText,
    /namespace: \$\{2\|shop,backend,database,frontend,kube-system,default\|\}/,
  );
  // Each snippet, with its placeholders filled in, is a valid policy of the pattern it names.
  const fill = (snippet: string) =>
    snippet
      .replace(/\$\{\d+\|([^,|]+)[^}]*\}/g, '$1')
      .replace(/\$\{\d+:([^}]*)\}/g, '$1')
      .replace(/\$0/g, '');
  const policies = snippets.map((s, i) => ({ uri: `file:///w/s${i}.yaml`, text: fill(s.insertText) }));
  const analysis = serviceOf(policies);
  assert.deepEqual(analysis.state().analysis.problems, []);
  const [deny, dns, fromNamespace, fromPods] = analysis.state().analysis.model.policies;
  assert.deepEqual([deny.affects, deny.ingress, deny.egress], [{ ingress: true, egress: true }, [], []]);
  assert.deepEqual(
    dns.egress[0].ports?.map((p) => `${p.protocol} ${p.port}`),
    ['UDP 53', 'TCP 53'],
  );
  assert.deepEqual(fromNamespace.ingress[0].peers?.[0].namespaceSelector?.matchLabels, {
    'kubernetes.io/metadata.name': 'frontend',
  });
  assert.deepEqual(fromPods.ingress[0].peers?.[0].podSelector?.matchLabels, { app: 'frontend' });
  // A YAML file without Kubernetes content gets no snippets.
  assert.deepEqual(complete('services:\n  web:\n    image: nginx\n---\n|'), []);
  assert.equal(complete('|').length, 11, 'an empty file does');
});

// ---------------------------------------------------------------------------------------------
// Document symbols

test('document symbols: policies with their selector, rules and peers; workloads and namespaces', () => {
  const policies = threeTier.documentSymbols(fileOf(THREE_TIER, 'policies/backend.yaml').uri);
  assert.deepEqual(
    policies.map((s) => [s.name, s.kind, s.detail]),
    [
      ['backend/default-deny-all-backend', 'policy', 'NetworkPolicy'],
      ['backend/allow-egress-to-database', 'policy', 'NetworkPolicy'],
      ['backend/allow-ingress-from-frontend', 'policy', 'NetworkPolicy'],
    ],
  );
  const outline = (s: (typeof policies)[number]): unknown => [s.name, s.detail, ...s.children.map(outline)];
  assert.deepEqual(outline(policies[1]), [
    'backend/allow-egress-to-database',
    'NetworkPolicy',
    ['podSelector', 'all pods'],
    [
      'egress',
      '2 rule(s)',
      ['egress[0]', 'on all ports and protocols', ['to[0]', 'all pods in namespaces tier=database']],
      ['egress[1]', 'on UDP 53', ['to[0]', 'pods k8s-app=kube-dns in namespace kube-system']],
    ],
  ]);
  for (const symbol of policies)
    assert.ok(
      symbol.range.start.offset <= symbol.selectionRange.start.offset &&
        symbol.selectionRange.end.offset <= symbol.range.end.offset,
    );
  const text = fileOf(THREE_TIER, 'policies/backend.yaml').text;
  assert.equal(
    text.slice(policies[0].selectionRange.start.offset, policies[0].selectionRange.end.offset),
    'default-deny-all-backend',
  );
  assert.deepEqual(
    threeTier.documentSymbols(fileOf(THREE_TIER, 'backend.yaml').uri).map((s) => [s.name, s.kind, s.detail]),
    [
      ['backend/backend', 'workload', 'Deployment'],
      ['backend/backend', 'service', 'Service'],
    ],
  );
  assert.deepEqual(
    threeTier.documentSymbols(fileOf(THREE_TIER, 'namespaces.yaml').uri).map((s) => s.name),
    ['frontend', 'backend', 'database'],
  );
});

// ---------------------------------------------------------------------------------------------
// Definition and references

/** `[file name, 0-based line, text at the location]`, readable in assertions. */
function places(
  files: SourceFile[],
  locations: { uri: string; range: { start: { offset: number }; end: { offset: number } } }[],
) {
  return locations.map((l) => {
    const file = files.find((f) => f.uri === l.uri)!;
    return [
      l.uri.split('/').slice(-2).join('/'),
      file.text.slice(l.range.start.offset, l.range.end.offset).split('\n')[0],
    ];
  });
}

test('definition: from a selector to the namespaces and workloads it matches', () => {
  const DB = loadFixture('db-policy');
  const analysis = serviceOf(DB);
  const policy = fileOf(DB, 'prod/db-policy.yaml');
  const at = (needle: string) => analysis.definition(policy.uri, cursor(policy.text, needle));
  // spec.podSelector: the database pods of prod.
  assert.deepEqual(places(DB, at('  pod|Selector:\n    matchLabels:\n      role: db')), [
    ['prod/workloads.yaml', 'db'],
  ]);
  // The peer podSelector (ANDed with its namespaceSelector): the api of prod only.
  assert.deepEqual(places(DB, at('        - pod|Selector:')), [['prod/workloads.yaml', 'api']]);
  // The namespaceSelector: the prod Namespace, at its name.
  assert.deepEqual(places(DB, at('namespace|Selector:')), [['db-policy/namespaces.yaml', 'prod']]);
  // The policy name: the workloads it selects.
  assert.deepEqual(places(DB, at('name: db-|policy')), [['prod/workloads.yaml', 'db']]);
  assert.deepEqual(at('  policy|Types:'), []);
});

test('references: from a workload to the selectors and peers that match it, and from a namespace', () => {
  const DB = loadFixture('db-policy');
  const analysis = serviceOf(DB);
  const workloads = fileOf(DB, 'prod/workloads.yaml');
  const api = cursor(workloads.text, 'name: ap|i');
  const found = analysis.references(workloads.uri, api);
  // The peer (its podSelector and namespaceSelector together) in the db policy.
  assert.deepEqual(places(DB, found), [['prod/db-policy.yaml', 'podSelector:']]);
  const withDeclaration = analysis.references(workloads.uri, api, { includeDeclaration: true });
  assert.deepEqual(places(DB, withDeclaration), [
    ['prod/db-policy.yaml', 'podSelector:'],
    ['prod/workloads.yaml', 'api'],
  ]);
  const db = analysis.references(workloads.uri, cursor(workloads.text, 'name: d|b'));
  // The spec.podSelector that selects it (its value, a block mapping).
  assert.deepEqual(places(DB, db), [['prod/db-policy.yaml', 'matchLabels:']]);
  const namespaces = fileOf(DB, 'namespaces.yaml');
  const prod = analysis.references(namespaces.uri, cursor(namespaces.text, 'name: pr|od'));
  assert.deepEqual(places(DB, prod), [
    ['prod/db-policy.yaml', 'db-policy'],
    ['prod/db-policy.yaml', 'matchLabels:'],
  ]);
});

// ---------------------------------------------------------------------------------------------
// Untrusted text

test('labels, names and CIDRs render as literal text, never as markdown or HTML', () => {
  const hostile = '<img src=x onerror=alert(1)>';
  const text = `apiVersion: v1
kind: Pod
metadata:
  name: "*x*"
  namespace: shop
  labels: {app: "${hostile}", "[link](http://evil)": "*x*"}
spec: {containers: [{name: c, image: x}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "\`code\` _em_", namespace: shop}
spec:
  podSelector:
    matchLabels: {app: "${hostile}"}
  ingress:
    - from:
        - podSelector: {matchLabels: {"[link](http://evil)": "*x*"}}
`;
  const files = [{ uri: 'file:///w/hostile.yaml', text }];
  const analysis = serviceOf(files);
  const hovers = [
    analysis.hover(files[0].uri, cursor(text, 'pod|Selector:\n    matchLabels')),
    analysis.hover(files[0].uri, cursor(text, '- pod|Selector')),
    analysis.hover(files[0].uri, cursor(text, 'kind: Network|Policy')),
    analysis.hover(files[0].uri, cursor(text, 'kind: P|od')),
  ];
  for (const found of hovers) {
    assert.ok(found);
    const markdown = found.contents;
    // Every markdown or HTML character from the manifests is backslash-escaped.
    assert.ok(!/(?<!\\)</.test(markdown), markdown);
    assert.ok(!markdown.includes('](http'), markdown);
    assert.ok(!/(?<!\\)`/.test(markdown), markdown);
    assert.ok(!/(?<![\\*])\*x/.test(markdown), markdown);
  }
  assert.ok(
    unescapeMarkdown(hovers[0]!.contents).includes(
      `pods app=${hostile} [invalid label: selects nothing] in namespace shop`,
    ),
  );
  assert.ok(
    unescapeMarkdown(hovers[1]!.contents).includes(
      'pods [link](http://evil)=*x* [invalid label: selects nothing] in namespace shop',
    ),
  );
  assert.ok(unescapeMarkdown(hovers[2]!.contents).includes('NetworkPolicy shop/`code` _em_'));
  assert.ok(unescapeMarkdown(hovers[3]!.contents).startsWith('shop/*x*[Pod]'));
});

// ---------------------------------------------------------------------------------------------
// Robustness

test('every feature answers at every position of the fixtures and of broken examples without throwing', () => {
  const broken = RULES.map((rule, i) => ({ uri: `file:///rules/${i}.yaml`, text: rule.bad }));
  for (const files of [THREE_TIER, loadFixture('db-policy'), broken]) {
    const analysis = serviceOf(files);
    for (const file of files) {
      analysis.documentSymbols(file.uri);
      analysis.codeLenses(file.uri);
      for (let offset = 0; offset <= file.text.length; offset += 5) {
        analysis.hover(file.uri, offset);
        analysis.definition(file.uri, offset);
        analysis.references(file.uri, offset, { includeDeclaration: true });
      }
      // Completion parses the text again with a marker: fewer positions keep the test quick.
      for (let offset = 0; offset <= file.text.length; offset += 23) analysis.completions(file.uri, offset);
    }
  }
});
