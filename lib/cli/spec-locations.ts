/**
 * Where a finding on a spec points: the YAML line of the field the finding is about. Plan facts carry no
 * file positions, so this maps a finding (rule area, resource, region) back to the spec field that
 * decides it, and lets the line finder fall back to the deepest part of that path that the user wrote.
 */
import type { LineFinder, ValidSpec } from '../model/load';
import type { Finding, FindingLocation } from '../policy/types';

const INDEXED = /^([^[]*)((?:\[\d+\])+)$/;

/**
 * `regions[1].role` → ['regions', 1, 'role']. Empty parts are left out; a part that is not `name[i]…`
 * stays whole. Called for every issue of a spec error (100,000 for a flood of duplicates), so plain
 * parts skip the regular expression.
 */
export function pathKeys(path: string): (string | number)[] {
  const keys: (string | number)[] = [];
  for (const part of path.split('.')) {
    if (!part.includes('[')) {
      if (part !== '') keys.push(part);
      continue;
    }
    const m = INDEXED.exec(part);
    if (!m) {
      keys.push(part);
      continue;
    }
    if (m[1]) keys.push(m[1]);
    for (const index of (m[2] ?? '').slice(1, -1).split('][')) keys.push(Number(index));
  }
  return keys;
}

const TOP_LEVEL = new Set(['name', 'mode', 'account', 'regions', 'network', 'data', 'dns', 'objectives', 'alarms', 'experiments', 'suppressions', 'tags']);

/** The spec field a finding is about, as a path; the line finder stops at the deepest node present. */
export function specPathOf(f: Finding, spec: ValidSpec): (string | number)[] {
  // Some rules already name the spec field (`data.quorum.writeQuorum`, `dns`).
  const direct = pathKeys(f.resource);
  if (TOP_LEVEL.has(String(direct[0]))) return direct;
  const area = f.ruleId.split('-')[1] ?? '';
  const regionName = f.region ?? f.resource;
  const i = spec.regions.findIndex((r) => r.name === regionName || f.resource.includes(r.name));
  const region = (...field: string[]): (string | number)[] => (i >= 0 ? ['regions', i, ...field] : ['regions']);
  switch (f.ruleId) {
    case 'GEO-DNS-001': return ['dns', 'ttlSeconds'];
    case 'GEO-HEALTH-001': return ['dns', 'healthCheck', 'intervalSeconds'];
    case 'GEO-HEALTH-002': return ['dns', 'healthCheck', 'failureThreshold'];
    case 'GEO-CAPACITY-001': return region('capacityRps');
    case 'GEO-NETWORK-001': return spec.regions[i]?.cidr ? region('cidr') : ['network', 'baseCidr'];
    case 'GEO-NETWORK-002': return ['network', 'peering'];
    case 'GEO-RESIDENCY-003': return ['data', 'classification'];
    default: break;
  }
  switch (area) {
    case 'DNS': return ['dns', 'routing'];
    case 'QUORUM': return ['data', 'quorum'];
    case 'RESIDENCY': return spec.mode === 'partitioned' ? region('jurisdiction') : ['data', 'residency'];
    case 'KMS': return region();
    case 'DATA': return ['data'];
    case 'ALARM': return ['alarms'];
    case 'FIS': return ['experiments'];
    case 'RESILIENCE': return ['objectives'];
    case 'META': {
      const m = /^suppression:([^:]+)(?::(.*))?$/.exec(f.resource);
      const j = m ? spec.suppressions.findIndex((s) => s.rule === m[1] && (m[2] === undefined || s.resource === m[2])) : -1;
      return j >= 0 ? ['suppressions', j] : ['suppressions'];
    }
    default: return i >= 0 ? region() : [];
  }
}

/** Locates findings of a spec: file and the YAML line of the field (line 1 when nothing better is known). */
export function specLocator(file: string, spec: ValidSpec, lineOf: LineFinder): (f: Finding) => FindingLocation {
  return (f) => ({ file, line: lineOf(specPathOf(f, spec)) ?? 1 });
}
