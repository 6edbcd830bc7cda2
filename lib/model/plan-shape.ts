/**
 * Run-time checks of what a renderer is handed. TypeScript types do not reach JavaScript callers, nor a
 * plan read back from JSON; without these a missing field surfaces deep in a construct as
 * "Cannot read properties of undefined". Shape only: the values were decided (and validated) by plan().
 */
import { ENGINES, MODES } from './spec';
import { regionInfo } from './regions';
import type { ValidationProblem } from './errors';

type Check = readonly [path: string, ok: (plan: Record<string, unknown>) => boolean, allowed: string];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const at = (root: unknown, path: string): unknown => path.split('.').reduce<unknown>((cur, k) => (isObject(cur) ? cur[k] : undefined), root);
const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isArrayOf = (v: unknown, item: (x: unknown) => boolean): boolean => Array.isArray(v) && v.every(item);

const PLAN_CHECKS: readonly Check[] = [
  ['plan.name', (p) => isString(p.name), 'a non-empty string (a plan made by plan())'],
  ['plan.mode', (p) => (MODES as readonly unknown[]).includes(p.mode), MODES.join(' | ')],
  ['plan.regions', (p) => Array.isArray(p.regions) && p.regions.length > 0, 'a non-empty array of planned regions'],
  ['plan.regions[].name', (p) => isArrayOf(p.regions, (r) => isObject(r) && typeof r.name === 'string' && regionInfo(r.name) !== undefined), 'a region code from the catalog on every region'],
  ['plan.regions[].stackName', (p) => isArrayOf(p.regions, (r) => isObject(r) && isString(r.stackName)), 'a stack name on every region'],
  ['plan.regions[].cidr', (p) => isArrayOf(p.regions, (r) => isObject(r) && isString(r.cidr)), 'a CIDR on every region'],
  ['plan.regions[].tags', (p) => isArrayOf(p.regions, (r) => isObject(r) && isObject(r.tags)), 'a tag map on every region'],
  ['plan.regions[].applicationSubnets', (p) => isArrayOf(p.regions, (r) => isObject(r) && isObject(r.applicationSubnets) && Array.isArray(r.applicationSubnets.public) && Array.isArray(r.applicationSubnets.private)), 'application subnets (layout, public, private) on every region'],
  ['plan.regions[].applicationSubnets.endpointAccess', (p) => isArrayOf(p.regions, (r) => {
    const app = isObject(r) ? r.applicationSubnets : undefined;
    const planned = isObject(app) && Array.isArray(app.interfaceEndpoints) && app.interfaceEndpoints.length > 0;
    return !planned || (isObject(app.endpointAccess) && isObject(app.endpointAccess.serviceNames) && typeof app.endpointAccess.port === 'number');
  }), 'endpoint access (service names, port, client CIDRs, private DNS) wherever interface endpoints are planned'],
  ['plan.network.peerings', (p) => Array.isArray(at(p, 'network.peerings')), 'an array of planned peerings'],
  ['plan.data.engine', (p) => (ENGINES as readonly unknown[]).includes(at(p, 'data.engine')), ENGINES.join(' | ')],
  ['plan.data.partitions', (p) => Array.isArray(at(p, 'data.partitions')) && (at(p, 'data.partitions') as unknown[]).length > 0, 'a non-empty array of data partitions'],
  ['plan.dns.zoneName', (p) => isString(at(p, 'dns.zoneName')), 'a DNS name'],
  ['plan.dns.records', (p) => Array.isArray(at(p, 'dns.records')), 'an array of planned records'],
  ['plan.dns.healthChecks', (p) => Array.isArray(at(p, 'dns.healthChecks')), 'an array of planned health checks'],
  ['plan.dns.homeRegion', (p) => typeof at(p, 'dns.homeRegion') === 'string' && regionInfo(at(p, 'dns.homeRegion') as string) !== undefined, 'a region code from the catalog'],
  ['plan.alarms.list', (p) => Array.isArray(at(p, 'alarms.list')), 'an array of planned alarms'],
  ['plan.experiments', (p) => Array.isArray(p.experiments), 'an array of planned experiments'],
  ['plan.suppressions', (p) => Array.isArray(p.suppressions), 'an array of suppressions'],
  ['plan.tags', (p) => isObject(p.tags), 'a tag map'],
];

/** What is wrong with the shape of `plan`, as validation problems of `construct`; empty when it is usable. */
export function planShapeProblems(plan: unknown, construct: string): ValidationProblem[] {
  if (!isObject(plan)) return [{ construct, prop: 'plan', value: plan, allowed: 'a GeoPlan object, as returned by plan()' }];
  return PLAN_CHECKS.flatMap(([prop, ok, allowed]) => {
    let fine: boolean;
    try {
      fine = ok(plan);
    } catch {
      fine = false;
    }
    return fine ? [] : [{ construct, prop, value: prop.includes('[]') ? undefined : at({ plan }, prop), allowed }];
  });
}

/**
 * The props every renderer entry point takes: an object with exactly one of `spec` and `plan`
 * (`requirePlan`: `plan` only). Problems are returned, not thrown, so a construct reports them all at once.
 */
export function entryPropsProblems(props: unknown, construct: string, requirePlan = false): ValidationProblem[] {
  if (!isObject(props)) return [{ construct, prop: 'props', value: props, allowed: requirePlan ? 'an object with a plan' : 'an object with a spec or a plan' }];
  const hasSpec = props.spec !== undefined;
  const hasPlan = props.plan !== undefined;
  if (requirePlan && !hasPlan) return [{ construct, prop: 'plan', allowed: 'a GeoPlan object, as returned by plan()' }];
  if (!requirePlan && hasSpec === hasPlan) {
    return [{ construct, prop: 'spec | plan', allowed: `exactly one of spec (a GeoSpec) or plan (a GeoPlan); got ${hasSpec ? 'both' : 'neither'}` }];
  }
  if (hasSpec && !isObject(props.spec)) return [{ construct, prop: 'spec', value: props.spec, allowed: 'a GeoSpec object' }];
  return hasPlan ? planShapeProblems(props.plan, construct) : [];
}
