/**
 * Facts from synthesized CloudFormation: a CDK cloud assembly (manifest.json, every stack template, nested
 * stage assemblies and nested stacks, each stack's region from its environment) or bare templates.
 * References are followed inside the artifact (Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select,
 * Fn::FindInMap, Fn::GetStackOutput, Fn::ImportValue); what cannot be resolved is unknown, never guessed.
 * Pure: no aws-cdk-lib import.
 */
import * as fs from 'fs';
import * as path from 'path';
import { regionInfo } from '../model/regions';
import { FactsInputError } from './errors';
import { assemble, groupOfTags, MERIDIAN_TAGS, type KeyLink, type Node, type NodeKind, type RawStatement } from './graph';
import {
  Composite, aliasTargetNode, asBool, asNumber, asString, isNode, isObject, keyLines, keyLink, keyString, linkOf, looseString, node, routeTarget, stringList, stringRecord,
  suppressionList, trimDot,
} from './resolve';
import type { FactsSet, Known, RemovalFact, SuppressionFact } from './types';

type Json = Record<string, unknown>;

export interface TemplateInput {
  readonly file: string;
  readonly stackName: string;
  readonly region: Known<string>;
  readonly account?: Known<string>;
  readonly template: unknown;
  /** The template's text, for line numbers in findings. */
  readonly text?: string;
  /**
   * The stack's own (stack-level) tags: the cloud assembly manifest's `tags` of the stack, or a CDK
   * `Stack`'s tags. A stack whose resources take no tags (routes only) carries its topology here.
   */
  readonly tags?: Readonly<Record<string, string>>;
}

interface Stack {
  readonly input: TemplateInput;
  readonly resources: Json;
  readonly nodes: Map<string, Node>;
  readonly outputs: Json;
  readonly mappings: Json;
  group: string;
  /** Further topologies of a stack several deployments read from (a shared zone, key or VPC). */
  shared: string[];
}

const MAX_DEPTH = 64;
const NO_VALUE = Symbol('AWS::NoValue');

const KIND: Readonly<Record<string, NodeKind>> = {
  'AWS::KMS::Key': 'key', 'AWS::KMS::ReplicaKey': 'key', 'AWS::KMS::Alias': 'alias',
  'AWS::RDS::GlobalCluster': 'global-cluster', 'AWS::RDS::DBCluster': 'cluster', 'AWS::RDS::DBInstance': 'instance',
  'AWS::RDS::DBClusterParameterGroup': 'parameter-group',
  'AWS::DynamoDB::GlobalTable': 'table', 'AWS::DynamoDB::Table': 'table',
  'AWS::Route53::HealthCheck': 'health-check', 'AWS::Route53::RecordSet': 'record', 'AWS::Route53::HostedZone': 'zone',
  'AWS::EC2::VPC': 'vpc', 'AWS::EC2::VPCPeeringConnection': 'peering', 'AWS::EC2::RouteTable': 'route-table',
  'AWS::EC2::Route': 'route', 'AWS::EC2::SecurityGroup': 'security-group', 'AWS::EC2::SecurityGroupIngress': 'ingress',
  'AWS::EC2::Subnet': 'subnet', 'AWS::EC2::VPCEndpoint': 'vpc-endpoint', 'AWS::CloudWatch::Alarm': 'alarm', 'AWS::FIS::ExperimentTemplate': 'experiment',
  'AWS::IAM::Role': 'role', 'AWS::IAM::Policy': 'policy', 'AWS::IAM::ManagedPolicy': 'policy', 'AWS::IAM::RolePolicy': 'policy',
  'AWS::SecretsManager::Secret': 'secret', 'AWS::Logs::LogGroup': 'log-group',
  'AWS::ARCRegionSwitch::Plan': 'region-switch-plan',
};

/** Reads every template into nodes; `assemble` turns them into facts. */
class CfnReader {
  readonly stacks: Stack[] = [];
  private readonly visiting = new Set<string>();
  /** readsFrom's answer per stack: it depends only on the templates, and groupStacks asks again in every round. */
  private readonly reads = new Map<Stack, Stack[]>();

  constructor(inputs: readonly TemplateInput[]) {
    for (const input of inputs) {
      const t = input.template;
      if (!isObject(t) || !isObject(t.Resources)) throw new FactsInputError(input.file, 'not a CloudFormation template (no Resources object)');
      const lines = keyLines(input.text);
      const stack: Stack = {
        input, resources: t.Resources, nodes: new Map(), outputs: isObject(t.Outputs) ? t.Outputs : {},
        mappings: isObject(t.Mappings) ? t.Mappings : {}, group: '', shared: [],
      };
      // Keys, not entries: a template of 100,000 resources would first become 100,000 pairs.
      for (const id of Object.keys(t.Resources)) {
        const res = t.Resources[id];
        const type = isObject(res) && typeof res.Type === 'string' ? res.Type : 'unknown';
        if (type === RECORD_SET_GROUP) {
          // Each record set of a group is a record of its own (AWS CDK writes geoproximity records this way).
          recordSetsOf(res).forEach((_, i) => stack.nodes.set(groupMemberId(id, i), node({
            kind: 'record', type: 'AWS::Route53::RecordSet', region: input.region, tags: undefined, group: '',
            source: { file: input.file, line: lines(id), id }, p: {},
          })));
          continue;
        }
        stack.nodes.set(id, node({
          kind: KIND[type] ?? 'other', type, region: input.region, tags: undefined, group: '',
          source: { file: input.file, line: lines(id), id }, p: {},
        }));
      }
      this.stacks.push(stack);
    }
    // Tags first (they decide the groups), then every node's neutral properties.
    for (const s of this.stacks) {
      for (const [id, node] of s.nodes) (node as { tags: Node['tags'] }).tags = this.tagsOf(s, id);
    }
    this.groupStacks();
    for (const s of this.stacks) {
      for (const node of s.nodes.values()) {
        const own = node.tags?.[MERIDIAN_TAGS.topology];
        (node as { group: string }).group = typeof own === 'string' ? own : s.group;
        if (typeof own !== 'string' && s.shared.length > 0) (node as { sharedWith?: readonly string[] }).sharedWith = s.shared;
      }
    }
    for (const s of this.stacks) for (const [id, node] of s.nodes) this.fill(s, id, node);
  }

