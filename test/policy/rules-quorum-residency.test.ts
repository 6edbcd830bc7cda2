import { evaluate } from '../../lib/policy';
import type { DatabaseFact, Facts } from '../../lib/facts';
import type { RegionCode } from '../../lib/model';
import {
  quorumBounds, quorumNoTolerance, quorumStrong, quorumTolerance, quorumWriters,
  residencyAllowed, residencyPartitioned, residencyUndeclared,
} from '../../lib/policy/rules';
import { baseFacts, patch, run, withBackups } from './helpers';
import { at } from '../../lib/model/lookup';

function withQuorum(n: number | undefined, w: number | undefined, r: number | undefined, extra: Partial<NonNullable<Facts['data']>> = {}, base = baseFacts()): Facts {
  return patch(base, { data: { ...base.data!, consistency: 'strong', quorum: { replicas: n, writeQuorum: w, readQuorum: r }, ...extra } });
}

describe('GEO-QUORUM-001 quorum bounds', () => {
  test('compliant: 1 <= W, R <= N', () => expect(run(quorumBounds, withQuorum(3, 2, 2))).toEqual([]));
  test('not applicable without a quorum', () => expect(run(quorumBounds, baseFacts())).toEqual([]));
  test.each([
    [3, 0, 2, ['GEO-QUORUM-001 data.quorum.writeQuorum']],
    [3, 4, 2, ['GEO-QUORUM-001 data.quorum.writeQuorum']],
    [3, 2, 5, ['GEO-QUORUM-001 data.quorum.readQuorum']],
    [3, 0, 0, ['GEO-QUORUM-001 data.quorum.readQuorum', 'GEO-QUORUM-001 data.quorum.writeQuorum']],
    [0, 1, 1, ['GEO-QUORUM-001 data.quorum.replicas']],
  ])('non-compliant: N=%i W=%i R=%i', (n, w, r, expected) => {
    expect(run(quorumBounds, withQuorum(n, w, r))).toEqual(expected);
  });
  test('unknown W is reported, not passed', () => expect(run(quorumBounds, withQuorum(3, undefined, 2))).toEqual(['GEO-QUORUM-001 data.quorum ?']));
  test('unknown data is reported', () => expect(run(quorumBounds, patch(baseFacts(), { data: undefined }))).toEqual(['GEO-QUORUM-001 data ?']));
});

describe('GEO-QUORUM-002 strong needs W + R > N (article vectors)', () => {
  // The article's quorum table and examples, judged by W + R > N (not by the article's labels).
  test.each([
    ['classic strong', 3, 2, 2, []],
    ['"fast writes"', 3, 3, 1, []],
    ['fast reads', 3, 1, 3, []],
    ['eventual', 3, 1, 1, ['GEO-QUORUM-002 data.quorum']],
    ['"majority" W=2 R=2 N=5 is NOT strong (4 is not > 5)', 5, 2, 2, ['GEO-QUORUM-002 data.quorum']],
    ['finance-grade', 5, 3, 3, []],
    ['"borderline" N=5 W=3 R=2 is NOT strong (5 is not > 5)', 5, 3, 2, ['GEO-QUORUM-002 data.quorum']],
  ])('%s: N=%i W=%i R=%i', (_label, n, w, r, expected) => {
    expect(run(quorumStrong, withQuorum(n, w, r))).toEqual(expected);
  });
  test('eventual consistency may use non-overlapping quorums', () => {
    expect(run(quorumStrong, withQuorum(3, 1, 1, { consistency: 'eventual' }))).toEqual([]);
  });
  test('unknown consistency with W + R <= N is unknown', () => {
    expect(run(quorumStrong, withQuorum(3, 1, 1, { consistency: undefined }))).toEqual(['GEO-QUORUM-002 data.consistency ?']);
  });
  test('unknown R is unknown', () => expect(run(quorumStrong, withQuorum(3, 2, undefined))).toEqual(['GEO-QUORUM-002 data.quorum ?']));
  test('the message carries value and limit', () => {
    const f = evaluate(withQuorum(5, 3, 2), { rules: [quorumStrong] }).findings[0];
    expect(f).toMatchObject({ value: 5, limit: 5, severity: 'error' });
    expect(f?.message).toMatch(/W=3 \+ R=2 = 5 is not greater than N=5/);
  });
});

