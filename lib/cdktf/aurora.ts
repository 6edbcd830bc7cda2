import { Construct } from 'constructs';
import { DbSubnetGroup } from '@cdktf/provider-aws/lib/db-subnet-group';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import type { GeoPlan, PlannedDataPartition } from '../model/plan-types';
import { auroraLogExports, dbInstanceClass, regionOf, regionTags, planTags } from './common';
import type { RegionalNetwork } from './network';
import type { RegionalKey } from './regional-key';

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

/** Aurora MySQL forwards writes only when a read consistency is set (cluster parameter). */
const MYSQL_READ_CONSISTENCY = 'SESSION';

export interface AuroraGlobalDatabaseProps {
  readonly plan: GeoPlan;
  readonly partition: PlannedDataPartition;
  /** Regional keys by region name. */
  readonly keys: Readonly<Record<string, RegionalKey>>;
  /** Regional networks by region name. */
  readonly networks: Readonly<Record<string, RegionalNetwork>>;
  /**
   * Master user name of the primary cluster. The password is managed by RDS in Secrets Manager,
   * encrypted with the primary region's key; no secret ever appears in the configuration.
   * @default 'meridian_admin'
   */
  readonly masterUsername?: string;
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

  constructor(scope: Construct, id: string, props: AuroraGlobalDatabaseProps) {
    super(scope, id);
    const { plan, partition } = props;
    const data = plan.data;
    const engine = data.engine;
    if (engine === 'dynamodb') throw new Error(`${this.node.path}: AuroraGlobalDatabase needs an Aurora engine, got ${engine}`);
    const primary = regionOf(plan, partition.primaryRegion);

    this.globalCluster = new RdsGlobalCluster(this, 'GlobalCluster', {
      region: primary.name,
      globalClusterIdentifier: partition.globalClusterIdentifier,
      engine,
      engineVersion: data.engineVersion,
      storageEncrypted: true,
      deletionProtection: true,
      forceDestroy: false,
      tags: planTags(plan, partition.globalClusterIdentifier),
    });

    let primaryInstances: RdsClusterInstance[] = [];
    for (const regionName of partition.regions) {
      const r = regionOf(plan, regionName);
      const isPrimary = regionName === partition.primaryRegion;
      const key = props.keys[regionName];
      const net = props.networks[regionName];
      const sg = net.dbSecurityGroup;
      if (!sg) throw new Error(`${this.node.path}: the network of ${regionName} has no DB security group (give it a dbPort)`);
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
      let parameterGroupName: string | undefined;
      if (forwardWrites && engine === 'aurora-mysql') {
        const family = `aurora-mysql${data.engineVersion.split('.').slice(0, 2).join('.')}`;
        parameterGroupName = new RdsClusterParameterGroup(regionScope, 'WriteForwardingParameters', {
          region,
          name: `${r.clusterIdentifier}-write-forwarding`,
          family,
          description: `Write forwarding for ${r.clusterIdentifier}: aurora_replica_read_consistency=${MYSQL_READ_CONSISTENCY}`,
          parameter: [{ name: 'aurora_replica_read_consistency', value: MYSQL_READ_CONSISTENCY }],
          tags: regionTags(r),
        }).name;
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
            masterUsername: props.masterUsername ?? 'meridian_admin',
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: key.arn,
          }
          : {}),
        ...(forwardWrites ? { enableGlobalWriteForwarding: true } : {}),
        ...(parameterGroupName ? { dbClusterParameterGroupName: parameterGroupName } : {}),
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
        // A secondary can join only once the primary has a writer.
        dependsOn: isPrimary ? undefined : primaryInstances,
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
        tags: regionTags(r, `${r.clusterIdentifier}-${i + 1}`),
      }));
      this.instances[regionName] = instances;
      if (isPrimary) primaryInstances = instances;
    }
  }
}
