// netpol.schema: JSON Schema validation of NetworkPolicies, located at the YAML that is wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, type KubeObject } from '../../server/src/core/index';
import { computeDiagnostics } from '../../server/src/core/diagnostics/index';
import { schemaIssues } from '../../server/src/core/diagnostics/schema-errors';
import {
  convertedData,
  NOT_PLAIN,
  plainData,
  schemaErrors,
} from '../../server/src/core/diagnostics/schema-validate';
import { loadFixture } from '../support/fixtures';
import Ajv from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import validateNetworkPolicy from '../../server/src/core/diagnostics/networkpolicy-validator.generated';
import { AJV_OPTIONS, closeObjects } from '../../server/src/core/diagnostics/schema-options';
import { networkPolicyValidatorSource, VALIDATOR_PATH } from '../../scripts/validator-source';
import networkPolicySchema from '../../schemas/networkpolicy-networking-v1.json';
import expectationsSchema from '../../schemas/connectivity-expectations-v1.json';

const URI = 'file:///w/policy.yaml';

function diagnostics(text: string, severities = {}) {
  const analysis = analyzeFiles([{ uri: URI, text }]);
  return computeDiagnostics(analysis, {
    severities,
    onRuleError: (c, e) => assert.fail(`${c} threw: ${String(e)}`),
  });
}

/** netpol.schema findings as [covered text, message]. */
function schema(text: string): [string, string][] {
  return diagnostics(text)
    .filter((p) => p.code === 'netpol.schema')
    .map((p) => [text.slice(p.range.start.offset, p.range.end.offset), p.message]);
}

/** What the schema check says before other diagnostics are subtracted, for the first object. */
function rawIssues(text: string): [string, string][] {
  const analysis = analyzeFiles([{ uri: URI, text }]);
  const obj: KubeObject = analysis.files[0].objects[0];
  return schemaIssues(obj.reader, obj.node, schemaErrors(obj)).map((i) => [
    text.slice(i.range.start.offset, i.range.end.offset),
    i.message,
  ]);
}

function policy(spec: string, metadata = ''): string {
  return `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
${metadata}spec:
  podSelector:
    matchLabels:
      app: web
${spec}`;
}

test('a valid policy, with nulls where Go reads "absent", has no schema problems', () => {
  const text = policy(
    `  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - namespaceSelector:
            matchExpressions:
              - {key: team, operator: In, values: [a, b]}
          podSelector:
      ports:
        - {protocol: UDP, port: 53}
        - {port: dns-tcp}
        - {port: 8000, endPort: 8080}
  egress:
`,
    '  creationTimestamp: null\n  labels:\n    team: a\n  annotations:\n    note: "1"\n',
  );
  assert.deepEqual(schema(text), []);
  assert.deepEqual(rawIssues(text), []);
});

test('an unknown field is reported at its key, with its path', () => {
  const text = policy(`  ingres:
    - from:
        - podSelector: {}
`);
  assert.deepEqual(schema(text), [['ingres', 'unknown field spec.ingres']]);
});

test('unknown fields deep in rules, peers and ports', () => {
  const text = policy(`  ingress:
    - from:
        - podSelector: {}
          namespaceSelectr: {}
      ports:
        - port: 80
        - port: 443
          protocl: TCP
`);
  assert.deepEqual(schema(text), [
    ['namespaceSelectr', 'unknown field spec.ingress[0].from[0].namespaceSelectr'],
    ['protocl', 'unknown field spec.ingress[0].ports[1].protocl'],
  ]);
});

test('an unknown top-level field and an unknown metadata field', () => {
  const text = policy('', '  labels: {a: b}\n  lables: {a: b}\n').replace(
    'kind: NetworkPolicy\n',
    'kind: NetworkPolicy\nstatus: {}\n',
  );
  assert.deepEqual(schema(text), [
    ['status', 'unknown field status'],
    ['lables', 'unknown field metadata.lables'],
  ]);
});

test('a port that is neither integer nor string: the schema words, suppressed where netpol.type already says it', () => {
  const text = policy(`  ingress:
    - ports:
        - port: 80
        - port: [80, 81]
`);
  assert.deepEqual(rawIssues(text), [
    ['[80, 81]', 'spec.ingress[0].ports[1].port: must be integer or string'],
  ]);
  assert.deepEqual(schema(text), []);
  const types = diagnostics(text).filter((p) => p.code === 'netpol.type');
  assert.deepEqual(
    types.map((p) => text.slice(p.range.start.offset, p.range.end.offset)),
    ['[80, 81]'],
  );
});

test('types the model does not read are reported by the schema', () => {
  const text = policy('', '  generation: one\n  annotations:\n    example.com/owner: 7\n  finalizers: x\n');
  assert.deepEqual(schema(text), [
    ['one', 'metadata.generation: must be integer'],
    ['7', 'metadata.annotations["example.com/owner"]: must be string'],
    ['x', 'metadata.finalizers: must be a list'],
  ]);
});

