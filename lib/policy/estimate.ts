/**
 * The disruption estimator: for each disruption a deployment can meet — the loss of each region in turn,
 * the loss of the database writer alone, the loss of one Availability Zone, a network partition between
 * two regions — a timeline of phases with a best and a worst case, the recovery time (RTO) and data loss
 * (RPO) they add up to, and the DR strategy the design amounts to.
 *
 * Model (every constant is in TIMING below, with its source and whether it is an assumption):
 *   - Two tracks run after detection. TRAFFIC: Route 53 stops answering with the failed region as soon as
 *     its health check turns unhealthy (no human involved), then clients wait out the TTL and their own
 *     caches. DATABASE: the alarm, the decision (a human, unless automated failover is on) and the
 *     promotion of a secondary. Recovery is done when both tracks are done, plus application warm-up.
 *     The tracks overlap in reality, so adding them (the previous model) overstated RTO by the DNS time.
 *   - Best case: everything happens at the earliest documented moment. Worst case: the latest moment the
 *     documented behaviour allows, plus the allowances marked as assumptions.
 *   - RPO: asynchronous replication loses what had not arrived — typically under a second, at worst the
 *     lag the design tolerates without telling anyone (the warning lag alarm's threshold); with no lag
 *     alarm the worst case is unbounded. DynamoDB multi-Region strong consistency (MRSC) loses nothing.
 *
 * Pure TypeScript over Facts, so it works on a plan, a cloud assembly or Terraform JSON alike.
 */
import type { DatabaseFact, DatabaseMemberFact, Facts, HealthCheckFact, RegionFact } from '../facts/types';

/** A timing constant: a best and worst value in seconds, where it comes from, and whether it is assumed. */
export interface TimingConstant {
  readonly best: number;
  readonly worst: number;
  /** True when no documentation fixes the value: an allowance chosen by us, to be checked in a rehearsal. */
  readonly assumption: boolean;
  /** Documentation URL or the reference article, and what it says. */
  readonly source: string;
}

const ARTICLE = 'reference article, "Multi-Region Failover Timeline Reality"';
const R53_HEALTH = 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html';

/** Every timing constant of the model, with its source. */
export const TIMING = {
  /** Extra probe interval in the worst case: checkers in different data centers do not coordinate. */
  detectionSkewIntervals: {
    best: 0, worst: 1, assumption: true,
    source: `${R53_HEALTH} ("health checkers in different data centers don't coordinate"); one interval of skew is our allowance`,
  },
  /** Clients that cache past the TTL: the AWS SDK for Java guidance caps the JVM's own cache at 5 s. */
  clientCache: {
    best: 0, worst: 5, assumption: true,
    source: 'https://docs.aws.amazon.com/sdk-for-java/latest/developer-guide/jvm-ttl-dns.html (JVM DNS cache TTL 5 s recommended); resolvers that ignore the TTL are not bounded (article: "corporate DNS resolvers may cache longer")',
  },
  /** On-call paged, diagnosis and the decision to fail over, when a human decides. */
  humanDecision: {
    best: 180, worst: 600, assumption: true,
    source: `${ARTICLE}: "Alert and human response 2-5 minutes" + "Decision to fail over 1-5 minutes" (best 2+1, worst 5+5 minutes)`,
  },
  /**
   * Route 53 publishes HealthCheckStatus once a minute; an alarm on it fires at the end of that minute.
   * The same page warns that "several minutes might elapse" before the notification: no documented bound.
   */
  alarmEvaluation: {
    best: 0, worst: 60, assumption: true,
    source: 'https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/monitoring-health-checks.html (status at one-minute intervals; "several minutes might elapse between the time that a health check fails and the time that you receive the associated SNS notification")',
  },
  /** Time from the alarm to the runbook's first API call (ARC Region switch trigger or EventBridge rule). */
  automationStart: {
    best: 5, worst: 15, assumption: true,
    source: 'no published latency for ARC Region switch triggers or EventBridge alarm rules; our allowance',
  },
  /** Aurora global database failover (AllowDataLoss) to a secondary that has instances. */
  auroraPromotion: {
    best: 30, worst: 60, assumption: false,
    source: `${ARTICLE}: "Database replica promotion 30-60 seconds"; https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database-disaster-recovery.html`,
  },
  /** A headless secondary (0 instances) must get a DB instance before it can be promoted. */
  auroraHeadlessInstance: {
    best: 300, worst: 600, assumption: true,
    source: 'instance creation time is not published; our allowance (a headless secondary trades this time for cost: pilot light)',
  },
  /** In-cluster Aurora failover when the writer's Availability Zone is lost and a reader exists elsewhere. */
  auroraInClusterFailover: {
    best: 0, worst: 60, assumption: true,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-failover.html (a reader is promoted); best 0 when the writer was in another zone, worst our allowance',
  },
  /** The writer-unavailable alarm (one 60 s period) that tells anyone the writer alone is gone. */
  writerAlarm: {
    best: 60, worst: 120, assumption: true,
    source: 'one alarm period of 60 s (plan default alarms.periodSeconds) plus up to one period of metric delay; our allowance',
  },
  /** Typical asynchronous replication lag of an Aurora global database. */
  auroraLag: {
    best: 1, worst: 1, assumption: false,
    source: 'https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html ("typically under a second")',
  },
  /** Typical replication latency of a DynamoDB global table in MREC mode. */
  dynamodbLag: {
    best: 1, worst: 1, assumption: false,
    source: 'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_HowItWorks.html ("typically within one second"; last writer wins)',
  },
} as const satisfies Record<string, TimingConstant>;

