import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import type { FlowLog } from '@cdktf/provider-aws/lib/flow-log';

import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import type { Route } from '@cdktf/provider-aws/lib/route';
import type { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import type { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import type { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcEndpoint } from '@cdktf/provider-aws/lib/vpc-endpoint';
import type { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import type { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { MeridianValidationError } from '../model/errors';
import { subnetTierTag } from '../model/plan-network';
import { at } from '../model/lookup';
import type { PlannedEndpointAccess, PlannedPeering, PlannedRegion, PlannedRemoval, PlannedSubnet } from '../model/plan-types';
import { arn, attr, iamRoleName, logRetentionDays, policyDocument, preventDestroy, regionTags, sortKeys, type AccountContext } from './common';
import { LeanResource } from './lean';
import {
  FLOW_LOG, IAM_ROLE, ROUTE, ROUTE_TABLE, ROUTE_TABLE_ASSOCIATION, SECURITY_GROUP, SUBNET, VPC_PEERING_CONNECTION,
  VPC_PEERING_CONNECTION_ACCEPTER, VPC_SECURITY_GROUP_INGRESS_RULE,
} from './lean-types';
import type { RegionalKey } from './regional-keys';

// The tier tag is the plan's (one place for both renderers); re-exported for users of this entry point.
export { SUBNET_TIER_TAG } from '../model/plan-network';

export interface RegionalNetworkProps {
  /** The planned region: CIDR, VPC name, data subnets (`dataSubnets`, one per Availability Zone) and tags. */
  readonly region: PlannedRegion;
  /**
   * Database port the DB security group opens.
   * @default - no DB security group (DynamoDB needs none)
   */
  readonly dbPort?: number;
  /** CIDRs allowed to reach the database port: the region's own and its peers'. */
  readonly dbClientCidrs: readonly string[];
  /**
   * Send VPC flow logs (all traffic) to a CloudWatch log group encrypted with this key.
   * @default - no flow logs
   */
  readonly flowLogs?: {
    readonly key: RegionalKey;
    readonly account: AccountContext;
    /** Log group name. */
    readonly logGroupName: string;
    /** Retention in days. */
    readonly retentionDays: number;
    /** What `terraform destroy` does to the log group. */
    readonly removal: PlannedRemoval;
  };
}

/** What {@link RegionalNetwork} adds for the planned application subnets. */
interface ApplicationNetwork {
  readonly routeTables: Record<string, LeanResource<typeof RouteTable>>;
  readonly internetGateway?: InternetGateway;
  readonly endpointSecurityGroup?: LeanResource<typeof SecurityGroup>;
}

/** Route from a private subnet to the internet: every address outside the VPC and its peers. */
const DEFAULT_ROUTE = '0.0.0.0/0';

/**
 * A region's VPC (the plan's CIDR), isolated data subnets (no internet route), one route table for them,
 * every subnet tagged with the region's tags (`meridian:topology`, which FIS region isolation selects by)
 * and its tier (`meridian:subnet-tier`: `data`, `public`, `application`), and the security group
 * of the database, open only on the database port and only to the given CIDRs (no egress rules).
 *
 * With planned application subnets (`region.applicationSubnets`), also the subnets for the region's
 * services, exactly as planned:
 *
 * - `public-and-private`: public subnets (no public IP on launch) with a route table whose default
 *   route goes to an internet gateway; a NAT gateway with its Elastic IP in the public subnet of each
 *   planned zone; private subnets, each zone with its own route table whose default route goes to the
 *   NAT gateway of its zone, so losing a zone does not cut the others' egress;
 * - `private-with-endpoints`: private subnets without a default route (one route table), and an
 *   interface endpoint per planned service in them, with private DNS, behind one security group that
 *   opens the planned port to the planned CIDRs only and has no egress rule.
 */
export class RegionalNetwork extends Construct {
  public readonly vpc: Vpc;
  /** The data subnets, one per planned zone. */
  public readonly subnets: LeanResource<typeof Subnet>[];
  /** The route table of the data subnets. */
  public readonly routeTable: LeanResource<typeof RouteTable>;
  /**
   * Every route table of the VPC by role (`data`, `public`, `app` or `app-<zone>`), data first: cross-region
   * peering routes go into each, so services reach the peered regions as the data tier does.
   */
  public readonly routeTables: Readonly<Record<string, LeanResource<typeof RouteTable>>>;
  /** Public subnets (layout `public-and-private`), one per planned zone: where an internet-facing load balancer goes. */
  public readonly publicSubnets: LeanResource<typeof Subnet>[] = [];
  /** Private subnets for the region's services (any layout but `none`), one per planned zone. */
  public readonly applicationSubnets: LeanResource<typeof Subnet>[] = [];
  /** The internet gateway of the public subnets (layout `public-and-private`). */
  public readonly internetGateway?: InternetGateway;
  /** The NAT gateways, one per planned NAT gateway, in the public subnets of the first zones. */
  public readonly natGateways: NatGateway[] = [];
  /** Interface endpoints by planned service (layout `private-with-endpoints`). */
  public readonly interfaceEndpoints: Record<string, VpcEndpoint> = {};
  /** The security group of the interface endpoints (layout `private-with-endpoints`). */
  public readonly endpointSecurityGroup?: LeanResource<typeof SecurityGroup>;
  /** The database security group; undefined when no `dbPort` was given. */
  public readonly dbSecurityGroup?: LeanResource<typeof SecurityGroup>;
  /** The flow log, when `flowLogs` was given. */
  public readonly flowLog?: LeanResource<typeof FlowLog>;
  public readonly region: PlannedRegion;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const r = props.region;
    this.region = r;
    const region = r.name;
    // Private DNS of interface endpoints needs DNS support and DNS hostnames on the VPC
    // (https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/ec2/aws.sdk.kotlin.services.ec2.model/-create-vpc-endpoint-request/private-dns-enabled.html).
    this.vpc = new Vpc(this, 'Vpc', {
      region,
      cidrBlock: r.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: regionTags(r, r.vpcName),
    });
    // Availability Zones only: an account that opted into a Local or Wavelength Zone would otherwise get a
    // data subnet there (their names sort first), where Aurora does not run and which may sit in another
    // country than the region.
    const azs = new DataAwsAvailabilityZones(this, 'Zones', {
      region,
      state: 'available',
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    // One token per zone (and one read of the zone list), whichever tiers have a subnet in it.
    const zones = new Map<number, string>();
    const zoneOf = (s: PlannedSubnet): string => {
      const known = zones.get(s.zoneIndex);
      if (known !== undefined) return known;
      const zone = Fn.element(attr(azs, 'names'), s.zoneIndex) as string;
      zones.set(s.zoneIndex, zone);
      return zone;
    };
    // The plan never selects a zone index at or above the zones every account can rely on in the region.
    this.subnets = r.dataSubnets.map((s, i) => new LeanResource(this, `Data${i + 1}`, SUBNET, {
      region,
      vpcId: attr(this.vpc, 'id'),
      cidrBlock: s.cidr,
      availabilityZone: zoneOf(s),
      mapPublicIpOnLaunch: false,
      tags: sortKeys({ ...regionTags(r, `${r.vpcName}-data-${i + 1}`), ...subnetTierTag('data') }),
    }));
    this.routeTable = new LeanResource(this, 'DataRoutes', ROUTE_TABLE, {
      region,
      vpcId: attr(this.vpc, 'id'),
      tags: regionTags(r, `${r.vpcName}-data`),
    });
    this.subnets.forEach((s, i) => new LeanResource(this, `DataRoutes${i + 1}`, ROUTE_TABLE_ASSOCIATION, {
      region, subnetId: s.id, routeTableId: this.routeTable.id,
    }));
    const app = this.addApplicationSubnets(zoneOf);
    this.internetGateway = app.internetGateway;
    this.endpointSecurityGroup = app.endpointSecurityGroup;
    this.routeTables = { data: this.routeTable, ...app.routeTables };
    if (props.flowLogs) this.flowLog = this.addFlowLogs(props.flowLogs);
    if (props.dbPort === undefined) return;
    const port = props.dbPort;
    const sg = new LeanResource(this, 'DbSecurityGroup', SECURITY_GROUP, {
      region,
      name: `${r.vpcName}-db`,
      description: `Database of ${r.vpcName}: port ${port} from the VPC and its peers only`,
      vpcId: attr(this.vpc, 'id'),
      revokeRulesOnDelete: true,
      tags: regionTags(r, `${r.vpcName}-db`),
    });
    [...new Set(props.dbClientCidrs)].sort().forEach((cidr) => {
      new LeanResource(this, `DbFrom-${cidr.replace(/[./]/g, '-')}`, VPC_SECURITY_GROUP_INGRESS_RULE, {
        region,
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: port,
        toPort: port,
        cidrIpv4: cidr,
        description: cidr === r.cidr ? `database port from ${r.vpcName}` : `database port from peer ${cidr}`,
        tags: regionTags(r),
      });
    });
    this.dbSecurityGroup = sg;
  }

  /** The planned application subnets with their gateways, routes and endpoints. */
  private addApplicationSubnets(zoneOf: (s: PlannedSubnet) => string): ApplicationNetwork {
    const r = this.region;
    const region = r.name;
    const app = r.applicationSubnets;
    const tables: Record<string, LeanResource<typeof RouteTable>> = {};
    let internetGateway: InternetGateway | undefined;
    const subnet = (tier: 'public' | 'app', s: PlannedSubnet, i: number) => new LeanResource(this, `${tier === 'public' ? 'Public' : 'App'}${i + 1}`, SUBNET, {
      region,
      vpcId: attr(this.vpc, 'id'),
      cidrBlock: s.cidr,
      availabilityZone: zoneOf(s),
      mapPublicIpOnLaunch: app.mapPublicIpOnLaunch,
      // The region's tags hold the topology FIS region isolation selects by; the tier tells the subnets apart.
      tags: sortKeys({ ...regionTags(r, `${r.vpcName}-${tier}-${i + 1}`), ...subnetTierTag(tier === 'public' ? 'public' : 'application') }),
    });
    const table = (id: string, name: string) => new LeanResource(this, id, ROUTE_TABLE, { region, vpcId: attr(this.vpc, 'id'), tags: regionTags(r, name) });
    const associate = (id: string, s: LeanResource<typeof Subnet>, t: LeanResource<typeof RouteTable>) => new LeanResource(this, id, ROUTE_TABLE_ASSOCIATION, { region, subnetId: s.id, routeTableId: t.id });

    this.publicSubnets.push(...app.public.map((s, i) => subnet('public', s, i)));
    if (this.publicSubnets.length > 0) {
      const igw = new InternetGateway(this, 'InternetGateway', { region, vpcId: attr(this.vpc, 'id'), tags: regionTags(r, r.vpcName) });
      internetGateway = igw;
      const routes = table('PublicRoutes', `${r.vpcName}-public`);
      tables.public = routes;
      this.publicSubnets.forEach((s, i) => associate(`PublicRoutes${i + 1}`, s, routes));
      new LeanResource(this, 'PublicDefaultRoute', ROUTE, { region, routeTableId: routes.id, destinationCidrBlock: DEFAULT_ROUTE, gatewayId: igw.id });
      // An Elastic IP, and a NAT gateway using it, need the internet gateway attached first: the provider's
      // aws_eip and aws_nat_gateway docs ask for an explicit depends_on on it (the same note, mirrored:
      // https://www.pulumi.com/registry/packages/aws/api-docs/ec2/eip/).
      for (let i = 0; i < app.natGateways; i++) {
        const host = this.publicSubnets[i];
        if (!host) {
          throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'plan applicationSubnets.natGateways', value: app.natGateways, allowed: `at most ${this.publicSubnets.length}`, message: `${region} plans ${app.natGateways} NAT gateways but ${this.publicSubnets.length} public subnets to put them in; allowed: at most ${this.publicSubnets.length} (one per public subnet)` });
        }
        const eip = new Eip(this, `NatAddress${i + 1}`, { region, domain: 'vpc', tags: regionTags(r, `${r.vpcName}-nat-${i + 1}`), dependsOn: [igw] });
        this.natGateways.push(new NatGateway(this, `NatGateway${i + 1}`, {
          region, allocationId: eip.allocationId, subnetId: host.id, tags: regionTags(r, `${r.vpcName}-nat-${i + 1}`), dependsOn: [igw],
        }));
      }
    } else if (app.natGateways > 0) {
      throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'plan applicationSubnets.natGateways', value: app.natGateways, allowed: '0', message: `${region} plans ${app.natGateways} NAT gateways but no public subnet; allowed: 0 without public subnets (a NAT gateway sits in a public subnet)` });
    }

    this.applicationSubnets.push(...app.private.map((s, i) => subnet('app', s, i)));
    if (this.natGateways.length > 0) {
      // Each zone's private subnet leaves through the NAT gateway of its own zone (when it has one).
      const hostZones = app.public.slice(0, this.natGateways.length).map((s) => s.zoneIndex);
      app.private.forEach((s, i) => {
        const zoneNat = hostZones.indexOf(s.zoneIndex);
        const nat = at(this.natGateways, zoneNat >= 0 ? zoneNat : i % this.natGateways.length, 'NAT gateway');
        const privateSubnet = at(this.applicationSubnets, i, 'private subnet');
        const routes = table(`AppRoutesZone${i + 1}`, `${r.vpcName}-app-${i + 1}`);
        tables[`app-${s.zoneIndex}`] = routes;
        associate(`AppRoutes${i + 1}`, privateSubnet, routes);
        new LeanResource(this, `AppDefaultRoute${i + 1}`, ROUTE, { region, routeTableId: routes.id, destinationCidrBlock: DEFAULT_ROUTE, natGatewayId: nat.id });
      });
    } else if (this.applicationSubnets.length > 0) {
      const routes = table('AppRoutes', `${r.vpcName}-app`);
      tables.app = routes;
      this.applicationSubnets.forEach((s, i) => associate(`AppRoutes${i + 1}`, s, routes));
    }
    const endpointSecurityGroup = app.endpointAccess ? this.addInterfaceEndpoints(app.endpointAccess) : undefined;
    return { routeTables: tables, internetGateway, endpointSecurityGroup };
  }

  /** One interface endpoint per planned service in the application subnets, behind one security group. */
  private addInterfaceEndpoints(access: PlannedEndpointAccess): LeanResource<typeof SecurityGroup> {
    const r = this.region;
    const region = r.name;
    if (this.applicationSubnets.length === 0) {
      throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'plan applicationSubnets.endpointAccess', value: r.applicationSubnets.layout, allowed: 'private subnets', message: `${region} plans interface endpoints (layout ${r.applicationSubnets.layout}) but no private subnet to put them in; allowed: interface endpoints only with private subnets` });
    }
    const sg = new LeanResource(this, 'EndpointSecurityGroup', SECURITY_GROUP, {
      region,
      name: `${r.vpcName}-endpoints`,
      description: `Interface endpoints of ${r.vpcName}: port ${access.port} from ${access.clientCidrs.join(', ')} only`,
      vpcId: attr(this.vpc, 'id'),
      revokeRulesOnDelete: true,
      tags: regionTags(r, `${r.vpcName}-endpoints`),
    });
    // No egress rule: an endpoint answers connections, it never opens any (security groups are stateful).
    [...new Set(access.clientCidrs)].sort().forEach((cidr) => {
      new LeanResource(this, `EndpointsFrom-${cidr.replace(/[./]/g, '-')}`, VPC_SECURITY_GROUP_INGRESS_RULE, {
        region,
        securityGroupId: sg.id,
        ipProtocol: 'tcp',
        fromPort: access.port,
        toPort: access.port,
        cidrIpv4: cidr,
        description: `interface endpoints from ${cidr}`,
        tags: regionTags(r),
      });
    });
    for (const service of r.applicationSubnets.interfaceEndpoints) {
      const serviceName = access.serviceNames[service];
      if (serviceName === undefined) {
        throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'plan applicationSubnets.endpointAccess.serviceNames', value: service, allowed: Object.keys(access.serviceNames).join(', ') || '(none)', message: `${region} plans an interface endpoint for ${service} but no service name for it; service names planned: ${Object.keys(access.serviceNames).join(', ') || '(none)'}` });
      }
      this.interfaceEndpoints[service] = new VpcEndpoint(this, `Endpoint-${service}`, {
        region,
        vpcId: attr(this.vpc, 'id'),
        serviceName,
        vpcEndpointType: 'Interface',
        subnetIds: this.applicationSubnets.map((s) => s.id),
        securityGroupIds: [sg.id],
        privateDnsEnabled: access.privateDns,
        tags: regionTags(r, `${r.vpcName}-${service}`),
      });
    }
    return sg;
  }

  private addFlowLogs(opts: NonNullable<RegionalNetworkProps['flowLogs']>): LeanResource<typeof FlowLog> {
    const r = this.region;
    const region = r.name;
    const logs = new CloudwatchLogGroup(this, 'FlowLogs', {
      region,
      name: opts.logGroupName,
      kmsKeyId: opts.key.arn,
      retentionInDays: logRetentionDays(this.node.path, opts.retentionDays),
      tags: regionTags(r, opts.logGroupName),
      lifecycle: { preventDestroy: preventDestroy(opts.removal) },
    });
    const role = new LeanResource(this, 'FlowLogsRole', IAM_ROLE, {
      name: iamRoleName(r.vpcName, 'flow-logs'),
      description: `Delivers the flow logs of ${r.vpcName} to ${opts.logGroupName}`,
      assumeRolePolicy: policyDocument([{
        Effect: 'Allow',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': opts.account.accountId },
          ArnLike: { 'aws:SourceArn': arn(opts.account, 'ec2', region, 'vpc-flow-log/*') },
        },
      }]),
      tags: regionTags(r, `${r.vpcName}-flow-logs`),
    });
    new IamRolePolicy(this, 'FlowLogsPolicy', {
      name: `${r.vpcName}-flow-logs`,
      role: role.attr('name'),
      policy: policyDocument([{
        Sid: 'WriteFlowLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: [attr(logs, 'arn'), `${attr(logs, 'arn')}:*`],
      }]),
    });
    return new LeanResource(this, 'FlowLog', FLOW_LOG, {
      region,
      vpcId: attr(this.vpc, 'id'),
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: attr(logs, 'arn'),
      iamRoleArn: role.attr('arn'),
      tags: regionTags(r, `${r.vpcName}-flow-logs`),
    });
  }
}

