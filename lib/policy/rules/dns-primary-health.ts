import { inheritsTargetHealth, isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const dnsPrimaryHealth: Rule = {
  id: 'GEO-DNS-002',
  title: 'A failover PRIMARY record has a health check',
  severity: 'error',
  rationale: 'Route 53 treats a PRIMARY record without a health check as always healthy, so traffic never fails over to the SECONDARY.',
  remediation: 'Attach a health check that probes the primary region\'s endpoint to the PRIMARY record, or make it an alias to the region\'s load balancer with EvaluateTargetHealth on.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const r of facts.dns.records) {
      // A record whose routing and failover role are both unresolved may be a PRIMARY.
      if (r.routing !== 'failover' && r.failover !== 'PRIMARY' && !(isUnknown(r.routing) && isUnknown(r.failover))) continue;
      const region = r.region ?? undefined;
      if (isUnknown(r.failover)) {
        out.push(unknownFinding(r.id, 'the failover role (PRIMARY or SECONDARY)', region));
      } else if (r.failover === 'PRIMARY') {
        if (isUnknown(r.healthCheckId)) out.push(unknownFinding(r.id, 'the health check', region));
        else if (r.healthCheckId === null) {
          // An alias to a load balancer that evaluates target health fails over without a health check of its own.
          const inherits = inheritsTargetHealth(r);
          if (inherits === undefined) out.push(unknownFinding(r.id, 'whether the alias evaluates its load balancer\'s health', region));
          else if (!inherits) out.push({ resource: r.id, region, message: `failover PRIMARY record ${r.name ?? r.id} has no health check; Route 53 will never fail over to the SECONDARY` });
        }
      }
    }
    return out;
  },
};
