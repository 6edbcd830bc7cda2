/**
 * Facts from Terraform JSON configuration (`cdk.tf.json`, a cdktf.out folder, or any `*.tf.json`).
 * Each resource's region comes from its own `region` argument (AWS provider 6.x), else from the provider
 * configuration it names (`provider = "aws.<alias>"`), else from the default `aws` provider block.
 * `${type.name.attr}` interpolations are followed to the resource; `local.*` to the local value;
 * variables, data sources and functions are deploy-time values, hence unknown. Pure: no cdktf import.
 */
import * as fs from 'fs';
import * as path from 'path';
import { FactsInputError } from './errors';
import { assemble, groupOfTags, MERIDIAN_TAGS, type KeyLink, type Node, type NodeKind, type RawStatement } from './graph';
import {
  Composite, aliasTargetNode, asBool, asNumber, asString, isNode, isObject, keyLines, keyLink, keyString, linkOf, looseString, node, routeTarget, stringList, stringRecord,
  suppressionList, trimDot,
} from './resolve';

/** Arguments of a route (or an inline route block) that name where its traffic goes, other than a peering. */
const ROUTE_TARGET_ARGUMENTS: readonly string[] = [
  'gateway_id', 'nat_gateway_id', 'transit_gateway_id', 'network_interface_id', 'vpc_endpoint_id', 'egress_only_gateway_id',
  'carrier_gateway_id', 'local_gateway_id', 'core_network_arn',
];
import type { FactsSet, IngressRuleFact, Known, RemovalFact, SuppressionFact } from './types';

type Json = Record<string, unknown>;

export interface TerraformInput {
  readonly file: string;
  readonly json: unknown;
  readonly text?: string;
}

const MAX_DEPTH = 64;

const KIND: Readonly<Record<string, NodeKind>> = {
  aws_kms_key: 'key', aws_kms_replica_key: 'key', aws_kms_alias: 'alias',
  aws_rds_global_cluster: 'global-cluster', aws_rds_cluster: 'cluster', aws_rds_cluster_instance: 'instance',
  aws_rds_cluster_parameter_group: 'parameter-group', aws_dynamodb_table: 'table',
  aws_route53_health_check: 'health-check', aws_route53_record: 'record', aws_route53_zone: 'zone',
  aws_vpc: 'vpc', aws_vpc_peering_connection: 'peering', aws_route_table: 'route-table', aws_route: 'route',
  aws_security_group: 'security-group', aws_vpc_security_group_ingress_rule: 'ingress', aws_security_group_rule: 'ingress',
  aws_subnet: 'subnet', aws_vpc_endpoint: 'vpc-endpoint', aws_cloudwatch_metric_alarm: 'alarm', aws_fis_experiment_template: 'experiment',
  aws_iam_role: 'role', aws_iam_role_policy: 'policy', aws_iam_policy: 'policy',
  aws_secretsmanager_secret: 'secret', aws_cloudwatch_log_group: 'log-group',
};

/** First block of a nested block (cdktf writes single blocks as objects, Terraform allows lists). */
function first(v: unknown): Json | undefined {
  if (Array.isArray(v)) return isObject(v[0]) ? v[0] : undefined;
  return isObject(v) ? v : undefined;
}
/** The provider configuration a resource block names (`provider = "aws.west"`), else the default `aws`. */
function providerOf(block: Json): string {
  return typeof block.provider === 'string' ? block.provider.replace(/^\$\{(.*)\}$/, '$1') : 'aws';
}
function blocks(v: unknown): Json[] {
  return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter(isObject);
}

class TfReader {
  readonly nodes = new Map<string, Node>();
  private readonly raw = new Map<Node, Json>();
  private readonly visiting = new Set<string>();
  private readonly locals: Json;
  private readonly providers: Map<string, Json>;
  private readonly settings = new Map<string, { region: Known<string>; defaultTags: Record<string, Known<string>> | undefined }>();
  private readonly extra: Node[] = [];
  /** The configuration's topology ('' when none of its resources carries the tag). */
  readonly group: string;

