import { inheritsTargetHealth, isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

const ROUTED = ['latency', 'geolocation', 'geoproximity', 'weighted'];

export const dnsRoutedHealth: Rule = {
  id: 'GEO-DNS-005',
  title: 'Latency, geolocation, geoproximity and weighted records have health checks',
  severity: 'warning',
  rationale: 'Without a health check Route 53 keeps sending users to a region that is down; the health check is what turns these routing policies into failover.',
  remediation: 'Attach a health check probing the record\'s regional endpoint, or make it an alias to the region\'s load balancer with EvaluateTargetHealth on.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const r of facts.dns.records) {
      if (isUnknown(r.routing)) {
        if (typeof r.healthCheckId !== 'string') out.push(unknownFinding(r.id, 'the routing policy', r.region ?? undefined));
        continue;
      }
      if (!ROUTED.includes(r.routing)) continue;
      // An alias to another record set of the zone takes its health from that set's records.
      const target = r.aliasTarget?.dnsName;
      if (typeof target === 'string' && facts.dns.records.some((x) => x.name === target)) continue;
      if (isUnknown(r.healthCheckId)) out.push(unknownFinding(r.id, 'the health check', r.region ?? undefined));
      else if (r.healthCheckId === null) {
        // An alias to a load balancer that evaluates target health stops answering with its region.
        const inherits = inheritsTargetHealth(r);
        if (inherits === undefined) out.push(unknownFinding(r.id, 'whether the alias evaluates its load balancer\'s health', r.region ?? undefined));
        else if (!inherits) out.push({ resource: r.id, region: r.region ?? undefined, message: `${r.routing} record ${r.id} has no health check; users keep being sent to ${r.region ?? 'its region'} when it is down` });
      }
    }
    return out;
  },
};
