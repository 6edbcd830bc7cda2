/**
 * GeoPlan: a spec resolved into pure data. Every identifier a renderer needs is fixed here, so the AWS
 * CDK and CDK for Terraform renderers are driven by the same data and produce the same names.
 */
import type {
  ApplicationSubnetLayout, Classification, Consistency, Engine, ExperimentKind, HealthProtocol, Mode, PeeringTopology, Role, Routing,
} from './spec';
import type { ContinentCode, Partition } from './regions';

export interface PlannedRegion {
  /** AWS region code. */
  readonly name: string;
  readonly role: Role;
  /** 0-based position in the spec. */
  readonly index: number;
  /** Short token for construct ids and names, e.g. `use1` for us-east-1. */
  readonly short: string;
  readonly country: string;
  readonly continent: ContinentCode;
  readonly partition: Partition;
  /** Jurisdiction this region serves (partitioned mode), or undefined. */
  readonly jurisdiction?: string;
  /** Id of the data partition this region belongs to (see GeoPlan.partitions). */
  readonly partitionId: string;
  /** True when this region holds the writer of its data partition. */
  readonly isDataPrimary: boolean;
  /** True when the application may write in this region (writer, or write forwarding / DynamoDB). */
  readonly acceptsWrites: boolean;
  readonly cidr: string;
  /** True when the CIDR came from the spec, false when allocated. */
  readonly cidrFromSpec: boolean;
  /** Application endpoint FQDN that health checks probe and records answer with. */
  readonly endpoint: string;
  readonly peakRps?: number;
  readonly capacityRps?: number;
  /** CloudFormation stack name / cdktf stack name for this region. */
  readonly stackName: string;
  /** KMS alias for the region's customer-managed key, `alias/...`. */
  readonly keyAlias: string;
  readonly vpcName: string;
  /** Aurora: DB cluster identifier in this region. */
  readonly clusterIdentifier: string;
  /** Aurora: number of DB instances (0 = headless secondary). */
  readonly instances: number;
  readonly alertTopicName: string;
  /** Aurora: promotion tier of each instance, in instance order (the first instance is the writer). */
  readonly promotionTiers: readonly number[];
  /** Availability Zones the region's data subnets spread over (never more than the catalog's reliable count). */
  readonly availabilityZoneCount: number;
  /** Isolated data subnets, one per Availability Zone, at the bottom of the region CIDR. */
  readonly dataSubnets: readonly PlannedSubnet[];
  /** Subnets for the region's own services, after the data subnets (layout `none`: no subnets). */
  readonly applicationSubnets: PlannedApplicationSubnets;
  /** CIDRs admitted to the database port: the region's own, then its peers of the same data partition. */
  readonly databaseClientCidrs: readonly PlannedClientCidr[];
  /** Tags every resource of this region carries. */
  readonly tags: Readonly<Record<string, string>>;
}

/** The application subnets of a region: what `applicationSubnets` of the spec resolves to. */
export interface PlannedApplicationSubnets {
  readonly layout: ApplicationSubnetLayout;
  /** Public subnets (load balancers), one per zone; `public-and-private` only. */
  readonly public: readonly PlannedSubnet[];
  /** Private subnets for services, one per zone: with egress through NAT (`public-and-private`) or none (`private-with-endpoints`). */
  readonly private: readonly PlannedSubnet[];
  /** NAT gateways: one per zone with `public-and-private`, so losing a zone does not cut the others' egress. */
  readonly natGateways: number;
  /** AWS services reached through interface endpoints in the private subnets (`private-with-endpoints`). */
  readonly interfaceEndpoints: readonly string[];
  /**
   * Whether an instance launched into one of these subnets gets a public IPv4 address: never. An
   * internet-facing load balancer gets its own addresses; services sit in the private subnets.
   */
  readonly mapPublicIpOnLaunch: boolean;
  /** How the interface endpoints are reached; null without interface endpoints. */
  readonly endpointAccess: PlannedEndpointAccess | null;
}

