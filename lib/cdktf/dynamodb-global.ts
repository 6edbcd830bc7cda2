import { Construct } from 'constructs';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import type { GeoPlan, PlannedDataPartition } from '../model/plan-types';
import { preventDestroy, regionOf, regionTags } from './common';
import type { RegionalKey } from './regional-keys';
import { need } from '../model/lookup';

/** Key schema of the global table: a string partition key and a string sort key. */
export const TABLE_KEY = { partitionKey: 'pk', sortKey: 'sk' } as const;

export interface DynamoGlobalTableProps {
  readonly plan: GeoPlan;
  readonly partition: PlannedDataPartition;
  /** Regional keys by region name. */
  readonly keys: Readonly<Record<string, RegionalKey>>;
}

/**
 * A DynamoDB global table (version 2019.11.21) for one data partition: the table in the partition's
 * primary region, a `replica` block per other region with that region's own key, point-in-time
 * recovery and deletion protection everywhere, on-demand billing, streams on (replication needs them),
 * and multi-Region strong consistency when the plan asks for strong consistency.
 */
export class DynamoGlobalTable extends Construct {
  public readonly table: DynamodbTable;

  constructor(scope: Construct, id: string, props: DynamoGlobalTableProps) {
    super(scope, id);
    const { plan, partition } = props;
    const primary = regionOf(plan, partition.primaryRegion);
    const strong = plan.data.consistency === 'strong';
    this.table = new DynamodbTable(this, 'Table', {
      region: primary.name,
      name: partition.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: TABLE_KEY.partitionKey,
      rangeKey: TABLE_KEY.sortKey,
      attribute: [
        { name: TABLE_KEY.partitionKey, type: 'S' },
        { name: TABLE_KEY.sortKey, type: 'S' },
      ],
      streamEnabled: true,
      streamViewType: 'NEW_AND_OLD_IMAGES',
      serverSideEncryption: { enabled: true, kmsKeyArn: need(props.keys, primary.name, 'regional key').arn },
      pointInTimeRecovery: { enabled: true },
      deletionProtectionEnabled: true,
      replica: partition.regions.filter((n) => n !== primary.name).map((n) => ({
        regionName: n,
        kmsKeyArn: need(props.keys, n, 'regional key').arn,
        pointInTimeRecovery: true,
        propagateTags: true,
        deletionProtectionEnabled: true,
        ...(strong ? { consistencyMode: 'STRONG' } : {}),
      })),
      tags: regionTags(primary, partition.tableName),
      lifecycle: { preventDestroy: preventDestroy(plan.retention.tables) },
    });
  }
}
