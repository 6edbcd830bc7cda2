import type { Rule, RuleFinding } from '../types';

/** The UTC calendar day of `now`, YYYY-MM-DD. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** True when the suppression's `expires` day is over (or is not a valid date). */
export function isExpired(expires: string | undefined, now: Date): boolean {
  if (expires === undefined) return false;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(expires) || Number.isNaN(Date.parse(`${expires}T00:00:00Z`))) return true;
  return expires < utcDay(now);
}

export const metaSuppressionExpired: Rule = {
  id: 'GEO-META-001',
  title: 'Suppressions have not expired',
  severity: 'warning',
  rationale: 'An acknowledgement is a decision with a shelf life; once it expires the finding it hid is reported again and the stale suppression should be renewed (with a fresh reason) or removed.',
  remediation: 'Fix the finding and delete the suppression, or extend `expires` after reviewing the reason.',
  check(facts, ctx) {
    const out: RuleFinding[] = [];
    for (const s of facts.suppressions) {
      if (!isExpired(s.expires, ctx.now)) continue;
      const valid = /^\d{4}-\d{2}-\d{2}$/.test(s.expires ?? '') && !Number.isNaN(Date.parse(`${s.expires}T00:00:00Z`));
      out.push({
        resource: `suppression:${s.rule}${s.resource ? `:${s.resource}` : ''}`, value: s.expires, limit: utcDay(ctx.now),
        message: valid
          ? `suppression of ${s.rule}${s.resource ? ` on ${s.resource}` : ''} expired on ${s.expires}; its findings are reported again`
          : `suppression of ${s.rule} has expires "${s.expires}", not a YYYY-MM-DD date; it is ignored`,
      });
    }
    return out;
  },
};
