import { expandJurisdictions } from '../../model/regions';
import { placesOutside, type DataPlace } from './residency-allowed';
import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const residencyPartitioned: Rule = {
  id: 'GEO-RESIDENCY-002',
  title: 'Partitioned data stays in its own jurisdiction',
  severity: 'error',
  rationale: 'Partitioned mode exists so that each jurisdiction\'s data never leaves it. A member, backup copy or key outside the partition\'s jurisdiction, or replication into a region serving another jurisdiction, defeats the partitioning.',
  remediation: 'Keep every region, backup region and key of a partition inside its jurisdiction; give each jurisdiction its own regions.',
  check(facts) {
    if (facts.mode !== 'partitioned') {
      // With the mode unresolved, any database that may belong to a jurisdiction might be partitioned.
      return isUnknown(facts.mode) && facts.databases.some((d) => d.jurisdiction !== null) ? [unknownFinding('mode', 'the deployment mode')] : [];
    }
    const out: RuleFinding[] = [];
    for (const db of facts.databases) {
      if (isUnknown(db.jurisdiction)) {
        out.push(unknownFinding(db.id, `the jurisdiction of ${db.id}`));
        continue;
      }
      if (db.jurisdiction === null) {
        out.push({ resource: db.id, message: `${db.id} belongs to no jurisdiction; partitioned mode keeps each database in one jurisdiction` });
        continue;
      }
      const j = db.jurisdiction;
      const places: DataPlace[] = [];
      for (const m of db.members) {
        places.push({ resource: m.id, what: `${m.role ?? 'member'} ${m.id} of the ${j} partition`, region: m.region });
        if (m.keyRegion !== null && (m.keyRegion === undefined || m.keyRegion !== m.region)) {
          places.push({ resource: m.id, what: `the KMS key encrypting ${m.id} (${j} partition)`, region: m.keyRegion });
        }
        const served = facts.regions.find((r) => r.name === m.region)?.jurisdiction;
        if (typeof served === 'string' && served !== j) {
          out.push({
            resource: m.id, region: m.region, value: served, limit: j,
            message: `${m.id} replicates ${j} data into ${m.region}, which serves jurisdiction ${served}; replication across jurisdictions is not allowed`,
          });
        }
      }
      if (isUnknown(db.backupRegions)) places.push({ resource: db.id, what: `backup copies of ${db.id}`, region: undefined });
      for (const b of db.backupRegions ?? []) places.push({ resource: db.id, what: `backup copies of ${db.id} (${j} partition)`, region: b });
      out.push(...placesOutside(facts, places, expandJurisdictions([j]), j));
    }
    return out;
  },
};
