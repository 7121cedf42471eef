// Keystrokes in a file with one huge rule, through the language server: the edits, the diagnostics of the
// last version and a hover after them must cost about linear work in the rule's size. Measured as CPU
// time of this process (the in-process server does all the work here) for 1k and 8k peers, side by side
// in one run, as a ratio: never an absolute time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { initializeWorkspace, inProcessClient } from '../support/lsp-client';

const HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: many
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
`;

const PODS = `---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
spec:
  containers: [{name: web, image: nginx, ports: [{name: http, containerPort: 8080}]}]
`;

const net = (i: number) => `${10 + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;

/** One egress rule with n ipBlock peers, each with an except. */
function ipBlockPeers(n: number): string {
  const peers = Array.from(
    { length: n },
    (_, i) => `        - ipBlock: {cidr: ${net(i)}.0/24, except: [${net(i)}.0/28]}`,
  );
  return `${HEAD}${peers.join('\n')}\n${PODS}`;
}

/** One egress rule with n peers (ipBlocks and selectors) and n ports (numbers and names). */
function portsTimesPeers(n: number): string {
  const peers = Array.from({ length: n }, (_, i) =>
    i % 2
      ? `        - ipBlock: {cidr: ${net(i)}.0/24}`
      : `        - podSelector: {matchLabels: {app: a${i}}}`,
  );
  const ports = Array.from({ length: n }, (_, i) =>
    i % 3 ? `        - {port: ${1 + i}}` : `        - {port: http}`,
  );
  return `${HEAD}${peers.join('\n')}\n      ports:\n${ports.join('\n')}\n${PODS}`;
}

type Position = { line: number; character: number };

function positionOf(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - before.lastIndexOf('\n') - 1 };
}

/**
 * Opens the file in a fresh server, waits for it to settle, then measures the CPU of: typing a character
 * into the policy's name, deleting it, typing into the middle of the rule's last peer, the diagnostics of
 * that last version, and a hover on that peer.
 */
async function keystrokesCpu(text: string): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'netpol-keystrokes-'));
  const uri = pathToFileURL(join(root, 'many.yaml')).toString();
  const client = inProcessClient(() => ({ debounceMs: 0 }));
  try {
    await initializeWorkspace(client, root);
    await client.session!.warmedUp;
    await client.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    await client.waitFor(() => client.latest(uri)?.version === 1, 'the opened file published', 120_000);

    const name = positionOf(text, text.indexOf('many') + 4);
    const lastPeer = text.lastIndexOf('ipBlock');
    const inPeer = positionOf(text, text.indexOf('.0/', lastPeer));
    const edits: { range: { start: Position; end: Position }; text: string }[] = [
      { range: { start: name, end: name }, text: 'x' },
      { range: { start: name, end: { ...name, character: name.character + 1 } }, text: '' },
      { range: { start: inPeer, end: inPeer }, text: '1' }, // 10.0.5.0/24 → 10.0.51.0/24
    ];
    const start = process.cpuUsage();
    for (const [i, change] of edits.entries()) {
      await client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: 2 + i },
        contentChanges: [change],
      });
    }
    const last = 1 + edits.length;
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: inPeer,
    })) as { contents: { value: string } } | null;
    await client.waitFor(() => client.latest(uri)?.version === last, 'the last version published', 120_000);
    const used = process.cpuUsage(start);
    assert.ok(hover?.contents.value, 'the hover answers after the edits');
    assert.equal(client.session!.service.text(uri), applyEdits(text, edits));
    return used.user + used.system;
  } finally {
    await client.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function applyEdits(
  text: string,
  edits: { range: { start: Position; end: Position }; text: string }[],
): string {
  let result = text;
  for (const edit of edits) {
    const lines = result.split('\n');
    const offset = (p: Position) =>
      lines.slice(0, p.line).reduce((sum, l) => sum + l.length + 1, 0) + p.character;
    result = result.slice(0, offset(edit.range.start)) + edit.text + result.slice(offset(edit.range.end));
  }
  return result;
}

/** Work for 8× the peers may grow at most this many times (linear: about 8; quadratic: about 64). */
const BOUND = 24;

for (const [what, shape] of [
  ['one rule of n ipBlock peers with excepts', ipBlockPeers],
  ['one rule of n peers × n ports', portsTimesPeers],
] as const) {
  test(`keystrokes and a hover in ${what} cost about linear work through the server (1k vs 8k)`, async () => {
    await keystrokesCpu(shape(200)); // warm-up: the first run also compiles the code
    const small = await keystrokesCpu(shape(1000));
    const large = await keystrokesCpu(shape(8000));
    const ratio = large / Math.max(1, small);
    assert.ok(ratio <= BOUND, `work grew ${ratio.toFixed(1)}× for 8× the peers (bound ${BOUND}×)`);
  });
}
