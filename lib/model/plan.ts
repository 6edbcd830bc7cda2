import { allocateBlocks, findOverlaps, parseCidr, type Cidr } from './cidr';
import { SpecError, type SpecIssue } from './errors';
import { planExperiments } from './experiments';
import { parseSpec } from './load';
import {
  clusterParameterFamily, clusterParameters, logExports, MASTER_USERNAME, MONITORING_INTERVAL_SECONDS,
  PERFORMANCE_INSIGHTS_RETENTION_DAYS, promotionTiers, RETENTION, TOPIC_POLICY,
} from './plan-data';
import { planAutomation } from './plan-automation';
import { healthCheckPlaceholder, planDashboard } from './plan-dashboard';
import { applicationSubnets, availabilityZoneCount, databaseClientCidrs, dataSubnets, TOPOLOGY_TAG } from './plan-network';
import { expandJurisdictions, regionInfo } from './regions';
import { combinedLimitIssues, derivedNameIssues } from './validate';
import type { GeoSpec, ValidSpec } from './spec';
import { at, found } from './lookup';
import type {
  GeoPlan, PlannedAlarm, PlannedDataPartition, PlannedHealthCheck, PlannedPeering,
  PlannedRecord, PlannedRegion,
} from './plan-types';

export * from './plan-types';

const DIRECTIONS: Record<string, string> = {
  north: 'n', south: 's', east: 'e', west: 'w', central: 'c',
  northeast: 'ne', northwest: 'nw', southeast: 'se', southwest: 'sw',
};

/** `us-east-1` → `use1`, `ap-southeast-2` → `apse2`: short, unique tokens for ids and names. */
export function regionShort(code: string): string {
  return code.split('-').map((part, i) => (i === 0 ? part : DIRECTIONS[part] ?? part)).join('');
}

const DEFAULT_ENGINE_VERSION = { 'aurora-postgresql': '16.6', 'aurora-mysql': '8.0.mysql_aurora.3.08.0', 'dynamodb': 'n/a' } as const;
const DEFAULT_PORT = { 'aurora-postgresql': 5432, 'aurora-mysql': 3306, 'dynamodb': 443 } as const;

/** Regions where DynamoDB multi-Region strong consistency is offered, by region set. */
const MRSC_REGION_SETS: readonly (readonly string[])[] = [
  ['us-east-1', 'us-east-2', 'us-west-2'],
  ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1'],
  ['ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3'],
];

/** Route 53 health-check metrics are published in us-east-1 only; DNS resources live there. */
function dnsHomeRegion(regions: readonly { name: string }[]): string {
  const first = at(regions, 0, 'first region').name;
  const partition = regionInfo(first)?.partition;
  return partition === 'aws' || partition === undefined ? 'us-east-1' : first;
}

