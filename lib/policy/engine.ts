/** The engine: runs the rules over facts, applies suppressions, and summarises. */
import { factsFromPlan } from '../facts/from-plan';
import type { Facts, SuppressionFact } from '../facts/types';
import type { GeoPlan } from '../model/plan-types';
import { EvaluationMemo } from './memo';
import { isExpired } from './rules/meta-suppression-expired';
import { metaSuppressionUnmatched, unmatchedSuppressionFindings } from './rules/meta-suppression-unmatched';
import { RULE_IDS, RULES } from './rules';
import type { EvaluateOptions, Finding, Report, ReportSummary, Rule, RuleContext, RuleFinding } from './types';

/** META findings are about suppressions themselves; letting a suppression hide them would be circular. */
const UNSUPPRESSIBLE = /^GEO-META-/;

/** Suppressions that apply (reason given, not expired), in their original order within each bucket. */
interface Bucket {
  readonly items: { readonly s: SuppressionFact; readonly order: number }[];
  /** Set once any finding matched this bucket: every suppression in it matches that finding. */
  matched: boolean;
}

/**
 * Suppressions indexed by rule id, then by resource (absent resource = the whole rule), so matching a
 * finding costs a few map lookups instead of a scan of every suppression: 64k suppressions against
 * thousands of findings is linear, not a product.
 */
class SuppressionIndex {
  private readonly byRule = new Map<string, { any: Bucket; byResource: Map<string, Bucket> }>();

  constructor(suppressions: readonly SuppressionFact[], now: Date) {
    suppressions.forEach((s, order) => {
      if ((s.reason ?? '').trim().length === 0 || isExpired(s.expires, now)) return;
      let entry = this.byRule.get(s.rule);
      if (!entry) {
        entry = { any: { items: [], matched: false }, byResource: new Map() };
        this.byRule.set(s.rule, entry);
      }
      let bucket = entry.any;
      if (s.resource !== undefined) {
        bucket = entry.byResource.get(s.resource) ?? { items: [], matched: false };
        entry.byResource.set(s.resource, bucket);
      }
      bucket.items.push({ s, order });
    });
  }

  /** The first suppression (in spec order) that applies to the finding, marking every bucket it matched. */
  match(f: Omit<Finding, 'suppressed'>): SuppressionFact | undefined {
    if (UNSUPPRESSIBLE.test(f.ruleId)) return undefined;
    const entry = this.byRule.get(f.ruleId);
    if (!entry) return undefined;
    const buckets = [entry.any, entry.byResource.get(f.resource), f.region === undefined ? undefined : entry.byResource.get(f.region)];
    let best: { s: SuppressionFact; order: number } | undefined;
    for (const b of buckets) {
      const [first] = b?.items ?? [];
      if (!b || !first) continue;
      b.matched = true;
      if (!best || first.order < best.order) best = first;
    }
    return best?.s;
  }

  /** Applicable suppressions of the given rules that matched no finding. */
  unmatched(ranRules: ReadonlySet<string>): SuppressionFact[] {
    const out: { s: SuppressionFact; order: number }[] = [];
    for (const [rule, entry] of this.byRule) {
      if (!ranRules.has(rule) || UNSUPPRESSIBLE.test(rule)) continue;
      for (const b of [entry.any, ...entry.byResource.values()]) if (!b.matched) out.push(...b.items);
    }
    return out.sort((a, b) => a.order - b.order).map((x) => x.s);
  }
}

function toFindings(rule: Rule, raw: readonly RuleFinding[]): Omit<Finding, 'suppressed'>[] {
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

function runRule(rule: Rule, facts: Facts, ctx: RuleContext): Omit<Finding, 'suppressed'>[] {
  let raw: readonly RuleFinding[];
  try {
    raw = rule.check(facts, ctx);
  } catch (e) {
    // A rule that crashes on odd facts must not hide the others; report it as unknown.
    raw = [{ resource: 'policy', unknown: true, message: `rule failed on these facts: ${(e as Error).message}` }];
  }
  return toFindings(rule, raw);
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
  const ctx: RuleContext = { now, ruleIds: RULE_IDS, memo: new EvaluationMemo() };
  const index = new SuppressionIndex(facts.suppressions, now);
  const findings: Finding[] = [];
  for (const rule of rules) {
    for (const f of runRule(rule, facts, ctx)) {
      const s = index.match(f);
      findings.push(s ? { ...f, suppressed: true, suppressionReason: s.reason } : { ...f, suppressed: false });
    }
  }
  // Only once every rule has run is it known which suppressions matched nothing.
  if (rules.includes(metaSuppressionUnmatched)) {
    const unmatched = index.unmatched(new Set(rules.map((r) => r.id)));
    for (const f of toFindings(metaSuppressionUnmatched, unmatchedSuppressionFindings(unmatched))) findings.push({ ...f, suppressed: false });
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