  /**
   * The one place a stack's topology is decided, in this order:
   * 1. the stack's own `meridian:topology` tag — a stack-level tag, which CloudFormation propagates to
   *    the resources that take tags
   *    (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-resource-tags.html);
   *    a stack of untaggable resources (routes over a peering) carries its topology nowhere else;
   * 2. the tag most of its resources carry;
   * 3. the topology of the stacks it reads from (`Fn::GetStackOutput`, `Fn::ImportValue`), when they agree;
   * 4. the topologies of the stacks that read from it: a zone, key or VPC several deployments share is
   *    part of each of them;
   * 5. the app's topology, when the app has just one.
   * Anything else stays ungrouped ('': the input's fallback group). Several deployments in one app are
   * several topologies: a stack never joins one by elimination.
   */
  private groupStacks(): void {
    for (const s of this.stacks) {
      const own = s.input.tags?.[MERIDIAN_TAGS.topology];
      s.group = typeof own === 'string' && own !== '' ? own : groupOfTags([...s.nodes.values()].map((n) => n.tags));
    }
    let open = this.stacks.filter((s) => s.group === '');
    for (let changed = true; changed && open.length > 0;) {
      changed = false;
      for (const s of open) {
        // What it reads from stacks still undecided says nothing yet (they may join later in this loop).
        const groups = new Set(this.readsFrom(s).map((t) => t.group).filter((g) => g !== ''));
        const [only] = groups;
        if (groups.size === 1 && only !== undefined) {
          s.group = only;
          changed = true;
        }
      }
      open = open.filter((s) => s.group === '');
    }
    if (open.length === 0) return;
    const readers = new Map<Stack, Set<string>>();
    for (const t of this.stacks) {
      if (t.group === '') continue;
      for (const s of this.readsFrom(t)) {
        if (s.group !== '') continue;
        const set = readers.get(s) ?? new Set<string>();
        set.add(t.group);
        readers.set(s, set);
      }
    }
    for (const [s, groups] of readers) {
      const [first = '', ...rest] = [...groups].sort();
      s.group = first;
      s.shared = rest;
    }
    open = open.filter((s) => s.group === '');
    const named = [...new Set(this.stacks.map((s) => s.group).filter((g) => g !== ''))];
    if (named.length === 1) for (const s of open) s.group = named[0] as string;
  }

  /** The other stacks whose outputs `s` reads (`Fn::GetStackOutput`, `Fn::ImportValue` in its resources). */
  private readsFrom(s: Stack): Stack[] {
    // A stack's own outputs are no other stack's: with one stack there is nothing to find (and a 50 MB
    // template need not be walked for it).
    if (this.stacks.length < 2) return [];
    const known = this.reads.get(s);
    if (known) return known;
    const out = new Set<Stack>();
    const visit = (v: unknown, depth: number): void => {
      if (depth > MAX_DEPTH || v === null || typeof v !== 'object') return;
      if (Array.isArray(v)) {
        for (const x of v) visit(x, depth + 1);
        return;
      }
      const o = v as Json;
      const arg = o['Fn::GetStackOutput'];
      if (isObject(arg)) {
        const t = this.outputStack(arg, s, depth);
        if (t) out.add(t);
      }
      if (o['Fn::ImportValue'] !== undefined) {
        const t = this.exporter(asString(this.resolve(o['Fn::ImportValue'], s, depth + 1)), depth)?.stack;
        if (t) out.add(t);
      }
      for (const x of Object.values(o)) visit(x, depth + 1);
    };
    visit(s.resources, 0);
    out.delete(s);
    const found = [...out];
    this.reads.set(s, found);
    return found;
  }

  nodes(): Node[] {
    return this.stacks.flatMap((s) => [...s.nodes.values()]);
  }

  // ---- resolution ----------------------------------------------------------------------------------------

  resolve(v: unknown, s: Stack, depth = 0): unknown {
    if (depth > MAX_DEPTH) return undefined;
    if (Array.isArray(v)) return v.map((x) => this.resolve(x, s, depth + 1)).filter((x) => x !== NO_VALUE);
    if (!isObject(v)) return v;
    const keys = Object.keys(v);
    if (keys.length === 1) {
      const k = keys[0] as string;
      const arg = v[k];
      if (k === 'Ref') return this.ref(arg, s);
      if (k === 'Fn::GetAtt') {
        const [id] = typeof arg === 'string' ? arg.split('.') : Array.isArray(arg) ? arg : [];
        return typeof id === 'string' ? s.nodes.get(id) : undefined;
      }
      if (k === 'Fn::Join') {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string') return undefined;
        const list = this.resolve(arg[1], s, depth + 1);
        return Array.isArray(list) ? join(arg[0], list) : undefined;
      }
      if (k === 'Fn::Sub') return this.sub(arg, s, depth);
      if (k === 'Fn::Select') {
        if (!Array.isArray(arg)) return undefined;
        const i = asNumber(this.resolve(arg[0], s, depth + 1));
        const list = this.resolve(arg[1], s, depth + 1);
        return Array.isArray(list) && i !== undefined ? list[i] : undefined;
      }
      if (k === 'Fn::Split') {
        if (!Array.isArray(arg) || typeof arg[0] !== 'string') return undefined;
        const str = asString(this.resolve(arg[1], s, depth + 1));
        return str === undefined ? undefined : str.split(arg[0]);
      }
      if (k === 'Fn::FindInMap') {
        if (!Array.isArray(arg)) return undefined;
        const [m, a, b] = arg.map((x) => asString(this.resolve(x, s, depth + 1)));
        const table = m === undefined ? undefined : s.mappings[m];
        const row = isObject(table) && a !== undefined ? table[a] : undefined;
        return isObject(row) && b !== undefined ? this.resolve(row[b], s, depth + 1) : undefined;
      }
      if (k === 'Fn::GetStackOutput') return this.stackOutput(arg, s, depth);
      if (k === 'Fn::ImportValue') return this.importValue(arg, s, depth);
      // Fn::If, Fn::GetAZs, Fn::Base64, Fn::Cidr, ... depend on deploy-time values: unknown.
      if (k.startsWith('Fn::') || k === 'Condition') return undefined;
    }
    const out: Json = {};
    for (const k of keys) {
      const r = this.resolve(v[k], s, depth + 1);
      if (r !== NO_VALUE) out[k] = r;
    }
    return out;
  }