function structuralIssues(spec: ValidSpec): SpecIssue[] {
  const issues: SpecIssue[] = [];
  const names = spec.regions.map((r) => r.name);
  const add = (path: string, message: string, value?: unknown) => issues.push({ path, message, value });

  // One pass with a map: a list of 100,000 repeated regions must not cost n² comparisons.
  const firstIndex = new Map<string, number>();
  names.forEach((n, i) => {
    const first = firstIndex.get(n);
    if (first === undefined) firstIndex.set(n, i);
    else add(`regions[${i}].name`, `region ${n} is listed twice (also regions[${first}]); each region may appear once`, n);
  });

  const partitions = [...new Set(spec.regions.map((r) => regionInfo(r.name)?.partition))];
  if (partitions.length > 1) {
    add('regions', `regions span several AWS partitions (${partitions.join(', ')}); one account and one deployment live in one partition`);
  }

  const roleAllowed = spec.mode === 'active-passive' ? ['primary', 'secondary'] : ['active'];
  spec.regions.forEach((r, i) => {
    if (!roleAllowed.includes(r.role)) {
      add(`regions[${i}].role`, `role "${r.role}" is not allowed in ${spec.mode} mode; allowed: ${roleAllowed.join(' | ')}`, r.role);
    }
  });
  if (spec.mode === 'active-passive') {
    const primaries = spec.regions.filter((r) => r.role === 'primary').map((r) => r.name);
    if (primaries.length !== 1) {
      add('regions', `active-passive needs exactly one primary region, got ${primaries.length}${primaries.length ? ` (${primaries.join(', ')})` : ''}`);
    }
    if (spec.regions.length < 2) add('regions', 'active-passive needs at least one secondary region');
  }
  if (spec.mode === 'partitioned') {
    spec.regions.forEach((r, i) => {
      if (!r.jurisdiction) add(`regions[${i}].jurisdiction`, 'partitioned mode needs a jurisdiction on every region (a country code or EU/EEA)');
    });
  }
  if (spec.mode === 'active-active' && spec.regions.length < 2) add('regions', 'active-active needs at least two regions');

  const regionSet = new Set(names);
  if (spec.network.hub && !regionSet.has(spec.network.hub)) {
    add('network.hub', `hub ${spec.network.hub} is not one of the deployment's regions (${names.join(', ')})`, spec.network.hub);
  }
  if (spec.dns.defaultRegion && !regionSet.has(spec.dns.defaultRegion)) {
    add('dns.defaultRegion', `${spec.dns.defaultRegion} is not one of the deployment's regions (${names.join(', ')})`, spec.dns.defaultRegion);
  }
  const zone = spec.dns.zoneName.replace(/\.$/, '').toLowerCase();
  const record = spec.dns.recordName.replace(/\.$/, '').toLowerCase();
  if (record !== zone && !record.endsWith(`.${zone}`)) {
    add('dns.recordName', `${spec.dns.recordName} is not inside the zone ${spec.dns.zoneName}`, spec.dns.recordName);
  }
  const hc = spec.dns.healthCheck;
  if (hc.protocol.endsWith('_STR_MATCH') && !hc.searchString) {
    add('dns.healthCheck.searchString', `protocol ${hc.protocol} needs a searchString`);
  }
  if (spec.dns.crossBorderFallback && (spec.mode !== 'partitioned' || spec.dns.routing !== 'geolocation')) {
    add('dns.crossBorderFallback', `crossBorderFallback applies to partitioned mode with geolocation routing; this deployment is ${spec.mode} with ${spec.dns.routing} routing`, true);
  }
  if (spec.dns.routing === 'failover' && spec.mode !== 'active-passive') {
    add('dns.routing', `failover routing needs active-passive mode; ${spec.mode} uses latency, geolocation, geoproximity or weighted`, 'failover');
  }

  const aurora = spec.data.engine !== 'dynamodb';
  if (!aurora && spec.data.writeForwarding) {
    add('data.writeForwarding', 'write forwarding is an Aurora feature; DynamoDB global tables take writes in every region already', true);
  }
  if (aurora && spec.mode === 'active-active' && spec.data.writeForwarding === false) {
    add('data.writeForwarding', 'active-active on Aurora needs write forwarding, or the secondary regions cannot take writes; use dynamodb or active-passive', false);
  }
  if (!aurora && spec.data.consistency === 'strong') {
    const ok = spec.regions.length === 3 && MRSC_REGION_SETS.some((set) => names.every((n) => set.includes(n)));
    if (!ok) {
      add('data.consistency', `strong consistency on DynamoDB needs multi-Region strong consistency: exactly 3 regions from one set (${MRSC_REGION_SETS.map((s) => s.join('/')).join('; ')}), got ${names.join(', ')}`, 'strong');
    }
  }
  if (aurora) {
    spec.regions.forEach((r, i) => {
      const primary = spec.mode === 'active-passive' ? r.role === 'primary' : i === 0;
      if (primary && r.instances === 0) add(`regions[${i}].instances`, 'the primary region needs at least one Aurora instance (headless is for secondaries only)', 0);
    });
  }
  for (const e of spec.experiments ?? []) {
    if (e === 'database-failover' && !aurora) add('experiments', 'database-failover needs an Aurora engine; use dynamodb-replication-pause for DynamoDB', e);
    if (e === 'dynamodb-replication-pause' && aurora) add('experiments', 'dynamodb-replication-pause needs the dynamodb engine', e);
  }
  for (const key of Object.keys(spec.tags)) {
    if (key.startsWith('meridian:')) add(`tags.${key}`, 'tag keys starting with "meridian:" are set by Meridian and cannot be overridden', key);
  }
  return issues;
}

function allocateCidrs(spec: ValidSpec): { cidr: string; fromSpec: boolean }[] {
  const base = parseCidr(spec.network.baseCidr) as Cidr;
  const prefix = spec.network.regionPrefixLength;
  if (prefix < base.prefix) {
    throw new SpecError([{ path: 'network.regionPrefixLength', message: `must be at least the base prefix /${base.prefix}`, value: prefix }]);
  }
  const taken: Cidr[] = spec.regions.flatMap((r) => (r.cidr ? [parseCidr(r.cidr) as Cidr] : []));
  const wanted = spec.regions.filter((r) => !r.cidr);
  const blocks = allocateBlocks(base, prefix, taken, wanted.length);
  if (blocks.length < wanted.length) {
    const r = at(wanted, blocks.length, 'region without a cidr');
    throw new SpecError([{
      path: `regions[${spec.regions.indexOf(r)}].cidr`,
      message: `no free /${prefix} left in network.baseCidr ${spec.network.baseCidr} for ${r.name}; widen baseCidr or give the region a cidr`,
    }]);
  }
  let next = 0;
  return spec.regions.map((r) => (r.cidr
    ? { cidr: (parseCidr(r.cidr) as Cidr).text, fromSpec: true }
    : { cidr: at(blocks, next++, 'allocated block').text, fromSpec: false }));
}

