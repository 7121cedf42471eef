// What a person reads about policies and workloads, held against what each fixture's claims.yaml writes
// down by hand: the claims (who can reach whom) and `selects` (what each NetworkPolicy selects). The
// explain text and each policy's hover are read back into verdicts by test/support/explain-reader.ts
// (Kubernetes' rules, no engine code); a workload's hover must list the claim's far end on the claimed
// port, or not list it; the code lenses' counts must be the hand-written ones. So a wrong word in an
// explanation fails here even where the engine's own verdict is right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodeLens, LanguageService } from '../../server/src/core/index';
import {
  claimFiles,
  claimsOrNone,
  fixtureLabel,
  isClaimsFile,
  readSelects,
  validClaim,
  walkFiles,
  type Claim,
} from '../support/claims';
import {
  explainedVerdict,
  hoverReach,
  portsAllow,
  readExplanations,
  type ReadPolicy,
} from '../support/explain-reader';
import { serviceOf } from '../support/fixtures';

const ROOT = join(__dirname, '..', '..', 'test-fixtures');

const withoutKind = (id: string) => id.replace(/\[[A-Za-z]+\]$/, '');
const isAddress = (spec: string) => /^\d+\.\d+\.\d+\.\d+$/.test(spec);
const describeClaim = (c: Claim) =>
  `${c.from} -> ${c.to} ${c.port ?? 'any port'} ${c.allowed ? 'allowed' : 'denied'} (${c.why})`;

interface Fixture {
  service: LanguageService;
  /** Each file's uri and text, for hovers. */
  texts: Map<string, string>;
  lenses: { uri: string; lens: CodeLens }[];
}

function openFixture(folder: string): Fixture {
  const files = walkFiles(folder)
    .filter((f) => /\.ya?ml$/.test(f) && !isClaimsFile(f))
    .map((f) => ({ uri: pathToFileURL(f).href, text: readFileSync(f, 'utf8') }));
  const service = serviceOf(files);
  return {
    service,
    texts: new Map(files.map((f) => [f.uri, f.text])),
    lenses: files.flatMap((f) => service.codeLenses(f.uri).map((lens) => ({ uri: f.uri, lens }))),
  };
}

/** The plain-text hover of the object a lens stands over (at its `kind:` value, the object's header). */
function hoverAt(fixture: Fixture, uri: string, lens: CodeLens): string {
  const text = fixture.texts.get(uri)!;
  const kind = text.indexOf('kind:', lens.range.start.offset);
  assert.ok(kind >= 0, `${uri}: no kind: under the lens at line ${lens.range.start.line + 1}`);
  const hover = fixture.service.hover(uri, kind + 'kind: '.length + 1, 'plaintext');
  assert.ok(hover, `${uri}: no hover on the object at line ${lens.range.start.line + 1}`);
  return hover.contents;
}

const policyLenses = (f: Fixture) => f.lenses.filter((l) => l.lens.workload === undefined);
const workloadLenses = (f: Fixture) => f.lenses.filter((l) => l.lens.workload !== undefined);

/** "selects 2 workloads · …" / "selected by no policy · …": the number the lens title starts with. */
function leadingCount(title: string, pattern: RegExp): number {
  const m = pattern.exec(title);
  assert.ok(m, `a lens title that does not say how many: "${title}"`);
  return m[1] === 'no' ? 0 : Number(m[1]);
}

/** The policies a claim's verdict is read from must be the hand-written ones, selecting what it says. */
function assertSelects(read: ReadPolicy[], selects: Map<string, string[]>, where: string): void {
  assert.deepEqual(
    Object.fromEntries(read.map((p) => [p.name, p.selects.map(withoutKind).sort()])),
    Object.fromEntries([...selects].map(([name, workloads]) => [name, [...workloads].sort()])),
    `${where}: the policies and what each selects, against claims.yaml's selects`,
  );
}

function assertClaimsRead(read: ReadPolicy[], claims: Claim[], where: string): void {
  const wrong = claims.filter((c) => explainedVerdict(read, c) !== c.allowed).map(describeClaim);
  assert.deepEqual(wrong, [], `${where} decides these claims the other way`);
}

