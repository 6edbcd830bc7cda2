/**
 * The resilience estimator: a deliberately simple, documented model of how long losing a database's
 * writer region takes to recover from (RTO) and how much data it loses (RPO).
 *
 *   RTO = detection + decision + promotion + DNS TTL
 *     detection  = health-check interval × failure threshold of the failed region's check
 *                  (Route 53 marks the endpoint unhealthy after that many consecutive failures)
 *     decision   = DECISION_SECONDS when a database must be promoted (Aurora): the time for the alarm to
 *                  fire and an automated runbook (or a pre-approved on-call) to start the global failover.
 *                  A human-in-the-loop process takes 2–10 minutes (article: "Alert and human response",
 *                  "Decision to fail over"); such teams should set a larger RTO objective.
 *                  DynamoDB needs no decision: every region already writes and DNS moves on its own.
 *     promotion  = Aurora global failover ~60 s to a secondary with instances; a headless secondary
 *                  (0 instances) must first add an instance, ~600 s; DynamoDB 0.
 *     DNS TTL    = the longest TTL of the routed records: clients keep the old answer that long.
 *   The phases are added, not overlapped: a conservative reading of the article's timeline.
 *
 *   RPO = typical asynchronous replication lag: Aurora global database ~1 s, DynamoDB global tables
 *   ~1 s. A planned switchover (RPO 0) is not modelled: the estimate is for an unplanned failover.
 */
import type { DatabaseFact, DatabaseMemberFact, Facts } from '../facts/types';

export const DECISION_SECONDS = 60;
export const AURORA_PROMOTION_SECONDS = 60;
export const AURORA_HEADLESS_PROMOTION_SECONDS = 600;
export const AURORA_REPLICATION_LAG_SECONDS = 1;
export const DYNAMODB_REPLICATION_LAG_SECONDS = 1;

export interface RecoveryEstimate {
  /** The database (global cluster or table) the estimate is for. */
  readonly database: string;
  /** The region whose loss is estimated (the writer, or for DynamoDB the slowest-detected region). */
  readonly failedRegion?: string;
  /** The region that takes over; undefined when there is none. */
  readonly targetRegion?: string;
  /** Estimated RTO in seconds; undefined when unknown or unbounded (see `unknown` / `problem`). */
  readonly rtoSeconds?: number;
  /** Estimated RPO in seconds; undefined when unknown or unbounded. */
  readonly rpoSeconds?: number;
  readonly breakdown: { readonly detection?: number; readonly decision: number; readonly promotion?: number; readonly dnsTtl?: number };
  /** Facts the estimate needed but could not resolve. */
  readonly unknown: readonly string[];
  /** Why recovery is impossible (no failover target, no health check), when it is. */
  readonly problem?: string;
  /** True when the database has no copy in another region (RPO unbounded). */
  readonly noReplica: boolean;
}

function promotionSeconds(m: DatabaseMemberFact, engine: string): number | undefined {
  if (engine === 'dynamodb') return 0;
  if (m.instances === undefined || m.instances === null) return undefined;
  return m.instances === 0 ? AURORA_HEADLESS_PROMOTION_SECONDS : AURORA_PROMOTION_SECONDS;
}

function detectionSeconds(facts: Facts, region: string): { seconds?: number; unknown?: string; missing?: boolean } {
  const checkIds = new Set(facts.dns.records.filter((r) => r.region === region && r.healthCheckId).map((r) => r.healthCheckId as string));
  const checks = facts.dns.healthChecks.filter((h) => checkIds.has(h.id) || h.region === region);
  if (checks.length === 0) {
    return facts.dns.healthChecks.some((h) => h.region === undefined) ? { unknown: `the health check of ${region}` } : { missing: true };
  }
  let worst = 0;
  for (const h of checks) {
    if (h.intervalSeconds === undefined || h.failureThreshold === undefined) return { unknown: `the interval or failure threshold of ${h.id}` };
    worst = Math.max(worst, h.intervalSeconds * h.failureThreshold);
  }
  return { seconds: worst };
}

function dnsTtl(facts: Facts): { seconds?: number; unknown?: string } {
  let worst = 0;
  for (const r of facts.dns.records) {
    if (r.routing === 'simple') continue;
    if (r.ttlSeconds === undefined) return { unknown: `the TTL of ${r.id}` };
    worst = Math.max(worst, r.ttlSeconds ?? 0);
  }
  return { seconds: worst };
}