  private ref(name: unknown, s: Stack): unknown {
    if (typeof name !== 'string') return undefined;
    const node = s.nodes.get(name);
    if (node) return node;
    const region = s.input.region;
    switch (name) {
      case 'AWS::Region': return region;
      case 'AWS::Partition': return region ? regionInfo(region)?.partition : undefined;
      case 'AWS::AccountId': return s.input.account;
      case 'AWS::StackName': return s.input.stackName;
      case 'AWS::URLSuffix': return region && regionInfo(region)?.partition === 'aws' ? 'amazonaws.com' : undefined;
      case 'AWS::NoValue': return NO_VALUE;
      // Parameters are set at deploy time; their defaults may be overridden.
      default: return undefined;
    }
  }

  private sub(arg: unknown, s: Stack, depth: number): unknown {
    const [text, vars] = typeof arg === 'string' ? [arg, {}] : Array.isArray(arg) && typeof arg[0] === 'string' ? [arg[0], arg[1]] : [undefined, undefined];
    if (text === undefined) return undefined;
    const varMap = isObject(vars) ? vars : {};
    const parts: unknown[] = [];
    let last = 0;
    for (const m of text.matchAll(/\$\{([^!}][^}]*)\}/g)) {
      parts.push(text.slice(last, m.index));
      const name = (m[1] ?? '').trim();
      if (name in varMap) parts.push(this.resolve(varMap[name], s, depth + 1));
      else if (name.includes('.') && !name.startsWith('AWS::')) parts.push(s.nodes.get(name.split('.')[0] ?? ''));
      else parts.push(this.ref(name, s));
      last = (m.index ?? 0) + m[0].length;
    }
    parts.push(text.slice(last));
    return join('', parts.map((p) => (typeof p === 'string' ? p.replace(/\$\{!/g, '${') : p)));
  }

  /** The stack a `Fn::GetStackOutput` names (by stack name and region). */
  private outputStack(arg: Json, s: Stack, depth: number): Stack | undefined {
    const name = asString(this.resolve(arg.StackName, s, depth + 1));
    const region = asString(this.resolve(arg.Region, s, depth + 1)) ?? s.input.region;
    return this.stacks.find((x) => x.input.stackName === name && (x.input.region === region || x.input.region === undefined));
  }

  private stackOutput(arg: unknown, s: Stack, depth: number): unknown {
    if (!isObject(arg)) return undefined;
    const target = this.outputStack(arg, s, depth);
    const output = asString(this.resolve(arg.OutputName, s, depth + 1));
    return target && output !== undefined ? this.outputValue(target, output, depth) : undefined;
  }

  /** The stack and output that export `name`. */
  private exporter(name: string | undefined, depth: number): { stack: Stack; output: string } | undefined {
    if (name === undefined) return undefined;
    for (const t of this.stacks) {
      for (const [key, o] of Object.entries(t.outputs)) {
        if (!isObject(o) || !isObject(o.Export)) continue;
        const guard = `export|${t.input.file}|${key}`;
        if (this.visiting.has(guard)) continue;
        this.visiting.add(guard);
        const exported = asString(this.resolve(o.Export.Name, t, depth + 1));
        this.visiting.delete(guard);
        if (exported === name) return { stack: t, output: key };
      }
    }
    return undefined;
  }

  private importValue(arg: unknown, s: Stack, depth: number): unknown {
    const found = this.exporter(asString(this.resolve(arg, s, depth + 1)), depth);
    return found ? this.outputValue(found.stack, found.output, depth) : undefined;
  }

  private outputValue(t: Stack, output: string, depth: number): unknown {
    const o = t.outputs[output];
    const guard = `output|${t.input.file}|${output}`;
    // A cycle of outputs referring to each other resolves to unknown instead of recursing forever.
    if (!isObject(o) || this.visiting.has(guard)) return undefined;
    this.visiting.add(guard);
    try {
      return this.resolve(o.Value, t, depth + 1);
    } finally {
      this.visiting.delete(guard);
    }
  }

  // ---- mapping -------------------------------------------------------------------------------------------

  private tagsOf(s: Stack, id: string): Node['tags'] {
    const res = resourceOf(s.resources, id);
    if (!isObject(res)) return undefined;
    const props = isObject(res.Properties) ? res.Properties : {};
    let raw: unknown = props.Tags ?? props.HealthCheckTags ?? props.HostedZoneTags;
    if (res.Type === 'AWS::DynamoDB::GlobalTable' && Array.isArray(props.Replicas)) {
      const replicas = props.Replicas.filter(isObject);
      raw = (replicas.find((r) => r.Region === s.input.region) ?? replicas[0])?.Tags;
    }
    if (raw === undefined) return {};
    // Literal tags, the common case, need no resolution (the same result, without walking each entry).
    const literal = Array.isArray(raw) && raw.every((t) => isObject(t) && typeof t.Key === 'string' && typeof t.Value === 'string');
    const v = literal ? raw : this.resolve(raw, s);
    if (Array.isArray(v)) {
      const out: Record<string, Known<string>> = {};
      for (const t of v) if (isObject(t) && typeof t.Key === 'string') out[t.Key] = asString(t.Value);
      return out;
    }
    return isObject(v) ? stringRecord(v) : undefined;
  }

  private fill(s: Stack, id: string, node: Node): void {
    // A resource that is not an object (null, a string) is of no known type: it has no properties to read.
    const entry = resourceOf(s.resources, id);
    const res: Json = isObject(entry) ? entry : {};
    const raw = isObject(res.Properties) ? res.Properties : {};
    const r = (v: unknown) => this.resolve(v, s);
    const p = node.p;
    const removal = (dflt: RemovalFact): Known<RemovalFact> => {
      const d = res.DeletionPolicy;
      if (d === undefined) return dflt;
      if (d === 'Retain' || d === 'RetainExceptOnCreate') return 'retain';
      if (d === 'Snapshot') return 'snapshot';
      return d === 'Delete' ? 'delete' : undefined;
    };
    const key = (v: unknown): KeyLink => (v === undefined ? null : keyLink(r(v)));
    switch (node.kind) {
      case 'key':
        p.rotation = node.type === 'AWS::KMS::ReplicaKey' ? undefined : raw.EnableKeyRotation === undefined ? false : asBool(r(raw.EnableKeyRotation));
        p.multiRegion = node.type === 'AWS::KMS::ReplicaKey' ? true : raw.MultiRegion === undefined ? false : asBool(r(raw.MultiRegion));
        // KMS waits 30 days when PendingWindowInDays is not set.
        // https://docs.aws.amazon.com/kms/latest/APIReference/API_ScheduleKeyDeletion.html
        p.pendingWindowDays = raw.PendingWindowInDays === undefined ? 30 : asNumber(r(raw.PendingWindowInDays));
        p.removal = removal('delete');
        break;
      case 'alias':
        p.name = asString(r(raw.AliasName));
        p.target = linkOf(r(raw.TargetKeyId));
        break;
      case 'global-cluster':
        p.identifier = asString(r(raw.GlobalClusterIdentifier));
        p.engine = asString(r(raw.Engine));
        p.deletionProtection = raw.DeletionProtection === undefined ? false : asBool(r(raw.DeletionProtection));
        p.storageEncrypted = raw.StorageEncrypted === undefined ? false : asBool(r(raw.StorageEncrypted));
        p.sourceCluster = raw.SourceDBClusterIdentifier === undefined ? null : linkOf(r(raw.SourceDBClusterIdentifier));
        p.removal = removal('delete');
        break;
      case 'cluster': {
        p.identifier = asString(r(raw.DBClusterIdentifier));
        p.engine = asString(r(raw.Engine));
        p.global = raw.GlobalClusterIdentifier === undefined ? null : linkOf(r(raw.GlobalClusterIdentifier));
        p.encrypted = raw.SnapshotIdentifier !== undefined ? undefined : raw.StorageEncrypted === undefined ? false : asBool(r(raw.StorageEncrypted));
        p.key = key(raw.KmsKeyId);
        p.deletionProtection = raw.DeletionProtection === undefined ? false : asBool(r(raw.DeletionProtection));
        // CloudFormation snapshots a DB cluster on deletion unless told otherwise (every other type: Delete).
        // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-attribute-deletionpolicy.html
        p.removal = removal('snapshot');
        p.hasMasterCredentials = raw.MasterUsername !== undefined || raw.MasterUserPassword !== undefined || raw.ManageMasterUserPassword !== undefined;
        p.masterUsername = raw.MasterUsername === undefined ? null : asString(r(raw.MasterUsername));
        p.parameters = this.parameters(r(raw.DBClusterParameterGroupName), raw.DBClusterParameterGroupName === undefined);
        p.logExports = raw.EnableCloudwatchLogsExports === undefined ? [] : stringList(r(raw.EnableCloudwatchLogsExports));
        p.sourceRegion = raw.SourceRegion === undefined ? null : asString(r(raw.SourceRegion));
        p.backupRetentionDays = raw.BackupRetentionPeriod === undefined ? 1 : asNumber(r(raw.BackupRetentionPeriod));
        p.writeForwarding = raw.EnableGlobalWriteForwarding === undefined ? false : asBool(r(raw.EnableGlobalWriteForwarding));
        break;
      }
      case 'instance': {
        const c = r(raw.DBClusterIdentifier);
        p.cluster = isNode(c) ? c : asString(c);
        break;
      }
      case 'parameter-group':
        p.parameters = stringRecord(r(raw.Parameters));
        break;
      case 'table': {
        p.name = asString(r(raw.TableName));
        p.removal = removal('delete');
        const sse = r(raw.SSESpecification);
        const sseOn = raw.SSESpecification === undefined ? false : isObject(sse) ? asBool(sse.SSEEnabled) ?? false : undefined;
        const replica = (x: unknown) => {
          const rep = isObject(x) ? x : {};
          const rsse = rep.SSESpecification;
          // Without SSEEnabled the table is encrypted with an AWS owned key: encrypted, but no key of ours.
          const k: KeyLink = sseOn === undefined ? undefined : !sseOn ? null
            : isObject(rsse) && rsse.KMSMasterKeyId !== undefined ? keyLink(rsse.KMSMasterKeyId)
              : isObject(sse) && sse.KMSMasterKeyId !== undefined ? keyLink(sse.KMSMasterKeyId) : 'alias/aws/dynamodb';
          return {
            region: asString(rep.Region) ?? (node.type === 'AWS::DynamoDB::Table' ? node.region : undefined),
            key: k, encrypted: true,
            deletionProtection: rep.DeletionProtectionEnabled === undefined ? false : asBool(rep.DeletionProtectionEnabled),
          };
        };
        if (node.type === 'AWS::DynamoDB::Table') p.replicas = [replica(r({ DeletionProtectionEnabled: raw.DeletionProtectionEnabled }))];
        else {
          const reps = r(raw.Replicas);
          p.replicas = Array.isArray(reps) ? reps.map(replica) : undefined;
        }
        break;
      }
      case 'health-check': {
        const c = r(raw.HealthCheckConfig);
        const cfg = isObject(c) ? c : {};
        p.type = asString(cfg.Type);
        p.fqdn = cfg.FullyQualifiedDomainName === undefined ? null : asString(cfg.FullyQualifiedDomainName);
        p.intervalSeconds = cfg.RequestInterval === undefined ? 30 : asNumber(cfg.RequestInterval);
        p.failureThreshold = cfg.FailureThreshold === undefined ? 3 : asNumber(cfg.FailureThreshold);
        p.port = cfg.Port === undefined ? null : asNumber(cfg.Port);
        p.path = cfg.ResourcePath === undefined ? null : asString(cfg.ResourcePath);
        p.searchString = cfg.SearchString === undefined ? null : asString(cfg.SearchString);
        p.checkerRegions = cfg.Regions === undefined ? null : stringList(cfg.Regions);
        if (!isObject(c)) Object.assign(p, { type: undefined, intervalSeconds: undefined, failureThreshold: undefined });
        break;
      }
      case 'record':
        Object.assign(p, recordProps(r(raw)));
        break;
      case 'zone':
        p.name = trimDot(asString(r(raw.Name)));
        break;
      case 'vpc':
        p.cidr = asString(r(raw.CidrBlock));
        break;
      case 'peering':
        p.requesterVpc = linkOf(r(raw.VpcId));
        p.accepterVpc = linkOf(r(raw.PeerVpcId));
        p.peerRegion = raw.PeerRegion === undefined ? null : asString(r(raw.PeerRegion));
        break;
      case 'route-table':
        p.vpc = linkOf(r(raw.VpcId));
        break;
      case 'route': {
        const t = r(raw.RouteTableId);
        p.table = isNode(t) ? t : undefined;
        p.destination = asString(r(raw.DestinationCidrBlock ?? raw.DestinationIpv6CidrBlock));
        const pcx = raw.VpcPeeringConnectionId === undefined ? null : linkOf(r(raw.VpcPeeringConnectionId));
        p.peering = pcx;
        const other = raw.GatewayId ?? raw.NatGatewayId ?? raw.TransitGatewayId ?? raw.InstanceId ?? raw.NetworkInterfaceId ?? raw.VpcEndpointId ?? raw.EgressOnlyInternetGatewayId ?? raw.CarrierGatewayId ?? raw.LocalGatewayId ?? raw.CoreNetworkArn;
        p.target = other === undefined ? (pcx === null ? undefined : null) : routeTarget(r(other));
        break;
      }
      case 'security-group':
        p.vpc = linkOf(r(raw.VpcId));
        p.name = raw.GroupName === undefined ? undefined : asString(r(raw.GroupName));
        p.ingress = raw.SecurityGroupIngress === undefined ? [] : listOf(r(raw.SecurityGroupIngress))?.map(ingressRule);
        break;
      case 'ingress':
        p.group = linkOf(r(raw.GroupId));
        p.rule = ingressRule(r(raw));
        break;
      case 'vpc-endpoint':
        p.vpc = linkOf(r(raw.VpcId));
        p.serviceName = asString(r(raw.ServiceName));
        p.type = raw.VpcEndpointType === undefined ? undefined : asString(r(raw.VpcEndpointType));
        p.privateDns = raw.PrivateDnsEnabled === undefined ? undefined : asBool(r(raw.PrivateDnsEnabled));
        break;
      case 'subnet':
        p.vpc = linkOf(r(raw.VpcId));
        p.cidr = asString(r(raw.CidrBlock));
        p.availabilityZone = asString(r(raw.AvailabilityZone));
        break;
      case 'alarm': {
        p.name = asString(r(raw.AlarmName));
        // A metric-math alarm: the expression it returns, and its first metric as the headline metric.
        const queries = raw.Metrics === undefined ? undefined : listOf(r(raw.Metrics))?.filter(isObject);
        const head = queries?.map((q) => (isObject(q.MetricStat) ? q.MetricStat : undefined)).find((m) => m !== undefined);
        const metric = head && isObject(head.Metric) ? head.Metric : undefined;
        const source = raw.Metrics === undefined ? r({ Namespace: raw.Namespace, MetricName: raw.MetricName, Dimensions: raw.Dimensions }) as Json : metric ?? {};
        p.expression = raw.Metrics === undefined ? null : asString((queries?.find((q) => q.ReturnData !== false && q.Expression !== undefined) ?? {}).Expression);
        p.namespace = asString(source.Namespace);
        p.metric = asString(source.MetricName);
        const dims = source.Dimensions === undefined ? [] : listOf(source.Dimensions);
        p.dimensions = dims === undefined ? undefined : Object.fromEntries(dims.filter(isObject).map((d) => [keyString(d.Name), isNode(d.Value) ? d.Value : asString(d.Value)]));
        p.unit = raw.Unit === undefined ? null : asString(r(raw.Unit));
        p.statistic = head ? asString(head.Stat) : asString(r(raw.Statistic ?? raw.ExtendedStatistic));
        p.threshold = asNumber(r(raw.Threshold));
        p.comparison = asString(r(raw.ComparisonOperator));
        p.periodSeconds = head ? asNumber(head.Period) : asNumber(r(raw.Period));
        p.evaluationPeriods = asNumber(r(raw.EvaluationPeriods));
        p.treatMissingData = raw.TreatMissingData === undefined ? 'missing' : asString(r(raw.TreatMissingData));
        p.description = raw.AlarmDescription === undefined ? null : asString(r(raw.AlarmDescription));
        break;
      }
      case 'region-switch-plan': {
        // Triggers: the action and the names of the alarms that must be red (the sustained-failure alarm).
        const triggers = r(raw.Triggers);
        p.triggers = raw.Triggers === undefined ? [] : Array.isArray(triggers) ? triggers.map((t) => {
          const x = isObject(t) ? t : {};
          const conditions = r(x.Conditions);
          return {
            action: asString(r(x.Action)),
            redAlarms: Array.isArray(conditions)
              ? conditions.filter((c) => isObject(c) && r(c.Condition) === 'red').map((c) => asString(r((c as Record<string, unknown>).AssociatedAlarmName)))
              : [],
          };
        }) : undefined;
        break;
      }
      case 'experiment': {
        const actions = r(raw.Actions);
        p.actions = isObject(actions) ? Object.entries(actions).map(([name, a]) => {
          const x = isObject(a) ? a : {};
          return {
            name, actionId: asString(x.ActionId),
            parameters: x.Parameters === undefined ? {} : stringRecord(x.Parameters),
            targets: x.Targets === undefined ? {} : stringRecord(x.Targets),
            startAfter: x.StartAfter === undefined ? [] : stringList(x.StartAfter),
          };
        }) : undefined;
        const targets = r(raw.Targets);
        p.targets = isObject(targets) ? Object.entries(targets).map(([k, t]) => {
          const x = isObject(t) ? t : {};
          return {
            key: k, resourceType: asString(x.ResourceType), selectionMode: asString(x.SelectionMode),
            resourceTags: x.ResourceTags === undefined ? null : stringRecord(x.ResourceTags) as Record<string, string> | undefined,
            resourceArns: x.ResourceArns === undefined ? null : listOf(x.ResourceArns)?.map(linkOf),
          };
        }) : undefined;
        const stops = raw.StopConditions === undefined ? [] : listOf(r(raw.StopConditions));
        p.stopConditions = stops?.map((c) => {
          const x = isObject(c) ? c : {};
          return { source: asString(x.Source), alarm: x.Value === undefined ? null : linkOf(x.Value) };
        });
        p.role = linkOf(r(raw.RoleArn));
        p.description = asString(r(raw.Description));
        break;
      }
      case 'role': {
        p.name = raw.RoleName === undefined ? null : asString(r(raw.RoleName));
        const trust = r(raw.AssumeRolePolicyDocument);
        p.assumedBy = statements(trust)?.flatMap((st) => (st.principal ? stringList(st.principal) ?? [] : []));
        const policies = raw.Policies === undefined ? [] : listOf(r(raw.Policies));
        const all = policies?.map((x) => (isObject(x) ? statements(x.PolicyDocument) : undefined));
        p.statements = all === undefined || all.some((x) => x === undefined) ? undefined : all.flatMap((x) => x ?? []);
        p.managedPolicies = raw.ManagedPolicyArns === undefined ? [] : listOf(r(raw.ManagedPolicyArns))?.map((x) => looseString(x) ?? '*');
        break;
      }
      case 'policy': {
        const roles = raw.Roles !== undefined ? listOf(r(raw.Roles)) : raw.RoleName !== undefined ? [r(raw.RoleName)] : [];
        p.roles = roles?.map(linkOf) ?? [];
        p.statements = statements(r(raw.PolicyDocument));
        break;
      }
      case 'secret': {
        p.name = raw.Name === undefined ? undefined : asString(r(raw.Name));
        p.key = key(raw.KmsKeyId);
        const reps = raw.ReplicaRegions === undefined ? [] : listOf(r(raw.ReplicaRegions));
        p.replicas = reps?.map((x) => ({ region: isObject(x) ? asString(x.Region) : undefined }));
        p.removal = removal('delete');
        break;
      }
      case 'log-group':
        p.name = raw.LogGroupName === undefined ? undefined : asString(r(raw.LogGroupName));
        p.retentionDays = raw.RetentionInDays === undefined ? null : asNumber(r(raw.RetentionInDays));
        p.key = key(raw.KmsKeyId);
        p.removal = removal('delete');
        break;
      default:
        break;
    }
  }

  private parameters(v: unknown, absent: boolean): Known<Record<string, string> | null> {
    if (absent) return null;
    if (isNode(v)) return v.kind === 'parameter-group' ? (this.resolveGroup(v)) : undefined;
    // `default.<family>` is RDS's default group: no parameters of our own.
    return typeof v === 'string' && v.startsWith('default.') ? null : undefined;
  }

  private resolveGroup(n: Node): Known<Record<string, string>> {
    const s = this.stacks.find((x) => x.nodes.get(n.source.id ?? '') === n);
    const res = s?.resources[n.source.id ?? ''];
    const props = isObject(res) && isObject(res.Properties) ? res.Properties : {};
    const params = s ? stringRecord(this.resolve(props.Parameters, s)) : undefined;
    return params && Object.values(params).every((x) => x !== undefined) ? params as Record<string, string> : undefined;
  }
}

