import { disruptionsOf, isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';
import { at } from '../../model/lookup';

export const resilienceRpo: Rule = {
  id: 'GEO-RESILIENCE-002',
  title: 'Worst-case data loss (RPO) of every disruption meets the objective',
  severity: 'error',
  rationale: 'An unplanned regional failover loses whatever had not replicated yet. Asynchronous replication (Aurora global database, DynamoDB global tables in MREC mode) typically lags under a second, but the design only notices a lag above its warning lag alarm, so that threshold is the worst case it accepts silently; with no lag alarm the worst case is unbounded. DynamoDB multi-Region strong consistency loses nothing. A database with no replica loses everything written since its last backup.',
  remediation: 'Lower the warning replication-lag alarm (alarms.replicationLagWarningSeconds) to the objective, add a replica region, use DynamoDB multi-Region strong consistency, or relax objectives.rpoSeconds (an RPO of 0 needs synchronous replication).',
  check(facts, ctx) {
    if (facts.objectives === null) return [];
    if (isUnknown(facts.objectives) || isUnknown(facts.objectives.rpoSeconds)) return [unknownFinding('objectives.rpoSeconds', 'the RPO objective')];
    const limit = facts.objectives.rpoSeconds;
    const out: RuleFinding[] = [];
    const seen = new Set<string>();
    for (const d of disruptionsOf(facts, ctx).filter((x) => x.judged)) {
      const region = at(d.regions, 0, `region of disruption ${d.name}`);
      const resource = d.database ?? region;
      let finding: RuleFinding | undefined;
      if (d.problem && d.problem.includes('no other region')) {
        finding = { resource, region, value: 'unbounded', limit, message: `${resource} has no replica in another region: RPO unbounded, objective ${limit} s` };
      } else if (d.rpo === undefined && d.unknown.length > 0) {
        finding = unknownFinding(resource, `the RPO of ${d.name} (${d.unknown.join('; ')})`, region);
      } else if (d.rpo === undefined && !d.problem) {
        finding = { resource, region, value: 'unbounded', limit, message: `${d.name}: no replication-lag alarm bounds the lag: RPO unbounded, objective ${limit} s` };
      } else if (d.rpo && d.rpo.worst > limit) {
        finding = {
          resource, region, value: d.rpo.worst, limit,
          message: `${d.name}: worst-case RPO ${d.rpo.worst} s exceeds objective ${limit} s (typical lag ${d.rpo.best} s; the warning lag alarm fires only above ${d.rpo.worst} s)`,
        };
      }
      // Losing the writer's region and losing the writer alone lose the same data: report it once.
      const key = finding && `${finding.resource}|${String(finding.value)}|${finding.unknown ? '?' : ''}`;
      if (finding && key && !seen.has(key)) { seen.add(key); out.push(finding); }
    }
    return out;
  },
};