function planPartitions(spec: ValidSpec, name: string): PlannedDataPartition[] {
  const primaryOf = (regions: string[]) =>
    spec.mode === 'active-passive' ? found(spec.regions.find((r) => r.role === 'primary'), 'primary region of the spec').name : at(regions, 0, 'partition region');
  if (spec.mode !== 'partitioned') {
    const primary = primaryOf(spec.regions.map((r) => r.name));
    const regions = [primary, ...spec.regions.map((r) => r.name).filter((r) => r !== primary)];
    return [{
      id: 'main', primaryRegion: primary, regions, globalClusterIdentifier: `${name}-global`, tableName: name,
      masterSecretName: `meridian/${name}/${name}-global/master`, masterSecretReplicaRegions: regions.filter((r) => r !== primary),
    }];
  }
  const groups = new Map<string, string[]>();
  for (const r of spec.regions) {
    const j = r.jurisdiction as string;
    groups.set(j, [...(groups.get(j) ?? []), r.name]);
  }
  return [...groups.entries()].map(([jurisdiction, regions]) => {
    const id = jurisdiction.toLowerCase();
    const primary = regions[0] as string;
    return {
      id, jurisdiction, primaryRegion: primary, regions,
      globalClusterIdentifier: `${name}-${id}-global`, tableName: `${name}-${id}`,
      masterSecretName: `meridian/${name}/${name}-${id}-global/master`, masterSecretReplicaRegions: regions.filter((r) => r !== primary),
    };
  });
}

function planRecords(spec: ValidSpec, regions: PlannedRegion[], healthChecks: PlannedHealthCheck[], partitions: PlannedDataPartition[]): PlannedRecord[] {
  const hcOf = (region: string) => found(healthChecks.find((h) => h.region === region), 'health check of the region').id;
  const sid = (suffix: string) => `${spec.name}-${suffix}`;
  const name = spec.dns.recordName.replace(/\.$/, '');
  switch (spec.dns.routing) {
    case 'failover': {
      const primary = found(regions.find((r) => r.isDataPrimary), 'data primary region');
      const secondary = found(regions.find((r) => !r.isDataPrimary), 'region that is not the data primary');
      return [
        { id: primary.short, name, region: primary.name, setIdentifier: sid(`${primary.name}-primary`), healthCheckId: hcOf(primary.name), failover: 'PRIMARY' },
        { id: secondary.short, name, region: secondary.name, setIdentifier: sid(`${secondary.name}-secondary`), healthCheckId: hcOf(secondary.name), failover: 'SECONDARY' },
      ];
    }
    case 'latency':
      return regions.map((r) => ({ id: r.short, name, region: r.name, setIdentifier: sid(r.name), healthCheckId: hcOf(r.name), latencyRegion: r.name }));
    case 'weighted':
      return regions.map((r) => ({
        id: r.short, name, region: r.name, setIdentifier: sid(r.name), healthCheckId: hcOf(r.name),
        weight: at(spec.regions, r.index, 'spec region').weight ?? 1,
      }));
    case 'geoproximity':
      return regions.map((r) => ({
        id: r.short, name, region: r.name, setIdentifier: sid(r.name), healthCheckId: hcOf(r.name),
        geoproximity: { awsRegion: r.name, bias: at(spec.regions, r.index, 'spec region').bias ?? 0 },
      }));
    case 'geolocation':
      return spec.mode === 'partitioned'
        ? planPartitionedGeolocation(spec, regions, partitions, hcOf, name)
        : planGeolocation(spec, regions, partitions, hcOf, name);
  }
}

