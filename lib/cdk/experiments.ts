/**
 * AWS FIS experiment templates of one region, from the plan: region isolation, Aurora writer
 * failover, DynamoDB replication pause. Each template gets its own least-privilege role, stops on the
 * region's critical alarms, and logs to an encrypted log group.
 */
import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as fis from 'aws-cdk-lib/aws-fis';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import { Construct } from 'constructs';
import type { GeoPlan, PlannedExperiment, PlannedExperimentAction, PlannedExperimentTarget, PlannedRegion } from '../model';
import { applyTags, checkKeyRegion, findRegion, removalPolicy } from './tags';

/** FIS action ids this construct knows the permissions of. */
export const SUPPORTED_FIS_ACTIONS = [
  'aws:network:route-table-disrupt-cross-region-connectivity',
  'aws:rds:failover-db-cluster',
  'aws:dynamodb:global-table-pause-replication',
  'aws:network:disrupt-connectivity',
] as const;

/** FIS target resource types this construct can resolve. */
export const SUPPORTED_FIS_TARGETS = ['aws:ec2:subnet', 'aws:rds:cluster', 'aws:dynamodb:global-table'] as const;

/**
 * The target resource type each supported action acts on; FIS refuses a template whose action
 * targets another type.
 *
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html
 */
export const FIS_ACTION_TARGET_TYPES: Readonly<Record<(typeof SUPPORTED_FIS_ACTIONS)[number], (typeof SUPPORTED_FIS_TARGETS)[number]>> = {
  'aws:network:route-table-disrupt-cross-region-connectivity': 'aws:ec2:subnet',
  'aws:rds:failover-db-cluster': 'aws:rds:cluster',
  'aws:dynamodb:global-table-pause-replication': 'aws:dynamodb:global-table',
  'aws:network:disrupt-connectivity': 'aws:ec2:subnet',
};

/** The tag FIS puts on the route tables, prefix lists and interfaces it creates, and that it alone may delete. */
const FIS_MANAGED_TAG = 'managedByFIS';

/** Props of {@link FailoverExperiments}. */
export interface FailoverExperimentsProps {
  /** The resolved deployment plan; experiments are taken from `plan.experiments`. */
  readonly plan: GeoPlan;
  /** The region whose experiments to create (the stack's region); must be one of `plan.regions`. */
  readonly region: string;
  /** Customer-managed key of the region, owned by the region: encrypts the experiment log groups. */
  readonly key: kms.IKey;
  /**
   * The region's alarms by planned alarm id (for example `ReplicationLagAlarms.alarms`); every
   * `stopAlarmIds` entry of the region's experiments must be here.
   */
  readonly alarms: Readonly<Record<string, cloudwatch.IAlarm>>;
  /**
   * The Aurora cluster of this region, target of `aws:rds:failover-db-cluster`.
   *
   * @default - the ARN of the planned cluster identifier (`clusterIdentifier` of the region) in this
   * stack's account and region.
   */
  readonly cluster?: rds.IDatabaseCluster | { readonly clusterArn: string };
  /**
   * The DynamoDB global table replica of this region, target of
   * `aws:dynamodb:global-table-pause-replication`.
   *
   * @default - the ARN of the planned table name of the region's data partition in this stack's
   * account and region.
   */
  readonly table?: dynamodb.ITableV2 | { readonly tableArn: string };
  /**
   * How long experiment logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * One `AWS::FIS::ExperimentTemplate` per planned experiment of `region`, each with:
 *
 * - targets from the plan (data subnets by tag; the region's Aurora cluster or DynamoDB table by ARN);
 * - actions with the planned action ids and parameters;
 * - stop conditions on the planned stop alarms (`aws:cloudwatch:alarm` with their ARNs), or `none`
 *   when the plan lists no stop alarm;
 * - an IAM role named `roleName` that only `fis.amazonaws.com` acting for this account can assume,
 *   with only the permissions its actions need, scoped to the region, the account and, where the
 *   action allows it, the target resource or the resources FIS tags `managedByFIS=true`;
 * - a log group `logGroupName` encrypted with `key`, with retention, retained on delete;
 * - tags: `Name` = experiment name, plus the region's plan tags.
 */
export class FailoverExperiments extends Construct {
  /** The experiment templates, by planned experiment id. */
  public readonly templates: Record<string, fis.CfnExperimentTemplate> = {};
  /** The experiment roles, by planned experiment id. */
  public readonly roles: Record<string, iam.Role> = {};
  /** The experiment log groups, by planned experiment id. */
  public readonly logGroups: Record<string, logs.LogGroup> = {};