function join(sep: string, parts: readonly unknown[]): unknown {
  if (parts.every((x) => typeof x === 'string' || typeof x === 'number')) return parts.join(sep);
  const out: unknown[] = [];
  parts.forEach((x, i) => {
    if (i > 0 && sep) out.push(sep);
    out.push(x instanceof Composite ? new Composite(x.parts) : x);
  });
  return new Composite(out.flatMap((x) => (x instanceof Composite ? x.parts : [x])));
}

function listOf(v: unknown): unknown[] | undefined {
  return Array.isArray(v) ? v : undefined;
}

function ingressRule(v: unknown) {
  const x = isObject(v) ? v : {};
  return {
    protocol: asString(x.IpProtocol), fromPort: x.FromPort === undefined ? null : asNumber(x.FromPort),
    toPort: x.ToPort === undefined ? null : asNumber(x.ToPort),
    cidr: x.CidrIp === undefined && x.CidrIpv6 === undefined ? null : asString(x.CidrIp ?? x.CidrIpv6),
    sourceSecurityGroupId: x.SourceSecurityGroupId === undefined ? null : isNode(x.SourceSecurityGroupId) ? x.SourceSecurityGroupId.source.id : asString(x.SourceSecurityGroupId),
  };
}

/** Policy statements; `principal` carries the service principals (for trust policies). */
function statements(doc: unknown): (RawStatement & { principal?: unknown })[] | undefined {
  if (!isObject(doc)) return undefined;
  const list = Array.isArray(doc.Statement) ? doc.Statement : isObject(doc.Statement) ? [doc.Statement] : undefined;
  return list?.map((s) => {
    const x = isObject(s) ? s : {};
    const principal = isObject(x.Principal) ? x.Principal.Service : undefined;
    return {
      effect: asString(x.Effect), actions: x.Action === undefined ? [] : stringList(x.Action),
      resources: x.Resource === undefined ? [] : Array.isArray(x.Resource) ? x.Resource.map((y) => linkOf(y) ?? looseString(y)) : [linkOf(x.Resource) ?? looseString(x.Resource)],
      condition: x.Condition, principal,
    };
  });
}

