/**
 * A team brings what it already has: a VPC and a key per region, and a hosted zone. Meridian uses them
 * instead of creating its own, and still checks what it no longer creates (CIDR, subnets, key region,
 * zone name). Health checks follow the alias targets the records answer with.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { GeoDeployment, type GeoDeploymentOptions } from '../../lib/cdk';
import { ORDERS, planOf } from './geo-fixtures';
import { at } from '../../lib/model/lookup';

const PLAN = planOf(ORDERS);
const cidrOf = (region: string) => PLAN.regions.find((r) => r.name === region)?.cidr ?? '';

/** The team's own platform stack of a region: a VPC (isolated subnets in two zones) and a key. */
function platform(app: App, region: string, cidr = cidrOf(region), subnetType = ec2.SubnetType.PRIVATE_ISOLATED) {
  const stack = new Stack(app, `Platform-${region}`, { env: { region } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: ec2.IpAddresses.cidr(cidr), maxAzs: 2, natGateways: 0,
    subnetConfiguration: [{ name: 'db', subnetType, cidrMask: 24 }],
  });
  const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
  return { stack, vpc, key };
}

function deployWith(app: App, options: GeoDeploymentOptions): GeoDeployment {
  return new GeoDeployment(app, 'Geo', { spec: ORDERS, ...options });
}

describe('bring your own VPC and key', () => {
  const app = new App({ builtinCloudFormationValidation: false });
  const team = platform(app, 'us-east-1');
  const geo = deployWith(app, { existing: { 'us-east-1': { vpc: team.vpc, key: team.key } } });
  const region = Template.fromStack(geo.region('us-east-1').stack);

  test('the region stack creates neither a VPC nor a key, and exposes the team\'s', () => {
    region.resourceCountIs('AWS::EC2::VPC', 0);
    region.resourceCountIs('AWS::KMS::Key', 0);
    expect(geo.region('us-east-1').vpc).toBe(team.vpc);
    expect(geo.region('us-east-1').key).toBe(team.key);
    // the other regions still get their own
    Template.fromStack(geo.region('us-west-2').stack).resourceCountIs('AWS::EC2::VPC', 1);
  });

  test('the data tier, flow logs and the planned alias use them', () => {
    // THEN the DB subnet group takes the team's isolated subnets, the database security group lives in the team's VPC
    const subnetIds = at(Object.values(region.findResources('AWS::RDS::DBSubnetGroup')), 0, 'DB subnet group').Properties.SubnetIds as unknown[];
    expect(subnetIds).toHaveLength(2);
    expect(JSON.stringify(subnetIds)).toContain('Fn::GetStackOutput');
    region.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: Match.objectLike({ 'Fn::GetStackOutput': Match.anyValue() }) });
    region.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL' });
    // the planned alias, in the region's key stack, names the team's key
    const keyStack = Template.fromStack(geo.region('us-east-1').keyStack);
    keyStack.resourceCountIs('AWS::KMS::Key', 0);
    keyStack.hasResourceProperties('AWS::KMS::Alias', { AliasName: at(PLAN.regions, 0, 'planned region').keyAlias });
    // and the key policy of the team's key gains the regional service statements
    Template.fromStack(team.stack).hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'AllowRegionalServicesOnBehalfOfTheAccount' })]) },
    });
  });

  test('the team\'s data subnets carry the tier tag the FIS isolation experiment selects by', () => {
    Template.fromStack(team.stack).hasResourceProperties('AWS::EC2::Subnet', {
      Tags: Match.arrayWith([{ Key: 'meridian:subnet-tier', Value: 'data' }]),
    });
  });
});

describe('what Meridian no longer creates, it still checks', () => {
  test('a VPC whose CIDR is not the planned one', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const team = platform(app, 'us-east-1', '10.99.0.0/16');
    expect(() => deployWith(app, { existing: { 'us-east-1': { vpc: team.vpc } } }))
      .toThrow(/vpc has CIDR 10\.99\.0\.0\/16 but the plan gives us-east-1 10\.\d+\.0\.0\/16; set regions\[0\]\.cidr to 10\.99\.0\.0\/16/);
  });

  test('a VPC without isolated or private subnets', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const team = platform(app, 'us-east-1', cidrOf('us-east-1'), ec2.SubnetType.PUBLIC);
    expect(() => deployWith(app, { existing: { 'us-east-1': { vpc: team.vpc } } }))
      .toThrow(/vpc needs isolated or private subnets in at least 2 Availability Zones for the data tier; got 0 isolated and 0 private subnets in 0 zones/);
  });

  test('a key of another region', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const team = platform(app, 'eu-west-1');
    expect(() => deployWith(app, { existing: { 'us-east-1': { key: team.key } } }))
      .toThrow(/key is a key of eu-west-1; the data and logs in us-east-1 must be encrypted with us-east-1's own key/);
  });

  test('resources for a region the plan does not have', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const team = platform(app, 'ap-south-1', '10.50.0.0/16');
    expect(() => deployWith(app, { existing: { 'ap-south-1': { key: team.key } } }))
      .toThrow(/existing names ap-south-1, which is not a region of plan "orders"; allowed: us-east-1, us-west-2, eu-west-1/);
  });
});

