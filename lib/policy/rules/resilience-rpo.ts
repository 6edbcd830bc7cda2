import { estimateRecovery } from '../resilience';
import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const resilienceRpo: Rule = {
  id: 'GEO-RESILIENCE-002',
  title: 'Estimated data loss (RPO) meets the objective',
  severity: 'error',
  rationale: 'An unplanned regional failover loses whatever had not replicated yet. Model: typical asynchronous replication lag, ~1 s for Aurora global databases and DynamoDB global tables; a database with no replica loses everything written since its last backup.',
  remediation: 'Add a replica region, or relax objectives.rpoSeconds to at least the replication lag (an RPO of 0 needs synchronous replication, which these engines do not offer across regions).',
  check(facts) {
    if (facts.objectives === null) return [];
    if (isUnknown(facts.objectives) || isUnknown(facts.objectives.rpoSeconds)) return [unknownFinding('objectives.rpoSeconds', 'the RPO objective')];
    const limit = facts.objectives.rpoSeconds;
    const out: RuleFinding[] = [];
    for (const e of estimateRecovery(facts)) {
      if (e.noReplica) {
        out.push({ resource: e.database, region: e.failedRegion, value: 'unbounded', limit, message: `${e.database} has no replica in another region: RPO unbounded, objective ${limit} s` });
      } else if (e.rpoSeconds === undefined) {
        out.push(unknownFinding(e.database, `the RPO estimate (${e.unknown.join('; ') || 'unresolved facts'})`, e.failedRegion));
      } else if (e.rpoSeconds > limit) {
        out.push({
          resource: e.database, region: e.failedRegion, value: e.rpoSeconds, limit,
          message: `estimated RPO ${e.rpoSeconds} s (asynchronous replication lag) exceeds objective ${limit} s`,
        });
      }
    }
    return out;
  },
};
