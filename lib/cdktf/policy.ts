import { PolicyViolationError } from '../model/errors';
import type { GeoPlan } from '../model/plan-types';
import { factsFromTerraform } from '../facts/from-terraform';
import type { SuppressionFact } from '../facts/types';
import { checkPlan, evaluate } from '../policy';
import type { Finding } from '../policy/types';

/** The part of a policy finding the gate reads (a subset of `meridian-geo/policy`'s `Finding`). */
export interface GateFinding {
  readonly ruleId: string;
  readonly severity: 'error' | 'warning' | 'info';
  readonly message: string;
  readonly resource?: string;
  readonly suppressed: boolean;
  readonly unknown?: boolean;
}

/** The part of a policy report the gate reads. */
export interface GateReport {
  readonly findings: readonly GateFinding[];
}

/** A function that checks a plan, such as `checkPlan` of `meridian-geo/policy`. */
export type PlanChecker = (plan: GeoPlan) => GateReport;

/** Thrown when the policy engine reports unsuppressed errors; synthesis stops (one class for the library). */
export { PolicyViolationError };

/** The policy engine's `checkPlan` (`meridian-geo/policy`): the default checker of the gate. */
export const defaultPlanChecker: PlanChecker = (plan) => checkPlan(plan);

/**
 * Runs the checker on the plan and throws {@link PolicyViolationError} listing every unsuppressed
 * error finding at once. Returns the report so callers can surface warnings.
 */
export function enforcePolicy(plan: GeoPlan, checker: PlanChecker): GateReport {
  const report = checker(plan);
  const errors = report.findings.filter((f) => f.severity === 'error' && !f.suppressed);
  if (errors.length > 0) throw PolicyViolationError.forPlan(plan.name, errors);
  return report;
}

/** What the check of the synthesized Terraform JSON found: errors fail synthesis, warnings are printed. */
export interface JsonCheckResult {
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
}

function line(f: Finding): string {
  const value = f.value !== undefined ? ` (value ${String(f.value)}${f.limit !== undefined ? `, limit ${String(f.limit)}` : ''})` : '';
  return `${f.ruleId}${f.unknown ? ' (unknown)' : ''} [${f.resource}]: ${f.message}${value}`;
}

/**
 * Runs the policy rules on a stack's synthesized Terraform JSON, read back into facts (lib/facts), so an
 * override or escape hatch that breaks a rule is caught like a bad spec. The plan's suppressions apply.
 */
export function checkTerraformJson(json: unknown, file: string, suppressions: readonly SuppressionFact[] = []): JsonCheckResult {
  const set = factsFromTerraform([{ file, json }], file);
  const findings = set.facts.flatMap((facts) => evaluate({ ...facts, suppressions: [...facts.suppressions, ...suppressions] }).findings)
    .filter((f) => !f.suppressed);
  return {
    errors: findings.filter((f) => f.severity === 'error' && !f.unknown).map(line),
    warnings: findings.filter((f) => f.severity === 'warning' || (f.severity === 'error' && f.unknown)).map(line),
  };
}
