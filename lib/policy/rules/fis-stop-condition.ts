import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const fisStopCondition: Rule = {
  id: 'GEO-FIS-001',
  title: 'Every fault-injection experiment stops on a CloudWatch alarm',
  severity: 'error',
  rationale: 'An experiment without a stop condition keeps injecting faults while production burns; FIS stops an experiment only when one of its stop-condition alarms fires.',
  remediation: 'Add a stop condition (source aws:cloudwatch:alarm) on the critical alarms of the experiment\'s region.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const e of facts.experiments) {
      if (isUnknown(e.stopConditions)) { out.push(unknownFinding(e.id, 'the stop conditions', e.region)); continue; }
      if (e.stopConditions.some((s) => s.source === 'aws:cloudwatch:alarm')) continue;
      if (e.stopConditions.some((s) => isUnknown(s.source))) out.push(unknownFinding(e.id, 'the source of a stop condition', e.region));
      else out.push({ resource: e.id, region: e.region, value: 0, limit: 1, message: `experiment ${e.id} has no CloudWatch alarm stop condition; nothing stops it if production degrades` });
    }
    return out;
  },
};
