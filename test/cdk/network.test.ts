import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import { RegionalNetwork, VpcPeeringRequester, peerCidrs } from '../../lib/cdk';
import type { GeoSpec } from '../../lib/model';
import { bareNetwork, deploy, fastApp, ORDERS, onlyId, planOf, SESSIONS, tpl, withSpec } from './geo-fixtures';
import { at, need } from '../../lib/model/lookup';

describe('RegionalNetwork', () => {
  const plan = planOf(ORDERS);
  const templates = new Map<string, Template>();
  const t = (region: string) => templates.get(region) ?? templates.set(region, bareNetwork(plan, region).template).get(region) as Template;
  const cidr = (region: string) => plan.regions.find((r) => r.name === region)!.cidr;

  test('a VPC per region with the planned CIDR and name, isolated subnets only', () => {
    for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const template = t(region);
      template.resourceCountIs('AWS::EC2::VPC', 1);
      template.hasResourceProperties('AWS::EC2::VPC', {
        CidrBlock: cidr(region),
        Tags: Match.arrayWith([{ Key: 'Name', Value: `orders-${region}` }]),
      });
      template.resourceCountIs('AWS::EC2::InternetGateway', 0);
      template.resourceCountIs('AWS::EC2::NatGateway', 0);
      template.resourceCountIs('AWS::EC2::Subnet', 3);
    }
  });

  test('data subnets carry the tags the FIS region-isolation experiment selects by', () => {
    const subnets = t('us-east-1').findResources('AWS::EC2::Subnet');
    for (const subnet of Object.values(subnets)) {
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
      expect(subnet.Properties.Tags).toEqual(expect.arrayContaining([
        { Key: 'meridian:subnet-tier', Value: 'data' },
        { Key: 'meridian:topology', Value: 'orders' },
      ]));
    }
    // and the experiment selects by the topology alone (every subnet of the deployment in the region)
    const iso = plan.experiments.find((e) => e.kind === 'region-isolation')!;
    expect(iso.targets[0]?.resourceTags).toEqual({ 'meridian:topology': 'orders' });
  });

  test('availability zones come from Fn::GetAZs, never from a lookup', () => {
    const subnets = Object.values(t('us-west-2').findResources('AWS::EC2::Subnet'));
    expect(subnets.map((s) => s.Properties.AvailabilityZone)).toEqual([0, 1, 2].map((i) => ({ 'Fn::Select': [i, { 'Fn::GetAZs': '' }] })));
  });

  test('flow logs go to a log group encrypted with the region\'s own key, retained', () => {
    const template = t('eu-west-1');
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [onlyId(template, 'AWS::KMS::Key'), 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
  });

  test('the database security group admits the database port from the own and peered CIDRs only', () => {
    const template = t('us-west-2');
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties);
    expect(ingress.map((i) => i.CidrIp).sort()).toEqual([cidr('us-east-1'), cidr('us-west-2'), cidr('eu-west-1')].sort());
    for (const i of ingress) {
      expect(i).toMatchObject({ IpProtocol: 'tcp', FromPort: 5432, ToPort: 5432 });
    }
    expect(JSON.stringify(template.toJSON())).not.toContain('0.0.0.0/0');
  });

  test('peerCidrs lists the own CIDR, then each peer', () => {
    expect(peerCidrs(plan, 'eu-west-1')).toEqual([[cidr('eu-west-1'), 'eu-west-1'], [cidr('us-east-1'), 'us-east-1'], [cidr('us-west-2'), 'us-west-2']]);
  });

  test('a DynamoDB plan gets no database security group', () => {
    bareNetwork(planOf(SESSIONS), 'us-east-1').template.resourceCountIs('AWS::EC2::SecurityGroup', 0);
  });

  test.each([1, 7])('maxAzs %d throws', (maxAzs) => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    const key = new kms.Key(stack, 'K');
    expect(() => new RegionalNetwork(stack, 'N', { plan, region: 'us-east-1', key, maxAzs }))
      .toThrow(new RegExp(`maxAzs must be a whole number between 2 and 6 \\(Aurora needs subnets in at least 2 zones\\), got ${maxAzs}`));
  });
  test('subnetCidrMask must leave room for one subnet per zone', () => {
    // GIVEN: a stack with 6 zones and the /16 VPC of the plan; 6 subnets need /19 or longer
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    Object.defineProperty(stack, 'availabilityZones', { get: () => ['a', 'b', 'c', 'd', 'e', 'f'].map((z) => `us-east-1${z}`) });
    const key = new kms.Key(stack, 'K');
    // WHEN / THEN
    expect(() => new RegionalNetwork(stack, 'N', { plan, region: 'us-east-1', key, maxAzs: 6, subnetCidrMask: 18 }))
      .toThrow(/subnetCidrMask must be between \/19 and \/28 for 6 subnets in the VPC 10\.0\.0\.0\/16, got \/18/);
  });

  test('a key of another region for the flow-log group throws', () => {
    // GIVEN
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    const foreign = kms.Key.fromKeyArn(stack, 'Foreign', 'arn:aws:kms:eu-west-1:111111111111:key/0b0b0b0b-0000-0000-0000-000000000000');
    // WHEN / THEN
    expect(() => new RegionalNetwork(stack, 'N', { plan, region: 'us-east-1', key: foreign }))
      .toThrow(/key is a key of eu-west-1; the flow-log group in us-east-1 must be encrypted with us-east-1's own key/);
  });
});

