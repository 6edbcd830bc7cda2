import type { DatabaseMemberFact, Facts } from '../../lib/facts';
import { evaluate } from '../../lib/policy';
import {
  alarmLagPresent, alarmThresholdOrder, capacityFailover, dataDeletionProtection, fisStopAlarm, fisStopCondition,
  kmsKeyPerRegion, kmsOwnRegion, kmsRotation, metaSuppressionExpired, metaSuppressionReason, resilienceRpo, resilienceRto,
} from '../../lib/policy/rules';
import { baseFacts, patch, run, withBackups } from './helpers';
import { at } from '../../lib/model/lookup';

/** Changes the second member (the us-west-2 secondary) of the first database. */
const secondary = (facts: Facts, change: Partial<DatabaseMemberFact>): Facts => {
  const db = at(facts.databases, 0, 'database');
  return patch(facts, { databases: [{ ...db, members: db.members.map((m, i) => (i === 1 ? { ...m, ...change } : m)) }] });
};

describe('GEO-KMS-001 a key per data region', () => {
  test('compliant', () => expect(run(kmsKeyPerRegion, baseFacts())).toEqual([]));
  test('non-compliant: no key in us-west-2', () => {
    const f = baseFacts();
    expect(run(kmsKeyPerRegion, patch(f, { keys: f.keys.filter((k) => k.region !== 'us-west-2') }))).toEqual(['GEO-KMS-001 us-west-2']);
  });
  test('non-compliant: a backup region without a key', () => {
    expect(run(kmsKeyPerRegion, withBackups(baseFacts(), ['us-east-2']))).toEqual(['GEO-KMS-001 us-east-2']);
  });
  test('unknown key region', () => {
    const f = baseFacts();
    expect(run(kmsKeyPerRegion, patch(f, { keys: f.keys.map((k) => (k.region === 'us-west-2' ? { ...k, region: undefined } : k)) }))).toEqual([
      'GEO-KMS-001 alias/meridian/shop@us-west-2 ?',
    ]);
  });
});

describe('GEO-KMS-002 rotation on', () => {
  test('compliant', () => expect(run(kmsRotation, baseFacts())).toEqual([]));
  test('non-compliant', () => {
    const f = baseFacts();
    expect(run(kmsRotation, patch(f, { keys: f.keys.map((k, i) => (i === 0 ? { ...k, rotation: false } : k)) }))).toEqual(['GEO-KMS-002 alias/meridian/shop@us-east-1']);
  });
  test('unknown', () => {
    const f = baseFacts();
    expect(run(kmsRotation, patch(f, { keys: f.keys.map((k, i) => (i === 0 ? { ...k, rotation: undefined } : k)) }))).toEqual(['GEO-KMS-002 alias/meridian/shop@us-east-1 ?']);
  });
});

describe('GEO-KMS-003 own-region customer key', () => {
  test('compliant', () => expect(run(kmsOwnRegion, baseFacts())).toEqual([]));
  test.each([
    ['another region\'s key', { keyRegion: 'us-east-1' }],
    ['AWS-owned key', { keyRegion: null }],
    ['unencrypted', { encrypted: false }],
  ])('non-compliant: %s', (_label, change) => {
    expect(run(kmsOwnRegion, secondary(baseFacts(), change as Partial<DatabaseMemberFact>))).toEqual(['GEO-KMS-003 shop-us-west-2']);
  });
  test.each([[{ keyRegion: undefined }], [{ encrypted: undefined }]])('unknown: %o', (change) => {
    expect(run(kmsOwnRegion, secondary(baseFacts(), change))).toEqual(['GEO-KMS-003 shop-us-west-2 ?']);
  });
});

describe('GEO-DATA-001 deletion protection', () => {
  test('compliant', () => expect(run(dataDeletionProtection, baseFacts())).toEqual([]));
  test('non-compliant', () => expect(run(dataDeletionProtection, secondary(baseFacts(), { deletionProtection: false }))).toEqual(['GEO-DATA-001 shop-us-west-2']));
  test('unknown', () => expect(run(dataDeletionProtection, secondary(baseFacts(), { deletionProtection: undefined }))).toEqual(['GEO-DATA-001 shop-us-west-2 ?']));
});

