// Objects defined more than once (docs/semantics.md, "Duplicates"). The cluster keeps whichever copy is
// applied last, so copies that differ must never give an ALLOWED or DENIED that depends on the order of
// the files: the expected verdicts below are worked out by hand from the spec's evaluation order
// (../shared/specs/cluster-network-policies.md §1), for both orders of the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SourceFile } from '../../server/src/core/index';
import { main } from '../../server/src/cli/main';
import { serviceOf } from '../support/convert';
import { loadFixture } from '../support/fixtures';

/** Namespaces a, b, c (team=<name>), the pod a/web and a client pod in b and in c. */
const BASE = loadFixture('cluster-policies/e1-priority')
  .filter((f) => f.uri.endsWith('namespaces-and-pods.yaml'))
  .map((f) => ({ ...f, uri: 'file:///w/base.yaml' }));

const ANP = (action: string, peer = 'b', priority = 10) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: AdminNetworkPolicy
metadata: {name: guard}
spec:
  priority: ${priority}
  subject: {namespaces: {matchLabels: {team: a}}}
  ingress:
    - {name: rule, action: ${action}, from: [{namespaces: {matchLabels: {team: ${peer}}}}]}
`;
const BANP = (name: string, action: string) => `apiVersion: policy.networking.k8s.io/v1alpha1
kind: BaselineAdminNetworkPolicy
metadata: {name: ${name}}
spec:
  subject: {namespaces: {matchLabels: {team: a}}}
  ingress:
    - {name: rule, action: ${action}, from: [{namespaces: {matchLabels: {team: c}}}]}
`;
const CNP = (action: string) => `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
  tier: Admin
  priority: 10
  subject: {namespaces: {matchLabels: {team: a}}}
  ingress:
    - {name: rule, action: ${action}, from: [{namespaces: {matchLabels: {team: b}}}]}
`;

type Verdict = 'ALLOWED' | 'DENIED' | 'UNKNOWN';

/** The verdict of every question, with the two policy files in both orders (names decide the order). */
function verdicts(first: string, second: string, questions: [string, string][]): Verdict[][] {
  return [
    ['1.yaml', '2.yaml'],
    ['2.yaml', '1.yaml'],
  ].map(([a, b]) => {
    const files: SourceFile[] = [
      ...BASE,
      { uri: `file:///w/policies/${a}`, text: first },
      { uri: `file:///w/policies/${b}`, text: second },
    ];
    const service = serviceOf(files, { implicitDns: false });
    return questions.map(([from, to]) => {
      const answer = service.canReach(from, to);
      assert.ok(answer.found, `${from} -> ${to}`);
      const { result } = answer;
      return result.unknown.length > 0 ? 'UNKNOWN' : result.allowed ? 'ALLOWED' : 'DENIED';
    });
  });
}

function duplicateMessages(first: string, second: string): { file: string; message: string }[] {
  const files: SourceFile[] = [
    ...BASE,
    { uri: 'file:///w/team-a/policy.yaml', text: first },
    { uri: 'file:///w/team-b/policy.yaml', text: second },
  ];
  return serviceOf(files)
    .allDiagnostics()
    .filter((p) => p.code === 'netpol.duplicate-object')
    .map((p) => ({ file: p.uri.slice('file:///w/'.length), message: `${p.severity}: ${p.message}` }));
}

const B_TO_WEB: [string, string] = ['b/client', 'a/web'];
const C_TO_WEB: [string, string] = ['c/client', 'a/web'];

test('two AdminNetworkPolicies of one name that differ: what they decide is unknown, in either order', () => {
  // Deny in one copy, Allow in the other: b/client -> a/web is denied or allowed by the copy applied
  // last. A cluster policy may decide any connection, so every answer is unknown (as for an unreadable one).
  const expected: Verdict[] = ['UNKNOWN', 'UNKNOWN'];
  assert.deepEqual(verdicts(ANP('Deny'), ANP('Allow'), [B_TO_WEB, C_TO_WEB]), [expected, expected]);
});

