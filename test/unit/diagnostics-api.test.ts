// API-server parity diagnostics: kube-apiserver's wording, exact ranges, boundary values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceOf } from '../support/fixtures';

interface Found {
  text: string;
  message: string;
  data?: Record<string, unknown>;
}

/** The diagnostics of one code for a one-file workspace, with the source text each range covers. */
function found(text: string, code: string): Found[] {
  return serviceOf([{ uri: 'file:///w/policy.yaml', text }])
    .allDiagnostics()
    .filter((p) => p.code === code)
    .map((p) => ({
      text: text.slice(p.range.start.offset, p.range.end.offset),
      message: p.message,
      ...(p.data ? { data: p.data } : {}),
    }));
}

const messages = (text: string, code: string) => found(text, code).map((f) => f.message);

function policy(spec: string, meta = 'name: allow-web\n  namespace: shop', podSelector = '{}'): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  ${meta}
spec:
  podSelector: ${podSelector}
${spec}`;
}

const selecting = (podSelector: string) => policy('', undefined, podSelector);

const withPorts = (...ports: string[]) =>
  policy(`  ingress:\n    - ports:\n${ports.map((p) => `        - ${p}\n`).join('')}`);
const withPeers = (...peers: string[]) =>
  policy(`  ingress:\n    - from:\n${peers.map((p) => `        - ${p}\n`).join('')}`);
const withIpBlock = (block: string) => withPeers(`ipBlock: ${block}`);
const withExpression = (expression: string) => withPeers(`podSelector: {matchExpressions: [${expression}]}`);
const withTypes = (types: string) => policy(`  policyTypes: ${types}\n`);

const SUBDOMAIN_RULE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const LABEL_RULE =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_RULE =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_RULE =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const CIDR_RULE = 'must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)';
const SUBSET_RULE = 'must be a strict subset of `cidr`';

/** A valid DNS subdomain of exactly `length` characters: labels of 63 joined by dots. */
function subdomainOfLength(length: number): string {
  const labels: string[] = [];
  let left = length;
  while (left > 0) {
    const size = Math.min(63, left);
    labels.push('a'.repeat(size));
    left -= size + 1;
  }
  const name = labels.join('.');
  return name.length === length ? name : `${name.slice(0, length - 1)}b`;
}

// ---------------------------------------------------------------------------------------------
// netpol.invalid-name

test('invalid-name: upper case and underscore, in the API server words, at the value', () => {
  assert.deepEqual(found(policy('', 'name: Web_App\n  namespace: shop'), 'netpol.invalid-name'), [
    {
      text: 'Web_App',
      message: `metadata.name: Invalid value: "Web_App": ${SUBDOMAIN_RULE}`,
      data: { value: 'Web_App', suggestion: 'web-app' },
    },
  ]);
});

test('invalid-name: 253 characters pass, 254 are too long', () => {
  const ok = subdomainOfLength(253);
  const long = subdomainOfLength(254);
  assert.equal(ok.length, 253);
  assert.equal(long.length, 254);
  assert.deepEqual(messages(policy('', `name: ${ok}\n  namespace: shop`), 'netpol.invalid-name'), []);
  const [problem, ...rest] = found(policy('', `name: ${long}\n  namespace: shop`), 'netpol.invalid-name');
  assert.deepEqual(rest, []);
  assert.equal(problem.text, long);
  assert.equal(
    problem.message,
    `metadata.name: Invalid value: "${long}": must be no more than 253 characters`,
  );
});

test('invalid-name: dots are fine, a trailing hyphen or dot is not', () => {
  assert.deepEqual(messages(policy('', 'name: web.allow-1\n  namespace: shop'), 'netpol.invalid-name'), []);
  for (const name of ['allow-', 'allow.', '-allow', 'allow..web']) {
    const texts = found(policy('', `name: "${name}"\n  namespace: shop`), 'netpol.invalid-name').map(
      (f) => f.text,
    );
    assert.deepEqual(texts, [`"${name}"`], name);
  }
});

test('invalid-name: an empty name is a required value; an absent one is netpol.missing-name', () => {
  assert.deepEqual(found(policy('', 'name: ""\n  namespace: shop'), 'netpol.invalid-name'), [
    {
      text: '""',
      message: 'metadata.name: Required value: name or generateName is required',
      data: { value: '' },
    },
  ]);
  assert.deepEqual(messages(policy('', 'namespace: shop'), 'netpol.invalid-name'), []);
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-namespace

test('invalid-namespace: 63 characters pass, 64 are too long', () => {
  const ok = 'n'.repeat(63);
  const long = 'n'.repeat(64);
  assert.deepEqual(messages(policy('', `name: a\n  namespace: ${ok}`), 'netpol.invalid-namespace'), []);
  assert.deepEqual(found(policy('', `name: a\n  namespace: ${long}`), 'netpol.invalid-namespace'), [
    {
      text: long,
      message: `metadata.namespace: Invalid value: "${long}": must be no more than 63 characters`,
      data: { value: long, suggestion: ok },
    },
  ]);
});

test('invalid-namespace: dots and capitals', () => {
  assert.deepEqual(messages(policy('', 'name: a\n  namespace: shop.eu'), 'netpol.invalid-namespace'), [
    'metadata.namespace: Invalid value: "shop.eu": must not contain dots',
  ]);
  assert.deepEqual(messages(policy('', 'name: a\n  namespace: Shop'), 'netpol.invalid-namespace'), [
    `metadata.namespace: Invalid value: "Shop": ${LABEL_RULE}`,
  ]);
});

test('invalid-namespace: a Namespace object name and a workload namespace', () => {
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: Shop_EU\n';
  assert.deepEqual(found(namespace, 'netpol.invalid-namespace'), [
    {
      text: 'Shop_EU',
      message: `metadata.name: Invalid value: "Shop_EU": ${LABEL_RULE}`,
      data: { value: 'Shop_EU', suggestion: 'shop-eu' },
    },
  ]);
  const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop_eu\nspec: {}\n';
  assert.deepEqual(
    found(pod, 'netpol.invalid-namespace').map((f) => f.text),
    ['shop_eu'],
  );
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-label-key

test('invalid-label-key: a prefixed key and a 63-character name pass', () => {
  const spec = `  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: shop
              ${'k'.repeat(63)}: x
              app.kubernetes.io/name: web
