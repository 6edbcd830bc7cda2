/**
 * Reads synthesized Terraform JSON back into per-family summaries (count + key properties) with
 * references resolved to names, so a test or a parity comparer can compare renderers without knowing
 * Terraform's logical ids. Pure: no cdktf import.
 */

type Block = Record<string, unknown>;
type Resources = Record<string, Record<string, Block>>;

/** Terraform JSON as far as the extractor reads it. */
export interface TerraformJsonLike {
  readonly resource?: Resources;
}

export interface KeyFact { readonly tags: Record<string, string>; readonly ref: string; readonly region: string; readonly alias?: string; readonly rotation: boolean; readonly multiRegion: boolean; readonly deletionWindowInDays?: number }
export interface GlobalClusterFact { readonly tags: Record<string, string>; readonly identifier: string; readonly region: string; readonly engine: string; readonly engineVersion: string; readonly storageEncrypted: boolean; readonly deletionProtection: boolean }
export interface ClusterFact {
  readonly tags: Record<string, string>;
  readonly identifier: string; readonly region: string; readonly globalCluster?: string;
  readonly hasMasterCredentials: boolean; readonly managedMasterPassword: boolean; readonly masterSecretKeyRegion?: string;
  readonly storageEncrypted: boolean; readonly kmsKeyRegion?: string; readonly kmsKeyAlias?: string;
  readonly deletionProtection: boolean; readonly writeForwarding: boolean; readonly backupRetentionDays?: number;
  readonly iamAuth: boolean; readonly logExports: readonly string[]; readonly instances: number; readonly ignoreChanges: readonly string[];
}
export interface TableFact { readonly tags: Record<string, string>; readonly name: string; readonly region: string; readonly kmsKeyRegion?: string; readonly pitr: boolean; readonly deletionProtection: boolean; readonly replicas: readonly { region: string; kmsKeyRegion?: string; pitr: boolean; deletionProtection: boolean }[] }
export interface HealthCheckFact { readonly tags: Record<string, string>; readonly name: string; readonly type: string; readonly fqdn: string; readonly port?: number; readonly path?: string; readonly intervalSeconds: number; readonly failureThreshold: number }
export interface RecordFact {
  readonly name: string; readonly type: string; readonly ttl?: number; readonly setIdentifier?: string; readonly healthCheck?: string;
  readonly failover?: string; readonly latencyRegion?: string; readonly geolocation?: Record<string, unknown>; readonly geoproximity?: Record<string, unknown>; readonly weight?: number;
  readonly values: readonly string[];
  /** Alias to another record set of the zone. */
  readonly alias?: { readonly name: string; readonly evaluateTargetHealth: boolean };
}
export interface PeeringFact { readonly tags: Record<string, string>; readonly name: string; readonly requesterRegion: string; readonly accepterRegion: string; readonly requesterAutoAccept: boolean; readonly acceptedBy?: { region: string; autoAccept: boolean } }
export interface RouteFact { readonly region: string; readonly destination: string; readonly peering?: string }
export interface AlarmFact {
  readonly name: string; readonly region: string; readonly namespace: string; readonly metricName: string; readonly dimensions: Record<string, string>;
  readonly statistic: string; readonly threshold: number; readonly comparison: string; readonly periodSeconds: number; readonly evaluationPeriods: number;
  readonly treatMissingData?: string; readonly topics: readonly string[];
  /** Metric-math alarms: the expression; namespace, metric, dimensions, statistic and period are then those of its first metric. */
  readonly expression?: string;
}
export interface TopicFact { readonly tags: Record<string, string>; readonly name: string; readonly region: string; readonly kmsKeyRegion?: string; readonly kmsKeyAlias?: string }
export interface ExperimentFact {
  readonly tags: Record<string, string>;
  readonly name: string; readonly region: string; readonly role?: string; readonly logGroup?: string; readonly logKeyRegion?: string;
  readonly actions: readonly { name: string; actionId: string; target?: string; parameters: Record<string, string> }[];
  readonly targets: readonly { name: string; resourceType: string; selectionMode: string; resourceTags?: Record<string, string>; resources?: readonly string[] }[];
  readonly stopConditions: readonly { source: string; alarm?: string }[];
}
export interface DbIngressFact { readonly region: string; readonly cidr: string; readonly protocol: string; readonly fromPort?: number; readonly toPort?: number }
export interface RoleFact { readonly tags: Record<string, string>; readonly name: string; readonly trustedServices: readonly string[] }

