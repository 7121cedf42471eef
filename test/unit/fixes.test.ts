// Quick-fixes: each one round-trips (apply the edits, re-analyse: the diagnostic is gone, nothing new
// appears, every byte outside the edits is unchanged) and keeps the file's own style.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  fixableCodes,
  RULES,
  type AnalysisOptions,
  type Fix,
  type LanguageService,
  type Problem,
  type TextEdit,
} from '../../server/src/core/index';
import { serviceOf } from '../support/fixtures';

type Files = Record<string, string>;

const URI = 'file:///w/policies.yaml';

const ALL_ON = Object.fromEntries(
  RULES.map((r) => [r.code, r.defaultSeverity === 'off' ? 'information' : r.defaultSeverity] as const),
);

function diagnose(files: Files | string, options: Partial<AnalysisOptions> = {}) {
  const map = typeof files === 'string' ? { [URI]: files } : files;
  const sources = Object.entries(map).map(([uri, text]) => ({ uri, text }));
  const service = serviceOf(sources, { ...options, severity: ALL_ON });
  return { service, problems: service.allDiagnostics(), files: map };
}

/** The fixes the service offers for exactly this problem. */
function fixesFor(service: LanguageService, problem: Problem): Fix[] {
  return service
    .codeActions(problem.uri, problem.range, [problem.code])
    .filter((action) => action.problem === problem)
    .map((action) => action.fix);
}

/** The problems of one code, as `[text at the range, line:column]`. */

function applyEdits(text: string, edits: TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.range.start.offset - a.range.start.offset);
  for (const edit of sorted) {
    text = text.slice(0, edit.range.start.offset) + edit.newText + text.slice(edit.range.end.offset);
  }
  return text;
}

function codeCounts(problems: Problem[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const p of problems) counts.set(p.code, (counts.get(p.code) ?? 0) + 1);
  return counts;
}

interface RoundTrip {
  fix: Fix;
  problem: Problem;
  before: Files;
  after: Files;
  text: string;
}

/**
 * Applies fix `fixIndex` of the `pick`-th problem of `code`, then checks: the problem is gone, no
 * other diagnostic appeared, and every byte outside the edited ranges is unchanged.
 */
function roundTrip(
  files: Files | string,
  code: string,
  {
    pick = 0,
    fixIndex = 0,
    options = {},
  }: { pick?: number; fixIndex?: number; options?: Partial<AnalysisOptions> } = {},
): RoundTrip {
  const before = diagnose(files, options);
  const problem = before.problems.filter((p) => p.code === code)[pick];
  assert.ok(problem, `no ${code} to fix`);
  const fixes = fixesFor(before.service, problem);
  const fix = fixes[fixIndex];
  assert.ok(fix, `no fix #${fixIndex} for ${code}: ${problem.message}`);
  const after: Files = { ...before.files };
  for (const uri of new Set(fix.edits.map((e) => e.uri))) {
    const edits = fix.edits.filter((e) => e.uri === uri);
    after[uri] = applyEdits(before.files[uri], edits);
    assertOutsideUnchanged(before.files[uri], after[uri], edits);
  }
  if (fix.createFile) {
    assert.equal(before.files[fix.createFile.uri], undefined, 'createFile must not overwrite a file');
    after[fix.createFile.uri] = fix.createFile.text;
  }
  const result = diagnose(after, options);
  const was = codeCounts(before.problems);
  const now = codeCounts(result.problems);
  assert.ok((now.get(code) ?? 0) < (was.get(code) ?? 0), `${code} is still reported after "${fix.title}"`);
  for (const [c, n] of now) {
    const messages = result.problems.filter((p) => p.code === c).map((p) => p.message);
    assert.ok(
      n <= (was.get(c) ?? 0),
      `"${fix.title}" introduced ${c}: ${messages.join(' | ')}\n${after[problem.uri]}`,
    );
  }
  return { fix, problem, before: before.files, after, text: after[problem.uri] };
}