test('two AdminNetworkPolicies of one name that mean the same: the answers are as read', () => {
  // One written in block style: still the same policy. b is denied by `rule`; c matches no rule: allowed.
  const block = ANP('Deny').replace(
    '    - {name: rule, action: Deny, from: [{namespaces: {matchLabels: {team: b}}}]}\n',
    '    - name: rule\n      action: Deny\n      from:\n        - namespaces:\n            matchLabels:\n              team: b\n',
  );
  const expected: Verdict[] = ['DENIED', 'ALLOWED'];
  assert.deepEqual(verdicts(ANP('Deny'), block, [B_TO_WEB, C_TO_WEB]), [expected, expected]);
});

test('each copy of a duplicated AdminNetworkPolicy names the other, relative to the workspace', () => {
  assert.deepEqual(duplicateMessages(ANP('Deny'), ANP('Allow')), [
    {
      file: 'team-a/policy.yaml',
      message:
        'error: AdminNetworkPolicy guard is also defined at team-b/policy.yaml:3:18; the copies differ and the cluster keeps whichever is applied last, so no copy is analysed and every answer they could change is reported as unknown.',
    },
    {
      file: 'team-b/policy.yaml',
      message:
        'error: AdminNetworkPolicy guard is also defined at team-a/policy.yaml:3:18; the copies differ and the cluster keeps whichever is applied last, so no copy is analysed and every answer they could change is reported as unknown.',
    },
  ]);
  const same = duplicateMessages(ANP('Deny'), ANP('Deny')).map((d) => d.message);
  assert.deepEqual(same, [
    'warning: AdminNetworkPolicy guard is also defined at team-b/policy.yaml:3:18; kubectl apply keeps only the last definition, so this one is not analysed.',
    'warning: AdminNetworkPolicy guard is also defined at team-a/policy.yaml:3:18; the copies mean the same, so whichever the cluster keeps, this one is analysed.',
  ]);
});

test('two ClusterNetworkPolicies of one name that differ: unknown, in either order', () => {
  const expected: Verdict[] = ['UNKNOWN', 'UNKNOWN'];
  assert.deepEqual(verdicts(CNP('Deny'), CNP('Accept'), [B_TO_WEB, C_TO_WEB]), [expected, expected]);
  // Accept is Allow written the v1alpha2 way: the same policy. b is allowed by it, c by the default.
  const same: Verdict[] = ['ALLOWED', 'ALLOWED'];
  assert.deepEqual(
    verdicts(CNP('Accept'), CNP('Accept').replace('{name: rule, ', '{ name: rule, '), [B_TO_WEB, C_TO_WEB]),
    [same, same],
  );
});

test('two BaselineAdminNetworkPolicies named default that differ: unknown, in either order', () => {
  // One denies c, the other allows it (which the default would do anyway): c -> a/web depends on the
  // copy applied last. Before, both were evaluated and the Deny won.
  const expected: Verdict[] = ['UNKNOWN', 'UNKNOWN'];
  assert.deepEqual(verdicts(BANP('default', 'Deny'), BANP('default', 'Allow'), [C_TO_WEB, B_TO_WEB]), [
    expected,
    expected,
  ]);
});

test('a BaselineAdminNetworkPolicy of another name conflicts with default, and the API server rejects it', () => {
  // Only `default` can exist, so it decides: c -> a/web denied, b -> a/web allowed (no rule matches b).
  const expected: Verdict[] = ['DENIED', 'ALLOWED'];
  assert.deepEqual(verdicts(BANP('default', 'Deny'), BANP('other', 'Allow'), [C_TO_WEB, B_TO_WEB]), [
    expected,
    expected,
  ]);
  assert.deepEqual(duplicateMessages(BANP('default', 'Deny'), BANP('other', 'Allow')), [
    {
      file: 'team-a/policy.yaml',
      message:
        'warning: BaselineAdminNetworkPolicy default is not the only one: another is defined at team-b/policy.yaml:3:18; the API server rejects the others, so this one is analysed.',
    },
    {
      file: 'team-b/policy.yaml',
      message:
        'warning: BaselineAdminNetworkPolicy other is not the only one: another is defined at team-a/policy.yaml:3:18; only one BaselineAdminNetworkPolicy can exist, named "default", and the API server rejects this one, so it is not analysed.',
    },
  ]);
});

