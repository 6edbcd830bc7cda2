/**
 * A DynamoDB global table of one data partition: `TableV2` in the partition's primary region with a
 * replica in each other region of the partition, every replica encrypted with its own region's key.
 */
import { Stack, Token } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { MeridianValidationError, type GeoPlan, type PlannedDataPartition } from '../model';
import { regionalKeyAliasArn } from './regional-keys';
import { checkKeyRegion, findRegion, removalPolicy } from './tags';
import { at } from '../model/lookup';

/** Props of {@link DynamoDbGlobalTable}. */
export interface DynamoDbGlobalTableProps {
  /** The resolved deployment plan (`tableName`, regions and consistency of the partition). */
  readonly plan: GeoPlan;
  /**
   * Id of the data partition (`plan.data.partitions[].id`) this table holds.
   *
   * @default - the plan's only partition; required when the plan has several (partitioned mode)
   */
  readonly partitionId?: string;
  /** The primary region's own customer-managed key (encrypts the replica in the stack's region). */
  readonly key: kms.IKey;
  /**
   * Partition key of the table.
   *
   * @default { name: 'pk', type: dynamodb.AttributeType.STRING }
   */
  readonly partitionKey?: dynamodb.Attribute;
  /**
   * Sort key of the table.
   *
   * @default { name: 'sk', type: dynamodb.AttributeType.STRING }
   */
  readonly sortKey?: dynamodb.Attribute;
  /**
   * Billing mode and capacity.
   *
   * @default dynamodb.Billing.onDemand()
   */
  readonly billing?: dynamodb.Billing;
  /**
   * Attribute holding each item's expiry time (epoch seconds).
   *
   * @default - no time to live
   */
  readonly timeToLiveAttribute?: string;
}

/**
 * A DynamoDB global table (`AWS::DynamoDB::GlobalTable`, named `tableName` from the plan) created in
 * the partition's primary region, with a replica in every other region of the partition:
 *
 * - each replica encrypted with its OWN region's customer-managed key: the stack's region with `key`,
 *   every other region with the plan's alias ARN in that region (`arn:<partition>:kms:<region>:<account>:alias/...`),
 *   which KMS resolves to that region's key; so the stacks of the replica regions (which create those
 *   keys) must be deployed first — {@link GeoDeployment} adds that dependency;
 * - point-in-time recovery and deletion protection on every replica, `RETAIN` on delete;
 * - `plan.data.consistency` `strong` → multi-Region strong consistency (`MultiRegionConsistency.STRONG`;
 *   `plan()` has already refused region sets that DynamoDB does not offer it for). Otherwise the
 *   table is multi-Region eventually consistent: concurrent writes to the same item in two regions are
 *   resolved **last writer wins** (by timestamp), silently discarding the other write — design keys so
 *   that one item has one writing region at a time, or use strong consistency.
 *
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html
 */
export class DynamoDbGlobalTable extends Construct {
  public readonly table: dynamodb.TableV2;
  public readonly partition: PlannedDataPartition;
  /** Regions of the replicas other than the stack's, in plan order. */
  public readonly replicaRegions: readonly string[];

  constructor(scope: Construct, id: string, props: DynamoDbGlobalTableProps) {
    super(scope, id);
    const who = `DynamoDbGlobalTable ${this.node.path}`;
    const { plan } = props;
    if (plan.data.engine !== 'dynamodb') {
      throw new MeridianValidationError({ construct: who, prop: 'plan.data.engine', value: plan.data.engine, allowed: 'dynamodb', message: `plan.data.engine is ${plan.data.engine}; a DynamoDB global table needs engine dynamodb (use AuroraGlobalDatabase for Aurora)` });
    }
    const ids = plan.data.partitions.map((p) => p.id);
    let partition: PlannedDataPartition | undefined;
    if (props.partitionId === undefined) {
      if (ids.length !== 1) throw new MeridianValidationError({ construct: who, prop: 'partitionId', value: props.partitionId, allowed: ids.join(', '), message: `plan "${plan.name}" has ${ids.length} data partitions (${ids.join(', ')}); set partitionId to one of them` });
      partition = at(plan.data.partitions, 0, 'data partition');
    } else {
      partition = plan.data.partitions.find((p) => p.id === props.partitionId);
      if (!partition) throw new MeridianValidationError({ construct: who, prop: 'partitionId', value: props.partitionId, allowed: ids.join(', '), message: `partitionId "${props.partitionId}" is not a data partition of plan "${plan.name}"; allowed: ${ids.join(', ')}` });
    }
    this.partition = partition;
    const primary = findRegion(plan, partition.primaryRegion, who);
    const stackRegion = Stack.of(this).region;
    if (!Token.isUnresolved(stackRegion) && stackRegion !== primary.name) {
      throw new MeridianValidationError({ construct: who, prop: 'stack region', value: stackRegion, allowed: primary.name, message: `the table of partition "${partition.id}" belongs in ${primary.name} but the stack is in ${stackRegion}` });
    }
    checkKeyRegion(props.key, primary.name, who, 'the replica');

    this.replicaRegions = partition.regions.filter((r) => r !== primary.name);
    const replicaKeyArns: Record<string, string> = {};
    for (const r of this.replicaRegions) replicaKeyArns[r] = regionalKeyAliasArn(this, plan, r);

    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: partition.tableName,
      partitionKey: props.partitionKey ?? { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: props.sortKey ?? { name: 'sk', type: dynamodb.AttributeType.STRING },
      billing: props.billing ?? dynamodb.Billing.onDemand(),
      timeToLiveAttribute: props.timeToLiveAttribute,
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.key, replicaKeyArns),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: removalPolicy(plan.retention.tables),
      multiRegionConsistency: plan.data.consistency === 'strong' ? dynamodb.MultiRegionConsistency.STRONG : undefined,
      replicas: this.replicaRegions.map((region) => ({
        region,
        // Each replica carries its own region's plan tags (role, jurisdiction), not the primary's.
        tags: Object.entries(findRegion(plan, region, who).tags).map(([key, value]) => ({ key, value })),
        deletionProtection: true,
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      })),
    });
  }
}
