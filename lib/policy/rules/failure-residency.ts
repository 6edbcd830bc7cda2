import {
  allowedRegions, unresolvedPlacement, answerLabel, deploymentRegions, failureLabel, populationJurisdiction, populationsLabel,
  simulateFailures, type ClientPopulation, type RouteAnswer,
} from '../failure-simulation';
import { isUnknown, unknownFinding } from './util';
import type { Facts } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

const SENSITIVE = ['pii', 'financial'];

/** The healthy day, each region down alone, and each jurisdiction's regions down together. */
function failureCases(facts: Facts): string[][] {
  const cases: string[][] = [[], ...deploymentRegions(facts).map((r) => [r])];
  const byJurisdiction = new Map<string, string[]>();
  for (const r of facts.regions) {
    if (typeof r.jurisdiction === 'string') byJurisdiction.set(r.jurisdiction, [...(byJurisdiction.get(r.jurisdiction) ?? []), r.name]);
  }
  for (const regions of byJurisdiction.values()) if (regions.length > 1) cases.push(regions);
  return cases;
}

export const failureResidency: Rule = {
  id: 'GEO-FAILURE-001',
  title: 'Personal and financial data stays in place when regions fail',
  severity: 'error',
  rationale: 'Route 53 falls back to a more general record when a record is unhealthy: a jurisdiction whose regions are down is sent to whatever the default record points at, usually another jurisdiction, where its users\' requests (and writes) reach a partition that must not hold their data. The simulation follows alias chains and health checks on the healthy day, with each region down, and with each jurisdiction\'s regions down together.',
  remediation: 'Route each jurisdiction through an alias to a failover or latency record set over its own regions (Meridian does so in partitioned mode), leave dns.crossBorderFallback off, and keep regions outside the residency out of the routes.',
  check(facts, ctx) {
    const classification = facts.data?.classification;
    if (facts.data === null) return [];
    if (isUnknown(classification)) return [unknownFinding('data', 'the data classification')];
    if (!SENSITIVE.includes(classification)) return [];
    if (isUnknown(facts.mode)) return [unknownFinding('mode', 'the deployment mode')];
    const out: RuleFinding[] = [];
    const placement = unresolvedPlacement(facts);
    if (placement !== undefined) return [unknownFinding('dns', `${placement} (which regions may serve whom)`)];
    const sim = simulateFailures(facts, { failures: failureCases(facts), memo: ctx?.memo });
    const unknownReported = new Set<string>();
    for (const what of sim.unknown) out.push(unknownFinding('dns', what));
    // One finding per failure, jurisdiction and answer, naming every population it sends out of place.
    const groups = new Map<string, { failure: readonly string[]; answer: RouteAnswer; outside: string[]; why: string; name: string; populations: ClientPopulation[] }>();
    // Per population, not per route: each is asked once for every failure case.
    const placeOf = new Map<ClientPopulation, { allowed: ReturnType<typeof allowedRegions>; jurisdiction: string | undefined }>();
    const place = (population: ClientPopulation) => {
      let p = placeOf.get(population);
      if (!p) placeOf.set(population, p = { allowed: allowedRegions(facts, population), jurisdiction: populationJurisdiction(facts, population) });
      return p;
    };
    for (const route of sim.routes) {
      const { population, answer } = route;
      if (answer.unknown !== undefined) {
        if (!unknownReported.has(population.id)) {
          unknownReported.add(population.id);
          out.push(unknownFinding(population.name, `where ${population.label} are sent when ${route.failure.label} (${answer.unknown})`));
        }
        continue;
      }
      const { allowed, jurisdiction } = place(population);
      if (!allowed) continue;
      const outside = answer.regions.filter((r) => !allowed.regions.includes(r));
      if (outside.length === 0) continue;
      const key = `${route.failure.down.join('+')}|${jurisdiction ?? '-'}|${answer.regions.join('+')}|${population.name}`;
      const g = groups.get(key) ?? { failure: route.failure.down, answer, outside, why: allowed.why, name: population.name, populations: [] };
      g.populations.push(population);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const who = populationsLabel(g.populations);
      out.push({
        resource: g.name, region: g.outside[0], value: g.outside.join(', '), limit: g.why,
        message: `${who} -> ${answerLabel(g.answer)} when ${failureLabel(g.failure)}: ${g.outside.join(', ')} is outside ${g.why}, so ${facts.data?.classification} data would be served from the wrong place`,
      });
    }
    return out;
  },
};
