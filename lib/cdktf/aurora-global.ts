import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import type { GeoPlan, PlannedDataPartition } from '../model/plan-types';
import { auroraLogExports, dbInstanceClass, iamRoleName, logRetentionDays, policyDocument, regionOf, regionTags, type AccountContext } from './common';
import type { RegionalNetwork } from './network';
import type { RegionalKey } from './regional-keys';

/**
 * Attributes Terraform must not reconcile on global-cluster members:
 * - `engine_version`: upgrades go through `aws_rds_global_cluster`, which upgrades every member; the
 *   provider docs ("Upgrading Engine Versions") ask members to ignore it or plans become inconsistent;
 * - `replication_source_identifier`: set by Aurora on members of a global cluster (and moved by a
 *   switchover or failover); the `aws_rds_cluster` docs say to ignore it rather than configure it;
 * - `global_cluster_identifier` is NOT ignored: it is what makes a cluster a member, and drift on it is
 *   worth seeing.
 */
export const MEMBER_IGNORE_CHANGES = ['engine_version', 'replication_source_identifier'] as const;

/**
 * Terraform version the configuration needs: write-only arguments (`master_password_wo`,
 * `secret_string_wo`) arrived in 1.11, ephemeral resources in 1.10.
 */
export const REQUIRED_TERRAFORM_VERSION = '>= 1.11.0';

/** Characters RDS refuses in a master password (`/`, `"`, `@`, space), plus quotes and backslash. */
const PASSWORD_EXCLUDED = '/"@\'\\ ';

/** Longest master user name RDS accepts per Aurora engine. */
const MASTER_USERNAME_MAX: Readonly<Record<'aurora-postgresql' | 'aurora-mysql', number>> = { 'aurora-mysql': 16, 'aurora-postgresql': 63 };

/** Enhanced monitoring intervals RDS accepts, in seconds (0 turns it off). */
export const MONITORING_INTERVALS: readonly number[] = [0, 1, 5, 10, 15, 30, 60];

/** Aurora MySQL forwards writes only when a read consistency is set (cluster parameter). */
const MYSQL_READ_CONSISTENCY = 'SESSION';

/** Cluster parameter-group family of an engine version: `aurora-postgresql16`, `aurora-mysql8.0`. */
export function clusterParameterFamily(engine: 'aurora-postgresql' | 'aurora-mysql', engineVersion: string): string {
  return engine === 'aurora-postgresql'
    ? `aurora-postgresql${engineVersion.split('.')[0]}`
    : `aurora-mysql${engineVersion.split('.').slice(0, 2).join('.')}`;
}

/**
 * Cluster parameters: TLS required on every connection, and on forwarding Aurora MySQL secondaries the
 * read consistency write forwarding needs.
 */
export function clusterParameters(engine: 'aurora-postgresql' | 'aurora-mysql', forwardWrites: boolean): { name: string; value: string }[] {
  if (engine === 'aurora-postgresql') return [{ name: 'rds.force_ssl', value: '1' }];
  return [
    ...(forwardWrites ? [{ name: 'aurora_replica_read_consistency', value: MYSQL_READ_CONSISTENCY }] : []),
    { name: 'require_secure_transport', value: 'ON' },
  ];
}

export interface AuroraGlobalDatabaseProps {
  readonly plan: GeoPlan;
  readonly partition: PlannedDataPartition;
  /** Regional keys by region name. */
  readonly keys: Readonly<Record<string, RegionalKey>>;
  /** Regional networks by region name. */
  readonly networks: Readonly<Record<string, RegionalNetwork>>;
  /**
   * Master user name of the primary cluster.
   * @default 'meridian_admin'
   */
  readonly masterUsername?: string;
  /**
   * Bump to rotate the master password: a new one is generated at apply and written to the cluster and
   * the secret (write-only arguments only send a value when their version changes).
   * @default 1
   */
  readonly masterPasswordVersion?: number;
  readonly account: AccountContext;
  /**
   * Enhanced monitoring interval of the instances, in seconds (0 turns it off; RDS allows 0, 1, 5, 10,
   * 15, 30, 60).
   * @default 60
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Retention of the clusters' exported logs (`/aws/rds/cluster/<id>/<log>`, encrypted with the region key).
   * @default 365
   */
  readonly logRetentionDays?: number;
}

/**
 * An Aurora global database for one data partition: the `aws_rds_global_cluster` (encrypted, deletion
 * protection), the primary cluster with its instances and an RDS-managed master password, and one
 * secondary cluster per other region, joined by `global_cluster_identifier`, without master
 * credentials, headless when the plan gives it 0 instances, with write forwarding when the plan asks.
 * Every cluster is encrypted with its own region's key, keeps backups, has IAM auth and log exports.
 *
 * @see https://registry.terraform.io/providers/hashicorp/aws/6.25.0/docs/resources/rds_global_cluster
 */
