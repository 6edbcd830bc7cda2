/**
 * Provider-neutral facts: what the policy rules read. They are built from a GeoPlan (factsFromPlan) and,
 * later, from synthesized CloudFormation or Terraform JSON, where many values are unresolved tokens.
 *
 * Convention for every optional value below:
 *   - `undefined` means UNKNOWN: the value exists but could not be resolved. Rules report it as an
 *     explicit "unknown" finding and never treat it as compliant.
 *   - `null` means known to be ABSENT (no health check on this record, no residency declared, ...).
 *
 * Pure data: no aws-cdk-lib, cdktf or constructs import may ever appear in lib/facts.
 */
import type { Classification, Consistency, Engine, Mode, Role, Routing } from '../model/spec';

/** A value that may be unknown (`undefined`). */
export type Known<T> = T | undefined;
/** A value that may be unknown (`undefined`) or known to be absent (`null`). */
export type Optional<T> = T | null | undefined;

export interface RegionFact {
  /** AWS region code; the identity of the fact, always known. */
  readonly name: string;
  readonly role: Known<Role>;
  /** ISO 3166-1 alpha-2 code of the hosting country (from the region catalog). */
  readonly country: Known<string>;
  /** Jurisdiction this region serves (partitioned mode); null when the deployment is not partitioned. */
  readonly jurisdiction: Optional<string>;
  /** Data partition (see DatabaseFact.partitionId) this region belongs to. */
  readonly partitionId: Known<string>;
  /** True when the application may write in this region. */
  readonly acceptsWrites: Known<boolean>;
  /** Peak requests per second the region serves; null when not declared. */
  readonly peakRps: Optional<number>;
  /** Requests per second the region can serve at most; null when not declared. */
  readonly capacityRps: Optional<number>;
}

export interface GeoLocationFact {
  readonly continentCode?: string;
  /** `*` marks the default record. */
  readonly countryCode?: string;
  readonly subdivisionCode?: string;
}

export interface DnsRecordFact {
  /** Resource identity (the record's set identifier, or its logical id). */
  readonly id: string;
  /** The DNS name the record answers for. */
  readonly name: Known<string>;
  /** Routing policy; `simple` for a plain record. */
  readonly routing: Known<Routing | 'simple'>;
  /** TTL in seconds; null for alias records, which have no TTL of their own. */
  readonly ttlSeconds: Optional<number>;
  readonly setIdentifier: Optional<string>;
  /** Region whose endpoint the record answers with. */
  readonly region: Optional<string>;
  readonly failover: Optional<'PRIMARY' | 'SECONDARY'>;
  readonly geolocation: Optional<GeoLocationFact>;
  /** Id of the HealthCheckFact the record is tied to; null when it has none. */
  readonly healthCheckId: Optional<string>;
  /** Record type: A, AAAA, CNAME, ... */
  readonly type: Known<string>;
  /** Resource records; null for alias records. */
  readonly values: Optional<readonly string[]>;
  /** Alias target; null when the record is not an alias. */
  readonly aliasTarget: Optional<AliasTargetFact>;
  /** Latency routing: the region the record's latency is measured to; null for other policies. */
  readonly latencyRegion: Optional<string>;
  /** Weighted routing: the weight; null for other policies. */
  readonly weight: Optional<number>;
  /** Geoproximity routing: the location and bias; null for other policies. */
  readonly geoproximity: Optional<{ readonly awsRegion?: string; readonly coordinates?: { latitude: number; longitude: number }; readonly bias: number }>;
}

export interface AliasTargetFact {
  /** DNS name the alias points at (another record set of the zone, a load balancer, ...). */
  readonly dnsName: Known<string>;
  readonly evaluateTargetHealth: Known<boolean>;
}

export interface HealthCheckFact {
  readonly id: string;
  /** Region whose endpoint the check probes. */
  readonly region: Optional<string>;
  readonly type: Known<string>;
  readonly fqdn: Optional<string>;
  readonly intervalSeconds: Known<number>;
  readonly failureThreshold: Known<number>;
}

export interface KmsKeyFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly rotation: Known<boolean>;
  readonly multiRegion: Known<boolean>;
}

export type DatabaseMemberRole = 'primary' | 'secondary' | 'replica';

export interface DatabaseMemberFact {
  /** Cluster identifier (Aurora) or `<table>@<region>` (DynamoDB replica). */
  readonly id: string;
  readonly region: Known<string>;
  /** primary: the writer; secondary: Aurora read-only member; replica: DynamoDB replica (writes everywhere). */
  readonly role: Known<DatabaseMemberRole>;
  readonly encrypted: Known<boolean>;
  /** Region of the KMS key that encrypts this member's storage; null when AWS-owned or no key. */
  readonly keyRegion: Optional<string>;
  readonly deletionProtection: Known<boolean>;
  /** Aurora DB instances in this member (0 = headless); null for DynamoDB. */
  readonly instances: Optional<number>;
}

