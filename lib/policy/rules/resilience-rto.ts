import type { DisruptionEstimate } from '../estimate';
import { disruptionsOf, isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';
import { at } from '../../model/lookup';

/** `detection 40 s + decision 600 s + promotion 60 s` along the path that ends last, for messages. */
export function describeWorstPath(d: DisruptionEstimate): string {
  const end = (p: DisruptionEstimate['phases'][number]) => p.startWorst + p.worst;
  const last = d.phases.reduce<DisruptionEstimate['phases'][number] | undefined>((w, p) => (!w || end(p) > end(w) ? p : w), undefined);
  if (!last) return 'no recovery phases';
  const path = d.phases.filter((p) => p.track === 'detection' || p.track === last.track || p.track === 'application');
  return path.map((p) => `${p.kind} ${p.worst} s`).join(' + ');
}

export const resilienceRto: Rule = {
  id: 'GEO-RESILIENCE-001',
  title: 'Worst-case recovery time (RTO) of every disruption meets the objective',
  severity: 'error',
  rationale: 'The estimator (`meridian estimate`) lays out, per disruption — loss of each region, loss of the database writer alone, loss of one Availability Zone — detection (health-check interval × threshold plus one interval of skew), then in parallel the DNS track (TTL plus client caches) and the database track (a human decision of 3–10 minutes, or the alarm and runbook of automated failover, then the global database promotion). If the worst case exceeds objectives.rtoSeconds the design cannot promise its objective. Partitions between regions are reported but not judged: nothing fails over during one.',
  remediation: 'Automate the region failover, shorten the TTL or the health-check interval, give the failover target Aurora instances (not headless), use DynamoDB global tables, or relax objectives.rtoSeconds. Run `meridian estimate` to see which phase dominates.',
  check(facts, ctx) {
    if (facts.objectives === null) return [];
    if (isUnknown(facts.objectives) || isUnknown(facts.objectives.rtoSeconds)) return [unknownFinding('objectives.rtoSeconds', 'the RTO objective')];
    const limit = facts.objectives.rtoSeconds;
    const out: RuleFinding[] = [];
    for (const d of disruptionsOf(facts, ctx).filter((x) => x.judged)) {
      const region = at(d.regions, 0, `region of disruption ${d.name}`);
      const resource = d.database ?? region;
      if (d.problem) {
        out.push({ resource, region, value: 'unbounded', limit, message: `${d.name}: ${d.problem}: RTO unbounded, objective ${limit} s` });
      } else if (d.rto === undefined) {
        out.push(unknownFinding(resource, `the RTO of ${d.name} (${d.unknown.join('; ') || 'unresolved facts'})`, region));
      } else if (d.rto.worst > limit) {
        out.push({
          resource, region, value: d.rto.worst, limit,
          message: `${d.name}: worst-case RTO ${d.rto.worst} s exceeds objective ${limit} s${d.targetRegion ? ` (recovery in ${d.targetRegion})` : ''}: ${describeWorstPath(d)}`,
        });
      }
    }
    return out;
  },
};
