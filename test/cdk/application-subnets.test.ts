/**
 * Room for services: the plan lays out application subnets beside the data subnets (public + private
 * with egress, or private only with interface endpoints), and the AWS CDK renderer builds exactly that.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GeoDeployment } from '../../lib/cdk';
import { interfaceEndpointServiceName, type GeoSpec } from '../../lib/model';
import { bareNetwork, ORDERS, planOf, withSpec } from './geo-fixtures';
import { at } from '../../lib/model/lookup';

const withLayout = (network: GeoSpec['network'], regions = ORDERS.regions): GeoSpec => withSpec(ORDERS, { network: { ...ORDERS.network, ...network }, regions });

describe('plan: application subnets', () => {
  test('public-and-private: public then private subnets after the data subnets, a NAT gateway per zone', () => {
    // GIVEN / WHEN
    const use1 = at(planOf(withLayout({ applicationSubnets: 'public-and-private' })).regions, 0, 'planned region');
    // THEN (us-east-1 gets 10.0.0.0/16 and 3 zones: data .0-.2, public .3-.5, private .6-.8)
    expect(use1.cidr).toBe('10.0.0.0/16');
    expect(use1.dataSubnets.map((s) => s.cidr)).toEqual(['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24']);
    expect(use1.applicationSubnets).toEqual({
      layout: 'public-and-private',
      public: [{ cidr: '10.0.3.0/24', zoneIndex: 0 }, { cidr: '10.0.4.0/24', zoneIndex: 1 }, { cidr: '10.0.5.0/24', zoneIndex: 2 }],
      private: [{ cidr: '10.0.6.0/24', zoneIndex: 0 }, { cidr: '10.0.7.0/24', zoneIndex: 1 }, { cidr: '10.0.8.0/24', zoneIndex: 2 }],
      natGateways: 3,
      interfaceEndpoints: [],
      mapPublicIpOnLaunch: false,
      endpointAccess: null,
    });
  });

  test('private-with-endpoints: the endpoints are planned per region, HTTPS from the region\'s own CIDR only, with private DNS', () => {
    // GIVEN / WHEN
    const p = planOf(withLayout({ applicationSubnets: 'private-with-endpoints' }));
    const usw2 = at(p.regions, 1, 'planned region');
    // THEN: the service names carry the region; only the region's own VPC reaches them (a peer uses its own)
    expect(usw2.applicationSubnets.endpointAccess).toEqual({
      serviceNames: {
        secretsmanager: 'com.amazonaws.us-west-2.secretsmanager', kms: 'com.amazonaws.us-west-2.kms',
        logs: 'com.amazonaws.us-west-2.logs', sts: 'com.amazonaws.us-west-2.sts',
      },
      port: 443,
      clientCidrs: [usw2.cidr],
      privateDns: true,
    });
    expect(usw2.applicationSubnets.mapPublicIpOnLaunch).toBe(false);
  });

  test('endpoint service names: STS in the China regions has the cn.com.amazonaws prefix, everything else com.amazonaws', () => {
    expect(interfaceEndpointServiceName('cn-north-1', 'sts')).toBe('cn.com.amazonaws.cn-north-1.sts');
    expect(interfaceEndpointServiceName('cn-northwest-1', 'sts')).toBe('cn.com.amazonaws.cn-northwest-1.sts');
    expect(interfaceEndpointServiceName('cn-north-1', 'kms')).toBe('com.amazonaws.cn-north-1.kms');
    expect(interfaceEndpointServiceName('eu-central-1', 'sts')).toBe('com.amazonaws.eu-central-1.sts');
  });

  test('a region overrides the network default; none is the default', () => {
    const regions = ORDERS.regions.map((r, i) => (i === 1 ? { ...r, applicationSubnets: 'private-with-endpoints' as const } : r));
    const p = planOf(withLayout({ applicationSubnets: 'public-and-private' }, regions));
    expect(p.regions.map((r) => r.applicationSubnets.layout)).toEqual(['public-and-private', 'private-with-endpoints', 'public-and-private']);
    expect(p.regions[1]?.applicationSubnets).toMatchObject({ public: [], natGateways: 0, interfaceEndpoints: ['secretsmanager', 'kms', 'logs', 'sts'] });
    expect(planOf(ORDERS).regions.every((r) => r.applicationSubnets.layout === 'none' && r.applicationSubnets.private.length === 0)).toBe(true);
  });

  test('a region CIDR without room for them is an input error naming the region', () => {
    const regions = ORDERS.regions.map((r, i) => (i === 0 ? { ...r, cidr: '10.200.0.0/26' } : r));
    expect(() => planOf(withLayout({ applicationSubnets: 'public-and-private' }, regions)))
      .toThrow(/regions\[0\]\.cidr: has no room for 6 application subnets of \/28 after the 3 data subnets \(layout public-and-private\)/);
  });
});

describe('AWS CDK: the planned application subnets', () => {
  // One region's network on a bare region stack, as GeoDeployment lays it out (isolation-targets.test.ts
  // synthesizes a whole deployment with every layout).
  function region(spec: GeoSpec, name = 'us-east-1') {
    const plan = planOf(spec);
    const { network, template } = bareNetwork(plan, name);
    return { plan, t: template, network };
  }

  test('public-and-private: the VPC has exactly the planned subnets, an internet gateway and a NAT gateway per zone', () => {
    const { plan, t, network } = region(withLayout({ applicationSubnets: 'public-and-private' }));
    const planned = at(plan.regions, 0, 'planned region');
    const cidrs = Object.values(t.findResources('AWS::EC2::Subnet')).map((s) => s.Properties.CidrBlock as string).sort();
    expect(cidrs).toEqual([...planned.dataSubnets, ...planned.applicationSubnets.public, ...planned.applicationSubnets.private].map((s) => s.cidr).sort());
    t.resourceCountIs('AWS::EC2::InternetGateway', 1);
    t.resourceCountIs('AWS::EC2::NatGateway', 3);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    // public subnets hand out no public addresses; selections name the groups
    t.allResourcesProperties('AWS::EC2::Subnet', { MapPublicIpOnLaunch: false });
    expect(network.publicSubnets).toEqual({ subnetGroupName: 'public' });
    expect(network.applicationSubnets).toEqual({ subnetGroupName: 'app' });
    expect(network.vpc.selectSubnets(network.applicationSubnets).subnets).toHaveLength(3);
  });

  test('private-with-endpoints: no internet gateway, interface endpoints for the four services in the private subnets', () => {
    const { t, network } = region(withLayout({ applicationSubnets: 'private-with-endpoints' }));
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    t.resourceCountIs('AWS::EC2::NatGateway', 0);
    const services = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e) => JSON.stringify(e.Properties.ServiceName));
    expect(services).toHaveLength(4);
    for (const s of ['secretsmanager', 'kms', 'logs', 'sts']) expect(services.some((x) => x.includes(`.${s}`))).toBe(true);
    t.allResourcesProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true });
    // one security group for the four: HTTPS from the region's own CIDR, nothing else in, nothing out
    expect(network.endpointSecurityGroup).toBeDefined();
    const ingress = Object.values(t.findResources('AWS::EC2::SecurityGroupIngress')).map((r) => r.Properties).filter((p) => p.FromPort === 443);
    expect(ingress).toEqual([expect.objectContaining({ CidrIp: '10.0.0.0/16', IpProtocol: 'tcp', FromPort: 443, ToPort: 443 })]);
    const sgIds = Object.values(t.findResources('AWS::EC2::VPCEndpoint')).map((e) => JSON.stringify(e.Properties.SecurityGroupIds));
    expect(new Set(sgIds).size).toBe(1);
    const egress = Object.values(t.findResources('AWS::EC2::SecurityGroupEgress')).map((r) => r.Properties).filter((p) => JSON.stringify(p.GroupId).includes('EndpointSecurityGroup'));
    expect(egress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
    expect(Object.keys(network.interfaceEndpoints).sort()).toEqual(['kms', 'logs', 'secretsmanager', 'sts']);
    expect(network.publicSubnets).toBeUndefined();
  });

  test('none (the default) keeps the VPC to its data subnets', () => {
    const { t, network } = region(ORDERS);
    t.resourceCountIs('AWS::EC2::Subnet', 3);
    t.resourceCountIs('AWS::EC2::InternetGateway', 0);
    expect(network.applicationSubnets).toBeUndefined();
  });

  test('a plan (read from JSON) with an endpoint but no service name for it is refused, naming region and service', () => {
    const p = planOf(withLayout({ applicationSubnets: 'private-with-endpoints' }));
    const broken = { ...p, regions: p.regions.map((r) => ({ ...r, applicationSubnets: { ...r.applicationSubnets, endpointAccess: r.applicationSubnets.endpointAccess && { ...r.applicationSubnets.endpointAccess, serviceNames: { kms: 'com.amazonaws.us-east-1.kms' } } } })) };
    expect(() => new GeoDeployment(new App({ builtinCloudFormationValidation: false }), 'Geo', { plan: broken, policy: false }))
      .toThrow(/us-east-1 plans an interface endpoint for secretsmanager but no service name for it; service names planned: kms/);
  });

  test('a VPC the team brings carries its own application subnets', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const stack = new Stack(app, 'Platform', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('10.0.0.0/16'), maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(() => new GeoDeployment(app, 'Geo', { spec: withLayout({ applicationSubnets: 'public-and-private' }), existing: { 'us-east-1': { vpc } } }))
      .toThrow(/applicationSubnets public-and-private lays out subnets in a VPC Meridian creates; us-east-1 brings its own vpc/);
  });
});
