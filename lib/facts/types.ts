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

/*
 * Fields added after the first release of the facts are declared optional (`field?:`). A missing field
 * reads as `undefined`, i.e. UNKNOWN, so hand-written facts that predate them keep compiling and the
 * rules that need them report unknown instead of passing.
 */

/** Where a fact came from: the file, the line of its id in that file, and the CFN logical id / TF address. */
export interface SourceLocation {
  readonly file: string;
  readonly line?: number;
  /** CloudFormation logical id or Terraform resource address. */
  readonly id?: string;
}

/**
 * What happens to a resource when its stack is deleted or the resource is replaced:
 *   - `retain`: the resource survives (CloudFormation `DeletionPolicy: Retain`, Terraform
 *     `lifecycle.prevent_destroy`, which refuses the destroy so the resource stays);
 *   - `snapshot`: deleted after a final snapshot (CloudFormation `Snapshot`; Terraform
 *     `skip_final_snapshot = false` on a database cluster);
 *   - `delete`: deleted.
 */
export type RemovalFact = 'retain' | 'snapshot' | 'delete';

/** One IAM policy statement, as far as the checks need it. */
export interface IamStatementFact {
  readonly effect: Known<'Allow' | 'Deny'>;
  /** Actions; an unresolvable entry makes the whole list unknown. */
  readonly actions: Known<readonly string[]>;
  /** Resource ARNs or `*`; undefined entries are ARNs that could not be resolved. */
  readonly resources: Known<readonly Known<string>[]>;
  /** Condition block as written (operator → key → values), null when there is none. */
  readonly condition?: Optional<Readonly<Record<string, Readonly<Record<string, unknown>>>>>;
}

/** An IAM role, with every statement of its inline and attached customer policies. */
export interface RoleFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly name: Optional<string>;
  /** Service principals allowed to assume it (`fis.amazonaws.com`). */
  readonly assumedBy: Known<readonly string[]>;
  readonly statements: Known<readonly IamStatementFact[]>;
  /** ARNs of AWS managed policies attached to it. */
  readonly managedPolicies?: Known<readonly string[]>;
  readonly source?: SourceLocation;
}

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

/**
 * What an alias target outside the zone is, in words both readers share: `load-balancer`,
 * `cloudfront-distribution`, `api-gateway-domain`, `s3-website`, `global-accelerator`,
 * `elastic-beanstalk`, `vpc-endpoint`; any other resource by its CloudFormation / Terraform type.
 */
export type AliasResourceKind = string;

/** A resource of the artifact (not a record set of the zone) that an alias record leads to. */
export interface AliasResourceFact {
  readonly kind: AliasResourceKind;
  /** CloudFormation type or Terraform resource type. */
  readonly type: string;
  /** CloudFormation logical id or Terraform address. */
  readonly id: string;
  /** Region the resource lives in; null for a global one (a CloudFront distribution, an accelerator). */
  readonly region: Optional<string>;
  readonly source?: SourceLocation;
}

/** The target of a Route 53 alias record. */
export interface AliasTargetFact {
  /**
   * DNS name the alias points at (another record set of the zone, a load balancer, ...): unknown when it
   * is built at deploy time, even when `resource` says what it names.
   */
  readonly dnsName: Known<string>;
  readonly evaluateTargetHealth: Known<boolean>;
  /** Hosted zone of the target, when it is written down. */
  readonly hostedZoneId?: Known<string>;
  /**
   * The resource of the artifact whose DNS name the alias names (a load balancer's `DNSName`
   * attribute): the alias leads out of the zone. Absent when the name is a literal, a record set of
   * the zone, or unresolved.
   */
  readonly resource?: AliasResourceFact;
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
  /** Record type: A | AAAA | CNAME | ... */
  readonly type?: Known<string>;
  /** Resource records; null for alias records. */
  readonly values?: Optional<readonly string[]>;
  /** Where an alias record points; null when the record is not an alias. */
  readonly aliasTarget?: Optional<AliasTargetFact>;
  /** Region of a latency record; null for other routing policies. */
  readonly latencyRegion?: Optional<string>;
  /** Weight of a weighted record; null for other routing policies. */
  readonly weight?: Optional<number>;
  /** Geoproximity location and bias; null for other routing policies. */
  readonly geoproximity?: Optional<{
    readonly awsRegion?: string;
    readonly coordinates?: { readonly latitude: number; readonly longitude: number };
    readonly bias: number;
  }>;
  /** Hosted zone (name, without trailing dot) the record lives in. */
  readonly zoneName?: Known<string>;
  readonly source?: SourceLocation;
}

