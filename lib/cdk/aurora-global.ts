/**
 * Aurora Global Database from a plan: the `AWS::RDS::GlobalCluster`, the primary cluster in the data
 * partition's primary region, and secondary clusters joined to it in the other regions of the partition.
 *
 * aws-cdk-lib has no global-database L2 (aws-cdk #22212): the global cluster is an L1, the primary is
 * the `DatabaseCluster` L2 joined through the L1 escape hatch, and secondaries are L1 clusters because
 * the L2 always renders master credentials (a secondary with a master password fails to create,
 * aws-cdk #29880) and cannot be headless (no instances, aws-cdk #20391).
 */
import { Arn, ArnFormat, Duration, Stack, Token, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { MeridianValidationError, MONITORING_INTERVALS_SECONDS, type GeoPlan, type PlannedDataPartition, type PlannedRegion } from '../model';
import { regionalKeyAliasArn } from './regional-keys';
import { checkKeyRegion, findRegion, removalPolicy } from './tags';
import { at } from '../model/lookup';

/** Secondary regions an Aurora global database can have. */
export const MAX_SECONDARY_REGIONS = 10;
/** Aurora replicas per cluster; on a global primary, minus one per secondary region. */
export const MAX_REPLICAS_PER_CLUSTER = 15;

/**
 * Grants `grantee` read on the master secret (or its replica) of `region`: the Secrets Manager actions
 * on the secret and `kms:Decrypt` on the region's key through Secrets Manager of that region, both in
 * the grantee's own policy. `secret.grantRead` with the key construct would put the grantee into the
 * key policy instead, and the key stack (which deploys first) would then depend on the application's
 * stack: a cycle. The key policy lets the account's IAM policies decide.
 */
function grantReadSecret(secret: secretsmanager.ISecret, key: kms.IKey, region: string, grantee: iam.IGrantable): iam.Grant {
  return secret.grantRead(grantee).combine(iam.Grant.addToPrincipal({
    grantee,
    actions: ['kms:Decrypt'],
    resourceArns: [key.keyArn],
    conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
  }));
}

/** Options every regional cluster of a global database takes. */
export interface AuroraRegionalClusterOptions {
  /** The region's VPC. */
  readonly vpc: ec2.IVpc;
  /**
   * Subnets of the cluster's subnet group.
   *
   * @default - the VPC's isolated subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** Security group of the cluster (admits the database port from the deployment's CIDRs). */
  readonly securityGroup: ec2.ISecurityGroup;
  /**
   * The region's own customer-managed key: encrypts storage, Performance Insights, the log groups
   * and (on the primary) the master-user secret. Must be a key of the cluster's region.
   */
  readonly key: kms.IKey;
  /**
   * Enhanced monitoring interval (0, 1, 5, 10, 15, 30 or 60 seconds; 0 turns it off).
   *
   * @default - `plan.data.monitoringIntervalSeconds`
   */
  readonly monitoringInterval?: Duration;
  /**
   * Retention of the exported database log groups.
   *
   * @default - `plan.retention.logRetentionDays`
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Retention of Performance Insights data.
   *
   * @default - `plan.data.performanceInsightsRetentionDays`
   */
  readonly performanceInsightRetention?: rds.PerformanceInsightRetention;
}

/** Props of {@link AuroraGlobalDatabase}. */
export interface AuroraGlobalDatabaseProps extends AuroraRegionalClusterOptions {
  /** The resolved deployment plan (engine, version, instance class, port, backups, identifiers). */
  readonly plan: GeoPlan;
  /**
   * Id of the data partition (`plan.data.partitions[].id`) this global database holds.
   *
   * @default - the plan's only partition; required when the plan has several (partitioned mode)
   */
  readonly partitionId?: string;
  /**
   * User name of the master user, whose password Secrets Manager generates.
   *
   * @default - `plan.data.masterUsername`
   */
  readonly masterUsername?: string;
  /**
   * Replicate the master secret to `masterSecretReplicaRegions` of the partition, each replica
   * encrypted with its region's key named by the planned alias (`keyAlias`). Those keys must exist
   * before this stack deploys: {@link GeoDeployment} puts them in `<region stack>-keys` stacks that
   * deploy first. Turn it off only when the other regions' keys are created later than this stack.
   *
   * @default true
   */
  readonly replicateMasterSecret?: boolean;
}

/** Props of {@link AuroraSecondaryCluster}. */
export interface AuroraSecondaryClusterProps extends AuroraRegionalClusterOptions {
  /** The global database this cluster joins (in the partition's primary region). */
  readonly globalDatabase: AuroraGlobalDatabase;
  /** Region of this secondary (the stack's region): a region of the partition other than its primary. */
  readonly region: string;
}

/** The engine of an Aurora plan, at the plan's engine version. */
export function auroraEngine(plan: GeoPlan): rds.IClusterEngine {
  const v = plan.data.engineVersion;
  switch (plan.data.engine) {
    case 'aurora-postgresql':
      return rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.of(v, at(v.split('.'), 0, 'engine major version')) });
    case 'aurora-mysql':
      return rds.DatabaseClusterEngine.auroraMysql({ version: rds.AuroraMysqlEngineVersion.of(v, v.split('.').slice(0, 2).join('.')) });
    default:
      throw new MeridianValidationError({ construct: 'auroraEngine', prop: 'plan.data.engine', value: plan.data.engine, allowed: 'aurora-postgresql or aurora-mysql', message: `Aurora constructs need plan.data.engine aurora-postgresql or aurora-mysql, got ${plan.data.engine}; use DynamoDbGlobalTable for dynamodb` });
  }
}

