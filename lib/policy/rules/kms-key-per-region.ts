import { isUnknown, unknownFinding } from './util';
import type { Facts } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

/** Regions that hold data: database members and backup copies. */
export function dataRegions(facts: Facts): { regions: string[]; unknown: boolean } {
  const set = new Set<string>();
  let unknown = false;
  for (const db of facts.databases) {
    for (const m of db.members) {
      if (isUnknown(m.region)) unknown = true;
      else set.add(m.region);
    }
    if (isUnknown(db.backupRegions)) unknown = true;
    for (const b of db.backupRegions ?? []) set.add(b);
  }
  return { regions: [...set], unknown };
}

export const kmsKeyPerRegion: Rule = {
  id: 'GEO-KMS-001',
  title: 'Every region that holds data has its own KMS key',
  severity: 'error',
  rationale: 'Encrypting with a key in the region that holds the data keeps the region independent: a KMS outage or a residency boundary elsewhere cannot lock it out of its own data.',
  remediation: 'Create a customer-managed KMS key in each region that holds a cluster, replica or backup copy.',
  check(facts) {
    const { regions, unknown } = dataRegions(facts);
    const out: RuleFinding[] = [];
    if (unknown) out.push(unknownFinding('data', 'the region of a database member or backup copy'));
    const unresolvedKey = facts.keys.find((k) => isUnknown(k.region));
    for (const region of regions) {
      if (facts.keys.some((k) => k.region === region)) continue;
      if (unresolvedKey) out.push(unknownFinding(unresolvedKey.id, `the region of key ${unresolvedKey.id} (needed for ${region})`, region));
      else out.push({ resource: region, region, message: `${region} holds data but has no KMS key of its own` });
    }
    return out;
  },
};
