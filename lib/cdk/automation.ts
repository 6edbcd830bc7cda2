/**
 * Automated region failover (opt-in, `automation.regionFailover` in the spec): one ARC Region switch plan
 * per automated data partition, in the DNS home region next to the Route 53 health-check alarms it
 * watches, with its execution role and an EventBridge rule that sends every execution event to the DNS
 * alert topic. Everything it builds is decided in `plan.automation` (lib/model/plan-automation.ts).
 *
 * - Triggers: `activate` the target region when ALL conditions of one trigger hold: the primary's
 *   sustained-failure alarm (region loss) or its writer alarm (writer loss) is red, and the target's
 *   health-check alarm and replication-lag alarm are green. An alarm
 *   without data is INSUFFICIENT_DATA, which is neither red nor green, so unknown lag holds the trigger.
 *   https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-arcregionswitch-plan-triggercondition.html
 * - Lock: `MinDelayMinutesBetweenExecutions` (one automatic execution per day).
 *   https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html
 * - No automatic failback: there is no trigger for the old primary; a human runs the same workflow.
 * - Promotion: the Aurora global database step, switchover when graceful, FailoverGlobalCluster with
 *   AllowDataLoss when ungraceful.
 *   https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html
 * - Notifications: Region switch sends "ARC Region Switch Plan Execution" events (source
 *   `aws.arc-region-switch`) to EventBridge, best effort.
 *   https://docs.aws.amazon.com/eventbridge/latest/ref/events-ref-arc-region-switch.html
 */
import { Aws, Stack, Token, Validations } from 'aws-cdk-lib';
import { CfnPlan } from 'aws-cdk-lib/aws-arcregionswitch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { MeridianValidationError, type GeoPlan, type PlannedRegionFailover } from '../model';

/** Props of {@link RegionFailoverAutomation}. */
export interface RegionFailoverAutomationProps {
  /** The resolved deployment plan; the automation is taken from `plan.automation.regionFailover`. */
  readonly plan: GeoPlan;
  /** The DNS alert topic (home region) that every execution event is sent to. */
  readonly topic: sns.ITopic;
}

/** The Region switch plans, roles and notification rules of a deployment's automated region failover. */
export class RegionFailoverAutomation extends Construct {
  /** Region switch plans by data partition id. */
  public readonly plans: Record<string, CfnPlan> = {};
  /** Execution roles by data partition id. */
  public readonly roles: Record<string, iam.Role> = {};
  /** Notification rules by data partition id. */
  public readonly rules: Record<string, events.Rule> = {};

  constructor(scope: Construct, id: string, props: RegionFailoverAutomationProps) {
    super(scope, id);
    const { plan } = props;
    const failovers = plan.automation?.regionFailover ?? [];
    const stack = Stack.of(this);
    const wrong = failovers.filter((f) => !Token.isUnresolved(stack.region) && stack.region !== f.homeRegion);
    if (wrong.length > 0) {
      throw new MeridianValidationError({
        construct: `RegionFailoverAutomation ${this.node.path}`, prop: 'stack region', value: stack.region, allowed: wrong[0].homeRegion,
        message: `the stack is in ${stack.region} but the Region switch plan ${wrong[0].planName} and the alarms it watches live in ${wrong[0].homeRegion} (plan.dns.homeRegion); create RegionFailoverAutomation in the ${plan.dns.stackName} stack`,
      });
    }
    for (const f of failovers) this.render(f, props.topic);
  }

