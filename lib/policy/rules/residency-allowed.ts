import { expandJurisdictions } from '../../model/regions';
import type { Facts } from '../../facts/types';
import { countryOf, isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

/** Every place a database's data or keys live: member regions, key regions, backup regions. */
export interface DataPlace {
  readonly resource: string;
  /** What lives there, for messages: `primary orders-us-east-1`, `backup copy of orders-global`, ... */
  readonly what: string;
  readonly region: string | undefined;
}

export function dataPlaces(facts: Facts): DataPlace[] {
  const places: DataPlace[] = [];
  for (const db of facts.databases) {
    for (const m of db.members) {
      places.push({ resource: m.id, what: `${m.role ?? 'member'} ${m.id}`, region: m.region });
      // A null keyRegion means no customer key: nothing of the key to place (GEO-KMS-003 reports it).
      if (m.keyRegion !== null && (m.keyRegion === undefined || m.keyRegion !== m.region)) {
        places.push({ resource: m.id, what: `the KMS key encrypting ${m.id}`, region: m.keyRegion });
      }
    }
    if (isUnknown(db.backupRegions)) places.push({ resource: db.id, what: `backup copies of ${db.id}`, region: undefined });
    for (const b of db.backupRegions ?? []) places.push({ resource: db.id, what: `backup copies of ${db.id}`, region: b });
  }
  // A key known to encrypt no data (an alert topic's) is no place the data lives.
  for (const k of facts.keys) if (k.encryptsData !== false) places.push({ resource: k.id, what: `KMS key ${k.id}`, region: k.region });
  return places;
}

/** Findings for places outside `allowed` (ISO country codes); `label` names the residency for messages. */
export function placesOutside(facts: Facts, places: readonly DataPlace[], allowed: readonly string[], label: string): RuleFinding[] {
  const out: RuleFinding[] = [];
  for (const p of places) {
    if (isUnknown(p.region)) {
      out.push(unknownFinding(p.resource, `the region of ${p.what}`));
      continue;
    }
    const country = countryOf(facts, p.region);
    if (isUnknown(country)) {
      out.push(unknownFinding(p.resource, `the country of region ${p.region} (${p.what})`, p.region));
    } else if (!allowed.includes(country)) {
      out.push({
        resource: p.resource, region: p.region, value: country, limit: label,
        message: `${p.what} is in ${p.region}, hosted in ${country}, outside the data residency ${label}`,
      });
    }
  }
  return out;
}

export const residencyAllowed: Rule = {
  id: 'GEO-RESIDENCY-001',
  title: 'Data, replicas, backups and keys stay inside the declared residency',
  severity: 'error',
  rationale: 'Residency rules (GDPR, national data laws, contracts) apply to every copy: secondaries, replicas, backup copies and the keys that decrypt them. The region prefix is no guide: eu-west-2 is in GB and eu-central-2 in CH, neither in the EU.',
  remediation: 'Move the region, backup region or key into a country covered by data.residency, or widen data.residency if the law allows it.',
  check(facts) {
    if (facts.data === null) return [];
    if (isUnknown(facts.data)) return [unknownFinding('data', 'the data description')];
    const residency = facts.data.residency;
    if (residency === null) return [];
    if (isUnknown(residency)) return [unknownFinding('data.residency', 'the data residency')];
    return placesOutside(facts, dataPlaces(facts), expandJurisdictions(residency), residency.join(', '));
  },
};
