/**
 * Room for services on the CDK for Terraform side: the planned application subnets rendered exactly as
 * planned (CIDRs, zones, gateways, routes, interface endpoints), reachable from the peered regions, and
 * exposed to a team's own resources through `GeoTerraformStack.region()` and per-tier outputs.
 */
import { Testing, type TerraformResource } from 'cdktf';
import { GeoTerraformStack } from '../../lib/cdktf';
import { plan, type GeoPlan, type ValidSpec } from '../../lib/model';
import { at } from '../../lib/model/lookup';
import { ordersSpec, render, resourcesOf, type Rendered } from './helpers';
import { withEveryApplicationLayout } from '../support/application-subnets';

type Block = Record<string, unknown>;

/** orders.yaml with public + private subnets everywhere except eu-west-1, which is private with endpoints. */
const servicesSpec = (): ValidSpec => withEveryApplicationLayout(ordersSpec());

/** The Terraform reference to an attribute of a resource, as cdktf writes it. */
const ref = (res: TerraformResource, attr = 'id') => `\${${res.terraformResourceType}.${res.friendlyUniqueId}.${attr}}`;

/** Blocks of a type in one region. */
const inRegion = (r: Rendered, type: string, region: string): [string, Block][] => resourcesOf(r, type).filter(([, b]) => b.region === region);

