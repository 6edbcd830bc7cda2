import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const fisStopAlarm: Rule = {
  id: 'GEO-FIS-002',
  title: 'Experiment stop conditions name existing alarms in the experiment\'s region',
  severity: 'error',
  rationale: 'FIS evaluates stop-condition alarms in the experiment\'s own region; an alarm that does not exist there can never stop the experiment.',
  remediation: 'Point each stop condition at an alarm defined in the same region as the experiment.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const e of facts.experiments) {
      if (isUnknown(e.stopConditions)) { out.push(unknownFinding(e.id, 'the stop conditions', e.region)); continue; }
      for (const s of e.stopConditions) {
        if (isUnknown(s.source)) { out.push(unknownFinding(e.id, 'the source of a stop condition', e.region)); continue; }
        if (s.source !== 'aws:cloudwatch:alarm') continue;
        if (isUnknown(s.alarmId)) { out.push(unknownFinding(e.id, 'a stop-condition alarm', e.region)); continue; }
        const alarm = facts.alarms.find((a) => a.id === s.alarmId);
        if (!alarm) {
          out.push({ resource: e.id, region: e.region, value: String(s.alarmId), message: `experiment ${e.id} stops on alarm ${s.alarmId}, which is not defined` });
        } else if (isUnknown(alarm.region) || isUnknown(e.region)) {
          out.push(unknownFinding(e.id, `the region of alarm ${alarm.id} or of the experiment`, e.region));
        } else if (alarm.region !== e.region) {
          out.push({ resource: e.id, region: e.region, value: alarm.region, limit: e.region, message: `experiment ${e.id} in ${e.region} stops on alarm ${alarm.id} in ${alarm.region}; FIS only sees alarms in its own region` });
        }
      }
    }
    return out;
  },
};