/** The interface endpoints of a region: their service names, who reaches them and how. */
export interface PlannedEndpointAccess {
  /** Endpoint service name in this region by service of `interfaceEndpoints` (e.g. `com.amazonaws.us-east-1.kms`). */
  readonly serviceNames: Readonly<Record<string, string>>;
  /** The port their security group opens: the AWS SDKs call these services over HTTPS. */
  readonly port: number;
  /** CIDRs admitted to that port: the region's own VPC (a peered region uses the endpoints of its own VPC). */
  readonly clientCidrs: readonly string[];
  /** Private DNS: the services' default names resolve to the endpoints inside the VPC, so SDKs need no endpoint setting. */
  readonly privateDns: boolean;
}

/** One isolated data subnet of a region. */
export interface PlannedSubnet {
  readonly cidr: string;
  /** Index into the zones the region reports (`Fn::GetAZs` / `aws_availability_zones`), below `availabilityZoneCount`. */
  readonly zoneIndex: number;
}

/** A CIDR admitted to a region's database port, with the region it belongs to. */
export interface PlannedClientCidr {
  readonly cidr: string;
  readonly region: string;
}

/**
 * What happens to a resource when its stack or Terraform configuration is destroyed: `retain` keeps it
 * (CloudFormation `Retain`, Terraform `prevent_destroy`), `snapshot` keeps a final snapshot.
 */
export type PlannedRemoval = 'retain' | 'snapshot';

/** Retention and removal of every stateful resource, decided once for both renderers. */
export interface PlannedRetention {
  /** The public hosted zone the deployment creates (its name servers are delegated to by the parent zone). */
  readonly hostedZone: PlannedRemoval;
  readonly keys: PlannedRemoval;
  readonly logGroups: PlannedRemoval;
  readonly masterSecret: PlannedRemoval;
  readonly globalCluster: PlannedRemoval;
  readonly clusters: PlannedRemoval;
  readonly tables: PlannedRemoval;
  /** Retention of every log group the deployment creates (a period CloudWatch Logs offers). */
  readonly logRetentionDays: number;
  /** KMS key deletion window. */
  readonly keyDeletionWindowDays: number;
  /** Secrets Manager recovery window of the master secret. */
  readonly secretRecoveryWindowDays: number;
}

/** One data partition: one Aurora global cluster or one DynamoDB global table. */
export interface PlannedDataPartition {
  readonly id: string;
  /** The jurisdiction (partitioned mode), or undefined when the whole deployment is one partition. */
  readonly jurisdiction?: string;
  /** Region that holds the writer (Aurora) or was listed first (DynamoDB). */
  readonly primaryRegion: string;
  /** Every region holding a copy, primary first. */
  readonly regions: readonly string[];
  readonly globalClusterIdentifier: string;
  readonly tableName: string;
  /** Aurora: name of the Secrets Manager secret with the master credentials, in the primary region. */
  readonly masterSecretName: string;
  /**
   * Aurora: regions the master secret is replicated to, each encrypted with that region's key: every
   * other region of the partition, so a promoted secondary has credentials after a failover.
   */
  readonly masterSecretReplicaRegions: readonly string[];
}

