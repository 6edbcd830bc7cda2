import { Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { DynamoDbGlobalTable } from '../../lib/cdk';
import { deploy, fastApp, ORDERS, planOf, SESSIONS, tpl, withSpec } from './geo-fixtures';
import { at, need } from '../../lib/model/lookup';

const aliasArn = (region: string, name = 'sessions') => ({
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${region}:`, { Ref: 'AWS::AccountId' }, `:alias/meridian/${name}`]],
});

describe('DynamoDbGlobalTable (active-active)', () => {
  const { geo } = deploy(SESSIONS);
  const use1 = tpl(geo.region('us-east-1').stack);

  test('one global table, in the primary region\'s stack, named from the plan, retained', () => {
    use1.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    use1.hasResource('AWS::DynamoDB::GlobalTable', {
      Properties: { TableName: 'sessions', BillingMode: 'PAY_PER_REQUEST', SSESpecification: { SSEEnabled: true, SSEType: 'KMS' } },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    for (const r of ['eu-west-1', 'ap-southeast-2']) tpl(geo.region(r).stack).resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
  });

  test('every replica is encrypted with its own region\'s key, with PITR and deletion protection', () => {
    const table = at(Object.values(use1.findResources('AWS::DynamoDB::GlobalTable')), 0, 'global table');
    const replicas = Object.fromEntries((table.Properties.Replicas as Array<Record<string, unknown>>).map((r) => [r.Region, r]));
    expect(Object.keys(replicas).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    expect((replicas['us-east-1'].SSESpecification as Record<string, unknown>).KMSMasterKeyId).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: 'sessions-us-east-1-keys', Region: 'us-east-1' }) });
    expect((replicas['eu-west-1'].SSESpecification as Record<string, unknown>).KMSMasterKeyId).toEqual(aliasArn('eu-west-1'));
    expect((replicas['ap-southeast-2'].SSESpecification as Record<string, unknown>).KMSMasterKeyId).toEqual(aliasArn('ap-southeast-2'));
    for (const r of Object.values(replicas)) {
      expect(r).toMatchObject({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    }
  });

  test('eventual consistency: no MultiRegionConsistency (last writer wins)', () => {
    use1.hasResourceProperties('AWS::DynamoDB::GlobalTable', { MultiRegionConsistency: Match.absent() });
  });

  test('the primary stack is deployed after the key stacks of the replica regions, whose keys its replicas use', () => {
    const deps = geo.region('us-east-1').stack.dependencies.map((s) => s.stackName).sort();
    expect(deps).toEqual(['sessions-ap-southeast-2-keys', 'sessions-eu-west-1-keys', 'sessions-us-east-1-keys']);
    expect(geo.region('eu-west-1').stack.dependencies.map((s) => s.stackName)).toEqual(['sessions-eu-west-1-keys']);
  });

  test('each region exposes its replica as an ITableV2 in its own region', () => {
    const replica = geo.region('eu-west-1').table!;
    expect(replica.stack.resolve(replica.tableArn)).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':dynamodb:eu-west-1:', { Ref: 'AWS::AccountId' }, ':table/sessions']] });
    expect(geo.region('us-east-1').table).toBe(need(geo.globalTables, 'main', 'global table').table);
  });

  test('the replication-pause experiment targets the table in the primary region', () => {
    use1.hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Actions: Match.objectLike({ 'pause-replication': Match.objectLike({ ActionId: 'aws:dynamodb:global-table-pause-replication' }) }),
    });
  });
});

describe('DynamoDbGlobalTable strong consistency', () => {
  test('consistency strong on a multi-Region strong consistency region set → MultiRegionConsistency STRONG', () => {
    const spec = withSpec(SESSIONS, {
      regions: [
        { name: 'us-east-1', role: 'active', peakRps: 100, capacityRps: 4000 },
        { name: 'us-east-2', role: 'active', peakRps: 100, capacityRps: 4000 },
        { name: 'us-west-2', role: 'active', peakRps: 100, capacityRps: 4000 },
      ],
      data: { engine: 'dynamodb', classification: 'internal', consistency: 'strong' },
    });
    const { geo } = deploy(spec);
    tpl(geo.region('us-east-1').stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      MultiRegionConsistency: 'STRONG',
      Replicas: Match.arrayWith([Match.objectLike({ Region: 'us-east-2' }), Match.objectLike({ Region: 'us-west-2' })]),
    });
  });

  test('strong consistency outside a region set is refused by the plan', () => {
    expect(() => deploy(withSpec(SESSIONS, { data: { engine: 'dynamodb', classification: 'internal', consistency: 'strong' } })))
      .toThrow(/strong consistency on DynamoDB needs multi-Region strong consistency: exactly 3 regions from one set/);
  });

  test('write forwarding on DynamoDB is refused', () => {
    expect(() => deploy(withSpec(SESSIONS, { data: { engine: 'dynamodb', classification: 'internal', writeForwarding: true } })))
      .toThrow(/write forwarding is an Aurora feature/);
  });
});

describe('DynamoDbGlobalTable misuse', () => {
  test('an Aurora plan throws', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    expect(() => new DynamoDbGlobalTable(stack, 'T', { plan: planOf(ORDERS), key: new kms.Key(stack, 'K') }))
      .toThrow(/plan.data.engine is aurora-postgresql; a DynamoDB global table needs engine dynamodb/);
  });

  test('a stack outside the partition\'s primary region throws', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'eu-west-1' } });
    expect(() => new DynamoDbGlobalTable(stack, 'T', { plan: planOf(SESSIONS), key: new kms.Key(stack, 'K') }))
      .toThrow(/the table of partition "main" belongs in us-east-1 but the stack is in eu-west-1/);
  });

  test('a key of another region throws', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    const key = kms.Key.fromKeyArn(stack, 'K', 'arn:aws:kms:eu-west-1:111111111111:key/0b0b0b0b-0000-0000-0000-000000000000');
    expect(() => new DynamoDbGlobalTable(stack, 'T', { plan: planOf(SESSIONS), key }))
      .toThrow(/key is a key of eu-west-1; the replica in us-east-1 must be encrypted with us-east-1's own key/);
  });
});

describe('DynamoDbGlobalTable replica tags', () => {
  test('each replica carries its own region\'s role, not the primary\'s', () => {
    const { geo } = deploy(withSpec(SESSIONS, {
      mode: 'active-passive',
      regions: [{ name: 'us-east-1', role: 'primary', peakRps: 100, capacityRps: 4000 }, { name: 'eu-west-1', role: 'secondary', peakRps: 100, capacityRps: 4000 }],
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
    }));
    tpl(geo.region('us-east-1').stack).hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      Replicas: Match.arrayWith([
        Match.objectLike({ Region: 'eu-west-1', Tags: Match.arrayWith([{ Key: 'meridian:region-role', Value: 'secondary' }]) }),
        Match.objectLike({ Region: 'us-east-1', Tags: Match.arrayWith([{ Key: 'meridian:region-role', Value: 'primary' }]) }),
      ]),
    });
  });
});
