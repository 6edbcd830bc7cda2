/** Small helpers the rules share. */
import type { DnsRecordFact, Facts } from '../../facts/types';
import { regionInfo } from '../../model/regions';
import type { RuleFinding } from '../types';

/** True when a fact value could not be resolved. */
export function isUnknown(v: unknown): v is undefined {
  return v === undefined;
}

/** An explicit "could not decide" finding: the rule never passes silently on unknown facts. */
export function unknownFinding(resource: string, what: string, region?: string): RuleFinding {
  return { resource, region, unknown: true, message: `${what} is unknown (unresolved); cannot check` };
}

/** The hosting country of a region: from the facts, else from the catalog; undefined when unknown. */
export function countryOf(facts: Facts, region: string): string | undefined {
  const fact = facts.regions.find((r) => r.name === region);
  return fact?.country ?? regionInfo(region)?.country;
}

/** Several regions take writes: active-active mode, or more than one region accepts writes. */
export function writerCount(facts: Facts): { writers: number; unknown: boolean } {
  const writers = facts.regions.filter((r) => r.acceptsWrites === true).length;
  return { writers, unknown: facts.regions.some((r) => r.acceptsWrites === undefined) };
}

/** Joins a list for messages: `a, b and c`. */
export function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/**
 * Alias targets whose health an alias record takes on with EvaluateTargetHealth: an ELB load balancer
 * (healthy while its target groups have healthy targets) and an Elastic Beanstalk environment. A
 * CloudFront distribution cannot evaluate target health at all.
 * https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
 */
const HEALTH_INHERITING_TARGETS: ReadonlySet<string> = new Set(['load-balancer', 'elastic-beanstalk']);

/**
 * Whether a record without a health check of its own still stops answering when its region fails: an
 * alias to a load balancer (or Beanstalk environment) of the artifact that evaluates target health.
 * `undefined` when the record aliases such a resource but whether it evaluates target health is unknown.
 */
export function inheritsTargetHealth(r: DnsRecordFact): boolean | undefined {
  const alias = r.aliasTarget;
  if (!alias?.resource || !HEALTH_INHERITING_TARGETS.has(alias.resource.kind)) return false;
  return isUnknown(alias.evaluateTargetHealth) ? undefined : alias.evaluateTargetHealth;
}