`;
  assert.deepEqual(messages(policy(spec), 'netpol.invalid-label-key'), []);
});

test('invalid-label-key: a 64-character name part, at the key, with the selector path', () => {
  const key = `example.com/${'k'.repeat(64)}`;
  const text = policy(
    `  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              ${key}: x\n`,
  );
  assert.deepEqual(found(text, 'netpol.invalid-label-key'), [
    {
      text: key,
      message: `spec.ingress[0].from[0].podSelector.matchLabels: Invalid value: "${key}": name part must be no more than 63 characters`,
      data: { key, suggestion: `example.com/${'k'.repeat(63)}` },
    },
  ]);
});

test('invalid-label-key: empty prefix, bad prefix, two slashes, spaces', () => {
  const keyMessages = (key: string) =>
    messages(selecting(`{matchLabels: {"${key}": x}}`), 'netpol.invalid-label-key');
  assert.deepEqual(keyMessages('/app'), [
    'spec.podSelector.matchLabels: Invalid value: "/app": prefix part must be non-empty',
  ]);
  assert.deepEqual(keyMessages('Example.com/app'), [
    `spec.podSelector.matchLabels: Invalid value: "Example.com/app": prefix part ${SUBDOMAIN_RULE}`,
  ]);
  assert.deepEqual(keyMessages('a/b/c'), [
    `spec.podSelector.matchLabels: Invalid value: "a/b/c": a qualified name ${NAME_PART_RULE.replace('name part ', '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
  ]);
  assert.deepEqual(keyMessages('app name'), [
    `spec.podSelector.matchLabels: Invalid value: "app name": ${NAME_PART_RULE}`,
  ]);
  assert.deepEqual(keyMessages('app/'), [
    'spec.podSelector.matchLabels: Invalid value: "app/": name part must be non-empty',
    `spec.podSelector.matchLabels: Invalid value: "app/": ${NAME_PART_RULE}`,
  ]);
});

