import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AuroraGlobalDatabase, auroraClusterParameters } from '../../lib/cdk';
import type { GeoSpec, RegionCode } from '../../lib/model';
import { deploy, fastApp, ORDERS, onlyId, planOf, SESSIONS, tpl, withSpec } from './geo-fixtures';
import { need } from '../../lib/model/lookup';

/** The ARN of `region`'s key, read from that region's key stack (same region, weak reference). */
const keyArn = (region: string) => ({ 'Fn::GetStackOutput': Match.objectLike({ StackName: `orders-${region}-keys`, Region: region }) });

describe('AuroraGlobalDatabase (active-passive, PostgreSQL)', () => {
  const { geo } = deploy(ORDERS);
  const use1 = tpl(geo.region('us-east-1').stack);
  const usw2 = tpl(geo.region('us-west-2').stack);
  const euw1 = tpl(geo.region('eu-west-1').stack);

  test('the global cluster: planned identifier, engine, encrypted, deletion protection, retained', () => {
    use1.resourceCountIs('AWS::RDS::GlobalCluster', 1);
    use1.hasResource('AWS::RDS::GlobalCluster', {
      Properties: {
        GlobalClusterIdentifier: 'orders-global', Engine: 'aurora-postgresql', EngineVersion: '16.6',
        StorageEncrypted: true, DeletionProtection: true,
      },
      DeletionPolicy: 'Retain',
    });
    usw2.resourceCountIs('AWS::RDS::GlobalCluster', 0);
  });

  test('the primary cluster joins the global cluster, encrypted with us-east-1\'s own key', () => {
    use1.hasResource('AWS::RDS::DBCluster', {
      Properties: {
        DBClusterIdentifier: 'orders-us-east-1',
        GlobalClusterIdentifier: 'orders-global',
        StorageEncrypted: true,
        KmsKeyId: keyArn('us-east-1'),
        DeletionProtection: true,
        BackupRetentionPeriod: 7,
        EnableIAMDatabaseAuthentication: true,
        EnableCloudwatchLogsExports: ['postgresql'],
        Port: 5432,
        DatabaseName: 'app',
        MasterUsername: 'clusteradmin',
        MasterUserPassword: { 'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:'])] },
      },
      DependsOn: Match.arrayWith([onlyId(use1, 'AWS::RDS::GlobalCluster')]),
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
    use1.resourceCountIs('AWS::RDS::DBInstance', 2);
    use1.allResourcesProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.r6g.large', PubliclyAccessible: false,
      EnablePerformanceInsights: true, PerformanceInsightsKMSKeyId: keyArn('us-east-1'), MonitoringInterval: 60,
    });
  });

  test('the master secret lives in Secrets Manager, encrypted with the region\'s key, retained', () => {
    use1.hasResource('AWS::SecretsManager::Secret', {
      Properties: { KmsKeyId: keyArn('us-east-1'), GenerateSecretString: Match.objectLike({ SecretStringTemplate: '{"username":"clusteradmin"}' }) },
      DeletionPolicy: 'Retain',
    });
    const all = JSON.stringify([use1.toJSON(), usw2.toJSON(), euw1.toJSON()]);
    expect(all).not.toMatch(/"MasterUserPassword":"[^{]/);
  });

  test('secondaries join by identifier, carry no master credentials and set SourceRegion', () => {
    for (const [t, region] of [[usw2, 'us-west-2'], [euw1, 'eu-west-1']] as const) {
      t.hasResource('AWS::RDS::DBCluster', {
        Properties: {
          DBClusterIdentifier: `orders-${region}`,
          GlobalClusterIdentifier: 'orders-global',
          SourceRegion: 'us-east-1',
          Engine: 'aurora-postgresql', EngineVersion: '16.6',
          StorageEncrypted: true, KmsKeyId: keyArn(region), DeletionProtection: true,
          BackupRetentionPeriod: 7, EnableIAMDatabaseAuthentication: true,
          MasterUsername: Match.absent(), MasterUserPassword: Match.absent(), EnableGlobalWriteForwarding: Match.absent(),
        },
        DeletionPolicy: 'Snapshot',
      });
      t.resourceCountIs('AWS::SecretsManager::Secret', 0);
    }
  });

  test('instances per the plan: 1 in us-west-2, none in the headless eu-west-1', () => {
    usw2.resourceCountIs('AWS::RDS::DBInstance', 1);
    usw2.hasResourceProperties('AWS::RDS::DBInstance', { PerformanceInsightsKMSKeyId: keyArn('us-west-2'), MonitoringInterval: 60 });
    euw1.resourceCountIs('AWS::RDS::DBInstance', 0);
    euw1.resourceCountIs('AWS::RDS::DBCluster', 1);
  });

  test('log groups of each cluster exist ahead of it, encrypted with its region\'s key, retained', () => {
    usw2.hasResource('AWS::Logs::LogGroup', {
      Properties: { LogGroupName: '/aws/rds/cluster/orders-us-west-2/postgresql', KmsKeyId: keyArn('us-west-2'), RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('TLS is required through the cluster parameter group', () => {
    usw2.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Family: 'aurora-postgresql16', Parameters: { 'rds.force_ssl': '1' } });
  });

  test('secondary stacks depend on the primary stack', () => {
    const primary = geo.region('us-east-1').stack;
    expect(geo.region('us-west-2').stack.dependencies).toContain(primary);
    expect(geo.region('eu-west-1').stack.dependencies).toContain(primary);
    // The primary waits only for key stacks: its own and those of the regions its secret replicates to.
    expect(primary.dependencies.map((s) => s.stackName).sort()).toEqual(['orders-eu-west-1-keys', 'orders-us-east-1-keys', 'orders-us-west-2-keys']);
  });

  test('the lag alarms watch the planned secondary cluster identifiers', () => {
    usw2.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'AuroraGlobalDBReplicationLag',
      Dimensions: [{ Name: 'DBClusterIdentifier', Value: 'orders-us-west-2' }],
    });
  });
});

