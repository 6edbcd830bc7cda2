/**
 * Route 53 for a multi-region deployment: the hosted zone, one health check per region endpoint,
 * the routed records of the plan (failover, latency, geolocation, geoproximity, weighted) and the
 * alarms on the health checks, all named by the plan.
 */
import { Annotations, Resource, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { MeridianValidationError, ROUTE53_HEALTH_CHECKER_REGIONS, type GeoPlan, type PlannedHealthCheck, type PlannedRecord, type ValidationProblem } from '../model';
import { MAX_ROUTED_TTL_SECONDS } from '../model/limits';
import { allowCloudWatchToPublish, allowCloudWatchToUseKey, createPlannedAlarm } from './alarms';
import { applyTags, removalPolicy } from './tags';

/** Route 53 accepts these request intervals, in seconds. */
export const HEALTH_CHECK_INTERVALS: readonly number[] = [10, 30];
/** Route 53 accepts failure thresholds in this range. */
export const HEALTH_CHECK_FAILURE_THRESHOLD = { min: 1, max: 10 } as const;
/** Route 53 health checks need at least this many checker regions when regions are listed. */
export const MIN_CHECKER_REGIONS = 3;
/**
 * The regions Route 53 has health checkers in (`HealthCheckRegion`); `Regions` of a health check may
 * list only these.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html
 */
export const HEALTH_CHECKER_REGIONS = ROUTE53_HEALTH_CHECKER_REGIONS;
/** Routed records with a longer TTL delay failover; the policy rule GEO-DNS-001 reports them. */
export { MAX_ROUTED_TTL_SECONDS };

const HEALTH_CHECK_PLACEHOLDER = /^\{\{healthCheck:(.+)\}\}$/;

/** Props of {@link GeoDns}. */
export interface GeoDnsProps {
  /** The resolved deployment plan; zone, records, health checks and alarms are taken from `plan.dns`. */
  readonly plan: GeoPlan;
  /**
   * A hosted zone the team already has; its name must be `plan.dns.zoneName` (checked when known),
   * and its id `plan.dns.zoneId` when the plan names one.
   *
   * @default - the zone `plan.dns.zoneId` imported without a lookup, or a new public hosted zone
   */
  readonly zone?: route53.IHostedZone;
  /**
   * Alias targets by region (for example a load balancer per region). When given, every routed
   * record answers with an `A` alias to its region's target instead of a `CNAME` to the region's
   * endpoint; it must then name every region that has a record (Route 53 cannot mix a `CNAME` with
   * other records of the same name). The region's health check then probes the target's DNS name
   * (protocol, port and path from the plan) instead of the endpoint name.
   *
   * @default - each record is a `CNAME` to its region's `endpoint`, with the plan's TTL.
   */
  readonly aliasTargets?: Readonly<Record<string, route53.IAliasRecordTarget>>;
  /**
   * Email address subscribed to the DNS alert topic.
   *
   * @default - `plan.alarms.email`; no subscription when that is unset too.
   */
  readonly email?: string;
}

/**
 * Everything Route 53 of a plan: created in the DNS stack (`plan.dns.stackName`, region
 * `plan.dns.homeRegion`, where Route 53 publishes health-check metrics).
 *
 * - the public hosted zone `plan.dns.zoneName` (retained on delete), or the zone `plan.dns.zoneId`
 *   imported without a lookup;
 * - a health check per region endpoint (type, port, path, interval, failure threshold, search string
 *   and checker regions from the plan; tagged `Name` = planned name plus the tags of its region);
 * - one record per `plan.dns.records` entry with its set identifier, health check, TTL and routing;
 * - a CloudWatch alarm per health check on `AWS/Route53 HealthCheckStatus`, notifying an SNS topic
 *   (`plan.dns.alertTopicName`) encrypted with a customer-managed key of the DNS stack
 *   (`alias/meridian/<name>/dns`, rotation on, retained).
 *
 * Throws when the plan asks for something Route 53 refuses (interval other than 10 or 30, failure
 * threshold outside 1–10, fewer than 3 checker regions, a checker region Route 53 has no checkers in
 * or one listed twice, CNAME records at the zone apex); warns (`meridian:dns-ttl-long`) about TTLs
 * above 60 s, which the policy engine reports as GEO-DNS-001.
 */
export class GeoDns extends Construct {
  /** The hosted zone (created or imported). */
  public readonly zone: route53.IHostedZone;
  /** The health checks, by planned health check id (`hc-<short>`). */
  public readonly healthChecks: Record<string, route53.CfnHealthCheck> = {};
  /**
   * The routed records, by planned record id. Geoproximity records are record set groups (the
   * installed `CfnRecordSet` has no `GeoProximityLocation`).
   */
  public readonly records: Record<string, route53.CfnRecordSet | route53.CfnRecordSetGroup> = {};
  /** The health-check alarms, by planned alarm id. */
  public readonly alarms: Record<string, cloudwatch.Alarm> = {};
  /** The DNS alert topic. */
  public readonly topic: sns.Topic;
  /** The customer-managed key of the DNS stack, encrypting the alert topic. */
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: GeoDnsProps) {
    super(scope, id);
    const { plan } = props;
    const dns = plan.dns;
    validate(this, props);

    const stackRegion = Stack.of(this).region;
    if (!Token.isUnresolved(stackRegion) && stackRegion !== dns.homeRegion) {
      throw new Error(`GeoDns ${this.node.path}: the stack is in ${stackRegion} but Route 53 health-check metrics and alarms live in ${dns.homeRegion} (plan.dns.homeRegion); create GeoDns in the ${dns.stackName} stack in ${dns.homeRegion}`);
    }

    if (dns.ttlSeconds > MAX_ROUTED_TTL_SECONDS) {
      Annotations.of(this).addWarningV2('meridian:dns-ttl-long',
        `TTL ${dns.ttlSeconds} s on the routed records of ${dns.recordName} is above ${MAX_ROUTED_TTL_SECONDS} s: resolvers keep answering with a failed region for up to ${dns.ttlSeconds} s after failover (policy rule GEO-DNS-001)`);
    }

    // Zone
    if (props.zone) {
      this.zone = checkedZone(props.zone, plan, `GeoDns ${this.node.path}`);
    } else if (dns.zoneId !== undefined) {
      this.zone = route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: dns.zoneId, zoneName: dns.zoneName });
    } else {
      const zone = new route53.PublicHostedZone(this, 'Zone', {
        zoneName: dns.zoneName,
        comment: `Meridian deployment ${plan.name}`,
      });
      zone.applyRemovalPolicy(removalPolicy(plan.retention.hostedZone));
      this.zone = zone;
    }

    // Health checks
    for (const hc of dns.healthChecks) {
      // The region's tags (`meridian:region-role`, …) say whose endpoint this is.
      const regionTags = plan.regions.find((r) => r.name === hc.region)?.tags ?? plan.tags;
      // With alias targets the records answer with the target, so the check probes the target too: a
      // probe of the planned endpoint name would judge a host nothing answers for. An HTTPS probe of a
      // name its certificate lacks still works: the checker retries the handshake without SNI.
      // https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html (EnableSNI)
      const target = props.aliasTargets?.[hc.region];
      const probed = target ? target.bind(new RecordReference(this, `${hc.id}-Probe`, hc.fqdn, 'A'), this.zone).dnsName : undefined;
      this.healthChecks[hc.id] = new route53.CfnHealthCheck(this, hc.id, {
        healthCheckConfig: healthCheckConfig(hc, probed),
        healthCheckTags: [
          ...Object.entries(regionTags).map(([key, value]) => ({ key, value })),
          { key: 'Name', value: hc.name },
        ],
      });
    }

    // Records
    for (const record of dns.records) {
      this.records[record.id] = this.createRecord(record, props);
    }

    // Key, topic, alarms
    this.key = new kms.Key(this, 'Key', {
      alias: plan.dns.keyAlias,
      description: `Meridian ${plan.name}: encrypts the DNS alert topic ${dns.alertTopicName}`,
      enableKeyRotation: true,
      removalPolicy: removalPolicy(plan.retention.keys),
    });
    allowCloudWatchToUseKey(this.key);
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: dns.alertTopicName,
      displayName: `${plan.name} DNS alerts`,
      masterKey: this.key,
      enforceSSL: plan.alarms.topicPolicy.enforceTls,
    });
    if (plan.alarms.topicPolicy.allowCloudWatchAlarms) allowCloudWatchToPublish(this.topic);
    const email = props.email ?? plan.alarms.email;
    if (email !== undefined) this.topic.addSubscription(new subscriptions.EmailSubscription(email));

    const action = new cwActions.SnsAction(this.topic);
    for (const planned of plan.alarms.list) {
      if (planned.kind !== 'health-check') continue;
      const dimensions: Record<string, string> = {};
      for (const [name, value] of Object.entries(planned.dimensions)) {
        const match = HEALTH_CHECK_PLACEHOLDER.exec(value);
        if (!match) {
          dimensions[name] = value;
          continue;
        }
        const hcId = match[1] ?? '';
        const hc = this.healthChecks[hcId];
        if (!hc) {
          throw new Error(`GeoDns ${this.node.path}: alarm ${planned.id} refers to health check "${hcId}", which is not in plan.dns.healthChecks (${Object.keys(this.healthChecks).join(', ')})`);
        }
        dimensions[name] = hc.attrHealthCheckId;
      }
      const alarm = createPlannedAlarm(this, planned, dimensions);
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      this.alarms[planned.id] = alarm;
    }

    applyTags(this, plan.tags);
  }

  private createRecord(record: PlannedRecord, props: GeoDnsProps): route53.CfnRecordSet | route53.CfnRecordSetGroup {
    const dns = props.plan.dns;
    const id = `Record-${record.id}`;
    let answer: { type: string; ttl?: string; resourceRecords?: string[]; aliasTarget?: route53.CfnRecordSet.AliasTargetProperty; healthCheckId?: string };
    if (record.aliasTo) {
      // An alias to another record set of this zone has the target's type: A when the regions answer
      // with alias targets, CNAME otherwise. It has no TTL and takes its health from the target.
      answer = {
        type: props.aliasTargets ? 'A' : 'CNAME',
        aliasTarget: { dnsName: record.aliasTo.name, hostedZoneId: this.zone.hostedZoneId, evaluateTargetHealth: record.aliasTo.evaluateTargetHealth },
      };
    } else {
      const region = props.plan.regions.find((r) => r.name === record.region);
      if (!region) {
        throw new Error(`GeoDns ${this.node.path}: record ${record.id} is in region ${record.region}, which is not a region of the plan (${props.plan.regions.map((r) => r.name).join(', ')})`);
      }
      const aliasTarget = props.aliasTargets?.[region.name];
      if (aliasTarget) {
        const bound = aliasTarget.bind(new RecordReference(this, `${id}-Ref`, record.name, 'A'), this.zone);
        answer = {
          type: 'A',
          aliasTarget: { dnsName: bound.dnsName, hostedZoneId: bound.hostedZoneId, evaluateTargetHealth: bound.evaluateTargetHealth ?? false },
        };
      } else {
        answer = { type: 'CNAME', ttl: String(dns.ttlSeconds), resourceRecords: [region.endpoint] };
      }
    }
    if (record.healthCheckId !== undefined) {
      const healthCheck = this.healthChecks[record.healthCheckId];
      if (!healthCheck) {
        throw new Error(`GeoDns ${this.node.path}: record ${record.id} refers to health check "${record.healthCheckId}", which is not in plan.dns.healthChecks (${Object.keys(this.healthChecks).join(', ')})`);
      }
      answer.healthCheckId = healthCheck.attrHealthCheckId;
    }
    const common = {
      name: record.name,
      ...answer,
      setIdentifier: record.setIdentifier,
      failover: record.failover,
      region: record.latencyRegion,
      weight: record.weight,
      geoLocation: record.geolocation
        ? { continentCode: record.geolocation.continentCode, countryCode: record.geolocation.countryCode }
        : undefined,
    };
    let resource: route53.CfnRecordSet | route53.CfnRecordSetGroup;
    if (record.geoproximity) {
      resource = new route53.CfnRecordSetGroup(this, id, {
        hostedZoneId: this.zone.hostedZoneId,
        comment: `Meridian ${props.plan.name}: geoproximity record ${record.setIdentifier}`,
        recordSets: [{
          ...common,
          geoProximityLocation: { awsRegion: record.geoproximity.awsRegion, bias: record.geoproximity.bias },
        }],
      });
    } else {
      resource = new route53.CfnRecordSet(this, id, { hostedZoneId: this.zone.hostedZoneId, ...common });
    }
    if (record.aliasTo) {
      // Route 53 refuses an alias whose target record set does not exist yet.
      const aliasName = record.aliasTo.name;
      const planned = dns.records.filter((r) => r.name === aliasName);
      const targets = planned.flatMap((r) => this.records[r.id] ?? []);
      if (targets.length === 0 || targets.length < planned.length) {
        throw new Error(`GeoDns ${this.node.path}: record ${record.id} aliases ${aliasName}, which has no record planned before it`);
      }
      // node.addDependency: DependsOn in every supported aws-cdk-lib, without CfnResource.addDependency's deprecation warning.
      for (const t of targets) resource.node.addDependency(t);
    }
    return resource;
  }
}

