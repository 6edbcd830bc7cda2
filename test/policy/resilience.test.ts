import { AURORA_HEADLESS_PROMOTION_SECONDS, DECISION_SECONDS, describeBreakdown, estimateRecovery, evaluate } from '../../lib/policy';
import { resilienceRto } from '../../lib/policy/rules';
import { baseFacts, patch, run } from './helpers';

describe('estimateRecovery (the documented model)', () => {
  test('Aurora: detection 10 s × 3 + decision 60 s + promotion 60 s + TTL 60 s', () => {
    const [e] = estimateRecovery(baseFacts());
    expect(e).toMatchObject({ database: 'shop-global', failedRegion: 'us-east-1', targetRegion: 'us-west-2', rtoSeconds: 210, rpoSeconds: 1, noReplica: false, unknown: [] });
    expect(describeBreakdown(e)).toBe('detection 30 s + decision 60 s + promotion 60 s + DNS TTL 60 s');
    expect(DECISION_SECONDS).toBe(60);
  });
  test('active-passive fails over to the SECONDARY record, even when another secondary has instances', () => {
    const facts = baseFacts({ regions: [
      { name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary', instances: 0 }, { name: 'us-east-2', role: 'secondary', instances: 2 },
    ] });
    expect(estimateRecovery(facts)[0]).toMatchObject({ targetRegion: 'us-west-2', rtoSeconds: 30 + 60 + AURORA_HEADLESS_PROMOTION_SECONDS + 60 });
  });
  test('active-active Aurora promotes the best other member', () => {
    const facts = baseFacts({
      mode: 'active-active', dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency', ttlSeconds: 30 },
      regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active', instances: 0 }, { name: 'us-east-2', role: 'active' }],
    });
    expect(estimateRecovery(facts)[0]).toMatchObject({ targetRegion: 'us-east-2', rtoSeconds: 30 + 60 + 60 + 30 });
  });
  test('DynamoDB: detection + TTL only', () => {
    const facts = baseFacts({
      mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal' }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    });
    expect(estimateRecovery(facts)[0]).toMatchObject({ rtoSeconds: 90, breakdown: { detection: 30, decision: 0, promotion: 0, dnsTtl: 60 } });
  });
  test('no health check on the primary: RTO unbounded', () => {
    const f = baseFacts({ objectives: { rtoSeconds: 300, rpoSeconds: 5 } });
    const facts = patch(f, { dns: {
      records: f.dns.records.map((r) => ({ ...r, healthCheckId: r.failover === 'PRIMARY' ? null : r.healthCheckId })),
      healthChecks: f.dns.healthChecks.filter((h) => h.region !== 'us-east-1'),
    } });
    expect(estimateRecovery(facts)[0].problem).toBe('no health check watches us-east-1; DNS never moves traffic away from it');
    expect(run(resilienceRto, facts)).toEqual(['GEO-RESILIENCE-001 shop-global']);
    expect(evaluate(facts, { rules: [resilienceRto] }).findings[0]).toMatchObject({ value: 'unbounded', limit: 300 });
  });
  test('unknown TTL makes the estimate unknown', () => {
    const f = baseFacts();
    const facts = patch(f, { dns: { ...f.dns, records: f.dns.records.map((r) => ({ ...r, ttlSeconds: undefined })) } });
    expect(estimateRecovery(facts)[0]).toMatchObject({ rtoSeconds: undefined, unknown: ['the TTL of shop-us-east-1-primary'] });
  });
});