describe('CDK for Terraform: the planned application subnets', () => {
  let r: Rendered;
  beforeAll(() => {
    // GIVEN orders.yaml with application subnets / WHEN rendered with validations and the policy on
    r = render(servicesSpec());
  });
  const region = (name: string) => at(r.plan.regions.filter((x) => x.name === name), 0, 'planned region');

  test('public-and-private: the subnets have the planned CIDRs and zone indices, and no subnet hands out public addresses', () => {
    const use1 = region('us-east-1');
    const net = r.stack.region('us-east-1').network;
    const subnetOf = (s: TerraformResource) => r.json.resource.aws_subnet?.[s.friendlyUniqueId] as Block;
    expect(net.publicSubnets.map((s) => subnetOf(s).cidr_block)).toEqual(use1.applicationSubnets.public.map((s) => s.cidr));
    expect(net.applicationSubnets.map((s) => subnetOf(s).cidr_block)).toEqual(use1.applicationSubnets.private.map((s) => s.cidr));
    expect(use1.applicationSubnets.public.map((s) => s.cidr)).toEqual(['10.0.3.0/24', '10.0.4.0/24', '10.0.5.0/24']);
    expect(use1.applicationSubnets.private.map((s) => s.cidr)).toEqual(['10.0.6.0/24', '10.0.7.0/24', '10.0.8.0/24']);
    // zone i of the plan is element i of the region's Availability Zones
    const zoneSource = (s: TerraformResource) => String(subnetOf(s).availability_zone);
    expect([...net.publicSubnets, ...net.applicationSubnets].map(zoneSource))
      .toEqual([0, 1, 2, 0, 1, 2].map((i) => expect.stringMatching(new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\.Region-use1_Network_Zones_[0-9A-F]+\\.names, ${i}\\)\\}$`))));
    for (const [, s] of inRegion(r, 'aws_subnet', 'us-east-1')) expect(s.map_public_ip_on_launch).toBe(false);
    // application subnets carry the region's tags (the topology FIS isolation selects by) and their own tier,
    // never the data tier's (the failover rehearsal cuts the data subnets only)
    for (const s of net.publicSubnets) expect(subnetOf(s).tags).toMatchObject({ 'meridian:region': 'us-east-1', 'meridian:topology': 'orders', 'meridian:subnet-tier': 'public' });
    for (const s of net.applicationSubnets) expect(subnetOf(s).tags).toMatchObject({ 'meridian:region': 'us-east-1', 'meridian:topology': 'orders', 'meridian:subnet-tier': 'application' });
  });

  test('public-and-private: the public route table sends 0.0.0.0/0 to the internet gateway of the VPC', () => {
    const net = r.stack.region('us-east-1').network;
    const igw = net.internetGateway;
    if (!igw) throw new Error('no internet gateway');
    expect(inRegion(r, 'aws_internet_gateway', 'us-east-1').map(([, b]) => b.vpc_id)).toEqual([ref(net.vpc)]);
    const publicTable = net.routeTables.public;
    if (!publicTable) throw new Error('no public route table');
    const defaults = inRegion(r, 'aws_route', 'us-east-1').filter(([, b]) => b.destination_cidr_block === '0.0.0.0/0').map(([, b]) => b);
    expect(defaults.filter((b) => b.route_table_id === ref(publicTable))).toEqual([
      expect.objectContaining({ gateway_id: ref(igw) }),
    ]);
    const assoc = inRegion(r, 'aws_route_table_association', 'us-east-1').filter(([, b]) => b.route_table_id === ref(publicTable)).map(([, b]) => b.subnet_id);
    expect(assoc).toEqual(net.publicSubnets.map((s) => ref(s)));
  });

  test('public-and-private: a NAT gateway with its Elastic IP per zone, each zone\'s private subnet routed to its own zone\'s NAT', () => {
    const use1 = region('us-east-1');
    const net = r.stack.region('us-east-1').network;
    const igw = net.internetGateway;
    if (!igw) throw new Error('no internet gateway');
    expect(net.natGateways).toHaveLength(use1.applicationSubnets.natGateways);
    expect(use1.applicationSubnets.natGateways).toBe(3);
    const eips = inRegion(r, 'aws_eip', 'us-east-1');
    expect(eips).toHaveLength(3);
    for (const [, e] of eips) expect(e).toMatchObject({ domain: 'vpc', depends_on: [`${igw.terraformResourceType}.${igw.friendlyUniqueId}`] });
    net.natGateways.forEach((nat, i) => {
      const block = r.json.resource.aws_nat_gateway?.[nat.friendlyUniqueId] as Block;
      const eip = at(eips, i, 'elastic ip');
      expect(block).toMatchObject({ subnet_id: ref(at(net.publicSubnets, i, 'public subnet')), allocation_id: `\${aws_eip.${eip[0]}.allocation_id}` });
    });
    const routes = inRegion(r, 'aws_route', 'us-east-1').map(([, b]) => b);
    const assoc = inRegion(r, 'aws_route_table_association', 'us-east-1').map(([, b]) => b);
    net.applicationSubnets.forEach((s, i) => {
      const table = at(assoc.filter((a) => a.subnet_id === ref(s)), 0, 'association').route_table_id;
      const toInternet = routes.filter((x) => x.route_table_id === table && x.destination_cidr_block === '0.0.0.0/0');
      expect(toInternet).toEqual([expect.objectContaining({ nat_gateway_id: ref(at(net.natGateways, i, 'nat gateway')) })]);
      expect(toInternet[0]).not.toHaveProperty('gateway_id');
    });
    // three private route tables (one per zone), one public, one data
    expect(Object.keys(net.routeTables)).toEqual(['data', 'public', 'app-0', 'app-1', 'app-2']);
  });

  test('the data route table keeps no route to the internet', () => {
    const net = r.stack.region('us-east-1').network;
    const dataRoutes = inRegion(r, 'aws_route', 'us-east-1').map(([, b]) => b).filter((b) => b.route_table_id === ref(net.routeTable));
    expect(dataRoutes.map((b) => b.destination_cidr_block).sort()).toEqual([region('eu-west-1').cidr, region('us-west-2').cidr].sort());
    expect(dataRoutes.every((b) => typeof b.vpc_peering_connection_id === 'string')).toBe(true);
  });

  test('every route table of a VPC has a route to each peer, so services reach the peered regions as the data tier does', () => {
    for (const name of ['us-east-1', 'us-west-2', 'eu-west-1']) {
      const net = r.stack.region(name).network;
      const peers = r.plan.network.peerings
        .filter((p) => p.requesterRegion === name || p.accepterRegion === name)
        .map((p) => (p.requesterRegion === name ? p.accepterCidr : p.requesterCidr));
      const routes = inRegion(r, 'aws_route', name).map(([, b]) => b).filter((b) => b.vpc_peering_connection_id !== undefined);
      for (const table of Object.values(net.routeTables)) {
        expect([name, routes.filter((b) => b.route_table_id === ref(table)).map((b) => b.destination_cidr_block).sort()]).toEqual([name, [...peers].sort()]);
      }
    }
  });

  test('private-with-endpoints: private subnets without a default route, no internet gateway, no NAT', () => {
    const euw1 = region('eu-west-1');
    const net = r.stack.region('eu-west-1').network;
    expect(net.publicSubnets).toEqual([]);
    expect(net.internetGateway).toBeUndefined();
    expect(inRegion(r, 'aws_internet_gateway', 'eu-west-1')).toEqual([]);
    expect(inRegion(r, 'aws_nat_gateway', 'eu-west-1')).toEqual([]);
    expect(inRegion(r, 'aws_eip', 'eu-west-1')).toEqual([]);
    const subnetOf = (s: TerraformResource) => r.json.resource.aws_subnet?.[s.friendlyUniqueId] as Block;
    expect(net.applicationSubnets.map((s) => subnetOf(s).cidr_block)).toEqual(euw1.applicationSubnets.private.map((s) => s.cidr));
    expect(euw1.applicationSubnets.private.map((s) => s.cidr)).toEqual(['10.2.3.0/24', '10.2.4.0/24', '10.2.5.0/24']);
    expect(inRegion(r, 'aws_route', 'eu-west-1').filter(([, b]) => b.destination_cidr_block === '0.0.0.0/0')).toEqual([]);
    expect(Object.keys(net.routeTables)).toEqual(['data', 'app']);
  });

  test('private-with-endpoints: an interface endpoint per planned service with the region\'s service name and private DNS, in the private subnets', () => {
    const net = r.stack.region('eu-west-1').network;
    const sg = net.endpointSecurityGroup;
    if (!sg) throw new Error('no endpoint security group');
    const endpoints = inRegion(r, 'aws_vpc_endpoint', 'eu-west-1').map(([, b]) => b);
    expect(endpoints.map((e) => e.service_name).sort()).toEqual([
      'com.amazonaws.eu-west-1.kms', 'com.amazonaws.eu-west-1.logs', 'com.amazonaws.eu-west-1.secretsmanager', 'com.amazonaws.eu-west-1.sts',
    ]);
    for (const e of endpoints) {
      expect(e).toMatchObject({
        vpc_endpoint_type: 'Interface', private_dns_enabled: true, vpc_id: ref(net.vpc),
        subnet_ids: net.applicationSubnets.map((s) => ref(s)), security_group_ids: [ref(sg)],
      });
    }
    expect(Object.keys(net.interfaceEndpoints).sort()).toEqual(['kms', 'logs', 'secretsmanager', 'sts']);
    // private DNS needs DNS support and hostnames on the VPC
    expect(r.json.resource.aws_vpc?.[net.vpc.friendlyUniqueId]).toMatchObject({ enable_dns_support: true, enable_dns_hostnames: true });
    // public-and-private regions have no endpoints
    expect(inRegion(r, 'aws_vpc_endpoint', 'us-east-1')).toEqual([]);
  });

  test('private-with-endpoints: the endpoints\' security group admits HTTPS from the region\'s own CIDR only and has no egress', () => {
    const euw1 = region('eu-west-1');
    const sg = r.stack.region('eu-west-1').network.endpointSecurityGroup;
    if (!sg) throw new Error('no endpoint security group');
    const block = r.json.resource.aws_security_group?.[sg.friendlyUniqueId] as Block;
    expect(block).toMatchObject({ name: 'orders-eu-west-1-endpoints', revoke_rules_on_delete: true });
    expect(block).not.toHaveProperty('egress');
    expect(block).not.toHaveProperty('ingress');
    const rules = resourcesOf(r, 'aws_vpc_security_group_ingress_rule').map(([, b]) => b).filter((b) => b.security_group_id === ref(sg));
    expect(rules).toEqual([expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: euw1.cidr, region: 'eu-west-1' })]);
    expect(resourcesOf(r, 'aws_vpc_security_group_egress_rule')).toEqual([]);
  });

  test('service authors get the subnets per tier: region() and outputs per region', () => {
    const outputs = r.json.output as Record<string, { value: unknown }>;
    const use1 = r.stack.region('us-east-1').network;
    expect(outputs.vpc_id_use1?.value).toBe(ref(use1.vpc));
    expect(outputs.public_subnet_ids_use1?.value).toEqual(use1.publicSubnets.map((s) => ref(s)));
    expect(outputs.app_subnet_ids_use1?.value).toEqual(use1.applicationSubnets.map((s) => ref(s)));
    expect(outputs).not.toHaveProperty('public_subnet_ids_euw1');
    expect(outputs.app_subnet_ids_euw1?.value).toHaveLength(3);
    expect(outputs).toHaveProperty('endpoint_security_group_euw1');
    expect(() => r.stack.region('ap-south-1')).toThrow(/"ap-south-1" is not a region of plan "orders"; allowed: us-east-1, us-west-2, eu-west-1/);
  });
});

describe('CDK for Terraform: layout none and other plans', () => {
  test('none (the default) keeps the VPC to its data subnets, with no outputs for services', () => {
    const r = render(ordersSpec());
    expect(resourcesOf(r, 'aws_subnet')).toHaveLength(9);
    expect(resourcesOf(r, 'aws_subnet').every(([, b]) => (b.tags as Block)['meridian:subnet-tier'] === 'data')).toBe(true);
    for (const type of ['aws_internet_gateway', 'aws_nat_gateway', 'aws_eip', 'aws_vpc_endpoint']) expect([type, resourcesOf(r, type)]).toEqual([type, []]);
    expect(Object.keys(r.json.output as Block).filter((k) => /subnet_ids|vpc_id|endpoint_security/.test(k))).toEqual([]);
    expect(Object.keys(r.stack.region('us-east-1').network.routeTables)).toEqual(['data']);
  });

  test('a region with two zones gets two subnets per tier and two NAT gateways', () => {
    const spec = ordersSpec();
    const r = render({
      ...spec,
      network: { ...spec.network, applicationSubnets: 'public-and-private' },
      regions: spec.regions.map((x) => (x.name === 'us-west-2' ? { ...x, name: 'us-west-1', endpoint: 'api-usw1.example.com' } : x)),
    });
    const usw1 = r.stack.region('us-west-1').network;
    expect([usw1.publicSubnets.length, usw1.applicationSubnets.length, usw1.natGateways.length]).toEqual([2, 2, 2]);
    expect(at(r.plan.regions, 1, 'planned region').applicationSubnets.public.map((s) => s.zoneIndex)).toEqual([0, 1]);
  });

  test('the China regions get the cn.com.amazonaws STS endpoint service', () => {
    const spec: ValidSpec = {
      ...ordersSpec(),
      name: 'cnorders',
      network: { ...ordersSpec().network, applicationSubnets: 'private-with-endpoints' },
      regions: [{ name: 'cn-north-1', role: 'primary' }, { name: 'cn-northwest-1', role: 'secondary' }],
      dns: { ...ordersSpec().dns, zoneName: 'example.cn', recordName: 'api.example.cn' },
    } as ValidSpec;
    const r = render(spec, { policyChecker: false });
    const names = resourcesOf(r, 'aws_vpc_endpoint').map(([, b]) => b.service_name);
    expect(names).toContain('cn.com.amazonaws.cn-north-1.sts');
    expect(names).toContain('com.amazonaws.cn-north-1.kms');
  });
});

describe('CDK for Terraform: a plan the renderer cannot lay out is refused, naming the field', () => {
  /** The services plan with one region's application subnets replaced (plans read from JSON bypass plan()). */
  function withApp(region: string, change: (a: GeoPlan['regions'][number]['applicationSubnets']) => object): GeoPlan {
    const p = plan(servicesSpec());
    return { ...p, regions: p.regions.map((x) => (x.name === region ? { ...x, applicationSubnets: { ...x.applicationSubnets, ...change(x.applicationSubnets) } } : x)) } as GeoPlan;
  }
  const build = (p: GeoPlan) => new GeoTerraformStack(Testing.app(), p.name, { plan: p, policyChecker: false });

  test('more NAT gateways than public subnets', () => {
    expect(() => build(withApp('us-east-1', () => ({ natGateways: 4 })))).toThrow(/us-east-1 plans 4 NAT gateways but 3 public subnets to put them in; allowed: at most 3 \(one per public subnet\)/);
  });

  test('NAT gateways without public subnets', () => {
    expect(() => build(withApp('eu-west-1', () => ({ natGateways: 1 })))).toThrow(/eu-west-1 plans 1 NAT gateways but no public subnet; allowed: 0 without public subnets/);
  });

  test('an interface endpoint without a service name', () => {
    expect(() => build(withApp('eu-west-1', (a) => ({ endpointAccess: { ...a.endpointAccess, serviceNames: { kms: 'com.amazonaws.eu-west-1.kms' } } }))))
      .toThrow(/eu-west-1 plans an interface endpoint for secretsmanager but no service name for it; service names planned: kms/);
  });

  test('a plan read from JSON that lists interface endpoints without their access (an older plan) names the missing field', () => {
    expect(() => build(withApp('eu-west-1', () => ({ endpointAccess: undefined }))))
      .toThrow(/plan\.regions\[\]\.applicationSubnets\.endpointAccess.*endpoint access \(service names, port, client CIDRs, private DNS\) wherever interface endpoints are planned/);
  });

  test('interface endpoints without private subnets to put them in', () => {
    expect(() => build(withApp('eu-west-1', () => ({ private: [] })))).toThrow(/eu-west-1 plans interface endpoints \(layout private-with-endpoints\) but no private subnet to put them in/);
  });
});
