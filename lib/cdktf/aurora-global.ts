import { Construct } from 'constructs';
import { TerraformStack } from 'cdktf';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import type { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import type { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import type { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import type { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { SecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/secretsmanager-secret-version';
import { MeridianValidationError } from '../model/errors';
import { MONITORING_INTERVALS_SECONDS } from '../model/plan-data';
import { MIN_AVAILABILITY_ZONES } from '../model/plan-network';
import type { GeoPlan, PlannedDataPartition } from '../model/plan-types';
import { attr, dbInstanceClass, preventDestroy, iamRoleName, logRetentionDays, policyDocument, regionOf, regionTags, type AccountContext } from './common';
import { LeanResource } from './lean';
import { IAM_ROLE, RDS_CLUSTER, RDS_CLUSTER_INSTANCE, RDS_CLUSTER_PARAMETER_GROUP, RDS_GLOBAL_CLUSTER, SECRETSMANAGER_SECRET } from './lean-types';
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
export const MONITORING_INTERVALS: readonly number[] = MONITORING_INTERVALS_SECONDS;

/** The plan's cluster parameters as `aws_rds_cluster_parameter_group` takes them, sorted by name. */
export function clusterParameters(plan: GeoPlan): { name: string; value: string }[] {
  return Object.entries(plan.data.clusterParameters).sort(([a], [b]) => a.localeCompare(b)).map(([name, value]) => ({ name, value }));
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
   * @default - `plan.data.masterUsername`
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
   * @default - `plan.data.monitoringIntervalSeconds`
   */
  readonly monitoringIntervalSeconds?: number;
  /**
   * Retention of the clusters' exported logs (`/aws/rds/cluster/<id>/<log>`, encrypted with the region key).
   * @default - `plan.retention.logRetentionDays`
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
  public readonly globalCluster: LeanResource<typeof RdsGlobalCluster>;
  /** Clusters by region name, primary first. */
  public readonly clusters: Record<string, LeanResource<typeof RdsCluster>> = {};
  /** Instances by region name. */
  public readonly instances: Record<string, LeanResource<typeof RdsClusterInstance>[]> = {};
  /** Secret holding the master credentials, in the primary region, replicated to the other regions. */
  public readonly masterSecret: LeanResource<typeof SecretsmanagerSecret>;

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);
    const { plan, partition } = props;
    const data = plan.data;
    const engine = data.engine;
    if (engine === 'dynamodb') throw new MeridianValidationError({ construct: this.node.path, prop: 'plan.data.engine', value: engine, allowed: 'aurora-postgresql or aurora-mysql', message: `AuroraGlobalDatabase needs an Aurora engine, got ${engine}` });
    const primary = regionOf(plan, partition.primaryRegion);
    const who = `AuroraGlobalDatabase ${this.node.path}`;
    const keyOf = (region: string): RegionalKey => {
      const key = props.keys[region];
      if (!key) throw new MeridianValidationError({ construct: who, prop: 'keys', value: Object.keys(props.keys), allowed: `a key for every region of partition "${partition.id}" (${partition.regions.join(', ')})` });
      return key;
    };
    const retentionDays = logRetentionDays(this.node.path, props.logRetentionDays ?? plan.retention.logRetentionDays);
    const monitoring = props.monitoringIntervalSeconds ?? data.monitoringIntervalSeconds;
    if (!MONITORING_INTERVALS.includes(monitoring)) {
      throw new MeridianValidationError({ construct: this.node.path, prop: 'monitoringIntervalSeconds', value: monitoring, allowed: `one of ${MONITORING_INTERVALS.join(', ')}`, message: `monitoringIntervalSeconds must be one of ${MONITORING_INTERVALS.join(', ')}, got ${monitoring}` });
    }

    this.globalCluster = new LeanResource(this, 'GlobalCluster', RDS_GLOBAL_CLUSTER, {
      region: primary.name,
      globalClusterIdentifier: partition.globalClusterIdentifier,
      engine,
      engineVersion: data.engineVersion,
      storageEncrypted: true,
      deletionProtection: true,
      forceDestroy: false,
      tags: regionTags(primary, partition.globalClusterIdentifier),
      lifecycle: { preventDestroy: preventDestroy(plan.retention.globalCluster) },
    });

    // Master credentials. RDS-managed passwords (`manage_master_user_password`) are not supported for
    // clusters of an Aurora global database (Aurora user guide, "Limitations for Secrets Manager
    // integration"), so the password is generated at apply time by an ephemeral resource and written
    // write-only into the Secrets Manager secret. The secret is the single source: the cluster's
    // `master_password_wo` is read back from it through an ephemeral `aws_secretsmanager_secret_version`
    // that waits for the secret's value, so a partial apply, a failed first apply or a `-replace` of the
    // cluster can never leave cluster and secret with different passwords. The password never appears in
    // the configuration nor in the Terraform state.
    const username = props.masterUsername ?? data.masterUsername;
    // RDS refuses anything else at apply; the name is also written into the secret's HCL expression.
    if (!/^[A-Za-z][A-Za-z0-9_]*$/.test(username) || username.length > MASTER_USERNAME_MAX[engine]) {
      throw new MeridianValidationError({ construct: this.node.path, prop: 'masterUsername', value: username, allowed: `a letter, then letters, digits and underscores, at most ${MASTER_USERNAME_MAX[engine]} characters`, message: `masterUsername must start with a letter and hold only letters, digits and underscores, at most ${MASTER_USERNAME_MAX[engine]} characters for ${engine}, got ${JSON.stringify(username)}` });
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
    this.masterSecret = new LeanResource(this, 'MasterSecret', SECRETSMANAGER_SECRET, {
      region: primary.name,
      name: partition.masterSecretName,
      description: `Master credentials of the Aurora global database ${partition.globalClusterIdentifier}`,
      kmsKeyId: keyOf(primary.name).arn,
      recoveryWindowInDays: plan.retention.secretRecoveryWindowDays,
      replica: partition.masterSecretReplicaRegions.map((n) => ({ region: n, kmsKeyId: keyOf(n).arn })),
      tags: regionTags(primary, partition.masterSecretName),
      lifecycle: { preventDestroy: preventDestroy(plan.retention.masterSecret) },
    });
    const secretJson = `{username = ${JSON.stringify(username)}, password = ${passwordExpr}, engine = ${JSON.stringify(engine)}, port = ${data.port}}`;
    const secretValue = new SecretsmanagerSecretVersion(this, 'MasterSecretValue', {
      region: primary.name,
      secretId: this.masterSecret.id,
      secretStringWo: `\${jsonencode(${secretJson})}`,
      secretStringWoVersion: passwordVersion,
    });
    // cdktf 0.21 has no ephemeral bindings: the read-back is an override. `depends_on` makes Terraform
    // open it only once the secret's value is written in this apply.
    const readBackName = `${partition.globalClusterIdentifier.replace(/[^A-Za-z0-9_]/g, '_')}_master_secret`;
    const readBackAddress = `ephemeral.aws_secretsmanager_secret_version.${readBackName}`;
    TerraformStack.of(this).addOverride(readBackAddress, {
      region: primary.name,
      secret_id: this.masterSecret.id,
      depends_on: [`${secretValue.terraformResourceType}.${secretValue.friendlyUniqueId}`],
    });
    /** The password as the secret holds it (ephemeral: usable only in write-only arguments). */
    const password = `\${jsondecode(${readBackAddress}.secret_string).password}`;

    let primaryInstances: LeanResource<typeof RdsClusterInstance>[] = [];
    for (const regionName of partition.regions) {
      const r = regionOf(plan, regionName);
      const isPrimary = regionName === partition.primaryRegion;
      const key = keyOf(regionName);
      const net = props.networks[regionName];
      if (!net) throw new MeridianValidationError({ construct: `AuroraGlobalDatabase ${this.node.path}`, prop: 'networks', value: Object.keys(props.networks), allowed: `a network for every region of partition "${partition.id}" (${partition.regions.join(', ')})` });
      const sg = net.dbSecurityGroup;
      if (!sg) throw new MeridianValidationError({ construct: this.node.path, prop: 'networks', value: regionName, allowed: 'a network with a DB security group (dbPort) in every region of the partition', message: `the network of ${regionName} has no DB security group (give it a dbPort)` });
      // RDS refuses a DB subnet group that does not cover at least two availability zones.
      if (net.subnets.length < MIN_AVAILABILITY_ZONES) {
        throw new MeridianValidationError({ construct: who, prop: `networks.${regionName}.subnets`, value: net.subnets.length, allowed: `at least ${MIN_AVAILABILITY_ZONES} data subnets in distinct Availability Zones (RDS refuses a smaller DB subnet group)` });
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
      const parameterGroup = new LeanResource(regionScope, 'ClusterParameters', RDS_CLUSTER_PARAMETER_GROUP, {
        region,
        name: `${r.clusterIdentifier}-cluster`,
        family: data.clusterParameterFamily,
        description: `Cluster parameters of ${r.clusterIdentifier}`,
        parameter: clusterParameters(plan),
        tags: regionTags(r, `${r.clusterIdentifier}-cluster`),
      });
      const logGroups = data.logExports.map((log) => new CloudwatchLogGroup(regionScope, `Logs-${log}`, {
        region,
        name: `/aws/rds/cluster/${r.clusterIdentifier}/${log}`,
        kmsKeyId: key.arn,
        retentionInDays: retentionDays,
        tags: regionTags(r, `/aws/rds/cluster/${r.clusterIdentifier}/${log}`),
        lifecycle: { preventDestroy: preventDestroy(plan.retention.logGroups) },
      }));
      let monitoringRoleArn: string | undefined;
      let monitoringPolicy: IamRolePolicyAttachment | undefined;
      if (monitoring > 0 && r.instances > 0) {
        const role = new LeanResource(regionScope, 'MonitoringRole', IAM_ROLE, {
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
          role: role.attr('name'),
          policyArn: `arn:${props.account.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
        });
        monitoringRoleArn = role.attr('arn');
      }
      const cluster = new LeanResource(regionScope, 'Cluster', RDS_CLUSTER, {
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
          // An encrypted cross-region member needs its source region (terraform-provider-aws #13715).
          : { sourceRegion: partition.primaryRegion }),
        ...(forwardWrites ? { enableGlobalWriteForwarding: true } : {}),
        dbClusterParameterGroupName: parameterGroup.attr('name'),
        storageEncrypted: true,
        kmsKeyId: key.arn,
        dbSubnetGroupName: attr(subnetGroup, 'name'),
        vpcSecurityGroupIds: [sg.id],
        port: data.port,
        backupRetentionPeriod: data.backupRetentionDays,
        copyTagsToSnapshot: true,
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `${r.clusterIdentifier}-final`,
        iamDatabaseAuthenticationEnabled: true,
        enabledCloudwatchLogsExports: [...data.logExports],
        tags: regionTags(r, r.clusterIdentifier),
        lifecycle: { ignoreChanges: [...MEMBER_IGNORE_CHANGES], preventDestroy: preventDestroy(plan.retention.clusters) },
        // Log groups first (so RDS exports into the encrypted ones); a secondary joins only once the
        // primary has a writer.
        dependsOn: [...logGroups, ...(isPrimary ? [] : primaryInstances)],
      });
      this.clusters[regionName] = cluster;
      const instances = r.promotionTiers.map((promotionTier, i) => new LeanResource(regionScope, `Instance${i + 1}`, RDS_CLUSTER_INSTANCE, {
        region,
        identifier: `${r.clusterIdentifier}-${i + 1}`,
        clusterIdentifier: cluster.id,
        engine,
        instanceClass: dbInstanceClass(data.instanceClass),
        dbSubnetGroupName: attr(subnetGroup, 'name'),
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        promotionTier,
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key.arn,
        performanceInsightsRetentionPeriod: data.performanceInsightsRetentionDays,
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
