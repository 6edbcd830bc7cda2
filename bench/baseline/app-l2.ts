/**
 * The default deployment (examples/specs/orders.yaml) written by hand the way a careful aws-cdk-lib user
 * would, all eleven stacks: L2 constructs where aws-cdk-lib has them (kms.Key and Alias, ec2.Vpc,
 * ec2.FlowLog, ec2.SecurityGroup, logs.LogGroup, rds.DatabaseCluster with a generated secret,
 * rds.SubnetGroup and ParameterGroup, iam.Role, sns.Topic, cloudwatch.Alarm and Dashboard,
 * route53.PublicHostedZone), L1 where none exists or fits (the global cluster, the secondary clusters
 * of a global database, Route 53 health checks and failover records, VPC peering and routes, FIS
 * experiment templates), escape hatches where the L2 lacks a setting (the primary's global cluster
 * identifier, the master secret's replica regions), and the same security settings Meridian emits
 * (rotation, retention, TLS-only topics, deny-grant key statements, closed egress, least-privilege FIS
 * roles).
 *
 * Construct ids follow the obvious grouping (Network/Vpc, Alarms/Topic, Dns/Zone, …), so most logical
 * ids equal Meridian's; bench/run.ts pairs the others by type and compares every resource's properties.
 *
 * With `acknowledgements` (the default) the app also acknowledges, each with its reason, the cdk-nag
 * (AwsSolutions, NIST 800-53 R5) and cfn-guard (Control Tower) findings it accepts on purpose, on the
 * construct each finding is about: what a hand-written app that passes those packs in its pipeline has
 * to write (`Validations.of(construct).acknowledge`). Without, the app is the same minus those records.
 * Imports aws-cdk-lib, constructs and nothing of Meridian.
 */
import {
  App, Arn, ArnFormat, Aws, Duration, Fn, RemovalPolicy, Stack, Tags, Token, Validations, type StackProps,
  aws_cloudwatch as cloudwatch, aws_cloudwatch_actions as cwActions, aws_ec2 as ec2, aws_iam as iam,
  aws_fis as fis, aws_kms as kms, aws_logs as logs, aws_rds as rds, aws_route53 as route53, aws_secretsmanager as secretsmanager, aws_sns as sns,
} from 'aws-cdk-lib';
import { Construct, type IConstruct } from 'constructs';

const NAME = 'orders';
const COMMON_TAGS: Readonly<Record<string, string>> = {
  'meridian:consistency': 'read-your-writes',
  'meridian:data-classification': 'confidential',
  'meridian:mode': 'active-passive',
  'meridian:quorum': 'none',
  'meridian:residency': 'none',
  'meridian:rpo-seconds': '30',
  'meridian:rto-seconds': '900',
  'meridian:topology': NAME,
};

interface Region { name: string; short: string; role: 'primary' | 'secondary'; cidr: string; capacity: number; peak: number; endpoint: string }
const REGIONS: readonly Region[] = [
  { name: 'us-east-1', short: 'use1', role: 'primary', cidr: '10.0.0.0/16', capacity: 8000, peak: 4000, endpoint: 'api-use1.example.com' },
  { name: 'us-west-2', short: 'usw2', role: 'secondary', cidr: '10.1.0.0/16', capacity: 8000, peak: 2500, endpoint: 'api-usw2.example.com' },
  { name: 'eu-west-1', short: 'euw1', role: 'secondary', cidr: '10.2.0.0/16', capacity: 3000, peak: 1500, endpoint: 'api-euw1.example.com' },
];

function regionTags(r: Region): Record<string, string> {
  return {
    ...COMMON_TAGS,
    'meridian:capacity-rps': String(r.capacity),
    'meridian:partition': 'main',
    'meridian:peak-rps': String(r.peak),
    'meridian:region': r.name,
    'meridian:region-role': r.role,
  };
}

/**
 * Acknowledges findings on a construct (rule id → reason); a no-op in the app without acknowledgements.
 * Rule ids are `<plugin>::<rule>` as the validation report names them.
 */
type Acknowledge = (on: IConstruct, rules: Readonly<Record<string, string>>) => void;

function tag(scope: Construct, tags: Readonly<Record<string, string>>): void {
  for (const [k, v] of Object.entries(tags)) Tags.of(scope).add(k, v);
}

/** A stack whose account is unknown at synth but which uses three Availability Zones of its region (CDK gives such a stack two). */
class ThreeZoneStack extends Stack {
  private readonly zones = [0, 1, 2].map((i) => Fn.select(i, Fn.getAzs()));
  public get availabilityZones(): string[] { return this.zones; }
}

/** Stack tags are given as props as well as by Tags.of(stack): with @aws-cdk/core:explicitStackTags only the props tag the stack. */
function stackProps(r: Region | undefined, stackName: string, description: string): StackProps {
  return { stackName, env: { region: r?.name ?? 'us-east-1' }, terminationProtection: true, description, tags: r ? regionTags(r) : { ...COMMON_TAGS } };
}

/** The statement CloudWatch needs to publish alarms to a topic encrypted with `key`. */
function allowCloudWatchToUseKey(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
  }));
}

function denyGrantsExceptForAwsResources(key: kms.Key): void {
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'DenyGrantsExceptForAwsResources',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: { BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' } },
  }));
}

