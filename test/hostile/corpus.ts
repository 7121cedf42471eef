// The hostile corpus: broken and malicious input, generated (nothing here is a committed blob), each case
// with the outcome it must have. `npx tsx test/hostile/generate.ts OUT` writes it to a folder to try by
// hand; test/unit/hostile.test.ts generates it into a temporary folder and checks every expectation.
//
// Kinds of case:
// - `cli`: files (and, with `prepare`, special files) in a folder, one `netpol-lens` command run on it;
//   the exit code, located diagnostics (`check -f json`) and output patterns are checked.
// - `ratio`: the same work at two sizes, measured side by side in one run (CPU time of this process, the
//   after a warm-up); it must grow at most `bound` times as fast as the input. Linear work
//   passes with room, quadratic work (8x the input, 64x the work) cannot.
// - `stdio`: bytes and messages sent to `node dist/server.js --stdio`; whether it must stay alive
//   (answering a request afterwards) or exit with a non-zero code (so that the client restarts it).

import { createLanguageService } from '../../server/src/core/index';
import { NON_MAPPING_CASES, nonMappingFiles } from './non-mapping-cases';
import { READING_CASES } from './reading-cases';
import { SCALING_CASES } from './scaling-cases';

export interface Located {
  code: string;
  /** File name within the case's folder. */
  file: string;
  /** 1-based line. */
  line: number;
}

export interface CliCase {
  kind: 'cli';
  name: string;
  /** What is hostile about it, in one line. */
  what: string;
  files: Record<string, string | Uint8Array>;
  /** Creates what files cannot express (FIFOs, symlinks); may return false to skip on this platform. */
  prepare?(dir: string): boolean | void;
  /** The command and its options; the case's folder is appended, unless an argument names it as `{dir}`. */
  command: string[];
  expect: {
    exit: number;
    /** Diagnostics that must be reported where they are (checked through `check -f json`). */
    located?: Located[];
    stdout?: RegExp;
    notStdout?: RegExp;
    stderr?: RegExp;
  };
}

export interface RatioCase {
  kind: 'ratio';
  name: string;
  what: string;
  /** The manifest text for size n. */
  text(n: number): string;
  sizes: [number, number];
  /** Does the work for a text (analysis, diagnostics, a hover…). */
  run(text: string): void;
  /** Work(large)/work(small) must stay within bound × large/small. */
  bound: number;
}

export interface StdioCase {
  kind: 'stdio';
  name: string;
  what: string;
  /**
   * Raw chunks written to the server's stdin once `initialize` is answered; `frame` frames a message
   * correctly (`Content-Length`, then the JSON).
   */
  send(frame: (message: object) => string): string[];
  /** Close stdin after the chunks (the client went away mid-message). */
  endInput?: boolean;
  /** Alive: it still answers a request sent afterwards. Not alive: it exits non-zero, saying why on stderr. */
  expect:
    | {
        alive: true;
        /** Requests (by id) that must be answered with this JSON-RPC error code. */
        errors?: Record<number, number>;
      }
    | { alive: false; stderr: RegExp };
}

export type HostileCase = CliCase | RatioCase | StdioCase;

