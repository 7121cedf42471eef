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
