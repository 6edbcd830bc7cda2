import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ReplicationLagAlarms } from '../../lib/cdk/alarms';
import { plan, type GeoSpec } from '../../lib/model';
import { SHOP_AURORA, SHOP_DYNAMO } from './unit-fixtures';

const aurora = SHOP_AURORA;
const dynamo = SHOP_DYNAMO;

function synth(s: GeoSpec, region: string, opts: { importedKey?: boolean; email?: string } = {}) {
  const p = plan(s);
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, `Region-${region}`, { env: { region } });
  const key = opts.importedKey
    ? kms.Key.fromKeyArn(stack, 'Imported', `arn:aws:kms:${region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab`)
    : new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const alarms = new ReplicationLagAlarms(stack, 'Alarms', { plan: p, region, key, email: opts.email });
  return { p, stack, key, alarms, template: Template.fromStack(stack) };
}

describe('ReplicationLagAlarms', () => {
  test('secondary region: replication and RPO lag alarms at 30 s (warning) and 300 s (critical), in ms, and its own writer alarm', () => {
    // GIVEN / WHEN
    const { template, alarms } = synth(aurora, 'us-west-2');
    // THEN
    expect(Object.keys(alarms.alarms).sort()).toEqual([
      'usw2-replication-lag-critical', 'usw2-replication-lag-warning', 'usw2-rpo-lag-critical', 'usw2-rpo-lag-warning', 'usw2-writer-unavailable',
    ]);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-usw2-replication-lag-warning',
      Namespace: 'AWS/RDS',
      MetricName: 'AuroraGlobalDBReplicationLag',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'shop-us-west-2' }],
      Statistic: 'Maximum',
      Threshold: 30000,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Period: 60,
      EvaluationPeriods: 3,
      TreatMissingData: 'missing',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-usw2-rpo-lag-critical',
      MetricName: 'AuroraGlobalDBRPOLag',
      Threshold: 300000,
      EvaluationPeriods: 1,
    });
  });

  test('primary region: writer-unavailable alarm that follows the global writer, no lag alarms', () => {
    // GIVEN / WHEN
    const { template, alarms } = synth(aurora, 'us-east-1');
    // THEN one alarm on an expression: the writer's uptime while this cluster holds it, else its replication lag
    // (published only while it is a secondary), so a switchover leaves no alarm stuck in ALARM here
    expect(Object.keys(alarms.alarms)).toEqual(['use1-writer-unavailable']);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-use1-writer-unavailable',
      Metrics: [
        { Id: 'expr_1', Expression: 'MAX([FILL(uptime, 0), IF(lag >= 0, 1, 0)])', Label: 'writer or replication of shop-us-east-1' },
        {
          Id: 'uptime', ReturnData: false,
          MetricStat: {
            Metric: { Namespace: 'AWS/RDS', MetricName: 'EngineUptime', Dimensions: Match.arrayWith([{ Name: 'DBClusterIdentifier', Value: 'shop-us-east-1' }, { Name: 'Role', Value: 'WRITER' }]) },
            Period: 60, Stat: 'Minimum',
          },
        },
        {
          Id: 'lag', ReturnData: false,
          MetricStat: { Metric: { Namespace: 'AWS/RDS', MetricName: 'AuroraGlobalDBReplicationLag', Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'shop-us-east-1' }] }, Period: 60, Stat: 'Maximum' },
        },
      ],
      Threshold: 0,
      ComparisonOperator: 'LessThanOrEqualToThreshold',
      EvaluationPeriods: 5,
      TreatMissingData: 'breaching',
    });
  });

  test('never creates the Route 53 health-check alarms (GeoDns does, in the DNS stack)', () => {
    // GIVEN / WHEN
    const { template } = synth(aurora, 'us-east-1');
    // THEN
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/Route53' }, 0);
  });

  test('DynamoDB: ReplicationLatency per receiving region', () => {
    // GIVEN / WHEN
    const { template } = synth(dynamo, 'us-east-1');
    // THEN: warning and critical lag, and the guard that stops the replication-pause experiments
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    // While replication is paused the metric has no data: the guard treats that as breaching, over more
    // than the planned pause (10 min isolation pause + 5 min margin, one-minute periods).
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-use1-to-euw1-replication-stalled', MetricName: 'ReplicationLatency', TreatMissingData: 'breaching', EvaluationPeriods: 15,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'shop-use1-to-euw1-replication-latency-critical',
      Namespace: 'AWS/DynamoDB',
      MetricName: 'ReplicationLatency',
      Dimensions: Match.arrayWith([{ Name: 'ReceivingRegion', Value: 'eu-west-1' }, { Name: 'TableName', Value: 'shop' }]),
      Threshold: 300000,
    });
  });

  test.each([10, 30, 120])('period %p s from the plan on the lag alarms (the writer alarm reads 60 s uptime data)', (periodSeconds) => {
    // GIVEN / WHEN
    const { template } = synth({ ...aurora, alarms: { periodSeconds } }, 'us-west-2');
    // THEN
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { Namespace: 'AWS/RDS', Period: periodSeconds }, 4);
  });

  test('custom thresholds in seconds become milliseconds', () => {
    // GIVEN / WHEN
    const { template } = synth({ ...aurora, alarms: { replicationLagWarningSeconds: 5, replicationLagCriticalSeconds: 60 } }, 'us-west-2');
    // THEN
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-usw2-replication-lag-warning', Threshold: 5000 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmName: 'shop-usw2-replication-lag-critical', Threshold: 60000 });
  });

  test('alert topic named by the plan, encrypted with the given key, TLS enforced, alarm and OK actions', () => {
    // GIVEN / WHEN
    const { template, stack, key } = synth(aurora, 'us-west-2');
    // THEN
    template.hasResourceProperties('AWS::SNS::Topic', {
      TopicName: 'shop-us-west-2-alerts',
      KmsMasterKeyId: stack.resolve(key.keyArn),
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow', Action: 'sns:Publish', Principal: { Service: 'cloudwatch.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:us-west-2:', { Ref: 'AWS::AccountId' }, ':alarm:*']] } },
          },
        })]),
      },
    });
    template.allResourcesProperties('AWS::CloudWatch::Alarm', {
      AlarmActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
      OKActions: [{ Ref: Match.stringLikeRegexp('AlarmsTopic') }],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  test('works with an imported key', () => {
    // GIVEN / WHEN
    const { template } = synth(aurora, 'us-west-2', { importedKey: true });
    // THEN
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
  });

  test('email subscription from the plan, or none', () => {
    // GIVEN / WHEN
    const withEmail = synth({ ...aurora, alarms: { email: 'oncall@example.com' } }, 'us-west-2').template;
    const without = synth(aurora, 'us-west-2').template;
    // THEN
    withEmail.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    without.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('a region without alarms still gets its topic', () => {
    // GIVEN
    const three: GeoSpec = { ...aurora, regions: [...aurora.regions, { name: 'eu-west-1', role: 'secondary', endpoint: 'euw1.shop.example.com' }] };
    const p = plan(three);
    const stripped = { ...p, alarms: { ...p.alarms, list: p.alarms.list.filter((a) => a.region !== 'eu-west-1') } };
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: { region: 'eu-west-1' } });
    // WHEN
    const alarms = new ReplicationLagAlarms(stack, 'Alarms', { plan: stripped, region: 'eu-west-1', key: new kms.Key(stack, 'Key') });
    // THEN
    expect(alarms.alarms).toEqual({});
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Topic', { TopicName: 'shop-eu-west-1-alerts' });
  });

  test('tags every resource with the region tags', () => {
    // GIVEN / WHEN
    const { template } = synth(aurora, 'us-west-2');
    // THEN
    template.hasResourceProperties('AWS::SNS::Topic', {
      Tags: Match.arrayWith([{ Key: 'meridian:region-role', Value: 'secondary' }, { Key: 'meridian:topology', Value: 'shop' }]),
    });
  });

  test('rejects a region outside the plan', () => {
    // GIVEN
    const p = plan(aurora);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: { region: 'ap-south-1' } });
    // WHEN / THEN
    expect(() => new ReplicationLagAlarms(stack, 'Alarms', { plan: p, region: 'ap-south-1', key: new kms.Key(stack, 'Key') }))
      .toThrow(/region "ap-south-1" is not a region of plan "shop"; allowed: us-east-1, us-west-2/);
  });

  test('rejects a stack in another region', () => {
    // GIVEN
    const p = plan(aurora);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: { region: 'us-east-1' } });
    // WHEN / THEN
    expect(() => new ReplicationLagAlarms(stack, 'Alarms', { plan: p, region: 'us-west-2', key: new kms.Key(stack, 'Key') }))
      .toThrow(/region is us-west-2 but the stack is in us-east-1/);
  });

  test('rejects a key of another region for the alert topic', () => {
    // GIVEN
    const p = plan(aurora);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'S', { env: { region: 'us-west-2' } });
    const foreign = kms.Key.fromKeyArn(stack, 'Foreign', 'arn:aws:kms:us-east-1:111122223333:key/0b0b0b0b-0000-0000-0000-000000000000');
    // WHEN / THEN
    expect(() => new ReplicationLagAlarms(stack, 'Alarms', { plan: p, region: 'us-west-2', key: foreign }))
      .toThrow(/key is a key of us-east-1; the alert topic in us-west-2 must be encrypted with us-west-2's own key/);
  });
});
