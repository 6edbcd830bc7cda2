/**
 * The top-level construct: lays a plan out as one stack per region plus the DNS stack (and, where VPCs
 * are peered, one small peering stack per region), and wires keys, networks, data, alarms,
 * experiments, DNS and the synth-time policy check together.
 */
import { CrossStackReferences, Fn, ReferenceStrength, Stack, Stage, Token, Validations, type CfnElement, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as dynamodbLib from 'aws-cdk-lib/aws-dynamodb';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as route53 from 'aws-cdk-lib/aws-route53';
import { Construct } from 'constructs';
import { DEFAULT_RELIABLE_AVAILABILITY_ZONES, MeridianValidationError, plan as planSpec, type GeoPlan, type GeoSpec, type PlannedRegion, type RegionCode, type ValidSpec } from '../model';
import { entryPropsProblems } from '../model/plan-shape';
import { ReplicationLagAlarms } from './alarms';
import { RegionFailoverAutomation } from './automation';
import { AuroraGlobalDatabase, type AuroraSecondaryCluster } from './aurora-global';
import { DeploymentDashboard } from './dashboard';
import { DynamoDbGlobalTable } from './dynamodb-global';
import { FailoverExperiments } from './experiments';
import { GeoDns } from './dns';
import { RegionalNetwork, VpcPeeringAccepterRoutes, VpcPeeringRequester } from './network';
import { MeridianPolicyValidation, type MeridianPolicyValidationProps } from './policy';
import { denyGrantsExceptForAwsResources, RegionalKeys } from './regional-keys';
import { applyTags } from './tags';
// The deployment builds every region before it reads one, so a missing entry is a bug.
import { need } from '../model/lookup';

/** Flattens a resolved CloudFormation value the way cdk-nag names findings (`<Ref>`, `<A.B>`, joins). */
function flattenCfn(node: unknown): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  const o = node as Record<string, unknown>;
  if (Array.isArray(o['Fn::Join'])) {
    const [sep, items] = o['Fn::Join'] as [string, unknown[]];
    return items.map(flattenCfn).join(sep);
  }
  if (o['Fn::Sub'] !== undefined) return flattenCfn(o['Fn::Sub']);
  if (Array.isArray(o['Fn::GetAtt'])) {
    const [res, attr] = o['Fn::GetAtt'] as [unknown, unknown];
    return `<${flattenCfn(res)}.${flattenCfn(attr)}>`;
  }
  if (o.Ref !== undefined) return `<${flattenCfn(o.Ref)}>`;
  return JSON.stringify(node);
}

/**
 * Acknowledges the cdk-nag findings of a FIS experiment role: its inline policy (NIST IAMNoInlinePolicy)
 * and each wildcard resource or action (AwsSolutions-IAM5, one acknowledgement per finding, each with
 * the experiment's reason). FIS acts on resources it creates at run time (route tables, prefix lists)
 * or selects by tag, whose ids cannot be known at synth.
 */
function acknowledgeExperimentRole(role: iam.Role, experimentName: string, actionIds: readonly string[]): void {
  const policy = role.node.tryFindChild('DefaultPolicy') as iam.Policy | undefined;
  if (!policy) return;
  // The document as written (tokens unresolved); only the resources that carry a wildcard are resolved, to
  // the form cdk-nag names them by: a token stands for a partition, an account or a resource's id, never
  // for a wildcard (resolving the whole document cost 0.4 ms a role).
  const stack = Stack.of(role);
  const doc = policy.document.toJSON() as { Statement?: Array<{ Effect: string; Action: unknown; Resource: unknown }> } | undefined;
  const ids = new Set<string>();
  for (const st of doc?.Statement ?? []) {
    if (st.Effect !== 'Allow') continue;
    for (const a of ([] as unknown[]).concat(st.Action)) if (typeof a === 'string' && a.includes('*')) ids.add(`AwsSolutions::AwsSolutions-IAM5[Action::${a}]`);
    for (const raw of ([] as unknown[]).concat(st.Resource)) {
      if (typeof raw === 'string' && !raw.includes('*')) continue;
      const r = flattenCfn(stack.resolve(raw));
      if (r.includes('*')) ids.add(`AwsSolutions::AwsSolutions-IAM5[Resource::${r}]`);
    }
  }
  const what = `FIS role of experiment ${experimentName} (${actionIds.join(', ')})`;
  const acks = [...ids].sort().map((id) => ({
    id,
    reason: `${what}: FIS creates route tables, prefix lists and interfaces at run time and selects targets by tag, so their ids are unknown at synth; the grant is limited to this region and account (and to resources FIS tags managedByFIS where the action allows)`,
  }));
  acks.push({ id: 'NIST.800.53.R5::NIST.800.53.R5-IAMNoInlinePolicy', reason: `${what}: the inline policy is generated for exactly this experiment's actions and is used by no other role` });
  Validations.of(role).acknowledge(...acks);
}

