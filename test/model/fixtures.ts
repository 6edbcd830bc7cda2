/** Spec fixtures and helpers the model tests share. */
import { SpecError, type GeoSpec } from '../../lib/model';

/** Two regions, Aurora PostgreSQL, failover routing: the smallest spec with every default left open. */
export const TWO_REGION_SPEC: GeoSpec = {
  name: 'orders',
  mode: 'active-passive',
  regions: [
    { name: 'us-east-1', role: 'primary' },
    { name: 'eu-west-1', role: 'secondary' },
  ],
  data: { engine: 'aurora-postgresql', classification: 'internal' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
};

/** Three regions (eu-west-1 headless: storage only), confidential Aurora PostgreSQL, failover routing. */
export const THREE_REGION_SPEC: GeoSpec = {
  name: 'orders',
  mode: 'active-passive',
  regions: [
    { name: 'us-east-1', role: 'primary' },
    { name: 'us-west-2', role: 'secondary' },
    { name: 'eu-west-1', role: 'secondary', instances: 0 },
  ],
  data: { engine: 'aurora-postgresql', classification: 'confidential' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
};

/** The issues of the SpecError `fn` throws; undefined when it throws none. Any other error propagates. */
export function specIssues(fn: () => unknown): SpecError['issues'] | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof SpecError) return e.issues;
    throw e;
  }
  return undefined;
}