export type DisruptionKind = 'region-loss' | 'writer-loss' | 'az-loss' | 'partition';
export type PhaseKind = 'detection' | 'dns-ttl' | 'client-cache' | 'alarm' | 'decision' | 'automation-start' | 'instance' | 'promotion' | 'warm-up';
export type Track = 'detection' | 'traffic' | 'database' | 'application';
export type DrStrategy = 'backup-restore' | 'pilot-light' | 'warm-standby' | 'active-active';

export interface Phase {
  readonly kind: PhaseKind;
  readonly label: string;
  readonly track: Track;
  /** Seconds after the failure the phase starts, best and worst case. */
  readonly startBest: number;
  readonly startWorst: number;
  readonly best: number;
  readonly worst: number;
  readonly assumption: boolean;
  readonly source: string;
}

export interface Range { readonly best: number; readonly worst: number }

export interface DisruptionEstimate {
  readonly kind: DisruptionKind;
  /** Human-readable name, e.g. `loss of us-east-1`. */
  readonly name: string;
  /** Regions the disruption hits (one, or the two sides of a partition). */
  readonly regions: readonly string[];
  /** The database the estimate is for (global cluster or table); undefined when the deployment has none. */
  readonly database?: string;
  /** The region that takes over the failed region's writes or traffic. */
  readonly targetRegion?: string;
  readonly phases: readonly Phase[];
  /** Seconds until the service is back; undefined when unbounded or unknown (see problem / unknown). */
  readonly rto?: Range;
  /** Seconds of writes that can be lost; undefined when unbounded or unknown. */
  readonly rpo?: Range;
  /** Why recovery cannot happen on its own, when it cannot. */
  readonly problem?: string;
  /** Facts the estimate needed but could not resolve. */
  readonly unknown: readonly string[];
  /** What users see, in one sentence. */
  readonly impact: string;
  /** True when the RESILIENCE rules judge this disruption against the objectives. */
  readonly judged: boolean;
}

export interface EstimateOptions {
  /**
   * Automated region failover: no human decision; an alarm starts the promotion.
   * Default: what the facts say (`facts.automation.regionFailover`), else false.
   */
  readonly automation?: boolean;
  /** Application warm-up after the region takes traffic (connection pools, caches). Default 0. */
  readonly warmUpSeconds?: number;
}

type ResolvedOptions = Required<EstimateOptions> & {
  /** Whether the writer-loss disruption is automated (only when asked for explicitly). */
  readonly writerAutomation: boolean;
  /** Sustained-failure window of the region-failover trigger, seconds. */
  readonly sustainedSeconds: number;
};

