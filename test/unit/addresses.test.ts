import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addressAtoms,
  formatInterval,
  ipBlockIntervals,
  MAX_REMEMBERED_CIDRS,
  parseCidr,
  parseIpv4Address,
  rememberedCidrCount,
} from '../../server/src/core/addresses';
import { createLanguageService } from '../../server/src/core/index';
import type { IpBlockModel } from '../../server/src/core/types';

const range = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };
function block(cidr: string, except: string[] = []): IpBlockModel {
  return { cidr, except, range, cidrRange: range, exceptRanges: except.map(() => range) };
}

test('no ipBlock gives the single atom 0.0.0.0-255.255.255.255', () => {
  assert.deepEqual(addressAtoms([]).map(formatInterval), ['0.0.0.0-255.255.255.255']);
});

test('cidr and except cut the address space into disjoint atoms', () => {
  const atoms = addressAtoms([block('0.0.0.0/0', ['10.0.0.0/8']), block('192.168.5.10/32')]).map(
    formatInterval,
  );
  assert.deepEqual(atoms, [
    '0.0.0.0-9.255.255.255',
    '10.0.0.0-10.255.255.255',
    '11.0.0.0-192.168.5.9',
    '192.168.5.10-192.168.5.10',
    '192.168.5.11-255.255.255.255',
  ]);
});

test('an ipBlock admits its cidr minus its excepts', () => {
  assert.deepEqual(
    ipBlockIntervals(block('10.0.0.0/8', ['10.1.0.0/16', '10.3.0.0/16'])).map(formatInterval),
    ['10.0.0.0-10.0.255.255', '10.2.0.0-10.2.255.255', '10.4.0.0-10.255.255.255'],
  );
});

test('non-canonical CIDRs are masked to their network; IPv6 and garbage are recognised', () => {
  const parsed = parseCidr('192.168.1.77/24');
  assert.equal(parsed.family, 'ipv4');
  assert.equal(parsed.family === 'ipv4' && parsed.canonical, '192.168.1.0/24');
  assert.equal(parseCidr('2001:db8::/32').family, 'ipv6');
  assert.equal(parseCidr('10.0.0.0/33').family, 'invalid');
  assert.equal(parseCidr('300.0.0.0/8').family, 'invalid');
  assert.equal(parseCidr('not-a-cidr').family, 'invalid');
});

test('single addresses parse as four-part decimals only', () => {
  assert.equal(parseIpv4Address('10.0.0.1'), 0x0a000001);
  assert.equal(parseIpv4Address('255.255.255.255'), 2 ** 32 - 1);
  assert.equal(parseIpv4Address('10.1'), undefined);
  assert.equal(parseIpv4Address('0x0a000001'), undefined);
});

// The reference analyzer's rule (docs/semantics.md, "External addresses"): the ends of the maximal
// intervals of cidr-minus-excepts cut the space; the expected lists are worked out by hand.
test('0.0.0.0/0 except 10.0.0.0/8 gives three ranges', () => {
  assert.deepEqual(addressAtoms([block('0.0.0.0/0', ['10.0.0.0/8'])]).map(formatInterval), [
    '0.0.0.0-9.255.255.255',
    '10.0.0.0-10.255.255.255',
    '11.0.0.0-255.255.255.255',
  ]);
});

test('an except at the end of its cidr cuts only through its hole (three ranges, not four)', () => {
  assert.deepEqual(addressAtoms([block('203.0.113.0/24', ['203.0.113.128/25'])]).map(formatInterval), [
    '0.0.0.0-203.0.112.255',
    '203.0.113.0-203.0.113.127',
    '203.0.113.128-255.255.255.255',
  ]);
});

test('an except outside its cidr, or inside another except, cuts nothing', () => {
  assert.deepEqual(
    addressAtoms([block('10.0.0.0/16', ['192.168.0.0/16', '10.0.0.0/17', '10.0.64.0/18'])]).map(
      formatInterval,
    ),
    ['0.0.0.0-10.0.127.255', '10.0.128.0-10.0.255.255', '10.1.0.0-255.255.255.255'],
  );
});

test('a cidr wholly excepted denotes no addresses and cuts nothing', () => {
  assert.deepEqual(addressAtoms([block('10.0.0.0/8', ['10.0.0.0/7'])]).map(formatInterval), [
    '0.0.0.0-255.255.255.255',
  ]);
});

test('a long-lived service opening workspace after workspace keeps the CIDR cache bounded', () => {
  const service = createLanguageService();
  // One policy whose rule names 1,000 distinct /32 blocks; each workspace names other ones.
  const policy = (workspace: number) => {
    const peers = Array.from(
      { length: 1000 },
      (_, i) => `{ipBlock: {cidr: 10.${workspace}.${i >> 8}.${i % 256}/32}}`,
    );
    return `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\nspec:\n  podSelector: {}\n  egress: [{to: [${peers.join(', ')}]}]\n`;
  };
  let highest = 0;
  for (let workspace = 0; workspace < 12; workspace++) {
    service.setFile(`file:///w${workspace}/policies.yaml`, policy(workspace));
    service.deleteFile(`file:///w${workspace - 1}/policies.yaml`);
    assert.ok(service.state().analysis.reachability.peers.length > 1000);
    highest = Math.max(highest, rememberedCidrCount());
  }
  // 12 × 1,000 = 12,000 distinct CIDRs went through it.
  assert.ok(highest <= MAX_REMEMBERED_CIDRS, `${highest} entries`);
  assert.ok(highest >= 1000, 'the cache was used');
});
