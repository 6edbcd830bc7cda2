import { describeBreakdown, estimateRecovery } from '../resilience';
import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const resilienceRto: Rule = {
  id: 'GEO-RESILIENCE-001',
  title: 'Estimated recovery time (RTO) meets the objective',
  severity: 'error',
  rationale: 'Losing the writer region takes health-check detection, a failover decision, database promotion and DNS TTL expiry; if their sum exceeds objectives.rtoSeconds the design cannot meet its objective even when everything goes to plan. Model: detection (interval × failure threshold) + decision allowance 60 s (Aurora only) + promotion (Aurora ~60 s, headless secondary ~600 s, DynamoDB 0) + DNS TTL.',
  remediation: 'Shorten the TTL or health-check interval, give the failover target Aurora instances (not headless), use DynamoDB global tables, or relax objectives.rtoSeconds.',
  check(facts) {
    if (facts.objectives === null) return [];
    if (isUnknown(facts.objectives) || isUnknown(facts.objectives.rtoSeconds)) return [unknownFinding('objectives.rtoSeconds', 'the RTO objective')];
    const limit = facts.objectives.rtoSeconds;
    const out: RuleFinding[] = [];
    for (const e of estimateRecovery(facts)) {
      if (e.problem) {
        out.push({ resource: e.database, region: e.failedRegion, value: 'unbounded', limit, message: `${e.problem}: RTO unbounded, objective ${limit} s` });
      } else if (e.rtoSeconds === undefined) {
        out.push(unknownFinding(e.database, `the RTO estimate (${e.unknown.join('; ') || 'unresolved facts'})`, e.failedRegion));
      } else if (e.rtoSeconds > limit) {
        out.push({
          resource: e.database, region: e.failedRegion, value: e.rtoSeconds, limit,
          message: `estimated RTO ${e.rtoSeconds} s exceeds objective ${limit} s when ${e.failedRegion} fails over to ${e.targetRegion} (${describeBreakdown(e)})`,
        });
      }
    }
    return out;
  },
};