describe('AuroraSecondaryCluster is usable by an application in its region', () => {
  // GIVEN a deployment, and an application role in the secondary region's stack
  const { geo } = deploy(ORDERS);
  const region = geo.region('us-west-2');
  const cluster = region.cluster;
  const role = new iam.Role(region.stack, 'AppRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  // WHEN it reads the endpoints and is granted IAM database authentication
  cluster?.grantConnect(role, 'app');
  const t = tpl(region.stack);
  const clusterId = onlyId(t, 'AWS::RDS::DBCluster');

  test('endpoints and port come from the real secondary cluster', () => {
    // THEN (these threw CannotAccessImportedClusterEndpoint before)
    expect(region.stack.resolve(cluster?.clusterEndpoint.hostname)).toEqual({ 'Fn::GetAtt': [clusterId, 'Endpoint.Address'] });
    expect(region.stack.resolve(cluster?.clusterReadEndpoint.hostname)).toEqual({ 'Fn::GetAtt': [clusterId, 'ReadEndpoint.Address'] });
    expect(cluster?.clusterEndpoint.port).toBe(5432);
  });

  test('grantConnect allows rds-db:connect on the secondary cluster\'s resource id', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Action: 'rds-db:connect',
          Resource: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.objectLike({ 'Fn::GetAtt': [clusterId, 'DBClusterResourceId'] })])] }),
        })]),
      },
    });
  });
});

describe('AuroraGlobalDatabase write forwarding', () => {
  const mysql: GeoSpec = withSpec(ORDERS, {
    data: { engine: 'aurora-mysql', classification: 'confidential', consistency: 'read-your-writes', writeForwarding: true, residency: ['US', 'EU'] },
  });

  test('aurora-mysql: EnableGlobalWriteForwarding and aurora_replica_read_consistency', () => {
    const { geo } = deploy(mysql);
    const usw2 = tpl(geo.region('us-west-2').stack);
    usw2.hasResourceProperties('AWS::RDS::DBCluster', { EnableGlobalWriteForwarding: true, Engine: 'aurora-mysql', Port: 3306 });
    usw2.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', {
      Family: 'aurora-mysql8.0',
      Parameters: Match.objectLike({ aurora_replica_read_consistency: 'SESSION', require_secure_transport: 'ON' }),
    });
    usw2.hasResourceProperties('AWS::RDS::DBCluster', { EnableCloudwatchLogsExports: ['audit', 'error', 'slowquery'] });
  });

  test.each([
    ['strong', 'GLOBAL'],
    ['read-your-writes', 'SESSION'],
    ['eventual', 'EVENTUAL'],
  ] as const)('aurora-postgresql consistency %s → apg_write_forward.consistency_mode %s', (consistency, mode) => {
    const p = planOf(withSpec(ORDERS, { data: { engine: 'aurora-postgresql', classification: 'internal', consistency, writeForwarding: true } }));
    expect(auroraClusterParameters(p)).toEqual({ 'rds.force_ssl': '1', 'apg_write_forward.consistency_mode': mode });
  });

  test('no forwarding parameters without write forwarding', () => {
    expect(auroraClusterParameters(planOf(ORDERS))).toEqual({ 'rds.force_ssl': '1' });
  });
});