export interface PlannedData {
  readonly engine: Engine;
  readonly classification: Classification;
  /** Jurisdiction codes as written (e.g. ['EU']), or undefined when unrestricted. */
  readonly residency?: readonly string[];
  /** Residency expanded to ISO country codes, sorted. */
  readonly allowedCountries?: readonly string[];
  readonly consistency: Consistency;
  readonly quorum?: { readonly replicas: number; readonly writeQuorum: number; readonly readQuorum: number };
  readonly engineVersion: string;
  readonly instanceClass: string;
  readonly writeForwarding: boolean;
  readonly backupRetentionDays: number;
  readonly databaseName: string;
  readonly port: number;
  readonly partitions: readonly PlannedDataPartition[];
  /** Aurora: user name of the master user (one for every cluster and both renderers). */
  readonly masterUsername: string;
  /** Aurora: cluster parameter-group family, e.g. `aurora-postgresql16`. */
  readonly clusterParameterFamily: string;
  /**
   * Aurora: cluster parameters, the same on every cluster of a global database (a secondary becomes
   * the primary after a failover and must not change behaviour).
   */
  readonly clusterParameters: Readonly<Record<string, string>>;
  /** Aurora: log types exported to CloudWatch Logs (`/aws/rds/cluster/<id>/<type>`). */
  readonly logExports: readonly string[];
  /** Aurora: enhanced monitoring interval of the instances, seconds (0 = off). */
  readonly monitoringIntervalSeconds: number;
  /** Aurora: Performance Insights retention, days. */
  readonly performanceInsightsRetentionDays: number;
}

export interface PlannedPeering {
  /** Stable id, `<requester short>-<accepter short>`. */
  readonly id: string;
  readonly name: string;
  readonly requesterRegion: string;
  readonly accepterRegion: string;
  readonly requesterCidr: string;
  readonly accepterCidr: string;
  /** Which sides get a route to the other side's CIDR through the connection (in the data route tables). */
  readonly routes?: { readonly requester: boolean; readonly accepter: boolean };
}

/** Protection of stateful resources, decided once for every renderer (DESIGN.md: security by default). */
export interface PlannedProtection {
  readonly keyRotation: boolean;
  readonly storageEncrypted: boolean;
  readonly deletionProtection: boolean;
}

export interface PlannedHealthCheck {
  readonly id: string;
  readonly name: string;
  readonly region: string;
  readonly fqdn: string;
  readonly protocol: HealthProtocol;
  readonly port: number;
  readonly path?: string;
  readonly searchString?: string;
  readonly intervalSeconds: number;
  readonly failureThreshold: number;
  readonly checkerRegions?: readonly string[];
}

export interface PlannedRecord {
  /** Stable id for construct ids / resource names. */
  readonly id: string;
  /**
   * DNS name of the record set: `dns.recordName` for the records clients query, or the name of a
   * jurisdiction's record set (`<jurisdiction>.<recordName>`) that those records alias to.
   */
  readonly name: string;
  /** Region whose endpoint the record answers with; undefined for an alias to another record set of the zone. */
  readonly region?: string;
  readonly setIdentifier: string;
  /** Planned health check id; undefined for aliases to a record set, which take their health from it. */
  readonly healthCheckId?: string;
  /**
   * Alias to another record set of the zone (same type). With `evaluateTargetHealth` the alias is
   * healthy only while the target name has a healthy record, so Route 53 falls back past it.
   */
  readonly aliasTo?: { readonly name: string; readonly evaluateTargetHealth: boolean };
  readonly failover?: 'PRIMARY' | 'SECONDARY';
  readonly latencyRegion?: string;
  readonly geolocation?: { readonly continentCode?: string; readonly countryCode?: string };
  readonly geoproximity?: { readonly awsRegion: string; readonly bias: number };
  readonly weight?: number;
}

export interface PlannedDns {
  readonly zoneName: string;
  readonly zoneId?: string;
  readonly recordName: string;
  readonly routing: Routing;
  readonly ttlSeconds: number;
  /**
   * Partitioned geolocation: whether a jurisdiction whose regions are all down falls back to the
   * default record (another jurisdiction). False keeps its users inside it, without a healthy answer.
   */
  readonly crossBorderFallback: boolean;
  readonly healthChecks: readonly PlannedHealthCheck[];
  /** Every record set, in creation order: alias targets come before the aliases that lead to them. */
  readonly records: readonly PlannedRecord[];
  /** Route 53 is global; its resources and their alarms live in this region's stack. */
  readonly homeRegion: string;
  readonly stackName: string;
  /** SNS topic for the health-check alarms, in the home region. */
  readonly alertTopicName: string;
  /** Alias of the home region's key that encrypts that topic (the DNS stack owns its own key). */
  readonly keyAlias: string;
}