export interface TerraformFamilies {
  readonly keys: KeyFact[];
  readonly globalClusters: GlobalClusterFact[];
  readonly clusters: ClusterFact[];
  readonly tables: TableFact[];
  readonly healthChecks: HealthCheckFact[];
  readonly records: RecordFact[];
  readonly peerings: PeeringFact[];
  readonly routes: RouteFact[];
  /** Ingress rules of the database security groups. */
  readonly dbIngress: DbIngressFact[];
  readonly alarms: AlarmFact[];
  readonly topics: TopicFact[];
  readonly experimentTemplates: ExperimentFact[];
  readonly roles: RoleFact[];
}

/** The `meridian:*` tags of a resource, sorted (the tags that carry meaning into the artifacts). */
export function meridianTags(tags: unknown): Record<string, string> {
  const t = (tags && typeof tags === 'object' ? tags : {}) as Record<string, string>;
  return Object.fromEntries(Object.keys(t).filter((k) => k.startsWith('meridian:')).sort().map((k) => [k, String(t[k])]));
}

const REF = /^\$\{([a-z0-9_]+)\.([^.}]+)\.([a-z0-9_]+)(?:\[\d+\])?\}(.*)$/;

/** Splits `${type.name.attr}suffix` into its parts; undefined for literals. */
export function parseRef(value: unknown): { type: string; name: string; attr: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = REF.exec(value);
  return m ? { type: m[1], name: m[2], attr: m[3] } : undefined;
}