/** Geolocation straight to each region: a location whose region is unhealthy falls back to the default. */
function planGeolocation(spec: ValidSpec, regions: PlannedRegion[], partitions: PlannedDataPartition[], hcOf: (r: string) => string, name: string): PlannedRecord[] {
  const sid = (suffix: string) => `${spec.name}-${suffix}`;
  const records: PlannedRecord[] = [];
  // A location answers with exactly one record: the first region serving it (its partition's primary).
  const claimed = new Set<string>();
  const ordered = partitions.flatMap((p) => p.regions).map((n) => found(regions.find((r) => r.name === n), 'planned region'));
  const continentsTaken = new Map<string, string>();
  ordered.forEach((r) => {
    if (r.jurisdiction) {
      for (const cc of expandJurisdictions([r.jurisdiction])) {
        if (!claimed.has(cc)) {
          claimed.add(cc);
          records.push({ id: `${r.short}-${cc.toLowerCase()}`, name, region: r.name, setIdentifier: sid(`${r.name}-${cc.toLowerCase()}`), healthCheckId: hcOf(r.name), geolocation: { countryCode: cc } });
        }
      }
    } else {
      const owner = continentsTaken.get(r.continent);
      if (owner) {
        throw new SpecError([{
          path: `regions[${r.index}].jurisdiction`,
          message: `geolocation routing: ${r.name} and ${owner} are both on continent ${r.continent}; give each a jurisdiction so users can be told apart`,
        }]);
      }
      continentsTaken.set(r.continent, r.name);
      records.push({ id: `${r.short}-${r.continent.toLowerCase()}`, name, region: r.name, setIdentifier: sid(`${r.name}-${r.continent.toLowerCase()}`), healthCheckId: hcOf(r.name), geolocation: { continentCode: r.continent } });
    }
  });
  const def = found(regions.find((r) => r.name === (spec.dns.defaultRegion ?? at(regions, 0, 'planned region').name)), 'planned region');
  records.push({ id: 'default', name, region: def.name, setIdentifier: sid('default'), healthCheckId: hcOf(def.name), geolocation: { countryCode: '*' } });
  return records;
}

/**
 * Partitioned geolocation: each jurisdiction gets a record set of its own over its regions, named
 * `<jurisdiction>.<recordName>`, and every country of the jurisdiction is a geolocation alias to it.
 * The set fails over inside the jurisdiction: failover (writer, then the next region) where only the
 * writer takes writes, latency over every region where all of them do.
 *
 * Route 53 answers a location with its most specific record and, when that record is unhealthy, falls
 * back to the default (`*`). An alias that evaluates its target's health is unhealthy once every
 * record of the target is, so with `evaluateTargetHealth` a jurisdiction whose regions are all down
 * would be sent to the default — another jurisdiction. Without it (the default, crossBorderFallback
 * false) the alias stays the answer and, all its records being unhealthy, Route 53 answers as if all
 * were healthy: the users stay in their jurisdiction, without a healthy region.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo-phz.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 */
function planPartitionedGeolocation(spec: ValidSpec, regions: PlannedRegion[], partitions: PlannedDataPartition[], hcOf: (r: string) => string, name: string): PlannedRecord[] {
  const sid = (suffix: string) => `${spec.name}-${suffix}`;
  const evaluateTargetHealth = spec.dns.crossBorderFallback;
  const sets: PlannedRecord[] = [];
  const aliases: PlannedRecord[] = [];
  const setName = (p: PlannedDataPartition) => `${p.id}.${name}`;
  const claimed = new Set<string>();
  for (const p of partitions) {
    const members = p.regions.map((n) => found(regions.find((r) => r.name === n), 'planned region'));
    const target = setName(p);
    const writesEverywhere = members.every((r) => r.acceptsWrites);
    if (members.length >= 2 && !writesEverywhere) {
      const primary = at(members, 0, 'partition primary');
      const secondary = at(members, 1, 'partition secondary');
      sets.push(
        { id: `${p.id}-${primary.short}`, name: target, region: primary.name, setIdentifier: sid(`${primary.name}-primary`), healthCheckId: hcOf(primary.name), failover: 'PRIMARY' },
        { id: `${p.id}-${secondary.short}`, name: target, region: secondary.name, setIdentifier: sid(`${secondary.name}-secondary`), healthCheckId: hcOf(secondary.name), failover: 'SECONDARY' },
      );
    } else {
      for (const r of members) {
        sets.push({ id: `${p.id}-${r.short}`, name: target, region: r.name, setIdentifier: sid(r.name), healthCheckId: hcOf(r.name), latencyRegion: r.name });
      }
    }
    for (const cc of expandJurisdictions([p.jurisdiction as string])) {
      if (claimed.has(cc)) continue;
      claimed.add(cc);
      aliases.push({ id: `geo-${cc.toLowerCase()}`, name, setIdentifier: sid(cc.toLowerCase()), aliasTo: { name: target, evaluateTargetHealth }, geolocation: { countryCode: cc } });
    }
  }
  const defaultRegion = spec.dns.defaultRegion ?? at(regions, 0, 'planned region').name;
  const defaultPartition = found(partitions.find((p) => p.regions.includes(defaultRegion)), 'data partition');
  aliases.push({ id: 'default', name, setIdentifier: sid('default'), aliasTo: { name: setName(defaultPartition), evaluateTargetHealth }, geolocation: { countryCode: '*' } });
  return [...sets, ...aliases];
}

