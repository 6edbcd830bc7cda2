import fc from 'fast-check';
import { drStrategy, estimateDisruptions, TIMING, worstDisruption, type DisruptionEstimate, type EstimateReport } from '../../lib/policy';
import type { GeoSpec } from '../../lib/model';
import { baseFacts, baseSpec, patch } from './helpers';
import { factsFromPlan } from '../../lib/facts';
import { plan } from '../../lib/model';
import { at } from '../../lib/model/lookup';

function find(report: EstimateReport, name: string): DisruptionEstimate {
  const d = report.disruptions.find((x) => x.name === name);
  if (!d) throw new Error(`no disruption "${name}" in ${report.disruptions.map((x) => x.name).join(', ')}`);
  return d;
}

/** The plan always replicates; facts of a third-party app may not: drop every copy but the writer's. */
function onlyPrimaryCopy() {
  const f = baseFacts();
  return patch(f, { databases: f.databases.map((d) => ({ ...d, members: d.members.filter((m) => m.role === 'primary') })) });
}

const dynamo: Partial<GeoSpec> = {
  mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
  data: { engine: 'dynamodb', classification: 'internal' }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
};

describe('region loss (hand-computed; health check 10 s × 3, TTL 60 s, lag warning 30 s)', () => {
  test('writer region, human decision: traffic and database tracks run side by side after detection', () => {
    // GIVEN us-east-1 primary (2 instances), us-west-2 secondary (1 instance)
    const d = find(estimateDisruptions(baseFacts()), 'loss of us-east-1');
    // THEN detection 30..40; DNS track 0..60 + 0..5; database track decision 180..600 + promotion 30..60
    expect(d.phases.map((p) => [p.kind, p.startBest, p.best, p.startWorst, p.worst])).toEqual([
      ['detection', 0, 30, 0, 40],
      ['dns-ttl', 30, 0, 40, 60],
      ['client-cache', 30, 0, 100, 5],
      ['decision', 30, 180, 40, 600],
      ['promotion', 210, 30, 640, 60],
    ]);
    expect(d.rto).toEqual({ best: 30 + 180 + 30, worst: 40 + 600 + 60 });
    expect(d.rpo).toEqual({ best: 1, worst: 30 });
    expect(d).toMatchObject({ targetRegion: 'us-west-2', database: 'shop-global', judged: true, unknown: [] });
  });
  test('writer region, automation on: alarm + runbook start replace the human', () => {
    const d = find(estimateDisruptions(baseFacts(), { automation: true }), 'loss of us-east-1');
    expect(d.phases.map((p) => p.kind)).toEqual(['detection', 'dns-ttl', 'client-cache', 'alarm', 'automation-start', 'promotion']);
    // best: max(30 + 0 + 0, 30 + 0 + 5 + 30) = 65; worst: max(40 + 60 + 5, 40 + 60 + 15 + 60) = 175
    expect(d.rto).toEqual({ best: 65, worst: 175 });
  });
  test('warm-up is added after both tracks', () => {
    const d = find(estimateDisruptions(baseFacts(), { automation: true, warmUpSeconds: 45 }), 'loss of us-east-1');
    expect(d.rto).toEqual({ best: 110, worst: 220 });
    expect(d.phases.at(-1)).toMatchObject({ kind: 'warm-up', startWorst: 175, worst: 45 });
  });
  test('headless failover target adds instance creation before promotion', () => {
    const facts = baseFacts({ regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary', instances: 0 }] });
    const d = find(estimateDisruptions(facts), 'loss of us-east-1');
    expect(d.rto).toEqual({ best: 30 + 180 + 300 + 30, worst: 40 + 600 + 600 + 60 });
    expect(d.phases.find((p) => p.kind === 'instance')?.assumption).toBe(true);
  });
  test('a secondary that serves no traffic: no user impact', () => {
    const d = find(estimateDisruptions(baseFacts()), 'loss of us-west-2');
    expect(d).toMatchObject({ rto: { best: 0, worst: 0 }, rpo: { best: 0, worst: 0 }, phases: [] });
  });
  test('DynamoDB active-active: detection + DNS only, no decision, RPO up to the lag warning', () => {
    const d = find(estimateDisruptions(baseFacts(dynamo)), 'loss of us-east-1');
    expect(d.phases.map((p) => p.kind)).toEqual(['detection', 'dns-ttl', 'client-cache']);
    expect(d.rto).toEqual({ best: 30, worst: 40 + 60 + 5 });
    expect(d.rpo).toEqual({ best: TIMING.dynamodbLag.best, worst: 30 });
    expect(d.impact).toMatch(/last writer wins/);
  });
  test('Aurora write forwarding: forwarded writes in flight fail with the writer', () => {
    const facts = baseFacts({
      mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    });
    const d = find(estimateDisruptions(facts), 'loss of us-east-1');
    expect(d.impact).toMatch(/writes forwarded from the secondaries and not yet committed fail/);
    expect(find(estimateDisruptions(baseFacts()), 'loss of us-east-1').impact).not.toMatch(/forwarded/);
  });
  test('DynamoDB MRSC loses nothing', () => {
    const facts = baseFacts({
      ...dynamo, regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-east-2', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal', consistency: 'strong' },
    });
    expect(find(estimateDisruptions(facts), 'loss of us-east-1').rpo).toEqual({ best: 0, worst: 0 });
  });
  test('no lag alarm: worst RPO unbounded', () => {
    const f = baseFacts();
    const facts = patch(f, { alarms: f.alarms.filter((a) => a.kind !== 'replication-lag' && a.kind !== 'rpo-lag') });
    const d = find(estimateDisruptions(facts), 'loss of us-east-1');
    expect(d.rpo).toBeUndefined();
    expect(d.impact).toMatch(/no replication-lag alarm/);
  });
  test('no health check on the writer region: unbounded', () => {
    const f = baseFacts();
    const facts = patch(f, { dns: {
      records: f.dns.records.map((r) => ({ ...r, healthCheckId: r.failover === 'PRIMARY' ? null : r.healthCheckId })),
      healthChecks: f.dns.healthChecks.filter((h) => h.region !== 'us-east-1'),
    } });
    const d = find(estimateDisruptions(facts), 'loss of us-east-1');
    expect(d.rto).toBeUndefined();
    expect(d.problem).toBe('no health check watches us-east-1; DNS never moves traffic away from it');
  });
  test('single region: no failover target', () => {
    const facts = onlyPrimaryCopy();
    expect(find(estimateDisruptions(facts), 'loss of us-east-1').problem).toMatch(/no other region to fail over to/);
  });
  test('unknown TTL or instance count makes RTO unknown, never guessed', () => {
    const f = baseFacts();
    const ttl = patch(f, { dns: { ...f.dns, records: f.dns.records.map((r) => ({ ...r, ttlSeconds: undefined })) } });
    expect(find(estimateDisruptions(ttl), 'loss of us-east-1')).toMatchObject({ rto: undefined, unknown: ['the TTL of shop-us-east-1-primary'] });
    const inst = patch(f, { databases: f.databases.map((d) => ({ ...d, members: d.members.map((m) => ({ ...m, instances: undefined })) })) });
    expect(find(estimateDisruptions(inst), 'loss of us-east-1').rto).toBeUndefined();
  });
});

describe('writer loss, AZ loss, partition', () => {
  test('writer cluster lost, region up: alarm detects, DNS does not move', () => {
    const d = find(estimateDisruptions(baseFacts()), 'loss of the shop-global writer cluster in us-east-1');
    // best 60 + 180 + 30, worst 120 + 600 + 60
    expect(d.rto).toEqual({ best: 270, worst: 780 });
    expect(d.phases.some((p) => p.track === 'traffic')).toBe(false);
    const auto = find(estimateDisruptions(baseFacts(), { automation: true }), d.name);
    expect(auto.rto).toEqual({ best: 60 + 5 + 30, worst: 120 + 15 + 60 });
  });
  test('writer loss without a writer alarm is unbounded', () => {
    const f = baseFacts();
    const d = find(estimateDisruptions(patch(f, { alarms: f.alarms.filter((a) => a.kind !== 'writer-unavailable') })), 'loss of the shop-global writer cluster in us-east-1');
    expect(d.problem).toMatch(/no alarm watches the writer/);
  });
  test('AZ loss: in-cluster failover with two instances, replacement with one', () => {
    expect(find(estimateDisruptions(baseFacts()), 'loss of one Availability Zone in us-east-1')).toMatchObject({ rto: { best: 0, worst: 60 }, rpo: { best: 0, worst: 0 } });
    const one = baseFacts({ regions: [{ name: 'us-east-1', role: 'primary', instances: 1 }, { name: 'us-west-2', role: 'secondary' }] });
    expect(find(estimateDisruptions(one), 'loss of one Availability Zone in us-east-1').rto).toEqual({ best: 300, worst: 600 });
  });
  test('partition: not judged; DynamoDB MREC loses conflicting updates', () => {
    const aurora = find(estimateDisruptions(baseFacts()), 'network partition between us-east-1 and us-west-2');
    expect(aurora).toMatchObject({ judged: false, rpo: { best: 0, worst: 0 } });
    expect(aurora.impact).toMatch(/stale reads/);
    const ddb = find(estimateDisruptions(baseFacts(dynamo)), 'network partition between us-east-1 and us-west-2');
    expect(ddb).toMatchObject({ judged: false, rpo: undefined });
    expect(ddb.problem).toMatch(/last writer wins/);
  });
  test('worstDisruption picks the largest judged worst case', () => {
    expect(worstDisruption(estimateDisruptions(baseFacts()))?.name).toBe('loss of the shop-global writer cluster in us-east-1');
  });
});

describe('DR strategy', () => {
  test.each([
    ['warm-standby', {}],
    ['pilot-light', { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary', instances: 0 }] }],
    ['active-active', dynamo],
  ] as [string, Partial<GeoSpec>][])('%s', (strategy, spec) => {
    expect(drStrategy(baseFacts(spec)).strategy).toBe(strategy);
  });
  test('partitioned: judged per partition (one writer each: warm standby)', () => {
    const facts = baseFacts({
      mode: 'partitioned',
      regions: [
        { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' }, { name: 'eu-west-3', role: 'active', jurisdiction: 'EU' },
        { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
      ],
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
    });
    expect(drStrategy(facts).strategy).toBe('warm-standby');
  });
  test('Aurora active-active forwards writes: active-active, but the writer still needs a promotion', () => {
    const facts = baseFacts({
      mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    });
    expect(drStrategy(facts)).toEqual({ strategy: 'active-active', reason: expect.stringMatching(/forwarded to one Aurora writer/) });
  });
  test('backup-restore when no database has a copy in another region', () => {
    expect(drStrategy(onlyPrimaryCopy()).strategy).toBe('backup-restore');
  });
  test('unknown mode: no strategy named', () => {
    expect(drStrategy(patch(baseFacts(), { mode: undefined })).strategy).toBeUndefined();
  });
});

describe('every phase carries a source', () => {
  test('sources are non-empty and assumptions are marked', () => {
    const phases = estimateDisruptions(baseFacts(), { automation: true }).disruptions.flatMap((d) => d.phases);
    expect(phases.length).toBeGreaterThan(5);
    for (const p of phases) expect(p.source).not.toBe('');
    expect(phases.filter((p) => p.assumption).map((p) => p.kind)).toEqual(expect.arrayContaining(['detection', 'client-cache', 'automation-start']));
  });
});

describe('properties', () => {
  const judgedWorst = (spec: GeoSpec, automation: boolean) => estimateDisruptions(factsFromPlan(plan(spec)), { automation }).disruptions
    .filter((d) => d.judged).map((d) => [d.name, d.rto?.worst ?? Infinity, d.rto?.best ?? Infinity] as const);
  const knobs = fc.record({
    ttl: fc.integer({ min: 0, max: 3600 }), interval: fc.constantFrom(10, 30), threshold: fc.integer({ min: 1, max: 10 }),
    automation: fc.boolean(), dynamo: fc.boolean(),
  });
  const specOf = (k: { ttl: number; interval: number; threshold: number; dynamo: boolean }): GeoSpec => baseSpec({
    ...(k.dynamo ? dynamo : {}),
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: k.dynamo ? 'latency' : 'failover', ttlSeconds: k.ttl,
      healthCheck: { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: k.interval, failureThreshold: k.threshold } },
  });

  test('raising the TTL, the interval or the failure threshold never lowers any RTO', () => {
    fc.assert(fc.property(knobs, fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 9 }), (k, dTtl, dThreshold) => {
      const before = judgedWorst(specOf(k), k.automation);
      const after = judgedWorst(specOf({ ...k, ttl: k.ttl + dTtl, interval: 30, threshold: Math.min(10, k.threshold + dThreshold) }), k.automation);
      expect(after.map((x) => x[0])).toEqual(before.map((x) => x[0]));
      after.forEach(([, worst, best], i) => {
        const [, worstBefore, bestBefore] = at(before, i, 'estimate before the change');
        expect(worst).toBeGreaterThanOrEqual(worstBefore);
        expect(best).toBeGreaterThanOrEqual(bestBefore);
      });
    }), { numRuns: 60 });
  });

  test('adding a healthy secondary never raises the worst RTO', () => {
    fc.assert(fc.property(knobs, fc.integer({ min: 1, max: 3 }), (k, instances) => {
      const spec = specOf({ ...k, dynamo: false });
      const worst = (s: GeoSpec) => Math.max(...judgedWorst(s, k.automation).map((x) => x[1]));
      const more: GeoSpec = { ...spec, regions: [...spec.regions, { name: 'eu-west-1', role: 'secondary', instances }] };
      expect(worst(more)).toBeLessThanOrEqual(worst(spec));
    }), { numRuns: 40 });
  });
});
