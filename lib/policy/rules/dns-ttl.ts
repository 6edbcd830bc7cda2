import { MAX_ROUTED_TTL_SECONDS } from '../../model/limits';
import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const dnsTtl: Rule = {
  id: 'GEO-DNS-001',
  title: 'Routed records have a TTL of 60 s or less',
  severity: 'error',
  rationale: 'Resolvers keep answering with the failed region until the TTL runs out, so the TTL adds directly to the recovery time. AWS CDK defaults record TTLs to 1800 s.',
  remediation: 'Set dns.ttlSeconds (or the record\'s TTL) to 60 or less.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const r of facts.dns.records) {
      if (r.routing === 'simple' || r.ttlSeconds === null) continue;
      if (isUnknown(r.ttlSeconds)) {
        out.push(unknownFinding(r.id, 'the TTL', r.region ?? undefined));
      } else if (r.ttlSeconds > MAX_ROUTED_TTL_SECONDS) {
        out.push({
          resource: r.id, region: r.region ?? undefined, value: r.ttlSeconds, limit: MAX_ROUTED_TTL_SECONDS,
          message: `${r.routing ?? 'routed'} record ${r.name ?? r.id} has TTL ${r.ttlSeconds} s, more than ${MAX_ROUTED_TTL_SECONDS} s; clients keep using a failed region that long`,
        });
      }
    }
    return out;
  },
};