/**
 * Acknowledges Control Tower's CT.CLOUDWATCH.PR.3 check on every log group of `stack` that names a key:
 * the key is the region's own, read from its key stack, and the check accepts only a string or a key
 * of the same template.
 */
function acknowledgeKeysFromKeyStack(stack: Stack, keyStack: Stack, region: PlannedRegion): void {
  for (const c of stack.node.findAll()) {
    if (!(c instanceof logs.CfnLogGroup) || c.kmsKeyId === undefined) continue;
    Validations.of(c).acknowledge({
      id: 'cdk-validator-cfnguard::cloudwatch_log_group_encrypted_check',
      reason: `Log group ${c.node.path} is encrypted with ${region.name}'s customer-managed key (${region.keyAlias}), read from stack ${keyStack.stackName} by Fn::GetStackOutput; the check follows only keys of the same template`,
    });
  }
}

/** Name of the stack of a region's key and alias: `<region stack name>-keys`. */
export function keyStackName(region: PlannedRegion): string {
  return `${region.stackName}-keys`;
}

/** Name of the stack of a region's requested peerings: `<region stack name>-peering`. */
export function peeringStackName(region: PlannedRegion): string {
  return `${region.stackName}-peering`;
}

/** Name of the stack of a region's routes back over accepted peerings: `<region stack name>-peering-accepter`. */
export function peeringAccepterStackName(region: PlannedRegion): string {
  return `${region.stackName}-peering-accepter`;
}

/** Props of {@link RegionStack}. */
export interface RegionStackProps extends StackProps {
  /**
   * Availability zone names of the stack's region, e.g. `['us-east-1a', 'us-east-1b', 'us-east-1c']`
   * (2 to 6 zones; Aurora needs subnets in at least 2).
   *
   * @default - `availabilityZoneCount` zones resolved at deploy time with `Fn::GetAZs`
   */
  readonly availabilityZoneNames?: string[];
  /**
   * Number of availability zones the stack reports when `availabilityZoneNames` is not given.
   *
   * @default 3
   */
  readonly availabilityZoneCount?: number;
}

/** Logical ids allocated by {@link RegionStack}, by element (a module map: it works before a subclass's fields exist). */
const LOGICAL_IDS = new WeakMap<CfnElement, string>();

/**
 * A stack whose availability zones never need a lookup: explicit names, or `Fn::Select(i, Fn::GetAZs)`
 * resolved by CloudFormation. A plain `Stack` with a concrete account asks the CLI to look zones up
 * (`availability-zones:account=…:region=…` context), which fails offline without credentials.
 */
export class RegionStack extends Stack {
  private readonly azs: string[];

  constructor(scope: Construct, id: string, props: RegionStackProps = {}) {
    super(scope, id, props);
    const count = props.availabilityZoneCount ?? DEFAULT_RELIABLE_AVAILABILITY_ZONES;
    if (!Number.isInteger(count) || count < 2 || count > 6) {
      throw new MeridianValidationError({ construct: `RegionStack ${this.node.path}`, prop: 'availabilityZoneCount', value: count, allowed: 'a whole number between 2 and 6', message: `availabilityZoneCount must be a whole number between 2 and 6, got ${count}` });
    }
    const names = props.availabilityZoneNames;
    if (names) {
      const foreign = Token.isUnresolved(this.region) ? [] : names.filter((n) => !Token.isUnresolved(n) && !n.startsWith(this.region));
      const rules = [
        { broken: names.length < 2 || names.length > 6, message: `availabilityZoneNames must list between 2 and 6 zones, got ${names.length} (${names.join(', ')})` },
        { broken: foreign.length > 0, message: `availabilityZoneNames must be zones of ${this.region}, got ${foreign.join(', ')}` },
      ];
      const broken = rules.filter((r) => r.broken).map((r) => r.message);
      if (broken.length > 0) throw new MeridianValidationError({ construct: `RegionStack ${this.node.path}`, prop: 'availabilityZoneNames', value: names, allowed: '2 to 6 zones of the stack\'s region', message: `${broken.join('; ')}` });
    }
    this.azs = props.availabilityZoneNames
      ? [...props.availabilityZoneNames]
      : Array.from({ length: count }, (_, i) => Fn.select(i, Fn.getAzs()));
  }

