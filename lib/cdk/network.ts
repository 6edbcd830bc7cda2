/**
 * The network of a plan: one VPC per region with isolated data subnets, a database security group that
 * admits only the deployment's own CIDRs, and cross-region VPC peering with routes on both sides.
 */
import { Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DATA_SUBNET_PREFIX, MeridianValidationError, subnetTags, type GeoPlan, type PlannedEndpointAccess, type ValidationProblem, type PlannedPeering, type PlannedRegion, type SubnetTier } from '../model';
import { applyTags, checkKeyRegion, findRegion, removalPolicy } from './tags';

/** Name of the subnet group (`subnetConfiguration`) that holds the data subnets. */
export const DATA_SUBNET_GROUP = 'data';
/** Subnet groups of the planned application subnets (`applicationSubnets` of the spec). */
export const PUBLIC_SUBNET_GROUP = 'public';
export const APPLICATION_SUBNET_GROUP = 'app';

/** Props of {@link RegionalNetwork}. */
export interface RegionalNetworkProps {
  /** The resolved deployment plan; CIDR and VPC name are taken from the region's plan entry. */
  readonly plan: GeoPlan;
  /** The region of this network (the stack's region); must be one of `plan.regions`. */
  readonly region: string;
  /** The region's own customer-managed key; encrypts the flow-log group. */
  readonly key: kms.IKey;
  /**
   * Number of availability zones to spread the data subnets over (Aurora needs at least 2).
   *
   * @default - the region's planned `availabilityZoneCount` (or fewer when the stack knows fewer zones)
   */
  readonly maxAzs?: number;
  /**
   * Prefix length of each data subnet; the VPC must hold one subnet per zone.
   *
   * @default - the prefix of the region's planned `dataSubnets`
   */
  readonly subnetCidrMask?: number;
  /**
   * Send VPC flow logs (rejected and accepted traffic) to an encrypted CloudWatch log group.
   *
   * @default true
   */
  readonly flowLogs?: boolean;
  /**
   * Retention of the flow-log group.
   *
   * @default - `plan.retention.logRetentionDays`
   */
  readonly flowLogRetention?: logs.RetentionDays;
  /**
   * A VPC the team already has in this region, used instead of a new one. Its CIDR must be the
   * region's planned CIDR (write it as `regions[].cidr` in the spec, so the plan checks it against
   * every other region for overlap), and it needs isolated subnets (or, failing those, private
   * subnets) in at least two Availability Zones: the data tier uses them. Flow logs, the data-subnet
   * tags and the database security group are added to it as to a VPC of ours.
   *
   * @default - a new VPC with the planned CIDR and isolated data subnets
   */
  readonly vpc?: ec2.IVpc;
}

/**
 * The VPC of one region (`vpcName` and `cidr` from the plan) with:
 *
 * - isolated data subnets (no route to the internet): one `data` subnet per availability zone;
 * - every subnet tagged as planned (`subnetTags`): `meridian:topology=<plan name>`, which the FIS
 *   region-isolation experiment selects by, and `meridian:subnet-tier` (`data`, `public`,
 *   `application`), which the data-only region-failover rehearsal selects by;
 * - the planned application subnets, if any: public subnets with an internet gateway and a NAT gateway
 *   per zone in front of private subnets (`public-and-private`), or private subnets with interface
 *   endpoints behind one security group that opens the planned port to the planned CIDRs only
 *   (`private-with-endpoints`);
 * - flow logs to a CloudWatch log group encrypted with the region's key (retained on delete);
 * - for Aurora plans, a database security group that admits `plan.data.port` from the region's own
 *   CIDR and from the CIDR of every region it is peered with (in partitioned mode: of its own data
 *   partition only), and nothing else (no egress either).
 */
