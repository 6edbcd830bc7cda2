import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { FisExperimentTemplate } from '@cdktf/provider-aws/lib/fis-experiment-template';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { PlannedExperiment, PlannedExperimentTarget } from '../model/plan-types';
import { RETENTION } from '../model/plan-data';
import { arn, logRetentionDays, policyDocument, preventDestroy, sortKeys, type AccountContext, type PolicyStatement } from './common';
import type { RegionalKey } from './regional-keys';

/** Permissions the FIS role needs for each experiment kind's actions, beyond log delivery. */
function actionStatements(kind: PlannedExperiment['kind'], ctx: AccountContext, region: string, resourceArns: readonly string[]): PolicyStatement[] {
  switch (kind) {
    case 'region-isolation': {
      // aws:network:route-table-disrupt-cross-region-connectivity swaps the target subnets' route tables
      // for copies without cross-region routes (tagged managedByFIS=true) and restores them afterwards.
      // Mutations are limited to this region, and deletions to what FIS itself created.
      const ec2 = (resource: string) => arn(ctx, 'ec2', region, resource);
      const fisTag = { 'aws:RequestTag/managedByFIS': 'true' };
      const fisOwned = { 'aws:ResourceTag/managedByFIS': 'true' };
      return [
        {
          Sid: 'DescribeNetwork',
          Effect: 'Allow',
          Action: [
            'ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets',
            'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeVpcs', 'ec2:GetManagedPrefixListEntries', 'tag:GetResources',
          ],
          Resource: '*',
        },
        {
          Sid: 'SwapSubnetRouteTables',
          Effect: 'Allow',
          Action: ['ec2:AssociateRouteTable', 'ec2:CreateRoute', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
          Resource: [ec2('route-table/*'), ec2('subnet/*')],
        },
        { Sid: 'CreateFisRouteTables', Effect: 'Allow', Action: 'ec2:CreateRouteTable', Resource: ec2('route-table/*'), Condition: { StringEquals: fisTag } },
        { Sid: 'CreateRouteTablesInVpc', Effect: 'Allow', Action: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable'], Resource: ec2('vpc/*') },
        { Sid: 'DeleteFisRouteTables', Effect: 'Allow', Action: 'ec2:DeleteRouteTable', Resource: ec2('route-table/*'), Condition: { StringEquals: fisOwned } },
        { Sid: 'CreateFisPrefixLists', Effect: 'Allow', Action: 'ec2:CreateManagedPrefixList', Resource: ec2('prefix-list/*'), Condition: { StringEquals: fisTag } },
        {
          Sid: 'ChangeFisPrefixLists',
          Effect: 'Allow',
          Action: ['ec2:DeleteManagedPrefixList', 'ec2:ModifyManagedPrefixList'],
          Resource: ec2('prefix-list/*'),
          Condition: { StringEquals: fisOwned },
        },
        {
          Sid: 'TagWhatFisCreates',
          Effect: 'Allow',
          Action: 'ec2:CreateTags',
          Resource: [ec2('route-table/*'), ec2('prefix-list/*')],
          Condition: { StringEquals: { 'ec2:CreateAction': ['CreateManagedPrefixList', 'CreateRouteTable'] } },
        },
      ];
    }
    case 'database-failover':
      return [
        { Sid: 'FailOverCluster', Effect: 'Allow', Action: 'rds:FailoverDBCluster', Resource: [...resourceArns] },
        { Sid: 'DescribeClusters', Effect: 'Allow', Action: ['rds:DescribeDBClusters', 'tag:GetResources'], Resource: '*' },
      ];
    case 'dynamodb-replication-pause':
      return [
        {
          Sid: 'PauseReplication',
          Effect: 'Allow',
          Action: ['dynamodb:DeleteResourcePolicy', 'dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:PutResourcePolicy'],
          Resource: [...resourceArns],
        },
        { Sid: 'FindTables', Effect: 'Allow', Action: 'tag:GetResources', Resource: '*' },
      ];
    case 'region-failover-rehearsal':
      // Planned only with automated region failover, which GeoTerraformStack refuses (./automation.ts).
      throw new Error('the region-failover rehearsal belongs to automated region failover, which the CDK for Terraform renderer does not render; see lib/cdktf/automation.ts');
  }
}

export interface FaultExperimentProps {
  readonly experiment: PlannedExperiment;
  readonly account: AccountContext;
  /** The experiment region's key (encrypts the log group). */
  readonly key: RegionalKey;
  /** ARN of each planned resource target (`cluster` / `table` in a region), by `<kind>:<region>`. */
  readonly resourceArns: Readonly<Record<string, string>>;
  /** ARN of each stop alarm, by planned alarm id. */
  readonly alarmArns: Readonly<Record<string, string>>;
  /**
   * Retention of the experiment log group, in days.
   * @default 365
   */
  readonly logRetentionDays?: number;
  readonly tags: Record<string, string>;
}

/**
 * A FIS experiment template with its own least-privilege role (trusted by `fis.amazonaws.com` for this
 * account only), logging to a CloudWatch log group encrypted with the region's key, and stopping on
 * the plan's stop alarms.
 *
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html
 */
export class FaultExperiment extends Construct {
  public readonly template: FisExperimentTemplate;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;

  constructor(scope: Construct, id: string, props: FaultExperimentProps) {
    super(scope, id);
    const e = props.experiment;
    const { account } = props;
    const region = e.region;
    const targetArns = (t: PlannedExperimentTarget): string[] => {
      if (!t.resource) return [];
      const k = `${t.resource.kind}:${t.resource.region}`;
      const found = props.resourceArns[k];
      if (!found) throw new Error(`experiment ${e.id}: target ${t.key} names ${k}, which this deployment does not create`);
      return [found];
    };
    const stopArns = e.stopAlarmIds.map((alarmId) => {
      const found = props.alarmArns[alarmId];
      if (!found) throw new Error(`experiment ${e.id}: stop alarm ${alarmId} is not one of the planned alarms`);
      return found;
    });

    this.logGroup = new CloudwatchLogGroup(this, 'Logs', {
      region,
      name: e.logGroupName,
      kmsKeyId: props.key.arn,
      retentionInDays: logRetentionDays(this.node.path, props.logRetentionDays ?? RETENTION.logRetentionDays),
      tags: props.tags,
      lifecycle: { preventDestroy: preventDestroy(RETENTION.logGroups) },
    });

    this.role = new IamRole(this, 'Role', {
      name: e.roleName,
      description: `FIS role of ${e.name}`,
      assumeRolePolicy: policyDocument([{
        Effect: 'Allow',
        Principal: { Service: 'fis.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': account.accountId },
          ArnLike: { 'aws:SourceArn': arn(account, 'fis', region, 'experiment/*') },
        },
      }]),
      tags: props.tags,
    });
    new IamRolePolicy(this, 'Policy', {
      name: `${e.roleName}-policy`,
      role: this.role.name,
      policy: policyDocument([
        ...actionStatements(e.kind, account, region, e.targets.flatMap(targetArns)),
        {
          Sid: 'DeliverLogs',
          Effect: 'Allow',
          Action: ['logs:CreateLogDelivery', 'logs:DescribeLogGroups', 'logs:DescribeResourcePolicies', 'logs:PutResourcePolicy'],
          Resource: '*',
        },
      ]),
    });

    this.template = new FisExperimentTemplate(this, 'Resource', {
      region,
      description: e.description.slice(0, 512),
      roleArn: this.role.arn,
      target: e.targets.map((t) => ({
        name: t.key,
        resourceType: t.resourceType,
        selectionMode: t.selectionMode,
        ...(t.resourceTags ? { resourceTag: Object.entries(sortKeys(t.resourceTags)).map(([key, value]) => ({ key, value })) } : {}),
        ...(t.resource ? { resourceArns: targetArns(t) } : {}),
      })),
      action: e.actions.map((a) => ({
        name: a.name,
        actionId: a.actionId,
        target: { key: a.targetKey, value: a.targetKey },
        ...(Object.keys(a.parameters).length > 0
          ? { parameter: Object.entries(sortKeys(a.parameters)).map(([key, value]) => ({ key, value })) }
          : {}),
        ...(a.startAfter ? { startAfter: [...a.startAfter] } : {}),
      })),
      stopCondition: stopArns.length > 0
        ? stopArns.map((value) => ({ source: 'aws:cloudwatch:alarm', value }))
        : [{ source: 'none' }],
      logConfiguration: {
        logSchemaVersion: 2,
        cloudwatchLogsConfiguration: { logGroupArn: `${this.logGroup.arn}:*` },
      },
      experimentOptions: { accountTargeting: 'single-account', emptyTargetResolutionMode: 'fail' },
      tags: sortKeys({ ...props.tags, Name: e.name }),
    });
  }
}