const POLICY_HEAD = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
`;

const PODS = `apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
`;

/** `depth` levels of `[` … `]` in a label value. */
function nested(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}

/** Billion laughs: each level an alias list of the level below. */
function aliasBomb(levels: number, width: number): string {
  const lines = ['x-bomb:', '  - &l0 [lol]'];
  for (let i = 1; i <= levels; i++) {
    lines.push(
      `  - &l${i} [${Array(width)
        .fill(`*l${i - 1}`)
        .join(', ')}]`,
    );
  }
  return lines.join('\n') + '\n';
}

/** One egress rule with `n` ipBlock peers, each with an except. */
function manyPeers(n: number): string {
  const peers = Array.from({ length: n }, (_, i) => {
    const net = `10.${(i >> 8) & 255}.${i & 255}`;
    return `        - ipBlock: {cidr: ${net}.0/24, except: [${net}.0/28]}`;
  });
  return `${POLICY_HEAD}spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n    - to:\n${peers.join('\n')}\n`;
}

/** A didOpen of a small policy, as a JSON-RPC message. */
function didOpen(version = 1): object {
  return {
    jsonrpc: '2.0',
    method: 'textDocument/didOpen',
    params: {
      textDocument: {
        uri: 'file:///hostile/stdio/pol.yaml',
        languageId: 'yaml',
        version,
        text: `${POLICY_HEAD}spec:\n  podSelector: {}\n`,
      },
    },
  };
}

function stdioCases(): StdioCase[] {
  const FRAMING_ERROR = /netpol-lens: the LSP input cannot be read \(.+\); exiting/;
  return [
    {
      kind: 'stdio',
      name: 'stdio-content-length-short',
      what: 'a Content-Length 10 bytes short: the body is not JSON, the next header is garbage',
      send: (frame) => {
        const body = frame(didOpen()).split('\r\n\r\n')[1];
        return [`Content-Length: ${Buffer.byteLength(body) - 10}\r\n\r\n${body}`];
      },
      expect: { alive: false, stderr: FRAMING_ERROR },
    },
    {
      kind: 'stdio',
      name: 'stdio-content-length-long',
      what: 'a Content-Length 40 bytes too long, then a well-framed message: the body runs into it',
      send: (frame) => {
        const body = frame(didOpen()).split('\r\n\r\n')[1];
        return [`Content-Length: ${Buffer.byteLength(body) + 40}\r\n\r\n${body}`, frame(didOpen(2))];
      },
      expect: { alive: false, stderr: FRAMING_ERROR },
    },
    {
      kind: 'stdio',
      name: 'stdio-garbage-header',
      what: 'a header line that is not `Key: value`',
      send: () => ['GET / HTTP/1.1\r\n\r\n'],
      expect: { alive: false, stderr: FRAMING_ERROR },
    },
    {
      kind: 'stdio',
      name: 'stdio-no-content-length',
      what: 'a header without Content-Length',
      send: () => ['Content-Type: application/json\r\n\r\n{}'],
      expect: { alive: false, stderr: FRAMING_ERROR },
    },
    {
      kind: 'stdio',
      name: 'stdio-content-length-not-a-number',
      what: 'Content-Length: many',
      send: () => ['Content-Length: many\r\n\r\n{}'],
      expect: { alive: false, stderr: FRAMING_ERROR },
    },
    {
      kind: 'stdio',
      name: 'stdio-header-without-end',
      what: '9 KB of bytes without a blank line (the pipe stays open): not buffered without bound',
      send: () => ['x'.repeat(3000), 'Content-Type: y\r\n'.repeat(400)],
      expect: { alive: false, stderr: /header longer than 8192 bytes/ },
    },
    {
      kind: 'stdio',
      name: 'stdio-content-length-huge',
      what: 'Content-Length: 99999999999 (the pipe stays open): refused, not waited for',
      send: () => ['Content-Length: 99999999999\r\n\r\n{"jsonrpc":"2.0"'],
      expect: { alive: false, stderr: /Content-Length 99999999999 is above the limit/ },
    },
    {
      kind: 'stdio',
      name: 'stdio-eof-inside-body',
      what: 'the input ends 40 bytes into a 400-byte body: an error line, exit non-zero',
      send: () => ['Content-Length: 400\r\n\r\n' + '{"jsonrpc":"2.0","method":"x"'.padEnd(40, ' ')],
      endInput: true,
      expect: { alive: false, stderr: /the input ended with 360 bytes of a message body missing/ },
    },
    {
      kind: 'stdio',
      name: 'stdio-eof-inside-header',
      what: 'the input ends inside a header: an error line, exit non-zero',
      send: () => ['Content-Length: 4'],
      endInput: true,
      expect: { alive: false, stderr: /the input ended inside a message header/ },
    },
    {
      kind: 'stdio',
      name: 'stdio-partial-body-then-rest',
      what: 'a body written in three pieces, the header split too: a partial message waits, then is read',
      send: (frame) => {
        const whole = frame(didOpen());
        const cuts = [10, whole.indexOf('\r\n\r\n') + 2, Math.floor(whole.length / 2)];
        return [
          whole.slice(0, cuts[0]),
          whole.slice(cuts[0], cuts[1]),
          whole.slice(cuts[1], cuts[2]),
          whole.slice(cuts[2]),
        ];
      },
      expect: { alive: true },
    },
    {
      kind: 'stdio',
      name: 'stdio-cancel-request',
      what: 'a hover and its $/cancelRequest in one write: answered with RequestCancelled, not a result',
      send: (frame) => [
        frame(didOpen()),
        frame({
          jsonrpc: '2.0',
          id: 5,
          method: 'textDocument/hover',
          params: {
            textDocument: { uri: 'file:///hostile/stdio/pol.yaml' },
            position: { line: 6, character: 4 },
          },
        }) + frame({ jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 5 } }),
      ],
      expect: { alive: true, errors: { 5: -32800 } },
    },
    {
      kind: 'stdio',
      name: 'stdio-not-json-rpc',
      what: 'well-framed JSON that is no JSON-RPC message, and an unknown method: not a framing error',
      send: (frame) => [
        frame({ hello: 'world' }),
        frame({ jsonrpc: '2.0', id: 7, method: 'netpolLens/noSuchMethod', params: {} }),
        frame(didOpen()),
      ],
      expect: { alive: true },
    },
  ];
}

/**
 * Names, labels and values with terminal escapes (ESC, BEL, an OSC title), CR/LF that would forge a
 * connectivity line, a C1 control and a bidi override: every output must show them escaped.
 */
const CONTROL_PODS = `apiVersion: v1
kind: Pod
metadata: {name: "web\\e[31mRED\\a", namespace: shop, labels: {app: web}}
---
apiVersion: v1
kind: Pod
metadata: {name: "client\\r\\nshop/forged => shop/db : All Connections", namespace: shop, labels: {app: "cl\\x9bient"}}
---
apiVersion: v1
kind: Pod
metadata: {name: db, namespace: "sh\\u202eop", labels: {app: db}}
`;

const CONTROL_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: "pol\\e]0;pwned\\a", namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {app: "x\\e[2J\\nforged"}}}]
`;