export interface EstimateReport {
  readonly topology?: string;
  readonly automation: boolean;
  readonly strategy?: DrStrategy;
  readonly strategyReason: string;
  readonly disruptions: readonly DisruptionEstimate[];
}

/** Regions that take a failed region's traffic: active-passive primary → the failover SECONDARY; partitioned → same partition. */
export function failoverTargets(facts: Facts, failed: Pick<RegionFact, 'name' | 'role' | 'partitionId'>): RegionFact[] {
  const others = facts.regions.filter((r) => r.name !== failed.name);
  if (facts.mode === 'partitioned') return others.filter((r) => r.partitionId !== undefined && r.partitionId === failed.partitionId);
  if (facts.mode === 'active-passive' && failed.role === 'primary') {
    const secondary = new Set(facts.dns.records.filter((r) => r.failover === 'SECONDARY').map((r) => r.region));
    const dnsTargets = others.filter((r) => secondary.has(r.name));
    if (dnsTargets.length > 0) return dnsTargets;
  }
  return others;
}

/** The DR strategy a design amounts to (AWS DR whitepaper vocabulary). */
export function drStrategy(facts: Facts): { strategy?: DrStrategy; reason: string } {
  if (facts.mode === undefined) return { reason: 'the deployment mode is unknown' };
  const replicated = facts.databases.filter((d) => d.members.length > 1);
  if (facts.databases.length > 0 && replicated.length === 0) {
    return { strategy: 'backup-restore', reason: 'no database has a copy in another region; recovery restores from backups' };
  }
  // Active-active when, within each data partition, more than one region takes writes.
  const partitions = new Map<string, RegionFact[]>();
  for (const r of facts.regions) partitions.set(r.partitionId ?? '?', [...(partitions.get(r.partitionId ?? '?') ?? []), r]);
  const everyPartitionWritesTwice = [...partitions.values()].every((rs) => rs.filter((r) => r.acceptsWrites === true).length > 1);
  if (facts.mode !== 'active-passive' && everyPartitionWritesTwice) {
    const forwarded = facts.databases.some((d) => d.engine !== 'dynamodb');
    return {
      strategy: 'active-active',
      reason: forwarded
        ? 'every region serves traffic and takes writes, forwarded to one Aurora writer: losing the writer still needs a promotion'
        : 'every region serves traffic and takes writes on its own replica',
    };
  }
  const standbys = replicated.flatMap((d) => d.members.filter((m) => m.role === 'secondary'));
  if (standbys.some((m) => m.instances === undefined)) return { reason: 'the instance count of a secondary is unknown' };
  if (standbys.length > 0 && standbys.every((m) => m.instances === 0)) {
    return { strategy: 'pilot-light', reason: 'every secondary is headless: data replicates, compute must be added before promotion' };
  }
  return { strategy: 'warm-standby', reason: 'secondaries replicate and run instances, but take writes only after promotion' };
}

// ---------------------------------------------------------------------------------------------------------
// timeline construction

interface PhaseSpec { kind: PhaseKind; label: string; track: Track; range: Range; constant?: TimingConstant; source?: string; assumption?: boolean }

/** Lays phases out: detection first, then the traffic and database tracks side by side, then warm-up. */
function layout(detection: PhaseSpec | undefined, traffic: PhaseSpec[], database: PhaseSpec[], warmUp: number): { phases: Phase[]; rto: Range } {
  const phases: Phase[] = [];
  const put = (p: PhaseSpec, start: Range): Range => {
    phases.push({
      kind: p.kind, label: p.label, track: p.track, startBest: start.best, startWorst: start.worst,
      best: p.range.best, worst: p.range.worst,
      assumption: p.assumption ?? p.constant?.assumption ?? false, source: p.source ?? p.constant?.source ?? '',
    });
    return { best: start.best + p.range.best, worst: start.worst + p.range.worst };
  };
  const afterDetection = detection ? put(detection, { best: 0, worst: 0 }) : { best: 0, worst: 0 };
  let endTraffic = afterDetection;
  for (const p of traffic) endTraffic = put(p, endTraffic);
  let endDatabase = afterDetection;
  for (const p of database) endDatabase = put(p, endDatabase);
  let end = { best: Math.max(endTraffic.best, endDatabase.best), worst: Math.max(endTraffic.worst, endDatabase.worst) };
  if (warmUp > 0) {
    end = put({ kind: 'warm-up', label: 'application warm-up', track: 'application', range: { best: warmUp, worst: warmUp }, source: 'given by the user (--warm-up / warmUpSeconds)' }, end);
  }
  return { phases, rto: end };
}

