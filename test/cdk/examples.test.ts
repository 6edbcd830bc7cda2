/**
 * The example apps, each synthesized once per test run with aws-cdk-lib's built-in CloudFormation
 * validation ON (the shared outputs of test/support/outputs.ts): no validation finding, and the
 * resource families with their key properties, read from the cloud assembly.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { GeoPlan } from '../../lib/model';
import { build as buildActiveActive } from '../../examples/active-active/app';
import { build as buildActivePassive } from '../../examples/active-passive/app';
import { build as buildPartitioned } from '../../examples/partitioned-residency/app';
import { cdkManifest, cdkTemplates, cdkValidationViolations, examplePlan, meridianValidationViolations, type ExampleName } from '../support/outputs';
import { fastApp } from './geo-fixtures';
import { at, need } from '../../lib/model/lookup';

/** What the tests read of one example: its plan and its templates, as `geo` offered them when built in-process. */
function synthValidated(example: ExampleName): { geo: { plan: GeoPlan; template(stackName: string): Template; region(name: string): { stack: string }; dnsStack: string; peeringStacks: Record<string, string>; peeringAccepterStacks: Record<string, string> }; violations: unknown[] } {
  const plan = examplePlan(example);
  const templates = cdkTemplates(example);
  const cache = new Map<string, Template>();
  const template = (stackName: string): Template => {
    const json = templates[stackName];
    if (!json) throw new Error(`no stack ${stackName} in ${example}; stacks: ${Object.keys(templates).join(', ')}`);
    if (!cache.has(stackName)) cache.set(stackName, Template.fromJSON(json));
    return cache.get(stackName) as Template;
  };
  const region = (name: string) => {
    const r = plan.regions.find((x) => x.name === name);
    if (!r) throw new Error(`no region ${name} in ${example}`);
    return { stack: r.stackName };
  };
  const stacksNamed = (suffix: string) => Object.fromEntries(plan.regions.map((r) => [r.name, `${r.stackName}${suffix}`] as const).filter(([, s]) => s in templates));
  const peeringStacks = stacksNamed('-peering');
  const peeringAccepterStacks = stacksNamed('-peering-accepter');
  return { geo: { plan, template, region, dnsStack: plan.dns.stackName, peeringStacks, peeringAccepterStacks }, violations: cdkValidationViolations(example) };
}
type Geo = ReturnType<typeof synthValidated>['geo'];

/** The ARN of a region's key as its region stack reads it: an output of the region's key stack (same region, weak reference). */
const keyArn = (regionStack: string) => ({ 'Fn::GetStackOutput': { StackName: `${regionStack}-keys`, Region: Match.anyValue(), OutputName: Match.stringLikeRegexp('Key') } });

function expectRegionalKeys(geo: Geo): void {
  for (const r of geo.plan.regions) {
    geo.template(geo.region(r.name).stack).resourceCountIs('AWS::KMS::Key', 0);
    const t = geo.template(`${geo.region(r.name).stack}-keys`);
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    t.hasResourceProperties('AWS::KMS::Alias', { AliasName: r.keyAlias });
  }
}

function expectPeeringBothSides(geo: Geo): void {
  for (const p of geo.plan.network.peerings) {
    const requester = geo.template(need(geo.peeringStacks, p.requesterRegion, 'peering stack'));
    const accepter = geo.template(need(geo.peeringAccepterStacks, p.accepterRegion, 'accepter stack'));
    requester.hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerRegion: p.accepterRegion, Tags: Match.arrayWith([{ Key: 'Name', Value: p.name }]) });
    const to = (t: Template, cidr: string) => Object.values(t.findResources('AWS::EC2::Route')).filter((x) => x.Properties.DestinationCidrBlock === cidr).length;
    expect(to(requester, p.accepterCidr)).toBeGreaterThanOrEqual(2);
    expect(to(accepter, p.requesterCidr)).toBe(to(requester, p.accepterCidr));
  }
}