describe('AuroraGlobalDatabase in partitioned mode', () => {
  const spec: GeoSpec = {
    name: 'patients', mode: 'partitioned',
    regions: [
      { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' },
      { name: 'eu-west-3', role: 'active', jurisdiction: 'EU' },
      { name: 'us-east-1', role: 'active', jurisdiction: 'US' },
      { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
    ],
    data: { engine: 'aurora-postgresql', classification: 'pii', residency: ['EU', 'US'] },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
  };
  const { geo } = deploy(spec);

  test('one global cluster per data partition, in the partition\'s primary region', () => {
    tpl(geo.region('eu-central-1').stack).hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'patients-eu-global' });
    tpl(geo.region('us-east-1').stack).hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'patients-us-global' });
    tpl(geo.region('eu-west-3').stack).resourceCountIs('AWS::RDS::GlobalCluster', 0);
    tpl(geo.region('us-west-2').stack).resourceCountIs('AWS::RDS::GlobalCluster', 0);
  });

  test('secondaries join their own partition\'s global cluster only', () => {
    tpl(geo.region('eu-west-3').stack).hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'patients-eu-global', SourceRegion: 'eu-central-1' });
    tpl(geo.region('us-west-2').stack).hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'patients-us-global', SourceRegion: 'us-east-1' });
    expect(geo.region('eu-west-3').stack.dependencies).toContain(geo.region('eu-central-1').stack);
    expect(geo.region('eu-west-3').stack.dependencies).not.toContain(geo.region('us-east-1').stack);
  });

  test('a secondary outside the partition throws', () => {
    const gdb = need(geo.globalDatabases, 'eu', 'global database');
    const other = new Stack(geo.node.scope as never, 'Extra', { env: { region: 'us-west-2' } });
    const vpc = new ec2.Vpc(other, 'V');
    expect(() => gdb.addSecondary(other, 'X', { region: 'us-west-2', vpc, securityGroup: new ec2.SecurityGroup(other, 'SG', { vpc }), key: new kms.Key(other, 'K') }))
      .toThrow(/us-west-2 is not a region of data partition "eu" \(eu-central-1, eu-west-3\); its data may not be replicated there/);
  });

  test('partitionId is required with several partitions, and must exist', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'eu-central-1' } });
    const vpc = new ec2.Vpc(stack, 'V');
    const base = { plan: geo.plan, vpc, securityGroup: new ec2.SecurityGroup(stack, 'SG', { vpc }), key: new kms.Key(stack, 'K') };
    expect(() => new AuroraGlobalDatabase(stack, 'A', base)).toThrow(/has 2 data partitions \(eu, us\); set partitionId to one of them/);
    expect(() => new AuroraGlobalDatabase(stack, 'B', { ...base, partitionId: 'apac' })).toThrow(/partitionId "apac" is not a data partition of plan "patients"; allowed: eu, us/);
  });
});