/** Failover targets of a database: in active-passive the SECONDARY records' regions, else every other member. */
function candidates(facts: Facts, db: DatabaseFact, failed: string): DatabaseMemberFact[] {
  const others = db.members.filter((m) => m.region !== failed);
  if (facts.mode === 'active-passive') {
    const secondaryRegions = new Set(facts.dns.records.filter((r) => r.failover === 'SECONDARY').map((r) => r.region));
    const dnsTargets = others.filter((m) => secondaryRegions.has(m.region));
    if (dnsTargets.length > 0) return dnsTargets;
  }
  return others;
}

function estimate(facts: Facts, db: DatabaseFact): RecoveryEstimate {
  const unknown: string[] = [];
  const engine = db.engine;
  if (engine === undefined) unknown.push(`the engine of ${db.id}`);
  if (facts.mode === undefined) unknown.push('the deployment mode');
  const aurora = engine !== 'dynamodb';
  const decision = aurora ? DECISION_SECONDS : 0;
  const ttl = dnsTtl(facts);
  if (ttl.unknown) unknown.push(ttl.unknown);

  // The failure that matters: the writer (Aurora); for DynamoDB every region writes, take the slowest to detect.
  const writer = aurora ? db.members.find((m) => m.role === 'primary') : undefined;
  const failedRegions = aurora ? (writer?.region ? [writer.region] : []) : db.members.flatMap((m) => (m.region ? [m.region] : []));
  if (failedRegions.length === 0 || db.members.some((m) => m.region === undefined)) {
    unknown.push(`the ${aurora ? 'writer region' : 'regions'} of ${db.id}`);
  }

  const rpo = aurora ? AURORA_REPLICATION_LAG_SECONDS : DYNAMODB_REPLICATION_LAG_SECONDS;
  const estimates: RecoveryEstimate[] = [];
  for (const failed of failedRegions) {
    const local = [...unknown];
    const targets = candidates(facts, db, failed);
    if (targets.length === 0) {
      // Checked first: with no copy elsewhere, nothing else about recovery matters.
      return {
        database: db.id, failedRegion: failed, breakdown: { decision }, unknown: local, noReplica: true,
        problem: `${db.id} has no other region to fail over to; losing ${failed} loses the service and its data`,
      };
    }
    const detection = detectionSeconds(facts, failed);
    if (detection.unknown) local.push(detection.unknown);
    let target: DatabaseMemberFact | undefined;
    let promotion: number | undefined;
    for (const t of targets) {
      const p = engine === undefined ? undefined : promotionSeconds(t, engine);
      if (p === undefined) { local.push(`the instance count of ${t.id}`); continue; }
      if (promotion === undefined || p < promotion) { promotion = p; target = t; }
    }
    if (detection.missing) {
      return {
        database: db.id, failedRegion: failed, targetRegion: target?.region, rpoSeconds: rpo, breakdown: { decision, promotion },
        unknown: local, noReplica: false, problem: `no health check watches ${failed}; DNS never moves traffic away from it`,
      };
    }
    const parts = [detection.seconds, decision, promotion, ttl.seconds];
    const known = local.length === 0 && parts.every((x) => x !== undefined);
    estimates.push({
      database: db.id, failedRegion: failed, targetRegion: target?.region, noReplica: false,
      rtoSeconds: known ? parts.reduce<number>((a, b) => a + (b as number), 0) : undefined,
      rpoSeconds: rpo,
      breakdown: { detection: detection.seconds, decision, promotion, dnsTtl: ttl.seconds },
      unknown: [...new Set(local)],
    });
  }
  // Any unresolved failure scenario makes the whole estimate unknown; otherwise report the worst case.
  const unresolved = estimates.find((e) => e.rtoSeconds === undefined);
  if (unresolved) return unresolved;
  if (estimates.length === 0) return { database: db.id, breakdown: { decision }, unknown: [...new Set(unknown)], noReplica: false };
  return estimates.reduce((worst, e) => ((e.rtoSeconds as number) > (worst.rtoSeconds as number) ? e : worst));
}

/** One estimate per database (data partition). */
export function estimateRecovery(facts: Facts): RecoveryEstimate[] {
  return facts.databases.map((db) => estimate(facts, db));
}

/** `detection 30 s + decision 60 s + promotion 60 s + DNS TTL 60 s`, for messages. */
export function describeBreakdown(e: RecoveryEstimate): string {
  const b = e.breakdown;
  return `detection ${b.detection ?? '?'} s + decision ${b.decision} s + promotion ${b.promotion ?? '?'} s + DNS TTL ${b.dnsTtl ?? '?'} s`;
}
