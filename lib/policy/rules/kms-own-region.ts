import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const kmsOwnRegion: Rule = {
  id: 'GEO-KMS-003',
  title: 'Storage is encrypted with a customer-managed key of its own region',
  severity: 'error',
  rationale: 'A replica encrypted with another region\'s key fails with that region, and an unencrypted or AWS-owned-key store cannot be audited or crypto-shredded per region.',
  remediation: 'Encrypt each cluster or replica with the customer-managed key of the region it lives in.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const db of facts.databases) {
      for (const m of db.members) {
        const region = m.region;
        if (isUnknown(m.encrypted)) out.push(unknownFinding(m.id, 'storage encryption', region));
        else if (!m.encrypted) out.push({ resource: m.id, region, value: false, limit: true, message: `${m.id} stores data unencrypted` });
        else if (isUnknown(m.keyRegion) || isUnknown(region)) out.push(unknownFinding(m.id, 'the region of its encryption key', region));
        else if (m.keyRegion === null) out.push({ resource: m.id, region, message: `${m.id} is encrypted with an AWS-owned key, not a customer-managed key of ${region}` });
        else if (m.keyRegion !== region) {
          out.push({ resource: m.id, region, value: m.keyRegion, limit: region, message: `${m.id} in ${region} is encrypted with a key from ${m.keyRegion}` });
        }
      }
    }
    return out;
  },
};
