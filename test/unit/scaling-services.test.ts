// The Services in front of a rule's destinations: looked up in the destinations' namespaces only. A scan
// of every Service of the workspace for each destination list grew with the square of a repository of
// many namespaces, each with its Services and policies. Counted (never timed) at two sizes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeDiagnostics } from '../../server/src/core/diagnostics/index';
import { portWork } from '../../server/src/core/diagnostics/lint-ports';
import { analyzeFiles } from '../../server/src/core/index';

/** One namespace: a web Deployment on 8080, two Services (one forwards 80 to 8080), a policy on port 80. */
function namespaceFile(n: number) {
  const ns = `team-${n}`;
  const text = `apiVersion: v1
kind: Namespace
metadata:
  name: ${ns}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: ${ns}
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx
          ports:
            - containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: ${ns}
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: metrics
  namespace: ${ns}
spec:
  selector:
    app: metrics
  ports:
    - port: 9090
      targetPort: 9091
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-from-anywhere
  namespace: ${ns}
spec:
  podSelector:
    matchLabels:
      app: web
  ingress:
    - ports:
        - port: 80
`;
  return { uri: `file:///services/${ns}.yaml`, text };
}

function serviceWork(namespaces: number) {
  portWork.services = 0;
  const files = Array.from({ length: namespaces }, (_, n) => namespaceFile(n));
  const problems = computeDiagnostics(analyzeFiles(files));
  return { services: portWork.services, reports: problems.filter((p) => p.code === 'netpol.service-port') };
}

test('the Services in front of each rule are found in linear work (twice the namespaces)', () => {
  const small = serviceWork(40);
  const large = serviceWork(80);
  // Each namespace's policy names the Service's port 80, which forwards to the pods' 8080.
  assert.equal(small.reports.length, 40);
  assert.equal(large.reports.length, 80);
  assert.ok(small.services > 0, 'Services were looked at');
  // Twice the namespaces: twice the Services looked at (every Service for every rule made it four times).
  assert.ok(large.services <= 2.2 * small.services, `services ${small.services} → ${large.services}`);
});

test('the Service found is the one of the destinations, named with its ports', () => {
  const { reports } = serviceWork(3);
  // 0-based line 60 of each file is `        - port: 80`; the number starts at character 16.
  assert.deepEqual(
    reports.map((p) => [p.uri, p.range.start.line, p.range.start.character]),
    [
      ['file:///services/team-0.yaml', 60, 16],
      ['file:///services/team-1.yaml', 60, 16],
      ['file:///services/team-2.yaml', 60, 16],
    ],
  );
  assert.match(
    reports[1].message,
    /^spec\.ingress\[0\]: port 80 is the port of Service team-1\/web, which forwards to targetPort 8080 on the pods\./,
  );
});