export class AuroraGlobalDatabase extends Construct {
  public readonly globalCluster: RdsGlobalCluster;
  /** Clusters by region name, primary first. */
  public readonly clusters: Record<string, RdsCluster> = {};
  /** Instances by region name. */
  public readonly instances: Record<string, RdsClusterInstance[]> = {};
  /** Secret holding the master credentials, in the primary region, replicated to the other regions. */
  public readonly masterSecret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);
    const { plan, partition } = props;
    const data = plan.data;
    const engine = data.engine;
    if (engine === 'dynamodb') throw new Error(`${this.node.path}: AuroraGlobalDatabase needs an Aurora engine, got ${engine}`);
    const primary = regionOf(plan, partition.primaryRegion);
    const retentionDays = logRetentionDays(this.node.path, props.logRetentionDays ?? 365);
    const monitoring = props.monitoringIntervalSeconds ?? 60;
    if (!MONITORING_INTERVALS.includes(monitoring)) {
      throw new Error(`${this.node.path}: monitoringIntervalSeconds must be one of ${MONITORING_INTERVALS.join(', ')}, got ${monitoring}`);
    }

    this.globalCluster = new RdsGlobalCluster(this, 'GlobalCluster', {
      region: primary.name,
      globalClusterIdentifier: partition.globalClusterIdentifier,
      engine,
      engineVersion: data.engineVersion,
      storageEncrypted: true,
      deletionProtection: true,
      forceDestroy: false,
      tags: regionTags(primary, partition.globalClusterIdentifier),
    });

    // Master credentials. RDS-managed passwords (`manage_master_user_password`) are not supported for
    // clusters of an Aurora global database (Aurora user guide, "Limitations for Secrets Manager
    // integration"), so the password is generated at apply time by an ephemeral resource and passed
    // through write-only arguments to the cluster and to a Secrets Manager secret: it never appears in
    // the configuration nor in the Terraform state.
    const username = props.masterUsername ?? 'meridian_admin';
    // RDS refuses anything else at apply; the name is also written into the secret's HCL expression.
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(username) || username.length > MASTER_USERNAME_MAX[engine]) {
      throw new Error(`${this.node.path}: masterUsername must start with a letter and hold only letters, digits and underscores, at most ${MASTER_USERNAME_MAX[engine]} characters for ${engine}, got ${JSON.stringify(username)}`);
    }
    const passwordVersion = props.masterPasswordVersion ?? 1;
    const ephemeralName = `${partition.globalClusterIdentifier.replace(/[^A-Za-z0-9_]/g, '_')}_master_password`;
    const ephemeralAddress = `ephemeral.aws_secretsmanager_random_password.${ephemeralName}`;
    /** The generated password, as an HCL expression (ephemeral: usable only in write-only arguments). */
    const passwordExpr = `${ephemeralAddress}.random_password`;
    // Ephemeral resources take the per-resource `region` too: without it the password would be generated
    // through Secrets Manager in the provider's home region, outside the partition (and outside the
    // region check, which sees only resources).
    TerraformStack.of(this).addOverride(ephemeralAddress, {
      region: primary.name,
      password_length: 32,
      exclude_characters: PASSWORD_EXCLUDED,
      include_space: false,
      require_each_included_type: true,
    });
    TerraformStack.of(this).addOverride('terraform.required_version', REQUIRED_TERRAFORM_VERSION);
    const password = `\${${passwordExpr}}`;
    this.masterSecret = new SecretsmanagerSecret(this, 'MasterSecret', {
      region: primary.name,
      name: `meridian/${plan.name}/${partition.globalClusterIdentifier}/master`,
      description: `Master credentials of the Aurora global database ${partition.globalClusterIdentifier}`,
      kmsKeyId: props.keys[primary.name].arn,
      recoveryWindowInDays: 30,
      replica: partition.regions.filter((n) => n !== primary.name).map((n) => ({ region: n, kmsKeyId: props.keys[n].arn })),
      tags: regionTags(primary, `meridian/${plan.name}/${partition.globalClusterIdentifier}/master`),
    });
    const secretJson = `{username = ${JSON.stringify(username)}, password = ${passwordExpr}, engine = ${JSON.stringify(engine)}, port = ${data.port}}`;
    new SecretsmanagerSecretVersion(this, 'MasterSecretValue', {
      region: primary.name,
      secretId: this.masterSecret.id,
      secretStringWo: `\${jsonencode(${secretJson})}`,
      secretStringWoVersion: passwordVersion,
    });

    let primaryInstances: RdsClusterInstance[] = [];
    for (const regionName of partition.regions) {
      const r = regionOf(plan, regionName);
      const isPrimary = regionName === partition.primaryRegion;
      const key = props.keys[regionName];
      const net = props.networks[regionName];
      const sg = net.dbSecurityGroup;
      if (!sg) throw new Error(`${this.node.path}: the network of ${regionName} has no DB security group (give it a dbPort)`);
      // RDS refuses a DB subnet group that does not cover at least two availability zones.
      if (net.subnets.length < 2) {
        throw new Error(`${this.node.path}: Aurora needs data subnets in at least 2 availability zones; dataSubnetsPerRegion must be at least 2, got ${net.subnets.length} in ${regionName}`);
      }
      const scopeId = `Region-${r.short}`;
      const regionScope = new Construct(this, scopeId);
      const region = r.name;
      const subnetGroup = new DbSubnetGroup(regionScope, 'SubnetGroup', {
        region,
        name: r.clusterIdentifier,
        description: `Data subnets of ${r.clusterIdentifier}`,
        subnetIds: net.subnets.map((s) => s.id),
        tags: regionTags(r, r.clusterIdentifier),
      });
      const forwardWrites = !isPrimary && data.writeForwarding;
      const parameterGroup = new RdsClusterParameterGroup(regionScope, 'ClusterParameters', {
        region,
        name: `${r.clusterIdentifier}-cluster`,
        family: clusterParameterFamily(engine, data.engineVersion),
        description: `Cluster parameters of ${r.clusterIdentifier}`,
        parameter: clusterParameters(engine, forwardWrites),
        tags: regionTags(r, `${r.clusterIdentifier}-cluster`),
      });
      const logGroups = auroraLogExports(engine).map((log) => new CloudwatchLogGroup(regionScope, `Logs-${log}`, {
        region,
        name: `/aws/rds/cluster/${r.clusterIdentifier}/${log}`,
        kmsKeyId: key.arn,
        retentionInDays: retentionDays,
        tags: regionTags(r, `/aws/rds/cluster/${r.clusterIdentifier}/${log}`),
      }));
      let monitoringRoleArn: string | undefined;
      let monitoringPolicy: IamRolePolicyAttachment | undefined;
      if (monitoring > 0 && r.instances > 0) {
        const role = new IamRole(regionScope, 'MonitoringRole', {
          name: iamRoleName(r.clusterIdentifier, 'rds-monitoring'),
          description: `Lets RDS enhanced monitoring of ${r.clusterIdentifier} publish OS metrics`,
          assumeRolePolicy: policyDocument([{
            Effect: 'Allow',
            Principal: { Service: 'monitoring.rds.amazonaws.com' },
            Action: 'sts:AssumeRole',
            Condition: { StringEquals: { 'aws:SourceAccount': props.account.accountId } },
          }]),
          tags: regionTags(r, `${r.clusterIdentifier}-rds-monitoring`),
        });
        monitoringPolicy = new IamRolePolicyAttachment(regionScope, 'MonitoringPolicy', {
          role: role.name,
          policyArn: `arn:${props.account.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
        });
        monitoringRoleArn = role.arn;
      }
      const cluster = new RdsCluster(regionScope, 'Cluster', {
        region,
        clusterIdentifier: r.clusterIdentifier,
        engine,
        engineVersion: data.engineVersion,
        globalClusterIdentifier: this.globalCluster.id,
        ...(isPrimary
          ? {
            databaseName: data.databaseName,
            masterUsername: username,
            masterPasswordWo: password,
            masterPasswordWoVersion: passwordVersion,
          }
          : {}),
        ...(forwardWrites ? { enableGlobalWriteForwarding: true } : {}),
        dbClusterParameterGroupName: parameterGroup.name,
        storageEncrypted: true,
        kmsKeyId: key.arn,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [sg.id],
        port: data.port,
        backupRetentionPeriod: data.backupRetentionDays,
        copyTagsToSnapshot: true,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${r.clusterIdentifier}-final`,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: auroraLogExports(engine),
        tags: regionTags(r, r.clusterIdentifier),
        lifecycle: { ignoreChanges: [...MEMBER_IGNORE_CHANGES] },
        // Log groups first (so RDS exports into the encrypted ones); a secondary joins only once the
        // primary has a writer.
        dependsOn: [...logGroups, ...(isPrimary ? [] : primaryInstances)],
      });
      this.clusters[regionName] = cluster;
      const instances = Array.from({ length: r.instances }, (_, i) => new RdsClusterInstance(regionScope, `Instance${i + 1}`, {
        region,
        identifier: `${r.clusterIdentifier}-${i + 1}`,
        clusterIdentifier: cluster.id,
        engine,
        instanceClass: dbInstanceClass(data.instanceClass),
        dbSubnetGroupName: subnetGroup.name,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        promotionTier: i,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key.arn,
        ...(monitoringRoleArn ? { monitoringInterval: monitoring, monitoringRoleArn } : {}),
        tags: regionTags(r, `${r.clusterIdentifier}-${i + 1}`),
        // The role's ARN alone lets Terraform create the instance before the policy is attached, and RDS then
        // refuses it ("does not include the required permissions for: ENHANCED_MONITORING").
        ...(monitoringPolicy ? { dependsOn: [monitoringPolicy] } : {}),
      }));
      this.instances[regionName] = instances;
      if (isPrimary) primaryInstances = instances;
    }
  }
}