  public get availabilityZones(): string[] {
    return this.azs;
  }

  /**
   * The logical id aws-cdk-lib allocates (an MD5 of the element's construct path), computed once per
   * element. aws-cdk-lib allocates it again on every resolution of the element's logical id: for each
   * `Ref` and `Fn::GetAtt` to it, each template write and the validation report's construct tree
   * (1,600 allocations for 182 elements per synth of the default deployment). A construct's path never
   * changes, so neither does its id; renames (`renameLogicalId`) and overrides (`overrideLogicalId`)
   * still apply as before, since aws-cdk-lib applies them outside this method. Overriding this method is
   * aws-cdk-lib's documented way to change how logical ids are allocated (`Stack.allocateLogicalId`).
   */
  protected allocateLogicalId(cfnElement: CfnElement): string {
    let id = LOGICAL_IDS.get(cfnElement);
    if (id === undefined) {
      id = super.allocateLogicalId(cfnElement);
      LOGICAL_IDS.set(cfnElement, id);
    }
    return id;
  }
}

/** Options shared by both ways of giving {@link GeoDeployment} its topology. */
export interface GeoDeploymentOptions {
  /**
   * Stack properties applied to every stack created (environment and stack name come from the plan).
   *
   * @default - `terminationProtection: true`, nothing else
   */
  readonly stackProps?: Omit<StackProps, 'env' | 'stackName' | 'crossRegionReferences'>;
  /**
   * Prefix of every stack's construct id (not of its CloudFormation name, which is the plan's).
   *
   * @default - no prefix: construct ids are the planned stack names
   */
  readonly idPrefix?: string;
  /**
   * Availability zone names by region (for example from `cdk.context.json`); regions not listed get
   * `availabilityZoneCount` zones resolved at deploy time.
   *
   * @default - no names: zones come from `Fn::GetAZs`
   */
  readonly availabilityZones?: Readonly<Record<string, string[]>>;
  /**
   * Availability zones per region when no names are given (Aurora needs at least 2); each region's VPC
   * spreads its data subnets over this many zones. Never more than the region's planned
   * `availabilityZoneCount` (the zones every account can rely on there).
   *
   * @default - each region's planned `availabilityZoneCount`
   */
  readonly availabilityZoneCount?: number;
  /**
   * Check the synthesized templates with the policy engine: registers a {@link MeridianPolicyValidation}
   * plugin on this construct's stage (once per stage), which fails `cdk synth` on error findings and lists
   * warnings in CDK's validation report. `false` skips it (not recommended); props configure it.
   *
   * @default true
   */
  readonly policy?: boolean | MeridianPolicyValidationProps;
  /**
   * Send VPC flow logs to encrypted CloudWatch log groups.
   *
   * @default true
   */
  readonly flowLogs?: boolean;
  /**
   * Answer the routed records with `A` aliases to these targets (load balancers, CloudFront, API
   * Gateway; imported by attributes, no lookup) instead of `CNAME`s to each region's `endpoint`. Must
   * name every region that has a record; needed when the record is the zone apex.
   *
   * @default - each record is a `CNAME` to its region's endpoint, with the plan's TTL
   */
  readonly dnsAliasTargets?: Readonly<Record<string, route53.IAliasRecordTarget>>;
  /**
   * What the team already has, by region code: a VPC and a key used instead of new ones. Meridian
   * checks what it no longer creates: the VPC's CIDR must be the region's planned CIDR (write it as
   * `regions[].cidr`, and the plan checks it for overlap with the other regions) and it needs isolated
   * or private subnets in two zones; the key must live in that region. See {@link ExistingRegionResources}.
   *
   * @default - every region gets a new VPC and key
   */
  readonly existing?: Readonly<Partial<Record<RegionCode, ExistingRegionResources>>>;
  /**
   * A hosted zone the team already has (any `IHostedZone`: created elsewhere in the app, or imported by
   * attributes); its name must be `dns.zoneName` of the spec.
   *
   * @default - the zone `dns.zoneId` imported, or a new public zone
   */
  readonly hostedZone?: route53.IHostedZone;
}

