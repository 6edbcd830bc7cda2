/** Random specs through plan() and evaluate(): SpecError is an allowed outcome, nothing else may throw. */
import fc from 'fast-check';
import {
  CLASSIFICATIONS, CONSISTENCIES, ENGINES, EXPERIMENTS, HEALTH_PROTOCOLS, MODES, PEERINGS, REGION_CODES, ROLES, ROUTINGS,
  plan, SpecError, type GeoSpec,
} from '../../lib/model';
import { checkPlan, formatJson, formatText, RULES } from '../../lib/policy';

const JURISDICTIONS = ['EU', 'EEA', 'US', 'DE', 'GB', 'CH', 'JP', 'AU'];
const COMMERCIAL = REGION_CODES.filter((c) => !/^(cn-|us-gov-|eusc-)/.test(c));
const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const region = fc.record({
  name: fc.constantFrom(...COMMERCIAL),
  role: fc.constantFrom(...ROLES),
  jurisdiction: opt(fc.constantFrom(...JURISDICTIONS)),
  peakRps: opt(fc.integer({ min: 1, max: 10000 })),
  capacityRps: opt(fc.integer({ min: 1, max: 20000 })),
  instances: opt(fc.integer({ min: 0, max: 3 })),
}, { requiredKeys: ['name', 'role'] });

const spec: fc.Arbitrary<GeoSpec> = fc.record({
  name: fc.constantFrom('shop', 'orders', 'x1'),
  mode: fc.constantFrom(...MODES),
  regions: fc.uniqueArray(region, { minLength: 1, maxLength: 4, selector: (r) => r.name }),
  network: fc.record({ peering: fc.constantFrom(...PEERINGS) }),
  data: fc.record({
    engine: fc.constantFrom(...ENGINES),
    classification: fc.constantFrom(...CLASSIFICATIONS),
    consistency: fc.constantFrom(...CONSISTENCIES),
    residency: opt(fc.uniqueArray(fc.constantFrom(...JURISDICTIONS), { minLength: 1, maxLength: 2 })),
    quorum: opt(fc.record({ replicas: fc.integer({ min: 1, max: 7 }), writeQuorum: fc.integer({ min: -1, max: 8 }), readQuorum: fc.integer({ min: -1, max: 8 }) })),
  }, { requiredKeys: ['engine', 'classification'] }),
  dns: fc.record({
    zoneName: fc.constant('example.com'),
    recordName: fc.constant('api.example.com'),
    routing: fc.constantFrom(...ROUTINGS),
    ttlSeconds: opt(fc.integer({ min: 0, max: 3600 })),
    healthCheck: opt(fc.record({
      protocol: fc.constantFrom(...HEALTH_PROTOCOLS),
      searchString: fc.constant('ok'),
      intervalSeconds: fc.constantFrom(5, 10, 15, 30),
      failureThreshold: fc.integer({ min: 0, max: 12 }),
    })),
  }, { requiredKeys: ['zoneName', 'recordName', 'routing'] }),
  objectives: opt(fc.record({ rtoSeconds: fc.integer({ min: 1, max: 2000 }), rpoSeconds: fc.integer({ min: 0, max: 60 }) })),
  alarms: opt(fc.record({ replicationLagWarningSeconds: fc.integer({ min: 1, max: 600 }), replicationLagCriticalSeconds: fc.integer({ min: 1, max: 600 }) })),
  experiments: opt(fc.uniqueArray(fc.constantFrom(...EXPERIMENTS), { maxLength: 3 })),
  suppressions: opt(fc.array(fc.record({
    rule: fc.constantFrom(...RULES.map((r) => r.id)),
    reason: fc.constant('accepted for the fuzz test'),
    expires: opt(fc.constantFrom('2020-01-01', '2099-12-31')),
  }, { requiredKeys: ['rule', 'reason'] }), { maxLength: 2 })),
  // Most runs get roles and jurisdictions that fit the mode, so they reach the engine; the rest stay random.
  coherent: fc.boolean(),
}, { requiredKeys: ['name', 'mode', 'regions', 'data', 'dns', 'coherent'] }).map(({ coherent, ...s }) => {
  if (!coherent) return s as GeoSpec;
  const regions = s.regions.map((r, i) => ({
    ...r,
    role: s.mode === 'active-passive' ? (i === 0 ? 'primary' as const : 'secondary' as const) : 'active' as const,
    jurisdiction: s.mode === 'partitioned' ? r.jurisdiction ?? 'US' : r.jurisdiction,
    instances: i === 0 ? undefined : r.instances,
  }));
  const routing = s.dns.routing === 'failover' && s.mode !== 'active-passive' ? 'latency' as const : s.dns.routing;
  return { ...s, regions, dns: { ...s.dns, routing } } as GeoSpec;
});

test('random specs: plan() throws only SpecError, evaluate() never throws, reports are well formed', () => {
  let planned = 0;
  fc.assert(fc.property(spec, (s) => {
    let p;
    try {
      p = plan(s);
    } catch (e) {
      if (e instanceof SpecError) return true;
      throw e;
    }
    planned++;
    const report = checkPlan(p, { now: new Date('2026-06-01T00:00:00Z') });
    for (const f of report.findings) {
      expect(f.ruleId).toMatch(/^GEO-[A-Z]+-\d{3}$/);
      expect(f.message.length).toBeGreaterThan(0);
      expect(f.message).not.toMatch(/undefined|NaN|\[object/);
      // A rule crash would surface as an unknown finding on the "policy" resource.
      expect(f.resource).not.toBe('policy');
    }
    expect(JSON.parse(formatJson(report)).findings).toHaveLength(report.findings.length);
    expect(formatText(report)).toContain('rules checked');
    return true;
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 400) });
  // The generator must reach the engine often enough for the test to mean something.
  expect(planned).toBeGreaterThan(40);
});