export interface CrossRegionPeeringProps {
  readonly peering: PlannedPeering;
  readonly requester: RegionalNetwork;
  readonly accepter: RegionalNetwork;
}

/**
 * Cross-region VPC peering as Terraform wants it: the connection in the requester region with
 * `peer_region` and `auto_accept = false` (the provider refuses `auto_accept` with `peer_region`), the
 * accepter in the accepter region with `auto_accept = true`, and on each side a route to the other
 * side's CIDR in every route table of its VPC (data and application subnets alike), created once the
 * connection is accepted.
 */
export class CrossRegionPeering extends Construct {
  public readonly connection: LeanResource<typeof VpcPeeringConnection>;
  public readonly accepter: LeanResource<typeof VpcPeeringConnectionAccepterA>;
  /** The route in the requester's data route table. */
  public readonly requesterRoute: LeanResource<typeof Route>;
  /** The route in the accepter's data route table. */
  public readonly accepterRoute: LeanResource<typeof Route>;
  /** The requester's routes, one per route table of its VPC (data first). */
  public readonly requesterRoutes: LeanResource<typeof Route>[];
  /** The accepter's routes, one per route table of its VPC (data first). */
  public readonly accepterRoutes: LeanResource<typeof Route>[];

  constructor(scope: Construct, id: string, props: CrossRegionPeeringProps) {
    super(scope, id);
    const { peering: p, requester, accepter } = props;
    this.connection = new LeanResource(this, 'Connection', VPC_PEERING_CONNECTION, {
      region: p.requesterRegion,
      vpcId: attr(requester.vpc, 'id'),
      peerVpcId: attr(accepter.vpc, 'id'),
      peerRegion: p.accepterRegion,
      autoAccept: false,
      tags: sortKeys({ ...regionTags(requester.region, p.name), 'meridian:peering-side': 'requester' }),
    });
    this.accepter = new LeanResource(this, 'Accepter', VPC_PEERING_CONNECTION_ACCEPTER, {
      region: p.accepterRegion,
      vpcPeeringConnectionId: this.connection.id,
      autoAccept: true,
      tags: sortKeys({ ...regionTags(accepter.region, p.name), 'meridian:peering-side': 'accepter' }),
    });
    // The data route tables keep the ids they always had (`RequesterRoute`, `AccepterRoute`): renaming one would replace it.
    const routeId = (side: string, role: string) => (role === 'data' ? `${side}Route` : `${side}Route-${role}`);
    this.requesterRoutes = Object.entries(requester.routeTables).map(([role, table]) => new LeanResource(this, routeId('Requester', role), ROUTE, {
      region: p.requesterRegion,
      routeTableId: table.id,
      destinationCidrBlock: p.accepterCidr,
      vpcPeeringConnectionId: this.connection.id,
      dependsOn: [this.accepter],
    }));
    this.accepterRoutes = Object.entries(accepter.routeTables).map(([role, table]) => new LeanResource(this, routeId('Accepter', role), ROUTE, {
      region: p.accepterRegion,
      routeTableId: table.id,
      destinationCidrBlock: p.requesterCidr,
      vpcPeeringConnectionId: this.accepter.id,
    }));
    this.requesterRoute = at(this.requesterRoutes, 0, 'requester data route');
    this.accepterRoute = at(this.accepterRoutes, 0, 'accepter data route');
  }
}
