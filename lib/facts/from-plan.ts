/**
 * Facts from a GeoPlan: what the renderers will build, before anything is synthesized. Every value comes
 * from the plan; what a plan does not say (a plan built by hand without `protection`) is unknown.
 */
import type { GeoPlan, PlannedRegion } from '../model/plan-types';
import type {
  AlarmFact, DatabaseFact, DatabaseMemberFact, DnsRecordFact, ExperimentFact, Facts, HealthCheckFact, KmsKeyFact,
} from './types';

/** The identity of a region's KMS key in facts and findings: `<alias>@<region>`. */
export function planKeyId(region: Pick<PlannedRegion, 'keyAlias' | 'name'>): string {
  return `${region.keyAlias}@${region.name}`;
}

export function factsFromPlan(plan: GeoPlan): Facts {
  const aurora = plan.data.engine !== 'dynamodb';
  const regionByName = new Map(plan.regions.map((r) => [r.name, r]));
  const hcName = new Map(plan.dns.healthChecks.map((h) => [h.id, h.name]));
  const alarmName = new Map(plan.alarms.list.map((a) => [a.id, a.name]));

  const records: DnsRecordFact[] = plan.dns.records.map((r) => ({
    id: r.setIdentifier,
    name: r.name,
    // A jurisdiction's record set under partitioned geolocation is failover or latency routed.
    routing: r.failover ? 'failover' : r.latencyRegion ? 'latency' : r.geolocation ? 'geolocation' : r.geoproximity ? 'geoproximity' : r.weight !== undefined ? 'weighted' : plan.dns.routing,
    // Alias records have no TTL of their own.
    ttlSeconds: r.aliasTo ? null : plan.dns.ttlSeconds,
    setIdentifier: r.setIdentifier,
    region: r.region ?? null,
    failover: r.failover ?? null,
    geolocation: r.geolocation ?? null,
    // A planned record that names an unknown health check is a plan bug; surface it as unknown.
    healthCheckId: r.healthCheckId ? hcName.get(r.healthCheckId) : null,
    // The plan's records are CNAMEs to the region endpoints (an app may swap in A aliases at render time).
    type: 'CNAME',
    values: r.aliasTo ? null : [regionByName.get(r.region ?? '')?.endpoint ?? `${r.region}.${plan.dns.recordName}`],
    aliasTarget: r.aliasTo ? { dnsName: r.aliasTo.name, evaluateTargetHealth: r.aliasTo.evaluateTargetHealth } : null,
    latencyRegion: r.latencyRegion ?? null,
    weight: r.weight ?? null,
    geoproximity: r.geoproximity ? { awsRegion: r.geoproximity.awsRegion, bias: r.geoproximity.bias } : null,
    zoneName: plan.dns.zoneName,
  }));

  const healthChecks: HealthCheckFact[] = plan.dns.healthChecks.map((h) => ({
    id: h.name,
    region: h.region,
    type: h.protocol,
    fqdn: h.fqdn,
    intervalSeconds: h.intervalSeconds,
    failureThreshold: h.failureThreshold,
    port: h.port,
    path: h.path ?? null,
    searchString: h.searchString ?? null,
    checkerRegions: h.checkerRegions ?? null,
  }));

  const protection = plan.protection;
  // Typed as required, but a plan written by hand may lack it: read as unknown then.
  const retention = plan.retention as GeoPlan['retention'] | undefined;
  const keys: KmsKeyFact[] = plan.regions.map((r) => ({
    id: planKeyId(r), region: r.name, rotation: protection?.keyRotation, multiRegion: false, encryptsData: true,
    aliases: [r.keyAlias], removal: retention?.keys, pendingWindowDays: retention?.keyDeletionWindowDays,
  }));

  const databases: DatabaseFact[] = plan.data.partitions.map((p) => ({
    id: aurora ? p.globalClusterIdentifier : p.tableName,
    engine: plan.data.engine,
    partitionId: p.id,
    jurisdiction: p.jurisdiction ?? null,
    // Both renderers keep automated backups in each cluster's own region; no copies elsewhere.
    backupRegions: [],
    removal: aurora ? retention?.globalCluster : null,
    deletionProtection: aurora ? protection?.deletionProtection : null,
    storageEncrypted: aurora ? protection?.storageEncrypted : null,
    members: p.regions.map((name): DatabaseMemberFact => {
      const region = regionByName.get(name);
      return {
        id: aurora ? region?.clusterIdentifier ?? `${plan.name}-${name}` : `${p.tableName}@${name}`,
        region: name,
        role: !aurora ? 'replica' : name === p.primaryRegion ? 'primary' : 'secondary',
        encrypted: protection?.storageEncrypted,
        // Each member is encrypted with its own region's key (planKeyId), when encrypted at all.
        keyRegion: protection === undefined ? undefined : protection.storageEncrypted ? name : null,
        keyId: protection === undefined || !region ? undefined : protection.storageEncrypted ? planKeyId(region) : null,
        deletionProtection: protection?.deletionProtection,
        instances: aurora ? region?.instances : null,
        removal: aurora ? retention?.clusters : retention?.tables,
        backupRetentionDays: aurora ? plan.data.backupRetentionDays : null,
        // Aurora settings the plan decides for both renderers (absent from plans built before they existed).
        ...(aurora && plan.data.clusterParameters !== undefined ? {
          masterUsername: name === p.primaryRegion ? plan.data.masterUsername : null,
          parameters: { ...plan.data.clusterParameters },
          logExports: [...plan.data.logExports],
          sourceRegion: name === p.primaryRegion ? null : p.primaryRegion,
        } : {}),
      };
    }),
  }));

  const alarms: AlarmFact[] = plan.alarms.list.map((a) => ({
    id: a.name,
    region: a.region,
    metric: a.metricName,
    // Synthesized output cannot tell an experiment guard from a lag alarm on the same series; facts call both lag alarms.
    kind: a.kind === 'replication-stalled' ? 'replication-lag' : a.kind,
    level: a.level,
    thresholdSeconds: a.thresholdSeconds ?? null,
    subjectRegion: a.subjectRegion,
    namespace: a.namespace,
    // Health-check ids exist only once deployed; the plan names them `{{healthCheck:<fact id>}}`.
    dimensions: Object.fromEntries(Object.entries(a.dimensions).map(([k, v]) => [k, v.replace(/^\{\{healthCheck:(.+)\}\}$/, (_m, id: string) => `{{healthCheck:${hcName.get(id) ?? id}}}`)])),
    unit: null,
    statistic: a.statistic,
    threshold: a.threshold,
    comparison: a.comparison,
    periodSeconds: a.periodSeconds,
    evaluationPeriods: a.evaluationPeriods,
    treatMissingData: a.treatMissingData,
    name: a.name,
    expression: a.math?.expression ?? null,
  }));

  const clusterOf = (region: string) => regionByName.get(region)?.clusterIdentifier;
  const tableOf = (region: string) => plan.data.partitions.find((p) => p.regions.includes(region))?.tableName;
  const experiments: ExperimentFact[] = plan.experiments.map((e) => ({
    id: e.name,
    region: e.region,
    actions: e.actions.map((a) => a.actionId),
    stopConditions: e.stopAlarmIds.map((id) => ({ source: 'aws:cloudwatch:alarm', alarmId: alarmName.get(id) })),
    actionDetails: e.actions.map((a) => ({
      name: a.name, actionId: a.actionId, parameters: { ...a.parameters }, targets: { [a.targetKey]: a.targetKey }, startAfter: [...(a.startAfter ?? [])],
    })),
    targets: e.targets.map((t) => ({
      key: t.key, resourceType: t.resourceType, selectionMode: t.selectionMode,
      resourceTags: t.resourceTags ? { ...t.resourceTags } : null,
      resourceArns: t.resource ? [t.resource.kind === 'cluster' ? `cluster:${clusterOf(t.resource.region)}` : `table:${tableOf(t.resource.region)}`] : null,
    })),
    // The plan names the role; its statements are still worked out by each renderer (issue 8).
    role: undefined,
    description: e.description,
  }));

  return {
    topology: plan.name,
    mode: plan.mode,
    regions: plan.regions.map((r) => ({
      name: r.name,
      role: r.role,
      country: r.country,
      jurisdiction: r.jurisdiction ?? null,
      partitionId: r.partitionId,
      acceptsWrites: r.acceptsWrites,
      peakRps: r.peakRps ?? null,
      capacityRps: r.capacityRps ?? null,
    })),
    dns: { records, healthChecks },
    keys,
    databases,
    networks: plan.regions.map((r) => ({ id: r.vpcName, region: r.name, cidr: r.cidr })),
    vpcEndpoints: plan.regions.flatMap((r) => {
      const access = r.applicationSubnets.endpointAccess;
      return access ? r.applicationSubnets.interfaceEndpoints.map((service) => {
        const serviceName = access.serviceNames[service];
        return { id: `${serviceName}@${r.vpcName}`, region: r.name, networkId: r.vpcName, serviceName, type: 'Interface', privateDns: access.privateDns };
      }) : [];
    }),
    // A plan built without routes leaves them to the renderers: no routes to check (null).
    peerings: plan.network.peerings.map((p) => ({
      id: p.name, requesterRegion: p.requesterRegion, accepterRegion: p.accepterRegion, routes: p.routes ? { ...p.routes } : null,
      requesterCidr: p.requesterCidr, accepterCidr: p.accepterCidr,
    })),
    alarms,
    experiments,
    data: {
      engine: plan.data.engine,
      classification: plan.data.classification,
      residency: plan.data.residency ?? null,
      consistency: plan.data.consistency,
      quorum: plan.data.quorum
        ? { replicas: plan.data.quorum.replicas, writeQuorum: plan.data.quorum.writeQuorum, readQuorum: plan.data.quorum.readQuorum }
        : null,
    },
    objectives: plan.objectives ? { rtoSeconds: plan.objectives.rtoSeconds, rpoSeconds: plan.objectives.rpoSeconds } : null,
    suppressions: plan.suppressions.map((s) => ({ ...s })),
    automation: automationOf(plan),
  };
}

/** A plan without `automation` was planned with it off (or built by hand before it existed): no automation. */
function automationOf(plan: GeoPlan): Facts['automation'] {
  const failovers = plan.automation?.regionFailover ?? [];
  if (failovers.length === 0) return { regionFailover: false, writerFailover: false };
  return {
    regionFailover: true,
    writerFailover: failovers.every((f) => f.writerTriggerConditions.length > 0),
    sustainedSeconds: Math.max(...failovers.map((f) => f.sustainedSeconds)),
  };
}