  private render(f: PlannedRegionFailover, topic: sns.ITopic): void {
    const scope = new Construct(this, f.partitionId);
    const arn = (template: string) => template.replace(/\{partition\}/g, Aws.PARTITION).replace(/\{account\}/g, Aws.ACCOUNT_ID);
    const role = new iam.Role(scope, 'Role', {
      roleName: f.roleName,
      assumedBy: new iam.ServicePrincipal('arc-region-switch.amazonaws.com', {
        // Only Region switch plans of this account may assume the role (confused deputy).
        conditions: { StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID } },
      }),
      description: `Meridian: executes the Region switch plan ${f.planName} (promotes ${f.globalClusterIdentifier})`,
    });
    for (const st of f.statements) {
      role.addToPolicy(new iam.PolicyStatement({ sid: st.sid, actions: [...st.actions], resources: st.resources.map(arn) }));
    }
    Validations.of(role).acknowledge(
      {
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason: `Execution role ${f.roleName} of ${f.planName}: rds:DescribeDBClusters and rds:DescribeGlobalClusters have no resource-level permissions (https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_aurora.html); the promotion itself is limited to ${f.globalClusterIdentifier} and its clusters`,
      },
      {
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: `Execution role ${f.roleName} of ${f.planName}: the inline policy is generated for exactly this plan's Aurora step and trigger alarms and is used by no other role`,
      },
    );
    this.roles[f.partitionId] = role;

    const associatedAlarms = Object.fromEntries([...f.triggerConditions, ...f.writerTriggerConditions].map((c) => [c.alarmName, {
      alarmType: 'trigger',
      resourceIdentifier: arn(`arn:{partition}:cloudwatch:${c.alarmRegion}:{account}:alarm:${c.alarmName}`),
    }]));
    const clusterArns = f.regions.map((r) => arn(`arn:{partition}:rds:${r}:{account}:cluster:${f.clusters[r]}`));
    this.plans[f.partitionId] = new CfnPlan(scope, 'Resource', {
      name: f.planName,
      description: `Meridian: promotes ${f.targetRegion} when ${f.primaryRegion} has been unhealthy for ${f.sustainedSeconds} s; failback is manual`,
      executionRole: role.roleArn,
      recoveryApproach: 'activePassive',
      primaryRegion: f.primaryRegion,
      regions: [...f.regions],
      recoveryTimeObjectiveMinutes: f.recoveryTimeObjectiveMinutes,
      // Keys are the alarm names, so a trigger condition names the CloudWatch alarm it reads.
      associatedAlarms,
      triggers: [f.triggerConditions, f.writerTriggerConditions].map((conditions) => ({
        action: 'activate',
        targetRegion: f.targetRegion,
        minDelayMinutesBetweenExecutions: f.minMinutesBetweenExecutions,
        description: conditions.map((c) => c.why).join('; '),
        conditions: conditions.map((c) => ({ associatedAlarmName: c.alarmName, condition: c.condition })),
      })),
      // One activate workflow for either region: the trigger uses it for the target, an operator for failback.
      workflows: [{
        workflowTargetAction: 'activate',
        workflowDescription: `Promote the Aurora global database ${f.globalClusterIdentifier} in the activated region`,
        steps: [{
          name: 'promote-global-database',
          description: 'Switchover (no data loss) when graceful; failover with data loss allowed when the primary region is lost',
          executionBlockType: 'AuroraGlobalDatabase',
          executionBlockConfiguration: {
            globalAuroraConfig: {
              behavior: f.promotion.behavior,
              ungraceful: { ungraceful: f.promotion.ungraceful },
              globalClusterIdentifier: f.globalClusterIdentifier,
              databaseClusterArns: clusterArns,
              timeoutMinutes: f.promotion.timeoutMinutes,
            },
          },
        }],
      }],
    });
    this.plans[f.partitionId].node.addDependency(role);

    // Every execution event (start, each step, end, failure) goes to the alert topic.
    const rule = new events.Rule(scope, 'Notifications', {
      ruleName: f.notificationRuleName,
      description: `Meridian: every execution event of the Region switch plan ${f.planName} to ${f.notificationTopicName}`,
      eventPattern: {
        source: ['aws.arc-region-switch'],
        detailType: ['ARC Region Switch Plan Execution'],
        resources: [this.plans[f.partitionId].attrArn],
      },
    });
    rule.addTarget(new targets.SnsTopic(topic));
    this.rules[f.partitionId] = rule;
  }
}
