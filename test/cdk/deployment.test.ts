import { Stack, Token, Validations } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Match } from 'aws-cdk-lib/assertions';
import { GeoDeployment, RegionStack, type RegionDeployment } from '../../lib/cdk';
import type { GeoSpec } from '../../lib/model';
import { deploy, fastApp, onlyId, ORDERS, planOf, SESSIONS, tpl, withSpec } from './geo-fixtures';
import { at } from '../../lib/model/lookup';

/** ORDERS deployed once, for the describes that only read it (tests that add to a deployment make their own). */
const orders = deploy(ORDERS);

describe('GeoDeployment layout', () => {
  const { app, geo, plan } = orders;

  test('one stack per region with the planned name and an explicit region, plus the DNS stack', () => {
    for (const r of plan.regions) {
      const stack = geo.region(r.name).stack;
      expect(stack.stackName).toBe(r.stackName);
      expect(stack.region).toBe(r.name);
      expect(Token.isUnresolved(stack.account)).toBe(true); // environment-agnostic account
      expect(stack.terminationProtection).toBe(true);
    }
    expect(geo.dnsStack.stackName).toBe('orders-dns');
    expect(geo.dnsStack.region).toBe('us-east-1');
    const names = app.node.findAll().filter((c): c is Stack => c instanceof Stack).map((s) => s.stackName).sort();
    expect(names).toEqual([
      'orders-dns', 'orders-eu-west-1', 'orders-eu-west-1-keys', 'orders-eu-west-1-peering-accepter', 'orders-us-east-1',
      'orders-us-east-1-keys', 'orders-us-east-1-peering', 'orders-us-west-2', 'orders-us-west-2-keys',
      'orders-us-west-2-peering', 'orders-us-west-2-peering-accepter',
    ]);
  });

  test('every region exposes key, vpc, database, alarms, topic and experiments', () => {
    const usw2 = geo.region('us-west-2');
    expect(usw2.key).toBe(usw2.keys.key);
    expect(usw2.vpc).toBe(usw2.network.vpc);
    expect(usw2.database).toBe(usw2.secondaryCluster!.cluster);
    expect(Object.keys(usw2.alarms.alarms).sort()).toEqual(plan.alarms.list.filter((a) => a.region === 'us-west-2').map((a) => a.id).sort());
    expect(usw2.topic).toBe(usw2.alarms.topic);
    const use1 = geo.region('us-east-1');
    expect(use1.database).toBe(use1.globalDatabase!.cluster);
    expect(Object.keys(use1.experiments.templates).sort()).toEqual(['use1-database-failover', 'use1-region-isolation']);
    expect(Object.keys(geo.dns.healthChecks).sort()).toEqual(['hc-euw1', 'hc-use1', 'hc-usw2']);
  });

  test('tags of the plan on every region\'s resources', () => {
    tpl(geo.region('eu-west-1').stack).hasResourceProperties('AWS::EC2::VPC', {
      Tags: Match.arrayWith([{ Key: 'meridian:region-role', Value: 'secondary' }, { Key: 'meridian:topology', Value: 'orders' }]),
    });
  });

  test('the FIS database failover targets the primary cluster', () => {
    tpl(geo.region('us-east-1').stack).hasResourceProperties('AWS::FIS::ExperimentTemplate', {
      Targets: { Clusters: Match.objectLike({ ResourceType: 'aws:rds:cluster' }) },
    });
  });

  test('regions[] of an unknown region is undefined, as its type says', () => {
    const missing: RegionDeployment | undefined = geo.regions['ap-south-1'];
    expect(missing).toBeUndefined();
    expect(geo.regions['us-west-2']).toBe(geo.region('us-west-2'));
  });

  test('region() of an unknown region throws, naming the regions', () => {
    expect(() => geo.region('ap-south-1')).toThrow(/"ap-south-1" is not a region of plan "orders"; allowed: us-east-1, us-west-2, eu-west-1/);
  });
});