/** Log types the plan's clusters export to CloudWatch Logs (`plan.data.logExports`). */
export function auroraLogExports(plan: GeoPlan): string[] {
  return [...plan.data.logExports];
}

/** The plan's cluster parameters (`plan.data.clusterParameters`), as the parameter group takes them. */
export function auroraClusterParameters(plan: GeoPlan): Record<string, string> {
  return { ...plan.data.clusterParameters };
}

function findPartition(plan: GeoPlan, partitionId: string | undefined, who: string): PlannedDataPartition {
  const ids = plan.data.partitions.map((p) => p.id);
  if (partitionId === undefined) {
    if (plan.data.partitions.length !== 1) {
      throw new MeridianValidationError({ construct: who, prop: 'partitionId', value: partitionId, allowed: ids.join(', '), message: `plan "${plan.name}" has ${ids.length} data partitions (${ids.join(', ')}); set partitionId to one of them` });
    }
    return at(plan.data.partitions, 0, 'data partition');
  }
  const found = plan.data.partitions.find((p) => p.id === partitionId);
  if (!found) throw new MeridianValidationError({ construct: who, prop: 'partitionId', value: partitionId, allowed: ids.join(', '), message: `partitionId "${partitionId}" is not a data partition of plan "${plan.name}"; allowed: ${ids.join(', ')}` });
  return found;
}

/** Throws unless the stack and the key are in `region` (unresolved regions are skipped). */
function checkRegion(scope: Construct, region: string, key: kms.IKey, who: string): void {
  const stackRegion = Stack.of(scope).region;
  if (!Token.isUnresolved(stackRegion) && stackRegion !== region) {
    throw new MeridianValidationError({ construct: who, prop: 'stack region', value: stackRegion, allowed: region, message: `the cluster belongs in ${region} but the stack is in ${stackRegion}` });
  }
  checkKeyRegion(key, region, who, 'a cluster');
}

function validateOptions(plan: GeoPlan, options: AuroraRegionalClusterOptions, who: string): number {
  // integral: false so that a fractional interval reaches the message below instead of Duration's own error.
  const interval = (options.monitoringInterval ?? Duration.seconds(plan.data.monitoringIntervalSeconds)).toSeconds({ integral: false });
  if (!MONITORING_INTERVALS_SECONDS.includes(interval)) {
    throw new MeridianValidationError({ construct: who, prop: 'monitoringInterval', value: interval, allowed: `one of ${MONITORING_INTERVALS_SECONDS.join(', ')} seconds`, message: `monitoringInterval must be one of ${MONITORING_INTERVALS_SECONDS.join(', ')} seconds, got ${interval}` });
  }
  return interval;
}

