import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const healthInterval: Rule = {
  id: 'GEO-HEALTH-001',
  title: 'Health check interval is 10 or 30 seconds',
  severity: 'error',
  rationale: 'Route 53 accepts only 10 s (fast) or 30 s (standard) request intervals, and the interval cannot be changed after creation; other values fail at deploy time.',
  remediation: 'Set dns.healthCheck.intervalSeconds to 10 (faster detection) or 30.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const h of facts.dns.healthChecks) {
      const region = h.region ?? undefined;
      if (isUnknown(h.intervalSeconds)) out.push(unknownFinding(h.id, 'the request interval', region));
      else if (h.intervalSeconds !== 10 && h.intervalSeconds !== 30) {
        out.push({ resource: h.id, region, value: h.intervalSeconds, limit: '10 | 30', message: `health check ${h.id} has interval ${h.intervalSeconds} s; Route 53 allows 10 or 30` });
      }
    }
    return out;
  },
};
