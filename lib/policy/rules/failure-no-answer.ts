import {
  allowedRegions, unresolvedPlacement, answerLabel, populationsLabel, simulateFailures, type ClientPopulation, type RouteAnswer,
} from '../failure-simulation';
import { unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const failureNoAnswer: Rule = {
  id: 'GEO-FAILURE-002',
  title: 'Every population keeps a healthy answer when one region fails',
  severity: 'warning',
  rationale: 'A region can be lost at any time. When Route 53 keeps answering a population with the region that is down (no health check, an alias that ignores its target\'s health, a failover pair that leaves a region out), those users are down although another region could serve them.',
  remediation: 'Give every routed record a health check (or an alias that evaluates target health) and route each population over at least two regions it may use.',
  check(facts, ctx) {
    const out: RuleFinding[] = [];
    const placement = unresolvedPlacement(facts);
    if (placement !== undefined) return [unknownFinding('dns', `${placement} (which regions may serve whom)`)];
    const sim = simulateFailures(facts, { memo: ctx?.memo });
    const healthyDay = new Map(sim.routes.filter((r) => r.failure.down.length === 0).map((r) => [r.population.id, r.answer]));
    const unknownReported = new Set<string>();
    // Per population, not per route: each is asked once for every failure case.
    const allowedOf = new Map<ClientPopulation, ReturnType<typeof allowedRegions>>();
    for (const what of sim.unknown) out.push(unknownFinding('dns', what));
    const groups = new Map<string, { down: string; answer: RouteAnswer; spare: string[]; name: string; populations: ClientPopulation[] }>();
    for (const route of sim.routes) {
      const { population, answer, failure } = route;
      if (answer.unknown !== undefined) {
        if (!unknownReported.has(population.id)) {
          unknownReported.add(population.id);
          out.push(unknownFinding(population.name, `where ${population.label} are sent when ${failure.label} (${answer.unknown})`));
        }
        continue;
      }
      // Only the loss of a region counts; a population without a healthy answer on a healthy day is another rule's finding.
      if (failure.down.length !== 1 || answer.healthy || healthyDay.get(population.id)?.healthy !== true) continue;
      const [down] = failure.down;
      if (down === undefined) continue;
      if (!allowedOf.has(population)) allowedOf.set(population, allowedRegions(facts, population));
      const candidates = allowedOf.get(population)?.regions ?? sim.regions;
      const spare = candidates.filter((r) => r !== down);
      if (spare.length === 0) continue;
      const key = `${down}|${answer.regions.join('+')}|${spare.join('+')}|${population.name}`;
      const g = groups.get(key) ?? { down, answer, spare, name: population.name, populations: [] };
      g.populations.push(population);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      out.push({
        resource: g.name, region: g.down, value: answerLabel(g.answer), limit: g.spare.join(', '),
        message: `${populationsLabel(g.populations)} -> ${answerLabel(g.answer)} when ${g.down} is down, although ${g.spare.join(' or ')} could serve them`,
      });
    }
    return out;
  },
};