/** An alert topic encrypted with `key`, TLS-only, that CloudWatch alarms of this account and region may publish to. */
function alertTopic(scope: Construct, key: kms.Key, topicName: string, displayName: string, region: string): sns.Topic {
  const topic = new sns.Topic(scope, 'Topic', { topicName, displayName, masterKey: key, enforceSSL: true });
  topic.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchAlarmsOfThisAccount',
    principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
    actions: ['sns:Publish'],
    resources: [topic.topicArn],
    conditions: {
      StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
      ArnLike: { 'aws:SourceArn': Arn.format({ service: 'cloudwatch', region, resource: 'alarm', resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME }, Stack.of(scope)) },
    },
  }));
  return topic;
}

function alarm(scope: Construct, id: string, topic: sns.Topic, props: cloudwatch.AlarmProps): cloudwatch.Alarm {
  const a = new cloudwatch.Alarm(scope, id, { actionsEnabled: true, ...props });
  a.addAlarmAction(new cwActions.SnsAction(topic));
  a.addOkAction(new cwActions.SnsAction(topic));
  return a;
}

/** The key stack of one region: its customer-managed key and alias, retained. */
function keyStack(scope: Construct, r: Region): { stack: Stack; key: kms.Key } {
  const stack = new Stack(scope, `${NAME}-${r.name}-keys`, stackProps(r, `${NAME}-${r.name}-keys`, `Meridian ${NAME}: ${r.name} customer-managed key and alias (deploys before every other stack)`));
  tag(stack, regionTags(r));
  const key = new kms.Key(stack, 'Key', {
    description: `Meridian ${NAME}: encrypts the data and logs of ${r.name}; never used by another region`,
    enableKeyRotation: true,
    pendingWindow: Duration.days(30),
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const alias = new kms.Alias(stack, 'KeyAlias', { aliasName: `alias/meridian/${NAME}`, targetKey: key });
  alias.applyRemovalPolicy(RemovalPolicy.RETAIN);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowRegionalServicesOnBehalfOfTheAccount',
    principals: [new iam.AccountPrincipal(Aws.ACCOUNT_ID)],
    actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: { StringEquals: { 'kms:ViaService': ['rds', 'dynamodb', 'secretsmanager', 'sns'].map((s) => `${s}.${r.name}.amazonaws.com`), 'kms:CallerAccount': Aws.ACCOUNT_ID } },
  }));
  denyGrantsExceptForAwsResources(key);
  key.addToResourcePolicy(new iam.PolicyStatement({
    sid: 'AllowCloudWatchLogsOfThisRegion',
    principals: [new iam.ServicePrincipal(`logs.${r.name}.amazonaws.com`)],
    actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Arn.format({ service: 'logs', region: r.name, resource: '*' }, stack) } },
  }));
  return { stack, key };
}

/**
 * Control Tower's CT.CLOUDWATCH.PR.3 (cfn-guard) accepts a log group's key only as a string or a key of
 * the same template; this one's is the region's key from its key stack (a cross-stack reference).
 */
function encryptedWithRegionKey(group: logs.LogGroup, r: Region, ack: Acknowledge): void {
  ack(group.node.defaultChild as logs.CfnLogGroup, {
    'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check': `Log group ${group.node.path} is encrypted with the customer-managed key of ${r.name} (alias/meridian/${NAME}), referenced from stack ${NAME}-${r.name}-keys; the check does not follow keys of other stacks`,
  });
}

/**
 * The cdk-nag findings an Aurora global database member accepts: the default port (RDS11), AWS Backup
 * (its backups are Aurora's own and the global cluster replicates it) and the AWS-managed enhanced
 * monitoring policy on its monitoring role (IAM4).
 */
function acknowledgeMember(member: Construct, monitoringRole: iam.Role, clusterId: string, ack: Acknowledge): void {
  ack(monitoringRole, {
    'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]': `Enhanced monitoring role of ${clusterId}: AmazonRDSEnhancedMonitoringRole is the AWS-managed policy RDS documents for it; it only writes OS metrics to RDSOSMetrics`,
  });
  const others = REGIONS.map((x) => `${NAME}-${x.name}`).filter((x) => x !== clusterId).join(', ');
  ack(member, {
    'AwsSolutions::AwsSolutions-RDS11': `${clusterId} uses the PostgreSQL port 5432, which its security group opens only to the deployment's own and peered CIDRs; another port would add no protection`,
    'NIST.800.53.R5::NIST.800.53.R5-RDSInBackupPlan': `${clusterId} is backed up by Aurora (7 days of continuous backup, snapshot on delete) and replicated by the global cluster ${NAME}-global with ${others}; its instances hold no data of their own`,
  });
}

