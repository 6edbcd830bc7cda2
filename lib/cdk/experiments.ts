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
import { FIS_ACTIONS, SUPPORTED_FIS_ACTIONS, SUPPORTED_FIS_TARGETS, type GeoPlan, type PlannedExperiment, type PlannedExperimentTarget, type PlannedRegion, type PlannedResource, type PlannedStatement } from '../model';
import { applyTags, checkKeyRegion, findRegion, removalPolicy } from './tags';
import { need } from '../model/lookup';

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
 * - targets from the plan (subnets by tag: every subnet of the deployment for region isolation, the data tier
 *   for the failover rehearsal; the region's Aurora cluster or DynamoDB table by ARN);
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
      for (const statement of exp.statements) role.addToPolicy(this.policyStatement(exp, statement, targetArns));

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
        ? exp.stopAlarmIds.map((alarmId) => ({ source: 'aws:cloudwatch:alarm', value: need(props.alarms, alarmId, 'stop alarm').alarmArn }))
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

  /** A planned statement as an IAM statement of this stack's partition, region and account. */
  private policyStatement(exp: PlannedExperiment, statement: PlannedStatement, targetArns: Readonly<Record<string, string>>): iam.PolicyStatement {
    const stack = Stack.of(this);
    const resource = (r: PlannedResource): string => {
      if (r === '*') return '*';
      if ('target' in r) {
        const found = targetArns[r.target];
        if (found === undefined) {
          throw new Error(`FailoverExperiments ${this.node.path}: experiment ${exp.id} statement ${statement.sid} needs the ARN of target "${r.target}", which is not a target selected by ARN (${Object.keys(targetArns).join(', ') || 'none'})`);
        }
        return found;
      }
      return `arn:${stack.partition}:${r.arn.service}:${stack.region}:${r.arn.anyAccount ? '*' : stack.account}:${r.arn.resource}`;
    };
    return new iam.PolicyStatement({
      sid: statement.sid,
      actions: [...statement.actions],
      resources: statement.resources.map(resource),
      conditions: statement.conditions ? JSON.parse(JSON.stringify(statement.conditions)) as Record<string, unknown> : undefined,
    });
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
      if (!SUPPORTED_FIS_ACTIONS.includes(a.actionId)) {
        problems.push(`experiment ${exp.id}: action ${a.name} uses ${a.actionId}; supported: ${SUPPORTED_FIS_ACTIONS.join(', ')}`);
      }
      const target = exp.targets.find((t) => t.key === a.targetKey);
      if (!target) {
        problems.push(`experiment ${exp.id}: action ${a.name} targets "${a.targetKey}", which is not one of the experiment's targets (${exp.targets.map((t) => t.key).join(', ')})`);
      } else {
        const needed = FIS_ACTIONS[a.actionId]?.targetType;
        if (needed !== undefined && target.resourceType !== needed) {
          problems.push(`experiment ${exp.id}: action ${a.name} (${a.actionId}) needs a target of type ${needed}, but ${target.key} is ${target.resourceType}`);
        }
      }
    }
    for (const t of exp.targets) {
      if (!SUPPORTED_FIS_TARGETS.includes(t.resourceType)) {
        problems.push(`experiment ${exp.id}: target ${t.key} has resource type ${t.resourceType}; supported: ${SUPPORTED_FIS_TARGETS.join(', ')}`);
      }
    }
  }
  if (problems.length > 0) throw new Error(`${who}:\n  - ${problems.join('\n  - ')}`);
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