describe('examples/active-passive (Aurora MySQL, failover routing)', () => {
  const { geo, violations } = synthValidated('active-passive');
  const t = (region: string) => geo.template(geo.region(region).stack);

  test('built-in CloudFormation validation finds nothing', () => {
    expect(violations).toEqual([]);
  });

  test('a rotating key per region', () => expectRegionalKeys(geo));

  test('global cluster in the primary region; every member encrypted with its own key and protected', () => {
    t('us-east-1').hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'ledger-global', Engine: 'aurora-mysql', DeletionProtection: true });
    t('us-east-1').hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'ledger-global', KmsKeyId: keyArn(geo.region('us-east-1').stack), DeletionProtection: true, BackupRetentionPeriod: 14 });
    for (const r of ['us-west-2', 'eu-west-1']) {
      t(r).hasResource('AWS::RDS::DBCluster', {
        Properties: {
          GlobalClusterIdentifier: 'ledger-global', SourceRegion: 'us-east-1', KmsKeyId: keyArn(geo.region(r).stack), DeletionProtection: true,
          EnableGlobalWriteForwarding: true, MasterUsername: Match.absent(), MasterUserPassword: Match.absent(),
        },
        DeletionPolicy: 'Snapshot',
      });
      t(r).hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: Match.objectLike({ aurora_replica_read_consistency: 'SESSION' }) });
    }
    t('eu-west-1').resourceCountIs('AWS::RDS::DBInstance', 0);
  });

  test('full-mesh peering with routes on both sides; database port 3306 from own and peer CIDRs only', () => {
    expectPeeringBothSides(geo);
    const ingress = Object.values(t('us-west-2').findResources('AWS::EC2::SecurityGroupIngress')).map((i) => i.Properties);
    expect(ingress.map((i) => i.CidrIp).sort()).toEqual(geo.plan.regions.map((r) => r.cidr).sort());
    expect(ingress.every((i) => i.FromPort === 3306 && i.ToPort === 3306)).toBe(true);
  });

  test('failover records, TTL 60, with health checks', () => {
    const dns = geo.template(geo.dnsStack);
    dns.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'PRIMARY', TTL: '60', HealthCheckId: Match.anyValue() });
    dns.hasResourceProperties('AWS::Route53::RecordSet', { Failover: 'SECONDARY', TTL: '60' });
    dns.resourceCountIs('AWS::Route53::HealthCheck', 3);
  });

  test('misuse fails clearly', () => {
    // Policy findings fail at synth, where the validation plugin reads the templates.
    const { app } = buildActivePassive(fastApp(), { dns: { zoneName: 'ledger.example.com', recordName: 'api.ledger.example.com', routing: 'failover', ttlSeconds: 300 } });
    expect(() => app.synth()).toThrow(/GEO-DNS-001/);
    expect(() => buildActivePassive(fastApp(), { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'primary' }] }))
      .toThrow(/exactly one primary region, got 2/);
    expect(() => buildActivePassive(fastApp(), { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-east-1', role: 'secondary' }] }))
      .toThrow(/us-east-1 is listed twice/);
  });
});

describe('examples/active-active (DynamoDB global table, latency routing)', () => {
  const { geo, violations } = synthValidated('active-active');

  test('built-in CloudFormation validation finds nothing', () => {
    expect(violations).toEqual([]);
  });

  test('a rotating key per region', () => expectRegionalKeys(geo));

  test('the global table: a replica per region, each with its own region\'s key, PITR, deletion protection', () => {
    const t = geo.template(geo.region('us-east-1').stack);
    const table = at(Object.values(t.findResources('AWS::DynamoDB::GlobalTable')), 0, 'global table');
    expect(table.DeletionPolicy).toBe('Retain');
    const replicas = table.Properties.Replicas as Array<{ Region: string; SSESpecification: { KMSMasterKeyId: unknown }; DeletionProtectionEnabled: boolean }>;
    expect(replicas.map((r) => r.Region).sort()).toEqual(['ap-southeast-2', 'eu-west-1', 'us-east-1']);
    for (const r of replicas) {
      expect(r.DeletionProtectionEnabled).toBe(true);
      const key = JSON.stringify(r.SSESpecification.KMSMasterKeyId);
      if (r.Region === 'us-east-1') expect(r.SSESpecification.KMSMasterKeyId).toEqual({ 'Fn::GetStackOutput': expect.objectContaining({ StackName: `${geo.region('us-east-1').stack}-keys`, Region: 'us-east-1' }) });
      else expect(key).toContain(`:kms:${r.Region}:`);
    }
    for (const r of geo.plan.regions) geo.template(geo.region(r.name).stack).resourceCountIs('AWS::RDS::DBCluster', 0);
  });

  test('latency records per region; no peering', () => {
    const dns = geo.template(geo.dnsStack);
    for (const r of ['us-east-1', 'eu-west-1', 'ap-southeast-2']) dns.hasResourceProperties('AWS::Route53::RecordSet', { Region: r, TTL: '60' });
    expect(Object.keys(geo.peeringStacks)).toEqual([]);
    expect(Object.keys(geo.peeringAccepterStacks)).toEqual([]);
  });

  test('misuse fails clearly', () => {
    expect(() => buildActiveActive(fastApp(), { data: { engine: 'dynamodb', classification: 'internal', writeForwarding: true } }))
      .toThrow(/write forwarding is an Aurora feature/);
    expect(() => buildActiveActive(fastApp(), { dns: { zoneName: 'sessions.example.com', recordName: 'api.sessions.example.com', routing: 'failover' } }))
      .toThrow(/failover routing needs active-passive mode/);
  });
});

