import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import type { FisExperimentTemplate } from '@cdktf/provider-aws/lib/fis-experiment-template';
import type { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import type { PlannedExperiment, PlannedExperimentTarget, PlannedResource, PlannedStatement } from '../model/plan-types';
import { RETENTION } from '../model/plan-data';
import { arn, logRetentionDays, policyDocument, preventDestroy, sortKeys, type AccountContext, type PolicyStatement } from './common';
import { LeanResource } from './lean';
import { FIS_EXPERIMENT_TEMPLATE, IAM_ROLE } from './lean-types';
import type { RegionalKey } from './regional-keys';

/** A planned statement as an IAM statement of the account, in the experiment's region. */
function policyStatement(experimentId: string, statement: PlannedStatement, ctx: AccountContext, region: string, targetArns: Readonly<Record<string, readonly string[]>>): PolicyStatement {
  const resources = statement.resources.flatMap((r: PlannedResource): string[] => {
    if (r === '*') return ['*'];
    if ('target' in r) {
      const found = targetArns[r.target];
      if (!found || found.length === 0) throw new Error(`experiment ${experimentId}: statement ${statement.sid} needs the ARN of target "${r.target}", which is not a target selected by ARN`);
      return [...found];
    }
    return [arn(r.arn.anyAccount ? { ...ctx, accountId: '*' } : ctx, r.arn.service, region, r.arn.resource)];
  });
  return {
    Sid: statement.sid,
    Effect: 'Allow',
    Action: [...statement.actions],
    Resource: resources.length === 1 ? resources[0] : resources,
    ...(statement.conditions ? { Condition: JSON.parse(JSON.stringify(statement.conditions)) as Record<string, Record<string, string | string[]>> } : {}),
  };
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
  public readonly template: LeanResource<typeof FisExperimentTemplate>;
  public readonly role: LeanResource<typeof IamRole>;
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
    const arnsByTarget: Record<string, readonly string[]> = Object.fromEntries(e.targets.map((t) => [t.key, targetArns(t)]));
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

    this.role = new LeanResource(this, 'Role', IAM_ROLE, {
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
      role: this.role.attr('name'),
      policy: policyDocument(e.statements.map((st) => policyStatement(e.id, st, account, region, arnsByTarget))),
    });

    this.template = new LeanResource(this, 'Resource', FIS_EXPERIMENT_TEMPLATE, {
      region,
      description: e.description,
      roleArn: this.role.attr('arn'),
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