  constructor(input: TerraformInput) {
    const json = input.json;
    if (!isObject(json)) throw new FactsInputError(input.file, 'is not a Terraform JSON configuration (expected an object)');
    this.locals = {};
    for (const l of blocks(json.locals)) Object.assign(this.locals, l);
    this.providers = new Map();
    for (const p of blocks(json.provider ? (json.provider as Json).aws : undefined)) {
      this.providers.set(typeof p.alias === 'string' ? `aws.${p.alias}` : 'aws', p);
    }
    const resources = isObject(json.resource) ? json.resource : {};
    const lines = keyLines(input.text);
    for (const [type, byName] of Object.entries(resources)) {
      if (!isObject(byName)) continue;
      const typeLine = lines(type);
      for (const [name, block] of Object.entries(byName)) {
        if (!isObject(block)) continue;
        const address = `${type}.${name}`;
        const n: Node = node({
          kind: KIND[type] ?? 'other', type, region: undefined, tags: undefined, group: '',
          source: { file: input.file, line: lines(name, typeLine ?? 0), id: address }, p: {},
        });
        this.nodes.set(address, n);
        this.raw.set(n, block);
      }
    }
    for (const [node, block] of this.raw) {
      const w = node as { region: Known<string>; tags: Node['tags'] };
      w.region = this.regionOf(block);
      w.tags = this.tagsOf(block);
    }
    // One configuration is one stack: untagged resources belong to its topology.
    this.group = groupOfTags([...this.raw.keys()].map((n) => n.tags));
    for (const node of this.raw.keys()) {
      const own = node.tags?.[MERIDIAN_TAGS.topology];
      (node as { group: string }).group = typeof own === 'string' ? own : this.group;
    }
    for (const [node, block] of this.raw) this.fill(node, block);
    this.linkPolicies();
  }

  all(): Node[] {
    return [...this.raw.keys(), ...this.extra];
  }

  // ---- resolution ----------------------------------------------------------------------------------------

  resolve(v: unknown, depth = 0): unknown {
    if (depth > MAX_DEPTH) return undefined;
    if (typeof v === 'string') return this.interpolate(v, depth);
    if (Array.isArray(v)) return v.map((x) => this.resolve(x, depth + 1));
    if (isObject(v)) {
      // One object built in place (no entries, filtered and mapped copies): this runs for every object of every block.
      const out: Json = {};
      for (const k of Object.keys(v)) {
        if (k === '//') continue;
        const x = this.resolve(v[k], depth + 1);
        // An own `__proto__` key stays a key (as Object.fromEntries made it), never the object's prototype.
        if (k === '__proto__') Object.defineProperty(out, k, { value: x, enumerable: true, writable: true, configurable: true });
        else out[k] = x;
      }
      return out;
    }
    return v;
  }

  private interpolate(s: string, depth: number): unknown {
    if (!s.includes('${')) return s;
    const parts: unknown[] = [];
    let last = 0;
    // Expressions do not nest braces in what cdktf writes; a nested one is left unknown.
    for (const m of s.matchAll(/\$\{([^{}]*)\}/g)) {
      parts.push(s.slice(last, m.index));
      parts.push(this.expr((m[1] ?? '').trim(), depth));
      last = (m.index ?? 0) + m[0].length;
    }
    parts.push(s.slice(last));
    if (s.slice(last).includes('${')) return undefined;
    const kept = parts.filter((p) => p !== '');
    if (kept.length === 1) return kept[0];
    if (kept.every((p) => typeof p === 'string' || typeof p === 'number')) return kept.join('');
    return new Composite(kept);
  }

