import { failoverTargets } from '../estimate';
import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

// The failover targets are decided once, in the estimator (`meridian estimate` shows the same split).
const targetsOf = failoverTargets;

export const capacityFailover: Rule = {
  id: 'GEO-CAPACITY-001',
  title: 'Surviving regions can absorb a failed region\'s peak load',
  severity: 'warning',
  rationale: 'A failover that moves traffic to a region without spare capacity turns a regional outage into a global one. Spare capacity of a region = capacityRps − its own peakRps (capacityRps defaults to 2 × peakRps). Active-passive: the primary\'s load goes to the failover SECONDARY; partitioned: only to regions of the same partition.',
  remediation: 'Raise capacityRps (pre-scale) in the failover targets, add a region, or spread the load.',
  check(facts) {
    if (!facts.regions.some((r) => typeof r.peakRps === 'number')) {
      return facts.regions.some((r) => isUnknown(r.peakRps)) ? [unknownFinding('regions', 'the peak load')] : [];
    }
    // Where a failed region's load goes depends on the mode; do not guess.
    if (isUnknown(facts.mode)) return [unknownFinding('mode', 'the deployment mode (it decides the failover targets)')];
    const out: RuleFinding[] = [];
    for (const failed of facts.regions) {
      if (failed.peakRps === null || failed.peakRps === 0) continue;
      if (isUnknown(failed.peakRps)) { out.push(unknownFinding(failed.name, 'the peak load', failed.name)); continue; }
      if (failed.role === undefined && facts.mode === 'active-passive') { out.push(unknownFinding(failed.name, 'the region role', failed.name)); continue; }
      const load = failed.peakRps;
      const targets = targetsOf(facts, failed);
      if (targets.length === 0) {
        out.push({ resource: failed.name, region: failed.name, value: 0, limit: load, message: `if ${failed.name} fails, no surviving region can take its ${load} rps` });
        continue;
      }
      let spare = 0;
      const unresolved = targets.find((t) => isUnknown(t.capacityRps) || isUnknown(t.peakRps) || t.capacityRps === null);
      if (unresolved) {
        out.push(unknownFinding(failed.name, `the capacity of ${unresolved.name}`, failed.name));
        continue;
      }
      const parts: string[] = [];
      for (const t of targets) {
        const s = Math.max(0, (t.capacityRps as number) - (t.peakRps ?? 0));
        spare += s;
        parts.push(`${t.name} (capacity ${t.capacityRps} rps, own peak ${t.peakRps ?? 0} rps, ${s} rps spare)`);
      }
      if (spare < load) {
        out.push({
          resource: failed.name, region: failed.name, value: spare, limit: load,
          message: `if ${failed.name} fails, its ${load} rps go to ${parts.join(', ')}: short by ${load - spare} rps`,
        });
      }
    }
    return out;
  },
};