/** Resources of one region that a team brings instead of letting Meridian create them. */
export interface ExistingRegionResources {
  /**
   * The region's VPC. Its CIDR must equal the region's planned CIDR; the data tier uses its isolated
   * subnets (else its private subnets), which need to span at least two Availability Zones.
   *
   * @default - a new VPC with isolated data subnets
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The region's customer-managed key, a key of that region.
   *
   * @default - a new key with rotation on
   */
  readonly key?: kms.IKey;
}

/** Props of {@link GeoDeployment}: a spec (validated and planned here) or a plan. */
export type GeoDeploymentProps = GeoDeploymentOptions & (
  // A ValidSpec is what loadSpecFile / parseSpec return.
  | { readonly spec: GeoSpec | ValidSpec; readonly plan?: undefined }
  | { readonly plan: GeoPlan; readonly spec?: undefined }
);

/** What {@link GeoDeployment} creates in one region. */
export interface RegionDeployment {
  readonly region: PlannedRegion;
  /** The region's stack (`stackName` from the plan). */
  readonly stack: RegionStack;
  /** The stack holding the region's key and alias (`<stackName>-keys`); it deploys before every other stack. */
  readonly keyStack: Stack;
  /** The region's customer-managed key (created, or the team's from `existing`). */
  readonly key: kms.IKey;
  readonly keys: RegionalKeys;
  readonly network: RegionalNetwork;
  /** The region's VPC (created, or the team's from `existing`). */
  readonly vpc: ec2.IVpc;
  /** Aurora: the global database, in the primary region of its partition. */
  readonly globalDatabase?: AuroraGlobalDatabase;
  /** Aurora: the secondary cluster, in the other regions of a partition. */
  readonly secondaryCluster?: AuroraSecondaryCluster;
  /** Aurora: this region's cluster (primary or secondary). */
  readonly cluster?: rds.IDatabaseCluster;
  /**
   * Aurora: grants an application of this region read on the master credentials — the secret in the
   * partition's primary region, its replica (same name, this region's ARN and key) elsewhere — with the
   * key permission in the application's own policy. Together with `cluster.grantConnect`, the documented
   * way an application connects in any region, before and after a failover.
   */
  readonly grantReadMasterSecret?: (grantee: iam.IGrantable) => iam.Grant;
  /** DynamoDB: the global table, in the primary region of its partition. */
  readonly globalTable?: DynamoDbGlobalTable;
  /** DynamoDB: this region's replica. */
  readonly table?: dynamodb.ITableV2;
  /** The region's database: its Aurora cluster or its DynamoDB replica. */
  readonly database: rds.IDatabaseCluster | dynamodb.ITableV2;
  /** Lag and availability alarms and the alert topic. */
  readonly alarms: ReplicationLagAlarms;
  readonly topic: ReplicationLagAlarms['topic'];
  /** FIS experiment templates (empty unless the region is a partition primary). */
  readonly experiments: FailoverExperiments;
  /** The stack holding the peering connections this region requests (and their routes), when it has any. */
  readonly peeringStack?: Stack;
  /** The stack holding this region's routes back over the peerings it accepts, when it has any. */
  readonly peeringAccepterStack?: Stack;
}

/** The stages that already carry a Meridian plugin: one plugin per stage checks all of its stacks. */
const PLUGINS = new WeakMap<Stage, MeridianPolicyValidation>();

function policyPluginOf(scope: Construct, props: MeridianPolicyValidationProps): MeridianPolicyValidation {
  const stage = Stage.of(scope);
  if (!stage) throw new Error(`GeoDeployment ${scope.node.path}: the policy check needs an App or Stage above it`);
  let plugin = PLUGINS.get(stage);
  if (!plugin) {
    plugin = new MeridianPolicyValidation(props);
    Validations.of(stage).addPlugins(plugin);
    PLUGINS.set(stage, plugin);
  }
  return plugin;
}

/** How an application of a region is granted read on the master credentials there (Aurora only). */
function masterSecretGrant(primary: AuroraGlobalDatabase | undefined, secondary: AuroraSecondaryCluster | undefined): ((grantee: iam.IGrantable) => iam.Grant) | undefined {
  if (primary) return (grantee) => primary.grantReadMasterSecret(grantee);
  if (secondary?.masterSecret) return (grantee) => secondary.grantReadMasterSecret(grantee);
  return undefined;
}

