/**
 * A team's services on a Meridian deployment: per region an HTTPS Application Load Balancer in front of
 * a Lambda function that reads the region's Aurora cluster, the load balancers as the DNS alias targets
 * (the health checks probe them), and the team's own VPC per region. `npx cdk synth` in this folder
 * synthesizes it offline.
 *
 *   platform-<region>   the team's network: public subnets (load balancer), private subnets with egress
 *                        (functions), isolated subnets (database); Meridian checks it and uses it
 *   shop-<region>-keys  Meridian: the region's key and alias (deploys first)
 *   shop-<region>       Meridian: database (Aurora PostgreSQL global), alarms, experiments
 *   shop-<region>-api   the team's service stack (addServiceStack): certificate, load balancer, function
 *   shop-dns            Meridian: failover records aliased to the load balancers, health checks on them
 *
 * The functions authenticate with IAM database authentication (`grantConnect`): a token is minted in the
 * function's own region, so every region has credentials without a secret crossing regions, before
 * and after a failover.
 */
import { App, Duration, Lazy, RemovalPolicy, Stack, Tags, Validations, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as targets from 'aws-cdk-lib/aws-elasticloadbalancingv2-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as route53Targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { GeoDeployment, isolationTargetTags, plan, type GeoSpec } from 'meridian-geo';

export const spec: GeoSpec = {
  name: 'shop',
  mode: 'active-passive',
  account: '111111111111',
  regions: [
    { name: 'us-east-1', role: 'primary', cidr: '10.40.0.0/16', endpoint: 'api-use1.shop.example.com', peakRps: 800, capacityRps: 2000 },
    { name: 'us-west-2', role: 'secondary', cidr: '10.41.0.0/16', endpoint: 'api-usw2.shop.example.com', peakRps: 400, capacityRps: 2000 },
  ],
  network: { peering: 'full-mesh' },
  data: { engine: 'aurora-postgresql', classification: 'confidential', consistency: 'read-your-writes', residency: ['US'] },
  dns: {
    zoneName: 'shop.example.com', zoneId: 'Z0123456789SHOP', recordName: 'api.shop.example.com', routing: 'failover', ttlSeconds: 60,
    healthCheck: { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 },
  },
  objectives: { rtoSeconds: 900, rpoSeconds: 30 },
  experiments: ['region-isolation', 'database-failover'],
};

/** The team's VPC of a region: public (load balancer), private with egress (functions), isolated (database). */
class Platform extends Stack {
  public readonly vpc: ec2.Vpc;

  /**
   * The stack's zones, named here: a stack with a concrete account would look them up (which needs
   * credentials), and the Vpc asks the stack even when given `availabilityZones` (to check them).
   */
  override get availabilityZones(): string[] {
    return [`${this.region}a`, `${this.region}b`];
  }

  constructor(scope: Construct, id: string, cidr: string, props: StackProps) {
    super(scope, id, props);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs: 2,
      natGateways: 2,
      subnetConfiguration: [
        { name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24, mapPublicIpOnLaunch: false },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 24 },
      ],
    });
    // The FIS region-isolation rehearsal cuts every subnet carrying the deployment's topology tag. Meridian
    // tags the isolated subnets it uses; the load balancer's and the functions' subnets join the rehearsal
    // only when tagged as well, or the services keep talking to the other region while it runs.
    for (const subnet of [...this.vpc.publicSubnets, ...this.vpc.privateSubnets]) {
      for (const [key, value] of Object.entries(isolationTargetTags(spec.name))) Tags.of(subnet).add(key, value, { includeResourceTypes: ['AWS::EC2::Subnet'] });
    }
    const flowLogs = `Meridian adds the flow log of ${id}'s VPC (all traffic, to a log group encrypted with the region's key) in the region's stack, where cdk-nag does not look for it`;
    const igw = `${id}: the public subnets hold only the internet-facing load balancer, which needs the route to the internet gateway; functions and the database sit in private and isolated subnets`;
    Validations.of(this.vpc).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-VPC7', reason: flowLogs },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-VPCFlowLogsEnabled', reason: flowLogs },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW', reason: igw },
    );
    // The recommended flag @aws-cdk/aws-ec2:restrictDefaultSecurityGroup closes the VPC's default security
    // group with a custom resource whose handler aws-cdk-lib provides (absent in an app without the flag).
    const closer = this.node.tryFindChild('Custom::VpcRestrictDefaultSGCustomResourceProvider');
    if (closer) {
      Validations.of(closer).acknowledge({
        id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
        reason: `${id}: aws-cdk-lib's handler that removes the rules of the VPC's default security group at deployment; it calls only the EC2 API on that group, holds no data, and outside the VPC needs no NAT or endpoint to reach the API`,
      });
    }
  }
}