/** The text before the first edit and after the last one is byte-identical, and so is the text between edits. */
function assertOutsideUnchanged(before: string, after: string, edits: TextEdit[]): void {
  const sorted = [...edits].sort((a, b) => a.range.start.offset - b.range.start.offset);
  let shift = 0;
  let previousEnd = 0;
  for (const edit of sorted) {
    const { start, end } = { start: edit.range.start.offset, end: edit.range.end.offset };
    assert.equal(after.slice(previousEnd + shift, start + shift), before.slice(previousEnd, start));
    shift += edit.newText.length - (end - start);
    previousEnd = end;
  }
  assert.equal(after.slice(previousEnd + shift), before.slice(previousEnd));
}

const DNS_POLICY = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-dns
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
          podSelector: {matchLabels: {k8s-app: kube-dns}}
      ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]
`;

// ---------------------------------------------------------------------------------------------
// netpol.dns-egress-missing

const WEB_EGRESS = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
# The web tier may talk to the database only.
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress # web
  namespace: shop
spec:
  # only web
  podSelector:
    matchLabels:
      app: web
  policyTypes:
    - Egress
  egress:
    # to the database
    - to:
        - podSelector:
            matchLabels:
              app: db
---
apiVersion: v1
kind: Namespace
metadata:
  name: other
`;

test('dns: appends a DNS rule in the block style of the egress list, keeping comments', () => {
  const { text, fix, before } = roundTrip(WEB_EGRESS, 'netpol.dns-egress-missing');
  assert.equal(fix.isPreferred, true);
  assert.equal(
    text,
    before[URI].replace(
      '              app: db\n',
      `              app: db
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: kube-system
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:
        - protocol: UDP
          port: 53
        - protocol: TCP
          port: 53
`,
    ),
  );
});

test('dns: follows 4-space indentation and non-indented sequences', () => {
  const source = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
    name: web-egress
    namespace: shop
spec:
    podSelector:
        matchLabels:
            app: web
    policyTypes:
    - Egress
    egress:
    - to:
      - ipBlock:
            cidr: 192.0.2.0/24
`;
  const { text } = roundTrip(source, 'netpol.dns-egress-missing');
  assert.equal(
    text,
    `${source}    - to:
      - namespaceSelector:
            matchLabels:
                kubernetes.io/metadata.name: kube-system
        podSelector:
            matchLabels:
                k8s-app: kube-dns
      ports:
      - protocol: UDP
        port: 53
      - protocol: TCP
        port: 53
`,
  );
});

test('dns: replaces `egress: []` of a deny-all policy with a block list', () => {
  const source = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Egress
  egress: [] # deny everything
`;
  const { text } = roundTrip(source, 'netpol.dns-egress-missing');
  assert.match(text, /\n {2}egress:\n {4}- to:\n {8}- namespaceSelector:\n/);
  assert.ok(text.endsWith('          port: 53 # deny everything\n'));
});

test('dns: adds the egress key when the policy has none, and works in flow style and with CRLF', () => {
  const block = `apiVersion: networking.k8s.io/v1\r
kind: NetworkPolicy\r
metadata:\r
  name: deny-all\r
  namespace: shop\r
spec:\r
  podSelector: {}\r
  policyTypes:\r
    - Ingress\r
    - Egress\r
`;
  const { text } = roundTrip(block, 'netpol.dns-egress-missing');
  assert.ok(text.startsWith(block.trimEnd() + '\r\n  egress:\r\n    - to:\r\n'));
  assert.ok(!/[^\r]\n/.test(text), 'every line break stays CRLF');

  const flow = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Egress]}