test('formats: a 32-bit port, an RFC 3339 timestamp', () => {
  const text = policy(
    `  ingress:
    - ports:
        - port: 3000000000
`,
    '  creationTimestamp: yesterday\n',
  );
  assert.deepEqual(rawIssues(text), [
    ['yesterday', 'metadata.creationTimestamp: must be an RFC 3339 date-time such as 2024-01-31T12:00:00Z'],
    ['3000000000', 'spec.ingress[0].ports[0].port: must be a 32-bit integer'],
  ]);
  // The port is out of range for the API server too, which says so in its own words.
  assert.deepEqual(schema(text), [
    ['yesterday', 'metadata.creationTimestamp: must be an RFC 3339 date-time such as 2024-01-31T12:00:00Z'],
  ]);
  assert.deepEqual(schema(policy('', '  creationTimestamp: "2024-01-31T12:00:00Z"\n')), []);
});

test('a missing required field points at the key of the object that lacks it', () => {
  const text = policy(`  egress:
    - to:
        - ipBlock:
            except: [10.0.0.0/24]
`);
  assert.deepEqual(rawIssues(text), [
    ['ipBlock', 'spec.egress[0].to[0].ipBlock.cidr: required field is missing'],
  ]);
  // netpol.invalid-cidr reports the same place in the API server's words; the schema stays quiet.
  assert.deepEqual(schema(text), []);
  assert.deepEqual(
    diagnostics(text)
      .filter((p) => p.code === 'netpol.invalid-cidr')
      .map((p) => p.message),
    ['spec.egress[0].to[0].ipBlock.cidr: Required value'],
  );
});

test('a required field missing in a list item points at the item', () => {
  const text = policy('').replace(
    '    matchLabels:\n      app: web\n',
    '    matchExpressions:\n      - {values: [a]}\n',
  );
  assert.deepEqual(rawIssues(text), [
    ['{values: [a]}', 'spec.podSelector.matchExpressions[0].key: required field is missing'],
    ['{values: [a]}', 'spec.podSelector.matchExpressions[0].operator: required field is missing'],
  ]);
});

test('enums the API-server rules cover are not reported twice', () => {
  const text = policy(`  policyTypes: [ingress]
  ingress:
    - ports:
        - protocol: tcp
`);
  assert.deepEqual(rawIssues(text), [
    ['ingress', 'spec.policyTypes[0]: must be one of "Ingress", "Egress"'],
    ['tcp', 'spec.ingress[0].ports[0].protocol: must be one of "TCP", "UDP", "SCTP"'],
  ]);
  assert.deepEqual(schema(text), []);
  const codes = diagnostics(text).map((p) => p.code);
  assert.ok(codes.includes('netpol.invalid-policy-types') && codes.includes('netpol.invalid-protocol'));
});