/** The Route 53 health check configuration of a planned health check. */
function healthCheckConfig(hc: PlannedHealthCheck, probedName?: string): route53.CfnHealthCheck.HealthCheckConfigProperty {
  const https = hc.protocol === 'HTTPS' || hc.protocol === 'HTTPS_STR_MATCH';
  return {
    type: hc.protocol,
    fullyQualifiedDomainName: probedName ?? hc.fqdn,
    port: hc.port,
    resourcePath: hc.protocol === 'TCP' ? undefined : hc.path,
    searchString: hc.searchString,
    requestInterval: hc.intervalSeconds,
    failureThreshold: hc.failureThreshold,
    regions: hc.checkerRegions ? [...hc.checkerRegions] : undefined,
    enableSni: https ? true : undefined,
  };
}

/** All the plan's Route 53 settings that Route 53 would refuse, reported at once. */
function validate(scope: Construct, props: GeoDnsProps): void {
  const problems: string[] = [];
  const check = (failed: boolean, message: string) => { if (failed) problems.push(message); };
  for (const hc of props.plan.dns.healthChecks) {
    check(!HEALTH_CHECK_INTERVALS.includes(hc.intervalSeconds),
      `health check ${hc.id}: intervalSeconds must be one of ${HEALTH_CHECK_INTERVALS.join(' or ')}, got ${hc.intervalSeconds}`);
    check(!Number.isInteger(hc.failureThreshold) || hc.failureThreshold < HEALTH_CHECK_FAILURE_THRESHOLD.min || hc.failureThreshold > HEALTH_CHECK_FAILURE_THRESHOLD.max,
      `health check ${hc.id}: failureThreshold must be between ${HEALTH_CHECK_FAILURE_THRESHOLD.min} and ${HEALTH_CHECK_FAILURE_THRESHOLD.max}, got ${hc.failureThreshold}`);
    check(hc.checkerRegions !== undefined && hc.checkerRegions.length < MIN_CHECKER_REGIONS,
      `health check ${hc.id}: checkerRegions must list at least ${MIN_CHECKER_REGIONS} regions, got ${hc.checkerRegions?.length} (${hc.checkerRegions?.join(', ')})`);
    const unknownCheckers = (hc.checkerRegions ?? []).filter((r) => !HEALTH_CHECKER_REGIONS.includes(r));
    check(unknownCheckers.length > 0,
      `health check ${hc.id}: checkerRegions must be Route 53 checker regions, got ${unknownCheckers.join(', ')}; allowed: ${HEALTH_CHECKER_REGIONS.join(', ')}`);
    const repeated = [...new Set((hc.checkerRegions ?? []).filter((r, i, all) => all.indexOf(r) !== i))];
    check(repeated.length > 0,
      `health check ${hc.id}: checkerRegions lists ${repeated.join(', ')} more than once`);
  }
  const dns = props.plan.dns;
  const apex = dns.recordName.replace(/\.$/, '').toLowerCase() === dns.zoneName.replace(/\.$/, '').toLowerCase();
  check(apex && !props.aliasTargets && dns.records.length > 0,
    `recordName ${dns.recordName} is the apex of zone ${dns.zoneName}, where Route 53 allows no CNAME; pass aliasTargets (A alias records) or use a name below the apex`);
  if (props.aliasTargets) {
    const recordRegions = [...new Set(props.plan.dns.records.flatMap((r) => (r.region !== undefined ? [r.region] : [])))];
    const missing = recordRegions.filter((r) => !props.aliasTargets![r]);
    check(missing.length > 0,
      `aliasTargets must name every region that has a record (${recordRegions.join(', ')}), missing: ${missing.join(', ')}; Route 53 cannot mix CNAME and alias records of one name`);
    const unknown = Object.keys(props.aliasTargets).filter((r) => !props.plan.regions.some((p) => p.name === r));
    check(unknown.length > 0,
      `aliasTargets names regions that are not in the plan: ${unknown.join(', ')}; allowed: ${props.plan.regions.map((r) => r.name).join(', ')}`);
  }
  if (problems.length > 0) {
    throw new Error(`GeoDns ${scope.node.path}: invalid DNS settings in plan "${props.plan.name}":\n  - ${problems.join('\n  - ')}`);
  }
}