describe('GEO-QUORUM-003 several writers need W > N/2', () => {
  const activeActive = () => baseFacts({
    mode: 'active-active',
    regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
  });
  test('compliant: active-active N=5 W=3 R=3', () => expect(run(quorumWriters, withQuorum(5, 3, 3, {}, activeActive()))).toEqual([]));
  test('compliant: one writer may use W <= N/2 when W + R > N', () => expect(run(quorumWriters, withQuorum(4, 2, 3))).toEqual([]));
  test('non-compliant: active-active N=4 W=2 R=3 (W + R > N but writes can split)', () => {
    expect(run(quorumWriters, withQuorum(4, 2, 3, {}, activeActive()))).toEqual(['GEO-QUORUM-003 data.quorum.writeQuorum']);
  });
  test('non-compliant: several regions accept writes', () => {
    const f = baseFacts();
    const facts = patch(withQuorum(4, 2, 3, {}, f), { regions: f.regions.map((r) => ({ ...r, acceptsWrites: true })) });
    expect(run(quorumWriters, facts)).toEqual(['GEO-QUORUM-003 data.quorum.writeQuorum']);
  });
  test('unknown: writers cannot be counted', () => {
    const f = baseFacts();
    const facts = patch(withQuorum(4, 2, 3, {}, f), { mode: undefined, regions: f.regions.map((r) => ({ ...r, acceptsWrites: undefined })) });
    expect(run(quorumWriters, facts)).toEqual(['GEO-QUORUM-003 data.quorum ?']);
  });
});

describe('GEO-QUORUM-004 failure tolerance (info)', () => {
  test('reports N − W and N − R', () => {
    const report = evaluate(withQuorum(5, 3, 3), { rules: [quorumTolerance] });
    expect(report.findings.map((f) => [f.resource, f.value, f.severity])).toEqual([
      ['data.quorum.writeQuorum', 2, 'info'], ['data.quorum.readQuorum', 2, 'info'],
    ]);
  });
  test('not applicable without a quorum', () => expect(run(quorumTolerance, baseFacts())).toEqual([]));
  test('unknown N is unknown', () => expect(run(quorumTolerance, withQuorum(undefined, 2, 2))).toEqual(['GEO-QUORUM-004 data.quorum ?']));
});

describe('GEO-QUORUM-005 no tolerance when W = N or R = N', () => {
  test('compliant: W=2 R=2 N=3', () => expect(run(quorumNoTolerance, withQuorum(3, 2, 2))).toEqual([]));
  test('the article\'s "fast writes" W=3 R=1 N=3 has no write tolerance', () => {
    expect(run(quorumNoTolerance, withQuorum(3, 3, 1))).toEqual(['GEO-QUORUM-005 data.quorum.writeQuorum']);
  });
  test('fast reads W=1 R=3 N=3 has no read tolerance', () => {
    expect(run(quorumNoTolerance, withQuorum(3, 1, 3))).toEqual(['GEO-QUORUM-005 data.quorum.readQuorum']);
  });
  test('unknown', () => expect(run(quorumNoTolerance, withQuorum(3, undefined, undefined))).toEqual(['GEO-QUORUM-005 data.quorum ?']));
});