  constructor(scope: Construct, id: string, props: FailoverExperimentsProps) {
    super(scope, id);
    const who = `FailoverExperiments ${this.node.path}`;
    const region = findRegion(props.plan, props.region, 'FailoverExperiments');
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && stack.region !== region.name) {
      throw new Error(`${who}: region is ${region.name} but the stack is in ${stack.region}; FIS experiments act in their own region, so create this construct in the ${region.name} stack`);
    }
    checkKeyRegion(props.key, region.name, who, 'the experiment log groups');
    const experiments = props.plan.experiments.filter((e) => e.region === region.name);
    validate(who, experiments, props);

    for (const exp of experiments) {
      const scopeOf = new Construct(this, exp.id);
      const logGroup = new logs.LogGroup(scopeOf, 'Logs', {
        logGroupName: exp.logGroupName,
        encryptionKey: props.key,
        retention: props.logRetention ?? props.plan.retention.logRetentionDays,
        removalPolicy: removalPolicy(props.plan.retention.logGroups),
      });
      allowLogsToUseKey(props.key, stack, exp.logGroupName);

      const targetArns: Record<string, string> = {};
      const targets: Record<string, fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty> = {};
      for (const t of exp.targets) {
        if (t.resourceTags) {
          targets[t.key] = { resourceType: t.resourceType, selectionMode: t.selectionMode, resourceTags: { ...t.resourceTags } };
        } else {
          const arn = this.resourceArn(t, region, props);
          targetArns[t.key] = arn;
          targets[t.key] = { resourceType: t.resourceType, selectionMode: t.selectionMode, resourceArns: [arn] };
        }
      }

      const role = new iam.Role(scopeOf, 'Role', {
        roleName: exp.roleName,
        description: `Meridian ${props.plan.name}: runs the FIS experiment ${exp.name}`,
        assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
          conditions: {
            StringEquals: { 'aws:SourceAccount': stack.account },
            ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
          },
        }),
      });
      for (const statement of actionStatements(exp, stack, targetArns, props.plan)) role.addToPolicy(statement);
      for (const statement of loggingStatements(stack)) role.addToPolicy(statement);

      const actions: Record<string, fis.CfnExperimentTemplate.ExperimentTemplateActionProperty> = {};
      for (const a of exp.actions) {
        actions[a.name] = {
          actionId: a.actionId,
          description: `${exp.name}: ${a.name}`,
          parameters: Object.keys(a.parameters).length > 0 ? { ...a.parameters } : undefined,
          targets: { [a.targetKey]: a.targetKey },
          startAfter: a.startAfter ? [...a.startAfter] : undefined,
        };
      }

      const stopConditions = exp.stopAlarmIds.length > 0
        ? exp.stopAlarmIds.map((alarmId) => ({ source: 'aws:cloudwatch:alarm', value: props.alarms[alarmId].alarmArn }))
        : [{ source: 'none' }];

      const template = new fis.CfnExperimentTemplate(scopeOf, 'Resource', {
        description: exp.description,
        roleArn: role.roleArn,
        targets,
        actions,
        stopConditions,
        logConfiguration: {
          logSchemaVersion: 2,
          cloudWatchLogsConfiguration: { LogGroupArn: logGroup.logGroupArn },
        },
        tags: { ...region.tags, Name: exp.name },
      });
      // The role's policy must exist before FIS validates the template against it.
      template.node.addDependency(role);