/**
 * A whole multi-region deployment from one spec or plan:
 *
 * - per planned region a key stack (`<stackName>-keys`) holding the region's key and alias
 *   ({@link RegionalKeys}), which deploys before every other stack;
 * - one {@link RegionStack} per planned region, named `stackName`, with `env` = the region and
 *   `plan.account` (environment-agnostic account when unset), holding the region's network ({@link RegionalNetwork}), data ({@link AuroraGlobalDatabase} in a
 *   partition's primary region and an {@link AuroraSecondaryCluster} elsewhere, or a
 *   {@link DynamoDbGlobalTable} in the primary region), alarms and experiments;
 * - the DNS stack (`plan.dns.stackName`, in `plan.dns.homeRegion`) with {@link GeoDns}, the deployment
 *   dashboard; the {@link MeridianPolicyValidation} plugin checks every template of the stage at synth and
 *   fails it on error-level findings;
 * - per peered region, a requester stack (`<stackName>-peering`) holding the `VPCPeeringConnection`s
 *   it requests and their routes, and an accepter stack (`<stackName>-peering-accepter`) holding the
 *   routes back over the peerings it accepts.
 *
 * Cross-region values: only VPC ids, route table ids and peering connection ids cross stacks, all of
 * them inside the peering stacks, as WEAK references (`Fn::GetStackOutput`, no CloudFormation exports,
 * no custom resources), so a region stack can be replaced during failback without an export blocking
 * it. Everything else a region needs from another (global cluster identifier, table name, key alias)
 * is a planned name. The peering stacks exist because a requester needs the accepter's VPC id and the
 * accepter's routes need the requester's connection id: with both in the region stacks the regions
 * would depend on each other.
 *
 * Deployment order (stack dependencies): key stacks first; each region stack after its key stack; an
 * Aurora primary after the key stacks of the regions its master secret is replicated to; Aurora
 * secondaries after their primary (the global cluster must exist); the DynamoDB primary after the
 * replica regions' key stacks (their keys); peering stacks after the region stacks they read from.
 */
export class GeoDeployment extends Construct {
  public readonly plan: GeoPlan;
  /**
   * Per-region resources, by region code; `undefined` for a code that is not a region of the plan.
   * {@link region} returns the same entry or throws naming the plan's regions.
   */
  public readonly regions: Record<string, RegionDeployment | undefined> = {};
  /** The DNS stack. */
  public readonly dnsStack: Stack;
  public readonly dns: GeoDns;
  /** The cross-region deployment dashboard (in the DNS stack). */
  public readonly dashboard: DeploymentDashboard;
  /** Automated region failover (undefined unless the spec turns it on). */
  public readonly automation?: RegionFailoverAutomation;
  /** The synth-time policy plugin of this construct's stage (undefined when `policy: false`). */
  public readonly policy?: MeridianPolicyValidation;
  /** Aurora global databases, by data partition id. */
  public readonly globalDatabases: Record<string, AuroraGlobalDatabase> = {};
  /** DynamoDB global tables, by data partition id. */
  public readonly globalTables: Record<string, DynamoDbGlobalTable> = {};
  /** Key stacks (`<stackName>-keys`: the region's key and alias), by region code. */
  public readonly keyStacks: Record<string, Stack> = {};
  /** Requester-side peering stacks (connections and routes), by region code. */
  public readonly peeringStacks: Record<string, Stack> = {};
  /** Accepter-side peering stacks (routes back), by region code. */
  public readonly peeringAccepterStacks: Record<string, Stack> = {};
  /** Requester sides of the peerings, by planned peering id. */
  public readonly peerings: Record<string, VpcPeeringRequester> = {};

