import type { Rule, RuleFinding } from '../types';

export const metaSuppressionReason: Rule = {
  id: 'GEO-META-002',
  title: 'Suppressions carry a reason',
  severity: 'error',
  rationale: 'A suppression hides a finding from everyone who reads the report later; the reason is the only record of why that was acceptable. One without a reason is ignored.',
  remediation: 'Add a reason (at least 10 characters) explaining why the finding is acceptable.',
  check(facts) {
    const out: RuleFinding[] = [];
    for (const s of facts.suppressions) {
      if ((s.reason ?? '').trim().length > 0) continue;
      out.push({
        resource: `suppression:${s.rule}${s.resource ? `:${s.resource}` : ''}`,
        message: `suppression of ${s.rule} has no reason; it is ignored`,
      });
    }
    return out;
  },
};