`;
  const result = roundTrip(flow, 'netpol.dns-egress-missing');
  assert.equal(
    result.text,
    flow.replace(
      '[Egress]}',
      '[Egress], egress: [{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}',
    ),
  );
});

test('dns: adds TCP 53 to a UDP-only DNS rule (block and flow ports)', () => {
  const rule = (ports: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: ["Egress"]
  egress:
    - to:
        - namespaceSelector: {}
          podSelector:
            matchLabels:
              k8s-app: kube-dns
      ports:${ports}
`;
  const block = roundTrip(rule('\n        - port: 53\n          protocol: UDP'), 'netpol.dns-egress-missing');
  assert.equal(block.fix.title, 'Also allow TCP 53 in this DNS rule');
  assert.equal(
    block.text,
    rule('\n        - port: 53\n          protocol: UDP\n        - protocol: TCP\n          port: 53'),
  );
  const flow = roundTrip(rule(' [{port: 53, protocol: UDP}]'), 'netpol.dns-egress-missing');
  assert.equal(flow.text, rule(' [{port: 53, protocol: UDP}, {protocol: TCP, port: 53}]'));
});

test('dns: only the edited document changes in a multi-document file', () => {
  const other = `apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: shop, labels: {app: web}}\n`;
  const source = `${other}---\n${WEB_EGRESS}`;
  const { text } = roundTrip(source, 'netpol.dns-egress-missing');
  assert.ok(text.startsWith(`${other}---\n`));
  assert.ok(text.endsWith('kind: Namespace\nmetadata:\n  name: other\n'));
});

// ---------------------------------------------------------------------------------------------
// netpol.split-peer

const SPLIT = (peers: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db-ingress
  namespace: db
spec:
  podSelector: {}
  ingress:
    - from:
${peers}`;

test('split-peer: drops the dash so both selectors form one peer', () => {
  const { text } = roundTrip(
    SPLIT(`        # the shop namespace
        - namespaceSelector:
            matchLabels:
              team: shop
        - podSelector: # its api pods
            matchLabels:
              app: api
`),
    'netpol.split-peer',
  );
  assert.equal(
    text,
    SPLIT(`        # the shop namespace
        - namespaceSelector:
            matchLabels:
              team: shop
          podSelector: # its api pods
            matchLabels:
              app: api
`),
  );
});

test('split-peer: re-indents an item written with other spacing after the dash', () => {
  const { text } = roundTrip(
    SPLIT(`        - namespaceSelector:
            matchLabels:
              team: shop
        -   podSelector:
              matchLabels:
                app: api
`),
    'netpol.split-peer',
  );
  assert.equal(
    text,
    SPLIT(`        - namespaceSelector:
            matchLabels:
              team: shop
          podSelector:
            matchLabels:
              app: api
`),
  );
});

test('split-peer: joins flow-style peers', () => {
  const { text } = roundTrip(
    SPLIT(`        - {namespaceSelector: {matchLabels: {team: shop}}}
        - {podSelector: {matchLabels: {app: api}}}
`),
    'netpol.split-peer',
  );
  assert.equal(
    text,
    SPLIT(
      `        - {namespaceSelector: {matchLabels: {team: shop}}, podSelector: {matchLabels: {app: api}}}\n`,
    ),
  );
  const inline = roundTrip(
    SPLIT(
      `        [{namespaceSelector: {}}, {podSelector: {matchLabels: {app: api}}}, {ipBlock: {cidr: 10.0.0.0/8}}]\n`,
    ),
    'netpol.split-peer',
  );
  assert.match(
    inline.text,
    /\[\{namespaceSelector: \{\}, podSelector: \{matchLabels: \{app: api\}\}\}, \{ipBlock/,
  );
});

// ---------------------------------------------------------------------------------------------
// policyTypes

test('rules-ignored: adds the direction to a block or flow policyTypes', () => {
  const policy = (types: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
  namespace: shop
spec:
  podSelector: {}
  policyTypes:${types}
  ingress:
    - {}
  egress:
    - to:
        - namespaceSelector: {}
`;
  const block = roundTrip(policy('\n    - Ingress'), 'netpol.rules-ignored');
  assert.equal(block.text, policy('\n    - Ingress\n    - Egress'));
  const flow = roundTrip(policy(' [Ingress]'), 'netpol.rules-ignored');
  assert.equal(flow.text, policy(' [Ingress, Egress]'));
});