export interface HealthCheckFact {
  readonly id: string;
  /** Region whose endpoint the check probes. */
  readonly region: Optional<string>;
  readonly type: Known<string>;
  readonly fqdn: Optional<string>;
  readonly intervalSeconds: Known<number>;
  readonly failureThreshold: Known<number>;
  readonly port?: Optional<number>;
  /** HTTP(S) path; null for TCP checks. */
  readonly path?: Optional<string>;
  /** String to match (the *_STR_MATCH types); null otherwise. */
  readonly searchString?: Optional<string>;
  /** Route 53 checker regions; null = Route 53's default set. */
  readonly checkerRegions?: Optional<readonly string[]>;
  readonly source?: SourceLocation;
}

export interface KmsKeyFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly rotation: Known<boolean>;
  readonly multiRegion: Known<boolean>;
  /** Alias names (`alias/...`) that point at the key. */
  readonly aliases?: Known<readonly string[]>;
  readonly removal?: Known<RemovalFact>;
  /** Waiting period before deletion, days. */
  readonly pendingWindowDays?: Optional<number>;
  /**
   * True when a database member, secret or log group of the facts uses the key; false when none does
   * (a key that only encrypts an alert topic holds no data for the residency rules); unknown when some
   * encryption key could not be resolved.
   */
  readonly encryptsData?: Known<boolean>;
  readonly source?: SourceLocation;
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
  /** Id of the KmsKeyFact that encrypts this member; null when AWS-owned or no key. */
  readonly keyId?: Optional<string>;
  readonly removal?: Known<RemovalFact>;
  /** Aurora: the master user name (primary only; null on secondaries, which inherit it). */
  readonly masterUsername?: Optional<string>;
  /** Aurora: cluster parameter group parameters; null when the default group is used. */
  readonly parameters?: Optional<Readonly<Record<string, string>>>;
  /** Aurora: the log types exported to CloudWatch Logs. */
  readonly logExports?: Known<readonly string[]>;
  /** Aurora secondary: the SourceRegion it replicates from; null when not set. */
  readonly sourceRegion?: Optional<string>;
  readonly backupRetentionDays?: Optional<number>;
  readonly source?: SourceLocation;
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
  /** The global cluster (Aurora) itself; null for DynamoDB, whose table is the global resource. */
  readonly removal?: Optional<RemovalFact>;
  readonly deletionProtection?: Optional<boolean>;
  /** True when the global cluster's storage is encrypted (Aurora); null for DynamoDB. */
  readonly storageEncrypted?: Optional<boolean>;
  readonly source?: SourceLocation;
}

/** A secret (the database master credentials). */
export interface SecretFact {
  readonly id: string;
  readonly region: Known<string>;
  /** Regions the secret is replicated to. */
  readonly replicaRegions: Known<readonly string[]>;
  /** Region of the KMS key that encrypts it; null for the AWS managed key. */
  readonly keyRegion: Optional<string>;
  readonly removal: Known<RemovalFact>;
  readonly source?: SourceLocation;
}

/** A CloudWatch Logs log group. */
export interface LogGroupFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly name: Known<string>;
  readonly retentionDays: Optional<number>;
  /** Region of the KMS key that encrypts it; null when not customer-key encrypted. */
  readonly keyRegion: Optional<string>;
  readonly removal: Known<RemovalFact>;
  readonly source?: SourceLocation;
}

