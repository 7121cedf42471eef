// The graph page's security: a strict CSP with a fresh nonce, no workspace text in the HTML, and
// hostile names carried as plain data (the headless browser test checks they render as text).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { analyzeFiles, buildGraph } from '../../server/src/core/index';
import { contentSecurityPolicy, escapeHtml, renderGraphPage } from '../../client/src/graph/html';
import { edgeDetails } from '../../client/src/webview/graph-model';
import { buildElements } from '../../client/src/webview/view-model';

const HOSTILE = '<img src=x onerror=alert(1)>';

/** A workspace whose names and labels are markup. Names are invalid for the API server, not for us. */
export function hostileWorkspace() {
  return [
    {
      uri: 'file:///ws/hostile.yaml',
      text: `apiVersion: apps/v1
kind: Deployment
metadata:
  name: "${HOSTILE}"
  namespace: "<script>alert(2)</script>"
spec:
  template:
    metadata:
      labels: { app: "x" }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  template:
    metadata:
      labels: { app: web }
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: "<b onmouseover=alert(3)>p</b>"
  namespace: "<script>alert(2)</script>"
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector: {}
`,
    },
  ];
}

const page = (nonce = randomBytes(18).toString('base64')) =>
  renderGraphPage({
    cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
    nonce,
    scripts: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js'],
    styles: ['https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css'],
  });

test('the page has a strict CSP: nothing by default, scripts only with the nonce', () => {
  const nonce = randomBytes(18).toString('base64');
  const html = page(nonce);
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.ok(csp, 'a CSP meta tag');
  const directives = new Map(
    csp.split(';').map((d) => {
      const [name, ...values] = d.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval') && !csp.includes('*'));
  assert.ok(!/https?:\/\/(?!file\+\.vscode-resource)/.test(csp), 'no remote origin');
  // Every script carries the nonce and none is inline.
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.ok(scripts.length > 0);
  for (const [, attributes, body] of scripts) {
    assert.ok(attributes.includes(`nonce="${nonce}"`));
    assert.match(attributes, /src="/);
    assert.equal(body.trim(), '');
  }
  assert.ok(!/\son[a-z]+=/i.test(html), 'no inline event handlers');
  assert.ok(!/style="/.test(html), 'no inline styles');
});

test('the nonce is fresh random text, never a guessable value', () => {
  assert.notEqual(page().match(/nonce="([^"]+)"/)?.[1], page().match(/nonce="([^"]+)"/)?.[1]);
  for (const weak of ['', 'abc', '"><script>', 'x'.repeat(8)]) assert.throws(() => page(weak));
});

test('hostile names stay data: labels are raw text for the canvas, the page never contains them', () => {
  const graph = buildGraph(analyzeFiles(hostileWorkspace()), { maxDenied: 100 });
  const elements = buildElements(graph, { hiddenNamespaces: [], showDenied: true });
  const node = elements.nodes.find((n) => n.data.label.startsWith(HOSTILE));
  assert.ok(node, 'the hostile workload is drawn');
  assert.equal(node.data.label, `${HOSTILE} [Deployment]`);
  assert.ok(
    elements.nodes.some((n) => n.data.kind === 'namespace' && n.data.label === '<script>alert(2)</script>'),
  );
  const edge = elements.edges.find((e) => e.data.target === node.data.id)!;
  const details = edgeDetails(graph, edge.data.id)!;
  assert.ok(
    JSON.stringify(details).includes('<b onmouseover=alert(3)>p</b>'),
    'the policy name reaches the details',
  );

  // The HTML is built without any workspace data; the graph travels by postMessage.
  const html = page();
  for (const text of [HOSTILE, 'onerror', 'alert(']) assert.ok(!html.includes(text), text);
});

test('attribute values in the page are escaped', () => {
  assert.equal(escapeHtml(`"'<>&`), `&quot;'&lt;&gt;&amp;`);
  const html = renderGraphPage({
    cspSource: 'vscode-resource:',
    nonce: randomBytes(18).toString('base64'),
    scripts: ['https://x/"><img src=x onerror=alert(1)>.js'],
    styles: [],
  });
  assert.ok(!html.includes('<img'), 'no markup injected through a URI');
  assert.ok(html.includes('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.js'));
  assert.ok(contentSecurityPolicy('vscode-resource:', 'n').includes('img-src vscode-resource: data:'));
});
