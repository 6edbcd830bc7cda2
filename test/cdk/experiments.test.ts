import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import { ReplicationLagAlarms } from '../../lib/cdk/alarms';
import { FailoverExperiments, type FailoverExperimentsProps } from '../../lib/cdk/experiments';
import { plan, type GeoSpec } from '../../lib/model';
import { SHOP_AURORA, SHOP_DYNAMO } from './unit-fixtures';
import { at } from '../../lib/model/lookup';

const aurora: GeoSpec = {
  ...SHOP_AURORA,
  account: '111122223333',
  regions: [...SHOP_AURORA.regions, { name: 'eu-west-1', role: 'secondary', endpoint: 'euw1.shop.example.com' }],
  experimentDurationMinutes: 15,
};

const dynamo: GeoSpec = { ...SHOP_DYNAMO, account: aurora.account, experimentDurationMinutes: 15 };

function synth(s: GeoSpec, extra: Partial<FailoverExperimentsProps> = {}) {
  const p = plan(s);
  const region = at(p.regions, 0, 'planned region').name;
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Region', { env: { region, account: '111122223333' } });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  const lag = new ReplicationLagAlarms(stack, 'Alarms', { plan: p, region, key });
  const experiments = new FailoverExperiments(stack, 'Experiments', { plan: p, region, key, alarms: lag.alarms, ...extra });
  return { p, stack, key, lag, experiments, template: Template.fromStack(stack) };
}

/** The Aurora region with no extra props, synthesized once for the tests that only read it. */
let auroraOnce: ReturnType<typeof synth> | undefined;
const auroraDefault = () => (auroraOnce ??= synth(aurora));

/** The policy statements of the role whose RoleName is `roleName`. */
function statementsOf(template: Template, roleName: string): Array<Record<string, unknown>> {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: roleName } });
  const roleId = at(Object.keys(roles), 0, `role ${roleName}`);
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .filter((p) => JSON.stringify(p.Properties.Roles).includes(roleId))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