describe('GeoDeployment master credentials in every region', () => {
  const { geo, plan } = orders;
  const secretName = at(plan.data.partitions, 0, 'data partition').masterSecretName;
  /** The planned alias ARN of `region`'s key, as the primary's template writes it (no cross-region value). */
  const aliasArn = (region: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:kms:${region}:`, { Ref: 'AWS::AccountId' }, ':alias/meridian/orders']] });

  test('each region\'s key has a stack of its own that depends on nothing, and the region stack depends on it', () => {
    for (const r of plan.regions) {
      const keyStack = geo.region(r.name).keyStack;
      expect(keyStack.stackName).toBe(`${r.stackName}-keys`);
      expect(keyStack.region).toBe(r.name);
      expect(keyStack.dependencies).toEqual([]);
      expect(geo.region(r.name).stack.dependencies).toContain(keyStack);
      const keys = tpl(keyStack);
      keys.resourceCountIs('AWS::KMS::Key', 1);
      keys.hasResourceProperties('AWS::KMS::Alias', { AliasName: r.keyAlias });
      keys.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
      // Secrets Manager of this region (primary secret or replica) may use the key.
      keys.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({
          Condition: { StringEquals: Match.objectLike({ 'kms:ViaService': Match.arrayWith([`secretsmanager.${r.name}.amazonaws.com`]) }) },
        })]) },
      });
      tpl(geo.region(r.name).stack).resourceCountIs('AWS::KMS::Key', 0);
      // and nothing of the deployment adds another region's services to it
      const others = plan.regions.filter((o) => o.name !== r.name).map((o) => `${o.name}.amazonaws.com`);
      const policy = JSON.stringify(keys.findResources('AWS::KMS::Key'));
      expect(policy).toContain(`${r.name}.amazonaws.com`);
      expect(others.filter((o) => policy.includes(o))).toEqual([]);
    }
  });

  test('the primary replicates the master secret to every secondary, each replica under its own region\'s key alias', () => {
    tpl(geo.region('us-east-1').stack).hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: secretName,
      ReplicaRegions: [{ Region: 'us-west-2', KmsKeyId: aliasArn('us-west-2') }, { Region: 'eu-west-1', KmsKeyId: aliasArn('eu-west-1') }],
    });
  });

  test('the primary deploys after the key stacks of the replica regions, and no stack exports a value', () => {
    const deps = geo.region('us-east-1').stack.dependencies;
    expect(deps).toEqual(expect.arrayContaining([geo.region('us-west-2').keyStack, geo.region('eu-west-1').keyStack, geo.region('us-east-1').keyStack]));
    // Secondaries still deploy after the primary (their clusters join its global cluster): no cycle.
    expect(geo.region('us-west-2').stack.dependencies).toContain(geo.region('us-east-1').stack);
    for (const r of plan.regions) {
      for (const stack of [geo.region(r.name).stack, geo.region(r.name).keyStack]) {
        const json = JSON.stringify(tpl(stack).toJSON());
        expect(json).not.toContain('Fn::ImportValue');
        expect(json).not.toContain('"Export"');
      }
    }
  });

  test('an app in a secondary region reads the local replica and connects to the local cluster', () => {
    const { geo: g, plan: p } = deploy(ORDERS);
    const usw2 = g.region('us-west-2');
    const { grantReadMasterSecret: grantRead, cluster } = usw2;
    if (!grantRead || !cluster) throw new Error('us-west-2 has an Aurora secondary: grantReadMasterSecret and cluster are set');
    const fn = new lambda.Function(usw2.stack, 'App', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
      // The same name in every region: the SDK reads the replica of the function's own region.
      environment: { SECRET_NAME: at(p.data.partitions, 0, 'data partition').masterSecretName },
    });
    grantRead(fn);
    cluster.grantConnect(fn, 'app');
    // In the primary region the same grant reads the secret itself.
    const use1 = g.region('us-east-1');
    const primaryFn = new lambda.Function(use1.stack, 'App', {
      runtime: lambda.Runtime.NODEJS_20_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {};'),
    });
    use1.grantReadMasterSecret?.(primaryFn);
    const t = tpl(usw2.stack);
    const secondaryId = onlyId(t, 'AWS::RDS::DBCluster');
    t.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([
        Match.objectLike({
          Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
          Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:us-west-2:', { Ref: 'AWS::AccountId' }, `:secret:${at(p.data.partitions, 0, 'data partition').masterSecretName}-??????`]] },
        }),
        Match.objectLike({
          Action: 'kms:Decrypt',
          Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-west-2.amazonaws.com' } },
          // This region's key, read from its key stack (same region, weak reference).
          Resource: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'orders-us-west-2-keys' }) },
        }),
        Match.objectLike({
          Action: 'rds-db:connect',
          Resource: { 'Fn::Join': ['', Match.arrayWith([':rds-db:us-west-2:', { 'Fn::GetAtt': [secondaryId, 'DBClusterResourceId'] }, '/app'])] },
        }),
      ]) },
    });
    const primary = tpl(use1.stack);
    primary.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({
        Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
        Resource: { Ref: onlyId(primary, 'AWS::SecretsManager::Secret') },
      }), Match.objectLike({ Action: 'kms:Decrypt', Condition: { StringEquals: { 'kms:ViaService': 'secretsmanager.us-east-1.amazonaws.com' } } })]) },
    });
    // No grant reaches into a key policy: the key stacks, which deploy first, reference no application.
    for (const r of ['us-east-1', 'us-west-2']) expect(JSON.stringify(tpl(g.region(r).keyStack).toJSON())).not.toContain('ServiceRole');
    // A region outside every partition's replication gets no grant function; here all three have one.
    expect(plan.regions.every((r) => typeof g.region(r.name).grantReadMasterSecret === 'function')).toBe(true);
  });
});

describe('GeoDeployment acknowledgements', () => {
  /** A resolved value the way cdk-nag names it in a finding id: `<AWS::Partition>`, `<Res.Arn>`, joins flattened. */
  const flat = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) return (o['Fn::Join'][1] as unknown[]).map(flat).join(o['Fn::Join'][0] as string);
    if (Array.isArray(o['Fn::GetAtt'])) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if (o.Ref !== undefined) return `<${String(o.Ref)}>`;
    return JSON.stringify(v);
  };

  test.each([['Aurora', ORDERS], ['DynamoDB', SESSIONS]])('%s: each FIS role acknowledges AwsSolutions-IAM5 for exactly the wildcards of its resolved policy', (_, spec) => {
    // GIVEN / WHEN
    const { geo } = deploy(spec);
    const roles = Object.values(geo.regions).flatMap((r) => Object.values(r?.experiments.roles ?? {}));
    expect(roles.length).toBeGreaterThan(0);
    for (const role of roles) {
      // THEN the ids name what cdk-nag finds in the whole document, resolved (wildcard actions and resources of Allow statements)
      const policy = role.node.findChild('DefaultPolicy') as iam.Policy;
      const doc = Stack.of(role).resolve(policy.document.toJSON()) as { Statement: Array<{ Effect: string; Action: unknown; Resource: unknown }> };
      const expected = new Set<string>();
      for (const st of doc.Statement.filter((x) => x.Effect === 'Allow')) {
        for (const a of ([] as unknown[]).concat(st.Action)) if (String(a).includes('*')) expected.add(`AwsSolutions::AwsSolutions-IAM5[Action::${String(a)}]`);
        for (const r of ([] as unknown[]).concat(st.Resource).map(flat)) if (r.includes('*')) expected.add(`AwsSolutions::AwsSolutions-IAM5[Resource::${r}]`);
      }
      const acknowledged = role.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.keys(m.data as Record<string, string>)).filter((id) => id.includes('IAM5'));
      expect(expected.size).toBeGreaterThan(0);
      expect(acknowledged.sort()).toEqual([...expected].sort());
    }
  });
});

describe('GeoDeployment offline synthesis', () => {
  test('a concrete account needs no lookup: no missing context, zones from Fn::GetAZs', () => {
    const { app, geo } = deploy(withSpec(ORDERS, { account: '123456789012' }));
    const assembly = app.synth();
    expect(assembly.manifest.missing ?? []).toEqual([]);
    expect(geo.region('us-west-2').stack.account).toBe('123456789012');
    const subnet = at(Object.values(tpl(geo.region('us-west-2').stack).findResources('AWS::EC2::Subnet')), 0, 'subnet');
    expect(subnet.Properties.AvailabilityZone).toEqual({ 'Fn::Select': [0, { 'Fn::GetAZs': '' }] });
  });

  test('explicit availability zone names are used as given', () => {
    const { geo } = deploy(withSpec(ORDERS, { account: '123456789012' }), { availabilityZones: { 'us-west-2': ['us-west-2a', 'us-west-2b'] } });
    const azs = Object.values(tpl(geo.region('us-west-2').stack).findResources('AWS::EC2::Subnet')).map((s) => s.Properties.AvailabilityZone);
    expect(azs).toEqual(['us-west-2a', 'us-west-2b']);
  });

  test('RegionStack allocates the logical ids a plain Stack does, once per element; renames and overrides still apply', () => {
    // GIVEN the same constructs in a plain Stack and in a RegionStack, one resource renamed and one overridden in each
    const app = fastApp();
    const build = (stack: Stack) => {
      const fn = (id: string) => new lambda.CfnFunction(stack, id, { code: { zipFile: 'x' }, role: 'arn:aws:iam::123456789012:role/r' });
      new lambda.CfnPermission(stack, 'Perm', { action: 'lambda:InvokeFunction', functionName: fn('Fn').ref, principal: 's3.amazonaws.com' });
      fn('Renamed');
      fn('Overridden').overrideLogicalId('Chosen');
      stack.renameLogicalId(stack.getLogicalId(stack.node.findChild('Renamed') as lambda.CfnFunction), 'RenamedByUser');
    };
    const plain = new Stack(app, 'Plain');
    const region = new RegionStack(app, 'Region');
    build(plain);
    build(region);
    // The allocation RegionStack inherits, counted for its own elements only.
    const allocate = jest.spyOn(Stack.prototype as unknown as { allocateLogicalId: (e: unknown) => string }, 'allocateLogicalId');
    // WHEN both are synthesized (every Ref and every template write resolves a logical id again)
    const resources = (s: Stack) => tpl(s).toJSON().Resources as Record<string, unknown>;
    const inRegion = resources(region);
    const inPlain = resources(plain);
    const allocated = (stack: Stack) => allocate.mock.calls.filter((_, i) => allocate.mock.contexts[i] === stack).map(([e]) => e);
    const [regionCalls, plainCalls] = [allocated(region), allocated(plain)];
    allocate.mockRestore();
    // THEN the templates are the same, Refs included, with the user's rename and override
    expect(inRegion).toEqual(inPlain);
    expect(Object.keys(inRegion)).toEqual(expect.arrayContaining(['Chosen', 'RenamedByUser']));
    // and the RegionStack allocated each element once: Fn, Perm, the bootstrap parameter and rule (Renamed was
    // allocated before the spy, for the rename; Overridden never is), where the plain Stack allocates again per use.
    expect(regionCalls).toHaveLength(4);
    expect(new Set(regionCalls).size).toBe(4);
    expect(plainCalls.length).toBeGreaterThan(new Set(plainCalls).size);
  });

  test('RegionStack refuses fewer than 2 zones', () => {
    expect(() => new RegionStack(fastApp(), 'S', { availabilityZoneCount: 1 })).toThrow(/availabilityZoneCount must be a whole number between 2 and 6, got 1/);
  });

  test('RegionStack refuses fewer than 2 zone names', () => {
    // GIVEN / WHEN / THEN
    expect(() => new RegionStack(fastApp(), 'S', { env: { region: 'us-west-2' }, availabilityZoneNames: ['us-west-2a'] }))
      .toThrow(/availabilityZoneNames must list between 2 and 6 zones, got 1 \(us-west-2a\)/);
  });

  test('RegionStack refuses zone names of another region', () => {
    // GIVEN / WHEN / THEN
    expect(() => new RegionStack(fastApp(), 'S', { env: { region: 'us-west-2' }, availabilityZoneNames: ['us-west-2a', 'us-east-1b'] }))
      .toThrow(/availabilityZoneNames must be zones of us-west-2, got us-east-1b/);
  });

  test('the spec\'s network.availabilityZones sets how many zones the VPC spreads its data subnets over', () => {
    // GIVEN / WHEN
    const { geo, plan } = deploy({ ...ORDERS, network: { ...ORDERS.network, availabilityZones: 2 } });
    // THEN the planned subnets, no more
    expect(plan.regions.find((r) => r.name === 'us-west-2')?.dataSubnets).toHaveLength(2);
    tpl(geo.region('us-west-2').stack).resourceCountIs('AWS::EC2::Subnet', 2);
  });

  test('availabilityZoneCount above the zones the plan relies on is refused, naming the region', () => {
    expect(() => deploy(ORDERS, { availabilityZoneCount: 4 }))
      .toThrow(/availabilityZoneCount must be 2 to 3 in [a-z0-9-]+ \(the zones the plan relies on there; set network.availabilityZones in the spec\), got 4/);
  });
});

describe('GeoDeployment props', () => {
  test('a plan works like its spec', () => {
    const app = fastApp();
    const geo = new GeoDeployment(app, 'Geo', { plan: planOf(SESSIONS) });
    expect(geo.plan.name).toBe('sessions');
    expect(geo.regions['eu-west-1']?.table).toBeDefined();
  });

  test('both spec and plan throws', () => {
    expect(() => new GeoDeployment(fastApp(), 'Geo', { spec: ORDERS, plan: planOf(ORDERS) } as never)).toThrow(/GeoDeployment Geo: spec \| plan must be exactly one of spec \(a GeoSpec\) or plan \(a GeoPlan\); got both/);
  });

  test('stackProps and idPrefix apply to every stack', () => {
    const { geo } = deploy(ORDERS, { stackProps: { terminationProtection: false, description: 'custom' }, idPrefix: 'Blue-' });
    expect(geo.region('us-east-1').stack.terminationProtection).toBe(false);
    expect(geo.region('us-east-1').stack.templateOptions.description).toBe('custom');
    expect(geo.region('us-east-1').stack.node.id).toBe('Blue-orders-us-east-1');
  });

  test('dnsAliasTargets turn the routed records into A aliases to the given targets', () => {
    // GIVEN load balancers imported by attributes (no lookup), one per region with a record
    const target = (dnsName: string) => ({ bind: () => ({ dnsName, hostedZoneId: 'Z35SXDOTRQ7X7K' }) });
    // WHEN
    const { geo } = deploy(ORDERS, { dnsAliasTargets: { 'us-east-1': target('lb-use1.elb.amazonaws.com'), 'us-west-2': target('lb-usw2.elb.amazonaws.com') } });
    // THEN
    const t = tpl(geo.dnsStack);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', Type: 'A', AliasTarget: Match.objectLike({ DNSName: 'lb-use1.elb.amazonaws.com' }) });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'SECONDARY', Type: 'A', AliasTarget: Match.objectLike({ DNSName: 'lb-usw2.elb.amazonaws.com' }) });
    expect(() => deploy(ORDERS, { dnsAliasTargets: { 'us-east-1': target('lb-use1.elb.amazonaws.com') } })).toThrow(/aliasTargets must name every region that has a record .*missing: us-west-2/);
  });

  test('flowLogs false creates no flow logs', () => {
    const { geo } = deploy(ORDERS, { flowLogs: false });
    tpl(geo.region('us-east-1').stack).resourceCountIs('AWS::EC2::FlowLog', 0);
  });
});

describe('GeoDeployment misuse', () => {
  test('two primaries throw', () => {
    const spec: GeoSpec = withSpec(ORDERS, { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'primary' }] });
    expect(() => deploy(spec)).toThrow(/active-passive needs exactly one primary region, got 2 \(us-east-1, us-west-2\)/);
  });

  test('a secondary in the primary\'s region throws', () => {
    const spec: GeoSpec = withSpec(ORDERS, { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-east-1', role: 'secondary' }] });
    expect(() => deploy(spec)).toThrow(/region us-east-1 is listed twice/);
  });

  test('write forwarding on DynamoDB throws', () => {
    expect(() => deploy(withSpec(SESSIONS, { data: { engine: 'dynamodb', classification: 'internal', writeForwarding: true } })))
      .toThrow(/write forwarding is an Aurora feature/);
  });

  test('a headless primary throws', () => {
    const spec: GeoSpec = withSpec(ORDERS, { regions: [{ name: 'us-east-1', role: 'primary', instances: 0 }, { name: 'us-west-2', role: 'secondary' }] });
    expect(() => deploy(spec)).toThrow(/the primary region needs at least one Aurora instance/);
  });
});

// The synth-time policy gate (the validation plugin) is tested in policy.test.ts.