function planAlarms(spec: ValidSpec, regions: PlannedRegion[], partitions: PlannedDataPartition[]): PlannedAlarm[] {
  const a = spec.alarms;
  const period = a.periodSeconds;
  const alarms: PlannedAlarm[] = [];
  const levels = [
    { level: 'warning' as const, seconds: a.replicationLagWarningSeconds, evaluationPeriods: 3 },
    { level: 'critical' as const, seconds: a.replicationLagCriticalSeconds, evaluationPeriods: 1 },
  ];
  const byName = (n: string) => found(regions.find((r) => r.name === n), 'planned region');
  for (const p of partitions) {
    if (spec.data.engine === 'dynamodb') {
      for (const source of p.regions) {
        for (const receiving of p.regions.filter((r) => r !== source)) {
          for (const l of levels) {
            const s = byName(source);
            const id = `${s.short}-to-${byName(receiving).short}-replication-latency-${l.level}`;
            alarms.push({
              id, name: `${spec.name}-${id}`, region: source, kind: 'replication-lag', level: l.level,
              namespace: 'AWS/DynamoDB', metricName: 'ReplicationLatency',
              dimensions: { TableName: p.tableName, ReceivingRegion: receiving },
              statistic: 'Maximum', threshold: l.seconds * 1000, thresholdSeconds: l.seconds,
              comparison: 'GreaterThanOrEqualToThreshold', periodSeconds: period, evaluationPeriods: l.evaluationPeriods,
              treatMissingData: 'missing', subjectRegion: receiving,
              description: `${l.level}: DynamoDB replication from ${source} to ${receiving} of ${p.tableName} is ${l.seconds} s or more behind`,
            });
          }
        }
      }
      continue;
    }
    // Every region of the partition that can hold the writer watches it (ids stay `<short>-writer-unavailable`,
    // the primary's being the FIS stop condition); headless secondaries cannot be promoted without instances.
    for (const regionName of p.regions) {
      const r = byName(regionName);
      if (r.instances > 0) alarms.push(writerAlarm(spec, r, a.replicationLagCriticalSeconds));
    }
    // Lag alarms live in each secondary region, on its cluster: Aurora publishes AuroraGlobalDBReplicationLag
    // and AuroraGlobalDBRPOLag for secondary clusters only, in the secondary's region ("This metric is
    // available only in the secondary AWS Region", cluster-level metrics,
    // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html).
    // The console also lists them under a SourceRegion dimension; whether a series keyed by
    // DBClusterIdentifier alone exists for a headless secondary could not be verified offline, so missing
    // data stays `missing` (not breaching) and the writer alarm (which also reads the lag) covers loss.
    for (const secondaryName of p.regions.filter((r) => r !== p.primaryRegion)) {
      const s = byName(secondaryName);
      for (const [kind, metricName] of [['replication-lag', 'AuroraGlobalDBReplicationLag'], ['rpo-lag', 'AuroraGlobalDBRPOLag']] as const) {
        for (const l of levels) {
          const id = `${s.short}-${kind}-${l.level}`;
          alarms.push({
            id, name: `${spec.name}-${id}`, region: s.name, kind, level: l.level,
            namespace: 'AWS/RDS', metricName, dimensions: { DBClusterIdentifier: s.clusterIdentifier },
            statistic: 'Maximum', threshold: l.seconds * 1000, thresholdSeconds: l.seconds,
            comparison: 'GreaterThanOrEqualToThreshold', periodSeconds: period, evaluationPeriods: l.evaluationPeriods,
            treatMissingData: 'missing', subjectRegion: s.name,
            description: `${l.level}: ${metricName} of ${s.clusterIdentifier} in ${s.name} is ${l.seconds} s or more`,
          });
        }
      }
    }
  }
  return alarms;
}

/**
 * The writer alarm of one region's cluster, following the GLOBAL writer: a switchover or failover moves
 * the writer to another region, and an alarm on `EngineUptime` `Role=WRITER` with missing data breaching
 * would then stay in ALARM in the old primary region forever (and block every FIS experiment that stops
 * on it). The alarm instead reads `MAX([FILL(uptime, 0), IF(lag >= 0, 1, 0)])`: while the cluster holds
 * the writer its uptime counts, and while it is a secondary its replication-lag series (published for
 * secondary clusters only, https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Aurora.AuroraMonitoring.Metrics.html)
 * says it replicates from a writer elsewhere. A cluster with neither a writer nor replication yields 0 or
 * no data, and both breach.
 */