test('a Namespace defined twice with other labels: answers decided by its labels are unknown', () => {
  const namespace = (team: string) =>
    `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: b\n  labels: {team: ${team}}\n`;
  // The ANP denies namespaces labelled team=b: with b labelled team=b it denies b/client -> a/web, with
  // team=x it does not. c/client -> a/web does not depend on b's labels: allowed.
  const withoutB = BASE[0].text
    .split(/^---\n/m)
    .filter((doc) => !/kind: Namespace\nmetadata:\n {2}name: b\n/.test(doc))
    .join('---\n');
  assert.equal(withoutB.split(/^---$/m).length, BASE[0].text.split(/^---$/m).length - 1);
  const policies = [{ ...BASE[0], text: withoutB }];
  for (const order of [
    ['1.yaml', '2.yaml'],
    ['2.yaml', '1.yaml'],
  ]) {
    const service = serviceOf(
      [
        ...policies,
        { uri: 'file:///w/anp.yaml', text: ANP('Deny') },
        { uri: `file:///w/ns/${order[0]}`, text: namespace('b') },
        { uri: `file:///w/ns/${order[1]}`, text: namespace('x') },
      ],
      { implicitDns: false },
    );
    const b = service.canReach(...B_TO_WEB);
    const c = service.canReach(...C_TO_WEB);
    assert.ok(b.found && c.found);
    assert.ok(b.result.unknown.length > 0, b.text);
    assert.ok(c.result.unknown.length === 0 && c.result.allowed, c.text + JSON.stringify(c.result.unknown));
  }
});

async function can(folder: string, from: string, to: string): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(['can', '--no-implicit', '-q', folder, '--from', from, '--to', to], {
    out: (t) => (out += t),
    err: () => {},
  });
  return { code, out: out.split('\n')[0] };
}

test('can: exit 3 for an answer duplicated NetworkPolicies that differ could change, 1 for a denial they cannot', async () => {
  const folder = resolve('test/reading/duplicates-differ');
  assert.deepEqual(await can(folder, 'shop/web', 'shop/db'), {
    code: 3,
    out: 'UNKNOWN: shop/web[Pod] => shop/db[Pod]',
  });
  // other/client's egress is denied by other/no-egress, whichever copy of shop/db-ingress counts.
  assert.deepEqual(await can(folder, 'other/client', 'shop/db'), {
    code: 1,
    out: 'DENIED: other/client[Pod] => shop/db[Pod]',
  });
});

test('can: exit 0 and 1 for duplicated cluster policies that mean the same, 3 when they differ', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-duplicates-'));
  try {
    writeFileSync(join(root, 'base.yaml'), BASE[0].text);
    writeFileSync(join(root, 'a.yaml'), ANP('Deny'));
    writeFileSync(join(root, 'b.yaml'), ANP('Deny'));
    assert.deepEqual(await can(root, 'c/client', 'a/web'), {
      code: 0,
      out: 'ALLOWED: c/client[Pod] => a/web[Pod]',
    });
    assert.deepEqual(await can(root, 'b/client', 'a/web'), {
      code: 1,
      out: 'DENIED: b/client[Pod] => a/web[Pod]',
    });
    writeFileSync(join(root, 'b.yaml'), ANP('Allow'));
    assert.deepEqual(await can(root, 'b/client', 'a/web'), {
      code: 3,
      out: 'UNKNOWN: b/client[Pod] => a/web[Pod]',
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

// Copies of one NetworkPolicy that differ can change only the sides of the pods a copy selects, in the
// directions that copy affects: copy 1 isolates app=db for ingress, copy 2 app=api for egress.
const SHOP_PODS = ['web', 'db', 'api']
  .map(
    (app) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${app}, namespace: shop, labels: {app: ${app}}}\n`,
  )
  .join('---\n');
const COPY_DB_INGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: guard, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: web}}}]}]
`;
const COPY_API_EGRESS = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: guard, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  policyTypes: [Egress]
  egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]
`;

function shopService(copies: string[]) {
  return serviceOf(
    [
      { uri: 'file:///w/pods.yaml', text: SHOP_PODS },
      ...copies.map((text, i) => ({ uri: `file:///w/policies/${i + 1}.yaml`, text })),
    ],
    { implicitDns: false },
  );
}