describe('cross-region VPC peering', () => {
  const { geo, plan } = deploy(ORDERS);
  const cidr = (region: string) => plan.regions.find((r) => r.name === region)!.cidr;
  const peering = (region: string) => tpl(need(geo.peeringStacks, region, 'peering stack'));
  const accepter = (region: string) => tpl(need(geo.peeringAccepterStacks, region, 'accepter stack'));

  test('full mesh: each pair has one requester-side connection with PeerRegion', () => {
    peering('us-east-1').resourceCountIs('AWS::EC2::VPCPeeringConnection', 2);
    peering('us-east-1').hasResourceProperties('AWS::EC2::VPCPeeringConnection', {
      PeerRegion: 'us-west-2', Tags: Match.arrayWith([{ Key: 'Name', Value: 'orders-use1-usw2' }]),
      PeerVpcId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'orders-us-west-2', Region: 'us-west-2' }) },
    });
    peering('us-east-1').hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerRegion: 'eu-west-1' });
    peering('us-west-2').resourceCountIs('AWS::EC2::VPCPeeringConnection', 1);
    peering('us-west-2').hasResourceProperties('AWS::EC2::VPCPeeringConnection', { PeerRegion: 'eu-west-1' });
    // eu-west-1 requests nothing: it has only an accepter stack, which holds no connection.
    expect(geo.peeringStacks['eu-west-1']).toBeUndefined();
    accepter('eu-west-1').resourceCountIs('AWS::EC2::VPCPeeringConnection', 0);
  });

  test('routes on both sides: every route table of each side to the other side\'s CIDR', () => {
    const routesOf = (t?: ReturnType<typeof tpl>) => (t ? Object.values(t.findResources('AWS::EC2::Route')).map((r) => r.Properties.DestinationCidrBlock as string) : []);
    const routes = (region: string) => [
      ...routesOf(geo.peeringStacks[region] && peering(region)),
      ...routesOf(geo.peeringAccepterStacks[region] && accepter(region)),
    ];
    const count = (list: string[], c: string) => list.filter((x) => x === c).length;
    // us-east-1 requests use1-usw2 and use1-euw1: 3 route tables each
    expect(count(routes('us-east-1'), cidr('us-west-2'))).toBe(3);
    expect(count(routes('us-east-1'), cidr('eu-west-1'))).toBe(3);
    // us-west-2 accepts use1-usw2 (back to us-east-1) and requests usw2-euw1
    expect(count(routes('us-west-2'), cidr('us-east-1'))).toBe(3);
    expect(count(routes('us-west-2'), cidr('eu-west-1'))).toBe(3);
    // eu-west-1 accepts both
    expect(count(routes('eu-west-1'), cidr('us-east-1'))).toBe(3);
    expect(count(routes('eu-west-1'), cidr('us-west-2'))).toBe(3);
  });

  test('accepter routes use the requester\'s connection across regions through Fn::GetStackOutput', () => {
    accepter('eu-west-1').hasResourceProperties('AWS::EC2::Route', {
      DestinationCidrBlock: cidr('us-east-1'),
      VpcPeeringConnectionId: { 'Fn::GetStackOutput': Match.objectLike({ StackName: 'orders-us-east-1-peering', Region: 'us-east-1' }) },
    });
  });

  test('cross-stack values are weak references: no exports, imports or cross-region custom resources', () => {
    const all = JSON.stringify([...geo.plan.regions.map((r) => tpl(geo.region(r.name).stack).toJSON()), ...[...Object.values(geo.peeringStacks), ...Object.values(geo.peeringAccepterStacks)].map((s) => tpl(s).toJSON())]);
    expect(all).not.toContain('Fn::ImportValue');
    expect(all).not.toContain('"Export"');
    expect(all).not.toMatch(/Custom::CrossRegionExport/);
  });

  test('region stacks never depend on peering stacks; peering stacks follow the regions they read', () => {
    for (const r of geo.plan.regions.map((x) => geo.region(x.name))) {
      expect(r.stack.dependencies.some((d) => /-peering(-accepter)?$/.test(d.stackName))).toBe(false);
    }
    const deps = (s: Stack) => s.dependencies.map((d) => d.stackName).sort();
    expect(deps(need(geo.peeringAccepterStacks, 'eu-west-1', 'accepter stack'))).toEqual(['orders-eu-west-1', 'orders-us-east-1-peering', 'orders-us-west-2-peering']);
    // Two levels, never a chain of peering stacks: requester stacks read region stacks only.
    expect(deps(need(geo.peeringStacks, 'us-west-2', 'peering stack'))).toEqual(['orders-eu-west-1', 'orders-us-west-2']);
    expect(deps(need(geo.peeringAccepterStacks, 'us-west-2', 'accepter stack'))).toEqual(['orders-us-east-1-peering', 'orders-us-west-2']);
  });

  test('hub-and-spoke peers the hub with each spoke only', () => {
    const { geo: hub } = deploy(withSpec(ORDERS, { network: { baseCidr: '10.0.0.0/8', peering: 'hub-and-spoke' } }));
    tpl(need(hub.peeringStacks, 'us-east-1', 'peering stack')).resourceCountIs('AWS::EC2::VPCPeeringConnection', 2);
    expect(Object.keys(hub.peeringStacks)).toEqual(['us-east-1']);
    tpl(need(hub.peeringAccepterStacks, 'us-west-2', 'accepter stack')).resourceCountIs('AWS::EC2::VPCPeeringConnection', 0);
    tpl(need(hub.peeringAccepterStacks, 'us-west-2', 'accepter stack')).resourceCountIs('AWS::EC2::Route', 3);
  });

  test('peering none creates no peering stacks and admits only the own CIDR', () => {
    // Without peering, region isolation would disrupt nothing (the plan refuses it): keep the failover experiment only.
    const { geo: none, plan: p } = deploy(withSpec(ORDERS, { network: { baseCidr: '10.0.0.0/8', peering: 'none' }, experiments: ['database-failover'] }));
    expect(Object.keys(none.peeringStacks)).toEqual([]);
    expect(Object.keys(none.peeringAccepterStacks)).toEqual([]);
    const ingress = Object.values(tpl(none.region('us-west-2').stack).findResources('AWS::EC2::SecurityGroupIngress'));
    expect(ingress.map((i) => i.Properties.CidrIp)).toEqual([at(p.regions, 1, 'planned region').cidr]);
  });

  test('an unknown peering id throws, naming the planned ones', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'V');
    expect(() => new VpcPeeringRequester(stack, 'P', { plan, peeringId: 'use1-apse2', requesterVpc: vpc, accepterVpc: vpc }))
      .toThrow(/peering "use1-apse2" is not in plan "orders"; allowed: use1-usw2, use1-euw1, usw2-euw1/);
  });

  test('a requester in another region\'s stack throws', () => {
    const stack = new Stack(fastApp(), 'S', { env: { region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'V');
    expect(() => new VpcPeeringRequester(stack, 'P', { plan, peeringId: 'use1-usw2', requesterVpc: vpc, accepterVpc: vpc }))
      .toThrow(/the requester side of the peering lives in us-east-1 but the stack is in eu-west-1/);
  });

  test('template assertions see the accepter VPC id only as a weak reference', () => {
    const json = Template.fromStack(need(geo.peeringStacks, 'us-west-2', 'peering stack')).toJSON();
    expect(JSON.stringify(json)).toContain('Fn::GetStackOutput');
  });
});

describe('database access in partitioned mode', () => {
  const spec: GeoSpec = {
    name: 'patients', mode: 'partitioned' as const,
    regions: [
      { name: 'eu-central-1', role: 'active' as const, jurisdiction: 'EU' },
      { name: 'eu-west-3', role: 'active' as const, jurisdiction: 'EU' },
      { name: 'us-east-1', role: 'active' as const, jurisdiction: 'US' },
    ],
    data: { engine: 'aurora-postgresql' as const, classification: 'pii' as const, residency: ['EU', 'US'] },
    dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' as const },
  };

  test('the database admits its own partition\'s CIDRs only, though all regions are peered', () => {
    const plan = planOf(spec);
    const cidr = (r: string) => plan.regions.find((x) => x.name === r)!.cidr;
    expect(plan.network.peerings).toHaveLength(3);
    const ingress = Object.values(bareNetwork(plan, 'eu-central-1').template.findResources('AWS::EC2::SecurityGroupIngress')).map((i) => i.Properties.CidrIp);
    expect(ingress.sort()).toEqual([cidr('eu-central-1'), cidr('eu-west-3')].sort());
    expect(peerCidrs(plan, 'us-east-1')).toEqual([[cidr('us-east-1'), 'us-east-1']]);
  });
});