for (const file of claimFiles(ROOT)) {
  const folder = dirname(file);
  const name = fixtureLabel(ROOT, folder);
  const selects = readSelects(file);
  const claims = claimsOrNone(file).map((entry, i) => validClaim(entry, `${file}: claim ${i + 1}`));
  let opened: Fixture | undefined;
  const fixture = () => (opened ??= openFixture(folder));

  if (!selects) {
    // The reader knows NetworkPolicy only; a fixture with cluster-scoped policies is read elsewhere.
    test(`${name}: has cluster-scoped policies (so claims.yaml needs no selects)`, () => {
      assert.ok(
        fixture().service.explainClusterPolicies().length > 0,
        `${name}/claims.yaml: write down what each NetworkPolicy selects under 'selects'`,
      );
    });
    continue;
  }

  test(`${name}: the explain text decides every claim as claims.yaml does`, () => {
    const text = fixture()
      .service.explainPolicies()
      .map((e) => e.text)
      .join('\n\n');
    const read = readExplanations(text);
    assertSelects(read, selects, 'explain');
    assertClaimsRead(read, claims, 'the explain text');
  });

  test(`${name}: the policies' hovers decide every claim as claims.yaml does`, () => {
    const read = policyLenses(fixture()).flatMap(({ uri, lens }) =>
      readExplanations(hoverAt(fixture(), uri, lens)),
    );
    assertSelects(read, selects, 'the policy hovers');
    assertClaimsRead(read, claims, 'the policy hovers');
  });

  test(`${name}: the code lenses count the workloads and policies claims.yaml's selects writes down`, () => {
    const f = fixture();
    const counted = policyLenses(f).map(({ uri, lens }) => {
      const policy = readExplanations(hoverAt(f, uri, lens))[0]?.name;
      return [policy, leadingCount(lens.title, /^selects (no|\d+) workloads?\b/)];
    });
    assert.deepEqual(
      Object.fromEntries(counted),
      Object.fromEntries([...selects].map(([policy, workloads]) => [policy, workloads.length])),
    );
    const selecting = (workload: string) => [...selects.values()].filter((w) => w.includes(workload)).length;
    const byWorkload = workloadLenses(f).map(({ lens }) => [
      withoutKind(lens.workload!),
      leadingCount(lens.title, /^selected by (no|\d+) polic(?:y|ies)\b/),
    ]);
    assert.deepEqual(
      byWorkload,
      byWorkload.map(([workload]) => [workload, selecting(workload as string)]),
    );
    const lensed = new Set(byWorkload.map(([workload]) => workload));
    const missing = [...new Set([...selects.values()].flat())].filter((w) => !lensed.has(w));
    assert.deepEqual(missing, [], 'selected workloads without a code lens');
  });

  test(`${name}: the workload lenses show an isolated side for every denied claim`, () => {
    const f = fixture();
    /** Whether the end's lens says it is isolated for the direction; addresses and unlensed ends are open. */
    const isolated = (end: string, direction: 'ingress' | 'egress') => {
      if (isAddress(end)) return false;
      const lens = workloadLenses(f).find(({ lens }) => withoutKind(lens.workload!) === end)?.lens;
      if (!lens) {
        assert.ok(![...selects.values()].flat().includes(end), `${end} is selected but has no lens`);
        return false;
      }
      const said = new RegExp(`\\b${direction}: (isolated|open)\\b`).exec(lens.title);
      assert.ok(said, `the lens of ${end} does not say whether ${direction} is isolated: "${lens.title}"`);
      return said[1] === 'isolated';
    };
    const wrong = claims
      .filter((c) => !c.allowed && !isolated(c.from, 'egress') && !isolated(c.to, 'ingress'))
      .map(describeClaim);
    assert.deepEqual(wrong, [], 'denied claims whose both ends the lenses show open');
  });

  test(`${name}: the workloads' hovers list each claim's far end on the claimed port, or not at all`, () => {
    const f = fixture();
    const hovers = new Map(
      workloadLenses(f).map(({ uri, lens }) => [withoutKind(lens.workload!), hoverAt(f, uri, lens)]),
    );
    const wrong: string[] = [];
    let decided = 0;
    for (const claim of claims) {
      for (const [end, verb, far] of [
        [claim.from, 'May reach', claim.to],
        [claim.to, 'Reachable from', claim.from],
      ] as const) {
        const hover = hovers.get(end);
        const ports = hover === undefined ? undefined : hoverReach(hover, verb, far);
        if (ports === undefined) continue;
        decided++;
        if (portsAllow(ports, claim.port) !== claim.allowed)
          wrong.push(`${describeClaim(claim)}: the hover of ${end} says "${verb}" ${JSON.stringify(ports)}`);
      }
    }
    assert.deepEqual(wrong, []);
    // Every claim has a workload end; a hover that shortens its list may leave the claim to the other end.
    assert.ok(decided >= claims.length, `only ${decided} hover readings decided ${claims.length} claims`);
  });
}
