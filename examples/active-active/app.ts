/**
 * Active-active: every region takes reads and writes; a DynamoDB global table replicates between them
 * (multi-Region eventual consistency, last writer wins on conflicting writes to the same item);
 * latency routing sends each user to the closest healthy region.
 */
import { App } from 'aws-cdk-lib';
import { GeoDeployment, type GeoSpec } from 'meridian-geo';

export const spec: GeoSpec = {
  name: 'sessions',
  mode: 'active-active',
  regions: [
    { name: 'us-east-1', role: 'active', endpoint: 'api-use1.sessions.example.com', peakRps: 3000, capacityRps: 9000 },
    { name: 'eu-west-1', role: 'active', endpoint: 'api-euw1.sessions.example.com', peakRps: 2000, capacityRps: 9000 },
    { name: 'ap-southeast-2', role: 'active', endpoint: 'api-apse2.sessions.example.com', peakRps: 1000, capacityRps: 9000 },
  ],
  network: { baseCidr: '10.40.0.0/14', regionPrefixLength: 16, peering: 'none' },
  data: { engine: 'dynamodb', classification: 'internal', consistency: 'eventual' },
  dns: {
    zoneName: 'sessions.example.com',
    recordName: 'api.sessions.example.com',
    routing: 'latency',
    ttlSeconds: 60,
    healthCheck: { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 },
  },
  // Worst case (`meridian estimate`): RTO 105 s (detection + TTL + client caches), RPO 30 s (the warning lag alarm).
  objectives: { rtoSeconds: 120, rpoSeconds: 30 },
  // No peering: isolating a region can only cut the data path, which is what pausing replication does.
  experiments: ['dynamodb-replication-pause'],
};

/** Builds the example into `app` (a new App when omitted) and returns both. */
export function build(app: App = new App(), overrides: Partial<GeoSpec> = {}): { app: App; deployment: GeoDeployment } {
  const deployment = new GeoDeployment(app, 'ActiveActive', { spec: { ...spec, ...overrides } });
  return { app, deployment };
}

if (require.main === module) {
  build().app.synth();
}
