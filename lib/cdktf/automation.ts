/**
 * Automated region failover is not rendered by the CDK for Terraform renderer, and is refused rather
 * than dropped: a deployment that asked for it must not silently get the human-decided one.
 *
 * Why: the plan is an ARC Region switch plan (`AWS::ARCRegionSwitch::Plan`, with alarm triggers and an
 * Aurora global database step). The frozen AWS provider 6.25 in `@cdktf/provider-aws` has no Region
 * switch resource (no `lib/arcregionswitch-*`). Rebuilding the plan from EventBridge, Step Functions and
 * CloudWatch (which 6.25 has) would be a second failover engine with its own trigger, lock and guard
 * semantics, which `plan()` does not describe, so the two renderers would no longer build the same thing.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-arcregionswitch-plan.html
 */
import type { ValidationProblem } from '../model/errors';
import type { GeoPlan } from '../model/plan-types';

/** The problem to report when the plan asks for automation this renderer cannot build; none otherwise. */
export function automationProblems(plan: GeoPlan, construct: string): ValidationProblem[] {
  const failovers = plan.automation?.regionFailover ?? [];
  if (failovers.length === 0) return [];
  return [{
    construct,
    prop: 'plan.automation.regionFailover',
    value: failovers.map((f) => f.planName),
    allowed: 'absent (automation.regionFailover.enabled: false)',
    message: `plan.automation.regionFailover (${failovers.map((f) => f.planName).join(', ')}) cannot be rendered with CDK for Terraform: AWS provider 6.25 has no ARC Region switch plan resource. Render this plan with the AWS CDK renderer (GeoDeployment), or set automation.regionFailover.enabled to false to keep the human decision`,
  }];
}