  constructor(scope: Construct, id: string, props: GeoDeploymentProps) {
    super(scope, id);
    // JavaScript callers and plans read from JSON bypass the types: check the props before using them.
    const problems = entryPropsProblems(props, `GeoDeployment ${this.node.path}`);
    if (problems.length > 0) throw new MeridianValidationError(problems);
    const plan = props.plan ?? planSpec(props.spec as GeoSpec | ValidSpec);
    this.plan = plan;
    const strangers = Object.keys(props.existing ?? {}).filter((r) => !plan.regions.some((x) => x.name === r));
    if (strangers.length > 0) {
      throw new MeridianValidationError({
        construct: `GeoDeployment ${this.node.path}`, prop: 'existing', value: strangers.join(', '), allowed: plan.regions.map((r) => r.name).join(', '),
        message: `existing names ${strangers.join(', ')}, which ${strangers.length > 1 ? 'are not regions' : 'is not a region'} of plan "${plan.name}"; allowed: ${plan.regions.map((r) => r.name).join(', ')}`,
      });
    }
    const prefix = props.idPrefix ?? '';
    const base: StackProps = { terminationProtection: true, ...props.stackProps };
    const newStack = (name: string, region: string, tags: Readonly<Record<string, string>>, description: string): RegionStack => {
      const planned = plan.regions.find((r) => r.name === region);
      const zones = props.availabilityZoneCount ?? planned?.availabilityZoneCount;
      if (planned && zones !== undefined && zones > planned.availabilityZoneCount && !props.availabilityZones?.[region]) {
        throw new MeridianValidationError({
          construct: `GeoDeployment ${this.node.path}`, prop: 'availabilityZoneCount', value: zones,
          allowed: `2 to ${planned.availabilityZoneCount} in ${region} (the zones the plan relies on there; set network.availabilityZones in the spec)`,
        });
      }
      const stack = new RegionStack(this, `${prefix}${name}`, {
        description,
        ...base,
        // Stack tags as props too: with the recommended flag @aws-cdk/core:explicitStackTags, Tags.of(stack)
        // reaches the resources only, and the stack itself would go untagged (CloudFormation propagates stack
        // tags to the resources that support it: https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html).
        tags: { ...base.tags, ...tags },
        stackName: name,
        env: { account: plan.account, region },
        availabilityZoneNames: props.availabilityZones?.[region],
        availabilityZoneCount: zones,
      });
      CrossStackReferences.of(stack).consume(ReferenceStrength.WEAK);
      applyTags(stack, tags);
      // The spec's suppressions travel with the templates, where the synth-time plugin and `meridian check` read them.
      if (plan.suppressions.length > 0) stack.templateOptions.metadata = { ...stack.templateOptions.metadata, meridian: { suppressions: plan.suppressions } };
      return stack;
    };

    this.dnsStack = newStack(plan.dns.stackName, plan.dns.homeRegion, plan.tags, `Meridian ${plan.name}: Route 53 zone, health checks, routed records, DNS alarms`);
    const policy = props.policy ?? true;
    if (policy !== false) this.policy = policyPluginOf(this, policy === true ? {} : policy);

    // Region stacks: key and network.
    const stacks: Record<string, RegionStack> = {};
    const keys: Record<string, RegionalKeys> = {};
    const networks: Record<string, RegionalNetwork> = {};
    for (const r of plan.regions) {
      // The key has a stack of its own that deploys before every other stack, so that the primary's
      // master secret can be replicated into regions whose region stacks deploy after it.
      const keyStack = newStack(keyStackName(r), r.name, r.tags, `Meridian ${plan.name}: ${r.name} customer-managed key and alias (deploys before every other stack)`);
      this.keyStacks[r.name] = keyStack;
      const existing = props.existing?.[r.name as RegionCode];
      keys[r.name] = new RegionalKeys(keyStack, 'Key', { plan, region: r.name, key: existing?.key });
      const stack = newStack(r.stackName, r.name, r.tags, `Meridian ${plan.name}: ${r.name} (${r.role}) network, data, alarms, experiments`);
      stacks[r.name] = stack;
      stack.addStackDependency(keyStack, `every resource of ${r.name} is encrypted with its key`);
      // The VPC spreads over every zone the stack reports (availabilityZoneCount or the names given).
      networks[r.name] = new RegionalNetwork(stack, 'Network', {
        plan, region: r.name, key: need(keys, r.name, 'keys').key, flowLogs: props.flowLogs, maxAzs: stack.availabilityZones.length, vpc: existing?.vpc,
      });
    }

    // Data, partition by partition: the primary first, then the other regions.
    const clusters: Record<string, rds.IDatabaseCluster> = {};
    const secondaries: Record<string, AuroraSecondaryCluster> = {};
    const tables: Record<string, dynamodb.ITableV2> = {};
    const globalDbByRegion: Record<string, AuroraGlobalDatabase> = {};
    const globalTableByRegion: Record<string, DynamoDbGlobalTable> = {};
    for (const partition of plan.data.partitions) {
      const p = partition.primaryRegion;
      const suffix = plan.data.partitions.length > 1 ? `-${partition.id}` : '';
      if (plan.data.engine === 'dynamodb') {
        const gt = new DynamoDbGlobalTable(need(stacks, p, 'stacks'), `GlobalTable${suffix}`, { plan, partitionId: partition.id, key: need(keys, p, 'keys').key });
        this.globalTables[partition.id] = gt;
        globalTableByRegion[p] = gt;
        tables[p] = gt.table;
        for (const r of partition.regions.filter((x) => x !== p)) {
          // The replica's key (named by alias in the table) must exist before the table is created.
          need(stacks, p, 'stacks').addStackDependency(need(this.keyStacks, r, 'key stacks'), `the replica of ${partition.tableName} in ${r} is encrypted with ${r}'s key`);
          tables[r] = dynamodbLib.TableV2.fromTableAttributes(need(stacks, r, 'stacks'), `GlobalTable${suffix}`, { tableName: partition.tableName });
        }
      } else {
        const net = need(networks, p, 'networks');
        const gdb = new AuroraGlobalDatabase(need(stacks, p, 'stacks'), `GlobalDatabase${suffix}`, {
          plan, partitionId: partition.id, vpc: net.vpc, vpcSubnets: net.dataSubnets,
          securityGroup: net.databaseSecurityGroup as ec2.ISecurityGroup, key: need(keys, p, 'keys').key,
        });
        this.globalDatabases[partition.id] = gdb;
        globalDbByRegion[p] = gdb;
        // Each replica of the master secret is encrypted with its region's key, named by planned alias.
        for (const r of gdb.masterSecretReplicaRegions) {
          need(stacks, p, 'stacks').addStackDependency(need(this.keyStacks, r, 'key stacks'), `the replica of ${partition.masterSecretName} in ${r} is encrypted with ${r}'s key`);
        }
        clusters[p] = gdb.cluster;
        for (const r of partition.regions.filter((x) => x !== p)) {
          const rn = need(networks, r, 'networks');
          const sec = gdb.addSecondary(need(stacks, r, 'stacks'), `SecondaryCluster${suffix}`, {
            region: r, vpc: rn.vpc, vpcSubnets: rn.dataSubnets,
            securityGroup: rn.databaseSecurityGroup as ec2.ISecurityGroup, key: need(keys, r, 'keys').key,
          });
          secondaries[r] = sec;
          clusters[r] = sec.cluster;
        }
      }
    }

    // Alarms and experiments.
    const alarms: Record<string, ReplicationLagAlarms> = {};
    const experiments: Record<string, FailoverExperiments> = {};
    for (const r of plan.regions) {
      alarms[r.name] = new ReplicationLagAlarms(need(stacks, r.name, 'stacks'), 'Alarms', { plan, region: r.name, key: need(keys, r.name, 'keys').key });
      experiments[r.name] = new FailoverExperiments(need(stacks, r.name, 'stacks'), 'Experiments', {
        plan, region: r.name, key: need(keys, r.name, 'keys').key, alarms: need(alarms, r.name, 'alarms').alarms,
        cluster: clusters[r.name], table: tables[r.name],
      });
      for (const exp of plan.experiments.filter((e) => e.region === r.name)) {
        const role = need(experiments, r.name, 'experiments').roles[exp.id];
        if (role) acknowledgeExperimentRole(role, exp.name, [...new Set(exp.actions.map((a) => a.actionId))]);
      }
    }

    // DNS.
    this.dns = new GeoDns(this.dnsStack, 'Dns', { plan, aliasTargets: props.dnsAliasTargets, zone: props.hostedZone });
    // Every key the deployment creates lets only AWS services create grants (CT.KMS.PR.3).
    denyGrantsExceptForAwsResources(this.dns.key);
    this.dashboard = new DeploymentDashboard(this.dnsStack, 'Dashboard', { plan, dns: this.dns });
    // Opt-in automated region failover, beside the health-check alarms it watches.
    if (plan.automation?.regionFailover.length) {
      this.automation = new RegionFailoverAutomation(this.dnsStack, 'Automation', { plan, topic: this.dns.topic });
    }

    // Peering: requesters first (accepter routes need their connection ids). A region's requester and
    // accepter sides live in two stacks: in one stack per region every peering stack would depend on
    // every earlier one, and aws-cdk-lib's cycle check walks every path of that graph on each new
    // dependency (2^n paths: 86 s of synth at 24 regions). Split, the graph is two levels deep.
    const sideStack = (r: PlannedRegion, side: 'requester' | 'accepter'): Stack => {
      const stacks = side === 'requester' ? this.peeringStacks : this.peeringAccepterStacks;
      const existing = stacks[r.name];
      if (existing) return existing;
      const name = side === 'requester' ? peeringStackName(r) : peeringAccepterStackName(r);
      const created = newStack(name, r.name, r.tags, `Meridian ${plan.name}: ${r.name} ${side} side of the cross-region VPC peerings`);
      stacks[r.name] = created;
      return created;
    };
    const regionOf = (name: string) => plan.regions.find((x) => x.name === name) as PlannedRegion;
    for (const peering of plan.network.peerings) {
      this.peerings[peering.id] = new VpcPeeringRequester(sideStack(regionOf(peering.requesterRegion), 'requester'), `Peering-${peering.id}`, {
        plan, peeringId: peering.id,
        requesterVpc: need(networks, peering.requesterRegion, 'networks').vpc,
        accepterVpc: need(networks, peering.accepterRegion, 'networks').vpc,
      });
    }
    for (const peering of plan.network.peerings) {
      new VpcPeeringAccepterRoutes(sideStack(regionOf(peering.accepterRegion), 'accepter'), `Accepted-${peering.id}`, {
        plan, requester: need(this.peerings, peering.id, 'peering requester'), accepterVpc: need(networks, peering.accepterRegion, 'networks').vpc,
      });
    }

    for (const r of plan.regions) {
      acknowledgeKeysFromKeyStack(need(stacks, r.name, 'stacks'), need(this.keyStacks, r.name, 'key stacks'), r);
      const cluster = clusters[r.name];
      const table = tables[r.name];
      this.regions[r.name] = {
        region: r,
        stack: need(stacks, r.name, 'stacks'),
        key: need(keys, r.name, 'keys').key,
        keys: need(keys, r.name, 'keys'),
        network: need(networks, r.name, 'networks'),
        vpc: need(networks, r.name, 'networks').vpc,
        keyStack: need(this.keyStacks, r.name, 'key stacks'),
        globalDatabase: globalDbByRegion[r.name],
        secondaryCluster: secondaries[r.name],
        cluster,
        grantReadMasterSecret: masterSecretGrant(globalDbByRegion[r.name], secondaries[r.name]),
        globalTable: globalTableByRegion[r.name],
        table,
        database: (cluster ?? table) as rds.IDatabaseCluster | dynamodb.ITableV2,
        alarms: need(alarms, r.name, 'alarms'),
        topic: need(alarms, r.name, 'alarms').topic,
        experiments: need(experiments, r.name, 'experiments'),
        peeringStack: this.peeringStacks[r.name],
        peeringAccepterStack: this.peeringAccepterStacks[r.name],
      };
    }
  }