test('implicit-ingress-isolation: adds policyTypes after podSelector, egress only or both', () => {
  const source = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
    name: web
    namespace: shop
spec:
    podSelector:
        matchLabels:
            app: web
    egress:
        - to:
              - namespaceSelector: {}
`;
  const egressOnly = roundTrip(source, 'netpol.implicit-ingress-isolation');
  assert.equal(egressOnly.fix.isPreferred, true);
  assert.equal(
    egressOnly.text,
    source.replace('app: web\n', 'app: web\n    policyTypes:\n        - Egress\n'),
  );
  const both = roundTrip(source, 'netpol.implicit-ingress-isolation', { fixIndex: 1 });
  assert.equal(
    both.text,
    source.replace('app: web\n', 'app: web\n    policyTypes:\n        - Ingress\n        - Egress\n'),
  );
});

test('empty-egress: writes policyTypes [Ingress, Egress] (flow spec)', () => {
  const source = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: shop}
spec: {podSelector: {}, egress: []}
---
${DNS_POLICY}`;
  const { text } = roundTrip(source, 'netpol.empty-egress');
  assert.ok(
    text.startsWith(
      source
        .replace('{podSelector: {}, egress', '{podSelector: {}, policyTypes: [Ingress, Egress], egress')
        .split('---')[0],
    ),
  );
});

