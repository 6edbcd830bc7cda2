import { findOverlaps, parseCidr, type Cidr } from '../../model/cidr';
import { isUnknown, unknownFinding } from './util';
import type { NetworkFact } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

export const networkOverlap: Rule = {
  id: 'GEO-NETWORK-001',
  title: 'Region CIDRs do not overlap or contain one another',
  severity: 'error',
  rationale: 'VPC peering refuses overlapping CIDRs, and even without peering overlapping ranges make cross-region routing ambiguous.',
  remediation: 'Give each region a disjoint CIDR (or let Meridian allocate them from network.baseCidr).',
  check(facts) {
    const out: RuleFinding[] = [];
    const parsed: { net: NetworkFact; cidr: Cidr }[] = [];
    for (const net of facts.networks) {
      const region = net.region ?? undefined;
      if (isUnknown(net.cidr)) {
        out.push(unknownFinding(net.id, 'the CIDR', region));
        continue;
      }
      const cidr = parseCidr(net.cidr);
      if (!cidr) out.push({ resource: net.id, region, value: net.cidr, message: `${net.id} has a malformed CIDR "${net.cidr}"; expected an IPv4 block such as 10.1.0.0/16` });
      else parsed.push({ net, cidr });
    }
    // Sort-and-sweep (O(n log n + k)) rather than comparing every pair.
    for (const [a, b] of findOverlaps(parsed)) {
      const relation = a.cidr.start <= b.cidr.start && a.cidr.end >= b.cidr.end ? 'contains' : 'overlaps';
      out.push({
        resource: b.net.id, region: b.net.region ?? undefined, value: b.cidr.text, limit: `disjoint from ${a.cidr.text}`,
        message: `${a.net.id} (${a.net.region ?? 'unknown region'}) ${a.cidr.text} ${relation} ${b.net.id} (${b.net.region ?? 'unknown region'}) ${b.cidr.text}`,
      });
    }
    return out;
  },
};
