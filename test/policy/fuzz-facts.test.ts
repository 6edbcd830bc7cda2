/**
 * Facts read back from synthesized templates may have any value unresolved. Knock random values out of
 * planned facts (undefined = unknown) and check that no rule crashes on them.
 */
import fc from 'fast-check';
import type { Facts } from '../../lib/facts';
import { evaluate } from '../../lib/policy';
import { baseFacts, withBackups } from './helpers';
import { at } from '../../lib/model/lookup';

const BASES: Facts[] = [
  withBackups(baseFacts({ objectives: { rtoSeconds: 300, rpoSeconds: 5 }, data: { engine: 'aurora-postgresql', classification: 'pii', residency: ['US'], consistency: 'strong', quorum: { replicas: 3, writeQuorum: 2, readQuorum: 2 } } }), ['us-east-2']),
  baseFacts({
    mode: 'partitioned', objectives: { rtoSeconds: 60, rpoSeconds: 0 },
    regions: [{ name: 'eu-west-1', role: 'active', jurisdiction: 'EU', peakRps: 100 }, { name: 'eu-central-1', role: 'active', jurisdiction: 'EU', peakRps: 50 }, { name: 'us-east-1', role: 'active', jurisdiction: 'US', peakRps: 10 }],
    data: { engine: 'dynamodb', classification: 'financial', residency: ['EU', 'US'] },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
    suppressions: [{ rule: 'GEO-FIS-001', reason: 'single-region partition has nothing to stop on', expires: '2027-01-01' }],
  }),
];

/** Arrays the Facts types allow to be unknown; every other array is always known (possibly empty). */
const OPTIONAL_ARRAYS = ['backupRegions', 'actions', 'stopConditions', 'residency'];
/** Plain optional fields (`?:`), where undefined means absent rather than unknown. */
const ABSENT_NOT_UNKNOWN = ['expires', 'resource', 'continentCode', 'countryCode', 'subdivisionCode'];

/** Walks the facts and replaces the values `knock` picks with undefined, where the types allow it. */
function knockOut(value: unknown, knock: () => boolean, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => knockOut(v, knock, depth + 1));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => {
      // Identities stay known: a fact without an id could not be reported against.
      const fixed = k === 'id' || ABSENT_NOT_UNKNOWN.includes(k) || (k === 'name' && depth > 0 && !('routing' in value)) || k === 'rule' || k === 'reason' || k === 'dns'
        || (Array.isArray(v) && !OPTIONAL_ARRAYS.includes(k));
      if (fixed) return [k, knockOut(v, knock, depth + 1)];
      return [k, knock() ? undefined : knockOut(v, knock, depth + 1)];
    }));
  }
  return value;
}

/**
 * `expect(list).toEqual([])`, asked only when the list is not empty: Jest's matcher costs tens of
 * microseconds a call, thousands of calls inside the properties; an empty list passes it either way.
 */
function expectNone(list: readonly unknown[]): void {
  if (list.length > 0) expect(list).toEqual([]);
}