test('empty-egress: adds Egress to a written policyTypes', () => {
  const source = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny-egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  egress: []
---
${DNS_POLICY}`;
  const { text } = roundTrip(source, 'netpol.empty-egress');
  assert.ok(text.includes('  policyTypes:\n  - Ingress\n  - Egress\n  egress: []\n'));
});

// ---------------------------------------------------------------------------------------------
// netpol.namespace-label-missing

const PROD = `apiVersion: v1
kind: Namespace
metadata:
  name: prod
---
`;

test('namespace-label-missing: replaces the key, keeping its quotes', () => {
  const policy = (selector: string) => `${PROD}apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: db
  namespace: prod
spec:
  podSelector: {}
  ingress:
    - from:
        - namespaceSelector:
${selector}`;
  const plain = roundTrip(
    policy('            matchLabels:\n              name: prod # the prod namespace\n'),
    'netpol.namespace-label-missing',
  );
  assert.equal(
    plain.text,
    policy(
      '            matchLabels:\n              kubernetes.io/metadata.name: prod # the prod namespace\n',
    ),
  );
  const quoted = roundTrip(
    policy('            matchLabels: {"name": prod}\n'),
    'netpol.namespace-label-missing',
  );
  assert.equal(quoted.text, policy('            matchLabels: {"kubernetes.io/metadata.name": prod}\n'));
});

// ---------------------------------------------------------------------------------------------
// except

const BLOCK = (block: string) => `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: egress
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
${block}    - to:
        - namespaceSelector: {}
      ports:
        - {protocol: UDP, port: 53}
        - {protocol: TCP, port: 53}
`;

test('except-no-op: removes the entry (block and flow lists)', () => {
  const block = roundTrip(
    BLOCK(
      '            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16 # no 10.1\n              - 10.1.2.0/24\n',
    ),
    'netpol.except-no-op',
  );
  assert.equal(block.fix.title, 'Remove except 10.1.2.0/24');
  assert.equal(
    block.text,
    BLOCK('            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16 # no 10.1\n'),
  );
  const flow = roundTrip(
    BLOCK('            {cidr: 10.0.0.0/8, except: [10.1.2.0/24, 10.1.0.0/16]}\n'),
    'netpol.except-no-op',
  );
  assert.equal(flow.text, BLOCK('            {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}\n'));
});

test('except-no-op: removes the except key with its only entry', () => {
  // The other peer allows 10.1.0.0/16 again, so the except removes nothing.
  const other = '        - ipBlock:\n            cidr: 10.0.0.0/7\n            except: [10.2.0.0/16]\n';
  const source = BLOCK(
    `            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16\n${other}`,
  );
  const { text } = roundTrip(source, 'netpol.except-no-op');
  assert.equal(text, BLOCK(`            cidr: 10.0.0.0/8\n${other}`));
});

// Removals and comments: a comment belongs to the node on whose line it ends, or (on a line of its own) to
// the node after it. Removing an entry drops its own comments and keeps every other node's, in block
// and flow style. Written down per layout: the comments that must stay, and the ones that go with it.
// An except outside its cidr (netpol.invalid-except) is removed with its key when it is the only entry.
const REMOVALS: {
  layout: string;
  block: string;
  kept: string[];
  gone: string[];
  result?: string;
  code?: string;
}[] = [
  {
    layout: 'a block list, the last entry',
    block:
      '            cidr: 10.0.0.0/8   # corp\n            except:  # holes\n              - 10.1.0.0/16 # no 10.1\n              - 10.1.2.0/24  # the /24\n            # after except\n',
    kept: ['# corp', '# holes', '# no 10.1', '# after except'],
    gone: ['# the /24'],
  },
  {
    layout: 'a block list, a middle entry',
    block:
      '            cidr: 10.0.0.0/8\n            except:\n              - 10.1.0.0/16 # no 10.1\n              - 10.1.2.0/24  # the /24\n              # about 10.3\n              - 10.3.0.0/16 # no 10.3\n',
    kept: ['# no 10.1', '# about 10.3', '# no 10.3'],
    gone: ['# the /24'],
  },
  {
    layout: 'a block list, its only entry (the except key goes)',
    block:
      '            cidr: 10.0.0.0/16  # corp\n            except:  # holes\n              - 10.1.0.0/24 # the hole\n            # after except\n',
    kept: ['# corp', '# after except'],
    gone: ['# holes', '# the hole'],
    code: 'netpol.invalid-except',
  },
  {
    layout: 'a flow list, the first entry',
    block:
      '            cidr: 10.0.0.0/8\n            except: [10.1.2.0/24,  # the /24\n              # about 10.1\n              10.1.0.0/16]  # end\n',
    kept: ['# about 10.1', '# end'],
    gone: ['# the /24'],
  },
  {
    layout: 'a flow list, a middle entry',
    block:
      '            cidr: 10.0.0.0/8\n            except: [10.1.0.0/16,  # no 10.1\n              10.1.2.0/24,  # the /24\n              # about 10.3\n              10.3.0.0/16]\n',
    kept: ['# no 10.1', '# about 10.3'],
    gone: ['# the /24'],
  },
  {
    layout: 'a flow list, the last entry (the comment of the entry before stays)',
    block:
      '            cidr: 10.0.0.0/8\n            except: [10.1.0.0/16,  # no 10.1\n              # about the /24\n              10.1.2.0/24]  # list end\n',
    kept: ['# no 10.1', '# list end'],
    gone: ['# about the /24'],
    result:
      '            cidr: 10.0.0.0/8\n            # no 10.1\n            except: [10.1.0.0/16]  # list end\n',
  },
  {
    layout: 'a flow mapping, its last pair (the comment of the pair before stays)',
    block: '            {cidr: 10.0.0.0/16,  # corp\n              except: [10.1.0.0/24]}  # the block\n',
    kept: ['# corp', '# the block'],
    gone: [],
    result: '            # corp\n            {cidr: 10.0.0.0/16}  # the block\n',
    code: 'netpol.invalid-except',
  },
  {
    layout: 'a flow mapping, its first pair',
    block:
      '            {except: [10.1.0.0/24],  # the hole\n              # about cidr\n              cidr: 10.0.0.0/16}  # the block\n',
    kept: ['# about cidr', '# the block'],
    gone: ['# the hole'],
    code: 'netpol.invalid-except',
  },
  {
    layout: 'a flow list, its only entry, in a block mapping',
    block:
      '            cidr: 10.0.0.0/16  # corp\n            except: [10.1.0.0/24]  # the hole\n            # after\n',
    kept: ['# corp', '# after'],
    gone: ['# the hole'],
    code: 'netpol.invalid-except',
  },
];

for (const { layout, block, kept, gone, result, code = 'netpol.except-no-op' } of REMOVALS) {
  test(`${code}: removing an entry of ${layout} keeps the other nodes' comments`, () => {
    const source = BLOCK(block);
    const { fix, text } = roundTrip(source, code);
    assert.match(fix.title, /^Remove except 10\.1\./);
    for (const comment of kept) assert.ok(text.includes(comment), `${comment} was deleted:\n${text}`);
    for (const comment of gone) assert.ok(!text.includes(comment), `${comment} stayed:\n${text}`);
    if (result) assert.equal(text, BLOCK(result));
  });
}