function monitoringRole(scope: Construct): iam.Role {
  return new iam.Role(scope, 'MonitoringRole', {
    assumedBy: new iam.ServicePrincipal('monitoring.rds.amazonaws.com'),
    description: 'Lets RDS enhanced monitoring publish OS metrics to CloudWatch Logs',
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonRDSEnhancedMonitoringRole')],
  });
}

/**
 * Acknowledges the cdk-nag findings a global-database member cannot fix, each with the reason that
 * holds for this cluster (AwsSolutions and NIST 800-53 R5 packs).
 */
function acknowledgeClusterFindings(scope: Construct, plan: GeoPlan, region: PlannedRegion, partition: PlannedDataPartition, role?: iam.Role): void {
  const id = region.clusterIdentifier;
  const others = partition.regions.filter((r) => r !== region.name).join(', ');
  const ack = (rule: string, reason: string, on: Construct = scope) => Validations.of(on).acknowledge({ id: rule, reason });
  if (role) {
    ack('AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole]',
      `Enhanced monitoring role of ${id}: AmazonRDSEnhancedMonitoringRole is the AWS-maintained policy RDS documents for this role; it only writes OS metrics to the RDSOSMetrics log group`, role);
  }
  ack('AwsSolutions::AwsSolutions-RDS11', `${id} listens on plan.data.port ${plan.data.port}; its security group admits that port only from the deployment's own and peered CIDRs, so a non-default port adds no protection`);
  ack('NIST.800.53.R5::NIST.800.53.R5-RDSInBackupPlan', `${id} is backed up continuously by Aurora (${plan.data.backupRetentionDays} days, snapshot on delete) and replicated by global cluster ${partition.globalClusterIdentifier}${others ? ` to ${others}` : ''}; its instances hold no data of their own`);
  if (plan.data.engine === 'aurora-mysql') {
    const backtrack = `Backtrack is not supported on members of an Aurora global database such as ${id}; point-in-time restore from ${plan.data.backupRetentionDays} days of backups covers the same mistakes`;
    ack('AwsSolutions::AwsSolutions-RDS14', backtrack);
    ack('cdk-validator-cfnguard::aurora_cluster_backtracking_enabled_check', backtrack);
    const general = `${id} exports the audit (connections, DDL, DCL), error and slow-query logs; the general log would copy every statement on ${plan.data.classification} data into CloudWatch Logs`;
    ack('NIST.800.53.R5::NIST.800.53.R5-RDSLoggingEnabled[LogExport::general]', general);
    ack('cdk-validator-cfnguard::rds_cluster_logging_enabled_check', general);
  }
}

/**
 * The log groups RDS exports to (`/aws/rds/cluster/<cluster identifier>/<log type>`), created ahead of
 * the cluster so they are encrypted with the region's key, have a retention and are retained.
 */
function clusterLogGroups(scope: Construct, plan: GeoPlan, region: PlannedRegion, options: AuroraRegionalClusterOptions): logs.LogGroup[] {
  return auroraLogExports(plan).map((type) => new logs.LogGroup(scope, `Logs-${type}`, {
    logGroupName: `/aws/rds/cluster/${region.clusterIdentifier}/${type}`,
    encryptionKey: options.key,
    retention: options.logRetention ?? plan.retention.logRetentionDays,
    removalPolicy: removalPolicy(plan.retention.logGroups),
  }));
}

/**
 * An Aurora global database of one data partition, created in the partition's primary region
 * (at most 10 secondary regions; the primary's readers at most 15 minus the secondary regions):
 *
 * - `AWS::RDS::GlobalCluster` (`globalClusterIdentifier` from the plan; engine, version, storage
 *   encrypted, deletion protection; `RETAIN`);
 * - the primary `DatabaseCluster` (`clusterIdentifier` from the plan; `instances` of the plan's
 *   instance class, the first the writer) joined with `GlobalClusterIdentifier`; storage and
 *   Performance Insights encrypted with the region's key; deletion protection; `SNAPSHOT` on delete;
 *   `backupRetentionDays` of backups; IAM authentication; log exports to encrypted, retained log
 *   groups; enhanced monitoring; TLS required; the master password generated by Secrets Manager into
 *   a secret encrypted with the region's key (the template holds only a dynamic reference);
 * - {@link addSecondary} adds a secondary cluster in another region's stack.
 */