export interface DatabaseFact {
  /** Global cluster identifier (Aurora) or global table name (DynamoDB). */
  readonly id: string;
  readonly engine: Known<Engine>;
  readonly partitionId: Known<string>;
  /** Jurisdiction whose data this database holds (partitioned mode); null otherwise. */
  readonly jurisdiction: Optional<string>;
  readonly members: readonly DatabaseMemberFact[];
  /** Regions that receive copies of backups, beyond each member's own region. */
  readonly backupRegions: Known<readonly string[]>;
}

export interface NetworkFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly cidr: Known<string>;
}

export interface PeeringFact {
  readonly id: string;
  readonly requesterRegion: Known<string>;
  readonly accepterRegion: Known<string>;
  /**
   * Whether each side has a route to the other's CIDR. null when the facts do not carry routes (a plan
   * leaves routes to the renderer); a side that is undefined could not be resolved.
   */
  readonly routes: Optional<{ readonly requester: Known<boolean>; readonly accepter: Known<boolean> }>;
}

export type AlarmKindFact = 'replication-lag' | 'rpo-lag' | 'writer-unavailable' | 'health-check' | 'replication-stalled' | 'other';

export interface AlarmFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly metric: Known<string>;
  readonly kind: Known<AlarmKindFact>;
  readonly level: Optional<'warning' | 'critical'>;
  /** Threshold converted to seconds for lag alarms; null for alarms that do not measure time. */
  readonly thresholdSeconds: Optional<number>;
  /** The region whose health or data the alarm watches (for lag: the receiving region). */
  readonly subjectRegion: Known<string>;
}

export interface StopConditionFact {
  /** `aws:cloudwatch:alarm` or `none`. */
  readonly source: Known<string>;
  /** Id of the AlarmFact (for CloudWatch sources); null for `none`. */
  readonly alarmId: Optional<string>;
}

export interface ExperimentFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly actions: Known<readonly string[]>;
  readonly stopConditions: Known<readonly StopConditionFact[]>;
}

export interface QuorumFact {
  /** N */
  readonly replicas: Known<number>;
  /** W */
  readonly writeQuorum: Known<number>;
  /** R */
  readonly readQuorum: Known<number>;
}

export interface DataFact {
  readonly engine: Known<Engine>;
  readonly classification: Known<Classification>;
  /** Jurisdiction codes (countries, EU, EEA) the data may live in; null when none is declared. */
  readonly residency: Optional<readonly string[]>;
  readonly consistency: Known<Consistency>;
  readonly quorum: Optional<QuorumFact>;
}

export interface ObjectivesFact {
  readonly rtoSeconds: Known<number>;
  readonly rpoSeconds: Known<number>;
}

export interface SuppressionFact {
  /** Rule id, e.g. GEO-DNS-001. */
  readonly rule: string;
  /** Why the finding is accepted; required, a suppression without one is ignored and reported. */
  readonly reason: string;
  /** Last day (YYYY-MM-DD, UTC) the suppression applies. */
  readonly expires?: string;
  /** Only findings on this resource or region; absent = every finding of the rule. */
  readonly resource?: string;
}

export interface Facts {
  /** Name of the topology the facts describe, for reports. */
  readonly topology: Known<string>;
  readonly mode: Known<Mode>;
  readonly regions: readonly RegionFact[];
  readonly dns: {
    readonly records: readonly DnsRecordFact[];
    readonly healthChecks: readonly HealthCheckFact[];
  };
  readonly keys: readonly KmsKeyFact[];
  readonly databases: readonly DatabaseFact[];
  readonly networks: readonly NetworkFact[];
  readonly peerings: readonly PeeringFact[];
  readonly alarms: readonly AlarmFact[];
  readonly experiments: readonly ExperimentFact[];
  /** null when the facts describe no stateful data at all. */
  readonly data: Optional<DataFact>;
  /** null when no RTO/RPO objectives are declared. */
  readonly objectives: Optional<ObjectivesFact>;
  readonly suppressions: readonly SuppressionFact[];
}

/** An empty fact set; handy as a base for hand-written facts (`{ ...emptyFacts(), regions: [...] }`). */
export function emptyFacts(): Facts {
  return {
    topology: undefined,
    mode: undefined,
    regions: [],
    dns: { records: [], healthChecks: [] },
    keys: [],
    databases: [],
    networks: [],
    peerings: [],
    alarms: [],
    experiments: [],
    data: null,
    objectives: null,
    suppressions: [],
  };
}