test('invalid-except: adds a missing prefix length, or removes the entry', () => {
  const source = BLOCK(
    '            cidr: 10.0.0.0/8\n            except:\n              - 10.1.2.3\n              - 10.0.9.0/24\n',
  );
  const repaired = roundTrip(source, 'netpol.invalid-except');
  assert.equal(repaired.fix.title, 'Change except to 10.1.2.3/32');
  assert.equal(repaired.text, source.replace('- 10.1.2.3\n', '- 10.1.2.3/32\n'));
  const removed = roundTrip(source, 'netpol.invalid-except', { fixIndex: 1 });
  assert.equal(removed.text, source.replace('              - 10.1.2.3\n', ''));
  const outside = BLOCK('            cidr: 10.0.0.0/16\n            except: ["10.1.0.0/24"]\n');
  const fixes = roundTrip(outside, 'netpol.invalid-except');
  assert.equal(fixes.text, BLOCK('            cidr: 10.0.0.0/16\n'));
});

test('metadata-exposed: adds the metadata address to except', () => {
  const without = roundTrip(BLOCK('            cidr: 0.0.0.0/0\n'), 'netpol.metadata-exposed');
  assert.equal(
    without.text,
    BLOCK('            cidr: 0.0.0.0/0\n            except:\n              - 169.254.169.254/32\n'),
  );
  const withList = roundTrip(
    BLOCK('            cidr: 0.0.0.0/0\n            except: [10.0.0.0/8]\n'),
    'netpol.metadata-exposed',
  );
  assert.equal(
    withList.text,
    BLOCK('            cidr: 0.0.0.0/0\n            except: [10.0.0.0/8, 169.254.169.254/32]\n'),
  );
});

// ---------------------------------------------------------------------------------------------
// netpol.missing-namespace, netpol.service-port, netpol.no-default-deny

test('missing-namespace: adds the default namespace after the name (block, flow, CRLF)', () => {
  const block =
    'apiVersion: networking.k8s.io/v1\r\nkind: NetworkPolicy\r\nmetadata:\r\n  name: deny # all\r\n  labels: {a: b}\r\nspec:\r\n  podSelector: {}\r\n';
  const result = roundTrip(block, 'netpol.missing-namespace', { options: { defaultNamespace: 'shop' } });
  assert.equal(result.fix.title, 'Add metadata.namespace: shop');
  assert.equal(result.text, block.replace('# all\r\n', '# all\r\n  namespace: shop\r\n'));
  const flow =
    'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny}\nspec: {podSelector: {}}\n';
  assert.equal(
    roundTrip(flow, 'netpol.missing-namespace').text,
    flow.replace('{name: deny}', '{name: deny, namespace: default}'),
  );
});

test("service-port: uses the Service's targetPort", () => {
  const workspace = `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels: {app: web}
spec:
  containers:
    - name: web
      ports: [{containerPort: 8080, name: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web, namespace: shop}
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
    - ports:
        - port: 80 # http
          endPort: 80
`;
  const { text } = roundTrip(workspace, 'netpol.service-port');
  assert.equal(
    text,
    workspace.replace('port: 80 # http\n          endPort: 80', 'port: 8080 # http\n          endPort: 8080'),
  );
});

const UNPROTECTED = {
  'file:///w/shop/web.yaml': `apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  labels:
    app: web`,
  'file:///w/shop/ns.yaml': 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n',
};

