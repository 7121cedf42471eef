// Host-networked pods and cluster-scoped policies (spec §1, Subjects): such a pod is never selected as a
// subject, nor by a `namespaces`/`pods` peer, so the Admin and Baseline tiers pass it by. The verdicts are
// written down from the spec, on its base workspace plus a hostNetwork pod in namespaces a and b.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SourceFile } from '../../server/src/core/index';
import { serviceOf } from '../support/convert';
import { loadFixture, unescapeMarkdown } from '../support/fixtures';

const HOST_PODS = `apiVersion: v1
kind: Pod
metadata: {name: node-agent, namespace: a, labels: {app: web}}
spec: {hostNetwork: true, containers: [{name: agent, image: agent}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: exporter, namespace: b}
spec:
  selector: {matchLabels: {app: exporter}}
  template:
    metadata: {labels: {app: exporter}}
    spec: {hostNetwork: true, containers: [{name: e, image: exporter}]}
`;

const GUARD = `apiVersion: policy.networking.k8s.io/v1alpha2
kind: ClusterNetworkPolicy
metadata: {name: guard}
spec:
  tier: Admin
  priority: 10
  subject: {pods: {namespaceSelector: {matchLabels: {team: a}}, podSelector: {matchLabels: {app: web}}}}
  ingress: [{name: deny-from-b, action: Deny, from: [{namespaces: {matchLabels: {team: b}}}]}]
  egress: [{name: deny-to-b, action: Deny, to: [{namespaces: {matchLabels: {team: b}}}]}]
`;

function verdicts(files: SourceFile[], pairs: [string, string][]): string[] {
  const reach = serviceOf(files).state().analysis.reachability;
  return pairs.map(([from, to]) => {
    const source = reach.findPeer(from, 'source');
    const destination = reach.findPeer(to, 'destination');
    assert.ok(source && destination, `${from} -> ${to}`);
    return `${from} -> ${to}: ${reach.query(source, destination).allowed ? 'allowed' : 'denied'}`;
  });
}

test('a hostNetwork pod is neither a subject nor a peer of a cluster policy', () => {
  const base = loadFixture('cluster-policies/e1-priority').filter((f) =>
    f.uri.endsWith('namespaces-and-pods.yaml'),
  );
  const files = [
    ...base,
    { uri: 'file:///w/host.yaml', text: HOST_PODS },
    { uri: 'file:///w/guard.yaml', text: GUARD },
  ];
  assert.deepEqual(
    verdicts(files, [
      ['b/client', 'a/web'],
      ['b/client', 'a/node-agent'],
      ['a/web', 'b/client'],
      ['a/web', 'b/exporter'],
      ['b/exporter', 'a/web'],
    ]),
    [
      'b/client -> a/web: denied',
      'b/client -> a/node-agent: allowed',
      'a/web -> b/client: denied',
      'a/web -> b/exporter: allowed',
      'b/exporter -> a/web: allowed',
    ],
  );
  // The hover lists the subject's workloads without the host-networked one.
  const service = serviceOf(files);
  const guard = files[files.length - 1];
  const found = service.hover(guard.uri, guard.text.indexOf('subject') + 2);
  const hover = found && unescapeMarkdown(found.contents);
  assert.ok(hover && hover.includes('a/web[Pod]') && !hover.includes('node-agent'), hover);
});