function checksOf(facts: Facts, region: string): HealthCheckFact[] {
  const ids = new Set(facts.dns.records.filter((r) => r.region === region && r.healthCheckId).map((r) => r.healthCheckId as string));
  return facts.dns.healthChecks.filter((h) => ids.has(h.id) || h.region === region);
}

/** Detection of a region's failure by Route 53: interval × threshold, plus skew in the worst case. */
function detectionPhase(facts: Facts, region: string, unknown: string[]): PhaseSpec | 'missing' | undefined {
  const checks = checksOf(facts, region);
  if (checks.length === 0) {
    if (facts.dns.healthChecks.some((h) => h.region === undefined)) { unknown.push(`the health check of ${region}`); return undefined; }
    return 'missing';
  }
  let best = 0;
  let worst = 0;
  for (const h of checks) {
    if (h.intervalSeconds === undefined || h.failureThreshold === undefined) { unknown.push(`the interval or failure threshold of ${h.id}`); return undefined; }
    best = Math.max(best, h.intervalSeconds * h.failureThreshold);
    worst = Math.max(worst, h.intervalSeconds * (h.failureThreshold + TIMING.detectionSkewIntervals.worst));
  }
  return {
    kind: 'detection', label: `Route 53 marks ${region} unhealthy`, track: 'detection', range: { best, worst },
    source: `${R53_HEALTH} (interval × failure threshold; unhealthy when 18 % or fewer checkers see it healthy); the worst case adds one interval because the checkers do not coordinate (our allowance)`,
    assumption: true,
  };
}

function ttlOf(facts: Facts, unknown: string[]): number | undefined {
  let worst = 0;
  for (const r of facts.dns.records) {
    if (r.routing === 'simple') continue;
    if (r.ttlSeconds === undefined) { unknown.push(`the TTL of ${r.id}`); return undefined; }
    worst = Math.max(worst, r.ttlSeconds ?? 0);
  }
  return worst;
}

function trafficPhases(ttl: number): PhaseSpec[] {
  return [
    { kind: 'dns-ttl', label: `cached answers expire (TTL ${ttl} s)`, track: 'traffic', range: { best: 0, worst: ttl }, source: 'Route 53 record TTL: a resolver keeps the old answer at most that long', assumption: false },
    { kind: 'client-cache', label: 'client DNS caches', track: 'traffic', range: { best: TIMING.clientCache.best, worst: TIMING.clientCache.worst }, constant: TIMING.clientCache },
  ];
}

function decisionPhases(automation: boolean, sustainedSeconds = 60): PhaseSpec[] {
  if (!automation) {
    return [{ kind: 'decision', label: 'on-call paged, diagnoses, decides', track: 'database', range: rangeOf(TIMING.humanDecision), constant: TIMING.humanDecision }];
  }
  // A trigger alarm that needs N consecutive unhealthy minutes fires N - 1 minutes after a one-minute one.
  const extra = Math.max(0, sustainedSeconds - 60);
  const label = extra > 0 ? `health-check alarm fires (${sustainedSeconds} s sustained)` : 'health-check alarm fires';
  return [
    { kind: 'alarm', label, track: 'database', range: { best: TIMING.alarmEvaluation.best + extra, worst: TIMING.alarmEvaluation.worst + extra }, constant: TIMING.alarmEvaluation },
    { kind: 'automation-start', label: 'failover runbook starts', track: 'database', range: rangeOf(TIMING.automationStart), constant: TIMING.automationStart },
  ];
}

function rangeOf(c: TimingConstant): Range {
  return { best: c.best, worst: c.worst };
}

