/** The engine: runs the rules over facts, applies suppressions, and summarises. */
import { factsFromPlan } from '../facts/from-plan';
import type { Facts, SuppressionFact } from '../facts/types';
import type { GeoPlan } from '../model/plan-types';
import { isExpired } from './rules/meta-suppression-expired';
import { RULES } from './rules';
import type { EvaluateOptions, Finding, Report, ReportSummary, Rule } from './types';

/** META findings are about suppressions themselves; letting a suppression hide them would be circular. */
const UNSUPPRESSIBLE = /^GEO-META-/;

function applies(s: SuppressionFact, f: Omit<Finding, 'suppressed'>, now: Date): boolean {
  if (s.rule !== f.ruleId || UNSUPPRESSIBLE.test(f.ruleId)) return false;
  if ((s.reason ?? '').trim().length === 0 || isExpired(s.expires, now)) return false;
  return s.resource === undefined || s.resource === f.resource || s.resource === f.region;
}

function runRule(rule: Rule, facts: Facts, now: Date): Omit<Finding, 'suppressed'>[] {
  let raw;
  try {
    raw = rule.check(facts, { now });
  } catch (e) {
    // A rule that crashes on odd facts must not hide the others; report it as unknown.
    raw = [{ resource: 'policy', unknown: true, message: `rule failed on these facts: ${(e as Error).message}` }];
  }
  return raw.map((f) => ({
    ruleId: rule.id,
    title: rule.title,
    severity: f.unknown ? 'warning' : rule.severity,
    message: f.message,
    resource: f.resource,
    region: f.region,
    value: f.value,
    limit: f.limit,
    unknown: f.unknown === true,
  }));
}

export function summarise(findings: readonly Finding[], rulesEvaluated: number): ReportSummary {
  const open = findings.filter((f) => !f.suppressed);
  return {
    error: open.filter((f) => f.severity === 'error').length,
    warning: open.filter((f) => f.severity === 'warning').length,
    info: open.filter((f) => f.severity === 'info').length,
    unknown: open.filter((f) => f.unknown).length,
    suppressed: findings.length - open.length,
    total: findings.length,
    rulesEvaluated,
  };
}

/** Runs every rule (or `options.rules`) over the facts. Suppressed findings are kept, marked `suppressed`. */
export function evaluate(facts: Facts, options: EvaluateOptions = {}): Report {
  const now = options.now ?? new Date();
  const rules = options.rules ?? RULES;
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const f of runRule(rule, facts, now)) {
      const s = facts.suppressions.find((x) => applies(x, f, now));
      findings.push(s ? { ...f, suppressed: true, suppressionReason: s.reason } : { ...f, suppressed: false });
    }
  }
  return { topology: facts.topology, findings, summary: summarise(findings, rules.length) };
}

/** Convenience: facts from a plan, then evaluate. */
export function checkPlan(plan: GeoPlan, options: EvaluateOptions = {}): Report {
  return evaluate(factsFromPlan(plan), options);
}

/** True when the report has an unsuppressed finding at or above `level`. */
export function failsAt(report: Report, level: 'error' | 'warning' | 'info'): boolean {
  const rank = { error: 3, warning: 2, info: 1 } as const;
  return report.findings.some((f) => !f.suppressed && rank[f.severity] >= rank[level]);
}
