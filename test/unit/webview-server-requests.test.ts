// The custom requests behind the graph, "Can A reach B?" and "Explain This Policy", through a real
// server session on the three-tier fixture; answers are checked against the engine and the YAML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { analyzeFiles, formatReachability } from '../../server/src/core/index';
import {
  CAN_REACH,
  EXPLAIN_POLICY,
  GRAPH,
  PEERS,
  type CanReachResult,
  type ExplainPolicyResult,
  type GraphResult,
  type JsonLocation,
  type PeerSummary,
  type ReachabilityJson,
} from '../../server/src/protocol';
import { initializeWorkspace, inProcessClient, type TestClient } from '../support/lsp-client';

const FIXTURE = resolve('test-fixtures/three-tier');

function manifests(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return manifests(path);
    return /\.ya?ml$/.test(name) && name !== 'claims.yaml' ? [path] : [];
  });
}

async function start(root: string, settings: Record<string, unknown> = {}): Promise<TestClient> {
  const client = inProcessClient(() => ({ debounceMs: 5, ...settings }));
  await initializeWorkspace(client, root);
  await client.waitFor(
    () => client.notifications.some((n) => n.method === 'netpolLens/analysisState'),
    'the first analysis',
  );
  return client;
}

/** The YAML line a 1-based location starts on. */
function lineAt(location: JsonLocation): string {
  const text = readFileSync(fileURLToPath(location.uri), 'utf8');
  return text.split('\n')[location.line - 1];
}

test('the graph request returns the engine JSON of the workspace, denied pairs and policy locations', async () => {
  const client = await start(FIXTURE);
  try {
    const graph: GraphResult = await client.connection.sendRequest(GRAPH, {});
    // The same analysis the CLI makes of these files (uris differ: compare by peer ids and connections).
    const files = manifests(FIXTURE).map((path) => ({
      uri: pathToFileURL(path).toString(),
      text: readFileSync(path, 'utf8'),
    }));
    const engine = JSON.parse(formatReachability(analyzeFiles(files), 'json')) as ReachabilityJson;
    const pairs = (r: ReachabilityJson) => r.connections.map((c) => `${c.src} => ${c.dst} : ${c.conn}`);
    assert.deepEqual(pairs(graph.reachability), pairs(engine));
    assert.ok(graph.reachability.connections.length > 0);

    const pods = graph.reachability.peers.filter((p) => p.type === 'pod').map((p) => p.id);
    const allowed = new Set(graph.reachability.connections.map((c) => `${c.src} => ${c.dst}`));
    assert.equal(graph.deniedTruncated, false);
    const expected = pods.flatMap((src) =>
      pods.filter((dst) => dst !== src && !allowed.has(`${src} => ${dst}`)),
    );
    assert.equal(graph.denied.length, expected.length, 'every pod pair without a connection is listed');
    for (const pair of graph.denied) {
      assert.ok(!allowed.has(`${pair.src} => ${pair.dst}`), `${pair.src} => ${pair.dst} is not allowed`);
      assert.ok(pair.egress.isolated || pair.ingress.isolated, 'a denied pair has an isolated side');
      for (const name of [...pair.egress.policies, ...pair.ingress.policies]) {
        assert.match(lineAt(graph.policies[name]), /^apiVersion:/, `${name} points at its document`);
      }
    }
    assert.ok(
      graph.denied.some(
        (d) => d.src === 'frontend/frontend[Deployment]' && d.dst === 'database/database[Deployment]',
      ),
    );
  } finally {
    await client.close();
  }
});

test('the graph request caps denied pairs and says so', async () => {
  const client = await start(FIXTURE);
  try {
    const graph: GraphResult = await client.connection.sendRequest(GRAPH, { maxDenied: 2 });
    assert.equal(graph.denied.length, 2);
    assert.equal(graph.deniedTruncated, true);
  } finally {
    await client.close();
  }
});

test('peers and canReach answer with the deciding rules, located in the YAML', async () => {
  const client = await start(FIXTURE);
  try {
    const peers: PeerSummary[] = await client.connection.sendRequest(PEERS, {});
    assert.ok(peers.some((p) => p.id === 'frontend/frontend[Deployment]' && p.type === 'pod'));
    assert.ok(peers.some((p) => p.implicit && p.namespace === 'kube-system'));

    const yes: CanReachResult = await client.connection.sendRequest(CAN_REACH, {
      source: 'frontend/frontend',
      destination: 'backend/backend',
      port: { port: 80, protocol: 'TCP' },
    });
    assert.equal(yes.allowed, true);
    assert.match(
      yes.text,
      /^ALLOWED: frontend\/frontend\[Deployment\] => backend\/backend\[Deployment\] on 80\/TCP/,
    );
    assert.ok(yes.egress.rules.length > 0 && yes.ingress.rules.length > 0);
    for (const rule of [...yes.egress.rules, ...yes.ingress.rules]) {
      assert.match(
        lineAt(rule.location),
        /^\s*- (to|from|ports):/,
        `${rule.policy} ${rule.direction}[${rule.ruleIndex}]`,
      );
    }

    const no: CanReachResult = await client.connection.sendRequest(CAN_REACH, {
      source: 'frontend/frontend',
      destination: 'database/database',
    });
    assert.equal(no.allowed, false);
    assert.ok(no.ingress.isolated && no.ingress.rules.length === 0);
    for (const name of no.ingress.policies) assert.ok(no.policies[name], `location of ${name}`);

    const missing: CanReachResult = await client.connection.sendRequest(CAN_REACH, {
      source: 'frontend',
      destination: 'backend/backend',
    });
    assert.equal(missing.found, false);
    assert.match(missing.message ?? '', /Did you mean frontend\/frontend/);
  } finally {
    await client.close();
  }
});