function writerAlarm(spec: ValidSpec, r: PlannedRegion, criticalSeconds: number): PlannedAlarm {
  const id = `${r.short}-writer-unavailable`;
  const uptime = { id: 'uptime', namespace: 'AWS/RDS', metricName: 'EngineUptime', dimensions: { DBClusterIdentifier: r.clusterIdentifier, Role: 'WRITER' }, statistic: 'Minimum' } as const;
  const lag = { id: 'lag', namespace: 'AWS/RDS', metricName: 'AuroraGlobalDBReplicationLag', dimensions: { DBClusterIdentifier: r.clusterIdentifier }, statistic: 'Maximum' } as const;
  return {
    id, name: `${spec.name}-${id}`, region: r.name, kind: 'writer-unavailable', level: 'critical',
    namespace: uptime.namespace, metricName: uptime.metricName, dimensions: uptime.dimensions,
    statistic: uptime.statistic, threshold: 0, comparison: 'LessThanOrEqualToThreshold', periodSeconds: 60,
    evaluationPeriods: Math.max(1, Math.ceil(criticalSeconds / 60)), treatMissingData: 'breaching',
    subjectRegion: r.name,
    description: `critical: ${r.clusterIdentifier} has had neither a running writer nor replication from the global writer for ${criticalSeconds} s`,
    math: { expression: 'MAX([FILL(uptime, 0), IF(lag >= 0, 1, 0)])', label: `writer or replication of ${r.clusterIdentifier}`, metrics: [uptime, lag] },
  };
}

function planHealthAlarms(spec: ValidSpec, healthChecks: PlannedHealthCheck[], home: string): PlannedAlarm[] {
  return healthChecks.map((hc) => {
    const id = `${hc.id}-unhealthy`;
    return {
      id, name: `${spec.name}-${hc.id.replace(/^hc-/, '')}-endpoint-unhealthy`, region: home, kind: 'health-check', level: 'critical',
      namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', dimensions: { HealthCheckId: healthCheckPlaceholder(hc.id) },
      statistic: 'Minimum', threshold: 1, comparison: 'LessThanThreshold', periodSeconds: 60, evaluationPeriods: 1,
      treatMissingData: 'breaching', subjectRegion: hc.region,
      description: `critical: Route 53 reports ${hc.fqdn} (${hc.region}) unhealthy`,
    };
  });
}

/**
 * Deployment-wide `meridian:*` tags the facts readers turn back into facts. `none` says "declared absent";
 * tag values allow letters, digits, spaces and `_ . : / = + - @` but no commas, so lists are space-separated
 * (https://docs.aws.amazon.com/efs/latest/ug/API_Tag.html, the pattern most services share).
 */
function factTags(spec: ValidSpec): Record<string, string> {
  const q = spec.data.quorum;
  return {
    'meridian:residency': spec.data.residency?.join(' ') ?? 'none',
    'meridian:consistency': spec.data.consistency,
    'meridian:quorum': q ? `n=${q.replicas} w=${q.writeQuorum} r=${q.readQuorum}` : 'none',
    'meridian:rto-seconds': spec.objectives ? String(spec.objectives.rtoSeconds) : 'none',
    'meridian:rpo-seconds': spec.objectives ? String(spec.objectives.rpoSeconds) : 'none',
  };
}

/**
 * Resolves a spec into a GeoPlan: validates it (schema, then the rules no schema can express), fills
 * defaults, allocates CIDRs that do not overlap the ones the user wrote, and fixes every name.
 * Throws SpecError on input errors; design problems are left to the policy engine.
 */
export function plan(input: GeoSpec | ValidSpec): GeoPlan {
  return planParsed(parseSpec(input));
}

/**
 * {@link plan} of a spec exactly as parseSpec() (or parseSpecDocument()) returned it: the schema pass
 * is not repeated (it would give the same spec back). For callers that hold the parser's result, such as
 * `meridian check`, where the second pass cost 2-3 ms of a start without a code cache.
 */
