import { isUnknown, unknownFinding } from './util';
import type { Rule, RuleFinding } from '../types';

export const healthThreshold: Rule = {
  id: 'GEO-HEALTH-002',
  title: 'Health check failure threshold is between 1 and 10',
  severity: 'error',
  rationale: 'Route 53 accepts 1 to 10 consecutive failures before an endpoint is marked unhealthy; other values fail at deploy time.',
  remediation: 'Set dns.healthCheck.failureThreshold between 1 and 10 (3 is a common balance).',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const h of facts.dns.healthChecks) {
      const region = h.region ?? undefined;
      const t = h.failureThreshold;
      if (isUnknown(t)) out.push(unknownFinding(h.id, 'the failure threshold', region));
      else if (!Number.isInteger(t) || t < 1 || t > 10) {
        out.push({ resource: h.id, region, value: t, limit: '1..10', message: `health check ${h.id} has failure threshold ${t}; Route 53 allows 1 to 10` });
      }
    }
    return out;
  },
};
