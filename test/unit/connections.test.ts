import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectionSet, ConnectionTable } from '../../server/src/core/connections';

test('ALL prints as All Connections and NONE as No Connections', () => {
  assert.equal(ConnectionSet.ALL.toString(), 'All Connections');
  assert.equal(ConnectionSet.NONE.toString(), 'No Connections');
  assert.ok(ConnectionSet.ALL.isAll());
  assert.ok(ConnectionSet.NONE.isEmpty());
});

test('protocol groups are sorted by name and ranges are merged', () => {
  const set = ConnectionSet.of('UDP', 53)
    .union(ConnectionSet.of('TCP', 81, 90))
    .union(ConnectionSet.of('TCP', 80))
    .union(ConnectionSet.of('SCTP'));
  assert.equal(set.toString(), 'SCTP 1-65535,TCP 80-90,UDP 53');
});

test('subtracting one port from everything gives the netpol-analyzer form', () => {
  const set = ConnectionSet.ALL.subtract(ConnectionSet.of('TCP', 80));
  assert.equal(set.toString(), 'SCTP 1-65535,TCP 1-79,81-65535,UDP 1-65535');
  assert.ok(!set.contains('TCP', 80));
  assert.ok(set.contains('TCP', 81));
});

test('port 1 alone is a single port, not the whole range', () => {
  assert.equal(ConnectionSet.of('TCP', 1).toString(), 'TCP 1');
});

test('intersection keeps only what both allow', () => {
  const a = ConnectionSet.of('TCP', 1, 100).union(ConnectionSet.of('UDP', 53));
  const b = ConnectionSet.of('TCP', 50, 200);
  assert.equal(a.intersect(b).toString(), 'TCP 50-100');
  assert.ok(a.intersect(ConnectionSet.of('SCTP')).isEmpty());
});

test('ranges outside 1-65535 are clipped and inverted ranges are empty', () => {
  assert.equal(ConnectionSet.of('TCP', 0, 70000).toString(), 'TCP 1-65535');
  assert.ok(ConnectionSet.of('TCP', 90, 80).isEmpty());
});

test('JSON round trip', () => {
  const set = ConnectionSet.of('TCP', 80).union(ConnectionSet.of('UDP', 1000, 2000));
  assert.deepEqual(set.toJSON(), { TCP: [[80, 80]], UDP: [[1000, 2000]] });
  assert.ok(ConnectionSet.fromJSON(set.toJSON()).equals(set));
});

test('the table interns equal sets and memoizes operations', () => {
  const table = new ConnectionTable();
  const a = table.intern(ConnectionSet.of('TCP', 80));
  const b = table.intern(ConnectionSet.of('TCP', 80));
  assert.equal(a, b);
  const c = table.intern(ConnectionSet.of('UDP', 53));
  const union = table.union(a, c);
  assert.equal(table.get(union).toString(), 'TCP 80,UDP 53');
  assert.equal(table.intersect(union, a), a);
  assert.equal(table.intersect(a, c), table.none);
  assert.equal(table.union(a, table.all), table.all);
});

/** Deterministic pseudo-random ranges (a linear congruential generator), some overlapping, some at the edges. */
function someRanges(seed: number, count: number): [number, number][] {
  let state = seed;
  const next = () => (state = (state * 1103515245 + 12345) % 2147483648) % 65600;
  return Array.from({ length: count }, () => {
    const lo = next();
    return [lo, lo + (next() % 300)];
  });
}

test('subtract and containsRange agree with port-by-port sets on many ranges', () => {
  const portsOf = (set: ConnectionSet) =>
    new Set(set.ranges('TCP').flatMap(([lo, hi]) => Array.from({ length: hi - lo + 1 }, (_, i) => lo + i)));
  for (let seed = 1; seed <= 20; seed++) {
    const a = ConnectionSet.fromJSON({ TCP: someRanges(seed, 40) });
    const b = ConnectionSet.fromJSON({ TCP: someRanges(seed + 100, 60) });
    const inA = portsOf(a);
    const inB = portsOf(b);
    const expected = [...inA].filter((p) => !inB.has(p)).sort((x, y) => x - y);
    assert.deepEqual(
      [...portsOf(a.subtract(b))].sort((x, y) => x - y),
      expected,
      `seed ${seed}`,
    );
    for (const [lo, hi] of someRanges(seed + 200, 30)) {
      const from = Math.max(1, lo);
      const to = Math.min(65535, hi);
      if (from > to) continue;
      let all = true;
      for (let p = from; p <= to && all; p++) all = inB.has(p);
      assert.equal(b.containsRange('TCP', from, to), all, `seed ${seed}: ${from}-${to}`);
      assert.equal(b.contains('TCP', from), inB.has(from));
    }
  }
  // Written down: everything minus 80 and 443-445.
  const web = ConnectionSet.fromJSON({
    TCP: [
      [80, 80],
      [443, 445],
    ],
  });
  assert.equal(ConnectionSet.of('TCP').subtract(web).toString(), 'TCP 1-79,81-442,446-65535');
});
