// The classes of pods that rules reach, listed once per selector meaning: in one file of many policies a
// namespaceSelector such as `team: payments` matches a share of all namespaces, and lists per rule made the
// work grow with the square of the file. Counted (never timed) at two sizes of one generated file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDiagnostics } from '../../server/src/core/diagnostics/index';
import { portWork } from '../../server/src/core/diagnostics/lint-ports';
import { analyzeFiles } from '../../server/src/core/index';
import { selectionWork } from '../../server/src/core/selections';
import type { PolicyModel } from '../../server/src/core/types';
import { generateWorkspace } from '../../bench/generate';
import { loadFixture, serviceOf } from '../support/fixtures';
import * as lenses from '../../server/src/core/features/lenses';
import * as locate from '../../server/src/core/features/locate';

/** One file holding a generated workspace of `namespaces` namespaces (20 pods and 12 policies each). */
function singleFile(namespaces: number) {
  const workspace = generateWorkspace({
    name: `selections-${namespaces}`,
    namespaces,
    pods: namespaces * 20,
    policies: namespaces * 12,
  });
  return [{ uri: 'file:///scaling/all.yaml', text: workspace.files.map((f) => f.text).join('---\n') }];
}

/** Classes visited by the engine's selections and the port lints' summaries, for every diagnostic. */
function classWork(namespaces: number) {
  selectionWork.classVisits = 0;
  portWork.classes = 0;
  const analysis = analyzeFiles(singleFile(namespaces));
  const problems = computeDiagnostics(analysis);
  const ports = problems.filter(
    (p) => p.code === 'netpol.unknown-named-port' || p.code === 'netpol.unexposed-port',
  );
  return {
    visits: selectionWork.classVisits + portWork.classes,
    classes: analysis.reachability.classes.length,
    ports: ports.length,
  };
}

test('the classes rules reach are visited in linear work in one file of many policies (twice the input)', () => {
  const small = classWork(32);
  const large = classWork(64);
  assert.ok(small.ports > 0 && large.ports > small.ports, 'the port lints had something to report');
  assert.ok(small.visits > 0, 'the classes were visited');
  // Twice the namespaces, pods and policies: about twice the classes, and at most a little over twice the
  // visits (a list of the reached classes per rule made it four times).
  assert.ok(large.classes <= 2.2 * small.classes, `classes ${small.classes} → ${large.classes}`);
  assert.ok(large.visits <= 2.6 * small.visits, `class visits ${small.visits} → ${large.visits}`);
});

function policy(policies: readonly PolicyModel[], namespace: string, name: string): PolicyModel {
  const found = policies.find((p) => p.namespace === namespace && p.name === name);
  assert.ok(found, `${namespace}/${name}`);
  return found;
}

test('rules whose peers mean the same share one list of the classes they reach', () => {
  const analysis = analyzeFiles(loadFixture('three-tier'));
  const { model, reachability: reach } = analysis;
  const toBackend = policy(model.policies, 'frontend', 'allow-egress-to-backend');
  const fromBackend = policy(model.policies, 'database', 'allow-ingress-from-backend');
  const backendDns = policy(model.policies, 'backend', 'allow-egress-to-database');
  // `namespaceSelector: {tier: backend}` in frontend's egress and in database's ingress.
  const egress = reach.ruleClasses(toBackend, toBackend.egress[0]);
  assert.equal(reach.ruleClasses(fromBackend, fromBackend.ingress[0]), egress);
  assert.deepEqual(
    reach.ruleWorkloads(toBackend, toBackend.egress[0]).map((w) => w.id),
    ['backend/backend[Deployment]'],
  );
  // The DNS rule of frontend and of backend: kube-system's kube-dns pods, one list for both.
  const dns = reach.ruleClasses(toBackend, toBackend.egress[1]);
  assert.equal(reach.ruleClasses(backendDns, backendDns.egress[1]), dns);
  assert.deepEqual(
    dns.flatMap((c) => c.members.map((m) => m.namespace)),
    dns.flatMap(() => ['kube-system']),
  );
  assert.ok(dns.length > 0, 'cluster DNS is reached');
  assert.equal(
    reach.peerWorkloads(toBackend, toBackend.egress[1].peers![0]),
    reach.ruleWorkloads(toBackend, toBackend.egress[1]),
  );
});

/** Work of the editor features over the one file: lenses, the outline and every policy explained. */
function editorWork(namespaces: number) {
  const files = singleFile(namespaces);
  const service = serviceOf(files);
  service.allDiagnostics();
  selectionWork.classVisits = selectionWork.workloadsListed = 0;
  lenses.lensWork.policies = 0;
  locate.locateWork.indexed = 0;
  const titles = service.codeLenses(files[0].uri).map((l) => l.title);
  const lensWork = selectionWork.classVisits + lenses.lensWork.policies + locate.locateWork.indexed;
  locate.locateWork.indexed = 0;
  const symbols = service.documentSymbols(files[0].uri).length;
  const outline = locate.locateWork.indexed;
  selectionWork.classVisits = selectionWork.workloadsListed = 0;
  const explained = service.explainPolicies(files[0].uri).length;
  const explain = selectionWork.classVisits + selectionWork.workloadsListed;
  return { lensWork, outline, explain, lenses: titles.length, symbols, explained };
}

test('lenses, the outline and explanations of one large file take linear work (twice the input)', () => {
  const small = editorWork(32);
  const large = editorWork(64);
  assert.ok(small.lensWork > 0 && small.outline > 0 && small.explain > 0, 'the work was counted');
  for (const what of ['lenses', 'symbols', 'explained'] as const) {
    assert.ok(large[what] >= 1.9 * small[what], `${what} ${small[what]} → ${large[what]}`);
  }
  // At most a little over twice the work (a scan or a list per element was four times).
  for (const what of ['lensWork', 'outline', 'explain'] as const) {
    assert.ok(large[what] <= 2.6 * small[what], `${what} ${small[what]} → ${large[what]}`);
  }
});

test('a lens and an explanation count the workloads of a policy direction as the union of its peers lists them', () => {
  const files = singleFile(24);
  const analysis = analyzeFiles(files);
  const reach = analysis.reachability;
  let compared = 0;
  for (const p of analysis.model.policies) {
    for (const direction of ['ingress', 'egress'] as const) {
      const peers = p[direction].flatMap((r) => r.peers ?? []).filter((peer) => !peer.ipBlock);
      const listed = new Set(peers.flatMap((peer) => reach.peerWorkloads(p, peer).map((w) => w.id)));
      assert.equal(reach.peersWorkloadCount(p, peers), listed.size, `${p.id} ${direction}`);
      for (const rule of p[direction]) {
        const all = reach.ruleWorkloads(p, rule);
        assert.deepEqual(reach.ruleWorkloadsHead(p, rule, 8), { first: all.slice(0, 8), count: all.length });
      }
      if (listed.size > 0) compared++;
    }
  }
  assert.ok(compared > 100, `${compared} directions reached workloads`);
});