function promotionPhases(target: DatabaseMemberFact): PhaseSpec[] {
  const promote: PhaseSpec = { kind: 'promotion', label: `${target.region} promoted to writer (global failover)`, track: 'database', range: rangeOf(TIMING.auroraPromotion), constant: TIMING.auroraPromotion };
  if (target.instances === 0) {
    return [{ kind: 'instance', label: `DB instance added to headless ${target.region}`, track: 'database', range: rangeOf(TIMING.auroraHeadlessInstance), constant: TIMING.auroraHeadlessInstance }, promote];
  }
  return [promote];
}

/** Best promotion target among the candidates: members with instances before headless ones, then spec order. */
function promotionTarget(candidates: readonly DatabaseMemberFact[], unknown: string[]): DatabaseMemberFact | undefined {
  const known = candidates.filter((c) => {
    if (c.instances === undefined) { unknown.push(`the instance count of ${c.id}`); return false; }
    return true;
  });
  return known.find((c) => (c.instances ?? 0) > 0) ?? known[0];
}

/** RPO of an unplanned loss of `failed` for the database: typical lag, worst = warning lag threshold. */
function rpoOf(facts: Facts, db: DatabaseFact, failed: string, unknown: string[]): { rpo?: Range; note: string } {
  if (db.engine === 'dynamodb' && facts.data?.consistency === 'strong') return { rpo: { best: 0, worst: 0 }, note: 'multi-Region strong consistency: a write is acknowledged only once replicated' };
  const typical = db.engine === 'dynamodb' ? TIMING.dynamodbLag.best : TIMING.auroraLag.best;
  const receivers = new Set(db.members.map((m) => m.region).filter((r) => r !== failed));
  const warnings = facts.alarms.filter((a) => (a.kind === 'replication-lag' || a.kind === 'rpo-lag') && a.level !== 'critical' && receivers.has(a.subjectRegion ?? ''));
  if (warnings.length === 0 && facts.alarms.some((a) => a.kind === undefined || a.subjectRegion === undefined)) {
    unknown.push('the kind or subject of an alarm (is replication lag watched?)');
    return { note: 'lag alarms unknown' };
  }
  if (warnings.length === 0) {
    return { note: 'no replication-lag alarm: the lag can grow unseen, so the worst case is unbounded' };
  }
  const thresholds = warnings.map((a) => a.thresholdSeconds);
  if (thresholds.some((t) => t === undefined || t === null)) { unknown.push('the threshold of a replication-lag alarm'); return { note: 'lag alarm threshold unknown' }; }
  const worst = Math.max(typical, Math.min(...(thresholds as number[])));
  // Aurora write forwarding: secondaries that accept writes send them to the writer in the failed region.
  const forwarding = db.engine !== 'dynamodb' && facts.regions.some((r) => r.name !== failed && receivers.has(r.name) && r.acceptsWrites === true);
  const forwarded = forwarding ? '; writes forwarded from the secondaries and not yet committed fail' : '';
  const lww = db.engine === 'dynamodb' ? '; concurrent updates to one item within the lag are resolved by last writer wins' : '';
  return { rpo: { best: typical, worst }, note: `typical lag ${typical} s; up to ${worst} s of lag raises no alarm${forwarded}${lww}` };
}

/** Whether Route 53 answers with the region while it is healthy; undefined when a record cannot tell. */
function serves(facts: Facts, region: string, unknown: string[]): boolean {
  if (facts.dns.records.some((r) => r.region === region && r.failover !== 'SECONDARY' && (r.failover !== undefined || r.routing !== 'failover'))) return true;
  const unclear = facts.dns.records.find((r) => r.region === undefined || (r.region === region && r.failover === undefined && r.routing !== 'simple'));
  if (unclear) unknown.push(`whether ${region} serves traffic (record ${unclear.id})`);
  return false;
}

// ---------------------------------------------------------------------------------------------------------
// disruptions