export class RegionalNetwork extends Construct {
  /** The region's VPC (created here, or the one given as `vpc`). */
  public readonly vpc: ec2.IVpc;
  /** Selection of the data subnets. */
  public readonly dataSubnets: ec2.SubnetSelection;
  /**
   * Selection of the private subnets for the region's services (planned `applicationSubnets`), or
   * undefined with layout `none` or a VPC the team brought.
   */
  public readonly applicationSubnets?: ec2.SubnetSelection;
  /** Selection of the public subnets (layout `public-and-private`): where an internet-facing load balancer goes. */
  public readonly publicSubnets?: ec2.SubnetSelection;
  /** Interface endpoints of the application subnets, by service (layout `private-with-endpoints`). */
  public readonly interfaceEndpoints: Record<string, ec2.InterfaceVpcEndpoint> = {};
  /** The security group of the interface endpoints: the planned port from the planned CIDRs only. */
  public readonly endpointSecurityGroup?: ec2.SecurityGroup;
  /** The database security group (Aurora plans only). */
  public readonly databaseSecurityGroup?: ec2.SecurityGroup;
  /** The flow-log group, when flow logs are on. */
  public readonly flowLogGroup?: logs.LogGroup;
  /** The planned region. */
  public readonly region: PlannedRegion;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const { plan } = props;
    const region = findRegion(plan, props.region, `RegionalNetwork ${this.node.path}`);
    this.region = region;
    const stack = Stack.of(this);
    if (!Token.isUnresolved(stack.region) && stack.region !== region.name) {
      throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'region', value: region.name, allowed: stack.region, message: `region is ${region.name} but the stack is in ${stack.region}; create the network in the ${region.stackName} stack` });
    }
    checkKeyRegion(props.key, region.name, `RegionalNetwork ${this.node.path}`, 'the flow-log group');
    const maxAzs = props.maxAzs ?? region.availabilityZoneCount;
    if (!Number.isInteger(maxAzs) || maxAzs < 2 || maxAzs > 6) {
      throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'maxAzs', value: maxAzs, allowed: 'a whole number between 2 and 6', message: `maxAzs must be a whole number between 2 and 6 (Aurora needs subnets in at least 2 zones), got ${maxAzs}` });
    }
    const app = region.applicationSubnets;
    if (props.vpc) {
      if (app.layout !== 'none') {
        throw new MeridianValidationError({
          construct: `RegionalNetwork ${this.node.path}`, prop: 'applicationSubnets', value: app.layout, allowed: 'none with a VPC the team brings',
          message: `applicationSubnets ${app.layout} lays out subnets in a VPC Meridian creates; ${region.name} brings its own vpc, so bring its application subnets with it and set applicationSubnets to none`,
        });
      }
      this.vpc = props.vpc;
      this.dataSubnets = checkedDataSubnets(props.vpc, region, `RegionalNetwork ${this.node.path}`);
    } else {
      const created = this.createVpc(props, region, maxAzs);
      this.vpc = created;
      this.dataSubnets = { subnetGroupName: DATA_SUBNET_GROUP };
      if (app.private.length > 0) this.applicationSubnets = { subnetGroupName: APPLICATION_SUBNET_GROUP };
      if (app.public.length > 0) this.publicSubnets = { subnetGroupName: PUBLIC_SUBNET_GROUP };
      if (app.endpointAccess) this.endpointSecurityGroup = this.addInterfaceEndpoints(created, region, app.endpointAccess);
    }
    // The planned subnet tags on every subnet of ours, and on the data subnets of a VPC the team brought:
    // the FIS experiments select subnets by them (isolation by topology, the failover rehearsal by tier).
    const tiers: Array<[SubnetTier, ec2.SubnetSelection | undefined]> = [['data', this.dataSubnets], ['public', this.publicSubnets], ['application', this.applicationSubnets]];
    for (const [tier, selection] of tiers) {
      if (!selection) continue;
      for (const subnet of this.vpc.selectSubnets(selection).subnets) {
        // The subnet itself only: its route table, NAT gateway and Elastic IP are not subnets of a tier.
        applyTags(subnet, subnetTags(plan.name, tier), { includeResourceTypes: ['AWS::EC2::Subnet'] });
      }
    }

    if (props.flowLogs ?? true) {
      this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
        encryptionKey: props.key,
        retention: props.flowLogRetention ?? plan.retention.logRetentionDays,
        removalPolicy: removalPolicy(plan.retention.logGroups),
      });
      // An ec2.FlowLog (not vpc.addFlowLog) so that a VPC given as an IVpc gets one as well.
      const flowLog = new ec2.FlowLog(props.vpc ? this : this.vpc, 'FlowLog', {
        resourceType: ec2.FlowLogResourceType.fromVpc(this.vpc),
        destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
        trafficType: ec2.FlowLogTrafficType.ALL,
      });
      Validations.of(flowLog).acknowledge({
        id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy',
        reason: `The flow-log role of ${region.vpcName} carries the CDK-generated inline grant to write to this VPC's own flow-log group and nothing else; a managed policy would be shared by nobody`,
      });
    }

    if (plan.data.engine !== 'dynamodb') {
      const sg = new ec2.SecurityGroup(this, 'DatabaseSecurityGroup', {
        vpc: this.vpc,
        description: `Meridian ${plan.name} ${region.name}: database port ${plan.data.port} from the own and peered CIDRs of the deployment only`,
        allowAllOutbound: false,
        disableInlineRules: true,
      });
      for (const [cidr, from] of peerCidrs(plan, region.name)) {
        sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(plan.data.port), `database clients in ${from} (${cidr})`);
      }
      this.databaseSecurityGroup = sg;
    }
  }

  /**
   * The planned interface endpoints in the application subnets, with private DNS as planned, behind one
   * security group that opens the planned port to the planned CIDRs only and has no egress rule
   * (an endpoint answers; it never opens connections).
   */
  private addInterfaceEndpoints(vpc: ec2.Vpc, region: PlannedRegion, access: PlannedEndpointAccess): ec2.SecurityGroup {
    const sg = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc,
      description: `Meridian ${region.vpcName}: interface endpoints, port ${access.port} from ${access.clientCidrs.join(', ')} only`,
      allowAllOutbound: false,
      disableInlineRules: true,
    });
    for (const cidr of access.clientCidrs) sg.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(access.port), `interface endpoints from ${cidr}`);
    for (const service of region.applicationSubnets.interfaceEndpoints) {
      const serviceName = access.serviceNames[service];
      if (serviceName === undefined) {
        const planned = Object.keys(access.serviceNames).join(', ') || '(none)';
        throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'plan applicationSubnets.endpointAccess.serviceNames', value: service, allowed: planned, message: `${region.name} plans an interface endpoint for ${service} but no service name for it; service names planned: ${planned}` });
      }
      this.interfaceEndpoints[service] = vpc.addInterfaceEndpoint(`Endpoint-${service}`, {
        service: new ec2.InterfaceVpcEndpointService(serviceName, access.port),
        subnets: this.applicationSubnets,
        privateDnsEnabled: access.privateDns,
        securityGroups: [sg],
        open: false,
      });
    }
    return sg;
  }

  /** The VPC of ours: the planned CIDR, isolated data subnets only, no internet gateway. */
  private createVpc(props: RegionalNetworkProps, region: PlannedRegion, maxAzs: number): ec2.Vpc {
    const stack = Stack.of(this);
    const mask = props.subnetCidrMask ?? plannedSubnetPrefix(region);
    const vpcPrefix = Number(region.cidr.split('/')[1]);
    // One data subnet per zone the VPC uses (the Vpc takes at most the zones the stack knows).
    const subnets = Math.min(maxAzs, stack.availabilityZones.length);
    const shortest = vpcPrefix + Math.max(2, Math.ceil(Math.log2(subnets)));
    if (!Number.isInteger(mask) || mask < shortest || mask > 28) {
      throw new MeridianValidationError({ construct: `RegionalNetwork ${this.node.path}`, prop: 'subnetCidrMask', value: mask, allowed: `between /${shortest} and /28`, message: `subnetCidrMask must be between /${shortest} and /28 for ${subnets} subnets in the VPC ${region.cidr}, got /${mask}` });
    }

    // The groups in the plan's order (data, then public, then private): the Vpc allocates them from the
    // bottom of the CIDR in this order, which is where the plan put them.
    const app = region.applicationSubnets;
    const subnetConfiguration: ec2.SubnetConfiguration[] = [{ name: DATA_SUBNET_GROUP, subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: mask }];
    if (app.public.length > 0) subnetConfiguration.push({ name: PUBLIC_SUBNET_GROUP, subnetType: ec2.SubnetType.PUBLIC, cidrMask: mask, mapPublicIpOnLaunch: app.mapPublicIpOnLaunch });
    if (app.private.length > 0) {
      subnetConfiguration.push({
        name: APPLICATION_SUBNET_GROUP,
        subnetType: app.natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        cidrMask: mask,
      });
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      vpcName: region.vpcName,
      ipAddresses: ec2.IpAddresses.cidr(region.cidr),
      maxAzs,
      natGateways: app.natGateways,
      natGatewaySubnets: app.natGateways > 0 ? { subnetGroupName: PUBLIC_SUBNET_GROUP } : undefined,
      createInternetGateway: app.public.length > 0,
      restrictDefaultSecurityGroup: false,
      subnetConfiguration,
    });
    Validations.of(vpc).acknowledge({
      id: 'NIST.800.53.R5::NIST.800.53.R5-VPCDefaultSecurityGroupClosed',
      reason: `No resource of ${region.vpcName} uses its default security group (the database has its own, admitting only the deployment's CIDRs${app.public.length > 0 ? '; load balancers and services bring their own' : ', and there is no internet gateway'}); closing the default group takes a Lambda-backed custom resource`,
    });
    return vpc;
  }
}