/**
 * Stands in for the record when binding an alias target: `IAliasRecordTarget.bind` takes the record,
 * and the records here are L1 resources. Creates no CloudFormation resource.
 */
class RecordReference extends Resource implements route53.IRecordSet {
  public readonly domainName: string;
  public readonly recordSetRef: { readonly recordSetName: string; readonly type: string };

  constructor(scope: Construct, id: string, domainName: string, type: string) {
    super(scope, id);
    this.domainName = domainName;
    this.recordSetRef = { recordSetName: domainName, type };
  }
}

/** A zone the team brought, after checking that it is the plan's zone (values unknown at synth are not judged). */
function checkedZone(zone: route53.IHostedZone, plan: GeoPlan, who: string): route53.IHostedZone {
  const problems: ValidationProblem[] = [];
  const bare = (name: string) => name.replace(/\.$/, '').toLowerCase();
  if (!Token.isUnresolved(zone.zoneName) && bare(zone.zoneName) !== bare(plan.dns.zoneName)) {
    problems.push({ construct: who, prop: 'zone', value: zone.zoneName, allowed: plan.dns.zoneName, message: `zone is ${zone.zoneName} but the plan's records live in ${plan.dns.zoneName} (dns.zoneName)` });
  }
  if (plan.dns.zoneId !== undefined && !Token.isUnresolved(zone.hostedZoneId) && zone.hostedZoneId !== plan.dns.zoneId) {
    problems.push({ construct: who, prop: 'zone', value: zone.hostedZoneId, allowed: plan.dns.zoneId, message: `zone has id ${zone.hostedZoneId} but the spec names ${plan.dns.zoneId} (dns.zoneId)` });
  }
  if (problems.length > 0) throw new MeridianValidationError(problems);
  return zone;
}