test('invalid-label-key: matchExpressions keys, Namespace labels and pod template labels', () => {
  const expression = found(withExpression('{key: "-role", operator: Exists}'), 'netpol.invalid-label-key');
  assert.deepEqual(
    expression.map((f) => [f.text, f.message]),
    [
      [
        '"-role"',
        `spec.ingress[0].from[0].podSelector.matchExpressions[0].key: Invalid value: "-role": ${NAME_PART_RULE}`,
      ],
    ],
  );
  const namespace =
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    "team name": a\n';
  assert.deepEqual(
    found(namespace, 'netpol.invalid-label-key').map((f) => [f.text, f.message.split(':')[0]]),
    [['"team name"', 'metadata.labels']],
  );
  const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    metadata:
      labels:
        app_: web
`;
  assert.deepEqual(
    found(deployment, 'netpol.invalid-label-key').map((f) => [f.text, f.message.split(':')[0]]),
    [['app_', 'spec.template.metadata.labels']],
  );
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-label-value

test('invalid-label-value: 63 characters pass, 64 are too long; empty values pass', () => {
  const ok = 'v'.repeat(63);
  const long = 'v'.repeat(64);
  const labels = (value: string) =>
    policy(
      `  ingress:\n    - from:\n        - podSelector:\n            matchLabels:\n              app: ${value}\n`,
    );
  assert.deepEqual(messages(labels(ok), 'netpol.invalid-label-value'), []);
  assert.deepEqual(messages(labels('""'), 'netpol.invalid-label-value'), []);
  assert.deepEqual(messages(labels(''), 'netpol.invalid-label-value'), []);
  assert.deepEqual(found(labels(long), 'netpol.invalid-label-value'), [
    {
      text: long,
      message: `spec.ingress[0].from[0].podSelector.matchLabels: Invalid value: "${long}": must be no more than 63 characters`,
      data: { key: 'app', value: long, suggestion: ok },
    },
  ]);
});

test('invalid-label-value: bad characters in labels and in matchExpressions values', () => {
  const namespace =
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: payments/core\n';
  assert.deepEqual(messages(namespace, 'netpol.invalid-label-value'), [
    `metadata.labels: Invalid value: "payments/core": ${VALUE_RULE}`,
  ]);
  const expression = found(
    withExpression('{key: tier, operator: In, values: [web, "-api", db]}'),
    'netpol.invalid-label-value',
  );
  assert.deepEqual(expression, [
    {
      text: '"-api"',
      message: `spec.ingress[0].from[0].podSelector.matchExpressions[0].values[1]: Invalid value: "-api": ${VALUE_RULE}`,
      data: { value: '-api', suggestion: 'api' },
    },
  ]);
});

test('invalid-label-value: a number is a type problem, not a label-value problem', () => {
  const text = selecting('{matchLabels: {version: 2}}');
  assert.deepEqual(messages(text, 'netpol.invalid-label-value'), []);
  assert.equal(found(text, 'netpol.type').length, 1);
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-operator and netpol.invalid-selector-values

test('invalid-operator: wrong case, unknown, and missing operators', () => {
  assert.deepEqual(
    found(withExpression('{key: tier, operator: in, values: [web]}'), 'netpol.invalid-operator'),
    [
      {
        text: 'in',
        message:
          'spec.ingress[0].from[0].podSelector.matchExpressions[0].operator: Invalid value: "in": not a valid selector operator',
        data: { operator: 'in', suggestion: 'In' },
      },
    ],
  );
  assert.deepEqual(
    found(withExpression('{key: tier, operator: Equals, values: [web]}'), 'netpol.invalid-operator').map(
      (f) => f.data,
    ),
    [{ operator: 'Equals' }],
  );
  const missing = found(withExpression('{key: tier}'), 'netpol.invalid-operator');
  assert.deepEqual(
    missing.map((f) => [f.text, f.message.split(': ').slice(1).join(': ')]),
    [['{key: tier}', 'Invalid value: "": not a valid selector operator']],
  );
  for (const operator of ['In', 'NotIn']) {
    assert.deepEqual(
      messages(withExpression(`{key: tier, operator: ${operator}, values: [a]}`), 'netpol.invalid-operator'),
      [],
    );
  }
  for (const operator of ['Exists', 'DoesNotExist']) {
    assert.deepEqual(
      messages(withExpression(`{key: tier, operator: ${operator}}`), 'netpol.invalid-operator'),
      [],
    );
  }
});

test('invalid-selector-values: In and NotIn need values', () => {
  assert.deepEqual(found(withExpression('{key: tier, operator: In}'), 'netpol.invalid-selector-values'), [
    {
      text: 'In',
      message:
        "spec.ingress[0].from[0].podSelector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
      data: { operator: 'In', reason: 'required' },
    },
  ]);
  const empty = found(
    withExpression('{key: tier, operator: NotIn, values: []}'),
    'netpol.invalid-selector-values',
  );
  assert.deepEqual(
    empty.map((f) => [f.text, f.data]),
    [['values', { operator: 'NotIn', reason: 'required' }]],
  );
});

test('invalid-selector-values: Exists and DoesNotExist take none', () => {
  assert.deepEqual(
    found(
      withExpression('{key: tier, operator: DoesNotExist, values: [web]}'),
      'netpol.invalid-selector-values',
    ),
    [
      {
        text: 'values',
        message:
          "spec.ingress[0].from[0].podSelector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        data: { operator: 'DoesNotExist', reason: 'forbidden' },
      },
    ],
  );
  assert.deepEqual(
    messages(withExpression('{key: tier, operator: Exists, values: []}'), 'netpol.invalid-selector-values'),
    [],
  );
  assert.deepEqual(
    messages(withExpression('{key: tier, operator: In, values: [web]}'), 'netpol.invalid-selector-values'),
    [],
  );
});

test('selectors are checked everywhere: spec.podSelector and namespaceSelector', () => {
  const egress = `  egress:
    - to:
        - namespaceSelector:
            matchExpressions:
              - {key: team, operator: exists}
`;
  const text = policy(egress, undefined, '{matchExpressions: [{key: app, operator: notin, values: [a]}]}');
  assert.deepEqual(
    found(text, 'netpol.invalid-operator').map((f) => [f.text, f.message.split(':')[0], f.data?.suggestion]),
    [
      ['notin', 'spec.podSelector.matchExpressions[0].operator', 'NotIn'],
      ['exists', 'spec.egress[0].to[0].namespaceSelector.matchExpressions[0].operator', 'Exists'],
    ],
  );
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-protocol, netpol.invalid-port, netpol.invalid-end-port

test('invalid-protocol: only TCP, UDP and SCTP, case-sensitive', () => {
  assert.deepEqual(found(withPorts('{protocol: tcp, port: 80}'), 'netpol.invalid-protocol'), [
    {
      text: 'tcp',
      message:
        'spec.ingress[0].ports[0].protocol: Unsupported value: "tcp": supported values: "TCP", "UDP", "SCTP"',
      data: { protocol: 'tcp', suggestion: 'TCP' },
    },
  ]);
  assert.deepEqual(
    found(withPorts('{protocol: TCP}', '{protocol: ICMP}', '{protocol: ""}'), 'netpol.invalid-protocol').map(
      (f) => [f.text, f.data],
    ),
    [
      ['ICMP', { protocol: 'ICMP' }],
      ['""', { protocol: '' }],
    ],
  );
  assert.deepEqual(
    messages(withPorts('{protocol: UDP}', '{protocol: SCTP}', '{port: 53}'), 'netpol.invalid-protocol'),
    [],
  );
});

test('invalid-port: 1 and 65535 pass, 0, 65536 and -1 do not', () => {
  assert.deepEqual(messages(withPorts('{port: 1}', '{port: 65535}'), 'netpol.invalid-port'), []);
  assert.deepEqual(found(withPorts('{port: 0}', '{port: 65536}', '{port: -1}'), 'netpol.invalid-port'), [
    {
      text: '0',
      message: 'spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive',
      data: { port: 0 },
    },
    {
      text: '65536',
      message: 'spec.ingress[0].ports[1].port: Invalid value: 65536: must be between 1 and 65535, inclusive',
      data: { port: 65536 },
    },
    {
      text: '-1',
      message: 'spec.ingress[0].ports[2].port: Invalid value: -1: must be between 1 and 65535, inclusive',
      data: { port: -1 },
    },
  ]);
});

test('invalid-port: named ports follow IANA_SVC_NAME', () => {
  const named = (name: string) => found(withPorts(`{port: "${name}"}`), 'netpol.invalid-port');
  assert.deepEqual(
    messages(
      withPorts('{port: http}', '{port: metrics-9090}', `{port: ${'a'.repeat(15)}}`),
      'netpol.invalid-port',
    ),
    [],
  );
  assert.deepEqual(named('http--x'), [
    {
      text: '"http--x"',
      message:
        'spec.ingress[0].ports[0].port: Invalid value: "http--x": must not contain consecutive hyphens',
      data: { port: 'http--x', suggestion: 'http-x' },
    },
  ]);
  assert.deepEqual(
    named('-http').map((f) => f.message.split(': ').pop()),
    ['must not begin or end with a hyphen'],
  );
  assert.deepEqual(
    named('http-').map((f) => f.message.split(': ').pop()),
    ['must not begin or end with a hyphen'],
  );
  assert.deepEqual(
    named('a'.repeat(16)).map((f) => [f.message.split(': ').pop(), f.data?.suggestion]),
    [['must be no more than 15 characters', 'a'.repeat(15)]],
  );
  assert.deepEqual(
    named('HTTP').map((f) => f.message.split(': ').pop()),
    [
      'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
      'must contain at least one letter (a-z)',
    ],
  );
});

test('invalid-port: "80" is a string, so a port name without a letter; the fix data offers 80', () => {
  assert.deepEqual(found(withPorts('{port: "80"}'), 'netpol.invalid-port'), [
    {
      text: '"80"',
      message: 'spec.ingress[0].ports[0].port: Invalid value: "80": must contain at least one letter (a-z)',
      data: { port: '80', suggestion: 80 },
    },
  ]);
});

test('invalid-end-port: endPort below port, at the endPort value', () => {
  assert.deepEqual(found(withPorts('{port: 8080, endPort: 8079}'), 'netpol.invalid-end-port'), [
    {
      text: '8079',
      message:
        'spec.ingress[0].ports[0].endPort: Invalid value: 8079: must be greater than or equal to `port`',
      data: { port: 8080, endPort: 8079, reason: 'less-than-port' },
    },
  ]);
  assert.deepEqual(
    messages(
      withPorts('{port: 8080, endPort: 8080}', '{port: 1, endPort: 65535}'),
      'netpol.invalid-end-port',
    ),
    [],
  );
});

test('invalid-end-port: out of range, with a named port, without a port', () => {
  const reasons = found(
    withPorts('{port: 80, endPort: 65536}', '{port: http, endPort: 90}', '{protocol: UDP, endPort: 90}'),
    'netpol.invalid-end-port',
  ).map((f) => [f.text, f.message.split(': ').pop(), f.data?.reason]);
  assert.deepEqual(reasons, [
    ['65536', 'must be between 1 and 65535, inclusive', 'out-of-range'],
    ['90', 'may not be specified when `port` is non-numeric', 'named-port'],
    ['90', 'may not be specified when `port` is not specified', 'no-port'],
  ]);
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-peer

test('invalid-peer: an empty peer, and a peer whose selector is null', () => {
  assert.deepEqual(found(withPeers('{}'), 'netpol.invalid-peer'), [
    {
      text: '{}',
      message: 'spec.ingress[0].from[0]: Required value: must specify a peer',
      data: { reason: 'empty' },
    },
  ]);
  assert.deepEqual(
    found(withPeers('podSelector:'), 'netpol.invalid-peer').map((f) => f.text),
    ['podSelector:'],
  );
  assert.deepEqual(
    messages(
      withPeers('podSelector: {}', 'namespaceSelector: {}', 'ipBlock: {cidr: 10.0.0.0/8}'),
      'netpol.invalid-peer',
    ),
    [],
  );
  assert.deepEqual(
    messages(withPeers('{podSelector: {}, namespaceSelector: {}}'), 'netpol.invalid-peer'),
    [],
  );
});

test('invalid-peer: ipBlock with a selector, at the ipBlock key, in egress too', () => {
  const text = policy(`  egress:
    - to:
        - namespaceSelector: {}
          ipBlock:
            cidr: 10.0.0.0/8
`);
  assert.deepEqual(found(text, 'netpol.invalid-peer'), [
    {
      text: 'ipBlock',
      message: 'spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer',
      data: { reason: 'ipblock-with-selector' },
    },
  ]);
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-cidr and netpol.invalid-except

test('invalid-cidr: a prefix over 32, no prefix, blanks around it', () => {
  assert.deepEqual(found(withIpBlock('{cidr: 10.0.0.0/33}'), 'netpol.invalid-cidr'), [
    {
      text: '10.0.0.0/33',
      message: `spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": ${CIDR_RULE}`,
      data: { cidr: '10.0.0.0/33', reason: 'invalid' },
    },
  ]);
  assert.deepEqual(
    found(withIpBlock('{cidr: 10.0.0.0}'), 'netpol.invalid-cidr').map((f) => f.text),
    ['10.0.0.0'],
  );
  assert.deepEqual(
    found(withIpBlock('{cidr: " 10.0.0.0/8"}'), 'netpol.invalid-cidr').map((f) => f.text),
    ['" 10.0.0.0/8"'],
  );
});