const RECORD_SET_GROUP = 'AWS::Route53::RecordSetGroup';

function recordSetsOf(group: unknown): unknown[] {
  const props = isObject(group) && isObject(group.Properties) ? group.Properties : {};
  return Array.isArray(props.RecordSets) ? props.RecordSets : [];
}

/** The node id of the `index`th record set of a record set group. */
function groupMemberId(groupId: string, index: number): string {
  return `${groupId}.RecordSets[${index}]`;
}

/**
 * The resource behind a node id: the template's resource, or a record set of a record set group seen as
 * an `AWS::Route53::RecordSet` that inherits the group's hosted zone.
 */
function resourceOf(resources: Json, id: string): unknown {
  if (Object.prototype.hasOwnProperty.call(resources, id)) return resources[id];
  const m = /^(.*)\.RecordSets\[(\d+)\]$/.exec(id);
  const group = m ? resources[m[1] ?? ''] : undefined;
  if (!m || !isObject(group) || !isObject(group.Properties)) return undefined;
  const set = recordSetsOf(group)[Number(m[2])];
  if (!isObject(set)) return undefined;
  const { HostedZoneId, HostedZoneName } = group.Properties;
  return { Type: 'AWS::Route53::RecordSet', Properties: { HostedZoneId, HostedZoneName, ...set } };
}

