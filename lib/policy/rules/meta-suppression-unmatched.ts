import type { SuppressionFact } from '../../facts/types';
import type { Rule, RuleFinding } from '../types';

/** The resource a META finding about one suppression is reported on. */
export function suppressionResource(s: SuppressionFact): string {
  return `suppression:${s.rule}${s.resource ? `:${s.resource}` : ''}`;
}

/**
 * A suppression of an unknown rule, or one that matches no finding, hides nothing today: usually a typo
 * in the rule id or the resource, sometimes a finding fixed long ago. Either way it is dead weight that
 * will silently hide a future finding it was never written for. A warning, not an error: the deployment
 * itself is not less safe.
 *
 * The rule reports unknown rule ids from the facts alone (`ctx.ruleIds`); whether a suppression matched
 * a finding is only known once every rule has run, so the engine reports those through
 * {@link unmatchedSuppressionFindings}, under this rule's id.
 */
export const metaSuppressionUnmatched: Rule = {
  id: 'GEO-META-003',
  title: 'Suppressions name a known rule and match a finding',
  severity: 'warning',
  rationale: 'A suppression that names a rule id that does not exist, or matches no finding, hides nothing now and may hide an unrelated finding later; it is usually a typo in the rule id or resource.',
  remediation: 'Correct the rule id or resource of the suppression, or delete it when the finding it was written for is gone.',
  check(facts, ctx) {
    const known = ctx.ruleIds;
    if (!known) return [];
    const out: RuleFinding[] = [];
    for (const s of facts.suppressions) {
      if (known.has(s.rule)) continue;
      out.push({
        resource: suppressionResource(s), value: s.rule,
        message: `suppression names rule ${s.rule}, which does not exist; it suppresses nothing`,
      });
    }
    return out;
  },
};

/** Findings for suppressions of a known rule that matched no finding of that rule. */
export function unmatchedSuppressionFindings(unmatched: readonly SuppressionFact[]): RuleFinding[] {
  return unmatched.map((s) => ({
    resource: suppressionResource(s), value: s.resource ?? s.rule,
    message: `suppression of ${s.rule}${s.resource ? ` on ${s.resource}` : ''} matches no finding; it suppresses nothing`,
  }));
}
