/**
 * Active-passive: one writer region, two standby regions, Aurora MySQL global database with write
 * forwarding, failover routing. `npx cdk synth` in this folder synthesizes it offline.
 *
 *   us-east-1  primary    writer + reader, takes all traffic while healthy
 *   us-west-2  secondary  1 instance, forwards writes, answers when us-east-1 fails
 *   eu-west-1  secondary  headless (storage only): a cheap third copy to promote from
 */
import { App } from 'aws-cdk-lib';
import { GeoDeployment, type GeoSpec } from 'meridian-geo';

export const spec: GeoSpec = {
  name: 'ledger',
  mode: 'active-passive',
  account: '111111111111',
  regions: [
    { name: 'us-east-1', role: 'primary', endpoint: 'api-use1.ledger.example.com', peakRps: 1200, capacityRps: 3000 },
    { name: 'us-west-2', role: 'secondary', endpoint: 'api-usw2.ledger.example.com', peakRps: 600, capacityRps: 3000 },
    { name: 'eu-west-1', role: 'secondary', endpoint: 'api-euw1.ledger.example.com', instances: 0, peakRps: 300, capacityRps: 3000 },
  ],
  network: { baseCidr: '10.20.0.0/14', regionPrefixLength: 16, peering: 'full-mesh' },
  data: {
    engine: 'aurora-mysql',
    classification: 'financial',
    residency: ['US', 'EU'],
    consistency: 'read-your-writes',
    writeForwarding: true,
    backupRetentionDays: 14,
  },
  dns: {
    zoneName: 'ledger.example.com',
    recordName: 'api.ledger.example.com',
    routing: 'failover',
    ttlSeconds: 60,
    healthCheck: { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 },
  },
  // Worst case with a human deciding the failover (`meridian estimate`): RTO 780 s, RPO 30 s (the warning lag alarm).
  objectives: { rtoSeconds: 900, rpoSeconds: 30 },
  alarms: { replicationLagWarningSeconds: 30, replicationLagCriticalSeconds: 300 },
  experiments: ['region-isolation', 'database-failover'],
};

/** Builds the example into `app` (a new App when omitted) and returns both. */
export function build(app: App = new App(), overrides: Partial<GeoSpec> = {}): { app: App; deployment: GeoDeployment } {
  const deployment = new GeoDeployment(app, 'ActivePassive', { spec: { ...spec, ...overrides } });
  return { app, deployment };
}

if (require.main === module) {
  build().app.synth();
}
