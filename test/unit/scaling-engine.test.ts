// Work of the model build, the reachability engine and the rules after extraction that must grow linearly
// with the input: counted (never timed) at two sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles } from '../../server/src/core/index';
import { inferenceWork } from '../../server/src/core/model';

/**
 * `namespaces` namespaces without workloads, each with one policy that admits its own pods from `app: web`
 * pods of every namespace: every namespace gets two representative pods (its own `app: db` and `app: web`).
 */
function policiesOnly(namespaces: number) {
  const docs = Array.from({ length: namespaces }, (_, i) =>
    [
      'apiVersion: networking.k8s.io/v1',
      'kind: NetworkPolicy',
      `metadata: {name: db, namespace: ns-${i}}`,
      'spec:',
      '  podSelector: {matchLabels: {app: db}}',
      '  ingress:',
      '    - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]',
    ].join('\n'),
  );
  return [{ uri: 'file:///scaling/policies.yaml', text: docs.join('\n---\n') + '\n' }];
}

function inference(namespaces: number) {
  inferenceWork.records = 0;
  const analysis = analyzeFiles(policiesOnly(namespaces));
  const inferred = analysis.model.workloads.filter((w) => w.inferred).map((w) => w.id);
  return { records: inferenceWork.records, inferred };
}

test('representative pods for peers of every namespace take linear work (twice the input)', () => {
  const small = inference(40);
  const large = inference(80);
  // Written down independently: an app=db and an app=web pod in each namespace.
  assert.equal(small.inferred.length, 80);
  assert.ok(small.inferred.includes('ns-7/db[Pod]') && small.inferred.includes('ns-7/web[Pod]'));
  assert.equal(large.inferred.length, 160);
  assert.ok(small.records > 0, 'the selectors were recorded');
  // Every peer added to every namespace one by one made it four times.
  assert.ok(large.records <= 2.2 * small.records, `records ${small.records} → ${large.records}`);
});