export class AuroraGlobalDatabase extends Construct {
  public readonly globalCluster: rds.CfnGlobalCluster;
  /** The primary (writer) cluster. */
  public readonly cluster: rds.DatabaseCluster;
  /** The exported log groups of the primary cluster. */
  public readonly logGroups: logs.LogGroup[];
  /** The partition this global database holds. */
  public readonly partition: PlannedDataPartition;
  public readonly plan: GeoPlan;
  public readonly engine: rds.IClusterEngine;
  /** The enhanced monitoring role of the primary (undefined when monitoring is off). */
  public readonly monitoringRole?: iam.Role;
  /** Secondary clusters added with {@link addSecondary}, by region. */
  public readonly secondaries: Record<string, AuroraSecondaryCluster> = {};
  /** The master-user secret, in the primary region (`masterSecretName` of the partition). */
  public readonly masterSecret: secretsmanager.ISecret;
  private readonly masterKey: kms.IKey;
  private readonly importedSecret: secretsmanager.ISecret;
  /** Regions the master secret is replicated to (empty when `replicateMasterSecret` is false). */
  public readonly masterSecretReplicaRegions: readonly string[];

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);
    const who = `AuroraGlobalDatabase ${this.node.path}`;
    const { plan } = props;
    this.plan = plan;
    this.engine = auroraEngine(plan);
    const partition = findPartition(plan, props.partitionId, who);
    this.partition = partition;
    const region = findRegion(plan, partition.primaryRegion, who);
    checkRegion(this, region.name, props.key, who);
    const interval = validateOptions(plan, props, who);
    const secondaryCount = partition.regions.length - 1;
    const rules: Array<{ readonly broken: boolean; readonly message: string }> = [
      { broken: region.instances < 1, message: `the primary cluster ${region.clusterIdentifier} needs at least 1 instance, got ${region.instances}` },
      { broken: secondaryCount > MAX_SECONDARY_REGIONS, message: `an Aurora global database has at most ${MAX_SECONDARY_REGIONS} secondary regions, partition "${partition.id}" has ${secondaryCount}` },
      {
        broken: region.instances - 1 > MAX_REPLICAS_PER_CLUSTER - secondaryCount,
        message: `the primary cluster ${region.clusterIdentifier} may have at most ${MAX_REPLICAS_PER_CLUSTER} - ${secondaryCount} secondary regions = ${MAX_REPLICAS_PER_CLUSTER - secondaryCount} readers, got ${region.instances - 1}`,
      },
    ];
    const broken = rules.filter((r) => r.broken).map((r) => r.message);
    if (broken.length > 0) throw new MeridianValidationError({ construct: who, prop: 'plan', value: region.instances, allowed: 'within the limits of an Aurora global database', message: `${broken.join('; ')}` });

    this.globalCluster = new rds.CfnGlobalCluster(this, 'Resource', {
      globalClusterIdentifier: partition.globalClusterIdentifier,
      engine: this.engine.engineType,
      engineVersion: plan.data.engineVersion,
      storageEncrypted: true,
      deletionProtection: true,
    });
    this.globalCluster.applyRemovalPolicy(removalPolicy(plan.retention.globalCluster));

    this.logGroups = clusterLogGroups(this, plan, region, props);
    const parameterGroup = new rds.ParameterGroup(this, 'ClusterParameters', {
      engine: this.engine,
      description: `Meridian ${plan.name} ${partition.id}: cluster parameters`,
      parameters: auroraClusterParameters(plan),
    });
    const instanceType = new ec2.InstanceType(plan.data.instanceClass.replace(/^db\./, ''));
    const piRetention = props.performanceInsightRetention ?? plan.data.performanceInsightsRetentionDays;
    const instance = (name: string, promotionTier: number | undefined) => rds.ClusterInstance.provisioned(name, {
      instanceType,
      promotionTier,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.key,
      performanceInsightRetention: piRetention,
    });
    const readers = region.promotionTiers.slice(1).map((tier, i) => instance(`Reader${i + 1}`, tier));
    this.monitoringRole = interval > 0 ? monitoringRole(this) : undefined;

    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      engine: this.engine,
      clusterIdentifier: region.clusterIdentifier,
      credentials: rds.Credentials.fromGeneratedSecret(props.masterUsername ?? plan.data.masterUsername, {
        encryptionKey: props.key,
        secretName: partition.masterSecretName,
      }),
      writer: instance('Writer', region.promotionTiers[0]),
      readers,
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [props.securityGroup],
      port: plan.data.port,
      defaultDatabaseName: plan.data.databaseName,
      parameterGroup,
      storageEncrypted: true,
      storageEncryptionKey: props.key,
      deletionProtection: true,
      removalPolicy: removalPolicy(plan.retention.clusters),
      backup: { retention: Duration.days(plan.data.backupRetentionDays) },
      iamAuthentication: true,
      cloudwatchLogsExports: auroraLogExports(plan),
      monitoringInterval: interval > 0 ? Duration.seconds(interval) : undefined,
      monitoringRole: this.monitoringRole,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: props.key,
      performanceInsightRetention: piRetention,
      copyTagsToSnapshot: true,
    });
    const cfn = this.cluster.node.defaultChild as rds.CfnDBCluster;
    cfn.globalClusterIdentifier = partition.globalClusterIdentifier;
    // node.addDependency rather than addResourceDependency (not in older aws-cdk-lib): both write DependsOn.
    cfn.node.addDependency(this.globalCluster);
    for (const group of this.logGroups) this.cluster.node.addDependency(group);
    // The master secret outlives the stack like the data it opens.
    const secret = this.cluster.node.tryFindChild('Secret') as secretsmanager.Secret | undefined;
    if (!secret) throw new Error(`${who}: the cluster generated no master secret`);
    this.masterSecret = secret;
    this.masterKey = props.key;
    this.importedSecret = secretsmanager.Secret.fromSecretAttributes(this, 'MasterSecretForApplications', { secretCompleteArn: secret.secretArn });
    secret.applyRemovalPolicy(removalPolicy(plan.retention.masterSecret));
    // Replicas keep the credentials readable in every region of the partition after a failover. Each is
    // encrypted with its own region's key, named by the planned alias ARN of that region: KmsKeyId takes
    // "the ARN, key ID, or alias of the KMS key", so no value crosses regions and no export is needed
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-secretsmanager-secret-replicaregion.html).
    this.masterSecretReplicaRegions = props.replicateMasterSecret === false ? [] : [...partition.masterSecretReplicaRegions];
    if (this.masterSecretReplicaRegions.length > 0) {
      (secret.node.defaultChild as secretsmanager.CfnSecret).replicaRegions = this.masterSecretReplicaRegions.map((r) => ({
        region: r, kmsKeyId: regionalKeyAliasArn(this, plan, r),
      }));
    }
    acknowledgeClusterFindings(this, plan, region, partition, this.monitoringRole);
    const reason = `Master secret of ${region.clusterIdentifier}: RDS-managed rotation is not available for Aurora global database members, and a rotation function would need a network path from the isolated data subnets to Secrets Manager; applications authenticate with IAM database authentication, which is on`;
    Validations.of(secret).acknowledge({ id: 'AwsSolutions::AwsSolutions-SMG4', reason }, { id: 'NIST.800.53.R5::NIST.800.53.R5-SecretsManagerRotationEnabled', reason });
  }

  /**
   * Grants `grantee` (an application in the primary region) read on the master secret: `GetSecretValue`
   * on the secret and `kms:Decrypt` on the region's key through Secrets Manager, in the grantee's policy.
   */
  public grantReadMasterSecret(grantee: iam.IGrantable): iam.Grant {
    return grantReadSecret(this.importedSecret, this.masterKey, this.partition.primaryRegion, grantee);
  }

  /**
   * Adds a secondary cluster in `region`, created in `scope` (a construct of that region's stack),
   * and makes that stack depend on this one (the global cluster must exist before a member joins).
   */
  public addSecondary(scope: Construct, id: string, options: AuroraRegionalClusterOptions & { readonly region: string }): AuroraSecondaryCluster {
    const secondary = new AuroraSecondaryCluster(scope, id, { ...options, globalDatabase: this });
    this.secondaries[options.region] = secondary;
    return secondary;
  }
}