/** The CIDR of a VPC when synth can know it (an imported VPC's attribute, or the block of a Vpc of this app). */
function knownCidr(vpc: ec2.IVpc): string | undefined {
  if (!Token.isUnresolved(vpc.vpcCidrBlock)) return vpc.vpcCidrBlock;
  const cfn = vpc.node.defaultChild;
  if (cfn instanceof ec2.CfnVPC && typeof cfn.cidrBlock === 'string' && !Token.isUnresolved(cfn.cidrBlock)) return cfn.cidrBlock;
  return undefined;
}

/**
 * The data subnets of a VPC the team brought: isolated subnets, else private ones, in at least two
 * Availability Zones (an Aurora DB subnet group needs two). Throws, naming the region and what was
 * found, when the VPC's CIDR is not the planned one or it has no such subnets.
 */
function checkedDataSubnets(vpc: ec2.IVpc, region: PlannedRegion, who: string): ec2.SubnetSelection {
  const problems: ValidationProblem[] = [];
  const cidr = knownCidr(vpc);
  if (cidr !== undefined && cidr !== region.cidr) {
    problems.push({ construct: who, prop: 'vpc', value: cidr, allowed: region.cidr, message: `vpc has CIDR ${cidr} but the plan gives ${region.name} ${region.cidr}; set regions[${region.index}].cidr to ${cidr} in the spec, so the plan checks it against the other regions for overlap` });
  }
  const type = vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS;
  const subnets = type === ec2.SubnetType.PRIVATE_ISOLATED ? vpc.isolatedSubnets : vpc.privateSubnets;
  const zones = new Set(subnets.map((s) => s.availabilityZone));
  if (zones.size < 2) {
    problems.push({ construct: who, prop: 'vpc', value: `${subnets.length} subnets`, allowed: 'isolated or private subnets in 2 zones', message: `vpc needs isolated or private subnets in at least 2 Availability Zones for the data tier; got ${vpc.isolatedSubnets.length} isolated and ${vpc.privateSubnets.length} private subnets in ${zones.size} zone${zones.size === 1 ? '' : 's'}` });
  }
  if (problems.length > 0) throw new MeridianValidationError(problems);
  return { subnetType: type };
}