test('invalid-cidr: a missing or empty cidr is a required value', () => {
  assert.deepEqual(found(withPeers('ipBlock: {}'), 'netpol.invalid-cidr'), [
    {
      text: 'ipBlock',
      message: 'spec.ingress[0].from[0].ipBlock.cidr: Required value',
      data: { cidr: '', reason: 'required' },
    },
  ]);
  assert.deepEqual(
    found(withIpBlock('{cidr: ""}'), 'netpol.invalid-cidr').map((f) => [f.text, f.data?.reason]),
    [['""', 'required']],
  );
});

test('invalid-cidr: host bits and IPv6 are accepted', () => {
  assert.deepEqual(messages(withIpBlock('{cidr: 10.0.0.1/24}'), 'netpol.invalid-cidr'), []);
  assert.deepEqual(messages(withIpBlock('{cidr: "2001:db8::/32"}'), 'netpol.invalid-cidr'), []);
  assert.deepEqual(messages(withIpBlock('{cidr: 0.0.0.0/0}'), 'netpol.invalid-cidr'), []);
});

test('invalid-except: equal to the cidr, outside it, wider than it', () => {
  const text = withIpBlock(
    '{cidr: 10.0.0.0/16, except: [10.0.0.0/16, 10.1.0.0/24, 10.0.0.0/8, 10.0.3.0/24]}',
  );
  assert.deepEqual(found(text, 'netpol.invalid-except'), [
    {
      text: '10.0.0.0/16',
      message: `spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.0.0.0/16": ${SUBSET_RULE}`,
      data: { cidr: '10.0.0.0/16', except: '10.0.0.0/16', index: 0, relation: 'equal' },
    },
    {
      text: '10.1.0.0/24',
      message: `spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.1.0.0/24": ${SUBSET_RULE}`,
      data: { cidr: '10.0.0.0/16', except: '10.1.0.0/24', index: 1, relation: 'outside' },
    },
    {
      text: '10.0.0.0/8',
      message: `spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "10.0.0.0/8": ${SUBSET_RULE}`,
      data: { cidr: '10.0.0.0/16', except: '10.0.0.0/8', index: 2, relation: 'wider' },
    },
  ]);
});

