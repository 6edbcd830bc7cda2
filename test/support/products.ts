/** Fixtures for apps that hold several deployments (one per product) answering in one shared zone. */
import type { GeoSpec, RegionCode } from '../../lib/model';

/** One product's deployment: two active DynamoDB regions, latency routing in the team's shared zone. */
export function productSpec(name: string, regions: readonly [RegionCode, RegionCode], patch: Partial<GeoSpec> = {}): GeoSpec {
  return {
    name,
    mode: 'active-active',
    regions: regions.map((r) => ({ name: r, role: 'active' as const, endpoint: `${r}.${name}.example.com`, peakRps: 100, capacityRps: 400 })),
    network: { baseCidr: '10.0.0.0/8', peering: 'hub-and-spoke' },
    data: { engine: 'dynamodb', classification: 'internal', consistency: 'eventual' },
    // Both products answer in one zone the team already has.
    dns: { zoneName: 'example.com', zoneId: 'Z0SHAREDZONE', recordName: `${name}.example.com`, routing: 'latency', ttlSeconds: 60 },
    objectives: { rtoSeconds: 900, rpoSeconds: 30 },
    ...patch,
  };
}