test('aliases are followed and merge keys are not unknown fields', () => {
  const text = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: shop
spec:
  podSelector: &web
    matchLabels:
      app: web
  ingress:
    - from:
        - podSelector: *web
          <<: {namespaceSelector: {}}
          namespaceSelectr: {}
`;
  assert.deepEqual(schema(text), [
    ['namespaceSelectr', 'unknown field spec.ingress[0].from[0].namespaceSelectr'],
  ]);
});

test('only networking.k8s.io/v1 NetworkPolicies are validated, and not documents with YAML errors', () => {
  const old = policy('  ingres: []\n').replace('networking.k8s.io/v1', 'extensions/v1beta1');
  assert.deepEqual(schema(old), []);
  const namespace = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  bogus: 1\n';
  assert.deepEqual(schema(namespace), []);
  const broken = `${policy('  ingres: []\n')}  egress: [\n`;
  assert.deepEqual(schema(broken), []);
  assert.ok(diagnostics(broken).some((p) => p.code === 'netpol.yaml-syntax'));
});

test('each policy of a multi-document file is located in its own document', () => {
  const first = policy('');
  const second = policy('  ingres: []\n').replace('allow-web', 'second');
  const text = `${first}---\n${second}`;
  const [problem, ...rest] = diagnostics(text).filter((p) => p.code === 'netpol.schema');
  assert.deepEqual(rest, []);
  assert.equal(text.slice(problem.range.start.offset, problem.range.end.offset), 'ingres');
  assert.equal(
    problem.range.start.line,
    text.split('\n').findIndex((l) => l.startsWith('  ingres')),
  );
  assert.equal(problem.range.start.character, 2);
});

test('an alias bomb does not hang or throw', () => {
  const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 12; i++)
    lines.push(
      `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]`,
    );
  const text = policy('', `  annotations:\n    ${lines.join('\n    ')}\n`);
  const started = Date.now();
  assert.deepEqual(schema(text), []);
  assert.ok(Date.now() - started < 5000);
});

test('severity off silences the schema check', () => {
  const text = policy('  ingres: []\n');
  assert.equal(diagnostics(text).filter((p) => p.code === 'netpol.schema').length, 1);
  assert.deepEqual(
    diagnostics(text, { 'netpol.schema': 'off' }).filter((p) => p.code === 'netpol.schema'),
    [],
  );
});

test('the bundled schemas are valid JSON Schemas (the validator skips that check at run time)', () => {
  const ajv = new Ajv({ strict: false });
  for (const bundled of [networkPolicySchema, expectationsSchema]) {
    assert.equal(ajv.validateSchema(bundled), true, ajv.errorsText(ajv.errors));
  }
  // And the check can fail: a wrong type for `properties` is caught.
  assert.equal(ajv.validateSchema({ type: 'object', properties: 3 }), false);
});

test('the NetworkPolicy validator compiled ahead of time is current (run `npm run generate`) and agrees with one compiled now', () => {
  assert.equal(readFileSync(VALIDATOR_PATH, 'utf8'), networkPolicyValidatorSource());
  const now = new Ajv(AJV_OPTIONS).compile(closeObjects(networkPolicySchema));
  const policies: unknown[] = [
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'a' }, spec: {} },
    { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', spec: { podSelector: {}, ingres: [] } },
    {
      kind: 'NetworkPolicy',
      spec: { podSelector: {}, ingress: [{ ports: [{ port: 2 ** 31 }, { port: true }] }] },
    },
    { metadata: { creationTimestamp: '2024-01-31 12:00' }, spec: { podSelector: { matchLabels: 1 } } },
  ];
  const errorsOf = (validate: (data: unknown) => boolean, data: unknown) =>
    validate(data) ? [] : (validate as unknown as { errors: unknown[] }).errors;
  let errors = 0;
  for (const policy of policies) {
    const expected = errorsOf(now, policy);
    errors += expected.length;
    assert.deepEqual(errorsOf(validateNetworkPolicy, policy), expected);
  }
  assert.ok(errors >= 6, `the examples have errors (${errors})`);
});

/** plainData against toJS (+ nulls dropped), field order included; how many objects each path took. */
function comparePlainData(objects: readonly KubeObject[]): { plain: number; converted: number } {
  const count = { plain: 0, converted: 0 };
  for (const obj of objects) {
    const plain = plainData(obj.node);
    if (plain === NOT_PLAIN) {
      count.converted++;
      continue;
    }
    count.plain++;
    const converted = convertedData(obj);
    assert.deepEqual(plain, converted);
    assert.equal(JSON.stringify(plain), JSON.stringify(converted));
  }
  return count;
}

test('the validator data read straight from the nodes equals toJS with nulls dropped, on every fixture', () => {
  const folders = readdirSync('test-fixtures', { withFileTypes: true }).filter((e) => e.isDirectory());
  let total = { plain: 0, converted: 0 };
  for (const folder of folders) {
    const objects = analyzeFiles(loadFixture(folder.name)).files.flatMap((f) => f.objects);
    const count = comparePlainData(objects);
    total = { plain: total.plain + count.plain, converted: total.converted + count.converted };
  }
  assert.ok(total.plain > 100, `objects read straight: ${total.plain}`);
});

test('the validator data of corners: repeated keys, nulls, odd keys and values that only toJS converts', () => {
  const spec = (body: string) => analyzeFiles([{ uri: URI, text: policy(body) }]).files[0].objects;
  // Read straight, and equal to toJS: a repeated key keeps its first place and last value, nulls drop.
  const straight = [
    '  a: 1\n  b: ~\n  c: 2\n  b: 3\n',
    '  a: 1\n  a: ~\n',
    '  a: ~\n  a: 1\n',
    '  80: http\n  true: yes\n  1.5: x\n  "2": y\n',
    '  list: [1, ~, {b: ~, c: [~]}, "", null]\n  empty:\n  nested: {x: {y: ~}}\n',
    "  'toString': 1\n  constructor: 2\n  hasOwnProperty: ~\n",
  ];
  for (const body of straight) {
    assert.deepEqual(comparePlainData(spec(body)), { plain: 1, converted: 0 }, body);
  }
  // Left to toJS.
  const converted = [
    '  __proto__: {a: 1}\n',
    '  base: &b {x: 1}\n  copy: *b\n',
    '  <<: {x: 1}\n',
    '  "<<": 1\n',
    '  at: 2001-12-14\n',
    '  ~: x\n',
    '  ? [a, b]\n  : x\n',
    '  data: !!binary aGVsbG8=\n',
  ];
  for (const body of converted) {
    assert.deepEqual(comparePlainData(spec(body)), { plain: 0, converted: 1 }, body);
  }
  // What the validator is given for a repeated key and for nulls, written down.
  const [obj] = spec('  a: 1\n  b: ~\n  c: 2\n  b: 3\n  d: [~, 1]\n');
  const data = plainData(obj.node) as { spec: Record<string, unknown> };
  assert.equal(
    JSON.stringify(data.spec),
    '{"podSelector":{"matchLabels":{"app":"web"}},"a":1,"b":3,"c":2,"d":[null,1]}',
  );
});