/** One ingress rule of a security group. */
export interface IngressRuleFact {
  readonly protocol: Known<string>;
  readonly fromPort: Optional<number>;
  readonly toPort: Optional<number>;
  /** Source CIDR; null when the source is a security group or prefix list. */
  readonly cidr: Optional<string>;
  readonly sourceSecurityGroupId?: Optional<string>;
}

export interface SecurityGroupFact {
  readonly id: string;
  readonly region: Known<string>;
  /** Id of the NetworkFact (VPC) it belongs to. */
  readonly networkId: Known<string>;
  readonly ingress: Known<readonly IngressRuleFact[]>;
  readonly source?: SourceLocation;
}

/** One route of a route table. */
export interface RouteFact {
  readonly destinationCidr: Known<string>;
  /** Id of the PeeringFact the route points at; null when it targets something else. */
  readonly peeringId: Optional<string>;
  /** Any other target (gateway, NAT, ...), for display. */
  readonly target?: Optional<string>;
}

export interface RouteTableFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly networkId: Known<string>;
  readonly routes: Known<readonly RouteFact[]>;
  readonly source?: SourceLocation;
}

export interface SubnetFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly networkId: Known<string>;
  readonly cidr: Known<string>;
  readonly availabilityZone: Known<string>;
  /** Value of the `meridian:subnet-tier` tag (`data`, `public`, `application` on subnets Meridian lays out); null when untagged. */
  readonly tier: Optional<string>;
  readonly source?: SourceLocation;
}

/** A VPC endpoint (an interface endpoint of an AWS service, or a gateway endpoint). */
export interface VpcEndpointFact {
  /** `<service name>@<network id>` when both are known, else where it came from. */
  readonly id: string;
  readonly region: Known<string>;
  /** Id of the NetworkFact (VPC) it belongs to. */
  readonly networkId: Known<string>;
  /** Endpoint service name, e.g. `com.amazonaws.us-east-1.kms`. */
  readonly serviceName: Known<string>;
  /** `Interface`, `Gateway` or `GatewayLoadBalancer`; undefined when not written (not guessed from a default). */
  readonly type: Known<string>;
  /** Whether the service's default DNS name resolves to the endpoint inside the VPC; undefined when not written. */
  readonly privateDns: Known<boolean>;
  readonly source?: SourceLocation;
}

export interface NetworkFact {
  readonly id: string;
  readonly region: Known<string>;
  readonly cidr: Known<string>;
  readonly source?: SourceLocation;
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
  readonly requesterCidr?: Known<string>;
  readonly accepterCidr?: Known<string>;
  readonly source?: SourceLocation;
}

export type AlarmKindFact = 'replication-lag' | 'rpo-lag' | 'writer-unavailable' | 'health-check' | 'other';

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
  readonly namespace?: Known<string>;
  /** Metric dimensions; a dimension whose value could not be resolved is undefined. */
  readonly dimensions?: Known<Readonly<Record<string, Known<string>>>>;
  /** Unit of the metric; null when the alarm does not name one. */
  readonly unit?: Optional<string>;
  readonly statistic?: Known<string>;
  /** Threshold in the metric's unit (milliseconds for the lag metrics). */
  readonly threshold?: Known<number>;
  readonly comparison?: Known<string>;
  readonly periodSeconds?: Known<number>;
  readonly evaluationPeriods?: Known<number>;
  readonly treatMissingData?: Known<'missing' | 'breaching' | 'notBreaching' | 'ignore'>;
  /** CloudWatch alarm name (what FIS stop conditions and consoles refer to). */
  readonly name?: Known<string>;
  /**
   * The metric-math expression the alarm evaluates; null for a single-metric alarm. For a math alarm,
   * namespace, metric, dimensions, statistic and period are those of its first (headline) metric.
   */
  readonly expression?: Optional<string>;
  readonly source?: SourceLocation;
}

