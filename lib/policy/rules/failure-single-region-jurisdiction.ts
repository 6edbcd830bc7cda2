import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const failureSingleRegionJurisdiction: Rule = {
  id: 'GEO-FAILURE-003',
  title: 'Each jurisdiction is served by at least two regions',
  severity: 'warning',
  rationale: 'In a partitioned deployment a jurisdiction\'s users may only be served inside it. With one region, losing that region leaves them without service: there is nowhere inside the jurisdiction to fail over to, and failing over outside it moves their data.',
  remediation: 'Add a second region inside the jurisdiction (it joins the jurisdiction\'s partition and its failover record set).',
  check(facts) {
    if (facts.mode !== 'partitioned') {
      return isUnknown(facts.mode) && facts.regions.some((r) => typeof r.jurisdiction === 'string') ? [unknownFinding('mode', 'the deployment mode')] : [];
    }
    const out: RuleFinding[] = [];
    const byJurisdiction = new Map<string, string[]>();
    for (const r of facts.regions) {
      if (isUnknown(r.jurisdiction)) {
        out.push(unknownFinding(r.name, `the jurisdiction of ${r.name}`, r.name));
        continue;
      }
      if (r.jurisdiction === null) continue;
      byJurisdiction.set(r.jurisdiction, [...(byJurisdiction.get(r.jurisdiction) ?? []), r.name]);
    }
    // A region of unknown jurisdiction may be the second region of any of them.
    if (out.length > 0) return out;
    for (const [j, regions] of byJurisdiction) {
      if (regions.length !== 1) continue;
      out.push({
        resource: j, region: regions[0], value: 1, limit: 2,
        message: `jurisdiction ${j} is served by ${regions[0]} alone: when it is down, ${j} users have no region to fail over to inside ${j}`,
      });
    }
    return out;
  },
};