export type AlarmKind = 'replication-lag' | 'rpo-lag' | 'writer-unavailable' | 'health-check' | 'replication-stalled';
export type AlarmLevel = 'warning' | 'critical';

/**
 * The resource policy of an alert topic: publishing only over TLS, and CloudWatch alarms of the
 * deployment's own account allowed to publish (a topic policy replaces SNS's default one).
 */
export interface PlannedTopicPolicy {
  /** Deny `sns:Publish` when `aws:SecureTransport` is false. */
  readonly enforceTls: boolean;
  /** Allow `cloudwatch.amazonaws.com` to publish, for alarms of this account and region only. */
  readonly allowCloudWatchAlarms: boolean;
}

/** One metric of a metric-math alarm. */
export interface PlannedAlarmMetric {
  /** Id the expression refers to (lower-case letter first). */
  readonly id: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Maximum' | 'Average' | 'Minimum';
}

/** A metric-math expression an alarm watches instead of its single metric. */
export interface PlannedAlarmMath {
  readonly expression: string;
  readonly label: string;
  /** The metrics the expression reads, at the alarm's period. */
  readonly metrics: readonly PlannedAlarmMetric[];
}

export interface PlannedAlarm {
  readonly id: string;
  readonly name: string;
  /** Region the alarm (and its metric) lives in. */
  readonly region: string;
  readonly kind: AlarmKind;
  readonly level: AlarmLevel;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Maximum' | 'Average' | 'Minimum';
  /** Threshold in the metric's unit (milliseconds for lag metrics). */
  readonly threshold: number;
  /** Threshold in seconds, as the user wrote it, for lag alarms. */
  readonly thresholdSeconds?: number;
  readonly comparison: 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';
  readonly periodSeconds: number;
  readonly evaluationPeriods: number;
  readonly treatMissingData: 'missing' | 'breaching' | 'notBreaching' | 'ignore';
  /** The region whose health or data this alarm watches (for lag: the receiving region). */
  readonly subjectRegion: string;
  readonly description: string;
  /**
   * When set, the alarm evaluates this expression (over `math.metrics`) instead of the single metric
   * above; `namespace`, `metricName` and `dimensions` then name the expression's headline metric.
   */
  readonly math?: PlannedAlarmMath;
}

export interface PlannedExperimentAction {
  readonly name: string;
  readonly actionId: string;
  readonly parameters: Readonly<Record<string, string>>;
  /** Target key, e.g. `Subnets`, `Clusters`, `Tables`. */
  readonly targetKey: string;
  readonly startAfter?: readonly string[];
}

export interface PlannedExperimentTarget {
  readonly key: string;
  /** e.g. `aws:ec2:subnet`, `aws:rds:cluster`, `aws:dynamodb:global-table`. */
  readonly resourceType: string;
  readonly selectionMode: 'ALL';
  /** Resources selected by tags (subnets) ... */
  readonly resourceTags?: Readonly<Record<string, string>>;
  /** ... or by the planned identity of a resource the renderer creates. */
  readonly resource?: { readonly kind: 'cluster' | 'table'; readonly region: string };
}

/** An ARN of the experiment's account and region: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
export interface PlannedArnPattern {
  readonly service: string;
  /** Resource part, e.g. `route-table/*`, `log-group:*`. */
  readonly resource: string;
  /** `*` instead of the account (AWS-owned resources such as AWS-managed prefix lists). */
  readonly anyAccount?: boolean;
}

/** A resource of an IAM statement: an ARN pattern, the ARN of one of the experiment's targets, or `*`. */
export type PlannedResource = { readonly arn: PlannedArnPattern } | { readonly target: string } | '*';