export interface StopConditionFact {
  /** `aws:cloudwatch:alarm` or `none`. */
  readonly source: Known<string>;
  /** Id of the AlarmFact (for CloudWatch sources); null for `none`. */
  readonly alarmId: Optional<string>;
}

export interface ExperimentActionFact {
  /** The action's key in the template. */
  readonly name: string;
  /** e.g. `aws:network:route-table-disrupt-cross-region-connectivity`. */
  readonly actionId: Known<string>;
  readonly parameters: Known<Readonly<Record<string, Known<string>>>>;
  /** Target type (`Subnets`, `Clusters`, ...) → key of an ExperimentTargetFact. */
  readonly targets: Known<Readonly<Record<string, string>>>;
  /** Names of the actions this one starts after; empty when it starts at once. */
  readonly startAfter: Known<readonly string[]>;
}

export interface ExperimentTargetFact {
  readonly key: string;
  /** e.g. `aws:ec2:subnet`, `aws:rds:cluster`, `aws:dynamodb:global-table`. */
  readonly resourceType: Known<string>;
  /** `ALL`, `COUNT(n)`, `PERCENT(n)`. */
  readonly selectionMode: Known<string>;
  /** Resources selected by tags; null when selected by ARN. */
  readonly resourceTags: Optional<Readonly<Record<string, string>>>;
  /** Resources selected by ARN; null when selected by tags; undefined entries could not be resolved. */
  readonly resourceArns: Optional<readonly Known<string>[]>;
}

export interface ExperimentFact {
  readonly id: string;
  readonly region: Known<string>;
  /** Action ids, in template order. */
  readonly actions: Known<readonly string[]>;
  readonly stopConditions: Known<readonly StopConditionFact[]>;
  /** The actions in detail. */
  readonly actionDetails?: Known<readonly ExperimentActionFact[]>;
  readonly targets?: Known<readonly ExperimentTargetFact[]>;
  /** The role FIS assumes to run the experiment; its statements are the experiment's permissions. */
  readonly role?: Optional<RoleFact>;
  readonly description?: Known<string>;
  readonly source?: SourceLocation;
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
  /** Security groups with their ingress rules (absent: the source does not describe them). */
  readonly securityGroups?: readonly SecurityGroupFact[];
  /** Route tables with their routes (absent: the source does not describe them). */
  readonly routeTables?: readonly RouteTableFact[];
  readonly subnets?: readonly SubnetFact[];
  /** VPC endpoints (absent: the source does not describe them). */
  readonly vpcEndpoints?: readonly VpcEndpointFact[];
  readonly secrets?: readonly SecretFact[];
  readonly logGroups?: readonly LogGroupFact[];
  /** null when the facts describe no stateful data at all. */
  readonly data: Optional<DataFact>;
  /** null when no RTO/RPO objectives are declared. */
  readonly objectives: Optional<ObjectivesFact>;
  readonly suppressions: readonly SuppressionFact[];
  /**
   * Automation that replaces human decisions. Absent or undefined: not known (the estimate then assumes
   * a human decides, as it always did); null: the source declares none.
   */
  readonly automation?: Optional<AutomationFact>;
}

/** Automated recovery the deployment carries. */
export interface AutomationFact {
  /** An alarm-triggered region failover (an ARC Region switch plan with a trigger). */
  readonly regionFailover: Known<boolean>;
  /** An alarm-triggered failover when the writer alone is lost (a trigger on the writer alarm). */
  readonly writerFailover?: Known<boolean>;
  /** How long the primary must be unhealthy before the trigger fires, seconds (undefined: not known). */
  readonly sustainedSeconds?: Known<number>;
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

/** One Facts per topology found in an input, plus the files the facts were read from. */
export interface FactsSet {
  /**
   * Grouped by the `meridian:topology` tag; resources of an app that carries no such tag form one group
   * named after the input.
   */
  readonly facts: readonly Facts[];
  readonly files: readonly string[];
}

/** What a path given to the readers turned out to be (detected by content). */
export type InputKind = 'spec' | 'cloud-assembly' | 'cloudformation-template' | 'terraform';