describe('FailoverExperiments', () => {
  test('Aurora: region isolation and database failover templates in the primary region', () => {
    // GIVEN / WHEN
    const { template, experiments } = auroraDefault();
    // THEN
    expect(Object.keys(experiments.templates).sort()).toEqual(['use1-database-failover', 'use1-region-isolation']);
    template.resourceCountIs('AWS::FIS::ExperimentTemplate', 2);
  });

  test('region isolation: every subnet of the deployment by its topology tag, one cross-region disruption per other region', () => {
    // GIVEN / WHEN
    const { template } = auroraDefault();
    // THEN
    template.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Targets: {
        Subnets: { ResourceType: 'aws:ec2:subnet', SelectionMode: 'ALL', ResourceTags: { 'meridian:topology': 'shop' } },
      },
      Actions: {
        'isolate-from-usw2': Match.objectLike({
          ActionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
          Parameters: { region: 'us-west-2', duration: 'PT15M' },
          Targets: { Subnets: 'Subnets' },
        }),
        'isolate-from-euw1': Match.objectLike({
          ActionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
          Parameters: { region: 'eu-west-1', duration: 'PT15M' },
        }),
      },
    });
  });

  test('database failover: the planned cluster by ARN, no parameters', () => {
    // GIVEN / WHEN
    const { template } = auroraDefault();
    // THEN
    template.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Targets: {
        Clusters: {
          ResourceType: 'aws:rds:cluster', SelectionMode: 'ALL',
          ResourceArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':rds:us-east-1:111122223333:cluster:shop-us-east-1']] }],
        },
      },
      Actions: { 'failover-writer': { ActionId: 'aws:rds:failover-db-cluster', Description: Match.anyValue(), Targets: { Clusters: 'Clusters' } } },
    });
  });

  test('a cluster passed in is targeted by its ARN', () => {
    // GIVEN / WHEN
    const arn = 'arn:aws:rds:us-east-1:111122223333:cluster:custom';
    const { template } = synth(aurora, { cluster: { clusterArn: arn } });
    // THEN
    template.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Targets: { Clusters: Match.objectLike({ ResourceArns: [arn] }) },
    });
  });

  test('accepts an rds.IDatabaseCluster and a dynamodb.ITableV2', () => {
    // GIVEN
    const p = plan(aurora);
    const q = plan(dynamo);
    const app = new App({ builtinCloudFormationValidation: false });
    const s1 = new Stack(app, 'A', { env: { region: 'us-east-1', account: '111122223333' } });
    const s2 = new Stack(app, 'D', { env: { region: 'us-east-1', account: '111122223333' } });
    const cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(s1, 'Cluster', { clusterIdentifier: 'imported-cluster' });
    const table = dynamodb.TableV2.fromTableName(s2, 'Table', 'imported-table');
    const k1 = new kms.Key(s1, 'Key');
    const k2 = new kms.Key(s2, 'Key');
    // WHEN
    new FailoverExperiments(s1, 'Experiments', { plan: p, region: 'us-east-1', key: k1, cluster, alarms: new ReplicationLagAlarms(s1, 'Alarms', { plan: p, region: 'us-east-1', key: k1 }).alarms });
    new FailoverExperiments(s2, 'Experiments', { plan: q, region: 'us-east-1', key: k2, table, alarms: new ReplicationLagAlarms(s2, 'Alarms', { plan: q, region: 'us-east-1', key: k2 }).alarms });
    // THEN
    Template.fromStack(s1).hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Targets: { Clusters: Match.objectLike({ ResourceArns: [s1.resolve(cluster.clusterArn)] }) },
    });
    expect(JSON.stringify(s1.resolve(cluster.clusterArn))).toContain('imported-cluster');
    Template.fromStack(s2).hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Targets: { Tables: Match.objectLike({ ResourceArns: [s2.resolve(table.tableArn)] }) },
    });
  });

  test('DynamoDB: replication pause on the table by ARN with duration', () => {
    // GIVEN / WHEN
    const arn = 'arn:aws:dynamodb:us-east-1:111122223333:table/shop';
    const { template, experiments } = synth(dynamo, { table: { tableArn: arn } });
    // THEN
    expect(Object.keys(experiments.templates).sort()).toEqual(['use1-dynamodb-replication-pause', 'use1-region-isolation']);
    template.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Targets: { Tables: { ResourceType: 'aws:dynamodb:global-table', SelectionMode: 'ALL', ResourceArns: [arn] } },
      Actions: { 'pause-replication': Match.objectLike({ ActionId: 'aws:dynamodb:global-table-pause-replication', Parameters: { duration: 'PT15M' }, Targets: { Tables: 'Tables' } }) },
    });
  });

  test('stop conditions: the critical alarms of the region, by ARN', () => {
    // GIVEN / WHEN
    const { template, p } = auroraDefault();
    // THEN
    const exp = p.experiments.find((e) => e.kind === 'database-failover')!;
    expect(exp.stopAlarmIds).toEqual(['use1-writer-unavailable']);
    template.allResourcesProperties('AWS::FIS::ExperimentTemplate', {
      StopConditions: [{ Source: 'aws:cloudwatch:alarm', Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('Alarmsuse1writerunavailable'), 'Arn'] } }],
    });
  });

  test('throws when a stop alarm is missing', () => {
    // GIVEN
    const p = plan(aurora);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { region: 'us-east-1' } });
    // WHEN / THEN
    expect(() => new FailoverExperiments(stack, 'Experiments', { plan: p, region: 'us-east-1', key: new kms.Key(stack, 'Key'), alarms: {} }))
      .toThrow(/experiment use1-region-isolation: stop alarm use1-writer-unavailable missing from `alarms` \(given: none\)/);
  });

  test('no stop alarm planned: stop condition none', () => {
    // GIVEN
    const p = plan(aurora);
    const noStops = { ...p, experiments: p.experiments.map((e) => ({ ...e, stopAlarmIds: [] })) };
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { region: 'us-east-1' } });
    // WHEN
    new FailoverExperiments(stack, 'Experiments', { plan: noStops, region: 'us-east-1', key: new kms.Key(stack, 'Key'), alarms: {} });
    // THEN
    Template.fromStack(stack).allResourcesProperties('AWS::FIS::ExperimentTemplate', { StopConditions: [{ Source: 'none' }] });
  });

  test('role per experiment: named by the plan, trusted only by FIS for this account', () => {
    // GIVEN / WHEN
    const { template } = auroraDefault();
    // THEN
    template.resourceCountIs('AWS::IAM::Role', 2);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'shop-use1-fis-dbfo',
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'fis.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '111122223333' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':fis:us-east-1:111122223333:experiment/*']] } },
          },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'shop-use1-fis-iso' });
  });

  test('failover role: only FailoverDBCluster/DescribeDBClusters on the target cluster, plus log delivery', () => {
    // GIVEN / WHEN
    const arn = 'arn:aws:rds:us-east-1:111122223333:cluster:shop-us-east-1';
    const { template } = synth(aurora, { cluster: { clusterArn: arn } });
    const statements = statementsOf(template, 'shop-use1-fis-dbfo');
    // THEN
    expect(statements).toContainEqual(expect.objectContaining({ Sid: 'FailoverTargetCluster', Action: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'], Resource: arn }));
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.filter((a) => !a.startsWith('logs:'))).toEqual(['rds:FailoverDBCluster', 'rds:DescribeDBClusters', 'tag:GetResources']);
    expect(actions.some((a) => a.startsWith('ec2:') || a.startsWith('dynamodb:'))).toBe(false);
  });

  test('pause role: only resource-policy and describe calls on the target table', () => {
    // GIVEN / WHEN
    const arn = 'arn:aws:dynamodb:us-east-1:111122223333:table/shop';
    const { template } = synth(dynamo, { table: { tableArn: arn } });
    const statements = statementsOf(template, 'shop-use1-fis-ddbp');
    // THEN
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
      Resource: arn,
    }));
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions.some((a) => a.startsWith('rds:') || a.startsWith('ec2:'))).toBe(false);
  });

  test('pause role on a multi-Region strong consistency table: also dynamodb:InjectError on the target table', () => {
    // GIVEN: an MRSC global table (FIS pauses MRSC replication by injecting errors)
    const strong: GeoSpec = {
      ...dynamo,
      regions: [
        { name: 'us-east-1', role: 'active', endpoint: 'use1.shop.example.com' },
        { name: 'us-east-2', role: 'active', endpoint: 'use2.shop.example.com' },
        { name: 'us-west-2', role: 'active', endpoint: 'usw2.shop.example.com' },
      ],
      data: { engine: 'dynamodb', classification: 'internal', consistency: 'strong' },
    };
    const arn = 'arn:aws:dynamodb:us-east-1:111122223333:table/shop';
    // WHEN
    const { template } = synth(strong, { table: { tableArn: arn } });
    const statements = statementsOf(template, 'shop-use1-fis-ddbp');
    // THEN
    expect(statements).toContainEqual(expect.objectContaining({
      Action: ['dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
      Resource: arn,
    }));
    expect(statements).toContainEqual({ Sid: 'InjectErrorsIntoStrongTable', Effect: 'Allow', Action: 'dynamodb:InjectError', Resource: arn });
  });

  test('isolation role: deletes and changes only what FIS created (managedByFIS), scoped to region and account', () => {
    // GIVEN / WHEN
    const { template } = auroraDefault();
    const statements = statementsOf(template, 'shop-use1-fis-iso');
    const bySid = (sid: string) => statements.find((s) => s.Sid === sid)!;
    // THEN
    expect(bySid('DeleteManagedRouteTable').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } });
    expect(bySid('CreateManagedRouteTable').Condition).toEqual({ StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } });
    expect(bySid('ChangeManagedPrefixList').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } });
    expect(bySid('DeleteManagedNetworkInterface').Condition).toEqual({ StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } });
    expect(bySid('ManageRouteTablesInVpc').Action).toEqual(['ec2:CreateRouteTable', 'ec2:DeleteRouteTable']);
    expect(JSON.stringify(bySid('ReadPrefixListEntries').Resource)).toContain(':ec2:us-east-1:*:prefix-list/*');
    expect(JSON.stringify(bySid('SwapSubnetRouteTables').Resource)).toContain(':ec2:us-east-1:111122223333:route-table/*');
    const actions = statements.flatMap((s) => [s.Action].flat() as string[]);
    expect(actions).toEqual(expect.arrayContaining(['ec2:CreateRouteTable', 'ec2:AssociateRouteTable', 'ec2:CreateManagedPrefixList', 'tag:GetResources']));
    expect(actions.some((a) => a.startsWith('rds:') || a.startsWith('dynamodb:') || a.endsWith(':*') || a === '*')).toBe(false);
    // Only Describe/tag/log-delivery calls (no resource-level permissions) are on "*".
    const starActions = statements.filter((s) => s.Resource === '*').flatMap((s) => [s.Action].flat() as string[]);
    expect(starActions.every((a) => /^(ec2:Describe|tag:GetResources|logs:)/.test(a))).toBe(true);
  });

  test('isolation role: adds routes only to the route tables FIS created (managedByFIS)', () => {
    // GIVEN / WHEN
    const { template } = auroraDefault();
    const statements = statementsOf(template, 'shop-use1-fis-iso');
    // THEN: ec2:CreateRoute is tag-scoped (FIS actions reference, †), never on every route table
    const withCreateRoute = statements.filter((s) => ([s.Action].flat() as string[]).includes('ec2:CreateRoute'));
    expect(withCreateRoute).toHaveLength(1);
    expect(withCreateRoute[0]).toMatchObject({
      Sid: 'AddRoutesToManagedRouteTable',
      Action: 'ec2:CreateRoute',
      Condition: { StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } },
    });
    expect(JSON.stringify(withCreateRoute[0]?.Resource)).toContain(':ec2:us-east-1:111122223333:route-table/*');
  });

  test('log configuration: encrypted log group with retention, retained, schema v2', () => {
    // GIVEN / WHEN
    const { template, stack, key } = synth(aurora, { logRetention: logs.RetentionDays.THREE_MONTHS });
    // THEN
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/meridian/shop/fis/us-east-1/database-failover',
        KmsKeyId: stack.resolve(key.keyArn),
        RetentionInDays: 90,
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      LogConfiguration: {
        LogSchemaVersion: 2,
        CloudWatchLogsConfiguration: { LogGroupArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Experimentsuse1databasefailoverLogs'), 'Arn'] } },
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.us-east-1.amazonaws.com' },
          Condition: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
        })]),
      },
    });
  });

  test('default log retention is one year', () => {
    // GIVEN / WHEN
    const { template } = auroraDefault();
    // THEN
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  test('tags: Name = experiment name plus the plan tags', () => {
    // GIVEN / WHEN
    const { template } = auroraDefault();
    // THEN
    template.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Description: Match.stringLikeRegexp('Fail over the writer of shop-us-east-1'),
      Tags: Match.objectLike({ 'Name': 'shop-use1-database-failover', 'meridian:topology': 'shop', 'meridian:region-role': 'primary' }),
    });
  });

  test('a region without experiments creates nothing', () => {
    // GIVEN
    const p = plan(aurora);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { region: 'us-west-2' } });
    // WHEN
    const experiments = new FailoverExperiments(stack, 'Experiments', { plan: p, region: 'us-west-2', key: new kms.Key(stack, 'Key'), alarms: {} });
    // THEN
    expect(experiments.templates).toEqual({});
    Template.fromStack(stack).resourceCountIs('AWS::FIS::ExperimentTemplate', 0);
  });

  test('rejects an unsupported action id', () => {
    // GIVEN
    const p = plan(aurora);
    const odd = { ...p, experiments: p.experiments.map((e) => ({ ...e, stopAlarmIds: [], actions: e.actions.map((a) => ({ ...a, actionId: 'aws:fis:inject-api-unavailable' })) })) };
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { region: 'us-east-1' } });
    // WHEN / THEN
    expect(() => new FailoverExperiments(stack, 'Experiments', { plan: odd, region: 'us-east-1', key: new kms.Key(stack, 'Key'), alarms: {} }))
      .toThrow(/uses aws:fis:inject-api-unavailable; supported: aws:network:route-table-disrupt-cross-region-connectivity/);
  });

  test('rejects an action whose target is of a resource type the action cannot act on', () => {
    // GIVEN: the Aurora failover experiment's action swapped for the DynamoDB pause, still aimed at the cluster
    const p = plan(aurora);
    const odd = {
      ...p,
      experiments: p.experiments.map((e) => (e.kind !== 'database-failover' ? e : {
        ...e,
        actions: e.actions.map((a) => ({ ...a, actionId: 'aws:dynamodb:global-table-pause-replication', parameters: { duration: 'PT15M' } })),
      })),
    };
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { region: 'us-east-1' } });
    const lag = new ReplicationLagAlarms(stack, 'Alarms', { plan: odd, region: 'us-east-1', key: new kms.Key(stack, 'Key') });
    // WHEN / THEN
    expect(() => new FailoverExperiments(stack, 'Experiments', { plan: odd, region: 'us-east-1', key: new kms.Key(stack, 'Key2'), alarms: lag.alarms }))
      .toThrow(/experiment use1-database-failover: action failover-writer \(aws:dynamodb:global-table-pause-replication\) needs a target of type aws:dynamodb:global-table, but Clusters is aws:rds:cluster/);
  });

  test('rejects a stack in another region', () => {
    // GIVEN
    const p = plan(aurora);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { region: 'us-west-2' } });
    // WHEN / THEN
    expect(() => new FailoverExperiments(stack, 'Experiments', { plan: p, region: 'us-east-1', key: new kms.Key(stack, 'Key'), alarms: {} }))
      .toThrow(/region is us-east-1 but the stack is in us-west-2/);
  });

  test('rejects a key of another region for the experiment log groups', () => {
    // GIVEN
    const p = plan(aurora);
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'R', { env: { region: 'us-east-1' } });
    const foreign = kms.Key.fromKeyArn(stack, 'Foreign', 'arn:aws:kms:us-west-2:111122223333:key/0b0b0b0b-0000-0000-0000-000000000000');
    // WHEN / THEN
    expect(() => new FailoverExperiments(stack, 'Experiments', { plan: p, region: 'us-east-1', key: foreign, alarms: {} }))
      .toThrow(/key is a key of us-west-2; the experiment log groups in us-east-1 must be encrypted with us-east-1's own key/);
  });
});

describe('FailoverExperiments with the built-in CloudFormation validation', () => {
  test('Aurora and DynamoDB regions pass, with validation issues as errors', () => {
    // GIVEN
    const app = new App({ context: { '@aws-cdk/core:validateAgainstDefaultRules': true } });
    for (const [name, s] of [['aurora', aurora], ['dynamo', dynamo]] as const) {
      const p = plan(s);
      for (const r of p.regions) {
        const stack = new Stack(app, `${name}-${r.name}`, { env: { region: r.name, account: '111122223333' } });
        const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
        const lag = new ReplicationLagAlarms(stack, 'Alarms', { plan: p, region: r.name, key, email: 'oncall@example.com' });
        new FailoverExperiments(stack, 'Experiments', { plan: p, region: r.name, key, alarms: lag.alarms });
      }
    }
    // WHEN / THEN
    expect(() => app.synth()).not.toThrow();
  });
});
