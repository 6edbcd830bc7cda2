/**
 * Replication-lag, RPO-lag and writer-availability alarms of one region, from the plan, with an
 * encrypted SNS topic that receives their alarm and OK notifications.
 */
import { ArnFormat, Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MeridianValidationError, type GeoPlan, type PlannedAlarm, type PlannedAlarmMath } from '../model';
import { applyTags, checkKeyRegion, findRegion } from './tags';

const COMPARISON: Record<PlannedAlarm['comparison'], cloudwatch.ComparisonOperator> = {
  GreaterThanOrEqualToThreshold: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
  LessThanThreshold: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
  LessThanOrEqualToThreshold: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
};

const MISSING_DATA: Record<PlannedAlarm['treatMissingData'], cloudwatch.TreatMissingData> = {
  missing: cloudwatch.TreatMissingData.MISSING,
  breaching: cloudwatch.TreatMissingData.BREACHING,
  notBreaching: cloudwatch.TreatMissingData.NOT_BREACHING,
  ignore: cloudwatch.TreatMissingData.IGNORE,
};

/** Options of {@link plannedMetric}. */
export interface PlannedMetricOptions {
  /**
   * Dimensions that replace the planned ones.
   *
   * @default - the planned dimensions
   */
  readonly dimensions?: Readonly<Record<string, string>>;
  /**
   * Region of the metric, for cross-region dashboards.
   *
   * @default - the region of the stack that uses the metric
   */
  readonly region?: string;
  /**
   * Label of the metric in graphs.
   *
   * @default - CloudWatch's default label
   */
  readonly label?: string;
}

/**
 * The metric a planned alarm watches: namespace, name, dimensions, statistic and period exactly as
 * planned. `dimensions` replaces the planned dimensions (used to fill placeholders such as
 * `{{healthCheck:<id>}}` with real values).
 */
export function plannedMetric(planned: PlannedAlarm, options: PlannedMetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: planned.namespace,
    metricName: planned.metricName,
    dimensionsMap: { ...(options.dimensions ?? planned.dimensions) },
    statistic: planned.statistic,
    period: Duration.seconds(planned.periodSeconds),
    region: options.region,
    label: options.label,
  });
}

/** The metric-math expression a planned alarm watches, over its planned metrics at the alarm's period. */
export function plannedExpression(planned: PlannedAlarm, math: PlannedAlarmMath): cloudwatch.MathExpression {
  const period = Duration.seconds(planned.periodSeconds);
  return new cloudwatch.MathExpression({
    expression: math.expression,
    label: math.label,
    period,
    usingMetrics: Object.fromEntries(math.metrics.map((m) => [m.id, new cloudwatch.Metric({
      namespace: m.namespace, metricName: m.metricName, dimensionsMap: { ...m.dimensions }, statistic: m.statistic, period,
    })])),
  });
}

/**
 * Creates the CloudWatch alarm of a planned alarm: name, description, threshold, comparison,
 * evaluation periods and missing-data treatment exactly as planned. The construct id is the planned
 * alarm id, so renaming nothing in the plan replaces nothing in the stack.
 */
export function createPlannedAlarm(
  scope: Construct,
  planned: PlannedAlarm,
  dimensions?: Readonly<Record<string, string>>,
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, planned.id, {
    alarmName: planned.name,
    alarmDescription: planned.description,
    metric: planned.math ? plannedExpression(planned, planned.math) : plannedMetric(planned, { dimensions }),
    threshold: planned.threshold,
    comparisonOperator: COMPARISON[planned.comparison],
    evaluationPeriods: planned.evaluationPeriods,
    treatMissingData: MISSING_DATA[planned.treatMissingData],
    actionsEnabled: true,
  });
}

/**
 * Lets CloudWatch alarms publish to a topic encrypted with `key`: CloudWatch needs `kms:Decrypt` and
 * `kms:GenerateDataKey*` on the key. No-op for imported keys (their policy is not ours to change).
 *
 * @see https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services
 */
export function allowCloudWatchToUseKey(key: kms.IKey): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
}

/**
 * Lets CloudWatch alarms of this account and region publish to `topic`. A topic policy (here the one
 * that enforces TLS) replaces SNS's default policy, so the alarm service is allowed explicitly, and
 * only for alarms of this account.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Notify_Users_Alarm_Changes.html
 */
export function allowCloudWatchToPublish(topic: sns.ITopic): void {
  const stack = Stack.of(topic);
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccount',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': stack.account },
      ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'cloudwatch', resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }) },
    },
  }));
}

/** Props of {@link ReplicationLagAlarms}. */
export interface ReplicationLagAlarmsProps {
  /** The resolved deployment plan; alarms are taken from `plan.alarms.list`. */
  readonly plan: GeoPlan;
  /** The region whose alarms to create (the stack's region); must be one of `plan.regions`. */
  readonly region: string;
  /**
   * Customer-managed key of the region, owned by the region: encrypts the alert topic. When it is a
   * `kms.Key` of this app, a statement letting CloudWatch use it is added to its key policy.
   */
  readonly key: kms.IKey;
  /**
   * Email address subscribed to the alert topic.
   *
   * @default - `plan.alarms.email`; no subscription when that is unset too.
   */
  readonly email?: string;
}

/**
 * The lag and availability alarms of one region (`plan.alarms.list` entries with this `region`,
 * except Route 53 health-check alarms, which {@link GeoDns} creates in the DNS home region) and the
 * region's alert topic (`alertTopicName`, encrypted with `key`, TLS enforced, publishable by the
 * CloudWatch alarms of this account), which receives every alarm's ALARM and OK notifications. The
 * topic is created even when the region has no alarms.
 */
export class ReplicationLagAlarms extends Construct {
  /** The alarms, by planned alarm id. */
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};
  /** The region's alert topic. */
  public readonly topic: sns.Topic;

  constructor(scope: Construct, id: string, props: ReplicationLagAlarmsProps) {
    super(scope, id);
    const region = findRegion(props.plan, props.region, `ReplicationLagAlarms ${this.node.path}`);
    const stackRegion = Stack.of(this).region;
    if (!Token.isUnresolved(stackRegion) && stackRegion !== region.name) {
      throw new MeridianValidationError({ construct: `ReplicationLagAlarms ${this.node.path}`, prop: 'region', value: props.region, allowed: stackRegion, message: `region is ${region.name} but the stack is in ${stackRegion}; CloudWatch alarms must live in the region of their metric, so create this construct in the ${region.name} stack` });
    }
    checkKeyRegion(props.key, region.name, `ReplicationLagAlarms ${this.node.path}`, 'the alert topic');

    this.topic = new sns.Topic(this, 'Topic', {
      topicName: region.alertTopicName,
      displayName: `${props.plan.name} ${region.name} alerts`,
      masterKey: props.key,
      enforceSSL: props.plan.alarms.topicPolicy.enforceTls,
    });
    allowCloudWatchToUseKey(props.key);
    if (props.plan.alarms.topicPolicy.allowCloudWatchAlarms) allowCloudWatchToPublish(this.topic);
    const email = props.email ?? props.plan.alarms.email;
    if (email !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(email));
    }

    const action = new cwActions.SnsAction(this.topic);
    for (const planned of props.plan.alarms.list) {
      if (planned.region !== region.name || planned.kind === 'health-check') continue;
      const alarm = createPlannedAlarm(this, planned);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms[planned.id] = alarm;
    }
    applyTags(this, region.tags);
  }
}
