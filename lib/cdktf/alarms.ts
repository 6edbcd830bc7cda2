import { Construct } from 'constructs';
import type { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy';
import type { PlannedAlarm, PlannedTopicPolicy } from '../model/plan-types';
import { arn, policyDocument, sortKeys, type AccountContext, type PolicyStatement } from './common';
import { LeanResource } from './lean';
import { CLOUDWATCH_METRIC_ALARM } from './lean-types';
import type { RegionalKey } from './regional-keys';

const PLACEHOLDER = /\{\{(\w+):([^}]+)\}\}/g;

export interface AlertTopicProps {
  readonly region: string;
  readonly topicName: string;
  /** The region's own key; the topic is encrypted with it. */
  readonly key: RegionalKey;
  /**
   * Email address subscribed to the topic (the subscription must be confirmed by its owner).
   * @default - no subscription
   */
  readonly email?: string;
  readonly tags: Record<string, string>;
  /** The planned topic policy (`plan.alarms.topicPolicy`) and the account whose alarms may publish. */
  readonly policy: { readonly planned: PlannedTopicPolicy; readonly account: AccountContext };
}

/**
 * An SNS topic for alarms, encrypted with its region's customer-managed key, with the planned topic
 * policy: TLS only, and CloudWatch alarms of this account and region allowed to publish.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 */
export class AlertTopic extends Construct {
  public readonly topic: SnsTopic;
  /** ARN of the topic, read once for every alarm that notifies it (each read of `topic.arn` is a new token). */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, 'Resource', {
      region: props.region,
      name: props.topicName,
      kmsMasterKeyId: props.key.arn,
      tags: props.tags,
    });
    this.arn = this.topic.arn;
    const { planned, account } = props.policy;
    const statements: PolicyStatement[] = [
      ...(planned.enforceTls ? [{
        Sid: 'AllowPublishThroughSSLOnly', Effect: 'Deny' as const, Principal: '*' as const, Action: 'sns:Publish', Resource: this.arn,
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }] : []),
      ...(planned.allowCloudWatchAlarms ? [{
        Sid: 'AllowCloudWatchAlarmsOfThisAccount', Effect: 'Allow' as const, Principal: { Service: 'cloudwatch.amazonaws.com' },
        Action: 'sns:Publish', Resource: this.arn,
        Condition: { StringEquals: { 'aws:SourceAccount': account.accountId }, ArnLike: { 'aws:SourceArn': arn(account, 'cloudwatch', props.region, 'alarm:*') } },
      }] : []),
    ];
    if (statements.length > 0) {
      new SnsTopicPolicy(this, 'Policy', { region: props.region, arn: this.arn, policy: policyDocument(statements) });
    }
    if (props.email) {
      new SnsTopicSubscription(this, 'Email', {
        region: props.region, topicArn: this.arn, protocol: 'email', endpoint: props.email,
      });
    }
  }
}

export interface PlannedMetricAlarmProps {
  readonly alarm: PlannedAlarm;
  /** Topic notified on ALARM and OK, in the alarm's region. */
  readonly topic: AlertTopic;
  /**
   * Values for the `{{kind:id}}` placeholders the plan leaves in dimensions, by kind then id
   * (e.g. `{ healthCheck: { 'hc-use1': <health check id> } }`).
   */
  readonly placeholders: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly tags: Record<string, string>;
}

/** Replaces the plan's `{{kind:id}}` placeholders; throws on one it cannot fill. */
export function fillPlaceholders(value: string, placeholders: PlannedMetricAlarmProps['placeholders'], where: string): string {
  return value.replace(PLACEHOLDER, (whole, kind: string, id: string) => {
    const v = placeholders[kind]?.[id];
    if (v === undefined) {
      throw new Error(`${where}: cannot resolve ${whole}; known ${kind} ids: ${Object.keys(placeholders[kind] ?? {}).join(', ') || 'none'}`);
    }
    return v;
  });
}

/** One CloudWatch metric alarm, exactly as planned (metric, dimensions, statistic, threshold, period). */
export class PlannedMetricAlarm extends Construct {
  public readonly alarm: LeanResource<typeof CloudwatchMetricAlarm>;

  constructor(scope: Construct, id: string, props: PlannedMetricAlarmProps) {
    super(scope, id);
    const a = props.alarm;
    const fill = (dims: Readonly<Record<string, string>>): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [k, v] of Object.entries(sortKeys(dims))) out[k] = fillPlaceholders(v, props.placeholders, `alarm ${a.id}`);
      return out;
    };
    // A metric-math alarm names its metrics in `metric_query` blocks and has no single metric of its own.
    const metric = a.math
      ? {
        metricQuery: [
          { id: 'e1', expression: a.math.expression, label: a.math.label, returnData: true },
          ...a.math.metrics.map((m) => ({
            id: m.id, returnData: false,
            metric: { namespace: m.namespace, metricName: m.metricName, dimensions: fill(m.dimensions), stat: m.statistic, period: a.periodSeconds },
          })),
        ],
      }
      : { namespace: a.namespace, metricName: a.metricName, dimensions: fill(a.dimensions), statistic: a.statistic, period: a.periodSeconds };
    this.alarm = new LeanResource(this, 'Resource', CLOUDWATCH_METRIC_ALARM, {
      region: a.region,
      alarmName: a.name,
      alarmDescription: a.description,
      ...metric,
      threshold: a.threshold,
      comparisonOperator: a.comparison,
      evaluationPeriods: a.evaluationPeriods,
      treatMissingData: a.treatMissingData,
      actionsEnabled: true,
      alarmActions: [props.topic.arn],
      okActions: [props.topic.arn],
      tags: props.tags,
    });
  }
}