/** One statement of an experiment role's policy, decided by the plan and rendered as-is. */
export interface PlannedStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly PlannedResource[];
  /** Condition operator → key → value(s). */
  readonly conditions?: Readonly<Record<string, Readonly<Record<string, string | readonly string[]>>>>;
}

export interface PlannedExperiment {
  readonly id: string;
  /** A kind the spec can ask for, or the rehearsal automated failover adds. */
  readonly kind: ExperimentKind | 'region-failover-rehearsal';
  readonly name: string;
  readonly region: string;
  readonly description: string;
  readonly durationMinutes: number;
  readonly targets: readonly PlannedExperimentTarget[];
  readonly actions: readonly PlannedExperimentAction[];
  /** Ids of alarms (in this experiment's region) that stop the experiment. */
  readonly stopAlarmIds: readonly string[];
  /** Every statement of the experiment role's policy: its actions' permissions, then log delivery. */
  readonly statements: readonly PlannedStatement[];
  readonly roleName: string;
  readonly logGroupName: string;
}

/** One condition of a Region switch trigger: the named alarm must be in this state. */
export interface PlannedTriggerCondition {
  /** Planned alarm id (see GeoPlan.alarms.list). */
  readonly alarmId: string;
  readonly alarmName: string;
  readonly alarmRegion: string;
  /** `red` = ALARM, `green` = OK (an alarm with INSUFFICIENT_DATA meets neither, so the trigger holds). */
  readonly condition: 'red' | 'green';
  /** The guard this condition implements, for operators and reports. */
  readonly why: string;
}

/** An IAM statement as data; resources are ARN templates with `{partition}` and `{account}` placeholders. */
export interface PlannedIamStatement {
  readonly sid: string;
  readonly actions: readonly string[];
  readonly resources: readonly string[];
}

/** Automated failover of one data partition's Aurora global database, as an ARC Region switch plan. */
export interface PlannedRegionFailover {
  readonly partitionId: string;
  /** Region switch plan name. */
  readonly planName: string;
  /** Region of the plan, its role and its notification rule: the DNS home region (its alarms live there). */
  readonly homeRegion: string;
  readonly primaryRegion: string;
  /** The secondary the trigger promotes. */
  readonly targetRegion: string;
  /** Regions of the plan, primary first. */
  readonly regions: readonly string[];
  readonly globalClusterIdentifier: string;
  /** Cluster identifiers of the global database members, by region. */
  readonly clusters: Readonly<Record<string, string>>;
  readonly sustainedSeconds: number;
  /** Region-loss trigger: every condition must hold for it to fire. */
  readonly triggerConditions: readonly PlannedTriggerCondition[];
  /**
   * Writer-loss trigger (the primary region answers, its writer does not): the primary's writer alarm
   * red, with the same target guards. Every condition must hold.
   */
  readonly writerTriggerConditions: readonly PlannedTriggerCondition[];
  /** The lock: no second automatic execution within this many minutes. */
  readonly minMinutesBetweenExecutions: number;
  /**
   * The Aurora step: `switchoverOnly` on a graceful execution (old primary answers, no data loss),
   * `failover` (AllowDataLoss) on an ungraceful one (the primary region is lost).
   */
  readonly promotion: { readonly behavior: 'switchoverOnly'; readonly ungraceful: 'failover'; readonly timeoutMinutes: number };
  /** Failback is never automatic: there is no trigger back to the old primary. */
  readonly failback: 'manual';
  /** Plan RTO the service reports against, minutes. */
  readonly recoveryTimeObjectiveMinutes: number;
  readonly roleName: string;
  readonly statements: readonly PlannedIamStatement[];
  /** SNS topic (home region) every execution event is sent to. */
  readonly notificationTopicName: string;
  /** EventBridge rule that forwards the plan's execution events to that topic. */
  readonly notificationRuleName: string;
}

export interface PlannedAutomation {
  /** One per data partition with a secondary to promote; empty when automated failover is off. */
  readonly regionFailover: readonly PlannedRegionFailover[];
}

