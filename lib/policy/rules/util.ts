/** Small helpers the rules share. */
import type { DnsRecordFact, Facts } from '../../facts/types';
import { aliasTakesTargetHealth } from '../alias-health';
import { estimateDisruptions, type DisruptionEstimate } from '../estimate';
import { regionInfo } from '../../model/regions';
import type { RuleContext, RuleFinding } from '../types';

/** True when a fact value could not be resolved. */
export function isUnknown(v: unknown): v is undefined {
  return v === undefined;
}

/** The estimate of every disruption (GEO-RESILIENCE-001 and -002 share one per evaluation). */
export function disruptionsOf(facts: Facts, ctx: RuleContext | undefined): readonly DisruptionEstimate[] {
  const estimate = () => estimateDisruptions(facts);
  return (ctx?.memo ? ctx.memo.get(facts, 'disruptions', estimate) : estimate()).disruptions;
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
 * Whether a record without a health check of its own still stops answering when its region fails: an
 * alias to a load balancer (or Beanstalk environment) that evaluates target health (see
 * `aliasTakesTargetHealth`, which the failure simulation uses too). `undefined` when the record aliases
 * such a target but whether it evaluates target health is unknown.
 */
export function inheritsTargetHealth(r: DnsRecordFact): boolean | undefined {
  return r.aliasTarget ? aliasTakesTargetHealth(r.aliasTarget) : false;
}