test('no-default-deny: appends a default-deny document to the file', () => {
  const { text, problem } = roundTrip(UNPROTECTED, 'netpol.no-default-deny');
  assert.equal(problem.uri, 'file:///w/shop/ns.yaml');
  assert.equal(
    text,
    `${UNPROTECTED['file:///w/shop/ns.yaml']}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: shop
spec:
  podSelector: {}
  policyTypes:
    - Ingress
`,
  );
});

test('no-default-deny: creates a new file next to the namespace', () => {
  const { fix, after } = roundTrip(UNPROTECTED, 'netpol.no-default-deny', { fixIndex: 1 });
  assert.equal(fix.edits.length, 0);
  assert.equal(fix.createFile?.uri, 'file:///w/shop/default-deny-shop.yaml');
  assert.match(after['file:///w/shop/default-deny-shop.yaml'], /^apiVersion: networking.k8s.io\/v1\n/);
  // A file without a final newline gets one before the separator.
  const single = { 'file:///w/web.yaml': UNPROTECTED['file:///w/shop/web.yaml'] };
  const appended = roundTrip(single, 'netpol.no-default-deny');
  assert.ok(appended.text.startsWith(`${single['file:///w/web.yaml']}\n---\napiVersion`));
});

test('every fixable code is a documented diagnostic, and a fix needs the YAML it was computed from', () => {
  const codes = new Set(RULES.map((r) => r.code));
  for (const code of fixableCodes()) assert.ok(codes.has(code), `${code} has fixes but no rule`);
  const { service, problems } = diagnose(WEB_EGRESS);
  const problem = problems.find((p) => p.code === 'netpol.dns-egress-missing')!;
  assert.ok(fixesFor(service, problem).length > 0);
  const elsewhere = service.codeActions('file:///elsewhere.yaml', problem.range);
  assert.deepEqual(elsewhere, []);
});

// ---------------------------------------------------------------------------------------------
// JSON manifests: kubectl reads a `.json` file with its JSON decoder, so a fix must leave it JSON.

const JSON_POLICY = `{
  "apiVersion": "networking.k8s.io/v1",
  "kind": "NetworkPolicy",
  "metadata": {"name": "web-egress", "namespace": "shop"},
  "spec": {
    "podSelector": {"matchLabels": {"app": "web"}},
    "policyTypes": ["Egress"],
    "egress": [{"to": [{"podSelector": {"matchLabels": {"app": "db"}}}]}]
  }
}
`;

test('fixes in a .json file write JSON (quoted keys and strings)', () => {
  const uri = 'file:///w/web-egress.json';
  const { text } = roundTrip({ [uri]: JSON_POLICY }, 'netpol.dns-egress-missing');
  const parsed = JSON.parse(text) as { spec: { egress: { ports?: unknown }[] } };
  assert.equal(parsed.spec.egress.length, 2);
  assert.deepEqual(parsed.spec.egress[1].ports, [
    { protocol: 'UDP', port: 53 },
    { protocol: 'TCP', port: 53 },
  ]);
  assert.ok(text.includes('"kubernetes.io/metadata.name": "kube-system"'), text);
});

test('a fix that would leave a .json file no longer JSON is not offered', () => {
  const files = {
    ...UNPROTECTED,
    'file:///w/shop/ns.json': '{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "shop"}}\n',
  };
  delete (files as Record<string, string>)['file:///w/shop/ns.yaml'];
  const { service, problems } = diagnose(files);
  const problem = problems.find((p) => p.code === 'netpol.no-default-deny');
  assert.equal(problem?.uri, 'file:///w/shop/ns.json');
  // Appending a `---` YAML document to the JSON file is left out; creating a new YAML file stays.
  const fixes = fixesFor(service, problem!);
  assert.deepEqual(
    fixes.map((f) => [f.edits.length, f.createFile?.uri]),
    [[0, 'file:///w/shop/default-deny-shop.yaml']],
  );
});