/** A region's network: VPC with isolated data subnets (three zones, /24s), flow logs, the database security group. */
function regionNetwork(stack: Stack, r: Region, key: kms.Key, ack: Acknowledge): { vpc: ec2.Vpc; sg: ec2.SecurityGroup } {
  const network = new Construct(stack, 'Network');
  const vpc = new ec2.Vpc(network, 'Vpc', {
    vpcName: `${NAME}-${r.name}`,
    ipAddresses: ec2.IpAddresses.cidr(r.cidr),
    maxAzs: 3,
    natGateways: 0,
    createInternetGateway: false,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 }],
  });
  ack(vpc, {
    'NIST.800.53.R5::NIST.800.53.R5-VPCDefaultSecurityGroupClosed': `Nothing in ${NAME}-${r.name} uses the VPC's default security group (the database has its own, open to the deployment's CIDRs only; no internet gateway); closing it would add a Lambda-backed custom resource`,
  });
  // The tier tag on the subnets only (not their route tables): a rehearsal selects subnets by it.
  for (const subnet of vpc.isolatedSubnets) Tags.of(subnet).add('meridian:subnet-tier', 'data', { includeResourceTypes: ['AWS::EC2::Subnet'] });
  const flowLogs = new logs.LogGroup(network, 'FlowLogs', { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
  const flowLog = new ec2.FlowLog(vpc, 'FlowLog', {
    resourceType: ec2.FlowLogResourceType.fromVpc(vpc),
    destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  ack(flowLog, {
    'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy': `The flow-log role of VPC ${NAME}-${r.name} holds only the inline grant aws-cdk-lib generates to write to this VPC's flow-log group; no other role would share a managed policy`,
  });
  encryptedWithRegionKey(flowLogs, r, ack);
  const sg = new ec2.SecurityGroup(network, 'DatabaseSecurityGroup', {
    vpc,
    description: `Meridian ${NAME} ${r.name}: database port 5432 from the own and peered CIDRs of the deployment only`,
    allowAllOutbound: false,
    disableInlineRules: true,
  });
  for (const from of [r, ...REGIONS.filter((x) => x !== r)]) {
    sg.addIngressRule(ec2.Peer.ipv4(from.cidr), ec2.Port.tcp(5432), `database clients in ${from.name} (${from.cidr})`);
  }
  return { vpc, sg };
}

/** The writer-unavailable alarm of a region whose cluster has a writer or replicates. */
function writerAlarm(alarms: Construct, r: Region, topic: sns.Topic, clusterId: string): cloudwatch.Alarm {
  const rdsMetric = (metricName: string, statistic: string, dims: Record<string, string>) =>
    new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: dims, statistic, period: Duration.minutes(1) });
  return alarm(alarms, `${r.short}-writer-unavailable`, topic, {
    alarmName: `${NAME}-${r.short}-writer-unavailable`,
    alarmDescription: `critical: ${clusterId} has had neither a running writer nor replication from the global writer for 300 s`,
    metric: new cloudwatch.MathExpression({
      expression: 'MAX([FILL(uptime, 0), IF(lag >= 0, 1, 0)])',
      label: `writer or replication of ${clusterId}`,
      period: Duration.minutes(1),
      usingMetrics: {
        uptime: rdsMetric('EngineUptime', 'Minimum', { DBClusterIdentifier: clusterId, Role: 'WRITER' }),
        lag: rdsMetric('AuroraGlobalDBReplicationLag', 'Maximum', { DBClusterIdentifier: clusterId }),
      },
    }),
    threshold: 0,
    evaluationPeriods: 5,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
  });
}

/**
 * A secondary region's stack: VPC with isolated data subnets and flow logs, the secondary cluster of the
 * global database (headless when `instances` is 0), alarms.
 */
function secondaryStack(scope: Construct, r: Region, key: kms.Key, instances: number, ack: Acknowledge): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new ThreeZoneStack(scope, `${NAME}-${r.name}`, stackProps(r, `${NAME}-${r.name}`, `Meridian ${NAME}: ${r.name} (secondary) network, data, alarms, experiments`));
  tag(stack, regionTags(r));

  const { vpc, sg } = regionNetwork(stack, r, key, ack);

  // The secondary member of the global database: rds.DatabaseCluster has no global cluster property
  // (https://github.com/aws/aws-cdk/issues/22212), always sets master credentials, which a cross-region
  // member must not have, and has no headless form (https://github.com/aws/aws-cdk/issues/20391); so
  // the cluster is an L1 with the L2 subnet and parameter groups.
  const cluster = new Construct(stack, 'SecondaryCluster');
  const clusterId = `${NAME}-${r.name}`;
  const clusterLogs = new logs.LogGroup(cluster, 'Logs-postgresql', {
    logGroupName: `/aws/rds/cluster/${clusterId}/postgresql`, encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
  });
  const subnets = new rds.SubnetGroup(cluster, 'Subnets', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, description: `Meridian ${NAME}: subnets of ${clusterId}` });
  const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 });
  const parameters = new rds.ParameterGroup(cluster, 'ClusterParameters', { engine, description: `Meridian ${NAME} main: cluster parameters`, parameters: { 'rds.force_ssl': '1' } });
  const monitoringRole = new iam.Role(cluster, 'MonitoringRole', {
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
    description: 'Lets RDS enhanced monitoring publish OS metrics to CloudWatch Logs',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
  });
  const db = new rds.CfnDBCluster(cluster, 'Resource', {
    dbClusterIdentifier: clusterId,
    globalClusterIdentifier: `${NAME}-global`,
    sourceRegion: 'us-east-1',
    engine: 'aurora-postgresql',
    engineVersion: '16.6',
    port: 5432,
    dbSubnetGroupName: subnets.subnetGroupName,
    vpcSecurityGroupIds: [sg.securityGroupId],
    dbClusterParameterGroupName: parameters.bindToCluster({}).parameterGroupName,
    storageEncrypted: true,
    kmsKeyId: key.keyArn,
    deletionProtection: true,
    backupRetentionPeriod: 7,
    enableIamDatabaseAuthentication: true,
    enableCloudwatchLogsExports: ['postgresql'],
    copyTagsToSnapshot: true,
  });
  db.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
  db.node.addDependency(clusterLogs);
  encryptedWithRegionKey(clusterLogs, r, ack);
  acknowledgeMember(cluster, monitoringRole, clusterId, ack);
  for (let i = 0; i < instances; i++) {
    new rds.CfnDBInstance(cluster, `Instance${i + 1}`, {
      dbClusterIdentifier: db.ref, dbInstanceClass: 'db.r6g.large', engine: 'aurora-postgresql', promotionTier: i,
      autoMinorVersionUpgrade: true, publiclyAccessible: false, monitoringInterval: 60, monitoringRoleArn: monitoringRole.roleArn,
      enablePerformanceInsights: true, performanceInsightsKmsKeyId: key.keyArn, performanceInsightsRetentionPeriod: 7,
    });
  }

  const alarms = new Construct(stack, 'Alarms');
  allowCloudWatchToUseKey(key);
  const topic = alertTopic(alarms, key, `${NAME}-${r.name}-alerts`, `${NAME} ${r.name} alerts`, r.name);
  if (instances > 0) writerAlarm(alarms, r, topic, clusterId);
  for (const metricName of ['AuroraGlobalDBReplicationLag', 'AuroraGlobalDBRPOLag']) {
    const kind = metricName === 'AuroraGlobalDBRPOLag' ? 'rpo-lag' : 'replication-lag';
    for (const [severity, seconds, periods] of [['warning', 30, 3], ['critical', 300, 1]] as const) {
      alarm(alarms, `${r.short}-${kind}-${severity}`, topic, {
        alarmName: `${NAME}-${r.short}-${kind}-${severity}`,
        alarmDescription: `${severity}: ${metricName} of ${clusterId} in ${r.name} is ${seconds} s or more`,
        metric: new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: { DBClusterIdentifier: clusterId }, statistic: 'Maximum', period: Duration.minutes(1) }),
        threshold: seconds * 1000,
        evaluationPeriods: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.MISSING,
      });
    }
  }
  return { stack, vpc };
}

