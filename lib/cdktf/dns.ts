import { Construct } from 'constructs';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import type { Route53Record, Route53RecordConfig } from '@cdktf/provider-aws/lib/route53-record';
import type { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import type { GeoPlan, PlannedRecord } from '../model/plan-types';
import { ROUTE53_HEALTH_CHECKER_REGIONS } from '../model/regions';
import { attr, planTags, preventDestroy, regionOf, regionTags } from './common';
import { LeanResource } from './lean';
import { ROUTE53_RECORD, ROUTE53_ZONE } from './lean-types';

/** Route 53 accepts these request intervals, in seconds. */
export const HEALTH_CHECK_INTERVALS: readonly number[] = [10, 30];

/**
 * The regions Route 53 has health checkers in: the provider refuses any other value in `regions` at
 * `terraform validate`, and needs at least 3 distinct ones. The spec schema checks the same list; this
 * check covers plans built by hand.
 */
export const HEALTH_CHECKER_REGIONS = ROUTE53_HEALTH_CHECKER_REGIONS;

export interface GeoDnsProps {
  readonly plan: GeoPlan;
}

/**
 * Route 53 for a plan: the public hosted zone (or the zone `plan.dns.zoneId`, used by id with no
 * lookup), one health check per region endpoint and the routed records (CNAME to the region's endpoint,
 * plan TTL, set identifier, health check, and the failover / latency / geolocation / geoproximity /
 * weighted routing policy). Route 53 is global: these resources carry no region.
 */
export class GeoDns extends Construct {
  /** Hosted zone id (created zone's `zone_id`, or the plan's `zoneId`). */
  public readonly zoneId: string;
  public readonly zone?: LeanResource<typeof Route53Zone>;
  /** Health checks by planned id (`hc-<short>`). */
  public readonly healthChecks: Record<string, Route53HealthCheck> = {};
  /** Records by planned record id. */
  public readonly records: Record<string, LeanResource<typeof Route53Record>> = {};

  constructor(scope: Construct, id: string, props: GeoDnsProps) {
    super(scope, id);
    const { plan } = props;
    const dns = plan.dns;
    if (dns.zoneId) {
      this.zoneId = dns.zoneId;
    } else {
      this.zone = new LeanResource(this, 'Zone', ROUTE53_ZONE, {
        name: dns.zoneName,
        comment: `Meridian ${plan.name}`,
        forceDestroy: false,
        tags: planTags(plan, dns.zoneName),
        lifecycle: { preventDestroy: preventDestroy(plan.retention.hostedZone) },
      });
      this.zoneId = this.zone.attr('zoneId');
    }

    for (const hc of dns.healthChecks) {
      if (!HEALTH_CHECK_INTERVALS.includes(hc.intervalSeconds)) {
        throw new Error(`health check ${hc.id}: intervalSeconds must be one of ${HEALTH_CHECK_INTERVALS.join(', ')}, got ${hc.intervalSeconds}`);
      }
      if (hc.failureThreshold < 1 || hc.failureThreshold > 10) {
        throw new Error(`health check ${hc.id}: failureThreshold must be between 1 and 10, got ${hc.failureThreshold}`);
      }
      if (hc.checkerRegions) {
        const unknown = hc.checkerRegions.filter((x) => !HEALTH_CHECKER_REGIONS.includes(x));
        if (unknown.length > 0) {
          throw new Error(`health check ${hc.id}: checkerRegions must be among ${HEALTH_CHECKER_REGIONS.join(', ')}, got ${unknown.join(', ')}`);
        }
        // `regions` is a set: a region listed twice counts once.
        const distinct = new Set(hc.checkerRegions).size;
        if (distinct < 3) {
          throw new Error(`health check ${hc.id}: checkerRegions needs at least 3 distinct regions, got ${distinct} (${hc.checkerRegions.join(', ')})`);
        }
      }
      const https = hc.protocol.startsWith('HTTPS');
      this.healthChecks[hc.id] = new Route53HealthCheck(this, `HealthCheck-${hc.id}`, {
        type: hc.protocol,
        fqdn: hc.fqdn,
        port: hc.port,
        ...(hc.path !== undefined ? { resourcePath: hc.path } : {}),
        ...(hc.searchString !== undefined ? { searchString: hc.searchString } : {}),
        requestInterval: hc.intervalSeconds,
        failureThreshold: hc.failureThreshold,
        ...(hc.checkerRegions ? { regions: [...hc.checkerRegions] } : {}),
        ...(https ? { enableSni: true } : {}),
        tags: regionTags(regionOf(plan, hc.region), hc.name),
      });
    }

    if (dns.records.length > 0 && dns.recordName.toLowerCase() === dns.zoneName.toLowerCase()) {
      throw new Error(`record ${dns.recordName}: the routed records are CNAMEs to the region endpoints, and a CNAME cannot sit at the zone apex ${dns.zoneName}; use a name below the apex (e.g. api.${dns.zoneName})`);
    }
    for (const rec of dns.records) {
      this.records[rec.id] = new LeanResource(this, `Record-${rec.id}`, ROUTE53_RECORD, {
        zoneId: this.zoneId,
        name: rec.name,
        type: 'CNAME',
        ...this.answer(plan, rec),
        setIdentifier: rec.setIdentifier,
        ...routingPolicy(rec),
      });
    }
  }

  /** A CNAME to the region's endpoint with its health check, or an alias to another record set of the zone. */
  private answer(plan: GeoPlan, rec: PlannedRecord): Partial<Route53RecordConfig> {
    let hc: Partial<Route53RecordConfig> = {};
    if (rec.healthCheckId !== undefined) {
      const check = this.healthChecks[rec.healthCheckId];
      if (!check) throw new Error(`record ${rec.id}: health check ${rec.healthCheckId} is not planned`);
      hc = { healthCheckId: attr(check, 'id') };
    }
    if (rec.aliasTo) {
      const aliasName = rec.aliasTo.name;
      // Route 53 refuses an alias whose target record set does not exist yet.
      const planned = plan.dns.records.filter((r) => r.name === aliasName);
      const targets = planned.flatMap((r) => this.records[r.id] ?? []);
      if (targets.length === 0 || targets.length < planned.length) {
        throw new Error(`record ${rec.id}: aliases ${aliasName}, which has no record planned before it`);
      }
      return {
        ...hc,
        alias: { name: aliasName, zoneId: this.zoneId, evaluateTargetHealth: rec.aliasTo.evaluateTargetHealth },
        dependsOn: targets,
      };
    }
    if (rec.region === undefined) throw new Error(`record ${rec.id}: the plan gives it neither a region nor an alias target`);
    return { ...hc, ttl: plan.dns.ttlSeconds, records: [regionOf(plan, rec.region).endpoint] };
  }
}

/** The routing-policy block of a planned record. */
export function routingPolicy(rec: PlannedRecord): Partial<Route53RecordConfig> {
  if (rec.failover) return { failoverRoutingPolicy: { type: rec.failover } };
  if (rec.latencyRegion) return { latencyRoutingPolicy: { region: rec.latencyRegion } };
  if (rec.geolocation) {
    return {
      geolocationRoutingPolicy: {
        ...(rec.geolocation.continentCode ? { continent: rec.geolocation.continentCode } : {}),
        ...(rec.geolocation.countryCode ? { country: rec.geolocation.countryCode } : {}),
      },
    };
  }
  if (rec.geoproximity) return { geoproximityRoutingPolicy: { awsRegion: rec.geoproximity.awsRegion, bias: rec.geoproximity.bias } };
  if (rec.weight !== undefined) return { weightedRoutingPolicy: { weight: rec.weight } };
  throw new Error(`record ${rec.id}: the plan gives it no routing policy`);
}
