import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';

const WORKSPACE = {
  'namespaces.yaml': `apiVersion: v1
kind: Namespace
metadata: {name: web, labels: {tier: web}}
---
apiVersion: v1
kind: Namespace
metadata: {name: api, labels: {tier: api}}
`,
  'apps/web.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: web}
spec:
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: c, ports: [{containerPort: 80, name: http}]}]}
`,
  'apps/api.json': JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'api', namespace: 'api' },
    spec: {
      template: {
        metadata: { labels: { app: 'api' } },
        spec: { containers: [{ name: 'c', ports: [{ containerPort: 8080, name: 'http' }] }] },
      },
    },
  }),
  'policies/api.yml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-web, namespace: api}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress:
    - from: [{namespaceSelector: {matchLabels: {tier: web}}}]
      ports: [{port: http}]
`,
  'notes.txt': 'not a manifest',
};

function workspace(files: Record<string, string> = WORKSPACE): string {
  const root = mkdtempSync(join(tmpdir(), 'netpol-cli-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => (stdout += t), err: (t) => (stderr += t) });
  return { code, stdout, stderr };
}

test('reach prints the netpol-analyzer style connectivity list for a folder', async () => {
  const root = workspace();
  const { code, stdout, stderr } = await cli('reach', root, '--no-implicit');
  assert.equal(stderr, '');
  assert.equal(code, 0);
  assert.equal(
    stdout,
    [
      '0.0.0.0-255.255.255.255[External] => web/web[Deployment] : All Connections',
      'api/api[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'api/api[Deployment] => web/web[Deployment] : All Connections',
      'web/web[Deployment] => 0.0.0.0-255.255.255.255[External] : All Connections',
      'web/web[Deployment] => api/api[Deployment] : TCP 8080',
      '',
    ].join('\n'),
  );
});

test('implicit kube-dns appears unless --no-implicit', async () => {
  const root = workspace();
  const withDns = await cli('reach', root);
  assert.match(
    withDns.stdout,
    /^web\/web\[Deployment\] => kube-system\/kube-dns\[Deployment\] : All Connections$/m,
  );
  const without = await cli('reach', root, '--no-implicit');
  assert.doesNotMatch(without.stdout, /kube-dns/);
});

test('every output format renders the same pairs', async () => {
  const root = workspace();
  const csv = (await cli('reach', root, '--no-implicit', '-o', 'csv')).stdout.trim().split('\n');
  assert.equal(csv[0], 'src,dst,conn');
  assert.equal(csv.length, 6);
  assert.ok(csv.includes('web/web[Deployment],api/api[Deployment],TCP 8080'));
  const md = (await cli('reach', root, '--no-implicit', '-o', 'md')).stdout;
  assert.match(md, /^\| web\/web\\\[Deployment\\\] \| api\/api\\\[Deployment\\\] \| TCP 8080 \|$/m);
  const dot = (await cli('reach', root, '--no-implicit', '-o', 'dot')).stdout;
  assert.match(dot, /^digraph netpol \{/);
  assert.match(dot, /"web\/web\[Deployment\]" -> "api\/api\[Deployment\]" \[label="TCP 8080"\];/);
  const mermaid = (await cli('reach', root, '--no-implicit', '-o', 'mermaid')).stdout;
  assert.match(mermaid, /^flowchart LR/);
  assert.match(mermaid, /-->\|"TCP 8080"\|/);
  const json = JSON.parse((await cli('reach', root, '--no-implicit', '-o', 'json')).stdout);
  assert.equal(json.version, 1);
  const pair = json.connections.find(
    (c: { src: string; dst: string }) => c.src === 'web/web[Deployment]' && c.dst === 'api/api[Deployment]',
  );
  assert.deepEqual(pair.connections, { TCP: [[8080, 8080]] });
  assert.equal(pair.egress.isolated, false);
  assert.equal(pair.ingress.isolated, true);
  assert.deepEqual(pair.ingress.policies, ['api/api-from-web']);
  assert.equal(pair.ingress.rules[0].ruleIndex, 0);
  assert.equal(pair.ingress.rules[0].location.line, 7);
});

test('can answers with the deciding rules and exit code 0/1', async () => {
  const root = workspace();
  const allowed = await cli(
    'can',
    root,
    '--from',
    'web/web',
    '--to',
    'api/api[Deployment]',
    '--port',
    '8080/tcp',
  );
  assert.equal(allowed.code, 0);
  assert.match(allowed.stdout, /^ALLOWED: web\/web\[Deployment\] => api\/api\[Deployment\] on 8080\/TCP$/m);
  assert.match(allowed.stdout, /allowed by api\/api-from-web spec\.ingress\[0\] \(TCP 8080\)/);
  const denied = await cli('can', root, '--from', 'web/web', '--to', 'api/api', '--port', '80');
  assert.equal(denied.code, 1);
  assert.match(denied.stdout, /^DENIED: /);
  const external = await cli('can', root, '--from', '8.8.8.8', '--to', 'api/api');
  assert.equal(external.code, 1);
  assert.match(external.stdout, /external address, no policy applies/);
});

test('explain prints the plain-English account of each policy', async () => {
  const { code, stdout } = await cli('explain', workspace());
  assert.equal(code, 0);
  assert.match(stdout, /^NetworkPolicy api\/api-from-web$/m);
  assert.match(stdout, /Selects pods app=api in namespace api: api\/api\[Deployment\]\./);
  assert.match(
    stdout,
    /spec\.ingress\[0\]: from all pods in namespaces tier=web, on TCP named port http \(matches web\/web\[Deployment\]\)/,
  );
  assert.match(stdout, /Egress: not affected by this policy\./);
});

test('bad input is reported with file:line:column, the rest is still analysed, what it could change is unknown', async () => {
  const root = workspace({
    ...WORKSPACE,
    'broken.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata: {name: [oops\n',
    'typed.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: t, namespace: api}\nspec:\n  podSelector: {}\n  egress:\n    - ports: [{port: {a: 1}}]\n',
  });
  const { code, stdout, stderr } = await cli('reach', root, join(root, 'missing.yaml'), '--no-implicit');
  assert.equal(code, 1);
  assert.match(stderr, /netpol-lens: cannot read .*missing\.yaml: no such file or folder/);
  assert.match(stderr, /broken\.yaml:\d+:\d+: error: .* \[netpol\.yaml-syntax\]/);
  assert.match(
    stderr,
    /typed\.yaml:7:22: error: spec\.egress\[0\]\.ports\[0\]\.port: expected an integer or a string \[netpol\.type\]/,
  );
  // The unreadable policy in namespace api could change every connection of api's pods.
  assert.doesNotMatch(stdout, /api\/api/);
  assert.match(
    stderr,
    /\d+ connection\(s\) are unknown and not listed, because these cannot be read:\n {2}NetworkPolicy api\/t/,
  );
  assert.match(
    stdout,
    /0\.0\.0\.0-255\.255\.255\.255\[External\] => web\/web\[Deployment\] : All Connections/,
  );
});

test('usage errors exit 2', async () => {
  assert.equal((await cli('reach')).code, 2);
  assert.equal((await cli('frobnicate', '.')).code, 2);
  assert.equal((await cli('reach', '.', '-o', 'xml')).code, 2);
  assert.equal((await cli('can', workspace(), '--from', 'web/web')).code, 2);
  assert.equal(
    (await cli('can', workspace(), '--from', 'web/web', '--to', 'api/api', '--port', '70000')).code,
    2,
  );
  const unknown = await cli('can', workspace(), '--from', 'web/wbe', '--to', 'api/api');
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--from web\/wbe: no such peer/);
});

test(
  'the bundled dist/cli.js runs as an executable',
  { skip: !existsSync('dist/cli.js') && 'run npm run build first' },
  () => {
    const result = spawnSync(process.execPath, ['dist/cli.js', 'reach', workspace(), '--no-implicit'], {
      encoding: 'utf8',
    });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /web\/web\[Deployment\] => api\/api\[Deployment\] : TCP 8080/);
  },
);

test('check reports diagnostics as text, JSON and SARIF, failing at the threshold', async () => {
  const root = workspace({
    ...WORKSPACE,
    'typed.yaml':
      'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: t, namespace: api}\nspec:\n  podSelector: {}\n  ingress:\n    - ports: [{port: {a: 1}}]\n',
  });
  const text = await cli('check', root);
  assert.equal(text.code, 1);
  assert.match(
    text.stdout,
    /typed\.yaml:7:22 error netpol\.type spec\.ingress\[0\]\.ports\[0\]\.port: expected an integer or a string$/m,
  );
  // The type error, and the policy it makes unreadable.
  assert.match(text.stderr, /\d+ problem\(s\): 2 error\(s\)/);

  const json = JSON.parse((await cli('check', root, '-f', 'json')).stdout);
  const typed = json.find((p: { code: string }) => p.code === 'netpol.type');
  assert.deepEqual([typed.line, typed.column, typed.severity], [7, 22, 'error']);

  const sarif = JSON.parse((await cli('check', root, '--format', 'sarif')).stdout);
  assert.equal(sarif.version, '2.1.0');
  const run = sarif.runs[0];
  assert.equal(run.tool.driver.name, 'netpol-lens');
  const result = run.results.find((r: { ruleId: string }) => r.ruleId === 'netpol.type');
  assert.equal(result.level, 'error');
  assert.deepEqual(result.locations[0].physicalLocation.region, {
    startLine: 7,
    startColumn: 22,
    endLine: 7,
    endColumn: 28,
  });
  assert.equal(run.tool.driver.rules[result.ruleIndex].id, 'netpol.type');

  const warn = ['--severity', 'netpol.type=warning', '--severity', 'netpol.unreadable=warning'];
  const downgraded = await cli('check', root, ...warn);
  assert.equal(downgraded.code, 0, 'a warning does not fail with the default --fail-on error');
  assert.match(downgraded.stdout, /typed\.yaml:7:22 warning netpol\.type/);
  assert.equal((await cli('check', root, ...warn, '--fail-on', 'warning')).code, 1);
  const silenced = await cli('check', root, '--severity', 'netpol.type=off', '--fail-on', 'never');
  assert.doesNotMatch(silenced.stdout, /netpol\.type/);
  assert.equal(silenced.code, 0);
  assert.equal((await cli('check', root, '--severity', 'type=loud')).code, 2);
});