/** Builds the example into `app` (a new App when omitted). */
export function build(app: App = new App()): { app: App; deployment: GeoDeployment } {
  const geoPlan = plan(spec);
  const zone = (scope: Construct) => route53.HostedZone.fromHostedZoneAttributes(scope, 'Zone', { hostedZoneId: spec.dns.zoneId ?? '', zoneName: spec.dns.zoneName });

  // 1. What the team has: a VPC per region, and a load balancer per region in a service stack.
  const platforms: Record<string, Platform> = {};
  const loadBalancers: Record<string, elbv2.ApplicationLoadBalancer> = {};
  for (const r of geoPlan.regions) {
    platforms[r.name] = new Platform(app, `platform-${r.name}`, r.cidr, { env: { account: spec.account, region: r.name } });
  }

  // 2. Meridian on the team's VPCs, the records aliased to the load balancers (created below, bound lazily).
  const aliasTargets: Record<string, route53.IAliasRecordTarget> = {};
  for (const r of geoPlan.regions) {
    // The load balancer does not exist yet (it goes in the VPC the deployment checks first): the target
    // is read when the templates are written.
    const later = (record: route53.IRecordSet, z?: route53.IHostedZone) => {
      const loadBalancer = loadBalancers[r.name];
      if (!loadBalancer) throw new Error(`no load balancer was created for ${r.name}`);
      return new route53Targets.LoadBalancerTarget(loadBalancer).bind(record, z);
    };
    aliasTargets[r.name] = {
      bind: (record, z) => ({
        dnsName: Lazy.string({ produce: () => later(record, z).dnsName }),
        hostedZoneId: Lazy.string({ produce: () => later(record, z).hostedZoneId }),
      }),
    };
  }
  const deployment = new GeoDeployment(app, 'Shop', {
    plan: geoPlan,
    existing: Object.fromEntries(Object.entries(platforms).map(([name, p]) => [name, { vpc: p.vpc }])),
    dnsAliasTargets: aliasTargets,
  });

  // 3. The services, in a stack per region that follows the region stack.
  for (const r of geoPlan.regions) {
    const region = deployment.region(r.name);
    const api = deployment.addServiceStack(r.name, 'api');
    const vpc = region.vpc;
    const certificate = new acm.Certificate(api, 'Certificate', { domainName: r.endpoint, validation: acm.CertificateValidation.fromDns(zone(api)) });
    const alb = new elbv2.ApplicationLoadBalancer(api, 'LoadBalancer', {
      vpc, internetFacing: true, vpcSubnets: { subnetGroupName: 'public' }, dropInvalidHeaderFields: true, deletionProtection: true,
    });
    const lb = `load balancer of ${r.stackName}-api`;
    const accessLogs = `${lb}: access logs need an S3 bucket in ${r.name} whose retention and replication the team decides (alb.logAccessLogs(bucket)); Route 53 and target-group health checks and the ALB metrics watch it meanwhile`;
    Validations.of(alb).acknowledge(
      { id: 'AwsSolutions::AwsSolutions-ELB2', reason: accessLogs },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-ELBLoggingEnabled', reason: accessLogs },
      { id: 'cdk-validator-cfnguard::elbv2_logging_enabled_check', reason: accessLogs },
      { id: 'AwsSolutions::AwsSolutions-EC23', reason: `${lb}: the public API answers every client on 443 (HTTPS only, TLS policy RECOMMENDED_TLS); nothing else is open` },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-ALBWAFEnabled', reason: `${lb}: the example carries no web ACL; associate the team's regional WAF web ACL (wafv2.CfnWebACLAssociation) before taking traffic` },
    );
    loadBalancers[r.name] = alb;
    // The function's log group, encrypted with the region's key (whose policy admits this region's log
    // groups) and kept as long as Meridian keeps its own; without it, aws-cdk-lib's recommended flag
    // @aws-cdk/aws-lambda:useCdkManagedLogGroup creates an unencrypted one.
    const handlerLogs = new logs.LogGroup(api, 'HandlerLogs', {
      encryptionKey: region.key,
      retention: geoPlan.retention.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(handlerLogs).acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason: `log group of the function of ${r.stackName}-api: encrypted with ${r.name}'s key (${r.keyAlias}), read from ${r.stackName}-keys by Fn::GetStackOutput, which the check cannot follow`,
    });
    const handler = new lambda.Function(api, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      logGroup: handlerLogs,
      reservedConcurrentExecutions: 100,
      handler: 'index.handler',
      // Placeholder code: a real function signs an IAM auth token (RDS Signer) for DB_USER at DB_HOST.
      code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200, body: "ok" });'),
      vpc, vpcSubnets: { subnetGroupName: 'app' },
      // Egress only where it is granted (the database, below): signing an IAM auth token needs no network.
      allowAllOutbound: false,
      timeout: Duration.seconds(10),
      environment: { DB_HOST: `${r.clusterIdentifier}.cluster.${r.name}`, DB_PORT: String(geoPlan.data.port), DB_USER: 'app_user' },
    });
    // IAM database authentication: a token minted in this region, so credentials exist in every region.
    region.cluster?.grantConnect(handler, 'app_user');
    const fn = `function of ${r.stackName}-api`;
    Validations.of(handler).acknowledge(
      { id: 'cdk-validator-cfnguard::lambda_function_public_access_prohibited_check', reason: `${fn}: the only invoke permission is the one the load balancer's target group needs, for the Elastic Load Balancing service principal; no public principal` },
      { id: 'cdk-validator-cfnguard::lambda_inside_vpc_check', reason: `${fn} runs in the private subnets of platform-${r.name}; their ids arrive through Fn::GetStackOutput, which the rule cannot read` },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-LambdaDLQ', reason: `${fn}: the load balancer invokes it synchronously and returns its errors to the caller; a dead-letter queue only receives failed asynchronous invocations` },
      { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]', reason: `${fn}: the AWS-managed policy grants writing its own log streams only` },
      { id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole]', reason: `${fn}: the AWS-managed policy grants the network-interface calls Lambda needs to run in the VPC` },
      { id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy', reason: `${fn}: the inline policy is the generated rds-db:connect grant for app_user on ${r.clusterIdentifier} alone, used by no other role` },
    );
    // From the function's side, so the rule lives in this stack (the planned port: no token to resolve).
    if (region.cluster) handler.connections.allowTo(region.cluster, ec2.Port.tcp(geoPlan.data.port));
    const listener = alb.addListener('Https', { port: 443, certificates: [certificate], sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS });
    listener.addTargets('Handler', { targets: [new targets.LambdaTarget(handler)], healthCheck: { enabled: true, path: spec.dns.healthCheck?.path } });
  }
  return { app, deployment };
}

if (require.main === module) {
  build().app.synth();
}