export function planParsed(spec: ValidSpec): GeoPlan {
  const issues = [...structuralIssues(spec), ...combinedLimitIssues(spec)];
  if (issues.length > 0) throw new SpecError(issues);

  const aurora = spec.data.engine !== 'dynamodb';
  const cidrs = allocateCidrs(spec);
  const partitions = planPartitions(spec, spec.name);
  const baseTags: Record<string, string> = {
    ...spec.tags,
    [TOPOLOGY_TAG]: spec.name,
    'meridian:mode': spec.mode,
    'meridian:data-classification': spec.data.classification,
    // What the facts readers need to judge synthesized output like the plan (README: "Tags the checks read").
    ...factTags(spec),
  };

  const regionsWithoutClients: Omit<PlannedRegion, 'databaseClientCidrs'>[] = spec.regions.map((r, index) => {
    const info = found(regionInfo(r.name), `region info of ${r.name}`);
    const partition = found(partitions.find((p) => p.regions.includes(r.name)), 'data partition');
    const isDataPrimary = partition.primaryRegion === r.name;
    const block = at(cidrs, index, 'allocated region cidr');
    const writeForwarding = aurora && (spec.data.writeForwarding ?? spec.mode === 'active-active');
    const tags: Record<string, string> = { ...baseTags, 'meridian:region-role': r.role };
    if (r.jurisdiction) tags['meridian:jurisdiction'] = r.jurisdiction;
    const instances = r.instances ?? (isDataPrimary ? 2 : 1);
    const zones = availabilityZoneCount(r.name, index, spec.network.availabilityZones);
    tags['meridian:region'] = r.name;
    tags['meridian:partition'] = partition.id;
    const capacity = r.capacityRps ?? (r.peakRps !== undefined ? r.peakRps * 2 : undefined);
    tags['meridian:peak-rps'] = r.peakRps === undefined ? 'none' : String(r.peakRps);
    tags['meridian:capacity-rps'] = capacity === undefined ? 'none' : String(capacity);
    return {
      name: r.name, role: r.role, index, short: regionShort(r.name),
      country: info.country, continent: info.continent, partition: info.partition,
      jurisdiction: r.jurisdiction, partitionId: partition.id, isDataPrimary,
      acceptsWrites: isDataPrimary || !aurora || writeForwarding,
      cidr: block.cidr, cidrFromSpec: block.fromSpec,
      endpoint: r.endpoint ?? `${r.name}.${spec.dns.recordName.replace(/\.$/, '')}`,
      peakRps: r.peakRps, capacityRps: capacity,
      stackName: `${spec.name}-${r.name}`,
      keyAlias: `alias/meridian/${spec.name}`,
      vpcName: `${spec.name}-${r.name}`,
      clusterIdentifier: `${spec.name}-${r.name}`,
      instances,
      promotionTiers: aurora ? promotionTiers(instances) : [],
      availabilityZoneCount: zones,
      dataSubnets: dataSubnets(block.cidr, zones, index),
      applicationSubnets: applicationSubnets(r.name, block.cidr, zones, r.applicationSubnets ?? spec.network.applicationSubnets ?? 'none', index),
      alertTopicName: `${spec.name}-${r.name}-alerts`,
      tags,
    };
  });

  const hub = spec.network.peering === 'hub-and-spoke'
    ? spec.network.hub ?? at(partitions, 0, 'data partition').primaryRegion
    : undefined;
  const pairs: [typeof regionsWithoutClients[number], typeof regionsWithoutClients[number]][] = [];
  if (spec.network.peering === 'full-mesh') {
    regionsWithoutClients.forEach((a, i) => regionsWithoutClients.slice(i + 1).forEach((b) => pairs.push([a, b])));
  } else if (hub) {
    const h = found(regionsWithoutClients.find((r) => r.name === hub), 'hub region');
    regionsWithoutClients.filter((r) => r !== h).forEach((r) => pairs.push([h, r]));
  }
  const peerings: PlannedPeering[] = pairs.map(([a, b]) => ({
    id: `${a.short}-${b.short}`, name: `${spec.name}-${a.short}-${b.short}`,
    requesterRegion: a.name, accepterRegion: b.name, requesterCidr: a.cidr, accepterCidr: b.cidr,
    routes: { requester: true, accepter: true },
  }));
  const partitionOf = (name: string) => regionsWithoutClients.find((r) => r.name === name)?.partitionId;
  const regions: PlannedRegion[] = regionsWithoutClients.map((r) => ({
    ...r,
    databaseClientCidrs: aurora ? databaseClientCidrs(r, peerings, partitionOf) : [],
  }));

  const hcSpec = spec.dns.healthCheck;
  const healthChecks: PlannedHealthCheck[] = regions.map((r) => ({
    id: `hc-${r.short}`, name: `${spec.name}-${r.name}-health`, region: r.name, fqdn: r.endpoint,
    protocol: hcSpec.protocol, port: hcSpec.port,
    path: hcSpec.protocol === 'TCP' ? undefined : hcSpec.path,
    searchString: hcSpec.protocol.endsWith('_STR_MATCH') ? hcSpec.searchString : undefined,
    intervalSeconds: hcSpec.intervalSeconds, failureThreshold: hcSpec.failureThreshold,
    checkerRegions: hcSpec.checkerRegions,
  }));
  const home = dnsHomeRegion(spec.regions);
  const records = planRecords(spec, regions, healthChecks, partitions);

  const baseAlarms = [...planAlarms(spec, regions, partitions), ...planHealthAlarms(spec, healthChecks, home)];
  const { experiments: plannedExperiments, alarms: guardAlarms } = planExperiments(spec, regions, partitions, baseAlarms, peerings);
  const automated = planAutomation(spec, regions, partitions, healthChecks, baseAlarms, home);
  const alarmList = [...baseAlarms, ...guardAlarms, ...automated.alarms];
  const experiments = [...plannedExperiments, ...automated.experiments];
  const residency = spec.data.residency;
  const engineVersion = spec.data.engineVersion ?? DEFAULT_ENGINE_VERSION[spec.data.engine];
  const writeForwarding = aurora && (spec.data.writeForwarding ?? spec.mode === 'active-active');

  const result: GeoPlan = {
    name: spec.name,
    mode: spec.mode,
    account: spec.account,
    regions,
    network: {
      baseCidr: (parseCidr(spec.network.baseCidr) as Cidr).text,
      regionPrefixLength: spec.network.regionPrefixLength,
      peering: spec.network.peering,
      hub,
      peerings,
    },
    data: {
      engine: spec.data.engine,
      classification: spec.data.classification,
      residency,
      allowedCountries: residency ? expandJurisdictions(residency) : undefined,
      consistency: spec.data.consistency,
      quorum: spec.data.quorum,
      engineVersion,
      instanceClass: spec.data.instanceClass ?? 'r6g.large',
      writeForwarding,
      backupRetentionDays: spec.data.backupRetentionDays,
      databaseName: spec.data.databaseName,
      port: spec.data.port ?? DEFAULT_PORT[spec.data.engine],
      partitions,
      masterUsername: MASTER_USERNAME,
      clusterParameterFamily: clusterParameterFamily(spec.data.engine, engineVersion),
      clusterParameters: clusterParameters(spec.data.engine, writeForwarding, spec.data.consistency),
      logExports: logExports(spec.data.engine),
      monitoringIntervalSeconds: aurora ? MONITORING_INTERVAL_SECONDS : 0,
      performanceInsightsRetentionDays: PERFORMANCE_INSIGHTS_RETENTION_DAYS,
    },
    dns: {
      zoneName: spec.dns.zoneName.replace(/\.$/, ''),
      zoneId: spec.dns.zoneId,
      recordName: spec.dns.recordName.replace(/\.$/, ''),
      routing: spec.dns.routing,
      ttlSeconds: spec.dns.ttlSeconds,
      crossBorderFallback: spec.dns.crossBorderFallback,
      healthChecks,
      records,
      homeRegion: home,
      stackName: `${spec.name}-dns`,
      alertTopicName: `${spec.name}-dns-alerts`,
      keyAlias: `alias/meridian/${spec.name}/dns`,
    },
    objectives: spec.objectives,
    alarms: {
      replicationLagWarningSeconds: spec.alarms.replicationLagWarningSeconds,
      replicationLagCriticalSeconds: spec.alarms.replicationLagCriticalSeconds,
      periodSeconds: spec.alarms.periodSeconds,
      email: spec.alarms.email,
      list: alarmList,
      topicPolicy: TOPIC_POLICY,
    },
    experiments,
    // Present only when on, so plans (and their snapshots) without automation stay as they were.
    ...(spec.automation?.regionFailover?.enabled ? { automation: automated.automation } : {}),
    suppressions: spec.suppressions,
    // Security by default: every key rotates, all storage is encrypted and deletion-protected.
    protection: { keyRotation: true, storageEncrypted: true, deletionProtection: true },
    retention: RETENTION,
    tags: baseTags,
  };
  const planned: GeoPlan = { ...result, dashboard: planDashboard(result) };
  const nameIssues = derivedNameIssues(planned);
  if (nameIssues.length > 0) throw new SpecError(nameIssues);
  return planned;
}

/** Region CIDR pairs that overlap or contain one another; used by plan consumers and the NETWORK rule. */
export function overlappingRegionCidrs(p: GeoPlan): Array<[string, string]> {
  const items = p.regions.map((r) => ({ region: r.name, cidr: parseCidr(r.cidr) as Cidr }));
  return findOverlaps(items).map(([a, b]) => [a.region, b.region]);
}
