import { isUnknown, unknownFinding } from './util';
import type { DnsRecordFact } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

export const dnsFailoverPair: Rule = {
  id: 'GEO-DNS-004',
  title: 'Failover routing has exactly one PRIMARY and a SECONDARY record',
  severity: 'error',
  rationale: 'Active-passive traffic follows Route 53 failover records: with no PRIMARY nothing answers normally, with two the split is undefined, and with no SECONDARY there is nowhere to fail over to.',
  remediation: 'Use failover routing (dns.routing: failover) with one PRIMARY record for the primary region and one SECONDARY record for the standby.',
  check(facts) {
    const groups = new Map<string, DnsRecordFact[]>();
    const out: RuleFinding[] = [];
    for (const r of facts.dns.records) {
      if (isUnknown(r.routing) && isUnknown(r.failover)) {
        out.push(unknownFinding(r.id, 'whether the record uses failover routing', r.region ?? undefined));
        continue;
      }
      if (r.routing !== 'failover' && !r.failover) continue;
      const name = r.name ?? '(unresolved name)';
      groups.set(name, [...(groups.get(name) ?? []), r]);
    }
    if (facts.mode === 'active-passive' && groups.size === 0) {
      const routing = [...new Set(facts.dns.records.map((r) => r.routing ?? 'unknown'))];
      if (facts.dns.records.some((r) => isUnknown(r.routing))) return [unknownFinding('dns', 'the routing policy of a record')];
      out.push({
        resource: 'dns', value: 0, limit: 1,
        message: `active-passive deployment has no failover records (routing: ${routing.join(', ') || 'none'}); traffic cannot follow the primary`,
      });
    }
    if (facts.mode === undefined && groups.size === 0 && facts.dns.records.length > 0) {
      out.push(unknownFinding('mode', 'the deployment mode (active-passive needs failover records)'));
    }
    for (const [name, records] of groups) {
      if (records.some((r) => isUnknown(r.failover))) {
        out.push(unknownFinding(name, 'the failover role of a record'));
        continue;
      }
      const primaries = records.filter((r) => r.failover === 'PRIMARY').length;
      const secondaries = records.filter((r) => r.failover === 'SECONDARY').length;
      if (primaries !== 1) {
        out.push({ resource: name, value: primaries, limit: 1, message: `${name} has ${primaries} failover PRIMARY records; exactly one is needed` });
      }
      if (secondaries < 1) {
        out.push({ resource: name, value: 0, limit: 1, message: `${name} has no failover SECONDARY record; there is nowhere to fail over to` });
      }
    }
    return out;
  },
};