function regionLoss(facts: Facts, region: RegionFact, opts: ResolvedOptions): DisruptionEstimate[] {
  const out: DisruptionEstimate[] = [];
  const name = `loss of ${region.name}`;
  const unknown: string[] = [];
  const ttl = ttlOf(facts, unknown);
  const servesTraffic = serves(facts, region.name, unknown);
  const detection = servesTraffic ? detectionPhase(facts, region.name, unknown) : undefined;
  const targets = failoverTargets(facts, region);
  const dbs = facts.databases.filter((d) => d.members.some((m) => m.region === region.name));
  const trafficTarget = targets[0]?.name;

  if (detection === 'missing') {
    return [{
      kind: 'region-loss', name, regions: [region.name], targetRegion: trafficTarget, phases: [], unknown, judged: true,
      problem: `no health check watches ${region.name}; DNS never moves traffic away from it`,
      impact: `users routed to ${region.name} get errors until it comes back`,
    }];
  }
  const traffic = servesTraffic && ttl !== undefined ? trafficPhases(ttl) : [];
  if (dbs.length === 0) {
    const { phases, rto } = layout(detection, traffic, [], servesTraffic ? opts.warmUpSeconds : 0);
    out.push({
      kind: 'region-loss', name, regions: [region.name], targetRegion: servesTraffic ? trafficTarget : undefined, phases, unknown, judged: true,
      rto: unknown.length ? undefined : rto, rpo: { best: 0, worst: 0 },
      impact: servesTraffic ? `users of ${region.name} move to ${targets.map((t) => t.name).join(', ') || 'no region'}` : `${region.name} serves no traffic; no user impact`,
    });
    return out;
  }
  for (const db of dbs) {
    const dbUnknown = [...unknown];
    const others = db.members.filter((m) => m.region !== region.name);
    if (others.length === 0) {
      out.push({
        kind: 'region-loss', name, regions: [region.name], database: db.id, phases: [], unknown: dbUnknown, judged: true,
        problem: `${db.id} has no other region to fail over to; losing ${region.name} loses the service and its data`,
        impact: 'the service and its data are gone until the region returns or a backup is restored',
      });
      continue;
    }
    const member = db.members.find((m) => m.region === region.name);
    const aurora = db.engine !== 'dynamodb';
    if (db.engine === undefined) dbUnknown.push(`the engine of ${db.id}`);
    if (aurora && member?.role === undefined) dbUnknown.push(`the role of ${member?.id ?? db.id} in ${region.name}`);
    const isWriter = aurora && member?.role === 'primary';
    let database: PhaseSpec[] = [];
    let target: DatabaseMemberFact | undefined;
    if (isWriter) {
      const allowed = new Set(targets.map((t) => t.name));
      const preferred = others.filter((m) => allowed.has(m.region ?? ''));
      target = promotionTarget(preferred.length ? preferred : others, dbUnknown);
      if (target) database = [...decisionPhases(opts.automation, opts.sustainedSeconds), ...promotionPhases(target)];
    }
    const rpo = isWriter || !aurora ? rpoOf(facts, db, region.name, dbUnknown) : { rpo: { best: 0, worst: 0 }, note: 'a secondary holds no writes of its own' };
    const known = dbUnknown.length === 0;
    const { phases, rto } = layout(detection, traffic, database, servesTraffic || isWriter ? opts.warmUpSeconds : 0);
    const targetRegion = target?.region ?? (servesTraffic ? trafficTarget : undefined);
    const impact = isWriter
      ? `writes stop until ${targetRegion} is promoted; reads move with DNS. ${rpo.note}`
      : servesTraffic
        ? `users of ${region.name} move to ${targets.map((t) => t.name).join(', ')}. ${rpo.note}`
        : `${region.name} serves no traffic; a replica of ${db.id} is lost, no user impact`;
    out.push({
      kind: 'region-loss', name, regions: [region.name], database: db.id, targetRegion, phases, unknown: [...new Set(dbUnknown)], judged: true,
      rto: !known || (isWriter && !target) ? undefined : rto, rpo: known ? rpo.rpo : undefined, impact,
    });
  }
  return out;
}