describe('AuroraGlobalDatabase misuse', () => {
  const setup = (region: string) => {
    const app = fastApp();
    const stack = new Stack(app, `S-${region}`, { env: { region } });
    const vpc = new ec2.Vpc(stack, 'V', { subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    return { app, stack, vpc, sg: new ec2.SecurityGroup(stack, 'SG', { vpc }), key: new kms.Key(stack, 'K') };
  };

  test('a secondary in the primary\'s region throws', () => {
    const { stack, vpc, sg, key } = setup('us-east-1');
    const gdb = new AuroraGlobalDatabase(stack, 'G', { plan: planOf(ORDERS), vpc, securityGroup: sg, key });
    const other = new Stack(stack.node.scope as never, 'Other', { env: { region: 'us-east-1' } });
    expect(() => gdb.addSecondary(other, 'Sec', { region: 'us-east-1', vpc, securityGroup: sg, key }))
      .toThrow(/us-east-1 is the primary region of data partition "main"; a secondary must be in another region of the partition \(us-west-2, eu-west-1\)/);
  });

  test('the primary outside the partition\'s primary region throws', () => {
    const { stack, vpc, sg, key } = setup('us-west-2');
    expect(() => new AuroraGlobalDatabase(stack, 'G', { plan: planOf(ORDERS), vpc, securityGroup: sg, key }))
      .toThrow(/the cluster belongs in us-east-1 but the stack is in us-west-2/);
  });

  test('standalone, the secret replicates by planned alias ARN; replicateMasterSecret: false keeps it in the primary region', () => {
    const { app, stack, vpc, sg, key } = setup('us-east-1');
    new AuroraGlobalDatabase(stack, 'G', { plan: planOf(ORDERS), vpc, securityGroup: sg, key });
    const off = new Stack(app, 'Off', { env: { region: 'us-east-1' } });
    const offVpc = new ec2.Vpc(off, 'V', { subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const gdbOff = new AuroraGlobalDatabase(off, 'G', { plan: planOf(ORDERS), vpc: offVpc, securityGroup: new ec2.SecurityGroup(off, 'SG', { vpc: offVpc }), key: new kms.Key(off, 'K'), replicateMasterSecret: false });
    const secStack = new Stack(app, 'Sec', { env: { region: 'us-west-2' } });
    const secVpc = new ec2.Vpc(secStack, 'V', { subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const sec = gdbOff.addSecondary(secStack, 'Sec', { region: 'us-west-2', vpc: secVpc, securityGroup: new ec2.SecurityGroup(secStack, 'SG', { vpc: secVpc }), key: new kms.Key(secStack, 'K') });
    expect(sec.masterSecret).toBeUndefined();
    expect(() => sec.grantReadMasterSecret(new iam.Role(secStack, 'App', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') })))
      .toThrow(/the master secret is not replicated to us-west-2 \(replicateMasterSecret is false on the global database\)/);
    Template.fromStack(stack).hasResourceProperties('AWS::SecretsManager::Secret', {
      ReplicaRegions: [
        { Region: 'us-west-2', KmsKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:us-west-2:', { Ref: 'AWS::AccountId' }, ':alias/meridian/orders']] } },
        { Region: 'eu-west-1', KmsKeyId: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:', { Ref: 'AWS::AccountId' }, ':alias/meridian/orders']] } },
      ],
    });
    Template.fromStack(off).hasResourceProperties('AWS::SecretsManager::Secret', { ReplicaRegions: Match.absent() });
  });

  test('a key of another region throws', () => {
    const { stack, vpc, sg } = setup('us-east-1');
    const foreign = kms.Key.fromKeyArn(stack, 'Foreign', 'arn:aws:kms:eu-west-1:111111111111:key/0b0b0b0b-0000-0000-0000-000000000000');
    expect(() => new AuroraGlobalDatabase(stack, 'G', { plan: planOf(ORDERS), vpc, securityGroup: sg, key: foreign }))
      .toThrow(/key is a key of eu-west-1; a cluster in us-east-1 must be encrypted with us-east-1's own key/);
  });

  test.each([7, 120])('monitoringInterval %d s throws', (seconds) => {
    const { stack, vpc, sg, key } = setup('us-east-1');
    expect(() => new AuroraGlobalDatabase(stack, 'G', { plan: planOf(ORDERS), vpc, securityGroup: sg, key, monitoringInterval: Duration.seconds(seconds) }))
      .toThrow(new RegExp(`monitoringInterval must be one of 0, 1, 5, 10, 15, 30, 60 seconds, got ${seconds}`));
  });

  test('a monitoringInterval that is not a whole number of seconds throws, naming the field', () => {
    // GIVEN
    const { stack, vpc, sg, key } = setup('us-east-1');
    // WHEN / THEN
    expect(() => new AuroraGlobalDatabase(stack, 'G', { plan: planOf(ORDERS), vpc, securityGroup: sg, key, monitoringInterval: Duration.millis(1500) }))
      .toThrow(/monitoringInterval must be one of 0, 1, 5, 10, 15, 30, 60 seconds, got 1\.5/);
  });

  test('a DynamoDB plan throws', () => {
    const { stack, vpc, sg, key } = setup('us-east-1');
    expect(() => new AuroraGlobalDatabase(stack, 'G', { plan: planOf(SESSIONS), vpc, securityGroup: sg, key }))
      .toThrow(/need plan.data.engine aurora-postgresql or aurora-mysql, got dynamodb/);
  });

  test('monitoring off: no role, no interval', () => {
    const { stack, vpc, sg, key } = setup('us-east-1');
    new AuroraGlobalDatabase(stack, 'G', { plan: planOf(ORDERS), vpc, securityGroup: sg, key, monitoringInterval: Duration.seconds(0) });
    const t = Template.fromStack(stack);
    t.resourceCountIs('AWS::IAM::Role', 0);
    t.allResourcesProperties('AWS::RDS::DBInstance', { MonitoringInterval: Match.absent() });
  });
});

describe('AuroraGlobalDatabase limits', () => {
  const regions: RegionCode[] = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-northeast-1', 'ap-southeast-2'];
  const spread = (n: number, primaryInstances: number) => withSpec(ORDERS, {
    regions: regions.slice(0, n).map((name, i) => ({ name, role: i === 0 ? 'primary' as const : 'secondary' as const, instances: i === 0 ? primaryInstances : 1 })),
  });
  test('more than 10 secondary regions are refused by plan(), before any construct', () => {
    expect(() => planOf(spread(12, 1))).toThrow(/the Aurora global database would have 11 secondary regions; an Aurora global database allows at most 10/);
  });
  test('too many primary readers for the number of secondary regions', () => {
    const p = planOf(spread(11, 7));
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'V', { subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(() => new AuroraGlobalDatabase(stack, 'G', { plan: p, vpc, securityGroup: new ec2.SecurityGroup(stack, 'SG', { vpc }), key: new kms.Key(stack, 'K') }))
      .toThrow(/the primary cluster orders-us-east-1 may have at most 15 - 10 secondary regions = 5 readers, got 6/);
  });
});
