/** Small specs shared by the unit tests of single constructs (alarms, dashboard, experiments). */
import type { GeoSpec } from '../../lib/model';

/** Two-region active-passive Aurora PostgreSQL deployment. */
export const SHOP_AURORA: GeoSpec = {
  name: 'shop',
  mode: 'active-passive',
  regions: [
    { name: 'us-east-1', role: 'primary', endpoint: 'use1.shop.example.com' },
    { name: 'us-west-2', role: 'secondary', endpoint: 'usw2.shop.example.com' },
  ],
  data: { engine: 'aurora-postgresql', classification: 'internal' },
  dns: { zoneName: 'example.com', recordName: 'shop.example.com', routing: 'failover' },
};

/** Two-region active-active DynamoDB deployment with latency routing. */
export const SHOP_DYNAMO: GeoSpec = {
  ...SHOP_AURORA,
  mode: 'active-active',
  regions: [
    { name: 'us-east-1', role: 'active', endpoint: 'use1.shop.example.com' },
    { name: 'eu-west-1', role: 'active', endpoint: 'euw1.shop.example.com' },
  ],
  data: { engine: 'dynamodb', classification: 'internal' },
  dns: { zoneName: 'example.com', recordName: 'shop.example.com', routing: 'latency' },
};