/**
 * A secondary cluster of an Aurora global database, in a region of the partition other than its
 * primary: an L1 `AWS::RDS::DBCluster` joined with `GlobalClusterIdentifier`, carrying NO master user
 * name or password (aws-cdk #29880), with `SourceRegion` (required for an encrypted cross-region
 * member) and storage encrypted with THIS region's key; `instances` DB instances from the plan (0 makes
 * a headless secondary: storage replicated, no compute); `EnableGlobalWriteForwarding` when the plan
 * enables write forwarding; the same deletion protection, `SNAPSHOT` removal, backups, IAM auth, log
 * exports, enhanced monitoring and Performance Insights as the primary.
 */
export class AuroraSecondaryCluster extends Construct {
  public readonly resource: rds.CfnDBCluster;
  public readonly instances: rds.CfnDBInstance[] = [];
  /**
   * The cluster as an `IDatabaseCluster` (for connections, grants, metrics and FIS targets): its writer and
   * reader endpoints, port and resource id come from the real `AWS::RDS::DBCluster`, so an application in
   * this region can connect and `grantConnect` (IAM database authentication) works after a failover.
   */
  public readonly cluster: rds.IDatabaseCluster;
  /** The exported log groups of this cluster. */
  public readonly logGroups: logs.LogGroup[];
  public readonly region: PlannedRegion;
  /**
   * The replica of the master secret in this region (same name, this region's ARN, encrypted with this
   * region's key); undefined when the primary does not replicate its secret. Readable before and after
   * a failover. Grant read with {@link grantReadMasterSecret} (it adds the key permission too).
   */
  public readonly masterSecret?: secretsmanager.ISecret;
  private readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: AuroraSecondaryClusterProps) {
    super(scope, id);
    const who = `AuroraSecondaryCluster ${this.node.path}`;
    const gdb = props.globalDatabase;
    const plan = gdb.plan;
    const partition = gdb.partition;
    const region = findRegion(plan, props.region, who);
    this.region = region;
    if (region.name === partition.primaryRegion) {
      throw new MeridianValidationError({ construct: who, prop: 'region', value: region.name, allowed: partition.regions.filter((r) => r !== partition.primaryRegion).join(', '), message: `${region.name} is the primary region of data partition "${partition.id}"; a secondary must be in another region of the partition (${partition.regions.filter((r) => r !== partition.primaryRegion).join(', ') || 'none'})` });
    }
    if (!partition.regions.includes(region.name)) {
      throw new MeridianValidationError({ construct: who, prop: 'region', value: region.name, allowed: partition.regions.join(', '), message: `${region.name} is not a region of data partition "${partition.id}" (${partition.regions.join(', ')}); its data may not be replicated there` });
    }
    checkRegion(this, region.name, props.key, who);
    this.key = props.key;
    const interval = validateOptions(plan, props, who);

    const stack = Stack.of(this);
    const primaryStack = Stack.of(gdb);
    if (stack === primaryStack) {
      throw new MeridianValidationError({ construct: who, prop: 'scope', value: primaryStack.stackName, allowed: 'a construct of the secondary region\'s own stack', message: `a secondary must live in its own region's stack, not in the primary's stack ${primaryStack.stackName}` });
    }
    stack.addStackDependency(primaryStack, `the global cluster ${partition.globalClusterIdentifier} must exist before ${region.clusterIdentifier} joins it`);

    this.logGroups = clusterLogGroups(this, plan, region, props);
    const subnetGroup = new rds.SubnetGroup(this, 'Subnets', {
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      description: `Meridian ${plan.name}: subnets of ${region.clusterIdentifier}`,
    });
    const parameterGroup = new rds.ParameterGroup(this, 'ClusterParameters', {
      engine: gdb.engine,
      description: `Meridian ${plan.name} ${partition.id}: cluster parameters`,
      parameters: auroraClusterParameters(plan),
    });
    const role = interval > 0 ? monitoringRole(this) : undefined;

    this.resource = new rds.CfnDBCluster(this, 'Resource', {
      dbClusterIdentifier: region.clusterIdentifier,
      globalClusterIdentifier: partition.globalClusterIdentifier,
      sourceRegion: partition.primaryRegion,
      engine: gdb.engine.engineType,
      engineVersion: plan.data.engineVersion,
      port: plan.data.port,
      dbSubnetGroupName: subnetGroup.subnetGroupName,
      vpcSecurityGroupIds: [props.securityGroup.securityGroupId],
      dbClusterParameterGroupName: parameterGroup.bindToCluster({}).parameterGroupName,
      storageEncrypted: true,
      kmsKeyId: props.key.keyArn,
      deletionProtection: true,
      backupRetentionPeriod: plan.data.backupRetentionDays,
      enableIamDatabaseAuthentication: true,
      enableCloudwatchLogsExports: auroraLogExports(plan),
      enableGlobalWriteForwarding: plan.data.writeForwarding ? true : undefined,
      copyTagsToSnapshot: true,
    });
    this.resource.applyRemovalPolicy(removalPolicy(plan.retention.clusters));
    for (const group of this.logGroups) this.resource.node.addDependency(group);
    acknowledgeClusterFindings(this, plan, region, partition, role);

    const instanceClass = `db.${plan.data.instanceClass.replace(/^db\./, '')}`;
    region.promotionTiers.forEach((promotionTier, i) => {
      const inst = new rds.CfnDBInstance(this, `Instance${i + 1}`, {
        promotionTier,
        dbClusterIdentifier: this.resource.ref,
        dbInstanceClass: instanceClass,
        engine: gdb.engine.engineType,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        monitoringInterval: interval > 0 ? interval : undefined,
        monitoringRoleArn: role?.roleArn,
        enablePerformanceInsights: true,
        performanceInsightsKmsKeyId: props.key.keyArn,
        performanceInsightsRetentionPeriod: props.performanceInsightRetention ?? plan.data.performanceInsightsRetentionDays,
      });
      this.instances.push(inst);
    });

    this.cluster = rds.DatabaseCluster.fromDatabaseClusterAttributes(this, 'Cluster', {
      clusterIdentifier: this.resource.ref,
      clusterResourceIdentifier: this.resource.attrDbClusterResourceId,
      clusterEndpointAddress: this.resource.attrEndpointAddress,
      readerEndpointAddress: this.resource.attrReadEndpointAddress,
      instanceIdentifiers: this.instances.map((i) => i.ref),
      instanceEndpointAddresses: this.instances.map((i) => i.attrEndpointAddress),
      securityGroups: [props.securityGroup],
      port: plan.data.port,
      engine: gdb.engine,
    });
    if (gdb.masterSecretReplicaRegions.includes(region.name)) {
      this.masterSecret = secretsmanager.Secret.fromSecretAttributes(this, 'MasterSecret', {
        secretPartialArn: Arn.format({ service: 'secretsmanager', resource: 'secret', resourceName: partition.masterSecretName, arnFormat: ArnFormat.COLON_RESOURCE_NAME }, stack),
      });
    }
  }

  /**
   * Grants `grantee` (an application in this region) read on this region's replica of the master secret:
   * `GetSecretValue` on the replica and `kms:Decrypt` on this region's key through Secrets Manager.
   * Throws when the primary does not replicate its secret.
   */
  public grantReadMasterSecret(grantee: iam.IGrantable): iam.Grant {
    if (!this.masterSecret) {
      throw new MeridianValidationError({ construct: `AuroraSecondaryCluster ${this.node.path}`, prop: 'replicateMasterSecret', value: false, allowed: 'true', message: `the master secret is not replicated to ${this.region.name} (replicateMasterSecret is false on the global database)` });
    }
    return grantReadSecret(this.masterSecret, this.key, this.region.name, grantee);
  }

  /** ARN of this cluster. */
  public get clusterArn(): string {
    return this.cluster.clusterArn;
  }
}