  /**
   * A stack for a team's own services in `region`, placed the way Meridian's stacks are: the region's
   * environment (`plan.account`, the region), the plan's and the region's tags, weak cross-stack
   * references (no exports that could block replacing the region stack during a failback), and a
   * dependency on the region stack, so the services deploy after the key, network and data they use.
   * Put what the services need from the deployment through {@link region}: `vpc`, `key`, `cluster`
   * (`grantConnect`, `connections`, `metric…`), `table`, `network.dataSubnets`.
   *
   * @param id the stack name's suffix: the stack (and its construct id under this deployment) is
   *   `<region stack name>-<id>`, so one id serves every region
   * @param props stack properties; `env` and `crossRegionReferences` are the deployment's
   */
  public addServiceStack(region: string, id: string, props: Omit<StackProps, 'env' | 'crossRegionReferences'> = {}): RegionStack {
    const deployed = this.region(region);
    const name = `${deployed.region.stackName}-${id.replace(/[^A-Za-z0-9-]/g, '-').toLowerCase()}`;
    // A RegionStack, like the region's own: its zones never need a lookup, even with a concrete account.
    const stack = new RegionStack(this, name, {
      availabilityZoneCount: deployed.stack.availabilityZones.length,
      stackName: name,
      description: `${this.plan.name}: services in ${region} on the Meridian deployment`,
      ...props,
      tags: { ...props.tags, ...deployed.region.tags },
      env: { account: this.plan.account, region },
    });
    CrossStackReferences.of(stack).consume(ReferenceStrength.WEAK);
    applyTags(stack, deployed.region.tags);
    stack.addStackDependency(deployed.stack, `services in ${region} use the key, network and data of ${deployed.region.stackName}`);
    return stack;
  }

  /** The resources of `region`; throws naming the plan's regions when it is not one of them. */
  public region(region: string): RegionDeployment {
    const found = this.regions[region];
    if (!found) {
      throw new MeridianValidationError({ construct: `GeoDeployment ${this.node.path}`, prop: 'region', value: region, allowed: Object.keys(this.regions).join(', '), message: `"${region}" is not a region of plan "${this.plan.name}"; allowed: ${Object.keys(this.regions).join(', ')}` });
    }
    return found;
  }
}