function verdictOf(service: ReturnType<typeof shopService>, from: string, to: string): Verdict {
  const answer = service.canReach(from, to);
  assert.ok(answer.found, `${from} -> ${to}`);
  return answer.result.unknown.length > 0 ? 'UNKNOWN' : answer.result.allowed ? 'ALLOWED' : 'DENIED';
}

const SHOP = ['shop/web', 'shop/db', 'shop/api', '10.0.0.1'];
const SHOP_PAIRS = SHOP.flatMap((from) =>
  SHOP.filter((to) => to !== from && !(from.includes('.') && to.includes('.'))).map(
    (to): [string, string] => [from, to],
  ),
);

test('differing copies of a NetworkPolicy make unknown only the sides of the pods a copy selects', () => {
  // Written down from the two copies: db's ingress is in doubt (copy 1 isolates it, allowing web only),
  // api's egress is in doubt (copy 2 isolates it, allowing db only); nothing else is.
  const expected: Record<string, Verdict> = {
    'shop/web -> shop/db': 'UNKNOWN',
    'shop/web -> shop/api': 'ALLOWED',
    'shop/web -> 10.0.0.1': 'ALLOWED',
    'shop/db -> shop/web': 'ALLOWED',
    'shop/db -> shop/api': 'ALLOWED',
    'shop/db -> 10.0.0.1': 'ALLOWED',
    'shop/api -> shop/web': 'UNKNOWN',
    'shop/api -> shop/db': 'UNKNOWN',
    'shop/api -> 10.0.0.1': 'UNKNOWN',
    '10.0.0.1 -> shop/web': 'ALLOWED',
    '10.0.0.1 -> shop/db': 'UNKNOWN',
    '10.0.0.1 -> shop/api': 'ALLOWED',
  };
  for (const copies of [
    [COPY_DB_INGRESS, COPY_API_EGRESS],
    [COPY_API_EGRESS, COPY_DB_INGRESS],
  ]) {
    const service = shopService(copies);
    const found = Object.fromEntries(
      SHOP_PAIRS.map(([from, to]) => [`${from} -> ${to}`, verdictOf(service, from, to)]),
    );
    assert.deepEqual(found, expected);
  }
});

test('every answer differing copies leave known is the same whichever copy the cluster keeps', () => {
  // The two clusters that may result: only copy 1 applied last, or only copy 2. A known answer must be
  // the answer of both; an answer on which they disagree must be unknown.
  const worlds = [shopService([COPY_DB_INGRESS]), shopService([COPY_API_EGRESS])];
  const both = shopService([COPY_DB_INGRESS, COPY_API_EGRESS]);
  let known = 0;
  for (const [from, to] of SHOP_PAIRS) {
    const inWorlds = worlds.map((w) => verdictOf(w, from, to));
    const verdict = verdictOf(both, from, to);
    if (verdict === 'UNKNOWN') continue;
    known++;
    assert.deepEqual(inWorlds, [verdict, verdict], `${from} -> ${to} is ${verdict}`);
  }
  assert.ok(known >= 7, `only ${known} answers known`);
  // The reach list (what is known) holds no pair the worlds disagree on either.
  const listed = both.reachability('txt');
  for (const world of worlds) {
    const lines = new Set(world.reachability('txt').split('\n'));
    for (const line of listed.split('\n')) assert.ok(lines.has(line), `listed but not in a world: ${line}`);
  }
});

