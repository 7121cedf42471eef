// Hostile-corpus cases for reading input as kubectl does (docs/semantics.md, "Reading input" and "Nothing
// vanishes silently"): lists whose items name no kind, static pods, merge keys, encodings, special files
// and documents whose kind or apiVersion is not a string. Each is read in full or reported at its place.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CliCase } from './corpus';

const POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - from: [{podSelector: {matchLabels: {app: client}}}]
`;

const POD = (name: string, app: string) =>
  `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}, namespace: shop, labels: {app: ${app}}}\n`;

/** UTF-16 text, with or without its byte-order mark. */
function utf16(text: string, { bom = true, bigEndian = false } = {}): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const bytes = bigEndian ? Buffer.from(le.map((_, i) => le[i ^ 1])) : le;
  const mark = bigEndian ? [0xfe, 0xff] : [0xff, 0xfe];
  return bom ? Buffer.concat([Buffer.from(mark), bytes]) : bytes;
}

/** Bytes that are no UTF-8, from a fixed seed (the corpus must be the same every run). */
function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let state = 0x2545f491;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    bytes[i] = ((state >>> 16) & 255) | 0x80; // high bytes: never valid UTF-8 as a whole
  }
  return bytes;
}

/** The client reaches web (the policy's one allowed pair), which only holds if both pods were read. */
const CLIENT_TO_WEB = /^shop\/client\[Pod\] => shop\/web\[Pod\] : All Connections$/m;

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false; // no mkfifo on this platform: the case is skipped
  }
}

export const READING_CASES: CliCase[] = [
  {
    kind: 'cli',
    name: 'list-items-without-kind',
    what: 'a PodList (JSON) whose items carry no kind or apiVersion, as older kubectl wrote it',
    files: {
      'pol.yaml': POLICY,
      'pods.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'PodList',
        items: [
          { metadata: { name: 'web', namespace: 'shop', labels: { app: 'web' } } },
          { metadata: { name: 'client', namespace: 'shop', labels: { app: 'client' } } },
        ],
      }),
    },
    command: ['reach', '--no-implicit'],
    expect: { exit: 0, stdout: CLIENT_TO_WEB },
  },
  {
    kind: 'cli',
    name: 'static-pods',
    what: 'mirror pods owned by their Node stand as themselves, never as one fake [Node] workload',
    files: {
      'pods.yaml': ['etcd', 'apiserver']
        .map(
          (name) =>
            `apiVersion: v1\nkind: Pod\nmetadata:\n  name: ${name}-node1\n  namespace: kube-system\n  labels: {component: ${name}}\n  ownerReferences: [{apiVersion: v1, kind: Node, name: node1, controller: true}]\n`,
        )
        .join('---\n'),
    },
    command: ['reach', '--no-implicit'],
    expect: {
      exit: 0,
      stdout: /^kube-system\/apiserver-node1\[Pod\] => kube-system\/etcd-node1\[Pod\] : All Connections$/m,
      notStdout: /\[Node\]/,
    },
  },
  {
    kind: 'cli',
    name: 'merge-keys-in-selector-and-labels',
    what: 'merge keys in matchLabels and labels: no Symbol(<<) error, and the selector selects web only',
    files: {
      'pods.yaml':
        `x-base: &base {tier: shop}\n---\n` +
        `apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  namespace: shop\n  labels: &web {<<: {tier: shop}, app: web}\n---\n` +
        POD('client', 'client'),
      'pol.yaml': `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: web, namespace: shop}\nspec:\n  podSelector:\n    matchLabels:\n      <<: {tier: shop}\n      app: web\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: client}}}]\n`,
    },
    command: ['reach', '--no-implicit'],
    expect: {
      exit: 0,
      stdout: CLIENT_TO_WEB,
      notStdout: /Symbol\(<<\)|0\.0\.0\.0-255\.255\.255\.255\[External\] => shop\/web/,
    },
  },
  {
    kind: 'cli',
    name: 'utf16-with-byte-order-marks',
    what: 'the policy in UTF-16 LE and the pods in UTF-16 BE, each with its byte-order mark',
    files: {
      'pol.yaml': utf16(POLICY),
      'pods.yaml': utf16(POD('web', 'web') + '---\n' + POD('client', 'client'), { bigEndian: true }),
    },
    command: ['reach', '--no-implicit'],
    expect: { exit: 0, stdout: CLIENT_TO_WEB },
  },
  {
    kind: 'cli',
    name: 'utf16-without-byte-order-mark',
    what: 'UTF-16 without a mark is reported, never read as UTF-8 garbage and skipped',
    files: { 'pol.yaml': utf16(POLICY, { bom: false }), 'pods.yaml': POD('web', 'web') },
    command: ['check'],
    expect: { exit: 1, located: [{ code: 'netpol.file-unreadable', file: 'pol.yaml', line: 1 }] },
  },
  {
    kind: 'cli',
    name: 'random-bytes',
    what: 'a .yaml file of random bytes is reported as undecodable',
    files: { 'noise.yaml': randomBytes(4096), 'pods.yaml': POD('web', 'web') },
    command: ['check'],
    expect: { exit: 1, located: [{ code: 'netpol.file-unreadable', file: 'noise.yaml', line: 1 }] },
  },
  {
    kind: 'cli',
    name: 'kind-list-and-numeric-apiversion',
    what: 'documents whose kind is a list or whose apiVersion is a number are reported at the value',
    files: {
      'pods.yaml':
        `apiVersion: v1\nkind: [Pod]\nmetadata: {name: a, namespace: shop}\n---\n` +
        `apiVersion: 1\nkind: NetworkPolicy\nmetadata: {name: b, namespace: shop}\n---\n` +
        `kind: [not, kubernetes]\nname: no apiVersion key: quiet\n`,
    },
    command: ['check'],
    expect: {
      exit: 1,
      located: [
        { code: 'netpol.type', file: 'pods.yaml', line: 2 },
        { code: 'netpol.type', file: 'pods.yaml', line: 5 },
      ],
    },
  },
  {
    kind: 'cli',
    name: 'fifo-named-yaml',
    what: 'a FIFO named x.yaml is reported, never opened (opening it would block forever)',
    files: { 'pods.yaml': POD('web', 'web') },
    prepare: (dir) => mkfifo(join(dir, 'x.yaml')),
    command: ['check'],
    expect: { exit: 1, located: [{ code: 'netpol.file-unreadable', file: 'x.yaml', line: 1 }] },
  },
  {
    kind: 'cli',
    name: 'symlinks-to-a-device-and-a-loop',
    what: 'a .yaml symlink to /dev/zero is reported, and a folder symlink loop ends',
    files: { 'pods.yaml': POD('web', 'web') + '---\n' + POD('client', 'client'), 'pol.yaml': POLICY },
    prepare(dir) {
      symlinkSync('/dev/zero', join(dir, 'zero.yaml'));
      mkdirSync(join(dir, 'sub'));
      symlinkSync('..', join(dir, 'sub', 'up'));
    },
    command: ['check'],
    expect: { exit: 1, located: [{ code: 'netpol.file-unreadable', file: 'zero.yaml', line: 1 }] },
  },
];