export interface PlannedSuppression {
  readonly rule: string;
  readonly reason: string;
  readonly expires?: string;
  readonly resource?: string;
}

/** A metric of a dashboard graph. */
export interface PlannedDashboardMetric {
  readonly namespace: string;
  readonly metricName: string;
  /** Dimensions; values may be `{{kind:id}}` placeholders the renderers fill (e.g. health check ids). */
  readonly dimensions: Readonly<Record<string, string>>;
  readonly statistic: 'Maximum' | 'Average' | 'Minimum';
  readonly periodSeconds: number;
  /** Region the metric is published in (a dashboard shows every region). */
  readonly region: string;
  readonly label: string;
}

/** A horizontal line on a graph: the threshold of a planned alarm. */
export interface PlannedDashboardAnnotation {
  /** Id of the planned alarm (`plan.alarms.list`) whose threshold this is. */
  readonly alarmId: string;
  readonly value: number;
  readonly label: string;
  readonly color: string;
}

/** A dashboard widget; `width` and `height` in grid units (the grid is 24 wide). */
export type PlannedDashboardWidget =
  | { readonly kind: 'text'; readonly markdown: string; readonly width: number; readonly height: number }
  | {
    readonly kind: 'graph';
    readonly title: string;
    readonly region: string;
    readonly metrics: readonly PlannedDashboardMetric[];
    readonly annotations: readonly PlannedDashboardAnnotation[];
    /** Bounds of the left axis; absent: CloudWatch scales it. */
    readonly leftYAxis?: { readonly min: number; readonly max: number };
    readonly width: number;
    readonly height: number;
  };

/** The deployment's CloudWatch dashboard. */
export interface PlannedDashboard {
  readonly name: string;
  /**
   * Region whose CloudWatch endpoint manages the dashboard (the DNS home region). Dashboards are global to
   * the account, so the name is unique account-wide; every widget names its own region.
   * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudwatch-dashboard.html
   */
  readonly region: string;
  /** Time range the dashboard opens with, in seconds before now. */
  readonly defaultIntervalSeconds: number;
  /** Rows of widgets, top to bottom; a row wraps at the grid width. */
  readonly rows: ReadonlyArray<readonly PlannedDashboardWidget[]>;
}

export interface GeoPlan {
  readonly name: string;
  readonly mode: Mode;
  readonly account?: string;
  /** Regions in spec order. */
  readonly regions: readonly PlannedRegion[];
  readonly network: {
    readonly baseCidr: string;
    readonly regionPrefixLength: number;
    readonly peering: PeeringTopology;
    readonly hub?: string;
    readonly peerings: readonly PlannedPeering[];
  };
  readonly data: PlannedData;
  readonly dns: PlannedDns;
  readonly objectives?: { readonly rtoSeconds: number; readonly rpoSeconds: number };
  readonly alarms: {
    readonly replicationLagWarningSeconds: number;
    readonly replicationLagCriticalSeconds: number;
    readonly periodSeconds: number;
    readonly email?: string;
    readonly list: readonly PlannedAlarm[];
    /** The policy of every alert topic (the regions' and the DNS one). */
    readonly topicPolicy: PlannedTopicPolicy;
  };
  readonly experiments: readonly PlannedExperiment[];
  /** The CloudWatch dashboard; absent in plans built by hand before it existed (renderers then plan it). */
  readonly dashboard?: PlannedDashboard;
  /** Opt-in automation; absent in plans built by hand before it existed (read as off). */
  readonly automation?: PlannedAutomation;
  readonly suppressions: readonly PlannedSuppression[];
  /** Absent in plans built by hand before it existed: the facts then say unknown. */
  readonly protection?: PlannedProtection;
  /** Retention and removal of stateful resources. */
  readonly retention: PlannedRetention;
  /** Tags every resource carries, before the per-region ones. */
  readonly tags: Readonly<Record<string, string>>;
}