test('invalid-except: another IP family, and an invalid except', () => {
  const mixed = withIpBlock(
    '{cidr: "2001:db8::/32", except: [10.0.0.0/24, "2001:db8:1::/48", "2001:db9::/48"]}',
  );
  assert.deepEqual(
    found(mixed, 'netpol.invalid-except').map((f) => [f.text, f.data?.relation]),
    [
      ['10.0.0.0/24', 'family'],
      ['"2001:db9::/48"', 'outside'],
    ],
  );
  assert.deepEqual(found(withIpBlock('{cidr: 10.0.0.0/8, except: [10.1.0.0]}'), 'netpol.invalid-except'), [
    {
      text: '10.1.0.0',
      message: `spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "10.1.0.0": ${CIDR_RULE}`,
      data: { cidr: '10.0.0.0/8', except: '10.1.0.0', index: 0, relation: 'invalid' },
    },
  ]);
});

test('invalid-except: not checked against an invalid cidr; a strict subset passes', () => {
  assert.deepEqual(
    messages(withIpBlock('{cidr: 10.0.0.0/33, except: [11.0.0.0/8]}'), 'netpol.invalid-except'),
    [],
  );
  assert.deepEqual(
    messages(
      withIpBlock('{cidr: 10.0.0.0/8, except: [10.0.0.0/9, 10.255.255.255/32]}'),
      'netpol.invalid-except',
    ),
    [],
  );
});