/** The DNS stack: hosted zone, one health check per region endpoint, failover records, alarms and the dashboard. */
function dnsStack(scope: Construct): Stack {
  const stack = new Stack(scope, `${NAME}-dns`, stackProps(undefined, `${NAME}-dns`, `Meridian ${NAME}: Route 53 zone, health checks, routed records, DNS alarms`));
  tag(stack, COMMON_TAGS);
  const dns = new Construct(stack, 'Dns');
  const zone = new route53.PublicHostedZone(dns, 'Zone', { zoneName: 'example.com', comment: `Meridian deployment ${NAME}` });
  zone.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const checks = new Map<Region, route53.CfnHealthCheck>();
  for (const r of REGIONS) {
    // L1: the health check needs SNI and region tags on the check itself.
    const hc = new route53.CfnHealthCheck(dns, `hc-${r.short}`, {
      healthCheckConfig: { type: 'HTTPS', fullyQualifiedDomainName: r.endpoint, port: 443, resourcePath: '/health', requestInterval: 10, failureThreshold: 3, enableSni: true },
      healthCheckTags: [...Object.entries(regionTags(r)).map(([key, value]) => ({ key, value })), { key: 'Name', value: `${NAME}-${r.name}-health` }],
    });
    checks.set(r, hc);
  }
  // Failover records: the primary and the first secondary that serves traffic (eu-west-1 is headless).
  for (const [r, failover] of [[REGIONS[0], 'PRIMARY'], [REGIONS[1], 'SECONDARY']] as const) {
    if (!r) continue;
    new route53.CfnRecordSet(dns, `Record-${r.short}`, {
      hostedZoneId: zone.hostedZoneId, name: 'api.example.com', type: 'CNAME', ttl: '60', resourceRecords: [r.endpoint],
      failover, setIdentifier: `${NAME}-${r.name}-${failover.toLowerCase()}`, healthCheckId: checks.get(r)?.attrHealthCheckId,
    });
  }
  const key = new kms.Key(dns, 'Key', {
    alias: `meridian/${NAME}/dns`,
    description: `Meridian ${NAME}: encrypts the DNS alert topic ${NAME}-dns-alerts`,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  allowCloudWatchToUseKey(key);
  denyGrantsExceptForAwsResources(key);
  const topic = alertTopic(dns, key, `${NAME}-dns-alerts`, `${NAME} DNS alerts`, 'us-east-1');
  // The dashboard's metrics name their region and label; the alarms' must not (an alarm with either
  // renders as a metric math query).
  const health = (hc: route53.CfnHealthCheck, graph?: Region) => new cloudwatch.Metric({
    namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', dimensionsMap: { HealthCheckId: hc.attrHealthCheckId },
    statistic: 'Minimum', period: Duration.minutes(1), ...(graph ? { region: 'us-east-1', label: `${graph.name} ${graph.endpoint}` } : {}),
  });
  for (const [r, hc] of checks) {
    alarm(dns, `hc-${r.short}-unhealthy`, topic, {
      alarmName: `${NAME}-${r.short}-endpoint-unhealthy`,
      alarmDescription: `critical: Route 53 reports ${r.endpoint} (${r.name}) unhealthy`,
      metric: health(hc),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    });
  }

  const warn = '#ff7f0e';
  const crit = '#d62728';
  const rdsGraph = (r: Region, metricName: string, dims: Record<string, string>, stat: string, annotations: cloudwatch.HorizontalAnnotation[], title: string) =>
    new cloudwatch.GraphWidget({
      title, region: r.name, width: 12, height: 6, leftAnnotations: annotations,
      left: [new cloudwatch.Metric({ namespace: 'AWS/RDS', metricName, dimensionsMap: dims, statistic: stat, period: Duration.minutes(1), region: r.name, label: `${metricName} ${r.name}` })],
    });
  const lag = (r: Region, metricName: string) => rdsGraph(r, metricName, { DBClusterIdentifier: `${NAME}-${r.name}` }, 'Maximum', [
    { value: 30000, label: 'warning (GreaterThanOrEqualToThreshold 30000)', color: warn },
    { value: 300000, label: 'critical (GreaterThanOrEqualToThreshold 300000)', color: crit },
  ], `${metricName} — ${r.name} (${NAME}-${r.name})`);
  const uptime = (r: Region) => rdsGraph(r, 'EngineUptime', { DBClusterIdentifier: `${NAME}-${r.name}`, Role: 'WRITER' }, 'Minimum', [
    { value: 0, label: 'critical (LessThanOrEqualToThreshold 0)', color: crit },
  ], `EngineUptime — ${r.name} (${NAME}-${r.name} / WRITER)`);
  const [use1, usw2, euw1] = REGIONS;
  if (!use1 || !usw2 || !euw1) throw new Error('three regions expected');
  const dashboard = new cloudwatch.Dashboard(stack, 'Dashboard', { dashboardName: `${NAME}-geo`, start: '-PT3H' });
  dashboard.addWidgets(new cloudwatch.TextWidget({
    markdown: `# ${NAME}\nactive-passive, data aurora-postgresql (confidential); regions: us-east-1 (primary), us-west-2 (secondary), eu-west-1 (secondary); DNS api.example.com (failover, TTL 60 s)`,
    width: 24, height: 2, background: cloudwatch.TextWidgetBackground.TRANSPARENT,
  }));
  dashboard.addWidgets(uptime(use1), uptime(usw2));
  dashboard.addWidgets(lag(usw2, 'AuroraGlobalDBReplicationLag'), lag(usw2, 'AuroraGlobalDBRPOLag'));
  dashboard.addWidgets(lag(euw1, 'AuroraGlobalDBReplicationLag'), lag(euw1, 'AuroraGlobalDBRPOLag'));
  dashboard.addWidgets(new cloudwatch.GraphWidget({
    title: 'Route 53 health checks — api.example.com (1 = healthy)', region: 'us-east-1', width: 24, height: 6,
    left: [...checks].map(([r, hc]) => health(hc, r)), leftYAxis: { min: 0, max: 1 },
  }));
  return stack;
}

/**
 * The us-east-1 region stack: network, the global cluster and its primary (rds.DatabaseCluster with a
 * generated master secret, replicated to the secondary regions under their own keys), the writer alarm
 * and two FIS experiments (L1 templates, no L2 exists) with their roles and encrypted log groups.
 */
function primaryStack(scope: Construct, r: Region, key: kms.Key, ack: Acknowledge): { stack: Stack; vpc: ec2.Vpc } {
  const stack = new ThreeZoneStack(scope, `${NAME}-${r.name}`, stackProps(r, `${NAME}-${r.name}`, `Meridian ${NAME}: ${r.name} (primary) network, data, alarms, experiments`));
  tag(stack, regionTags(r));
  const { vpc, sg } = regionNetwork(stack, r, key, ack);

  const gdb = new Construct(stack, 'GlobalDatabase');
  const clusterId = `${NAME}-${r.name}`;
  const globalCluster = new rds.CfnGlobalCluster(gdb, 'Resource', {
    globalClusterIdentifier: `${NAME}-global`, engine: 'aurora-postgresql', engineVersion: '16.6', storageEncrypted: true, deletionProtection: true,
  });
  globalCluster.applyRemovalPolicy(RemovalPolicy.RETAIN);
  const clusterLogs = new logs.LogGroup(gdb, 'Logs-postgresql', {
    logGroupName: `/aws/rds/cluster/${clusterId}/postgresql`, encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN,
  });
  const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 });
  const parameterGroup = new rds.ParameterGroup(gdb, 'ClusterParameters', { engine, description: `Meridian ${NAME} main: cluster parameters`, parameters: { 'rds.force_ssl': '1' } });
  const monitoringRole = new iam.Role(gdb, 'MonitoringRole', {
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
    description: 'Lets RDS enhanced monitoring publish OS metrics to CloudWatch Logs',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
  });
  const instance = (id: string, promotionTier: number) => rds.ClusterInstance.provisioned(id, {
    instanceType: new ec2.InstanceType('r6g.large'), promotionTier, publiclyAccessible: false, autoMinorVersionUpgrade: true,
    enablePerformanceInsights: true, performanceInsightEncryptionKey: key, performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
  });
  const cluster = new rds.DatabaseCluster(gdb, 'Cluster', {
    engine,
    clusterIdentifier: clusterId,
    credentials: rds.Credentials.fromGeneratedSecret('clusteradmin', { encryptionKey: key, secretName: `meridian/${NAME}/${NAME}-global/master` }),
    writer: instance('Writer', 0),
    readers: [instance('Reader1', 1)],
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    securityGroups: [sg],
    port: 5432,
    defaultDatabaseName: 'app',
    parameterGroup,
    storageEncrypted: true,
    storageEncryptionKey: key,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.SNAPSHOT,
    backup: { retention: Duration.days(7) },
    iamAuthentication: true,
    cloudwatchLogsExports: ['postgresql'],
    monitoringInterval: Duration.minutes(1),
    monitoringRole,
    enablePerformanceInsights: true,
    performanceInsightEncryptionKey: key,
    performanceInsightRetention: rds.PerformanceInsightRetention.DEFAULT,
    copyTagsToSnapshot: true,
  });
  // Escape hatches: DatabaseCluster has no global cluster property (https://github.com/aws/aws-cdk/issues/22212)
  // and its generated secret no replica regions.
  const cfnCluster = cluster.node.defaultChild as rds.CfnDBCluster;
  cfnCluster.globalClusterIdentifier = `${NAME}-global`;
  cfnCluster.node.addDependency(globalCluster);
  cluster.node.addDependency(clusterLogs);
  const secret = cluster.node.tryFindChild('Secret') as secretsmanager.Secret | undefined;
  if (!secret) throw new Error('the cluster generated no master secret');
  secret.applyRemovalPolicy(RemovalPolicy.RETAIN);
  (secret.node.defaultChild as secretsmanager.CfnSecret).replicaRegions = REGIONS.filter((x) => x !== r).map((x) => ({
    region: x.name, kmsKeyId: stack.formatArn({ service: 'kms', region: x.name, resource: 'alias', resourceName: `meridian/${NAME}` }),
  }));
  encryptedWithRegionKey(clusterLogs, r, ack);
  acknowledgeMember(gdb, monitoringRole, clusterId, ack);
  const noRotation = `Master secret of ${clusterId}: RDS-managed rotation is not available for members of an Aurora global database, and a rotation function would need a path from the isolated subnets to Secrets Manager; applications use IAM database authentication`;
  ack(secret, { 'AwsSolutions::AwsSolutions-SMG4': noRotation, 'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled': noRotation });

  const alarms = new Construct(stack, 'Alarms');
  allowCloudWatchToUseKey(key);
  const topic = alertTopic(alarms, key, `${NAME}-${r.name}-alerts`, `${NAME} ${r.name} alerts`, r.name);
  const writer = writerAlarm(alarms, r, topic, clusterId);

  // FIS experiments: L1 templates, least-privilege roles, encrypted log groups; the writer alarm stops them.
  const experiments = new Construct(stack, 'Experiments');
  const ec2Arn = (resource: string, account?: string) => stack.formatArn({ service: 'ec2', resource, resourceName: '*', account });
  const clusterArn = stack.formatArn({ service: 'rds', resource: 'cluster', resourceName: cluster.clusterIdentifier, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const logGroupArn = (name: string) => stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: name, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
  const fisTag = (kind: 'ResourceTag' | 'RequestTag') => ({ StringEquals: { [`aws:${kind}/managedByFIS`]: 'true' } });
  const stmt = (sid: string, actions: string[], resources: string[], conditions?: Record<string, unknown>) =>
    new iam.PolicyStatement({ sid, actions, resources, conditions });
  const logStatements = [
    stmt('DeliverExperimentLogs', ['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies'], ['*']),
    stmt('FindExperimentLogGroup', ['logs:DescribeLogGroups'], [logGroupArn('*')]),
  ];
  const isolation = [
    stmt('ResolveTargets', ['tag:GetResources'], ['*']),
    stmt('DescribeNetwork', ['ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables', 'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeVpcs'], ['*']),
    stmt('SwapSubnetRouteTables', ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'], [ec2Arn('route-table'), ec2Arn('subnet')]),
    stmt('AddRoutesToManagedRouteTable', ['ec2:CreateRoute'], [ec2Arn('route-table')], fisTag('ResourceTag')),
    stmt('CreateManagedRouteTable', ['ec2:CreateRouteTable'], [ec2Arn('route-table')], fisTag('RequestTag')),
    stmt('ManageRouteTablesInVpc', ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable'], [ec2Arn('vpc')]),
    stmt('DeleteManagedRouteTable', ['ec2:DeleteRouteTable'], [ec2Arn('route-table')], fisTag('ResourceTag')),
    stmt('CreateManagedPrefixList', ['ec2:CreateManagedPrefixList'], [ec2Arn('prefix-list')], fisTag('RequestTag')),
    stmt('ChangeManagedPrefixList', ['ec2:ModifyManagedPrefixList', 'ec2:DeleteManagedPrefixList'], [ec2Arn('prefix-list')], fisTag('ResourceTag')),
    stmt('ReadPrefixListEntries', ['ec2:GetManagedPrefixListEntries'], [ec2Arn('prefix-list', '*')]),
    stmt('CreateManagedNetworkInterface', ['ec2:CreateNetworkInterface'], [ec2Arn('network-interface')], fisTag('RequestTag')),
    stmt('CreateNetworkInterfaceInSubnet', ['ec2:CreateNetworkInterface'], [ec2Arn('subnet'), ec2Arn('security-group')]),
    stmt('DeleteManagedNetworkInterface', ['ec2:DeleteNetworkInterface'], [ec2Arn('network-interface')], fisTag('ResourceTag')),
    stmt('TagOnlyWhatFisCreates', ['ec2:CreateTags'], [ec2Arn('route-table'), ec2Arn('prefix-list'), ec2Arn('network-interface')], {
      StringEquals: { 'ec2:CreateAction': ['CreateRouteTable', 'CreateManagedPrefixList', 'CreateNetworkInterface'], 'aws:RequestTag/managedByFIS': 'true' },
    }),
    stmt('RerouteGatewayEndpoints', ['ec2:ModifyVpcEndpoint'], [ec2Arn('vpc-endpoint'), ec2Arn('route-table')]),
    ...logStatements,
  ];
  const others = REGIONS.filter((x) => x !== r);
  // The wildcard resources of each role's policy as cdk-nag's AwsSolutions-IAM5 names them (tokens as
  // <AWS::…>; the partition is literal when the stack's region fixes it, as with @aws-cdk/core:target-partitions).
  const partition = Token.isUnresolved(stack.partition) ? '<AWS::Partition>' : stack.partition;
  const wildcard = (service: string, resource: string, account = '<AWS::AccountId>') => `arn:${partition}:${service}:${r.name}:${account}:${resource}`;
  const logWildcards = ['*', wildcard('logs', 'log-group:*')];
  const experimentList: Array<{
    name: string; role: string; description: string; statements: iam.PolicyStatement[];
    /** The policy's wildcard resources (AwsSolutions-IAM5) and why they cannot be narrower. */
    wildcards: string[]; why: string;
    targets: Record<string, fis.CfnExperimentTemplate.ExperimentTemplateTargetProperty>;
    actions: Record<string, fis.CfnExperimentTemplate.ExperimentTemplateActionProperty>;
  }> = [
    {
      name: 'region-isolation', role: 'iso', statements: isolation,
      why: `FIS creates route tables, prefix lists and network interfaces while it runs and selects subnets by tag, so their ids are unknown at synth; the grant stays in ${r.name} and this account, and to resources tagged managedByFIS where the action allows`,
      wildcards: [...logWildcards, ...['route-table', 'subnet', 'vpc', 'prefix-list', 'network-interface', 'security-group', 'vpc-endpoint'].map((t) => wildcard('ec2', `${t}/*`)), wildcard('ec2', 'prefix-list/*', '*')],
      description: `Cut ${r.name}'s data subnets off from ${others.map((x) => x.name).join(', then ')}, 10 min each, one destination at a time. Disrupts traffic through those subnets to the other regions (VPC peering). Does not disrupt Aurora global database replication, which RDS carries outside customer subnets.`,
      targets: { Subnets: { resourceType: 'aws:ec2:subnet', selectionMode: 'ALL', resourceTags: { 'meridian:topology': NAME } } },
      actions: Object.fromEntries(others.map((x, i) => [`isolate-from-${x.short}`, {
        actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
        description: `${NAME}-${r.short}-region-isolation: isolate-from-${x.short}`,
        parameters: { region: x.name, duration: 'PT10M' },
        targets: { Subnets: 'Subnets' },
        startAfter: i > 0 ? [`isolate-from-${others[i - 1]?.short ?? ''}`] : undefined,
      }])),
    },
    {
      name: 'database-failover', role: 'dbfo', wildcards: logWildcards,
      why: `tag:GetResources and the log-delivery actions take no resource, and FIS finds the experiment's log group among all of ${r.name}'s; the failover itself is granted on ${clusterId} only`,
      statements: [stmt('FailoverTargetCluster', ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'], [clusterArn]), stmt('ResolveTargets', ['tag:GetResources'], ['*']), ...logStatements],
      description: `Fail over the writer of ${clusterId} to a replica in ${r.name}. Rehearses losing the writer instance inside the region, not losing the region: cross-region failover of the global database is not a FIS action. Does not disrupt global replication.`,
      targets: { Clusters: { resourceType: 'aws:rds:cluster', selectionMode: 'ALL', resourceArns: [clusterArn] } },
      actions: { 'failover-writer': { actionId: 'aws:rds:failover-db-cluster', description: `${NAME}-${r.short}-database-failover: failover-writer`, targets: { Clusters: 'Clusters' } } },
    },
  ];
  for (const exp of experimentList) {
    const group = new Construct(experiments, `${r.short}-${exp.name}`);
    const logGroupName = `/meridian/${NAME}/fis/${r.name}/${exp.name}`;
    const logGroup = new logs.LogGroup(group, 'Logs', { logGroupName, encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    key.addToResourcePolicy(new iam.PolicyStatement({
      sid: `AllowLogs${logGroupName.replace(/[^A-Za-z0-9]/g, '')}`,
      principals: [new iam.ServicePrincipal(`logs.${r.name}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'kms:EncryptionContext:aws:logs:arn': logGroupArn(logGroupName) } },
    }));
    const role = new iam.Role(group, 'Role', {
      roleName: `${NAME}-${r.short}-fis-${exp.role}`,
      description: `Meridian ${NAME}: runs the FIS experiment ${NAME}-${r.short}-${exp.name}`,
      assumedBy: new iam.ServicePrincipal('fis.amazonaws.com', {
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'fis', resource: 'experiment', resourceName: '*' }) },
        },
      }),
    });
    for (const st of exp.statements) role.addToPolicy(st);
    const what = `FIS role ${NAME}-${r.short}-fis-${exp.role} of experiment ${NAME}-${r.short}-${exp.name}`;
    ack(role, {
      ...Object.fromEntries(exp.wildcards.map((w) => [`AwsSolutions::AwsSolutions-IAM5[Resource::${w}]`, `${what}: ${exp.why}`])),
      'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy': `${what}: the inline policy grants exactly this experiment's actions and no other role uses it`,
    });
    encryptedWithRegionKey(logGroup, r, ack);
    const template = new fis.CfnExperimentTemplate(group, 'Resource', {
      description: exp.description,
      roleArn: role.roleArn,
      targets: exp.targets,
      actions: exp.actions,
      stopConditions: [{ source: 'aws:cloudwatch:alarm', value: writer.alarmArn }],
      logConfiguration: { logSchemaVersion: 2, cloudWatchLogsConfiguration: { LogGroupArn: logGroup.logGroupArn } },
    });
    Tags.of(template).add('Name', `${NAME}-${r.short}-${exp.name}`);
    template.node.addDependency(role);
  }
  return { stack, vpc };
}

/** What the peering stacks need of a region's network. */
interface PeerableNetwork { vpcId: string; routeTableIds: string[] }

/**
 * The peering stacks: each requester region peers with the regions after it (full mesh) and routes to
 * them from its data route tables; each accepter routes back over the connection. aws-cdk-lib has no L2
 * for VPC peering, so these are L1 resources with cross-stack (weak) references.
 */
function peeringStacks(scope: Construct, networks: ReadonlyMap<Region, PeerableNetwork>, regionStacks: ReadonlyMap<Region, Stack>): Stack[] {
  const connections = new Map<string, ec2.CfnVPCPeeringConnection>();
  const stacks: Stack[] = [];
  const net = (r: Region) => {
    const n = networks.get(r);
    if (!n) throw new Error(`no network for ${r.name}`);
    return n;
  };
  REGIONS.forEach((requester, i) => {
    const peers = REGIONS.slice(i + 1);
    if (peers.length === 0) return;
    const stack = new Stack(scope, `${NAME}-${requester.name}-peering`, stackProps(requester, `${NAME}-${requester.name}-peering`, `Meridian ${NAME}: ${requester.name} requester side of the cross-region VPC peerings`));
    tag(stack, regionTags(requester));
    for (const peer of peers) {
      const id = `${requester.short}-${peer.short}`;
      const group = new Construct(stack, `Peering-${id}`);
      const connection = new ec2.CfnVPCPeeringConnection(group, 'Resource', { vpcId: net(requester).vpcId, peerVpcId: net(peer).vpcId, peerRegion: peer.name });
      Tags.of(connection).add('Name', `${NAME}-${id}`);
      connections.set(id, connection);
      net(requester).routeTableIds.forEach((routeTableId, n) => new ec2.CfnRoute(group, `Route${n}`, { routeTableId, destinationCidrBlock: peer.cidr, vpcPeeringConnectionId: connection.ref }));
    }
    stacks.push(stack);
  });
  REGIONS.forEach((accepter, i) => {
    const requesters = REGIONS.slice(0, i);
    if (requesters.length === 0) return;
    const stack = new Stack(scope, `${NAME}-${accepter.name}-peering-accepter`, stackProps(accepter, `${NAME}-${accepter.name}-peering-accepter`, `Meridian ${NAME}: ${accepter.name} accepter side of the cross-region VPC peerings`));
    tag(stack, regionTags(accepter));
    const own = regionStacks.get(accepter);
    if (own) stack.addStackDependency(own);
    for (const requester of requesters) {
      const id = `${requester.short}-${accepter.short}`;
      const group = new Construct(stack, `Accepted-${id}`);
      const connection = connections.get(id);
      if (!connection) throw new Error(`no peering ${id}`);
      net(accepter).routeTableIds.forEach((routeTableId, n) => new ec2.CfnRoute(group, `Route${n}`, { routeTableId, destinationCidrBlock: requester.cidr, vpcPeeringConnectionId: connection.ref }));
    }
    stacks.push(stack);
  });
  return stacks;
}

export interface L2BaselineOptions {
  /**
   * Acknowledge the cdk-nag and cfn-guard findings the deployment accepts, each with its reason (what
   * an app that passes those checks writes); false gives the same app without those records.
   * @default true
   */
  readonly acknowledgements?: boolean;
}

/**
 * Declares the deployment in `app`, every stack written here; dependencies between stacks come from
 * cross-stack references and the orderings a hand-writer adds (keys first, the primary before the
 * secondaries that join its global cluster). Returns the stacks.
 */
export function buildL2Baseline(app: App, options: L2BaselineOptions = {}): Stack[] {
  const ack: Acknowledge = options.acknowledgements ?? true
    ? (on, rules) => Validations.of(on).acknowledge(...Object.entries(rules).map(([id, reason]) => ({ id, reason })))
    : () => undefined;
  const root = new Construct(app, 'Meridian');
  const keys = new Map<Region, { stack: Stack; key: kms.Key }>();
  for (const r of REGIONS) keys.set(r, keyStack(root, r));
  const [use1, usw2, euw1] = REGIONS;
  if (!use1 || !usw2 || !euw1) throw new Error('three regions expected');
  const key = (r: Region) => {
    const k = keys.get(r);
    if (!k) throw new Error(`no key stack for ${r.name}`);
    return k;
  };
  const regionStacks = new Map<Region, Stack>();
  const networks = new Map<Region, PeerableNetwork>();
  for (const [r, instances] of [[usw2, 1], [euw1, 0]] as const) {
    const secondary = secondaryStack(root, r, key(r).key, instances, ack);
    secondary.stack.addStackDependency(key(r).stack);
    regionStacks.set(r, secondary.stack);
    networks.set(r, { vpcId: secondary.vpc.vpcId, routeTableIds: secondary.vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId) });
  }
  const dns = dnsStack(root);

  const primary = primaryStack(root, use1, key(use1).key, ack);
  // The master secret's replicas are encrypted with the other regions' keys (named by alias): those must exist first.
  for (const r of REGIONS) primary.stack.addStackDependency(key(r).stack);
  regionStacks.set(use1, primary.stack);
  networks.set(use1, { vpcId: primary.vpc.vpcId, routeTableIds: primary.vpc.isolatedSubnets.map((s) => s.routeTable.routeTableId) });
  // The secondaries join the global cluster the primary stack creates.
  for (const r of [usw2, euw1]) regionStacks.get(r)?.addStackDependency(primary.stack);

  return [...[...keys.values()].map((k) => k.stack), ...regionStacks.values(), dns, ...peeringStacks(root, networks, regionStacks)];
}
