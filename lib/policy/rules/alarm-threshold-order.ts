import { isUnknown, unknownFinding } from './util';
import type { AlarmFact } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

export const alarmThresholdOrder: Rule = {
  id: 'GEO-ALARM-002',
  title: 'Lag warning threshold is at most the critical threshold',
  severity: 'error',
  rationale: 'A warning that fires after the critical alarm warns nobody; the warning exists to give time before the critical level (the article: 30 s and 5 min).',
  remediation: 'Set alarms.replicationLagWarningSeconds at or below alarms.replicationLagCriticalSeconds.',
  check(facts) {
    const groups = new Map<string, AlarmFact[]>();
    const out: RuleFinding[] = [];
    for (const a of facts.alarms) {
      if (a.kind !== undefined && a.kind !== 'replication-lag' && a.kind !== 'rpo-lag') continue;
      // An alarm that cannot be placed in its warning/critical pair cannot be compared: say so.
      if ([a.kind, a.region, a.subjectRegion, a.metric, a.level].some(isUnknown)) {
        out.push(unknownFinding(a.id, 'the kind, region, metric or level', a.region));
        continue;
      }
      const key = `${a.region}|${a.subjectRegion}|${a.metric}`;
      groups.set(key, [...(groups.get(key) ?? []), a]);
    }
    for (const alarms of groups.values()) {
      const warnings = alarms.filter((a) => a.level === 'warning');
      const criticals = alarms.filter((a) => a.level === 'critical');
      for (const w of warnings) {
        for (const c of criticals) {
          if (isUnknown(w.thresholdSeconds) || isUnknown(c.thresholdSeconds)) {
            out.push(unknownFinding(w.id, `the threshold of ${isUnknown(w.thresholdSeconds) ? w.id : c.id}`, w.region));
          } else if (w.thresholdSeconds !== null && c.thresholdSeconds !== null && w.thresholdSeconds > c.thresholdSeconds) {
            out.push({
              resource: w.id, region: w.region, value: w.thresholdSeconds, limit: c.thresholdSeconds,
              message: `warning alarm ${w.id} fires at ${w.thresholdSeconds} s, after critical alarm ${c.id} at ${c.thresholdSeconds} s`,
            });
          }
        }
      }
    }
    return out;
  },
};