const list = <T = Block>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v && typeof v === 'object' ? [v as T] : []);
const bool = (v: unknown): boolean => v === true;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** Extracts every family from a synthesized Terraform JSON configuration. */
export function extractFamilies(json: TerraformJsonLike, defaultRegion?: string): TerraformFamilies {
  const res: Resources = json.resource ?? {};
  const of = (type: string): [string, Block][] => Object.entries(res[type] ?? {}).sort(([a], [b]) => a.localeCompare(b));
  const get = (type: string, name: string): Block | undefined => res[type]?.[name];
  const regionOf = (b: Block | undefined): string => str(b?.region) ?? defaultRegion ?? '';
  const target = (v: unknown): Block | undefined => {
    const r = parseRef(v);
    return r ? get(r.type, r.name) : undefined;
  };
  const aliasOfKey = (keyName: string): string | undefined =>
    of('aws_kms_alias').find(([, a]) => parseRef(a.target_key_id)?.name === keyName)?.[1].name as string | undefined;
  const keyInfo = (v: unknown): { region?: string; alias?: string } => {
    const r = parseRef(v);
    if (!r || r.type !== 'aws_kms_key') return {};
    return { region: regionOf(get(r.type, r.name)), alias: aliasOfKey(r.name) };
  };
  const nameTag = (b: Block | undefined): string | undefined => str((b?.tags as Record<string, string> | undefined)?.Name);

  const instancesByCluster = new Map<string, number>();
  for (const [, i] of of('aws_rds_cluster_instance')) {
    const r = parseRef(i.cluster_identifier);
    const id = r ? str(get(r.type, r.name)?.cluster_identifier) : str(i.cluster_identifier);
    if (id) instancesByCluster.set(id, (instancesByCluster.get(id) ?? 0) + 1);
  }

  const accepters = of('aws_vpc_peering_connection_accepter');
  return {
    keys: of('aws_kms_key').map(([name, k]) => ({
      ref: name, region: regionOf(k), tags: meridianTags(k.tags), alias: aliasOfKey(name), rotation: bool(k.enable_key_rotation),
      multiRegion: bool(k.multi_region), deletionWindowInDays: num(k.deletion_window_in_days),
    })),
    globalClusters: of('aws_rds_global_cluster').map(([, g]) => ({
      identifier: String(g.global_cluster_identifier), region: regionOf(g), tags: meridianTags(g.tags), engine: String(g.engine), engineVersion: String(g.engine_version),
      storageEncrypted: bool(g.storage_encrypted), deletionProtection: bool(g.deletion_protection),
    })),
    clusters: of('aws_rds_cluster').map(([, c]) => {
      const k = keyInfo(c.kms_key_id);
      const gc = target(c.global_cluster_identifier);
      const id = String(c.cluster_identifier);
      return {
        identifier: id, region: regionOf(c), tags: meridianTags(c.tags),
        globalCluster: gc ? str(gc.global_cluster_identifier) : str(c.global_cluster_identifier),
        hasMasterCredentials: c.master_username !== undefined || c.master_password !== undefined || c.master_password_wo !== undefined,
        managedMasterPassword: bool(c.manage_master_user_password),
        masterSecretKeyRegion: keyInfo(c.master_user_secret_kms_key_id).region,
        storageEncrypted: bool(c.storage_encrypted), kmsKeyRegion: k.region, kmsKeyAlias: k.alias,
        deletionProtection: bool(c.deletion_protection), writeForwarding: bool(c.enable_global_write_forwarding),
        backupRetentionDays: num(c.backup_retention_period), iamAuth: bool(c.iam_database_authentication_enabled),
        logExports: list<string>(c.enabled_cloudwatch_logs_exports), instances: instancesByCluster.get(id) ?? 0,
        ignoreChanges: list<string>((c.lifecycle as Block | undefined)?.ignore_changes),
      };
    }),
    tables: of('aws_dynamodb_table').map(([, t]) => {
      const sse = list(t.server_side_encryption)[0];
      return {
        name: String(t.name), region: regionOf(t), tags: meridianTags(t.tags), kmsKeyRegion: keyInfo(sse?.kms_key_arn).region,
        pitr: bool(list(t.point_in_time_recovery)[0]?.enabled), deletionProtection: bool(t.deletion_protection_enabled),
        replicas: list(t.replica).map((r) => ({
          region: String(r.region_name), kmsKeyRegion: keyInfo(r.kms_key_arn).region,
          pitr: bool(r.point_in_time_recovery), deletionProtection: bool(r.deletion_protection_enabled),
        })),
      };
    }),
    healthChecks: of('aws_route53_health_check').map(([name, h]) => ({
      name: nameTag(h) ?? name, tags: meridianTags(h.tags), type: String(h.type), fqdn: String(h.fqdn), port: num(h.port), path: str(h.resource_path),
      intervalSeconds: num(h.request_interval) ?? 30, failureThreshold: num(h.failure_threshold) ?? 3,
    })),
    records: of('aws_route53_record').map(([, r]) => ({
      name: String(r.name), type: String(r.type), ttl: num(r.ttl), setIdentifier: str(r.set_identifier),
      healthCheck: nameTag(target(r.health_check_id)),
      failover: str(list(r.failover_routing_policy)[0]?.type),
      latencyRegion: str(list(r.latency_routing_policy)[0]?.region),
      geolocation: list(r.geolocation_routing_policy)[0],
      geoproximity: list(r.geoproximity_routing_policy)[0],
      weight: num(list(r.weighted_routing_policy)[0]?.weight),
      values: list<string>(r.records),
      alias: ((a) => (a ? { name: String(a.name), evaluateTargetHealth: bool(a.evaluate_target_health) } : undefined))(list(r.alias)[0]),
    })),
    peerings: of('aws_vpc_peering_connection').map(([name, p]) => {
      const acc = accepters.find(([, a]) => parseRef(a.vpc_peering_connection_id)?.name === name)?.[1];
      return {
        name: nameTag(p) ?? name, tags: meridianTags(p.tags), requesterRegion: regionOf(p), accepterRegion: String(p.peer_region ?? regionOf(p)),
        requesterAutoAccept: bool(p.auto_accept),
        acceptedBy: acc ? { region: regionOf(acc), autoAccept: bool(acc.auto_accept) } : undefined,
      };
    }),
    routes: of('aws_route').map(([, r]) => {
      let pcx = target(r.vpc_peering_connection_id);
      const ref = parseRef(r.vpc_peering_connection_id);
      if (ref?.type === 'aws_vpc_peering_connection_accepter') pcx = target(pcx?.vpc_peering_connection_id);
      return { region: regionOf(r), destination: String(r.destination_cidr_block), peering: nameTag(pcx) };
    }),
    dbIngress: of('aws_vpc_security_group_ingress_rule').map(([, x]) => ({
      region: regionOf(x), cidr: String(x.cidr_ipv4), protocol: String(x.ip_protocol), fromPort: num(x.from_port), toPort: num(x.to_port),
    })),
    alarms: of('aws_cloudwatch_metric_alarm').map(([, a]) => {
      const queries = list<Record<string, unknown>>(a.metric_query);
      const expression = queries.find((q) => q.expression !== undefined);
      const first = queries.map((q) => q.metric as Record<string, unknown> | undefined).find((m) => m !== undefined);
      const m = first ? { ...first, statistic: first.stat } : a;
      const dims: Record<string, string> = {};
      for (const [k, v] of Object.entries((m.dimensions as Record<string, string>) ?? {})) {
        const t = target(v);
        dims[k] = t ? `{{${nameTag(t) ?? 'ref'}}}` : v;
      }
      return {
        name: String(a.alarm_name), region: regionOf(a), tags: meridianTags(a.tags), namespace: String(m.namespace), metricName: String(m.metric_name), dimensions: dims,
        statistic: String(m.statistic), threshold: Number(a.threshold), comparison: String(a.comparison_operator),
        periodSeconds: Number(m.period), evaluationPeriods: Number(a.evaluation_periods), treatMissingData: str(a.treat_missing_data),
        topics: list<string>(a.alarm_actions).map((v) => str(target(v)?.name) ?? v),
        ...(expression ? { expression: String(expression.expression) } : {}),
      };
    }),
    topics: of('aws_sns_topic').map(([, t]) => {
      const k = keyInfo(t.kms_master_key_id);
      return { name: String(t.name), region: regionOf(t), tags: meridianTags(t.tags), kmsKeyRegion: k.region, kmsKeyAlias: k.alias };
    }),
    experimentTemplates: of('aws_fis_experiment_template').map(([name, e]) => {
      const log = list(list(e.log_configuration)[0]?.cloudwatch_logs_configuration)[0];
      const logGroup = target(log?.log_group_arn);
      return {
        name: nameTag(e) ?? name, region: regionOf(e), tags: meridianTags(e.tags), role: str(target(e.role_arn)?.name),
        logGroup: str(logGroup?.name), logKeyRegion: keyInfo(logGroup?.kms_key_id).region,
        actions: list(e.action).map((a) => ({
          name: String(a.name), actionId: String(a.action_id), target: str(list(a.target)[0]?.value),
          parameters: Object.fromEntries(list(a.parameter).map((p) => [String(p.key), String(p.value)])),
        })),
        targets: list(e.target).map((t) => ({
          name: String(t.name), resourceType: String(t.resource_type), selectionMode: String(t.selection_mode),
          resourceTags: t.resource_tag ? Object.fromEntries(list(t.resource_tag).map((p) => [String(p.key), String(p.value)])) : undefined,
          resources: t.resource_arns ? list<string>(t.resource_arns).map((v) => {
            const b = target(v);
            return str(b?.cluster_identifier) ?? str(b?.name) ?? v;
          }) : undefined,
        })),
        stopConditions: list(e.stop_condition).map((s) => ({ source: String(s.source), alarm: str(target(s.value)?.alarm_name) })),
      };
    }),
    roles: of('aws_iam_role').map(([, r]) => {
      const doc = JSON.parse(String(r.assume_role_policy)) as { Statement: { Principal?: { Service?: string | string[] } }[] };
      return {
        name: String(r.name), tags: meridianTags(r.tags),
        trustedServices: doc.Statement.flatMap((s) => {
          const svc = s.Principal?.Service;
          return svc === undefined ? [] : Array.isArray(svc) ? svc : [svc];
        }).sort(),
      };
    }),
  };
}

/** Count per family, for quick parity checks. */
export function familyCounts(f: TerraformFamilies): Record<keyof TerraformFamilies, number> {
  return Object.fromEntries(Object.entries(f).map(([k, v]) => [k, (v as unknown[]).length])) as Record<keyof TerraformFamilies, number>;
}
