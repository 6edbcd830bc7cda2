/**
 * Runs the policy engine on the plan while the app is being built, so `cdk synth` refuses designs that
 * break an error-level rule and shows the warnings as acknowledgeable annotations.
 */
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { PolicyViolationError, type GeoPlan } from '../model';
import { checkPlan } from '../policy';
import type { Finding, Report } from '../policy/types';

/** A policy engine entry point: plan in, report out (`checkPlan` of `meridian-geo/policy`). */
export type PlanChecker = (plan: GeoPlan) => Report;

/** Props of {@link PolicyCheck}. */
export interface PolicyCheckProps {
  /** The resolved deployment plan; its `suppressions` (from the spec) are applied by the engine. */
  readonly plan: GeoPlan;
  /**
   * The policy engine.
   *
   * @default - `checkPlan` of `meridian-geo/policy`
   */
  readonly check?: PlanChecker;
}

/** Thrown by {@link PolicyCheck} when the plan breaks error-level rules; carries the findings (one class for the library). */
export { PolicyViolationError };

/** Annotation id of a rule: `meridian:GEO-DNS-001`; acknowledge warnings with this id. */
export function ruleAnnotationId(ruleId: string): string {
  return `meridian:${ruleId}`;
}

function describe(f: Finding): string {
  const where = f.region && !f.resource.includes(f.region) ? `${f.resource} (${f.region})` : f.resource;
  const value = f.value !== undefined ? `; value ${String(f.value)}${f.limit !== undefined ? `, limit ${String(f.limit)}` : ''}` : '';
  return `${f.ruleId} ${where}: ${f.message}${value}`;
}

/**
 * The synth-time policy hook. At construction it runs the policy engine on the plan and:
 *
 * - throws one error listing every unsuppressed error-level finding (`<rule id> <resource>: <message>`),
 *   so `cdk synth` fails before any template is written;
 * - adds every unsuppressed warning (including findings the engine could not decide, `unknown`) as
 *   `Annotations.addWarningV2('meridian:<rule id>', …)`, which users acknowledge with
 *   `Annotations.of(scope).acknowledgeWarning('meridian:GEO-XXX-NNN', reason)`;
 * - adds info findings and suppressed findings (with the suppression's reason) as info annotations.
 *
 * Suppressions are written in the spec (`suppressions: [{ rule, reason, expires?, resource? }]`).
 */
export class PolicyCheck extends Construct {
  /** The engine's report. */
  public readonly report: Report;

  constructor(scope: Construct, id: string, props: PolicyCheckProps) {
    super(scope, id);
    const check = props.check ?? ((p: GeoPlan) => checkPlan(p));
    this.report = check(props.plan);

    const errors: string[] = [];
    const errorFindings: Finding[] = [];
    for (const f of this.report.findings) {
      if (f.suppressed) {
        Annotations.of(this).addInfo(`${describe(f)} (suppressed: ${f.suppressionReason ?? 'no reason given'})`);
      } else if (f.severity === 'error' && !f.unknown) {
        errors.push(describe(f));
        errorFindings.push(f);
      } else if (f.severity === 'error' || f.severity === 'warning') {
        Annotations.of(this).addWarningV2(ruleAnnotationId(f.ruleId), `${f.unknown ? '(unknown) ' : ''}${describe(f)}`);
      } else {
        Annotations.of(this).addInfo(describe(f));
      }
    }
    if (errors.length > 0) {
      throw new PolicyViolationError(`PolicyCheck ${this.node.path}: plan "${props.plan.name}" breaks ${errors.length} policy rule${errors.length > 1 ? 's' : ''}; fix the spec or add a suppression with a reason:\n  ${errors.join('\n  ')}`, errorFindings);
    }
  }
}
