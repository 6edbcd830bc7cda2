/**
 * Partitioned residency: EU users' data lives only in the EU (eu-central-1 Frankfurt, eu-west-3
 * Paris), US users' data only in the US (us-east-1, us-west-2). Each jurisdiction is its own data
 * partition — its own Aurora PostgreSQL global database whose members never leave it — and
 * geolocation routing sends EU countries to the EU partition, everyone else to the US.
 *
 * Residency is expressed per partition through each region's `jurisdiction`: data.residency is one
 * list for the whole deployment (here the union EU + US), so it cannot say "EU data in the EU, US data
 * in the US"; the partition jurisdictions do, and policy rule GEO-RESIDENCY-002 enforces them.
 */
import { App } from 'aws-cdk-lib';
import { GeoDeployment, type GeoSpec } from 'meridian-geo';

export const spec: GeoSpec = {
  name: 'patients',
  mode: 'partitioned',
  regions: [
    { name: 'eu-central-1', role: 'active', jurisdiction: 'EU', endpoint: 'api-euc1.patients.example.com', peakRps: 800, capacityRps: 2000 },
    { name: 'eu-west-3', role: 'active', jurisdiction: 'EU', endpoint: 'api-euw3.patients.example.com', peakRps: 400, capacityRps: 2000 },
    { name: 'us-east-1', role: 'active', jurisdiction: 'US', endpoint: 'api-use1.patients.example.com', peakRps: 900, capacityRps: 2000 },
    { name: 'us-west-2', role: 'active', jurisdiction: 'US', endpoint: 'api-usw2.patients.example.com', peakRps: 500, capacityRps: 2000 },
  ],
  network: { baseCidr: '10.60.0.0/14', regionPrefixLength: 16, peering: 'full-mesh' },
  data: {
    engine: 'aurora-postgresql',
    classification: 'pii',
    consistency: 'read-your-writes',
    // The union; GEO-RESIDENCY-002 keeps each partition inside its own jurisdiction.
    residency: ['EU', 'US'],
  },
  dns: {
    zoneName: 'patients.example.com',
    recordName: 'api.patients.example.com',
    routing: 'geolocation',
    ttlSeconds: 60,
    defaultRegion: 'us-east-1',
    healthCheck: { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 },
  },
  // Worst case with a human deciding the failover (`meridian estimate`): RTO 780 s, RPO 30 s (the warning lag alarm).
  objectives: { rtoSeconds: 900, rpoSeconds: 30 },
};

/** Builds the example into `app` (a new App when omitted) and returns both. */
export function build(app: App = new App(), overrides: Partial<GeoSpec> = {}): { app: App; deployment: GeoDeployment } {
  const deployment = new GeoDeployment(app, 'PartitionedResidency', { spec: { ...spec, ...overrides } });
  return { app, deployment };
}

if (require.main === module) {
  build().app.synth();
}