  private expr(e: string, depth: number): unknown {
    const local = /^local\.([A-Za-z0-9_-]+)$/.exec(e);
    if (local) {
      const key = `local.${local[1]}`;
      // A cycle of locals resolves to unknown instead of recursing forever.
      if (this.visiting.has(key) || !(local[1] as string in this.locals)) return undefined;
      this.visiting.add(key);
      try {
        return this.resolve(this.locals[local[1] as string], depth + 1);
      } finally {
        this.visiting.delete(key);
      }
    }
    const ref = /^([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?(?:\.[A-Za-z0-9_]+(?:\[\d+\])?)*$/.exec(e);
    if (ref && !['var', 'data', 'ephemeral', 'module', 'path', 'terraform', 'each', 'count', 'self'].includes(ref[1] as string)) {
      return this.nodes.get(`${ref[1]}.${ref[2]}`);
    }
    return undefined;
  }

  /**
   * A provider configuration's region and default tags, resolved once per provider rather than once per
   * resource that uses it (the same answer: nothing else is being resolved when the constructor asks).
   */
  private providerSettings(provider: string): { region: Known<string>; defaultTags: Record<string, Known<string>> | undefined } {
    let settings = this.settings.get(provider);
    if (!settings) {
      const p = this.providers.get(provider);
      const defaults = first(p?.default_tags)?.tags;
      settings = { region: p ? asString(this.resolve(p.region)) : undefined, defaultTags: defaults === undefined ? {} : stringRecord(this.resolve(defaults)) };
      this.settings.set(provider, settings);
    }
    return settings;
  }

  private regionOf(block: Json): Known<string> {
    if (block.region !== undefined) return asString(this.resolve(block.region));
    return this.providerSettings(providerOf(block)).region;
  }

  private tagsOf(block: Json): Node['tags'] {
    const own = block.tags ?? block.tags_all;
    const d = this.providerSettings(providerOf(block)).defaultTags;
    const o = own === undefined ? {} : stringRecord(this.resolve(own));
    return d === undefined || o === undefined ? undefined : { ...d, ...o };
  }

  // ---- mapping -------------------------------------------------------------------------------------------

  private fill(node: Node, raw: Json): void {
    const r = (v: unknown) => this.resolve(v);
    const p = node.p;
    const lifecycle = first(raw.lifecycle);
    const removal = (dflt: RemovalFact): Known<RemovalFact> => {
      const prevent = lifecycle?.prevent_destroy;
      // prevent_destroy makes any plan that destroys the resource fail: it survives, as with Retain.
      // https://developer.hashicorp.com/terraform/language/meta-arguments/lifecycle
      if (prevent === true) return 'retain';
      return prevent === undefined || prevent === false ? dflt : undefined;
    };
    const key = (v: unknown): KeyLink => (v === undefined ? null : keyLink(r(v)));
    const bool = (v: unknown, dflt: boolean) => (v === undefined ? dflt : asBool(r(v)));
    switch (node.kind) {
      case 'key':
        p.rotation = node.type === 'aws_kms_replica_key' ? undefined : bool(raw.enable_key_rotation, false);
        p.multiRegion = node.type === 'aws_kms_replica_key' ? true : bool(raw.multi_region, false);
        p.pendingWindowDays = raw.deletion_window_in_days === undefined ? 30 : asNumber(r(raw.deletion_window_in_days));
        p.removal = removal('delete');
        break;
      case 'alias':
        p.name = asString(r(raw.name));
        p.target = linkOf(r(raw.target_key_id));
        break;
      case 'global-cluster':
        p.identifier = asString(r(raw.global_cluster_identifier));
        p.engine = asString(r(raw.engine));
        p.deletionProtection = bool(raw.deletion_protection, false);
        p.storageEncrypted = bool(raw.storage_encrypted, false);
        p.sourceCluster = raw.source_db_cluster_identifier === undefined ? null : linkOf(r(raw.source_db_cluster_identifier));
        p.removal = removal('delete');
        break;
      case 'cluster': {
        p.identifier = asString(r(raw.cluster_identifier));
        p.engine = asString(r(raw.engine));
        p.global = raw.global_cluster_identifier === undefined ? null : linkOf(r(raw.global_cluster_identifier));
        p.encrypted = raw.snapshot_identifier !== undefined ? undefined : bool(raw.storage_encrypted, false);
        p.key = key(raw.kms_key_id);
        p.deletionProtection = bool(raw.deletion_protection, false);
        // The provider takes a final snapshot unless skip_final_snapshot is true.
        const skip = bool(raw.skip_final_snapshot, false);
        p.removal = skip === undefined ? removal('snapshot') && (lifecycle?.prevent_destroy === true ? 'retain' : undefined) : removal(skip ? 'delete' : 'snapshot');
        p.hasMasterCredentials = ['master_username', 'master_password', 'master_password_wo', 'manage_master_user_password'].some((k) => raw[k] !== undefined);
        p.masterUsername = raw.master_username === undefined ? null : asString(r(raw.master_username));
        const pg = raw.db_cluster_parameter_group_name;
        const g = r(pg);
        p.parameters = pg === undefined ? null : isNode(g) && g.kind === 'parameter-group' ? g.p.parameters ?? this.groupParameters(g)
          : typeof g === 'string' && g.startsWith('default.') ? null : undefined;
        p.logExports = raw.enabled_cloudwatch_logs_exports === undefined ? [] : stringList(r(raw.enabled_cloudwatch_logs_exports));
        p.sourceRegion = raw.source_region === undefined ? null : asString(r(raw.source_region));
        p.backupRetentionDays = raw.backup_retention_period === undefined ? 1 : asNumber(r(raw.backup_retention_period));
        p.writeForwarding = bool(raw.enable_global_write_forwarding, false);
        break;
      }
      case 'instance': {
        const c = r(raw.cluster_identifier);
        p.cluster = isNode(c) ? c : asString(c);
        break;
      }
      case 'parameter-group':
        p.parameters = this.groupParameters(node);
        break;
      case 'table': {
        p.name = asString(r(raw.name));
        p.removal = removal('delete');
        const sse = first(r(raw.server_side_encryption));
        const sseOn = raw.server_side_encryption === undefined ? false : sse ? asBool(sse.enabled) ?? false : undefined;
        const keyOf = (arn: unknown): KeyLink => (sseOn === undefined ? undefined : !sseOn ? null : arn === undefined ? 'alias/aws/dynamodb' : keyLink(arn));
        const replicas = blocks(r(raw.replica));
        p.replicas = [
          { region: node.region, key: keyOf(sse?.kms_key_arn), encrypted: true, deletionProtection: bool(raw.deletion_protection_enabled, false) },
          ...replicas.map((x) => ({
            region: asString(x.region_name), key: keyOf(x.kms_key_arn), encrypted: true,
            deletionProtection: x.deletion_protection_enabled === undefined ? false : asBool(x.deletion_protection_enabled),
          })),
        ];
        break;
      }
      case 'health-check':
        p.type = asString(r(raw.type));
        p.fqdn = raw.fqdn === undefined ? null : asString(r(raw.fqdn));
        p.intervalSeconds = raw.request_interval === undefined ? 30 : asNumber(r(raw.request_interval));
        p.failureThreshold = raw.failure_threshold === undefined ? 3 : asNumber(r(raw.failure_threshold));
        p.port = raw.port === undefined ? null : asNumber(r(raw.port));
        p.path = raw.resource_path === undefined ? null : asString(r(raw.resource_path));
        p.searchString = raw.search_string === undefined ? null : asString(r(raw.search_string));
        p.checkerRegions = raw.regions === undefined ? null : stringList(r(raw.regions));
        break;
      case 'record':
        Object.assign(p, recordProps(r(raw) as Json));
        break;
      case 'zone':
        p.name = trimDot(asString(r(raw.name)));
        break;
      case 'vpc':
        p.cidr = asString(r(raw.cidr_block));
        break;
      case 'peering':
        p.requesterVpc = linkOf(r(raw.vpc_id));
        p.accepterVpc = linkOf(r(raw.peer_vpc_id));
        p.peerRegion = raw.peer_region === undefined ? null : asString(r(raw.peer_region));
        break;
      case 'route-table':
        p.vpc = linkOf(r(raw.vpc_id));
        for (const [i, x] of blocks(r(raw.route)).entries()) this.extra.push(this.routeNode(node, i, x, node));
        break;
      case 'route':
        Object.assign(p, this.routeProps(r(raw) as Json));
        break;
      case 'security-group':
        p.vpc = linkOf(r(raw.vpc_id));
        p.name = raw.name === undefined ? undefined : asString(r(raw.name));
        p.ingress = blocks(r(raw.ingress)).flatMap((x) => ruleList(x));
        break;
      case 'ingress': {
        const x = r(raw) as Json;
        if (node.type === 'aws_security_group_rule' && x.type !== 'ingress') { (node as { kind: NodeKind }).kind = x.type === 'egress' ? 'other' : 'ingress'; }
        p.group = linkOf(x.security_group_id);
        p.rule = node.type === 'aws_security_group_rule' ? ruleList(x)[0] : {
          protocol: asString(x.ip_protocol), fromPort: x.from_port === undefined ? null : asNumber(x.from_port),
          toPort: x.to_port === undefined ? null : asNumber(x.to_port),
          cidr: x.cidr_ipv4 === undefined && x.cidr_ipv6 === undefined ? null : asString(x.cidr_ipv4 ?? x.cidr_ipv6),
          sourceSecurityGroupId: x.referenced_security_group_id === undefined ? null : isNode(x.referenced_security_group_id) ? x.referenced_security_group_id.source.id : asString(x.referenced_security_group_id),
        };
        break;
      }
      case 'vpc-endpoint':
        p.vpc = linkOf(r(raw.vpc_id));
        p.serviceName = asString(r(raw.service_name));
        p.type = raw.vpc_endpoint_type === undefined ? undefined : asString(r(raw.vpc_endpoint_type));
        p.privateDns = raw.private_dns_enabled === undefined ? undefined : asBool(r(raw.private_dns_enabled));
        break;
      case 'subnet':
        p.vpc = linkOf(r(raw.vpc_id));
        p.cidr = asString(r(raw.cidr_block));
        p.availabilityZone = asString(r(raw.availability_zone ?? raw.availability_zone_id));
        break;
      case 'alarm': {
        p.name = asString(r(raw.alarm_name));
        // A metric-math alarm: the expression it returns, and its first metric as the headline metric.
        const queries = raw.metric_query === undefined ? undefined : blocks(r(raw.metric_query));
        const head = queries?.map((q) => first(q.metric)).find((m) => m !== undefined);
        p.expression = queries === undefined ? null : asString((queries.find((q) => q.return_data !== false && q.expression !== undefined) ?? {}).expression);
        const src: Json = head ?? (r({ namespace: raw.namespace, metric_name: raw.metric_name, dimensions: raw.dimensions }) as Json);
        p.namespace = asString(src.namespace);
        p.metric = asString(src.metric_name);
        const dims = src.dimensions === undefined ? {} : src.dimensions;
        p.dimensions = isObject(dims) ? Object.fromEntries(Object.entries(dims).map(([k, v]) => [k, isNode(v) ? v : asString(v)])) : undefined;
        p.unit = raw.unit === undefined ? null : asString(r(raw.unit));
        p.statistic = head ? asString(head.stat) : asString(r(raw.statistic ?? raw.extended_statistic));
        p.threshold = asNumber(r(raw.threshold));
        p.comparison = asString(r(raw.comparison_operator));
        p.periodSeconds = head ? asNumber(head.period) : asNumber(r(raw.period));
        p.evaluationPeriods = asNumber(r(raw.evaluation_periods));
        p.treatMissingData = raw.treat_missing_data === undefined ? 'missing' : asString(r(raw.treat_missing_data));
        p.description = raw.alarm_description === undefined ? null : asString(r(raw.alarm_description));
        break;
      }
      case 'experiment': {
        const x = r(raw) as Json;
        p.actions = blocks(x.action).map((a) => ({
          name: String(a.name), actionId: asString(a.action_id),
          parameters: Object.fromEntries(blocks(a.parameter).map((q) => [String(q.key), asString(q.value)])),
          targets: Object.fromEntries(blocks(a.target).map((t) => [keyString(t.key), keyString(t.value)])),
          startAfter: a.start_after === undefined ? [] : stringList(a.start_after),
        }));
        p.targets = blocks(x.target).map((t) => ({
          key: String(t.name), resourceType: asString(t.resource_type), selectionMode: asString(t.selection_mode),
          resourceTags: t.resource_tag === undefined ? null : Object.fromEntries(blocks(t.resource_tag).map((q) => [keyString(q.key), keyString(q.value)])),
          resourceArns: t.resource_arns === undefined ? null : Array.isArray(t.resource_arns) ? t.resource_arns.map(linkOf) : undefined,
        }));
        p.stopConditions = blocks(x.stop_condition).map((c) => ({ source: asString(c.source), alarm: c.value === undefined ? null : linkOf(c.value) }));
        p.role = linkOf(x.role_arn);
        p.description = asString(x.description);
        break;
      }
      case 'role': {
        p.name = raw.name === undefined ? null : asString(r(raw.name));
        p.assumedBy = this.policy(raw.assume_role_policy)?.flatMap((s) => (s.principal ? stringList(s.principal) ?? [] : []));
        const inline = blocks(raw.inline_policy).map((b) => this.policy(b.policy));
        p.statements = inline.some((x) => x === undefined) ? undefined : inline.flatMap((x) => x ?? []);
        p.managedPolicies = raw.managed_policy_arns === undefined ? [] : stringList(r(raw.managed_policy_arns));
        break;
      }
      case 'policy':
        p.roles = node.type === 'aws_iam_role_policy' ? [linkOf(r(raw.role))] : [];
        p.statements = this.policy(raw.policy);
        break;
      case 'secret':
        p.name = raw.name === undefined ? undefined : asString(r(raw.name));
        p.key = key(raw.kms_key_id);
        p.replicas = blocks(r(raw.replica)).map((x) => ({ region: asString(x.region) }));
        p.removal = removal('delete');
        break;
      case 'log-group':
        p.name = raw.name === undefined ? undefined : asString(r(raw.name));
        p.retentionDays = raw.retention_in_days === undefined || raw.retention_in_days === 0 ? null : asNumber(r(raw.retention_in_days));
        p.key = key(raw.kms_key_id);
        p.removal = removal('delete');
        break;
      default:
        if (node.type === 'aws_vpc_peering_connection_accepter') p.connection = linkOf(r(raw.vpc_peering_connection_id));
        break;
    }
  }

  private groupParameters(node: Node): Known<Record<string, string>> {
    const raw = this.raw.get(node);
    const params = blocks(this.resolve(raw?.parameter)).map((b) => [asString(b.name), asString(b.value)] as const);
    return params.every(([k, v]) => k !== undefined && v !== undefined) ? Object.fromEntries(params) as Record<string, string> : undefined;
  }

  private routeProps(x: Json) {
    let pcx: unknown = x.vpc_peering_connection_id === undefined ? null : linkOf(x.vpc_peering_connection_id);
    // A route through the accepter resource goes through the connection it accepts.
    if (isNode(pcx) && pcx.type === 'aws_vpc_peering_connection_accepter') {
      const raw = this.raw.get(pcx);
      pcx = linkOf(this.resolve(raw?.vpc_peering_connection_id));
    }
    // The argument that names the target, even when its value does not resolve (a variable): then the target is unresolved, not absent.
    const targetKey = ROUTE_TARGET_ARGUMENTS.find((k) => k in x);
    return {
      table: isNode(x.route_table_id) ? x.route_table_id : undefined,
      destination: asString(x.destination_cidr_block ?? x.cidr_block ?? x.destination_ipv6_cidr_block ?? x.ipv6_cidr_block),
      peering: pcx, target: targetKey === undefined ? (pcx === null ? undefined : null) : routeTarget(x[targetKey]),
    };
  }

  private routeNode(table: Node, i: number, x: Json, tableNode: Node): Node {
    const props = this.routeProps({ ...x, route_table_id: tableNode });
    return node({ kind: 'route', type: 'aws_route_table.route', region: table.region, tags: {}, group: table.group, source: { ...table.source, id: `${table.source.id}.route[${i}]` }, p: props });
  }

  /** Statements of a JSON policy document written as a string (interpolations inside are resolved). */
  private policy(v: unknown): (RawStatement & { principal?: unknown })[] | undefined {
    if (typeof v !== 'string') return isObject(v) ? statementsOf(this.resolve(v)) : undefined;
    let doc: unknown;
    try {
      doc = JSON.parse(v);
    } catch {
      return undefined; // jsonencode(...) or another function: decided at plan time
    }
    return statementsOf(this.resolve(doc));
  }

  /** Customer policies attached with aws_iam_role_policy_attachment join their roles' statements. */
  private linkPolicies(): void {
    for (const [node, raw] of this.raw) {
      if (node.type !== 'aws_iam_role_policy_attachment') continue;
      const role = linkOf(this.resolve(raw.role));
      const policy = this.resolve(raw.policy_arn);
      if (isNode(policy) && policy.kind === 'policy') policy.p.roles = [...(policy.p.roles as unknown[]), role];
      else if (isNode(role) && role.kind === 'role') {
        const arn = looseString(policy);
        role.p.managedPolicies = role.p.managedPolicies === undefined || arn === undefined ? undefined : [...role.p.managedPolicies, arn];
      }
    }
  }
}

function ruleList(x: Json): IngressRuleFact[] {
  const cidrs = [...(stringList(x.cidr_blocks) ?? []), ...(stringList(x.ipv6_cidr_blocks) ?? [])];
  const base = {
    protocol: asString(x.protocol), fromPort: x.from_port === undefined ? null : asNumber(x.from_port),
    toPort: x.to_port === undefined ? null : asNumber(x.to_port),
  };
  if (x.cidr_blocks !== undefined && stringList(x.cidr_blocks) === undefined) return [{ ...base, cidr: undefined, sourceSecurityGroupId: null }];
  const sg = x.source_security_group_id ?? x.security_groups;
  return cidrs.length > 0 ? cidrs.map((cidr) => ({ ...base, cidr, sourceSecurityGroupId: null }))
    : [{ ...base, cidr: null, sourceSecurityGroupId: sg === undefined ? null : isNode(sg) ? sg.source.id : looseString(sg) }];
}

function statementsOf(doc: unknown): (RawStatement & { principal?: unknown })[] | undefined {
  if (!isObject(doc)) return undefined;
  const list = Array.isArray(doc.Statement) ? doc.Statement : isObject(doc.Statement) ? [doc.Statement] : undefined;
  return list?.map((s) => {
    const x = isObject(s) ? s : {};
    return {
      effect: asString(x.Effect), actions: x.Action === undefined ? [] : stringList(x.Action),
      resources: x.Resource === undefined ? [] : (Array.isArray(x.Resource) ? x.Resource : [x.Resource]).map((y) => linkOf(y) ?? looseString(y)),
      condition: x.Condition, principal: isObject(x.Principal) ? x.Principal.Service : undefined,
    };
  });
}

function recordProps(x: Json): Record<string, unknown> {
  const failover = first(x.failover_routing_policy);
  const geo = first(x.geolocation_routing_policy);
  const latency = first(x.latency_routing_policy);
  const weighted = first(x.weighted_routing_policy);
  const prox = first(x.geoproximity_routing_policy);
  const alias = first(x.alias);
  const routing = failover ? 'failover' : geo ? 'geolocation' : latency ? 'latency' : prox ? 'geoproximity' : weighted ? 'weighted'
    : x.cidr_routing_policy !== undefined || x.multivalue_answer_routing_policy !== undefined ? undefined : 'simple';
  const coords = first(prox?.coordinates);
  const zone = x.zone_id;
  const drop = <T extends Record<string, unknown>>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  return {
    name: trimDot(asString(x.name)), type: asString(x.type), routing,
    ttlSeconds: alias ? null : asNumber(x.ttl),
    setIdentifier: x.set_identifier === undefined ? null : asString(x.set_identifier),
    failover: failover ? (failover.type === 'PRIMARY' || failover.type === 'SECONDARY' ? failover.type : undefined) : null,
    geolocation: geo ? drop({ continentCode: asString(geo.continent), countryCode: asString(geo.country), subdivisionCode: asString(geo.subdivision) }) : null,
    latencyRegion: latency ? asString(latency.region) : null,
    weight: weighted ? asNumber(weighted.weight) : null,
    geoproximity: prox ? drop({
      awsRegion: asString(prox.aws_region), bias: asNumber(prox.bias) ?? 0,
      coordinates: coords ? { latitude: Number(coords.latitude), longitude: Number(coords.longitude) } : undefined,
    }) : null,
    healthCheck: x.health_check_id === undefined ? null : linkOf(x.health_check_id),
    values: alias ? null : x.records === undefined ? undefined : stringList(x.records),
    aliasTarget: alias ? {
      dnsName: trimDot(asString(alias.name)), node: aliasTargetNode(alias.name), evaluateTargetHealth: alias.evaluate_target_health === undefined ? undefined : asBool(alias.evaluate_target_health),
      // A zone of the artifact has no id before deployment: named only when written as a literal.
      ...(typeof alias.zone_id === 'string' ? { hostedZoneId: alias.zone_id } : {}),
    } : null,
    zoneName: isNode(zone) && zone.kind === 'zone' ? zone.p.name : undefined,
    zoneNode: isNode(zone) ? zone : undefined,
  };
}

/** Suppressions a configuration declares in its top-level `"//": { "meridian": { "suppressions": [...] } }`. */
function suppressionsOf(json: unknown): SuppressionFact[] {
  return suppressionList(isObject(json) && isObject(json['//']) ? json['//'].meridian : undefined);
}

/** Facts from Terraform JSON configurations (each input one configuration). */
export function factsFromTerraform(inputs: readonly TerraformInput[], fallbackName = 'app'): FactsSet {
  const nodes: Node[] = [];
  // A configuration's suppressions belong to its topology: one deployment's accepted findings never hide another's.
  const suppressions = new Map<string, SuppressionFact[]>();
  for (const input of inputs) {
    const reader = new TfReader(input);
    const own = suppressionsOf(input.json);
    if (own.length > 0) suppressions.set(reader.group, [...(suppressions.get(reader.group) ?? []), ...own]);
    // One push per node: spreading a configuration of 100,000 resources into push() overflows the stack.
    for (const n of reader.all()) {
      if (n.kind === 'record' && n.p.zoneName === undefined && isNode(n.p.zoneNode)) n.p.zoneName = n.p.zoneNode.p.name;
      nodes.push(n);
    }
  }
  return { facts: assemble(nodes, { fallbackName, suppressions }), files: inputs.map((i) => i.file) };
}

/** The Terraform JSON files of a path: one file, a folder of `*.tf.json`, or a cdktf.out folder. */
export function terraformFiles(p: string): string[] {
  const stat = fs.statSync(p);
  if (!stat.isDirectory()) return [p];
  const stacks = path.join(p, 'stacks');
  if (fs.existsSync(stacks) && fs.statSync(stacks).isDirectory()) {
    return fs.readdirSync(stacks).sort().map((d) => path.join(stacks, d, 'cdk.tf.json')).filter((f) => fs.existsSync(f));
  }
  return fs.readdirSync(p).filter((f) => f.endsWith('.tf.json')).sort().map((f) => path.join(p, f));
}
