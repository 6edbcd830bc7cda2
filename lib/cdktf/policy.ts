import { PolicyViolationError } from '../model/errors';
import type { GeoPlan } from '../model/plan-types';
import { checkPlan } from '../policy';

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