      this.templates[exp.id] = template;
      this.roles[exp.id] = role;
      this.logGroups[exp.id] = logGroup;
    }
    applyTags(this, region.tags);
  }

  private resourceArn(target: PlannedExperimentTarget, region: PlannedRegion, props: FailoverExperimentsProps): string {
    const stack = Stack.of(this);
    if (target.resource?.kind === 'cluster') {
      if (props.cluster) return props.cluster.clusterArn;
      return stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: region.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    }
    if (props.table) return props.table.tableArn;
    const partition = props.plan.data.partitions.find((p) => p.regions.includes(region.name));
    if (!partition) {
      throw new Error(`FailoverExperiments ${this.node.path}: no data partition of plan "${props.plan.name}" holds ${region.name}; pass \`table\``);
    }
    return stack.formatArn({ service: 'dynamodb', resource: 'table', resourceName: partition.tableName });
  }
}

/** Every problem of the region's experiments, reported at once. */
function validate(who: string, experiments: readonly PlannedExperiment[], props: FailoverExperimentsProps): void {
  const problems: string[] = [];
  for (const exp of experiments) {
    const missing = exp.stopAlarmIds.filter((id) => !props.alarms[id]);
    if (missing.length > 0) {
      const known = Object.keys(props.alarms);
      problems.push(`experiment ${exp.id}: stop alarm${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing from \`alarms\` (given: ${known.length > 0 ? known.join(', ') : 'none'}); pass the region's alarms, e.g. ReplicationLagAlarms.alarms`);
    }
    for (const a of exp.actions) {
      if (!(SUPPORTED_FIS_ACTIONS as readonly string[]).includes(a.actionId)) {
        problems.push(`experiment ${exp.id}: action ${a.name} uses ${a.actionId}; supported: ${SUPPORTED_FIS_ACTIONS.join(', ')}`);
      }
      const target = exp.targets.find((t) => t.key === a.targetKey);
      if (!target) {
        problems.push(`experiment ${exp.id}: action ${a.name} targets "${a.targetKey}", which is not one of the experiment's targets (${exp.targets.map((t) => t.key).join(', ')})`);
      } else {
        const needed = (FIS_ACTION_TARGET_TYPES as Readonly<Record<string, string>>)[a.actionId];
        if (needed !== undefined && target.resourceType !== needed) {
          problems.push(`experiment ${exp.id}: action ${a.name} (${a.actionId}) needs a target of type ${needed}, but ${target.key} is ${target.resourceType}`);
        }
      }
    }
    for (const t of exp.targets) {
      if (!(SUPPORTED_FIS_TARGETS as readonly string[]).includes(t.resourceType)) {
        problems.push(`experiment ${exp.id}: target ${t.key} has resource type ${t.resourceType}; supported: ${SUPPORTED_FIS_TARGETS.join(', ')}`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`${who}:\n  - ${problems.join('\n  - ')}`);
}

/**
 * The permissions of the experiment's actions, and nothing else.
 *
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html
 */
function actionStatements(exp: PlannedExperiment, stack: Stack, targetArns: Readonly<Record<string, string>>, plan: GeoPlan): iam.PolicyStatement[] {
  const statements: iam.PolicyStatement[] = [];
  const seen = new Set<string>();
  for (const action of exp.actions) {
    const key = `${action.actionId}/${action.targetKey}`;
    if (seen.has(key)) continue;
    seen.add(key);
    statements.push(...statementsFor(action, stack, targetArns[action.targetKey], plan));
  }
  return statements;
}

function statementsFor(action: PlannedExperimentAction, stack: Stack, targetArn: string | undefined, plan: GeoPlan): iam.PolicyStatement[] {
  const ec2 = (resource: string) => stack.formatArn({ service: 'ec2', resource, resourceName: '*' });
  const managed = { StringEquals: { [`aws:ResourceTag/${FIS_MANAGED_TAG}`]: 'true' } };
  const tagging = { StringEquals: { [`aws:RequestTag/${FIS_MANAGED_TAG}`]: 'true' } };
  switch (action.actionId) {
    case 'aws:network:route-table-disrupt-cross-region-connectivity':
      return [
        resolveTargets(),
        new iam.PolicyStatement({
          sid: 'DescribeNetwork',
          actions: [
            'ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables',
            'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeVpcs',
          ],
          resources: ['*'], // EC2 Describe* calls have no resource-level permissions
        }),
        new iam.PolicyStatement({
          sid: 'SwapSubnetRouteTables',
          actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'],
          resources: [ec2('route-table'), ec2('subnet')],
        }),
        new iam.PolicyStatement({
          // FIS fills only the route tables it created; the application's route tables stay untouchable.
          sid: 'AddRoutesToManagedRouteTable',
          actions: ['ec2:CreateRoute'],
          resources: [ec2('route-table')],
          conditions: managed,
        }),
        new iam.PolicyStatement({
          sid: 'CreateManagedRouteTable',
          actions: ['ec2:CreateRouteTable'],
          resources: [ec2('route-table')],
          conditions: tagging,
        }),
        new iam.PolicyStatement({
          // The VPC is a second resource of these calls; the route table itself is checked above/below.
          sid: 'ManageRouteTablesInVpc',
          actions: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable'],
          resources: [ec2('vpc')],
        }),
        new iam.PolicyStatement({
          sid: 'DeleteManagedRouteTable',
          actions: ['ec2:DeleteRouteTable'],
          resources: [ec2('route-table')],
          conditions: managed,
        }),
        new iam.PolicyStatement({
          sid: 'CreateManagedPrefixList',
          actions: ['ec2:CreateManagedPrefixList'],
          resources: [ec2('prefix-list')],
          conditions: tagging,
        }),
        new iam.PolicyStatement({
          sid: 'ChangeManagedPrefixList',
          actions: ['ec2:ModifyManagedPrefixList', 'ec2:DeleteManagedPrefixList'],
          resources: [ec2('prefix-list')],
          conditions: managed,
        }),
        new iam.PolicyStatement({
          // Read-only; AWS-managed prefix lists are owned by the account "aws", hence the wildcard account.
          sid: 'ReadPrefixListEntries',
          actions: ['ec2:GetManagedPrefixListEntries'],
          resources: [stack.formatArn({ service: 'ec2', account: '*', resource: 'prefix-list', resourceName: '*' })],
        }),
        new iam.PolicyStatement({
          sid: 'CreateManagedNetworkInterface',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [ec2('network-interface')],
          conditions: tagging,
        }),
        new iam.PolicyStatement({
          sid: 'CreateNetworkInterfaceInSubnet',
          actions: ['ec2:CreateNetworkInterface'],
          resources: [ec2('subnet'), ec2('security-group')],
        }),
        new iam.PolicyStatement({
          sid: 'DeleteManagedNetworkInterface',
          actions: ['ec2:DeleteNetworkInterface'],
          resources: [ec2('network-interface')],
          conditions: managed,
        }),
        new iam.PolicyStatement({
          sid: 'TagOnlyWhatFisCreates',
          actions: ['ec2:CreateTags'],
          resources: [ec2('route-table'), ec2('prefix-list'), ec2('network-interface')],
          conditions: {
            StringEquals: {
              'ec2:CreateAction': ['CreateRouteTable', 'CreateManagedPrefixList', 'CreateNetworkInterface'],
              [`aws:RequestTag/${FIS_MANAGED_TAG}`]: 'true',
            },
          },
        }),
        new iam.PolicyStatement({
          sid: 'RerouteGatewayEndpoints',
          actions: ['ec2:ModifyVpcEndpoint'],
          resources: [ec2('vpc-endpoint'), ec2('route-table')],
        }),
      ];
    case 'aws:network:disrupt-connectivity':
      // The region-failover rehearsal: FIS swaps the target subnets' network ACL for one it creates (tagged
      // managedByFIS) that denies the traffic, and restores the original association afterwards.
      // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSFaultInjectionSimulatorNetworkAccess.html
      return [
        resolveTargets(),
        new iam.PolicyStatement({
          sid: 'DescribeNetworkAcls',
          actions: ['ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs', 'ec2:DescribeManagedPrefixLists'],
          resources: ['*'], // EC2 Describe* calls have no resource-level permissions
        }),
        new iam.PolicyStatement({
          sid: 'CreateManagedNetworkAcl',
          actions: ['ec2:CreateNetworkAcl'],
          resources: [ec2('network-acl')],
          conditions: tagging,
        }),
        new iam.PolicyStatement({
          sid: 'CreateNetworkAclInVpc',
          actions: ['ec2:CreateNetworkAcl'],
          resources: [ec2('vpc')],
        }),
        new iam.PolicyStatement({
          sid: 'TagOnlyTheNetworkAclFisCreates',
          actions: ['ec2:CreateTags'],
          resources: [ec2('network-acl')],
          conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl', [`aws:RequestTag/${FIS_MANAGED_TAG}`]: 'true' } },
        }),
        new iam.PolicyStatement({
          sid: 'FillAndDeleteManagedNetworkAcl',
          actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'],
          resources: [ec2('network-acl')],
          conditions: managed,
        }),
        new iam.PolicyStatement({
          // Moves a subnet between its own ACL and the FIS one; the subnet and both ACLs are resources of the call.
          sid: 'SwapSubnetNetworkAcl',
          actions: ['ec2:ReplaceNetworkAclAssociation'],
          resources: [ec2('network-acl'), ec2('subnet')],
        }),
        new iam.PolicyStatement({
          // Read-only; AWS-managed prefix lists are owned by the account "aws", hence the wildcard account.
          sid: 'ReadPrefixListEntries',
          actions: ['ec2:GetManagedPrefixListEntries'],
          resources: [stack.formatArn({ service: 'ec2', account: '*', resource: 'prefix-list', resourceName: '*' })],
        }),
      ];
    case 'aws:rds:failover-db-cluster':
      return [
        new iam.PolicyStatement({
          sid: 'FailoverTargetCluster',
          actions: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'],
          resources: [requireArn(targetArn, action)],
        }),
        resolveTargets(),
      ];
    case 'aws:dynamodb:global-table-pause-replication':
      return [
        new iam.PolicyStatement({
          sid: 'PauseTargetTableReplication',
          actions: [
            'dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy',
            // FIS pauses a multi-Region strong consistency (MRSC) table by injecting errors.
            ...(plan.data.engine === 'dynamodb' && plan.data.consistency === 'strong' ? ['dynamodb:InjectError'] : []),
          ],
          resources: [requireArn(targetArn, action)],
        }),
        resolveTargets(),
      ];
    default:
      throw new Error(`FailoverExperiments: no permissions known for FIS action ${action.actionId}; supported: ${SUPPORTED_FIS_ACTIONS.join(', ')}`);
  }
}

/** FIS resolves targets through the Resource Groups Tagging API; read-only, no resource-level permissions. */
function resolveTargets(): iam.PolicyStatement {
  return new iam.PolicyStatement({ sid: 'ResolveTargets', actions: ['tag:GetResources'], resources: ['*'] });
}

function requireArn(arn: string | undefined, action: PlannedExperimentAction): string {
  if (arn === undefined) {
    throw new Error(`FailoverExperiments: action ${action.name} (${action.actionId}) targets "${action.targetKey}", which is selected by tags; it needs a target selected by ARN`);
  }
  return arn;
}

/**
 * What FIS needs to deliver experiment logs to CloudWatch Logs (vended log delivery).
 *
 * @see https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/AWS-logs-and-resource-policy.html#AWS-logs-infrastructure-CWL
 */
function loggingStatements(stack: Stack): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DeliverExperimentLogs',
      actions: ['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies'],
      resources: ['*'], // these log-delivery calls have no resource-level permissions
    }),
    new iam.PolicyStatement({
      sid: 'FindExperimentLogGroup',
      actions: ['logs:DescribeLogGroups'],
      resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME })],
    }),
  ];
}

/**
 * Lets CloudWatch Logs of this region encrypt the log group with `key`, for this log group only.
 * No-op for imported keys: their key policy must allow it already.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
function allowLogsToUseKey(key: kms.IKey, stack: Stack, logGroupName: string): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: `AllowLogs${logGroupName.replace(/[^A-Za-z0-9]/g, '')}`,
    principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: {
      ArnEquals: {
        'kms:EncryptionContext:aws:logs:arn': stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: logGroupName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }),
      },
    },
  }));
}