test('invalid-except: octets with leading zeros are decimal, as the API server reads them', () => {
  // 010.0.0.0/8 is 10.0.0.0/8 (ParseCIDRSloppy), not 8.0.0.0/8 (octal): 10.1.0.0/16 is inside it.
  assert.deepEqual(
    messages(
      withIpBlock('{cidr: 010.0.0.0/8, except: [10.1.0.0/16, 010.002.0.0/16]}'),
      'netpol.invalid-except',
    ),
    [],
  );
  assert.deepEqual(
    found(withIpBlock('{cidr: 10.0.0.0/8, except: [08.0.0.0/8]}'), 'netpol.invalid-except').map((f) => [
      f.text,
      f.data?.relation,
    ]),
    [['08.0.0.0/8', 'outside']],
  );
});

// ---------------------------------------------------------------------------------------------
// netpol.invalid-policy-types

test('invalid-policy-types: three entries, at the policyTypes key', () => {
  assert.deepEqual(found(withTypes('[Ingress, Egress, Ingress]'), 'netpol.invalid-policy-types'), [
    {
      text: 'policyTypes',
      message:
        'spec.policyTypes: Invalid value: ["Ingress", "Egress", "Ingress"]: may not specify more than two policyTypes',
      data: { reason: 'too-many', count: 3 },
    },
  ]);
});