// A workload defined twice: its labels decide which policies select it and which rules match it, so copies
// with other labels make every connection it is an end of unknown, in either order of the files.
const WEB = (labels: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  template:
    metadata: {labels: ${labels}}
`;
const DB_FROM_ADMIN = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: admin}}}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: shop, labels: {app: db}}
---
apiVersion: v1
kind: Pod
metadata: {name: other, namespace: shop, labels: {app: other}}
`;

function workloadCopies(first: string, second: string, order: [string, string]) {
  return serviceOf(
    [
      { uri: 'file:///w/pol.yaml', text: DB_FROM_ADMIN },
      { uri: `file:///w/${order[0]}/web.yaml`, text: first },
      { uri: `file:///w/${order[1]}/web.yaml`, text: second },
    ],
    { implicitDns: false },
  );
}

const WEB_QUESTIONS: [string, string][] = [
  ['shop/web', 'shop/db'],
  ['shop/db', 'shop/web'],
  ['shop/other', 'shop/db'],
  ['shop/db', 'shop/other'],
];

test('a workload defined twice with other labels: its connections are unknown, in either order', () => {
  // Written down: with app=admin shop/web may reach shop/db, with app=web it may not; shop/db → shop/web
  // is open either way but still unknown (nothing about shop/web is certain). The other pods are as read.
  for (const order of [
    ['team-a', 'team-b'],
    ['team-b', 'team-a'],
  ] as [string, string][]) {
    const service = workloadCopies(WEB('{app: web}'), WEB('{app: admin}'), order);
    const found = WEB_QUESTIONS.map(([from, to]) => verdictOf(service, from, to));
    assert.deepEqual(found, ['UNKNOWN', 'UNKNOWN', 'DENIED', 'ALLOWED']);
    const problems = service.allDiagnostics().filter((p) => p.code === 'netpol.duplicate-object');
    assert.deepEqual(
      problems.map((p) => `${p.severity} ${p.uri.slice('file:///w/'.length)}: ${p.message}`),
      ['team-a', 'team-b'].map(
        (here) =>
          `error ${here}/web.yaml: Deployment shop/web is also defined at ${here === 'team-a' ? 'team-b' : 'team-a'}/web.yaml:3:18; the copies differ and the cluster keeps whichever is applied last, so every connection of this workload is reported as unknown.`,
      ),
    );
  }
});

test('a workload defined twice the same way: a warning on each copy, and the answers as read', () => {
  const block = WEB('{app: admin}').replace(
    '    metadata: {labels: {app: admin}}\n',
    '    metadata:\n      labels:\n        "app": admin\n',
  );
  assert.notEqual(block, WEB('{app: admin}'));
  for (const order of [
    ['team-a', 'team-b'],
    ['team-b', 'team-a'],
  ] as [string, string][]) {
    const service = workloadCopies(WEB('{app: admin}'), block, order);
    const found = WEB_QUESTIONS.map(([from, to]) => verdictOf(service, from, to));
    assert.deepEqual(found, ['ALLOWED', 'ALLOWED', 'DENIED', 'ALLOWED']);
    const problems = service.allDiagnostics().filter((p) => p.code === 'netpol.duplicate-object');
    assert.deepEqual(
      problems.map((p) => p.severity),
      ['warning', 'warning'],
    );
  }
});

test('a Service defined twice with other selectors: an error on each copy, and neither is used', () => {
  const service = (selector: string) =>
    `apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: shop}\nspec:\n  selector: {app: ${selector}}\n  ports: [{port: 80}]\n`;
  const analysed = serviceOf([
    { uri: 'file:///w/team-a/svc.yaml', text: service('web') },
    { uri: 'file:///w/team-b/svc.yaml', text: service('admin') },
  ]);
  const problems = analysed.allDiagnostics().filter((p) => p.code === 'netpol.duplicate-object');
  assert.deepEqual(
    problems.map((p) => `${p.severity} ${p.uri.slice('file:///w/'.length)}: ${p.message}`),
    [
      'error team-a/svc.yaml: Service shop/web is also defined at team-b/svc.yaml:3:18; the copies differ and the cluster keeps whichever is applied last, so neither copy is used.',
      'error team-b/svc.yaml: Service shop/web is also defined at team-a/svc.yaml:3:18; the copies differ and the cluster keeps whichever is applied last, so neither copy is used.',
    ],
  );
  assert.deepEqual(analysed.state().analysis.model.services, []);
});
