/**
 * FIS region isolation cuts every subnet of the deployment in the region, not the data tier alone: the
 * experiment selects by the plan's topology tag, every subnet the AWS CDK renderer lays out carries it
 * (with its tier), and nothing of a team's own carries it unless the team tags it so.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { GeoDeployment } from '../../lib/cdk';
import { factsFromTemplates, type Facts } from '../../lib/facts';
import { type GeoSpec } from '../../lib/model';
import { at } from '../../lib/model/lookup';
import { quietly } from '../support/quiet';
import { ORDERS, planOf, tpl } from './geo-fixtures';
import { plannedTiers, withEveryApplicationLayout } from '../support/application-subnets';

type Tags = Record<string, string>;
const tagsOf = (resource: { Properties?: { Tags?: { Key: string; Value: string }[] } }): Tags =>
  Object.fromEntries((resource.Properties?.Tags ?? []).map((t) => [t.Key, t.Value]));

/** orders with public + private subnets in us-east-1 and us-west-2, private with endpoints in eu-west-1. */
const SERVICES: GeoSpec = withEveryApplicationLayout(ORDERS);

describe('AWS CDK: region isolation covers every subnet Meridian lays out', () => {
  // GIVEN / WHEN the deployment with application subnets
  const app = new App({ builtinCloudFormationValidation: false });
  const geo = new GeoDeployment(app, 'Geo', { spec: SERVICES });

  test('the isolation template selects subnets by the plan\'s topology tag alone', () => {
    const fis = Object.values(tpl(geo.region('us-east-1').stack).findResources('AWS::FIS::ExperimentTemplate'))
      // FIS templates take tags as a map
      .find((e) => (e.Properties.Tags as Tags).Name === 'orders-use1-region-isolation');
    expect(fis?.Properties.Targets).toEqual({ Subnets: { ResourceType: 'aws:ec2:subnet', SelectionMode: 'ALL', ResourceTags: { 'meridian:topology': 'orders' } } });
    expect(fis?.Properties.Description).toMatch(/^Cut us-east-1's data and application subnets \(public and private\) off from us-west-2, then eu-west-1/);
  });

  test.each(['us-east-1', 'us-west-2', 'eu-west-1'])('%s: every subnet carries the topology and its planned tier', (name) => {
    const planned = at(geo.plan.regions.filter((r) => r.name === name), 0, 'planned region');
    const subnets = Object.values(tpl(geo.region(name).stack).findResources('AWS::EC2::Subnet'));
    const tiers = plannedTiers(planned);
    // THEN every planned subnet is there, each with the tags the isolation target asks for and its tier
    expect(subnets.map((s) => s.Properties.CidrBlock as string).sort()).toEqual(Object.keys(tiers).sort());
    for (const s of subnets) {
      expect(tagsOf(s)).toMatchObject({ 'meridian:topology': 'orders', 'meridian:subnet-tier': tiers[s.Properties.CidrBlock as string] });
    }
    expect(new Set(Object.values(tiers))).toEqual(new Set(name === 'eu-west-1' ? ['data', 'application'] : ['data', 'public', 'application']));
  });

  test('the tier tag stays on subnets: route tables, NAT gateways and Elastic IPs carry none', () => {
    const t = tpl(geo.region('us-east-1').stack);
    for (const type of ['AWS::EC2::RouteTable', 'AWS::EC2::NatGateway', 'AWS::EC2::EIP']) {
      const found = Object.values(t.findResources(type));
      expect(found.length).toBeGreaterThan(0);
      for (const r of found) expect(tagsOf(r)).not.toHaveProperty(['meridian:subnet-tier']);
    }
  });

  test('the facts read back from the templates show the target as planned', () => {
    const asm = quietly(() => app.synth()).result;
    const set = factsFromTemplates(asm.stacks.map((s) => ({ file: s.templateFile, stackName: s.stackName, region: s.environment.region, template: s.template })));
    const f = at(set.facts, 0, 'facts') as Facts;
    const iso = f.experiments.find((e) => e.id.includes('region-isolation'));
    expect(iso?.targets).toEqual([{ key: 'Subnets', resourceType: 'aws:ec2:subnet', selectionMode: 'ALL', resourceTags: { 'meridian:topology': 'orders' }, resourceArns: null }]);
    // every subnet fact of the deployment has its tier
    expect((f.subnets ?? []).length).toBe(geo.plan.regions.reduce((n, r) => n + Object.keys(plannedTiers(r)).length, 0));
    expect(new Set((f.subnets ?? []).map((s) => s.tier))).toEqual(new Set(['data', 'public', 'application']));
  });
});

describe('AWS CDK: a VPC the team brings', () => {
  test('only its data subnets join the rehearsal; the team\'s other subnets carry no Meridian tag', () => {
    // GIVEN the team's VPC in its own stack: isolated subnets for the data tier and private subnets of its own
    const app = new App({ builtinCloudFormationValidation: false });
    const cidr = at(planOf(ORDERS).regions, 0, 'planned region').cidr;
    const team = new Stack(app, 'Platform', { env: { region: 'us-east-1' } });
    const vpc = new ec2.Vpc(team, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr), maxAzs: 2, natGateways: 1,
      subnetConfiguration: [
        { name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        { name: 'edge', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'svc', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
    });
    // WHEN
    new GeoDeployment(app, 'Geo', { spec: ORDERS, existing: { 'us-east-1': { vpc } } });
    // THEN the data subnets carry the tags the isolation (and the failover rehearsal) select by; the others nothing of Meridian's
    const subnets = Object.values(tpl(team).findResources('AWS::EC2::Subnet'));
    const byGroup = (group: string) => subnets.filter((s) => tagsOf(s)['aws-cdk:subnet-name'] === group).map(tagsOf);
    expect(byGroup('db')).toEqual([expect.objectContaining({ 'meridian:topology': 'orders', 'meridian:subnet-tier': 'data' }), expect.objectContaining({ 'meridian:topology': 'orders', 'meridian:subnet-tier': 'data' })]);
    for (const group of ['edge', 'svc']) {
      expect(byGroup(group)).toHaveLength(2);
      for (const tags of byGroup(group)) expect(Object.keys(tags).filter((k) => k.startsWith('meridian:'))).toEqual([]);
    }
  });
});

describe('AWS CDK: a team\'s own stack from addServiceStack', () => {
  test('its subnets carry the plan\'s topology (the rehearsal cuts them too), but no tier: they are the team\'s', () => {
    // GIVEN / WHEN a service stack with a VPC of its own in us-east-1
    const app = new App({ builtinCloudFormationValidation: false });
    const geo = new GeoDeployment(app, 'Geo', { spec: ORDERS });
    const services = geo.addServiceStack('us-east-1', 'api');
    new ec2.Vpc(services, 'Vpc', { ipAddresses: ec2.IpAddresses.cidr('172.16.0.0/16'), maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'svc', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }] });
    // THEN
    const subnets = Object.values(tpl(services).findResources('AWS::EC2::Subnet')).map(tagsOf);
    expect(subnets).toHaveLength(2);
    for (const tags of subnets) {
      expect(tags['meridian:topology']).toBe('orders');
      expect(tags).not.toHaveProperty(['meridian:subnet-tier']);
    }
  });
});