describe('GEO-RESIDENCY-001 data and keys inside the residency', () => {
  const eu = (regions: { name: RegionCode; role: 'primary' | 'secondary' }[], data: object = {}) => baseFacts({
    regions,
    data: { engine: 'aurora-postgresql', classification: 'pii', residency: ['EU'], ...data },
  });
  test('compliant: eu-west-1 and eu-central-1 are in the EU', () => {
    expect(run(residencyAllowed, eu([{ name: 'eu-west-1', role: 'primary' }, { name: 'eu-central-1', role: 'secondary' }]))).toEqual([]);
  });
  test('not applicable without a residency', () => expect(run(residencyAllowed, baseFacts())).toEqual([]));
  test('non-compliant: eu-west-2 is GB, not EU (the eu- prefix trap)', () => {
    expect(run(residencyAllowed, eu([{ name: 'eu-west-1', role: 'primary' }, { name: 'eu-west-2', role: 'secondary' }]))).toEqual([
      'GEO-RESIDENCY-001 alias/meridian/shop@eu-west-2', 'GEO-RESIDENCY-001 shop-eu-west-2',
    ]);
  });
  test('non-compliant: eu-central-2 is CH, not EU', () => {
    const facts = eu([{ name: 'eu-central-1', role: 'primary' }, { name: 'eu-central-2', role: 'secondary' }]);
    const f = evaluate(facts, { rules: [residencyAllowed] }).findings;
    expect(f.map((x) => [x.resource, x.value, x.limit])).toEqual([
      ['shop-eu-central-2', 'CH', 'EU'], ['alias/meridian/shop@eu-central-2', 'CH', 'EU'],
    ]);
  });
  test('non-compliant: a backup region outside the residency', () => {
    const facts = withBackups(eu([{ name: 'eu-west-1', role: 'primary' }, { name: 'eu-central-1', role: 'secondary' }]), ['us-east-1']);
    expect(run(residencyAllowed, facts)).toEqual(['GEO-RESIDENCY-001 shop-global']);
  });
  test('non-compliant: a member encrypted with a key from outside', () => {
    const base = eu([{ name: 'eu-west-1', role: 'primary' }, { name: 'eu-central-1', role: 'secondary' }]);
    const db = at(base.databases, 0, 'database');
    const facts = patch(base, { databases: [{ ...db, members: db.members.map((m, i) => (i === 1 ? { ...m, keyRegion: 'us-east-1' } : m)) }] });
    expect(run(residencyAllowed, facts)).toEqual(['GEO-RESIDENCY-001 shop-eu-central-1']);
  });
  test('unknown: a member region that did not resolve', () => {
    const base = eu([{ name: 'eu-west-1', role: 'primary' }, { name: 'eu-central-1', role: 'secondary' }]);
    const db = at(base.databases, 0, 'database');
    const facts = patch(base, { databases: [{ ...db, members: [at(db.members, 0, 'member'), { ...at(db.members, 1, 'member'), region: undefined, keyRegion: undefined }] }] });
    expect(run(residencyAllowed, facts)).toEqual(['GEO-RESIDENCY-001 shop-eu-central-1 ?', 'GEO-RESIDENCY-001 shop-eu-central-1 ?']);
  });
  test('unknown residency', () => {
    const base = baseFacts();
    expect(run(residencyAllowed, patch(base, { data: { ...base.data!, residency: undefined } }))).toEqual(['GEO-RESIDENCY-001 data.residency ?']);
  });
});

describe('GEO-RESIDENCY-002 partitioned data stays in its jurisdiction', () => {
  const partitioned = (data: object = {}) => baseFacts({
    mode: 'partitioned',
    regions: [
      { name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }, { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' },
      { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
    ],
    data: { engine: 'dynamodb', classification: 'pii', residency: ['EU', 'US'], ...data },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
  });
  test('compliant', () => expect(run(residencyPartitioned, partitioned())).toEqual([]));
  test('not applicable outside partitioned mode', () => expect(run(residencyPartitioned, baseFacts())).toEqual([]));
  test('non-compliant: shared backup region leaks the EU partition into the US', () => {
    expect(run(residencyPartitioned, withBackups(partitioned(), ['us-east-2']))).toEqual(['GEO-RESIDENCY-002 shop-eu']);
  });
  test('non-compliant: replication into a region serving another jurisdiction', () => {
    const base = partitioned();
    const euDb = at(base.databases, 0, 'EU database');
    const usDb = at(base.databases, 1, 'US database');
    const leak: DatabaseFact = { ...euDb, members: [...euDb.members, { ...at(usDb.members, 0, 'US member'), id: 'shop-eu@us-east-1' }] };
    expect(run(residencyPartitioned, patch(base, { databases: [leak, usDb] }))).toEqual([
      'GEO-RESIDENCY-002 shop-eu@us-east-1', 'GEO-RESIDENCY-002 shop-eu@us-east-1',
    ]);
  });
  test('unknown jurisdiction of a database', () => {
    const base = partitioned();
    const euDb = at(base.databases, 0, 'EU database');
    const usDb = at(base.databases, 1, 'US database');
    expect(run(residencyPartitioned, patch(base, { databases: [{ ...euDb, jurisdiction: undefined }, usDb] }))).toEqual(['GEO-RESIDENCY-002 shop-eu ?']);
  });
});

describe('GEO-RESIDENCY-003 regulated data declares a residency', () => {
  test('compliant: pii with residency', () => {
    expect(run(residencyUndeclared, baseFacts({ data: { engine: 'dynamodb', classification: 'pii', residency: ['US'] } }))).toEqual([]);
  });
  test('compliant: confidential data needs no declaration', () => expect(run(residencyUndeclared, baseFacts())).toEqual([]));
  test.each(['pii', 'financial'] as const)('non-compliant: %s without residency', (classification) => {
    expect(run(residencyUndeclared, baseFacts({ data: { engine: 'dynamodb', classification } }))).toEqual(['GEO-RESIDENCY-003 data.residency']);
  });
  test('unknown classification', () => {
    const base = baseFacts();
    expect(run(residencyUndeclared, patch(base, { data: { ...base.data!, classification: undefined } }))).toEqual(['GEO-RESIDENCY-003 data.classification ?']);
  });
});