function writerLoss(facts: Facts, db: DatabaseFact, opts: ResolvedOptions): DisruptionEstimate | undefined {
  if (db.engine === 'dynamodb') return undefined;
  const writer = db.members.find((m) => m.role === 'primary');
  const unresolved = db.engine === undefined || db.members.some((m) => m.role === undefined || m.region === undefined) || (writer !== undefined && !writer.region);
  if (unresolved) {
    const regions = db.members.flatMap((m) => (m.region ? [m.region] : []));
    return {
      kind: 'writer-loss', name: `loss of the ${db.id} writer cluster`, regions: regions.length ? regions : ['?'], database: db.id, phases: [], judged: true,
      unknown: [`the engine, roles or regions of ${db.id}'s members`], impact: 'unknown: the writer cannot be identified',
    };
  }
  if (!writer?.region) return undefined;
  const name = `loss of the ${db.id} writer cluster in ${writer.region}`;
  const unknown: string[] = [];
  const others = db.members.filter((m) => m.region !== writer.region);
  const alarm = facts.alarms.find((a) => a.kind === 'writer-unavailable' && a.subjectRegion === writer.region);
  if (!alarm && facts.alarms.some((a) => a.kind === undefined || a.subjectRegion === undefined)) {
    return {
      kind: 'writer-loss', name, regions: [writer.region], database: db.id, phases: [], judged: true,
      unknown: ['the kind or subject of an alarm (is the writer watched?)'], impact: 'unknown: whether any alarm watches the writer',
    };
  }
  if (!alarm) {
    return {
      kind: 'writer-loss', name, regions: [writer.region], database: db.id, phases: [], unknown, judged: true,
      problem: `no alarm watches the writer of ${db.id}; the region's health check stays healthy, so nobody is told`,
      impact: 'writes fail while reads and the health check look fine',
    };
  }
  if (others.length === 0) {
    return {
      kind: 'writer-loss', name, regions: [writer.region], database: db.id, phases: [], unknown, judged: true,
      problem: `${db.id} has no secondary to promote`, impact: 'writes fail until the cluster is restored',
    };
  }
  const target = promotionTarget(others, unknown);
  const detection: PhaseSpec = { kind: 'detection', label: `writer-unavailable alarm (${alarm.id})`, track: 'detection', range: rangeOf(TIMING.writerAlarm), constant: TIMING.writerAlarm };
  const decision = opts.writerAutomation
    ? [{ kind: 'automation-start' as const, label: 'failover runbook starts', track: 'database' as const, range: rangeOf(TIMING.automationStart), constant: TIMING.automationStart }]
    : decisionPhases(false);
  const database = target ? [...decision, ...promotionPhases(target)] : [];
  const { phases, rto } = layout(detection, [], database, opts.warmUpSeconds);
  const rpo = rpoOf(facts, db, writer.region, unknown);
  return {
    kind: 'writer-loss', name, regions: [writer.region], database: db.id, targetRegion: target?.region, phases, unknown, judged: true,
    rto: unknown.length || !target ? undefined : rto, rpo: rpo.rpo,
    impact: `writes fail until ${target?.region ?? 'a secondary'} is promoted; DNS does not move (the endpoint stays healthy). ${rpo.note}`,
  };
}

function azLoss(facts: Facts, db: DatabaseFact | undefined, opts: ResolvedOptions): DisruptionEstimate {
  const writer = db?.members.find((m) => m.role === 'primary');
  const region = writer?.region ?? facts.regions[0]?.name ?? 'a region';
  const name = `loss of one Availability Zone in ${region}`;
  if (!db || db.engine === 'dynamodb') {
    return {
      kind: 'az-loss', name, regions: [region], database: db?.id, phases: [], unknown: [], judged: true, rto: { best: 0, worst: 0 }, rpo: { best: 0, worst: 0 },
      impact: 'DynamoDB and the regional endpoints keep serving from the other zones (https://docs.aws.amazon.com/prescriptive-guidance/latest/dynamodb-global-tables/overview.html)',
    };
  }
  const unknown: string[] = [];
  if (writer?.instances === undefined) unknown.push(`the instance count of ${writer?.id ?? db.id}`);
  const instances = writer?.instances ?? 0;
  const recover: PhaseSpec = instances >= 2
    ? { kind: 'promotion', label: 'Aurora promotes a reader in another zone', track: 'database', range: rangeOf(TIMING.auroraInClusterFailover), constant: TIMING.auroraInClusterFailover }
    : { kind: 'instance', label: 'Aurora replaces the only instance', track: 'database', range: rangeOf(TIMING.auroraHeadlessInstance), constant: TIMING.auroraHeadlessInstance };
  const { phases, rto } = layout(undefined, [], [recover], opts.warmUpSeconds);
  return {
    kind: 'az-loss', name, regions: [region], database: db.id, phases, unknown, judged: true,
    rto: unknown.length ? undefined : rto, rpo: { best: 0, worst: 0 },
    impact: 'Aurora storage keeps six copies across three zones, so nothing is lost; writes pause only if the writer was in the lost zone. Route 53 does not fail the region over',
  };
}