test('rules report unknown instead of crashing when facts are unresolved', () => {
  fc.assert(fc.property(fc.constantFrom(...BASES), fc.infiniteStream(fc.integer({ min: 0, max: 99 })), fc.integer({ min: 1, max: 30 }), (base, dice, percent) => {
    const it = dice[Symbol.iterator]();
    const facts = knockOut(base, () => it.next().value < percent) as Facts;
    const report = evaluate(facts, { now: new Date('2026-06-01T00:00:00Z') });
    const crashed = report.findings.filter((f) => f.resource === 'policy');
    expectNone(crashed);
    expectNone(report.findings.map((f) => f.message).filter((m) => typeof m !== 'string' || /\[object|NaN/.test(m)));
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
});

/** A deployment that breaks as many rules as a plan can, plus facts a plan cannot express. */
function brokenFacts(): Facts {
  const f = baseFacts({
    regions: [
      { name: 'us-east-1', role: 'primary', cidr: '10.0.0.0/16', peakRps: 4000 },
      { name: 'us-west-2', role: 'secondary', cidr: '10.0.0.0/17', peakRps: 2500, instances: 0 },
      { name: 'eu-west-2', role: 'secondary', peakRps: 100 },
    ],
    network: { baseCidr: '172.16.0.0/12' },
    data: { engine: 'aurora-postgresql', classification: 'pii', consistency: 'strong', quorum: { replicas: 5, writeQuorum: 5, readQuorum: 0 } },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 300, healthCheck: { intervalSeconds: 15, failureThreshold: 11 } },
    objectives: { rtoSeconds: 60, rpoSeconds: 0 },
    alarms: { replicationLagWarningSeconds: 600, replicationLagCriticalSeconds: 300 },
    suppressions: [{ rule: 'GEO-DNS-001', reason: 'expired acknowledgement', expires: '2020-01-01' }],
  });
  const db = at(f.databases, 0, 'database');
  return {
    ...f,
    // The schema refuses a blank reason; facts from elsewhere may carry one.
    suppressions: [...f.suppressions, { rule: 'GEO-KMS-002', reason: ' ' }],
    keys: f.keys.map((k, i) => ({ ...k, rotation: i !== 0 })),
    databases: [{ ...db, backupRegions: ['ca-central-1'], members: db.members.map((m, i) => (i === 2 ? { ...m, deletionProtection: false, keyRegion: 'us-east-1' } : m)) }],
    peerings: f.peerings.map((p) => ({ ...p, routes: { requester: true, accepter: false } })),
    alarms: f.alarms.filter((a) => a.subjectRegion !== 'eu-west-2'),
    experiments: f.experiments.map((e, i) => ({ ...e, stopConditions: i === 0 ? [] : [{ source: 'aws:cloudwatch:alarm', alarmId: 'missing' }] })),
    dns: { ...f.dns, records: f.dns.records.map((r) => ({ ...r, healthCheckId: r.failover === 'PRIMARY' ? null : r.healthCheckId })) },
  };
}

/** A partitioned, geolocation-routed deployment breaking the rules brokenFacts() cannot reach. */
function brokenPartitioned(): Facts {
  const f = baseFacts({
    mode: 'partitioned',
    regions: [
      { name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }, { name: 'eu-west-2', role: 'active', jurisdiction: 'EU' },
      { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
    ],
    data: { engine: 'aurora-postgresql', classification: 'financial', residency: ['EU'], consistency: 'strong', quorum: { replicas: 4, writeQuorum: 2, readQuorum: 2 } },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
  });
  const fake = (id: string) => ({ ...at(f.dns.records, 0, 'DNS record'), id, name: 'legacy.example.com', routing: 'failover' as const, geolocation: null, failover: 'PRIMARY' as const });
  return {
    ...f,
    dns: {
      ...f.dns,
      records: [
        ...f.dns.records.filter((r) => r.geolocation?.countryCode !== '*').map((r, i) => (i === 0 ? { ...r, healthCheckId: null } : r)),
        fake('legacy-a'), fake('legacy-b'),
        // A latency record without a health check (the plan's partitioned records are failover sets and aliases).
        { ...at(f.dns.records, 0, 'DNS record'), id: 'legacy-latency', name: 'near.example.com', routing: 'latency' as const, failover: null, geolocation: null, latencyRegion: 'eu-west-1', healthCheckId: null },
      ],
    },
  };
}

test.each([['brokenFacts', brokenFacts, [
  'GEO-ALARM-001', 'GEO-ALARM-002', 'GEO-CAPACITY-001', 'GEO-DATA-001', 'GEO-DNS-001', 'GEO-DNS-002', 'GEO-FAILURE-002', 'GEO-FIS-001', 'GEO-FIS-002',
  'GEO-HEALTH-001', 'GEO-HEALTH-002', 'GEO-KMS-001', 'GEO-KMS-002', 'GEO-KMS-003', 'GEO-META-001', 'GEO-META-002',
  'GEO-NETWORK-001', 'GEO-NETWORK-002', 'GEO-QUORUM-001', 'GEO-RESIDENCY-003', 'GEO-RESILIENCE-001', 'GEO-RESILIENCE-002',
]], ['brokenPartitioned', brokenPartitioned, [
  'GEO-DNS-002', 'GEO-DNS-003', 'GEO-DNS-004', 'GEO-DNS-005', 'GEO-FAILURE-002', 'GEO-QUORUM-002', 'GEO-QUORUM-003', 'GEO-QUORUM-004',
  'GEO-RESIDENCY-001', 'GEO-RESIDENCY-002',
]]] as const)('never a silent pass (%s): a rule that fires on known facts still reports when facts go unresolved', (_name, make, expected) => {
  const broken = make();
  const now = new Date('2026-06-01T00:00:00Z');
  const fired = new Set(evaluate(broken, { now }).findings.map((f) => f.ruleId));
  expect([...fired].sort()).toEqual([...expected]);
  fc.assert(fc.property(fc.infiniteStream(fc.integer({ min: 0, max: 99 })), fc.integer({ min: 1, max: 40 }), (dice, percent) => {
    const it = dice[Symbol.iterator]();
    const facts = knockOut(broken, () => it.next().value < percent) as Facts;
    const still = new Set(evaluate(facts, { now }).findings.map((f) => f.ruleId));
    expectNone([...fired].filter((id) => !still.has(id)));
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 300) });
});