test('explainPolicy explains the policy at the cursor, and lists the others of the file', async () => {
  const client = await start(FIXTURE);
  try {
    const path = join(FIXTURE, 'policies', 'backend.yaml');
    const lines = readFileSync(path, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('name: allow-ingress-from-frontend'));
    const result: ExplainPolicyResult = await client.connection.sendRequest(EXPLAIN_POLICY, {
      uri: pathToFileURL(path).toString(),
      position: { line, character: 4 },
    });
    assert.equal(result.length, 3);
    const here = result.filter((r) => r.atPosition);
    assert.deepEqual(
      here.map((r) => r.name),
      ['backend/allow-ingress-from-frontend'],
    );
    assert.match(here[0].text, /^NetworkPolicy backend\/allow-ingress-from-frontend/);
    assert.match(here[0].text, /Ingress: isolates the selected pods/);
  } finally {
    await client.close();
  }
});

test('explainPolicy explains cluster policies too, in the order of the file', async () => {
  const root = resolve('test-fixtures/cluster-policies/e2-pass-to-networkpolicy');
  const client = await start(root);
  try {
    const path = join(root, 'policies.yaml');
    const lines = readFileSync(path, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('metadata: {name: default}'));
    const result: ExplainPolicyResult = await client.connection.sendRequest(EXPLAIN_POLICY, {
      uri: pathToFileURL(path).toString(),
      position: { line, character: 4 },
    });
    // The file holds an AdminNetworkPolicy, a NetworkPolicy and a BaselineAdminNetworkPolicy, in this order.
    assert.deepEqual(
      result.map((r) => r.name),
      ['AdminNetworkPolicy pass-b', 'a/web-from-b', 'BaselineAdminNetworkPolicy default'],
    );
    assert.deepEqual(
      result.map((r) => r.location.line),
      [2, 10, 18],
    );
    const here = result.filter((r) => r.atPosition);
    assert.deepEqual(
      here.map((r) => r.name),
      ['BaselineAdminNetworkPolicy default'],
    );
    assert.match(here[0].text, /^BaselineAdminNetworkPolicy default\n/);
    assert.match(result[0].text, /^AdminNetworkPolicy pass-b \(priority 10\)\n/);
    assert.match(
      result[0].text,
      /passes ingress to all pods in namespaces team=a from all pods in namespaces team=b/,
    );
  } finally {
    await client.close();
  }
});

test('netpolLens.schemaValidation off silences schema diagnostics only', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-schema-'));
  writeFileSync(
    join(root, 'policy.yaml'),
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  unknownField: 1
  ingress:
    - ports:
        - port: [80]
`,
  );
  const uri = pathToFileURL(join(root, 'policy.yaml')).toString();
  const codes = async (settings: Record<string, unknown>) => {
    const client = await start(root, settings);
    try {
      return await client.waitFor(
        () => client.latest(uri)?.diagnostics.map((d) => String(d.code)),
        'diagnostics',
      );
    } finally {
      await client.close();
    }
  };
  const auto = await codes({});
  assert.ok(auto.includes('netpol.schema'), `schema diagnostics by default: ${auto.join(', ')}`);
  const off = await codes({ schemaValidation: 'off' });
  assert.ok(!off.includes('netpol.schema'), `no schema diagnostics when off: ${off.join(', ')}`);
  assert.deepEqual(
    off,
    auto.filter((c) => c !== 'netpol.schema'),
  );
});

test('Can A Reach B? and the graph answer over an ingress list that starts with a non-mapping item', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netpol-nonmapping-'));
  writeFileSync(
    join(root, 'policy.yaml'),
    `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: db
  ingress:
    - just a string
    - from:
        - podSelector:
            matchLabels:
              app: web
---
apiVersion: v1
kind: Pod
metadata:
  name: db
  namespace: shop
  labels:
    app: db
---
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web
`,
  );
  const client = await start(root, { severity: { 'netpol.type': 'off' }, debounceMs: 7 });
  try {
    const answer: CanReachResult = await client.connection.sendRequest(CAN_REACH, {
      source: 'shop/web',
      destination: 'shop/db',
    });
    assert.equal(answer.found, true, answer.message);
    // The API server rejects the policy; read without its broken rule it could say anything: unknown.
    assert.match(answer.text, /^UNKNOWN: shop\/web\[Pod\] => shop\/db\[Pod\]/);
    assert.match(answer.text, /spec\.ingress\[0\]: expected a mapping/);
    assert.ok(!client.notifications.some((n) => JSON.stringify(n.params).includes('TypeError')));
    const graph: GraphResult = await client.connection.sendRequest(GRAPH, {});
    assert.ok(
      !graph.reachability.connections.some((c) => c.src === 'shop/web[Pod]' && c.dst === 'shop/db[Pod]'),
      'an unknown connection is not drawn as allowed',
    );
    // Editor settings never reach the engine's output.
    assert.deepEqual(Object.keys(graph.reachability.options).sort(), [
      'defaultNamespace',
      'implicitDns',
      'inferPods',
      'ipBlockMatchesPods',
      'podCIDRs',
    ]);
  } finally {
    await client.close();
  }
});
