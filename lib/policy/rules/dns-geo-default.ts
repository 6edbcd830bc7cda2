import { isUnknown, unknownFinding } from './util';
import type { DnsRecordFact } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

export const dnsGeoDefault: Rule = {
  id: 'GEO-DNS-003',
  title: 'Geolocation routing has a default record',
  severity: 'error',
  rationale: 'Route 53 answers users whose location matches no geolocation record (or cannot be determined) with NODATA unless a default (CountryCode "*") record exists.',
  remediation: 'Add a geolocation record with CountryCode "*" (dns.defaultRegion picks its region).',
  check(facts) {
    const groups = new Map<string, DnsRecordFact[]>();
    for (const r of facts.dns.records) {
      if (r.routing !== 'geolocation' && !r.geolocation) continue;
      const name = r.name ?? '(unresolved name)';
      groups.set(name, [...(groups.get(name) ?? []), r]);
    }
    const out: RuleFinding[] = [];
    for (const [name, records] of groups) {
      if (records.some((r) => r.geolocation?.countryCode === '*')) continue;
      const unresolved = records.find((r) => isUnknown(r.geolocation));
      if (unresolved) out.push(unknownFinding(name, `the location of record ${unresolved.id}`));
      else out.push({ resource: name, message: `geolocation records for ${name} have no default (CountryCode "*"); users outside the listed locations get no answer` });
    }
    return out;
  },
};