test('invalid-policy-types: lower case, and a duplicate', () => {
  assert.deepEqual(found(withTypes('[ingress]'), 'netpol.invalid-policy-types'), [
    {
      text: 'ingress',
      message: 'spec.policyTypes[0]: Unsupported value: "ingress": supported values: "Ingress", "Egress"',
      data: { reason: 'unsupported', value: 'ingress', index: 0, suggestion: 'Ingress' },
    },
  ]);
  assert.deepEqual(found(withTypes('[Egress, Egress]'), 'netpol.invalid-policy-types'), [
    {
      text: 'Egress',
      message: 'spec.policyTypes[1]: Duplicate value: "Egress"',
      data: { reason: 'duplicate', value: 'Egress', index: 1 },
    },
  ]);
  for (const ok of ['[Ingress, Egress]', '[Egress]', '[]']) {
    assert.deepEqual(messages(withTypes(ok), 'netpol.invalid-policy-types'), [], ok);
  }
});

// ---------------------------------------------------------------------------------------------
// Scope

test('policies of another apiVersion and templates are not checked; severity off silences', () => {
  const old = policy('', 'name: Web_App').replace('networking.k8s.io/v1', 'extensions/v1beta1');
  assert.deepEqual(messages(old, 'netpol.invalid-name'), []);
  const template = policy('', 'name: {{ .Values.name }}-Web_App');
  assert.deepEqual(messages(template, 'netpol.invalid-name'), []);
  assert.equal(found(template, 'netpol.template').length, 1);
  const bad = policy('', 'name: Web_App');
  const files = [{ uri: 'file:///w/p.yaml', text: bad }];
  const off = serviceOf(files, { severity: { 'netpol.invalid-name': 'off' } }).allDiagnostics();
  assert.deepEqual(
    off.filter((p) => p.code === 'netpol.invalid-name'),
    [],
  );
  const on = serviceOf(files, { severity: { 'netpol.invalid-name': 'warning' } }).allDiagnostics();
  assert.deepEqual(
    on.filter((p) => p.code === 'netpol.invalid-name').map((p) => p.severity),
    ['warning'],
  );
});

test('objects in a List and aliased values are located where they are written', () => {
  const text = `apiVersion: v1
kind: List
items:
  - apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata: {name: a, namespace: shop}
    spec:
      podSelector: {}
      ingress:
        - ports:
            - &bad {port: 0}
        - ports:
            - *bad
`;
  assert.deepEqual(
    found(text, 'netpol.invalid-port').map((f) => [f.text, f.message.split(':')[0]]),
    [
      ['0', 'spec.ingress[0].ports[0].port'],
      ['0', 'spec.ingress[1].ports[0].port'],
    ],
  );
});
