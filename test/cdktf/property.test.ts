import * as fc from 'fast-check';
import { Testing } from 'cdktf';
import { GeoTerraformStack, extractFamilies } from '../../lib/cdktf';
import { plan, SpecError, type GeoPlan, type GeoSpec, type RegionCode } from '../../lib/model';

const REGIONS: RegionCode[] = ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1'];

const specArb: fc.Arbitrary<GeoSpec> = fc.record({
  mode: fc.constantFrom('active-passive' as const, 'active-active' as const),
  engine: fc.constantFrom('aurora-postgresql' as const, 'aurora-mysql' as const, 'dynamodb' as const),
  regions: fc.shuffledSubarray(REGIONS, { minLength: 2, maxLength: 4 }),
  instances: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 4, maxLength: 4 }),
  peering: fc.constantFrom('full-mesh' as const, 'hub-and-spoke' as const, 'none' as const),
  routing: fc.constantFrom('failover' as const, 'latency' as const, 'weighted' as const, 'geoproximity' as const),
  ttl: fc.constantFrom(30, 60),
  interval: fc.constantFrom(10, 30),
  threshold: fc.integer({ min: 1, max: 10 }),
}).map((x): GeoSpec => ({
  name: 'prop',
  mode: x.mode,
  regions: x.regions.map((name, i) => ({
    name,
    role: x.mode === 'active-passive' ? (i === 0 ? 'primary' : 'secondary') : 'active',
    ...(x.engine !== 'dynamodb' && i > 0 ? { instances: x.instances[i] } : {}),
  })),
  network: { peering: x.peering },
  data: { engine: x.engine, classification: 'internal' },
  dns: {
    zoneName: 'example.com', recordName: 'app.example.com',
    routing: x.mode === 'active-passive' ? x.routing : (x.routing === 'failover' ? 'latency' : x.routing),
    ttlSeconds: x.ttl,
    healthCheck: { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: x.interval, failureThreshold: x.threshold },
  },
}));

function tryPlan(spec: GeoSpec): GeoPlan | undefined {
  try {
    return plan(spec);
  } catch (e) {
    if (e instanceof SpecError) return undefined;
    throw e;
  }
}

describe('any valid plan renders', () => {
  test('counts follow the plan; every resource is encrypted with its own region\'s key; names come from the plan', () => {
    fc.assert(fc.property(specArb, (spec) => {
      const p = tryPlan(spec);
      fc.pre(p !== undefined);
      const stack = new GeoTerraformStack(Testing.app(), p!.name, { plan: p!, policyChecker: false });
      const text = Testing.synth(stack);
      const f = extractFamilies(JSON.parse(text), p!.dns.homeRegion);
      const aurora = p!.data.engine !== 'dynamodb';
      expect(f.globalClusters.map((g) => g.identifier).sort()).toEqual(aurora ? p!.data.partitions.map((x) => x.globalClusterIdentifier).sort() : []);
      expect(f.clusters.map((c) => [c.identifier, c.instances]).sort()).toEqual(aurora ? p!.regions.map((r) => [r.clusterIdentifier, r.instances]).sort() : []);
      expect(f.peerings.map((x) => x.name).sort()).toEqual(p!.network.peerings.map((x) => x.name).sort());
      expect(f.routes).toHaveLength(2 * p!.network.peerings.length);
      expect(f.healthChecks.map((h) => [h.name, h.intervalSeconds, h.failureThreshold]).sort())
        .toEqual(p!.dns.healthChecks.map((h) => [h.name, h.intervalSeconds, h.failureThreshold]).sort());
      expect(f.records.map((r) => [r.setIdentifier, r.ttl]).sort()).toEqual(p!.dns.records.map((r) => [r.setIdentifier, p!.dns.ttlSeconds]).sort());
      expect(f.alarms.map((a) => a.name).sort()).toEqual(p!.alarms.list.map((a) => a.name).sort());
      expect(f.experimentTemplates.map((e) => e.name).sort()).toEqual(p!.experiments.map((e) => e.name).sort());
      for (const c of f.clusters) {
        expect(c.kmsKeyRegion).toBe(c.region);
        expect(c.hasMasterCredentials).toBe(p!.regions.find((r) => r.clusterIdentifier === c.identifier)!.isDataPrimary);
      }
      for (const t of f.topics) expect(t.kmsKeyRegion).toBe(t.region);
      for (const t of f.tables) for (const r of t.replicas) expect(r.kmsKeyRegion).toBe(r.region);
      expect(text).not.toMatch(/\{\{healthCheck:/);
    }), { numRuns: 25, seed: 20261126 });
  });
});