describe('examples/partitioned-residency (EU and US partitions, geolocation routing)', () => {
  const { geo, violations } = synthValidated('partitioned-residency');
  const t = (region: string) => geo.template(geo.region(region).stack);

  test('built-in CloudFormation validation finds nothing', () => {
    expect(violations).toEqual([]);
  });

  test('a rotating key per region', () => expectRegionalKeys(geo));

  test('one global cluster per jurisdiction; members stay inside it, each with its own key', () => {
    t('eu-central-1').hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'patients-eu-global' });
    t('us-east-1').hasResourceProperties('AWS::RDS::GlobalCluster', { GlobalClusterIdentifier: 'patients-us-global' });
    t('eu-west-3').hasResourceProperties('AWS::RDS::DBCluster', {
      GlobalClusterIdentifier: 'patients-eu-global', SourceRegion: 'eu-central-1', KmsKeyId: keyArn(geo.region('eu-west-3').stack), MasterUsername: Match.absent(),
    });
    t('us-west-2').hasResourceProperties('AWS::RDS::DBCluster', { GlobalClusterIdentifier: 'patients-us-global', SourceRegion: 'us-east-1', KmsKeyId: keyArn(geo.region('us-west-2').stack) });
    const euTemplates = JSON.stringify([t('eu-central-1').toJSON(), t('eu-west-3').toJSON()]);
    expect(euTemplates).not.toContain('patients-us-global');
    expect(geo.plan.regions.find((r) => r.name === 'eu-west-3')!.tags['meridian:jurisdiction']).toBe('EU');
  });

  test('geolocation records: EU countries alias the EU failover set, the default the US set', () => {
    const dns = geo.template(geo.dnsStack);
    // The EU set fails over inside the EU: eu-central-1 PRIMARY, eu-west-3 SECONDARY, each with its health check.
    dns.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'eu.api.patients.example.com', Failover: 'PRIMARY', ResourceRecords: ['api-euc1.patients.example.com'], HealthCheckId: Match.anyValue(),
    });
    dns.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'eu.api.patients.example.com', Failover: 'SECONDARY', ResourceRecords: ['api-euw3.patients.example.com'], HealthCheckId: Match.anyValue(),
    });
    // DE users alias it without evaluating its health: with both EU regions down they stay in the EU.
    const de = dns.findResources('AWS::Route53::RecordSet', { Properties: { GeoLocation: { CountryCode: 'DE' } } });
    const deRecord = at(Object.values(de) as { Properties: Record<string, unknown>; DependsOn?: string[] }[], 0, 'DE record');
    expect(deRecord.Properties).toMatchObject({
      Name: 'api.patients.example.com', Type: 'CNAME', SetIdentifier: 'patients-de',
      AliasTarget: { DNSName: 'eu.api.patients.example.com', EvaluateTargetHealth: false },
    });
    expect(deRecord.Properties.TTL).toBeUndefined();
    expect(deRecord.Properties.HealthCheckId).toBeUndefined();
    // Route 53 refuses an alias to a record set that does not exist yet.
    expect(deRecord.DependsOn).toHaveLength(2);
    dns.hasResourceProperties('AWS::Route53::RecordSet', {
      GeoLocation: { CountryCode: '*' }, AliasTarget: { DNSName: 'us.api.patients.example.com', EvaluateTargetHealth: false },
    });
  });

  test('peering with routes on both sides', () => expectPeeringBothSides(geo));

  test('misuse fails clearly: a partition region without jurisdiction, a residency the regions break', () => {
    expect(() => buildPartitioned(fastApp(), { regions: [{ name: 'eu-central-1', role: 'active' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }] }))
      .toThrow(/partitioned mode needs a jurisdiction on every region/);
    const { app } = buildPartitioned(fastApp(), { data: { engine: 'aurora-postgresql', classification: 'pii', residency: ['EU'] } });
    expect(() => app.synth()).toThrow(/GEO-RESIDENCY-001/);
  });
});

describe('bin/app.ts (the app cdk.json runs)', () => {
  test('synthesizes orders.yaml offline: eleven stacks, no missing context, no validation finding', () => {
    const manifest = cdkManifest('orders');
    expect(manifest.missing ?? []).toEqual([]);
    const stacks = Object.values(manifest.artifacts).filter((a) => a.type === 'aws:cloudformation:stack');
    expect(stacks.map((s) => s.properties?.stackName).sort()).toEqual([
      'orders-dns', 'orders-eu-west-1', 'orders-eu-west-1-keys', 'orders-eu-west-1-peering-accepter', 'orders-us-east-1',
      'orders-us-east-1-keys', 'orders-us-east-1-peering', 'orders-us-west-2', 'orders-us-west-2-keys',
      'orders-us-west-2-peering', 'orders-us-west-2-peering-accepter',
    ]);
    expect(stacks.find((s) => s.properties?.stackName === 'orders-eu-west-1')?.environment).toBe('aws://unknown-account/eu-west-1');
    expect(cdkValidationViolations('orders')).toEqual([]);
    // Meridian's own plugin judged the templates: no violation; what they leave unresolved is an unknown warning.
    expect(meridianValidationViolations('orders').filter((v) => v.severity !== 'warning' || !/\(unknown\)/.test(v.description ?? ''))).toEqual([]);
  });
});
