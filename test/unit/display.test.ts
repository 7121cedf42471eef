// What people are shown of the manifests' own text: control characters escaped, long values cut, by
// one helper (server/src/core/display.ts) that every output uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { displayJson, displayLines, displayText, thousands } from '../../server/src/core/index';
import { serviceOf } from '../support/fixtures';

test('control characters are escaped, the rest is left as it is', () => {
  assert.equal(displayText('web\u001b[31mRED\u0007'), 'web\\u001b[31mRED\\u0007');
  assert.equal(displayText('a\r\nb\tc'), 'a\\r\\nb\\tc');
  assert.equal(displayText('sh\u202eop cl\u009bient \u2028'), 'sh\\u202eop cl\\u009bient \\u2028');
  assert.equal(displayText('shop/web[Pod] => 10.0.0.0/8 : TCP 80'), 'shop/web[Pod] => 10.0.0.0/8 : TCP 80');
  assert.equal(displayText('Grüße, 東京'), 'Grüße, 東京');
  // Line breaks between lines stay; one inside a line is escaped.
  assert.equal(displayLines(['one', 'tw\no']), 'one\ntw\\no');
  // Idempotent: text that was made safe once passes unchanged.
  const once = displayText(`"${'x'.repeat(1000)}" \u001b`);
  assert.equal(displayText(once), once);
});

test('a quoted value is cut after 256 characters, a run without spaces only beyond any valid id', () => {
  const value = 'v'.repeat(300);
  assert.equal(displayText(`Invalid value: "${value}": bad`), `Invalid value: "${'v'.repeat(256)}…": bad`);
  // A name just too long for Kubernetes (254) is quoted whole, as the API server quotes it.
  assert.equal(displayText(`"${'n'.repeat(254)}"`), `"${'n'.repeat(254)}"`);
  // A valid id (63-character namespace, 253-character name) is never cut.
  const id = `${'n'.repeat(63)}/${'a'.repeat(253)}[Deployment]`;
  assert.equal(displayText(`${id} => x`), `${id} => x`);
  assert.equal(displayText('w'.repeat(1000)), `${'w'.repeat(256)}…`);
  // Whatever it quotes, a line stays bounded (spaces defeat the per-value cut).
  assert.ok(displayText('a '.repeat(100_000)).length <= 10_001);
});

test('JSON for a terminal escapes C1 and bidi characters too, and reads back as the same value', () => {
  const value = { name: 'sh\u202eop', label: 'cl\u009bient', esc: '\u001b' };
  const text = displayJson(value);
  assert.doesNotMatch(text, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/); // eslint-disable-line no-control-regex
  assert.deepEqual(JSON.parse(text), value);
});

const FIVE_MB = 'x'.repeat(5 * 1024 * 1024);

const HUGE = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web, blob: "${'y'.repeat(300)}"}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: huge, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from:
        - podSelector: {matchLabels: {blob: "${FIVE_MB}"}}
        - podSelector: {matchExpressions: [{key: tier, operator: In, values: ["${'z'.repeat(300)}"]}]}
`;

// One 5 MB value (a selector's), and values of 300 characters in a pod's labels and an expression.
test('a 5 MB label value: every diagnostic, hover, explanation and answer stays short', () => {
  const uri = 'file:///w/huge.yaml';
  const service = serviceOf([{ uri, text: HUGE }]);
  const problems = service.allDiagnostics();
  // Independently written: the 5 MB and the 300-character values are not valid label values (at most 63).
  assert.ok(problems.filter((p) => p.code === 'netpol.invalid-label-value').length >= 2);
  for (const p of problems) assert.ok(p.message.length < 1000, `${p.code}: ${p.message.length} characters`);
  const quoted = problems.filter((p) => p.code === 'netpol.invalid-label-value').map((p) => p.message);
  assert.ok(
    quoted.some((m) => new RegExp(`"x{256}…"`).test(m)),
    quoted.join('\n'),
  );

  for (const { text } of service.explainPolicies()) {
    for (const line of text.split('\n')) assert.ok(line.length < 2000, `explain line of ${line.length}`);
  }
  const answer = service.canReach('shop/web', 'shop/web');
  assert.ok(answer.found && answer.text.length < 5000, 'can');

  // A hover at each line of the policy (on the key and on the value).
  const lines = HUGE.split('\n');
  let offset = 0;
  let hovers = 0;
  for (const line of lines) {
    for (const column of [line.search(/\S/), line.indexOf('"') + 1]) {
      if (column <= 0) continue;
      const hover = service.hover(uri, offset + column);
      if (!hover) continue;
      hovers++;
      const shown = hover.contents;
      assert.ok(shown.length < 10_000, `hover on line "${line.slice(0, 40)}": ${shown.length} characters`);
    }
    offset += line.length + 1;
  }
  assert.ok(hovers >= 3, `only ${hovers} hovers`);
  const reach = service.reachability('txt');
  assert.ok(reach.length < 10_000);
});

test('thousands are written with commas, as en-US writes them, without loading locale data', () => {
  // Written down by hand, and checked against the locale formatter it replaces.
  const expected: [number, string][] = [
    [0, '0'],
    [7, '7'],
    [999, '999'],
    [1000, '1,000'],
    [3900, '3,900'],
    [65536, '65,536'],
    [100000, '100,000'],
    [1234567, '1,234,567'],
    [-1234, '-1,234'],
    [1234.5, '1,234.5'],
  ];
  for (const [n, text] of expected) {
    assert.equal(thousands(n), text);
    assert.equal(thousands(n), n.toLocaleString('en-US', { maximumFractionDigits: 20 }));
  }
});
