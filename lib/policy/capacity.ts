/**
 * Capacity after each single-region failure, and the monthly cost of cross-region replication. Both are
 * estimates for `meridian estimate`; the capacity rule (GEO-CAPACITY-001) judges the same targets.
 */
import type { Facts } from '../facts/types';
import type { Engine } from '../model/spec';
import { failoverTargets } from './estimate';

export interface CapacityRow {
  readonly failedRegion: string;
  readonly region: string;
  /** Requests per second the region serves after the failure: its own peak plus its share of the failed region's. */
  readonly loadRps: number;
  readonly capacityRps: number;
  /** loadRps / capacityRps. */
  readonly utilisation: number;
}

export interface CapacityEstimate {
  readonly rows: readonly CapacityRow[];
  /** Regions whose peak or capacity is unknown or undeclared, so no row could be computed. */
  readonly skipped: readonly string[];
}

/**
 * Per single-region failure, the load on each failover target. The failed region's peak is split across
 * its targets in proportion to their spare capacity (an assumption: latency routing splits by client
 * location, which the facts do not carry); active-passive sends it all to the failover SECONDARY.
 */
export function capacityAfterFailures(facts: Facts): CapacityEstimate {
  const rows: CapacityRow[] = [];
  const skipped = new Set<string>();
  for (const failed of facts.regions) {
    if (typeof failed.peakRps !== 'number' || failed.peakRps === 0) continue;
    const targets = failoverTargets(facts, failed);
    const known = targets.filter((t) => typeof t.capacityRps === 'number');
    targets.filter((t) => typeof t.capacityRps !== 'number').forEach((t) => skipped.add(t.name));
    if (known.length === 0) continue;
    const spare = known.map((t) => Math.max(0, (t.capacityRps as number) - (t.peakRps ?? 0)));
    const totalSpare = spare.reduce((a, b) => a + b, 0);
    known.forEach((t, i) => {
      const share = totalSpare > 0 ? failed.peakRps as number * ((spare[i] ?? 0) / totalSpare) : (failed.peakRps as number) / known.length;
      const load = (t.peakRps ?? 0) + share;
      rows.push({ failedRegion: failed.name, region: t.name, loadRps: Math.round(load), capacityRps: t.capacityRps as number, utilisation: load / (t.capacityRps as number) });
    });
  }
  return { rows, skipped: [...skipped] };
}

// ---------------------------------------------------------------------------------------------------------
// replication cost

/**
 * List prices used by the cost estimate (USD). Dated: prices change, so the output names the date and the
 * pages to check. No network calls; update this table by hand.
 */
export const REPLICATION_PRICES = {
  asOf: '2025-06-01',
  /** Data transfer from one AWS Region to another, per GB, by source-region prefix; most US/EU/CA pairs. */
  interRegionTransferPerGb: { default: 0.02, 'ap-': 0.09, 'sa-': 0.138, 'me-': 0.1105, 'af-': 0.147 } as { readonly default: number; readonly [prefix: string]: number },
  /** Aurora global database: replicated write I/Os, per million (Aurora Standard). */
  auroraReplicatedWriteIoPerMillion: 0.2,
  /** DynamoDB global tables: replicated write request units (on-demand), per million. */
  dynamodbReplicatedWritePerMillion: 0.625,
  sources: [
    'https://aws.amazon.com/ec2/pricing/on-demand/ (Data Transfer: to another AWS Region)',
    'https://aws.amazon.com/rds/aurora/pricing/ (Global Database: replicated write I/Os)',
    'https://aws.amazon.com/dynamodb/pricing/on-demand/ (Global tables: replicated write request units)',
    'https://aws.amazon.com/blogs/architecture/exploring-data-transfer-costs-for-aws-managed-databases/',
  ],
} as const;

export interface WriteVolume {
  /** Data written per month, in GB (what replication carries across regions). */
  readonly gbPerMonth: number;
  /** Average writes per second. */
  readonly writesPerSecond: number;
}

export interface ReplicationCostRow {
  readonly from: string;
  readonly to: string;
  readonly transferGb: number;
  readonly transferUsd: number;
  readonly replicatedWritesMillions: number;
  readonly replicatedWritesUsd: number;
}

export interface ReplicationCost {
  readonly rows: readonly ReplicationCostRow[];
  readonly totalUsd: number;
  readonly pricesAsOf: string;
  readonly sources: readonly string[];
  /** What the estimate assumes. */
  readonly notes: readonly string[];
}

const SECONDS_PER_MONTH = 30 * 24 * 3600;

function transferPrice(source: string): number {
  const p = REPLICATION_PRICES.interRegionTransferPerGb;
  const key = Object.keys(p).find((k) => k !== 'default' && source.startsWith(k));
  return (key ? p[key] : undefined) ?? p.default;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Monthly cross-region replication cost per region pair. Aurora: the writer ships every write to each
 * secondary. DynamoDB: every replica ships its writes to every other; writes are assumed evenly spread.
 */
export function replicationCost(facts: Facts, volume: WriteVolume): ReplicationCost {
  const rows: ReplicationCostRow[] = [];
  const writesMillions = (volume.writesPerSecond * SECONDS_PER_MONTH) / 1e6;
  for (const db of facts.databases) {
    const engine: Engine | undefined = db.engine;
    const regions = db.members.flatMap((m) => (m.region ? [m.region] : []));
    const pairs: [string, string, number][] = [];
    if (engine === 'dynamodb') {
      for (const a of regions) for (const b of regions) if (a !== b) pairs.push([a, b, 1 / regions.length]);
    } else {
      const writer = db.members.find((m) => m.role === 'primary')?.region;
      if (writer) for (const b of regions) if (b !== writer) pairs.push([writer, b, 1]);
    }
    const perMillion = engine === 'dynamodb' ? REPLICATION_PRICES.dynamodbReplicatedWritePerMillion : REPLICATION_PRICES.auroraReplicatedWriteIoPerMillion;
    for (const [from, to, share] of pairs) {
      const gb = volume.gbPerMonth * share;
      const writes = writesMillions * share;
      rows.push({
        from, to, transferGb: round2(gb), transferUsd: round2(gb * transferPrice(from)),
        replicatedWritesMillions: round2(writes), replicatedWritesUsd: round2(writes * perMillion),
      });
    }
  }
  return {
    rows, totalUsd: round2(rows.reduce((a, r) => a + r.transferUsd + r.replicatedWritesUsd, 0)),
    pricesAsOf: REPLICATION_PRICES.asOf, sources: REPLICATION_PRICES.sources,
    notes: [
      'one replicated write I/O (Aurora) or write request unit (DynamoDB, items up to 1 KB) per write',
      'DynamoDB: writes spread evenly over the replicas; a month is 30 days',
      `list prices as of ${REPLICATION_PRICES.asOf}, before free tiers and discounts; check the pages listed`,
    ],
  };
}
