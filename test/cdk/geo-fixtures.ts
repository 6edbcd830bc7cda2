/** Shared fixtures of the AWS CDK renderer tests. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { GeoDeployment, RegionStack, RegionalKeys, RegionalNetwork, type GeoDeploymentOptions } from '../../lib/cdk';
import { plan, type GeoPlan, type GeoSpec } from '../../lib/model';

/** The three-region active-passive deployment of examples/specs/orders.yaml, sized to pass the policy. */
export const ORDERS: GeoSpec = {
  name: 'orders',
  mode: 'active-passive',
  regions: [
    { name: 'us-east-1', role: 'primary', endpoint: 'api-use1.example.com', peakRps: 1000, capacityRps: 4000 },
    { name: 'us-west-2', role: 'secondary', endpoint: 'api-usw2.example.com', peakRps: 500, capacityRps: 4000 },
    { name: 'eu-west-1', role: 'secondary', endpoint: 'api-euw1.example.com', peakRps: 200, capacityRps: 4000, instances: 0 },
  ],
  network: { baseCidr: '10.0.0.0/8', peering: 'full-mesh' },
  data: { engine: 'aurora-postgresql', classification: 'confidential', consistency: 'read-your-writes', residency: ['US', 'EU'] },
  dns: {
    zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 60,
    healthCheck: { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 },
  },
  objectives: { rtoSeconds: 900, rpoSeconds: 30 },
  experiments: ['region-isolation', 'database-failover'],
};

/** An active-active DynamoDB deployment. */
export const SESSIONS: GeoSpec = {
  name: 'sessions',
  mode: 'active-active',
  regions: [
    { name: 'us-east-1', role: 'active', peakRps: 1000, capacityRps: 4000 },
    { name: 'eu-west-1', role: 'active', peakRps: 1000, capacityRps: 4000 },
    { name: 'ap-southeast-2', role: 'active', peakRps: 500, capacityRps: 4000 },
  ],
  network: { baseCidr: '10.0.0.0/8', peering: 'none' },
  data: { engine: 'dynamodb', classification: 'internal', consistency: 'eventual' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency', ttlSeconds: 60 },
  objectives: { rtoSeconds: 300, rpoSeconds: 30 },
};

/** A copy of `spec` with fields replaced (shallow per top-level key). */
export function withSpec(spec: GeoSpec, patch: Partial<GeoSpec>): GeoSpec {
  return { ...spec, ...patch };
}

/** An app without the built-in CloudFormation validator (tests that synthesize many times). */
export function fastApp(): App {
  return new App({ builtinCloudFormationValidation: false });
}

/** A GeoDeployment of `spec` in a fast app. */
export function deploy(spec: GeoSpec, options: GeoDeploymentOptions = {}): { app: App; geo: GeoDeployment; plan: GeoPlan } {
  const app = fastApp();
  const geo = new GeoDeployment(app, 'Geo', { spec, ...options });
  return { app, geo, plan: geo.plan };
}

/** Plans a spec. */
export function planOf(spec: GeoSpec): GeoPlan {
  return plan(spec);
}

/** The template of a stack. */
export function tpl(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** Logical id of the single resource of `type` in `template` (fails when there is not exactly one). */
export function onlyId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  const [id] = ids;
  if (ids.length !== 1 || id === undefined) throw new Error(`expected exactly one ${type}, found ${ids.length}`);
  return id;
}

/**
 * One region's key and network on a bare region stack, laid out as GeoDeployment lays them out (a unit
 * test of the constructs: no other region, no DNS, data or peering stacks to synthesize).
 */
export function bareNetwork(plan: GeoPlan, region: string): { network: RegionalNetwork; template: Template } {
  const planned = plan.regions.find((r) => r.name === region);
  const stack = new RegionStack(fastApp(), 'Region', { env: { account: plan.account, region }, availabilityZoneCount: planned?.availabilityZoneCount });
  const keys = new RegionalKeys(stack, 'Key', { plan, region });
  const network = new RegionalNetwork(stack, 'Network', { plan, region, key: keys.key, maxAzs: stack.availabilityZones.length });
  return { network, template: tpl(stack) };
}
