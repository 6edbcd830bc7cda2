import { Construct } from 'constructs';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { dashboardBody } from '../model/plan-dashboard';
import type { PlannedDashboard } from '../model/plan-types';

export interface DeploymentDashboardProps {
  /** The planned dashboard (`plan.dashboard`). */
  readonly dashboard: PlannedDashboard;
  /**
   * Values for the `{{kind:id}}` placeholders of the planned metrics, by kind then id
   * (e.g. `{ healthCheck: { 'hc-use1': <health check id> } }`).
   */
  readonly placeholders: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/**
 * The deployment's CloudWatch dashboard, in the region the plan gives it (the DNS home region), with the
 * body `dashboardBody` builds from the planned widgets: the same body the AWS CDK renderer emits.
 * `aws_cloudwatch_dashboard` takes no tags.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
export class DeploymentDashboard extends Construct {
  public readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: DeploymentDashboardProps) {
    super(scope, id);
    const planned = props.dashboard;
    const body = dashboardBody(planned, (kind, ref) => {
      const value = props.placeholders[kind]?.[ref];
      if (value === undefined) {
        throw new Error(`dashboard ${planned.name}: placeholder {{${kind}:${ref}}} has no value; known ${kind} ids: ${Object.keys(props.placeholders[kind] ?? {}).join(', ') || 'none'}`);
      }
      return value;
    });
    this.dashboard = new CloudwatchDashboard(this, 'Resource', {
      region: planned.region,
      dashboardName: planned.name,
      dashboardBody: JSON.stringify(body),
    });
  }
}