describe('bring your own hosted zone', () => {
  test('the DNS stack creates no zone and writes the records into the team\'s', () => {
    // GIVEN
    const app = new App({ builtinCloudFormationValidation: false });
    const zoneStack = new Stack(app, 'Zones', { env: { region: 'us-east-1' } });
    const zone = new route53.PublicHostedZone(zoneStack, 'Zone', { zoneName: 'example.com' });
    // WHEN
    const geo = deployWith(app, { hostedZone: zone });
    // THEN
    const dns = Template.fromStack(geo.dnsStack);
    dns.resourceCountIs('AWS::Route53::HostedZone', 0);
    expect(geo.dns.zone).toBe(zone);
    const zoneIds = Object.values(dns.findResources('AWS::Route53::RecordSet')).map((r) => JSON.stringify(r.Properties.HostedZoneId));
    expect(zoneIds.length).toBeGreaterThan(0);
    expect(zoneIds.every((z) => z.includes('Fn::GetStackOutput'))).toBe(true);
  });

  test('a zone of another name', () => {
    const app = new App({ builtinCloudFormationValidation: false });
    const zone = route53.HostedZone.fromHostedZoneAttributes(new Stack(app, 'Zones', { env: { region: 'us-east-1' } }), 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.org' });
    expect(() => deployWith(app, { hostedZone: zone })).toThrow(/zone is example\.org but the plan's records live in example\.com \(dns\.zoneName\)/);
  });
});

describe('health checks with alias targets', () => {
  test('each region\'s health check probes the DNS name its record aliases to', () => {
    // GIVEN a load balancer name per region that has a record
    const target = (dnsName: string): route53.IAliasRecordTarget => ({ bind: () => ({ dnsName, hostedZoneId: 'Z35SXDOTRQ7X7K' }) });
    const app = new App({ builtinCloudFormationValidation: false });
    // WHEN
    const geo = deployWith(app, { dnsAliasTargets: { 'us-east-1': target('lb-use1.elb.amazonaws.com'), 'us-west-2': target('lb-usw2.elb.amazonaws.com') } });
    // THEN the checks of the regions with targets probe the targets, with the planned protocol and path
    const dns = Template.fromStack(geo.dnsStack);
    const fqdns = Object.values(dns.findResources('AWS::Route53::HealthCheck')).map((h) => h.Properties.HealthCheckConfig.FullyQualifiedDomainName as string).sort();
    expect(fqdns).toEqual(['api-euw1.example.com', 'lb-use1.elb.amazonaws.com', 'lb-usw2.elb.amazonaws.com']);
    dns.hasResourceProperties('AWS::Route53::HealthCheck', {
      HealthCheckConfig: Match.objectLike({ FullyQualifiedDomainName: 'lb-use1.elb.amazonaws.com', Type: 'HTTPS', ResourcePath: '/health', Port: 443 }),
    });
  });
});

describe('a team\'s own stack per region', () => {
  test('addServiceStack: the region\'s environment and tags, after the region stack, weak references only', () => {
    // GIVEN
    const app = new App({ builtinCloudFormationValidation: false });
    const geo = deployWith(app, {});
    // WHEN a service in us-west-2 uses the region's VPC and database
    const services = geo.addServiceStack('us-west-2', 'Api');
    const sg = new ec2.SecurityGroup(services, 'Clients', { vpc: geo.region('us-west-2').vpc });
    // (from the service's side: the rule then lives in the service stack; from the cluster's side it
    // would live in the region stack and make the two stacks depend on each other)
    const cluster = geo.region('us-west-2').cluster;
    if (cluster) sg.connections.allowToDefaultPort(cluster);
    // THEN
    expect(services.region).toBe('us-west-2');
    expect(services.stackName).toBe('orders-us-west-2-api');
    expect(services.dependencies.map((s) => s.stackName)).toContain('orders-us-west-2');
    const template = JSON.stringify(Template.fromStack(services).toJSON());
    expect(template).toContain('Fn::GetStackOutput');
    expect(template).not.toContain('Fn::ImportValue');
    Template.fromStack(services).hasResourceProperties('AWS::EC2::SecurityGroup', {
      Tags: Match.arrayWith([{ Key: 'meridian:region-role', Value: 'secondary' }]),
    });
    Template.fromStack(services).hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 5432, ToPort: 5432 });
    expect(() => geo.addServiceStack('ap-south-1', 'Api')).toThrow(/"ap-south-1" is not a region of plan "orders"/);
  });
});