/** Any control character but the line feed, C1, and the characters that reorder or break lines. */
const RAW_CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|^shop\/forged/m;

function controlCharacterCases(): CliCase[] {
  const files = { 'pods.yaml': CONTROL_PODS, 'pol.yaml': CONTROL_POLICY };
  const reach = (['txt', 'md', 'mermaid', 'dot', 'csv', 'json'] as const).map((format): CliCase => ({
    kind: 'cli',
    name: `control-characters-reach-${format}`,
    what: `names with ESC, BEL, CR/LF, C1 and a bidi override: reach -o ${format} shows them escaped`,
    files,
    command: ['reach', '-o', format],
    expect: {
      exit: 1,
      notStdout: RAW_CONTROL,
      // The pod with ESC in its name is there, escaped (md, dot and JSON escape the backslash again).
      stdout: /web\\+u001b\\?\[31mRED\\+u0007/,
      located: [
        { code: 'netpol.invalid-name', file: 'pods.yaml', line: 3 },
        { code: 'netpol.invalid-name', file: 'pods.yaml', line: 7 },
        { code: 'netpol.invalid-namespace', file: 'pods.yaml', line: 11 },
        { code: 'netpol.invalid-name', file: 'pol.yaml', line: 3 },
      ],
    },
  }));
  const others: CliCase[] = [
    ['can', ['can', '--from', 'shop/web\u001b[31mRED\u0007', '--to', '0.0.0.1']],
    ['can-not-found', ['can', '--from', 'shop/web', '--to', '0.0.0.1']],
    ['explain', ['explain']],
    ['check-text', ['check']],
    ['check-json', ['check', '-f', 'json']],
    ['check-sarif', ['check', '-f', 'sarif']],
  ].map(([name, command]) => ({
    kind: 'cli' as const,
    name: `control-characters-${name as string}`,
    what: `the same names: ${(command as string[]).join(' ')} shows them escaped`,
    files,
    command: command as string[],
    expect: { exit: name === 'can-not-found' ? 2 : 1, notStdout: RAW_CONTROL },
  }));
  const diffs = (['txt', 'md', 'csv', 'json'] as const).map((format): CliCase => ({
    kind: 'cli',
    name: `control-characters-diff-${format}`,
    what: `the same names, one policy removed: diff -o ${format} shows them escaped`,
    files: { 'old/pods.yaml': CONTROL_PODS, 'old/pol.yaml': CONTROL_POLICY, 'new/pods.yaml': CONTROL_PODS },
    command: ['diff', '-o', format, '{dir}/old', '{dir}/new'],
    expect: { exit: 0, notStdout: RAW_CONTROL, stdout: /web\\+u001b/ },
  }));
  return [...reach, ...others, ...diffs];
}

export const CASES: HostileCase[] = [
  {
    kind: 'cli',
    name: 'undefined-alias-check',
    what: 'ingress from an alias whose anchor does not exist',
    files: {
      'pods.yaml': PODS,
      'pol.yaml': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - from: *trusted_peers\n`,
    },
    command: ['check'],
    expect: {
      exit: 1,
      located: [
        { code: 'netpol.yaml-syntax', file: 'pol.yaml', line: 9 },
        { code: 'netpol.unreadable', file: 'pol.yaml', line: 4 },
      ],
    },
  },
  {
    kind: 'cli',
    name: 'undefined-alias-can',
    what: 'the same policy: may the client reach web? Unknown, not allowed',
    files: {
      'pods.yaml': PODS,
      'pol.yaml': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: web}}\n  ingress:\n    - from: *trusted_peers\n`,
    },
    command: ['can', '-q', '--from', 'shop/client', '--to', 'shop/web'],
    expect: { exit: 3, stdout: /^UNKNOWN: shop\/client\[Pod\] => shop\/web\[Pod\]/, notStdout: /ALLOWED/ },
  },
  {
    kind: 'cli',
    name: 'undefined-alias-explain',
    what: 'explain must not say "from everywhere"',
    files: {
      'pol.yaml': `${POLICY_HEAD}spec:\n  podSelector: {}\n  ingress:\n    - from: *trusted_peers\n`,
    },
    command: ['explain', '-q'],
    expect: { exit: 1, stdout: /Cannot be read: Unresolved alias \*trusted_peers/, notStdout: /everywhere/ },
  },
  {
    kind: 'cli',
    name: 'alias-bomb',
    what: 'billion laughs feeding a policy: bounded, reported, and the policy unknown',
    files: {
      'pods.yaml': PODS,
      'pol.yaml': `${POLICY_HEAD}${aliasBomb(9, 9)}spec:\n  podSelector: {}\n  ingress:\n    - from: [{podSelector: {matchExpressions: [{key: app, operator: In, values: *l9}]}}]\n`,
    },
    command: ['can', '--from', 'shop/client', '--to', 'shop/web'],
    expect: { exit: 3, stdout: /^UNKNOWN/, stderr: /aliases in this document expand to more than/ },
  },
  {
    kind: 'cli',
    name: 'wrong-type-peers',
    what: 'a string where the peer list belongs is not "from everywhere"',
    files: {
      'pods.yaml': PODS,
      'pol.yaml': `${POLICY_HEAD}spec:\n  podSelector: {}\n  ingress:\n    - from: "shop/client"\n`,
    },
    command: ['can', '-q', '--from', 'shop/client', '--to', 'shop/web'],
    expect: { exit: 3, stdout: /^UNKNOWN/ },
  },
  {
    kind: 'cli',
    name: 'syntax-error-in-policy',
    what: 'an unclosed flow mapping inside a rule',
    files: {
      'pods.yaml': PODS,
      'pol.yaml': `${POLICY_HEAD}spec:\n  podSelector: {}\n  ingress:\n    - from: [{podSelector: {matchLabels: {app: client}}]\n`,
    },
    command: ['can', '-q', '--from', 'shop/client', '--to', 'shop/web'],
    expect: { exit: 3, stdout: /^UNKNOWN/ },
  },
  {
    kind: 'cli',
    name: 'deep-nesting-label',
    what: '5,000 nested flow sequences in a label value',
    files: {
      'pol.yaml': `${POLICY_HEAD}  labels: {deep: ${nested(5000)}}\nspec:\n  podSelector: {}\n`,
    },
    command: ['check'],
    expect: {
      exit: 1,
      located: [{ code: 'netpol.yaml-syntax', file: 'pol.yaml', line: 6 }],
      stdout: /YAML nested \d+ levels deep here, deeper than the parser can follow/,
      notStdout: /Maximum call stack/,
    },
  },
  {
    kind: 'cli',
    name: 'deep-nesting-block',
    what: '3,000 nested block sequences after a policy',
    files: {
      'pol.yaml': `${POLICY_HEAD}spec:\n  podSelector: {}\nx-deep:\n${Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 1)}-\n`).join('')}`,
    },
    command: ['explain'],
    expect: {
      exit: 1,
      stdout: /NetworkPolicy shop\/web\n {2}Cannot be read: YAML nested \d+ levels deep/,
      notStdout: /Maximum call stack/,
    },
  },
  {
    kind: 'ratio',
    name: 'ipblock-peers',
    what: 'one rule with 500 and 4,000 ipBlock peers: check and a hover grow linearly',
    text: manyPeers,
    sizes: [500, 4000],
    run(text) {
      const uri = 'file:///hostile/peers.yaml';
      const service = createLanguageService();
      service.setFile(uri, text);
      service.allDiagnostics();
      service.hover(uri, text.lastIndexOf('ipBlock') + 2);
    },
    bound: 3,
  },
  ...SCALING_CASES,
  ...controlCharacterCases(),
  ...stdioCases(),
  ...READING_CASES,
  ...NON_MAPPING_CASES.map((c): CliCase => ({
    kind: 'cli',
    name: `non-mapping-${c.name}`,
    what: `${c.what}: can ${c.from} → ${c.to} is unknown (exit 3), the item an error at its line`,
    files: nonMappingFiles(c),
    command: ['can', '--from', c.from, '--to', c.to],
    expect: {
      exit: 3,
      stdout: /^UNKNOWN: /,
      located: [
        { code: 'netpol.type', file: 'pol.yaml', line: c.line },
        { code: 'netpol.unreadable', file: 'pol.yaml', line: 3 },
      ],
    },
  })),
];
