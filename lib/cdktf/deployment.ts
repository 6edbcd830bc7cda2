import { Construct } from 'constructs';
import { Annotations, LocalBackend, S3Backend, TerraformOutput, TerraformResource, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import type { GeoPlan, PlannedRegion } from '../model/plan-types';
import { MeridianValidationError } from '../model/errors';
import { planDashboard } from '../model/plan-dashboard';
import { automationProblems } from './automation';
import { entryPropsProblems } from '../model/plan-shape';
import { AlertTopic, PlannedMetricAlarm } from './alarms';
import { AuroraGlobalDatabase } from './aurora-global';
import { DeploymentDashboard } from './dashboard';
import { attr, planTags, regionTags, type AccountContext } from './common';
import { GeoDns } from './dns';
import { DynamoGlobalTable } from './dynamodb-global';
import { FaultExperiment } from './experiments';
import { CrossRegionPeering, RegionalNetwork } from './network';
import { checkTerraformJson, defaultPlanChecker, enforcePolicy, type GateReport, type PlanChecker } from './policy';
import { RegionalKey } from './regional-keys';
import { synthesizedOnce } from './synthesize-once';
import { at, need } from '../model/lookup';

/** Where Terraform keeps the state of the deployment. */
export type GeoBackendProps =
  | {
    readonly type: 'local';
    /**
     * State file path, relative to the stack's output directory (`<outdir>/stacks/<plan name>/`).
     * @default '../../../terraform.<plan name>.tfstate' - next to the output directory, not inside it:
     * the output directory is build output (git-ignored, deleted by clean builds), and the state is not
     */
    readonly path?: string;
  }
  | {
    readonly type: 's3';
    readonly bucket: string;
    /** @default '<plan name>/terraform.tfstate' */
    readonly key?: string;
    /** Region of the bucket. */
    readonly region: string;
    /**
     * KMS key (ARN) that encrypts the state object.
     * @default - the bucket's default encryption
     */
    readonly kmsKeyId?: string;
    /**
     * DynamoDB table that locks the state (the older locking; deprecated by Terraform in favour of `useLockfile`).
     * @default - no locking table
     */
    readonly dynamodbTable?: string;
    /**
     * Lock the state with a lock file next to it in the bucket (S3 conditional writes, Terraform >= 1.11).
     * @default true
     */
    readonly useLockfile?: boolean;
  };

/**
 * From a stack's output directory (`<outdir>/stacks/<name>/`, where Terraform runs) to the directory that
 * holds `<outdir>`: the default local state lives there, so deleting the build output keeps it.
 */
export const LOCAL_STATE_FROM_STACK_DIR = '../../../';

/** Props of {@link GeoTerraformStack}. */
export interface GeoTerraformStackProps {
  /** The resolved plan (`plan(spec)` of `meridian-geo`); every name is taken from it. */
  readonly plan: GeoPlan;
  /**
   * State backend. Set explicitly so the synthesized output does not depend on the checkout's path.
   * @default - local backend at `../../../terraform.<plan name>.tfstate`, relative to the stack's output
   * directory: the directory that holds the output directory (the app's), outside build output
   */
  readonly backend?: GeoBackendProps;
  /**
   * The policy check run on the plan at construction; unsuppressed errors stop synthesis.
   * `false` skips the check (for tests of the renderer alone).
   * @default - `checkPlan` of `meridian-geo/policy`
   */
  readonly policyChecker?: PlanChecker | false;
  /**
   * Master user name of each primary Aurora cluster.
   * @default - `plan.data.masterUsername`
   */
  readonly masterUsername?: string;
  /**
   * Version of the Aurora master passwords; bump it to have new ones generated at the next apply
   * (written write-only to the clusters and their secrets).
   * @default 1
   */
  readonly masterPasswordVersion?: number;
  /**
   * Retention of every log group the deployment creates (FIS experiments, VPC flow logs, Aurora log
   * exports), in days: one of the periods CloudWatch Logs offers (`LOG_RETENTION_DAYS`), else synthesis throws.
   * @default - `plan.retention.logRetentionDays`
   */
  readonly logRetentionDays?: number;
  /**
   * Send each VPC's flow logs (all traffic) to an encrypted CloudWatch log group
   * `/meridian/<name>/vpc-flow-logs/<region>`.
   * @default true
   */
  readonly flowLogs?: boolean;
  /**
   * Enhanced monitoring interval of Aurora instances, in seconds; 0 turns it off.
   * @default - `plan.data.monitoringIntervalSeconds`
   */
  readonly monitoringIntervalSeconds?: number;
}

/**
 * Terraform resource types that are global (IAM, Route 53) and therefore take no `region`; every other
 * resource of the stack must state its region, or it would silently land in the provider's home region.
 */
export const GLOBAL_RESOURCE_TYPES: readonly string[] = [
  'aws_iam_role', 'aws_iam_role_policy', 'aws_iam_role_policy_attachment',
  'aws_route53_health_check', 'aws_route53_record', 'aws_route53_zone',
];

/** A region's resources, as built by {@link GeoTerraformStack}. */
export interface RegionResources {
  readonly region: PlannedRegion;
  readonly key: RegionalKey;
  readonly network: RegionalNetwork;
  readonly topic: AlertTopic;
}

/**
 * The whole deployment of a plan as one Terraform stack (one state). Regional resources carry the
 * AWS provider 6.x per-resource `region` argument; a single default provider in the DNS home region
 * serves the global services (IAM, Route 53). See README of this folder for the layout.
 */
export class GeoTerraformStack extends TerraformStack {
  public readonly plan: GeoPlan;
  public readonly account: AccountContext;
  /** Per-region resources by region name. */
  public readonly regions: Record<string, RegionResources> = {};
  public readonly peerings: Record<string, CrossRegionPeering> = {};
  /** Aurora global databases by data partition id. */
  public readonly databases: Record<string, AuroraGlobalDatabase> = {};
  /** DynamoDB global tables by data partition id. */
  public readonly tables: Record<string, DynamoGlobalTable> = {};
  public readonly dns: GeoDns;
  public readonly dnsKey: RegionalKey;
  public readonly dnsTopic: AlertTopic;
  /** Alarms by planned alarm id. */
  public readonly alarms: Record<string, PlannedMetricAlarm> = {};
  /** The planned CloudWatch dashboard, in the DNS home region. */
  public readonly dashboard: DeploymentDashboard;
  /** Experiments by planned experiment id. */
  public readonly experiments: Record<string, FaultExperiment> = {};
  /** The policy report of the plan (undefined when the check was skipped). */
  public readonly policyReport?: GateReport;

  constructor(scope: Construct, id: string, props: GeoTerraformStackProps) {
    super(scope, id);
    // JavaScript callers and plans read from JSON bypass the types: check the props before using them.
    const problems = entryPropsProblems(props, `GeoTerraformStack ${this.node.path}`, true);
    if (problems.length > 0) throw new MeridianValidationError(problems);
    const refused = automationProblems(props.plan, `GeoTerraformStack ${this.node.path}`);
    if (refused.length > 0) throw new MeridianValidationError(refused);
    const { plan } = props;
    this.plan = plan;

    // Every regional resource names its region (checked by `Testing.synth(stack, true)` and at app synth).
    this.node.addValidation({
      validate: () => this.node.findAll()
        .filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c))
        .filter((c) => !GLOBAL_RESOURCE_TYPES.includes(c.terraformResourceType))
        .filter((c) => (c as unknown as { regionInput?: string }).regionInput === undefined)
        .map((c) => `${c.node.path} (${c.terraformResourceType}) has no region; regional resources must set one, or they land in ${plan.dns.homeRegion}`),
    });

    // Policy first: an unsafe design never reaches Terraform.
    if (props.policyChecker !== false) {
      const checker = props.policyChecker ?? defaultPlanChecker;
      this.policyReport = enforcePolicy(plan, checker);
      for (const f of this.policyReport.findings) {
        if (!f.suppressed && f.severity === 'warning') {
          Annotations.of(this).addWarning(`${f.ruleId}${f.resource ? ` [${f.resource}]` : ''}: ${f.message}`);
        }
      }
    }
    // The synthesized JSON is checked too, read back into facts: an override or escape hatch that breaks
    // a rule fails synthesis like a bad spec; its warnings join the plan's as annotations.
    if (props.policyChecker !== false) this.node.addValidation({ validate: () => this.checkSynthesizedJson() });
    // The spec's suppressions travel in the JSON (`"//": { "meridian": ... }`), where `meridian check` reads them.
    if (plan.suppressions.length > 0) this.addOverride('//.meridian', { suppressions: plan.suppressions });

    const home = plan.dns.homeRegion;
    this.configureBackend(props.backend);
    new AwsProvider(this, 'aws', {
      region: home,
      ...(plan.account ? { allowedAccountIds: [plan.account] } : {}),
    });
    this.account = {
      partition: at(plan.regions, 0, 'planned region').partition,
      accountId: plan.account ?? new DataAwsCallerIdentity(this, 'Caller', {}).accountId,
    };

    const aurora = plan.data.engine !== 'dynamodb';
    const logPrefix = `/meridian/${plan.name}/`;
    for (const r of plan.regions) {
      const scope = new Construct(this, `Region-${r.short}`);
      const key = new RegionalKey(scope, 'Key', {
        region: r.name,
        alias: r.keyAlias,
        description: `Meridian ${plan.name}: data, secrets, topics and logs in ${r.name}`,
        account: this.account,
        logGroupPrefixes: [logPrefix, ...(aurora ? [`/aws/rds/cluster/${r.clusterIdentifier}/`] : [])],
        // Only the services whose resources this key encrypts: the clusters and their secret, or the table; the topic.
        viaServices: aurora ? ['rds', 'secretsmanager', 'sns'] : ['dynamodb', 'sns'],
        tags: regionTags(r, r.keyAlias.replace(/^alias\//, '')),
        deletionWindowInDays: plan.retention.keyDeletionWindowDays,
        removal: plan.retention.keys,
      });
      const network = new RegionalNetwork(scope, 'Network', {
        region: r,
        dbPort: aurora ? plan.data.port : undefined,
        dbClientCidrs: r.databaseClientCidrs.map((c) => c.cidr),
        flowLogs: (props.flowLogs ?? true)
          ? {
            key, account: this.account, logGroupName: `${logPrefix}vpc-flow-logs/${r.name}`,
            retentionDays: props.logRetentionDays ?? plan.retention.logRetentionDays, removal: plan.retention.logGroups,
          }
          : undefined,
      });
      const topic = new AlertTopic(scope, 'Alerts', {
        region: r.name, topicName: r.alertTopicName, key, email: plan.alarms.email, tags: regionTags(r, r.alertTopicName),
        policy: { planned: plan.alarms.topicPolicy, account: this.account },
      });
      this.regions[r.name] = { region: r, key, network, topic };
    }

    for (const p of plan.network.peerings) {
      this.peerings[p.id] = new CrossRegionPeering(this, `Peering-${p.id}`, {
        peering: p,
        requester: need(this.regions, p.requesterRegion, 'region resources').network,
        accepter: need(this.regions, p.accepterRegion, 'region resources').network,
      });
    }

    const keys = Object.fromEntries(Object.entries(this.regions).map(([n, rr]) => [n, rr.key]));
    const resourceArns: Record<string, string> = {};
    for (const part of plan.data.partitions) {
      if (aurora) {
        const db = new AuroraGlobalDatabase(this, `Aurora-${part.id}`, {
          plan, partition: part, keys,
          networks: Object.fromEntries(Object.entries(this.regions).map(([n, rr]) => [n, rr.network])),
          masterUsername: props.masterUsername,
          masterPasswordVersion: props.masterPasswordVersion,
          account: this.account,
          monitoringIntervalSeconds: props.monitoringIntervalSeconds,
          logRetentionDays: props.logRetentionDays,
        });
        this.databases[part.id] = db;
        for (const [regionName, cluster] of Object.entries(db.clusters)) resourceArns[`cluster:${regionName}`] = cluster.attr('arn');
      } else {
        const t = new DynamoGlobalTable(this, `Table-${part.id}`, { plan, partition: part, keys });
        this.tables[part.id] = t;
        resourceArns[`table:${part.primaryRegion}`] = t.table.arn;
      }
    }

    // Route 53 is global; its alarms and their topic live in the home region with their own key.
    const dnsScope = new Construct(this, 'Dns');
    this.dnsKey = new RegionalKey(dnsScope, 'Key', {
      region: home,
      alias: plan.dns.keyAlias,
      description: `Meridian ${plan.name}: DNS alert topic in ${home}`,
      account: this.account,
      viaServices: ['sns'],
      tags: planTags(plan, plan.dns.keyAlias.replace(/^alias\//, '')),
      deletionWindowInDays: plan.retention.keyDeletionWindowDays,
      removal: plan.retention.keys,
    });
    this.dnsTopic = new AlertTopic(dnsScope, 'Alerts', {
      region: home, topicName: plan.dns.alertTopicName, key: this.dnsKey, email: plan.alarms.email,
      tags: planTags(plan, plan.dns.alertTopicName),
      policy: { planned: plan.alarms.topicPolicy, account: this.account },
    });
    this.dns = new GeoDns(dnsScope, 'Route53', { plan });

    const placeholders = {
      healthCheck: Object.fromEntries(Object.entries(this.dns.healthChecks).map(([hcId, hc]) => [hcId, attr(hc, 'id')])),
    };
    const alarmScope = new Construct(this, 'Alarms');
    const alarmArns: Record<string, string> = {};
    for (const a of plan.alarms.list) {
      const dnsAlarm = a.kind === 'health-check';
      const rr = dnsAlarm ? undefined : this.regions[a.region];
      if (!dnsAlarm && !rr) throw new Error(`alarm ${a.id}: region ${a.region} is not a region of plan "${plan.name}"`);
      const alarm = new PlannedMetricAlarm(alarmScope, a.id, {
        alarm: a,
        topic: rr ? rr.topic : this.dnsTopic,
        placeholders,
        tags: rr ? regionTags(rr.region, a.name) : planTags(plan, a.name),
      });
      this.alarms[a.id] = alarm;
      // Read only for the alarms an experiment stops on, once however many stop on it: each read of an
      // attribute is a new cdktf token.
      Object.defineProperty(alarmArns, a.id, { enumerable: true, get: () => alarm.alarm.attr('arn') });
    }

    this.dashboard = new DeploymentDashboard(this, 'Dashboard', { dashboard: plan.dashboard ?? planDashboard(plan), placeholders });

    for (const e of plan.experiments) {
      const rr = this.regions[e.region];
      if (!rr) throw new Error(`experiment ${e.id}: region ${e.region} is not a region of plan "${plan.name}"`);
      this.experiments[e.id] = new FaultExperiment(this, `Experiment-${e.id}`, {
        experiment: e,
        account: this.account,
        key: rr.key,
        resourceArns,
        alarmArns,
        logRetentionDays: props.logRetentionDays ?? plan.retention.logRetentionDays,
        tags: regionTags(rr.region, e.name),
      });
    }

    // Outputs an application needs, keyed by plan names (Terraform output names allow letters, digits, _ and -).
    new TerraformOutput(this, 'zone_id', { value: this.dns.zoneId, description: `Route 53 zone of ${plan.dns.zoneName}` });
    for (const [id, db] of Object.entries(this.databases)) {
      new TerraformOutput(this, `global_cluster_${id}`, { value: db.globalCluster.id, description: `Aurora global cluster of partition ${id}` });
      new TerraformOutput(this, `master_secret_${id}`, { value: db.masterSecret.attr('arn'), description: `Secret with the master credentials of partition ${id} (replicated to every region of it)` });
      for (const [regionName, cluster] of Object.entries(db.clusters)) {
        const short = need(this.regions, regionName, 'region resources').region.short;
        new TerraformOutput(this, `cluster_endpoint_${short}`, { value: cluster.attr('endpoint'), description: `Cluster (writer) endpoint of the ${regionName} cluster; answers writes while it is the primary` });
        new TerraformOutput(this, `cluster_reader_endpoint_${short}`, { value: cluster.attr('readerEndpoint'), description: `Reader endpoint in ${regionName}` });
      }
    }
    for (const [id, t] of Object.entries(this.tables)) {
      new TerraformOutput(this, `table_${id}`, { value: t.table.name, description: `DynamoDB global table of partition ${id}` });
    }
    for (const rr of Object.values(this.regions)) {
      new TerraformOutput(this, `alert_topic_${rr.region.short}`, { value: rr.topic.arn, description: `Alert topic of ${rr.region.name}` });
      this.addNetworkOutputs(rr);
    }
  }

  /**
   * The resources of `region` (key, network with its subnets per tier, alert topic); throws naming the
   * plan's regions when it is not one of them. A team's own resources for the region go into this
   * stack with `region` set to it (every regional resource of the stack must name its region).
   */
  public region(region: string): RegionResources {
    const found = this.regions[region];
    if (!found) {
      const allowed = Object.keys(this.regions).join(', ');
      throw new MeridianValidationError({ construct: `GeoTerraformStack ${this.node.path}`, prop: 'region', value: region, allowed, message: `"${region}" is not a region of plan "${this.plan.name}"; allowed: ${allowed}` });
    }
    return found;
  }

  /**
   * Outputs for a team's services in another Terraform configuration (read through `terraform_remote_state`):
   * the VPC and the subnet ids per tier, written only for regions with planned application subnets.
   */
  private addNetworkOutputs(rr: RegionResources): void {
    const { network, region: r } = rr;
    if (r.applicationSubnets.layout === 'none') return;
    new TerraformOutput(this, `vpc_id_${r.short}`, { value: network.vpc.id, description: `VPC of ${r.name} (${r.cidr})` });
    if (network.publicSubnets.length > 0) {
      new TerraformOutput(this, `public_subnet_ids_${r.short}`, { value: network.publicSubnets.map((s) => s.id), description: `Public subnets of ${r.name}, one per zone: for internet-facing load balancers` });
    }
    new TerraformOutput(this, `app_subnet_ids_${r.short}`, { value: network.applicationSubnets.map((s) => s.id), description: `Private subnets of ${r.name} for services, one per zone (layout ${r.applicationSubnets.layout})` });
    if (network.endpointSecurityGroup) {
      new TerraformOutput(this, `endpoint_security_group_${r.short}`, { value: network.endpointSecurityGroup.id, description: `Security group of the interface endpoints of ${r.name}` });
    }
  }

  /** The Terraform JSON (cdktf's), synthesized once per render of `renderGeoPlanJson` and `synthesizeGeoPlan` (./synthesize-once.ts). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- cdktf's signature
  public override toTerraform(): any {
    return synthesizedOnce(this, () => super.toTerraform());
  }

  private jsonChecked = false;

  /** Runs the policy on this stack's Terraform JSON; returns its error findings (validation errors). */
  private checkSynthesizedJson(): string[] {
    const result = checkTerraformJson(this.toTerraform(), `stacks/${this.node.id}/cdk.tf.json`, this.plan.suppressions);
    if (!this.jsonChecked) {
      this.jsonChecked = true;
      const known = new Set(this.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data).split(':')[0]));
      for (const w of result.warnings) if (!known.has(w.split(':')[0])) Annotations.of(this).addWarning(w);
    }
    return result.errors.map((e) => `meridian policy (synthesized Terraform JSON): ${e}`);
  }

  private configureBackend(backend: GeoBackendProps | undefined): void {
    const b = backend ?? { type: 'local' as const };
    if (b.type === 'local') {
      new LocalBackend(this, { path: b.path ?? `${LOCAL_STATE_FROM_STACK_DIR}terraform.${this.plan.name}.tfstate` });
    } else {
      new S3Backend(this, {
        bucket: b.bucket,
        key: b.key ?? `${this.plan.name}/terraform.tfstate`,
        region: b.region,
        encrypt: true,
        ...(b.kmsKeyId ? { kmsKeyId: b.kmsKeyId } : {}),
        ...(b.dynamodbTable ? { dynamodbTable: b.dynamodbTable } : {}),
      });
      // cdktf 0.21 predates `use_lockfile` (Terraform 1.10; GA in 1.11, which this configuration requires).
      if (b.useLockfile ?? true) this.addOverride('terraform.backend.s3.use_lockfile', true);
    }
  }
}
