// The graph on cluster-scoped policies: an edge that a tier decides names it ("Admin: guardrails") and
// is styled by tier, its details list each tier's rules, and policy kinds the analysis leaves out get a
// notice. The expected values are written down from the spec's worked examples (§5), not the engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFiles, buildGraph } from '../../server/src/core/index';
import {
  allowedEdgeId,
  deniedEdgeId,
  edgeDetails,
  unanalysedNotice,
} from '../../client/src/webview/graph-model';
import { buildElements } from '../../client/src/webview/view-model';
import { loadFixture } from '../support/fixtures';

function graphOf(example: string, extra: { uri: string; text: string }[] = []) {
  return buildGraph(analyzeFiles([...loadFixture(`cluster-policies/${example}`), ...extra]), {
    maxDenied: 10_000,
  });
}

function edge(graph: ReturnType<typeof graphOf>, id: string) {
  const found = buildElements(graph, { hiddenNamespaces: [], showDenied: true }).edges.find(
    (e) => e.data.id === id,
  );
  assert.ok(found, id);
  return found;
}

const WEB = 'a/web[Pod]';
const B = 'b/client[Pod]';
const C = 'c/client[Pod]';

test('E4: the Admin Allow names its tier on the edge; the NetworkPolicy-decided edge does not', () => {
  const graph = graphOf('e4-deny-above-networkpolicy');
  const fromC = edge(graph, allowedEdgeId(C, WEB));
  assert.equal(fromC.data.label, 'all · Admin: guardrails');
  assert.ok(fromC.classes.split(' ').includes('tier-admin'));
  const fromB = edge(graph, allowedEdgeId(B, WEB));
  assert.equal(fromB.data.tier, undefined);
  assert.ok(!fromB.classes.includes('tier-'));
  const details = edgeDetails(graph, allowedEdgeId(C, WEB))!;
  const ingress = details.sides[1];
  assert.equal(ingress.heading, `Ingress of ${WEB}`);
  assert.match(ingress.summary, /^Admin tier: .*allow-c/);
  assert.ok(
    ingress.links.some((l) => l.text.startsWith('Admin: AdminNetworkPolicy guardrails allow-c allows')),
    JSON.stringify(ingress.links),
  );
});

test('denied edges name the Admin or Baseline policy that denies them, not NetworkPolicy isolation', () => {
  const e1 = graphOf('e1-priority');
  const denied = edge(e1, deniedEdgeId(B, WEB));
  assert.equal(denied.data.label, 'denied · Admin: deny-b');
  assert.ok(denied.classes.split(' ').includes('tier-admin'));

  const e5 = graphOf('e5-baseline-under-networkpolicy');
  const baseline = edge(e5, deniedEdgeId(WEB, B));
  assert.equal(baseline.data.label, 'denied · Baseline: default');
  assert.ok(baseline.classes.split(' ').includes('tier-baseline'));
  const isolated = edge(e5, deniedEdgeId(C, WEB));
  assert.equal(isolated.data.label, 'denied');
});

test('policy kinds left out of the analysis get a notice; none without them', () => {
  assert.equal(unanalysedNotice(graphOf('e1-priority')), undefined);
  const graph = graphOf('e1-priority', [
    {
      uri: 'file:///w/cilium.yaml',
      text: 'apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: lock, namespace: a}\nspec: {}\n',
    },
  ]);
  assert.equal(
    unanalysedNotice(graph),
    'Not analysed: 1 policy of kinds netpol-lens does not evaluate (CiliumNetworkPolicy a/lock). The graph leaves them out, so a connection drawn here may be denied in the cluster.',
  );
});
