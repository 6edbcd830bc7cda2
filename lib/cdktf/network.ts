import { Construct } from 'constructs';
import { Fn } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { SecurityGroup } from '@cdktf/provider-aws/lib/security-group';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import type { PlannedPeering, PlannedRegion, PlannedRemoval } from '../model/plan-types';
import { arn, iamRoleName, logRetentionDays, policyDocument, preventDestroy, regionTags, sortKeys, type AccountContext } from './common';
import type { RegionalKey } from './regional-keys';

/** Tag that marks the isolated data subnets (FIS region isolation selects subnets by it). */
export const SUBNET_TIER_TAG = 'meridian:subnet-tier';

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

/**
 * A region's VPC (the plan's CIDR), isolated data subnets (no internet route; tagged
 * `meridian:subnet-tier=data` and `meridian:topology`), one route table for them, and the security group
 * of the database, open only on the database port and only to the given CIDRs (no egress rules).
 */
export class RegionalNetwork extends Construct {
  public readonly vpc: Vpc;
  public readonly subnets: Subnet[];
  public readonly routeTable: RouteTable;
  /** The database security group; undefined when no `dbPort` was given. */
  public readonly dbSecurityGroup?: SecurityGroup;
  /** The flow log, when `flowLogs` was given. */
  public readonly flowLog?: FlowLog;
  public readonly region: PlannedRegion;

  constructor(scope: Construct, id: string, props: RegionalNetworkProps) {
    super(scope, id);
    const r = props.region;
    this.region = r;
    const region = r.name;
    if (r.applicationSubnets.layout !== 'none') {
      // Said plainly rather than rendered without them: the plan has them, this renderer does not yet.
      throw new Error(`RegionalNetwork ${this.node.path}: ${region} plans applicationSubnets ${r.applicationSubnets.layout}, which the CDK for Terraform renderer does not lay out yet; allowed here: none (the AWS CDK renderer lays them out)`);
    }
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
    // The plan never selects a zone index at or above the zones every account can rely on in the region.
    this.subnets = r.dataSubnets.map((s, i) => new Subnet(this, `Data${i + 1}`, {
      region,
      vpcId: this.vpc.id,
      cidrBlock: s.cidr,
      availabilityZone: Fn.element(azs.names, s.zoneIndex),
      mapPublicIpOnLaunch: false,
      tags: sortKeys({ ...regionTags(r, `${r.vpcName}-data-${i + 1}`), [SUBNET_TIER_TAG]: 'data' }),
    }));
    this.routeTable = new RouteTable(this, 'DataRoutes', {
      region,
      vpcId: this.vpc.id,
      tags: regionTags(r, `${r.vpcName}-data`),
    });
    this.subnets.forEach((s, i) => new RouteTableAssociation(this, `DataRoutes${i + 1}`, {
      region, subnetId: s.id, routeTableId: this.routeTable.id,
    }));
    if (props.flowLogs) this.flowLog = this.addFlowLogs(props.flowLogs);
    if (props.dbPort === undefined) return;
    const port = props.dbPort;
    const sg = new SecurityGroup(this, 'DbSecurityGroup', {
      region,
      name: `${r.vpcName}-db`,
      description: `Database of ${r.vpcName}: port ${port} from the VPC and its peers only`,
      vpcId: this.vpc.id,
      revokeRulesOnDelete: true,
      tags: regionTags(r, `${r.vpcName}-db`),
    });
    [...new Set(props.dbClientCidrs)].sort().forEach((cidr) => {
      new VpcSecurityGroupIngressRule(this, `DbFrom-${cidr.replace(/[./]/g, '-')}`, {
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

  private addFlowLogs(opts: NonNullable<RegionalNetworkProps['flowLogs']>): FlowLog {
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
    const role = new IamRole(this, 'FlowLogsRole', {
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
      role: role.name,
      policy: policyDocument([{
        Sid: 'WriteFlowLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
        Resource: [logs.arn, `${logs.arn}:*`],
      }]),
    });
    return new FlowLog(this, 'FlowLog', {
      region,
      vpcId: this.vpc.id,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: logs.arn,
      iamRoleArn: role.arn,
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
 * accepter in the accepter region with `auto_accept = true`, and a route on each side's data route
 * table to the other side's CIDR, created once the connection is accepted.
 */
export class CrossRegionPeering extends Construct {
  public readonly connection: VpcPeeringConnection;
  public readonly accepter: VpcPeeringConnectionAccepterA;
  public readonly requesterRoute: Route;
  public readonly accepterRoute: Route;

  constructor(scope: Construct, id: string, props: CrossRegionPeeringProps) {
    super(scope, id);
    const { peering: p, requester, accepter } = props;
    this.connection = new VpcPeeringConnection(this, 'Connection', {
      region: p.requesterRegion,
      vpcId: requester.vpc.id,
      peerVpcId: accepter.vpc.id,
      peerRegion: p.accepterRegion,
      autoAccept: false,
      tags: sortKeys({ ...regionTags(requester.region, p.name), 'meridian:peering-side': 'requester' }),
    });
    this.accepter = new VpcPeeringConnectionAccepterA(this, 'Accepter', {
      region: p.accepterRegion,
      vpcPeeringConnectionId: this.connection.id,
      autoAccept: true,
      tags: sortKeys({ ...regionTags(accepter.region, p.name), 'meridian:peering-side': 'accepter' }),
    });
    this.requesterRoute = new Route(this, 'RequesterRoute', {
      region: p.requesterRegion,
      routeTableId: requester.routeTable.id,
      destinationCidrBlock: p.accepterCidr,
      vpcPeeringConnectionId: this.connection.id,
      dependsOn: [this.accepter],
    });
    this.accepterRoute = new Route(this, 'AccepterRoute', {
      region: p.accepterRegion,
      routeTableId: accepter.routeTable.id,
      destinationCidrBlock: p.requesterCidr,
      vpcPeeringConnectionId: this.accepter.id,
    });
  }
}