function recordProps(v: unknown): Record<string, unknown> {
  const x = isObject(v) ? v : {};
  const alias = x.AliasTarget;
  const geo = x.GeoLocation;
  const prox = x.GeoProximityLocation;
  const routing = x.Failover !== undefined ? 'failover' : geo !== undefined ? 'geolocation' : x.Region !== undefined ? 'latency'
    : prox !== undefined ? 'geoproximity' : x.Weight !== undefined ? 'weighted'
      : x.CidrRoutingConfig !== undefined || x.MultiValueAnswer !== undefined ? undefined : 'simple';
  const hc = x.HealthCheckId;
  const zone = x.HostedZoneId;
  const coords = isObject(prox) && isObject(prox.Coordinates) ? prox.Coordinates : undefined;
  return {
    name: trimDot(asString(x.Name)), type: asString(x.Type), routing,
    ttlSeconds: alias !== undefined ? null : asNumber(x.TTL),
    setIdentifier: x.SetIdentifier === undefined ? null : asString(x.SetIdentifier),
    failover: x.Failover === undefined ? null : x.Failover === 'PRIMARY' || x.Failover === 'SECONDARY' ? x.Failover : undefined,
    geolocation: geo === undefined ? null : isObject(geo) ? dropUndefined({ continentCode: asString(geo.ContinentCode), countryCode: asString(geo.CountryCode), subdivisionCode: asString(geo.SubdivisionCode) }) : undefined,
    latencyRegion: x.Region === undefined ? null : asString(x.Region),
    weight: x.Weight === undefined ? null : asNumber(x.Weight),
    geoproximity: prox === undefined ? null : isObject(prox) ? dropUndefined({
      awsRegion: asString(prox.AWSRegion), bias: asNumber(prox.Bias) ?? 0,
      coordinates: coords ? { latitude: Number(coords.Latitude), longitude: Number(coords.Longitude) } : undefined,
    }) : undefined,
    healthCheck: hc === undefined ? null : linkOf(hc),
    values: alias !== undefined ? null : x.ResourceRecords === undefined ? undefined : stringList(x.ResourceRecords),
    aliasTarget: alias === undefined ? null : isObject(alias) ? {
      dnsName: trimDot(asString(alias.DNSName)), node: aliasTargetNode(alias.DNSName), evaluateTargetHealth: alias.EvaluateTargetHealth === undefined ? false : asBool(alias.EvaluateTargetHealth),
      // A zone of the artifact has no id before deployment: named only when written as a literal.
      ...(typeof alias.HostedZoneId === 'string' ? { hostedZoneId: alias.HostedZoneId } : {}),
    } : undefined,
    zoneName: trimDot(asString(x.HostedZoneName)),
    zoneNode: isNode(zone) ? zone : undefined,
  };
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Suppressions a template declares in `Metadata.meridian.suppressions` (the same shape as in a spec). */
function suppressionsOf(template: unknown): SuppressionFact[] {
  return suppressionList(isObject(template) && isObject(template.Metadata) ? template.Metadata.meridian : undefined);
}

/** Facts from templates already read (the contract the CLI and the synth-time plugin use). */
export function factsFromTemplates(inputs: readonly TemplateInput[], fallbackName = 'app'): FactsSet {
  const reader = new CfnReader(inputs);
  const nodes = reader.nodes();
  // Records name their zone through the zone resource; fill it now that every node exists.
  for (const n of nodes) {
    if (n.kind === 'record' && n.p.zoneName === undefined && isNode(n.p.zoneNode)) n.p.zoneName = n.p.zoneNode.p.name;
  }
  // A stack's suppressions belong to its topology: one deployment's accepted findings never hide another's.
  const suppressions = new Map<string, SuppressionFact[]>();
  const seen = new Set<string>();
  for (const s of reader.stacks) {
    for (const x of suppressionsOf(s.input.template)) {
      const k = `${s.group}\u0000${JSON.stringify(x)}`;
      if (seen.has(k)) continue;
      seen.add(k);
      const list = suppressions.get(s.group);
      if (list) list.push(x);
      else suppressions.set(s.group, [x]);
    }
  }
  return { facts: assemble(nodes, { fallbackName, suppressions }), files: inputs.map((i) => i.file) };
}

function readJson(file: string, readText: (f: string) => string): { json: unknown; text: string } {
  let text: string;
  try {
    text = readText(file);
  } catch (e) {
    throw new FactsInputError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (text.trim() === '') throw new FactsInputError(file, 'is empty');
  try {
    return { json: JSON.parse(text), text };
  } catch (e) {
    throw new FactsInputError(file, `is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

const defaultRead = (f: string) => fs.readFileSync(f, 'utf8');

/** Region and account of a manifest environment `aws://<account>/<region>`; unknown-* are unknown. */
function environment(env: unknown): { region: Known<string>; account: Known<string> } {
  const m = typeof env === 'string' ? /^aws:\/\/([^/]+)\/(.+)$/.exec(env) : null;
  const known = (x: string | undefined) => (x && !x.startsWith('unknown-') ? x : undefined);
  return { account: known(m?.[1]), region: known(m?.[2]) };
}

/** The stack templates of a cloud assembly folder, nested stage assemblies and nested stacks included. */
export function cloudAssemblyInputs(dir: string, readText: (f: string) => string = defaultRead, depth = 0): TemplateInput[] {
  const manifestFile = path.join(dir, 'manifest.json');
  const { json: manifest } = readJson(manifestFile, readText);
  if (!isObject(manifest) || !isObject(manifest.artifacts)) throw new FactsInputError(manifestFile, 'is not a cloud assembly manifest (no artifacts)');
  if (depth > 16) throw new FactsInputError(manifestFile, 'nests cloud assemblies more than 16 levels deep');
  const out: TemplateInput[] = [];
  for (const [id, a] of Object.entries(manifest.artifacts)) {
    if (!isObject(a)) continue;
    const props = isObject(a.properties) ? a.properties : {};
    if (a.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      out.push(...cloudAssemblyInputs(path.join(dir, props.directoryName), readText, depth + 1));
    } else if (a.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
      const file = path.join(dir, props.templateFile);
      const { json, text } = readJson(file, readText);
      const env = { ...environment(a.environment), tags: stackTags(props.tags) };
      const stackName = typeof props.stackName === 'string' ? props.stackName : id;
      out.push({ file, stackName, ...env, template: json, text });
      out.push(...nestedStacks(dir, json, stackName, env, readText));
    }
  }
  return out;
}

/**
 * The stack-level tags a manifest records for a stack (`properties.tags`, a key → value object; older
 * manifests wrote a `[{ Key, Value }]` list). Only literal string values: a tag is data, not a reference.
 */
function stackTags(v: unknown): Record<string, string> | undefined {
  const entries = Array.isArray(v) ? v.filter(isObject).map((t) => [t.Key, t.Value] as const) : isObject(v) ? Object.entries(v) : [];
  const out: Record<string, string> = {};
  for (const [k, x] of entries) if (typeof k === 'string' && typeof x === 'string') out[k] = x;
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * CDK nested stacks: `AWS::CloudFormation::Stack` resources whose template is an asset of the assembly.
 * They share their parent's environment and stack-level tags (CloudFormation passes those on).
 */
function nestedStacks(dir: string, template: unknown, parent: string, env: { region: Known<string>; account: Known<string>; tags?: Readonly<Record<string, string>> }, readText: (f: string) => string): TemplateInput[] {
  const resources = isObject(template) && isObject(template.Resources) ? template.Resources : {};
  const out: TemplateInput[] = [];
  for (const id of Object.keys(resources)) {
    const r = resources[id];
    if (!isObject(r) || r.Type !== 'AWS::CloudFormation::Stack' || !isObject(r.Metadata)) continue;
    const asset = r.Metadata['aws:asset:path'];
    if (typeof asset !== 'string' || !asset.endsWith('.json')) continue;
    const file = path.join(dir, asset);
    const { json, text } = readJson(file, readText);
    out.push({ file, stackName: `${parent}/${id}`, ...env, template: json, text });
  }
  return out;
}

/** Facts from a CDK cloud assembly folder (`cdk.out`). */
export function factsFromCloudAssembly(dir: string, opts: { readText?: (file: string) => string } = {}): FactsSet {
  const inputs = cloudAssemblyInputs(dir, opts.readText ?? defaultRead);
  return factsFromTemplates(inputs, path.basename(path.resolve(dir)));
}

/** Facts from one bare template file; its region is unknown unless given. */
export function factsFromTemplateFile(file: string, opts: { region?: string; readText?: (file: string) => string } = {}): FactsSet {
  const { json, text } = readJson(file, opts.readText ?? defaultRead);
  return factsFromTemplates([{ file, stackName: path.basename(file).replace(/\.template\.json$|\.json$/, ''), region: opts.region, template: json, text }], path.basename(file));
}

export { readJson as readJsonFile };