/**
 * The CIDRs allowed to reach a region's database: its own, then those of every region it is peered
 * with, in plan order, as `[cidr, region]` pairs. In partitioned mode only peers of the same data
 * partition (jurisdiction) are admitted: a region serving another jurisdiction may be peered for other
 * traffic, but never reads this partition's database.
 */
export function peerCidrs(plan: GeoPlan, region: string): Array<[string, string]> {
  return findRegion(plan, region, 'peerCidrs').databaseClientCidrs.map((c) => [c.cidr, c.region]);
}

/** Prefix length of a region's planned data subnets (the Vpc allocates them from the bottom of its CIDR, as planned). */
function plannedSubnetPrefix(region: PlannedRegion): number {
  const first = region.dataSubnets[0];
  return first ? Number(first.cidr.split('/')[1]) : DATA_SUBNET_PREFIX;
}

/** The ids of every route table of a VPC's subnets, without duplicates, in subnet order. */
export function routeTableIds(vpc: ec2.IVpc): string[] {
  const ids: string[] = [];
  for (const subnet of [...vpc.publicSubnets, ...vpc.privateSubnets, ...vpc.isolatedSubnets]) {
    const id = subnet.routeTable.routeTableId;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

function findPeering(plan: GeoPlan, id: string, who: string): PlannedPeering {
  const found = plan.network.peerings.find((p) => p.id === id);
  if (!found) {
    const allowed = plan.network.peerings.map((p) => p.id);
    throw new MeridianValidationError({ construct: who, prop: 'peeringId', value: id, allowed: allowed.join(', '), message: `peering "${id}" is not in plan "${plan.name}"; allowed: ${allowed.length ? allowed.join(', ') : '(none: plan.network.peering is none)'}` });
  }
  return found;
}

function checkStackRegion(scope: Construct, expected: string, who: string, side: string): void {
  const actual = Stack.of(scope).region;
  if (!Token.isUnresolved(actual) && actual !== expected) {
    throw new MeridianValidationError({ construct: who, prop: 'stack region', value: actual, allowed: expected, message: `the ${side} side of the peering lives in ${expected} but the stack is in ${actual}` });
  }
}

/** Props of {@link VpcPeeringRequester}. */
export interface VpcPeeringRequesterProps {
  /** The resolved deployment plan. */
  readonly plan: GeoPlan;
  /** Id of the planned peering (`plan.network.peerings[].id`, e.g. `use1-usw2`). */
  readonly peeringId: string;
  /** The requester's VPC (in the stack's region). */
  readonly requesterVpc: ec2.IVpc;
  /** The accepter's VPC (in `accepterRegion`; its id crosses regions as a weak reference). */
  readonly accepterVpc: ec2.IVpc;
}

/**
 * The requester side of a cross-region VPC peering: the `AWS::EC2::VPCPeeringConnection` (with
 * `PeerRegion`; in one account CloudFormation accepts the request itself, no accepter role needed) and
 * a route to the accepter's CIDR in every route table of the requester VPC.
 */
export class VpcPeeringRequester extends Construct {
  public readonly connection: ec2.CfnVPCPeeringConnection;
  /** The routes to the accepter CIDR, one per requester route table. */
  public readonly routes: ec2.CfnRoute[] = [];
  public readonly peering: PlannedPeering;

  constructor(scope: Construct, id: string, props: VpcPeeringRequesterProps) {
    super(scope, id);
    const who = `VpcPeeringRequester ${this.node.path}`;
    const peering = findPeering(props.plan, props.peeringId, who);
    this.peering = peering;
    checkStackRegion(this, peering.requesterRegion, who, 'requester');

    this.connection = new ec2.CfnVPCPeeringConnection(this, 'Resource', {
      vpcId: props.requesterVpc.vpcId,
      peerVpcId: props.accepterVpc.vpcId,
      peerRegion: peering.accepterRegion,
      ...(props.plan.account ? { peerOwnerId: props.plan.account } : {}),
      tags: [{ key: 'Name', value: peering.name }],
    });
    routeTableIds(props.requesterVpc).forEach((rt, i) => {
      this.routes.push(new ec2.CfnRoute(this, `Route${i}`, {
        routeTableId: rt,
        destinationCidrBlock: peering.accepterCidr,
        vpcPeeringConnectionId: this.connection.ref,
      }));
    });
  }

  /** The peering connection id (`pcx-...`). */
  public get peeringConnectionId(): string {
    return this.connection.ref;
  }
}

/** Props of {@link VpcPeeringAccepterRoutes}. */
export interface VpcPeeringAccepterRoutesProps {
  /** The resolved deployment plan. */
  readonly plan: GeoPlan;
  /** The requester side of the same peering (in the requester's region). */
  readonly requester: VpcPeeringRequester;
  /** The accepter's VPC (in the stack's region). */
  readonly accepterVpc: ec2.IVpc;
}

/**
 * The accepter side of a cross-region VPC peering: a route back to the requester's CIDR in every route
 * table of the accepter VPC, through the requester's peering connection.
 */
export class VpcPeeringAccepterRoutes extends Construct {
  public readonly routes: ec2.CfnRoute[] = [];

  constructor(scope: Construct, id: string, props: VpcPeeringAccepterRoutesProps) {
    super(scope, id);
    const peering = props.requester.peering;
    checkStackRegion(this, peering.accepterRegion, `VpcPeeringAccepterRoutes ${this.node.path}`, 'accepter');
    routeTableIds(props.accepterVpc).forEach((rt, i) => {
      this.routes.push(new ec2.CfnRoute(this, `Route${i}`, {
        routeTableId: rt,
        destinationCidrBlock: peering.requesterCidr,
        vpcPeeringConnectionId: props.requester.peeringConnectionId,
      }));
    });
  }
}