function partition(facts: Facts, a: string, b: string): DisruptionEstimate {
  const db = facts.databases.find((d) => d.members.some((m) => m.region === a) && d.members.some((m) => m.region === b));
  const name = `network partition between ${a} and ${b}`;
  let impact: string;
  let rpo: Range | undefined = { best: 0, worst: 0 };
  let problem: string | undefined;
  if (!db) {
    impact = 'the two regions share no database; only cross-region calls between them fail';
  } else if (db.engine === 'dynamodb') {
    if (facts.data?.consistency === 'strong') {
      impact = 'MRSC: the side without a majority of replicas cannot write until the partition heals; nothing is lost';
    } else {
      rpo = undefined;
      problem = 'both sides keep writing; when the partition heals, last writer wins and the other side\'s updates to the same items are lost (window = the partition\'s duration)';
      impact = 'both regions serve reads and writes; replicated data is stale across the cut';
    }
  } else {
    const writer = db.members.find((m) => m.role === 'primary')?.region;
    const cut = writer === a ? b : writer === b ? a : undefined;
    impact = cut
      ? `${cut} serves stale reads (replication paused) and forwarded writes from ${cut} fail until the partition heals; Route 53 sees both regions healthy, so nothing fails over`
      : 'replication between two secondaries is not direct; no impact';
  }
  return { kind: 'partition', name, regions: [a, b], database: db?.id, phases: [], unknown: [], judged: false, rpo, problem, impact };
}

/** Estimates every disruption. The RESILIENCE rules read the `judged` ones. */
export function estimateDisruptions(facts: Facts, options: EstimateOptions = {}): EstimateReport {
  // Without an explicit choice, the deployment's own automation decides: an alarm-triggered Region switch
  // plan replaces the human decision on region loss (its health-check trigger) and on writer loss (its
  // writer-alarm trigger), each only when the deployment has that trigger.
  const fromFacts = facts.automation?.regionFailover === true;
  const automation = options.automation ?? fromFacts;
  const opts: ResolvedOptions = {
    automation, warmUpSeconds: options.warmUpSeconds ?? 0,
    writerAutomation: options.automation ?? facts.automation?.writerFailover === true,
    sustainedSeconds: (fromFacts ? facts.automation?.sustainedSeconds : undefined) ?? 60,
  };
  const disruptions: DisruptionEstimate[] = [];
  for (const r of facts.regions) disruptions.push(...regionLoss(facts, r, opts));
  for (const db of facts.databases) {
    const w = writerLoss(facts, db, opts);
    if (w) disruptions.push(w);
  }
  disruptions.push(azLoss(facts, facts.databases[0], opts));
  // Pairs in name order, so every reader of the same deployment names them alike.
  const names = facts.regions.map((r) => r.name).sort();
  for (let i = 0; i < names.length; i++) for (let j = i + 1; j < names.length; j++) disruptions.push(partition(facts, names[i], names[j]));
  const { strategy, reason } = drStrategy(facts);
  return { topology: facts.topology, automation: opts.automation, strategy, strategyReason: reason, disruptions };
}

/** The worst judged disruption by RTO (unbounded and unknown first), for summaries. */
export function worstDisruption(report: EstimateReport): DisruptionEstimate | undefined {
  const judged = report.disruptions.filter((d) => d.judged);
  return judged.find((d) => d.problem) ?? judged.find((d) => d.rto === undefined)
    ?? judged.reduce<DisruptionEstimate | undefined>((w, d) => (!w || (d.rto?.worst ?? 0) > (w.rto?.worst ?? 0) ? d : w), undefined);
}