describe('GEO-ALARM-001 lag alarm per secondary/replica', () => {
  const noLag = (f: Facts) => patch(f, { alarms: f.alarms.filter((a) => a.kind !== 'replication-lag' && a.kind !== 'rpo-lag') });
  test('compliant: Aurora secondaries', () => expect(run(alarmLagPresent, baseFacts())).toEqual([]));
  test('compliant: DynamoDB replicas', () => {
    expect(run(alarmLagPresent, baseFacts({
      mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal' }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    }))).toEqual([]);
  });
  test('non-compliant: secondary without lag alarm', () => expect(run(alarmLagPresent, noLag(baseFacts()))).toEqual(['GEO-ALARM-001 shop-us-west-2']));
  test('non-compliant: every DynamoDB replica needs one', () => {
    const f = baseFacts({
      mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal' }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    });
    expect(run(alarmLagPresent, noLag(f))).toEqual(['GEO-ALARM-001 shop@us-east-1', 'GEO-ALARM-001 shop@us-west-2']);
  });
  test('not applicable to a single-region table (nothing replicates)', () => {
    const f = baseFacts({
      mode: 'partitioned', regions: [{ name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }],
      data: { engine: 'dynamodb', classification: 'internal' }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
    });
    expect(run(alarmLagPresent, f)).toEqual([]);
  });
  test('unknown alarm subject', () => {
    const f = noLag(baseFacts());
    const facts = patch(f, { alarms: [...f.alarms, { id: 'lag?', region: 'us-west-2', metric: 'X', kind: undefined, level: 'critical', thresholdSeconds: 300, subjectRegion: undefined }] });
    expect(run(alarmLagPresent, facts)).toEqual(['GEO-ALARM-001 lag? ?']);
  });
});

describe('GEO-ALARM-002 warning <= critical', () => {
  test('compliant: 30 s and 300 s', () => expect(run(alarmThresholdOrder, baseFacts())).toEqual([]));
  test('non-compliant: warning 600 s, critical 300 s', () => {
    const f = baseFacts({ alarms: { replicationLagWarningSeconds: 600, replicationLagCriticalSeconds: 300 } });
    expect(run(alarmThresholdOrder, f)).toEqual(['GEO-ALARM-002 shop-usw2-replication-lag-warning', 'GEO-ALARM-002 shop-usw2-rpo-lag-warning']);
  });
  test('unknown threshold', () => {
    const f = baseFacts();
    const facts = patch(f, { alarms: f.alarms.map((a) => (a.id === 'shop-usw2-rpo-lag-critical' ? { ...a, thresholdSeconds: undefined } : a)) });
    expect(run(alarmThresholdOrder, facts)).toEqual(['GEO-ALARM-002 shop-usw2-rpo-lag-warning ?']);
  });
  test('unknown level', () => {
    const f = baseFacts();
    const facts = patch(f, { alarms: f.alarms.map((a) => (a.id === 'shop-usw2-rpo-lag-critical' ? { ...a, level: undefined } : a)) });
    expect(run(alarmThresholdOrder, facts)).toEqual(['GEO-ALARM-002 shop-usw2-rpo-lag-critical ?']);
  });
});

describe('GEO-RESILIENCE-001 worst-case RTO within objective', () => {
  // Hand-computed worst cases (see test/policy/estimate.test.ts): writer region lost 40 + 600 + 60 = 700 s,
  // writer cluster lost 120 + 600 + 60 = 780 s, one zone lost 60 s.
  const objectives = { rtoSeconds: 900, rpoSeconds: 30 };
  const values = (facts: Facts) => evaluate(facts, { rules: [resilienceRto] }).findings.map((f) => f.value);
  test('not applicable without objectives', () => expect(run(resilienceRto, baseFacts())).toEqual([]));
  test('compliant: worst case 780 s within 900 s', () => {
    expect(run(resilienceRto, baseFacts({ objectives }))).toEqual([]);
  });
  test('non-compliant: 300 s cannot be met with a human deciding (700 s and 780 s)', () => {
    const facts = baseFacts({ objectives: { rtoSeconds: 300, rpoSeconds: 30 } });
    const findings = evaluate(facts, { rules: [resilienceRto] }).findings;
    expect(findings.map((f) => [f.resource, f.region, f.value, f.limit])).toEqual([['shop-global', 'us-east-1', 700, 300], ['shop-global', 'us-east-1', 780, 300]]);
    expect(findings[0]?.message).toBe('loss of us-east-1: worst-case RTO 700 s exceeds objective 300 s (recovery in us-west-2): detection 40 s + decision 600 s + promotion 60 s');
  });
  test('non-compliant: a headless failover target adds up to 600 s', () => {
    const facts = baseFacts({ objectives, regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary', instances: 0 }] });
    expect(values(facts)).toEqual([40 + 600 + 600 + 60, 120 + 600 + 600 + 60]);
  });
  test('non-compliant: 30 s interval × 10 failures (detection up to 330 s)', () => {
    const facts = baseFacts({ objectives, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', healthCheck: { intervalSeconds: 30, failureThreshold: 10 } } });
    expect(values(facts)).toEqual([330 + 600 + 60]);
  });
  test('DynamoDB needs no decision or promotion: 40 + 60 + 5 = 105 s', () => {
    const spec = {
      mode: 'active-active' as const, regions: [{ name: 'us-east-1' as const, role: 'active' as const }, { name: 'us-west-2' as const, role: 'active' as const }],
      data: { engine: 'dynamodb' as const, classification: 'internal' as const }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' as const },
    };
    expect(run(resilienceRto, baseFacts({ ...spec, objectives: { rtoSeconds: 105, rpoSeconds: 30 } }))).toEqual([]);
    expect(values(baseFacts({ ...spec, objectives: { rtoSeconds: 90, rpoSeconds: 30 } }))).toEqual([105, 105]);
  });
  test('non-compliant: no alarm watches the writer', () => {
    const f = baseFacts({ objectives });
    const findings = evaluate(patch(f, { alarms: f.alarms.filter((a) => a.kind !== 'writer-unavailable') }), { rules: [resilienceRto] }).findings;
    expect(findings.map((x) => x.value)).toEqual(['unbounded']);
    expect(findings[0]?.message).toMatch(/no alarm watches the writer of shop-global/);
  });
  test('unknown instance count', () => {
    expect(run(resilienceRto, secondary(baseFacts({ objectives }), { instances: undefined }))).toEqual(['GEO-RESILIENCE-001 shop-global ?', 'GEO-RESILIENCE-001 shop-global ?']);
  });
  test('unknown objective', () => {
    expect(run(resilienceRto, patch(baseFacts(), { objectives: { rtoSeconds: undefined, rpoSeconds: 5 } }))).toEqual(['GEO-RESILIENCE-001 objectives.rtoSeconds ?']);
  });
});

describe('GEO-RESILIENCE-002 worst-case RPO within objective', () => {
  test('compliant: the warning lag alarm (30 s) within 30 s', () => expect(run(resilienceRpo, baseFacts({ objectives: { rtoSeconds: 900, rpoSeconds: 30 } }))).toEqual([]));
  test('compliant: a warning lag alarm at 5 s meets a 5 s objective', () => {
    expect(run(resilienceRpo, baseFacts({ objectives: { rtoSeconds: 900, rpoSeconds: 5 }, alarms: { replicationLagWarningSeconds: 5, replicationLagCriticalSeconds: 300 } }))).toEqual([]);
  });
  test('non-compliant: 30 s of lag raise no alarm, objective 5 s (reported once for region and writer loss)', () => {
    const findings = evaluate(baseFacts({ objectives: { rtoSeconds: 900, rpoSeconds: 5 } }), { rules: [resilienceRpo] }).findings;
    expect(findings.map((f) => [f.resource, f.value, f.limit])).toEqual([['shop-global', 30, 5]]);
  });
  test('non-compliant: RPO 0 cannot be met by asynchronous replication', () => {
    expect(run(resilienceRpo, baseFacts({ objectives: { rtoSeconds: 900, rpoSeconds: 0 } }))).toEqual(['GEO-RESILIENCE-002 shop-global']);
  });
  test('non-compliant: no lag alarm leaves the lag unbounded', () => {
    const f = baseFacts({ objectives: { rtoSeconds: 900, rpoSeconds: 30 } });
    const facts = patch(f, { alarms: f.alarms.filter((a) => a.kind !== 'replication-lag' && a.kind !== 'rpo-lag') });
    expect(evaluate(facts, { rules: [resilienceRpo] }).findings.map((x) => x.value)).toEqual(['unbounded']);
  });
  test('non-compliant: a partition with no replica', () => {
    const facts = baseFacts({
      objectives: { rtoSeconds: 300, rpoSeconds: 30 }, mode: 'partitioned',
      regions: [{ name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' }],
      data: { engine: 'dynamodb', classification: 'internal' }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    });
    expect(run(resilienceRpo, facts)).toEqual(['GEO-RESILIENCE-002 shop-eu']);
    expect(run(resilienceRto, facts)).toEqual(['GEO-RESILIENCE-001 shop-eu']);
  });
  test('unknown: the role of the writer', () => {
    const f = baseFacts({ objectives: { rtoSeconds: 900, rpoSeconds: 30 } });
    const db = at(f.databases, 0, 'database');
    const facts = patch(f, { databases: [{ ...db, members: db.members.map((m, i) => (i === 0 ? { ...m, role: undefined } : m)) }] });
    expect(run(resilienceRpo, facts)).toEqual(['GEO-RESILIENCE-002 shop-global ?']);
  });
  test('unknown objective', () => {
    expect(run(resilienceRpo, patch(baseFacts(), { objectives: undefined }))).toEqual(['GEO-RESILIENCE-002 objectives.rpoSeconds ?']);
  });
});

describe('GEO-CAPACITY-001 survivors absorb a failed region', () => {
  const threeRegions = (peaks: [number, number, number], capacities: (number | undefined)[] = []) => baseFacts({
    regions: [
      { name: 'us-east-1', role: 'primary', peakRps: peaks[0], capacityRps: capacities[0] },
      { name: 'us-west-2', role: 'secondary', peakRps: peaks[1], capacityRps: capacities[1] },
      { name: 'eu-west-1', role: 'secondary', peakRps: peaks[2], capacityRps: capacities[2] },
    ],
  });
  test('not applicable without peakRps', () => expect(run(capacityFailover, baseFacts())).toEqual([]));
  test('compliant: the SECONDARY has room for the primary', () => {
    expect(run(capacityFailover, threeRegions([4000, 1000, 1000], [8000, 6000, 2000]))).toEqual([]);
  });
  test('non-compliant: orders-like numbers — failover goes to the SECONDARY record only', () => {
    const [f] = evaluate(threeRegions([4000, 2500, 1500]), { rules: [capacityFailover] }).findings;
    expect(f).toMatchObject({ ruleId: 'GEO-CAPACITY-001', resource: 'us-east-1', value: 2500, limit: 4000, severity: 'warning' });
  });
  test('active-active: all survivors share the load', () => {
    const aa = (peaks: number[]) => baseFacts({
      mode: 'active-active', dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
      regions: peaks.map((p, i) => ({ name: at(['us-east-1', 'us-west-2', 'eu-west-1'] as const, i, 'region name'), role: 'active' as const, peakRps: p })),
    });
    expect(run(capacityFailover, aa([1000, 1000, 1000]))).toEqual([]);
    expect(run(capacityFailover, aa([5000, 1000, 1000]))).toEqual(['GEO-CAPACITY-001 us-east-1']);
  });
  test('unknown capacity of the failover target', () => {
    const f = threeRegions([4000, 1000, 1000]);
    const facts = patch(f, { regions: f.regions.map((r) => (r.name === 'us-west-2' ? { ...r, capacityRps: undefined } : r)) });
    expect(run(capacityFailover, facts)).toEqual(['GEO-CAPACITY-001 eu-west-1 ?', 'GEO-CAPACITY-001 us-east-1 ?']);
  });
});

describe('GEO-FIS-001 stop conditions', () => {
  test('compliant', () => expect(run(fisStopCondition, baseFacts())).toEqual([]));
  test('non-compliant: none, or only source "none"', () => {
    const f = baseFacts();
    const facts = patch(f, { experiments: [{ ...at(f.experiments, 0, 'experiment'), stopConditions: [] }, { ...at(f.experiments, 1, 'experiment'), stopConditions: [{ source: 'none', alarmId: null }] }] });
    expect(run(fisStopCondition, facts)).toEqual(['GEO-FIS-001 shop-use1-database-failover', 'GEO-FIS-001 shop-use1-region-isolation']);
  });
  test('unknown', () => {
    const f = baseFacts();
    expect(run(fisStopCondition, patch(f, { experiments: [{ ...at(f.experiments, 0, 'experiment'), stopConditions: undefined }] }))).toEqual(['GEO-FIS-001 shop-use1-region-isolation ?']);
  });
});

describe('GEO-FIS-002 stop alarms exist in the experiment region', () => {
  test('compliant', () => expect(run(fisStopAlarm, baseFacts())).toEqual([]));
  test('non-compliant: missing alarm and alarm in another region', () => {
    const f = baseFacts();
    const facts = patch(f, { experiments: [
      { ...at(f.experiments, 0, 'experiment'), stopConditions: [{ source: 'aws:cloudwatch:alarm', alarmId: 'nope' }] },
      { ...at(f.experiments, 1, 'experiment'), stopConditions: [{ source: 'aws:cloudwatch:alarm', alarmId: 'shop-usw2-replication-lag-critical' }] },
    ] });
    expect(run(fisStopAlarm, facts)).toEqual(['GEO-FIS-002 shop-use1-database-failover', 'GEO-FIS-002 shop-use1-region-isolation']);
  });
  test('unknown alarm', () => {
    const f = baseFacts();
    const facts = patch(f, { experiments: [{ ...at(f.experiments, 0, 'experiment'), stopConditions: [{ source: 'aws:cloudwatch:alarm', alarmId: undefined }] }] });
    expect(run(fisStopAlarm, facts)).toEqual(['GEO-FIS-002 shop-use1-region-isolation ?']);
  });
});

describe('GEO-META-001 / 002 suppression hygiene', () => {
  const now = new Date('2026-06-01T12:00:00Z');
  const sup = (s: object) => patch(baseFacts(), { suppressions: [{ rule: 'GEO-DNS-001', reason: 'legacy resolvers need it', ...s }] });
  test('compliant: no expiry, or expiring today or later', () => {
    expect(run(metaSuppressionExpired, sup({}), now)).toEqual([]);
    expect(run(metaSuppressionExpired, sup({ expires: '2026-06-01' }), now)).toEqual([]);
  });
  test('non-compliant: expired yesterday, or not a date', () => {
    expect(run(metaSuppressionExpired, sup({ expires: '2026-05-31' }), now)).toEqual(['GEO-META-001 suppression:GEO-DNS-001']);
    expect(run(metaSuppressionExpired, sup({ expires: '2026-13-45', resource: 'x' }), now)).toEqual(['GEO-META-001 suppression:GEO-DNS-001:x']);
  });
  test('GEO-META-002: a blank reason', () => {
    expect(run(metaSuppressionReason, sup({}), now)).toEqual([]);
    expect(run(metaSuppressionReason, sup({ reason: '  ' }), now)).toEqual(['GEO-META-002 suppression:GEO-DNS-001']);
  });
});
