/**
 * The provider-neutral resource graph both artifact readers produce (CloudFormation and Terraform JSON),
 * and the one place that turns it into Facts. A reader resolves references inside its artifact and maps
 * each resource type onto a `Node` kind with neutral property names; everything that is derived (ids that
 * match the plan's, regions, data classification from tags, alarm kinds, peering routes) happens here once.
 *
 * Convention: `undefined` = unknown (unresolved), `null` = known to be absent. A link to another resource
 * is the `Node` itself; a literal identifier or ARN of something outside the artifact is a string.
 */
import { SUBNET_TIER_TAG, TOPOLOGY_TAG } from '../model/plan-network';
import { regionInfo } from '../model/regions';
import { aliasTargetKind } from './resolve';
import type {
  AlarmFact, AlarmKindFact, AliasTargetFact, DatabaseFact, DatabaseMemberFact, DnsRecordFact, ExperimentFact, Facts, HealthCheckFact,
  IamStatementFact, IngressRuleFact, KmsKeyFact, Known, LogGroupFact, NetworkFact, Optional, PeeringFact, RegionFact,
  RemovalFact, RoleFact, RouteTableFact, SecretFact, SecurityGroupFact, SourceLocation, SubnetFact, SuppressionFact, VpcEndpointFact,
  ExperimentActionFact, ExperimentTargetFact,
} from './types';
import type { Classification, Consistency, Engine, Mode, Role, Routing } from '../model/spec';

export type NodeKind =
  | 'key' | 'alias' | 'global-cluster' | 'cluster' | 'instance' | 'parameter-group' | 'table' | 'health-check' | 'record'
  | 'zone' | 'vpc' | 'peering' | 'route-table' | 'route' | 'security-group' | 'ingress' | 'subnet' | 'alarm'
  | 'experiment' | 'role' | 'policy' | 'secret' | 'log-group' | 'region-switch-plan' | 'vpc-endpoint' | 'other';

/** A resource of the artifact. `p` holds its neutral, resolved properties (see each kind below). */
export interface Node {
  readonly kind: NodeKind;
  /** CloudFormation type or Terraform resource type. */
  readonly type: string;
  readonly region: Known<string>;
  /** Resolved tags; undefined when the tags could not be resolved. */
  readonly tags: Known<Readonly<Record<string, Known<string>>>>;
  readonly source: SourceLocation;
  /** Topology group (`meridian:topology` tag of the resource or of its stack/file). */
  readonly group: string;
  /** Further topologies the resource is part of: those of every deployment that shares its (untagged) stack. */
  readonly sharedWith?: readonly string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  p: Record<string, any>;
}

/**
 * The alias target as a fact: a DNS name built from a record set of the artifact is that record's name
 * (the chain goes on inside the zone); one built from any other resource's attribute (a load balancer's
 * DNSName) leads out of the zone, to that resource and its region.
 */
function aliasFact(raw: unknown): Optional<AliasTargetFact> {
  if (raw === null || raw === undefined) return raw;
  const { node: target, ...rest } = raw as AliasTargetFact & { node?: Node };
  if (!target) return rest;
  if (target.kind === 'record') return { ...rest, dnsName: rest.dnsName ?? str(target.p.name) };
  const { kind, global } = aliasTargetKind(target.type);
  return {
    ...rest,
    resource: { kind, type: target.type, id: target.source.id ?? target.type, region: global ? null : target.region, source: target.source },
  };
}

/** A reference to a KMS key: the key node, a literal key/alias ARN, null (no key), undefined (unknown). */
export type KeyLink = Node | string | null | undefined;

/** One statement as read from a policy document (resources may be nodes the reader resolved). */
export interface RawStatement {
  readonly effect: Known<string>;
  readonly actions: Known<readonly string[]>;
  readonly resources: Known<readonly unknown[]>;
  readonly condition: unknown;
}

const TAG = {
  topology: TOPOLOGY_TAG, tier: SUBNET_TIER_TAG, mode: 'meridian:mode', classification: 'meridian:data-classification',
  role: 'meridian:region-role', jurisdiction: 'meridian:jurisdiction', region: 'meridian:region',
  partition: 'meridian:partition', residency: 'meridian:residency', consistency: 'meridian:consistency',
  quorum: 'meridian:quorum', rto: 'meridian:rto-seconds', rpo: 'meridian:rpo-seconds',
  peak: 'meridian:peak-rps', capacity: 'meridian:capacity-rps', engine: 'meridian:engine',
} as const;
/** The `meridian:*` tags the readers understand (documented in README.md). */
export const MERIDIAN_TAGS = TAG;
/** Tag value that says "declared as absent" (a tag value cannot be empty in every service). */
export const NONE = 'none';

const GLOBAL_KINDS: ReadonlySet<NodeKind> = new Set(['role', 'policy', 'health-check', 'record', 'zone']);
const MODES: readonly Mode[] = ['active-passive', 'active-active', 'partitioned'];
const ROLES: readonly Role[] = ['primary', 'secondary', 'active'];
const CLASSIFICATIONS: readonly Classification[] = ['public', 'internal', 'confidential', 'pii', 'financial'];
const CONSISTENCIES: readonly Consistency[] = ['eventual', 'read-your-writes', 'strong'];

const str = (v: unknown): Known<string> => (typeof v === 'string' ? v : undefined);
const tagOf = (n: Node, key: string): Known<string> => n.tags?.[key];

/** The KMS region named in a key or alias ARN (`arn:aws:kms:eu-west-1:...`). */
export function arnRegion(arn: string): Known<string> {
  const m = /^arn:[^:]+:[^:]+:([a-z0-9-]+):/.exec(arn);
  return m && m[1] ? m[1] : undefined;
}

/** One value shared by every node that has it: absent everywhere = null; disagreement = unknown. */
function agreed(values: readonly Known<string>[], anyUnknown: boolean): Optional<string> {
  const set = new Set(values);
  if (set.has(undefined) || anyUnknown) return undefined;
  if (set.size === 0) return null;
  return set.size === 1 ? [...set][0] : undefined;
}

function tagAgreed(nodes: readonly Node[], key: string): Optional<string> {
  const tagged = nodes.filter((n) => n.tags === undefined || key in n.tags);
  return agreed(tagged.map((n) => tagOf(n, key)), tagged.some((n) => n.tags === undefined));
}

const parseNum = (v: Optional<string>): Optional<number> => {
  if (v === null || v === undefined) return v;
  if (v === NONE) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
};

/** Appends to the list under `key` (in place: spreading a growing list per item is quadratic). */
function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export interface AssembleOptions {
  /** Name for a group of resources that carry no `meridian:topology` tag. */
  readonly fallbackName: string;
  /**
   * Suppressions by the topology group of the stack or configuration that declares them ('' for the
   * ungrouped): each topology gets its own, never another deployment's.
   */
  readonly suppressions?: ReadonlyMap<string, readonly SuppressionFact[]>;
}

/** Ids the facts use, chosen to match factsFromPlan's so facts from all three sources compare. */
function nameTag(n: Node): Known<string> {
  return tagOf(n, 'Name');
}

export function keyIdOf(key: Node, aliases: ReadonlyMap<Node, string[]>): string {
  const a = aliases.get(key)?.[0];
  return a && key.region ? `${a}@${key.region}` : key.source.id ?? 'key';
}

/** Region and id of what a KeyLink points at. */
function keyTarget(link: KeyLink, aliases: ReadonlyMap<Node, string[]>): { region: Optional<string>; id: Optional<string> } {
  if (link === null) return { region: null, id: null };
  if (link === undefined) return { region: undefined, id: undefined };
  if (typeof link === 'string') {
    // An AWS managed key (alias/aws/...) is not customer-managed: no key of our own.
    if (/:alias\/aws\//.test(link) || /^alias\/aws\//.test(link)) return { region: null, id: null };
    const region = arnRegion(link);
    const alias = /:(alias\/.+)$/.exec(link)?.[1];
    return { region, id: alias && region ? `${alias}@${region}` : link };
  }
  if (link.kind !== 'key') return { region: undefined, id: undefined };
  return { region: link.region, id: keyIdOf(link, aliases) };
}

function removalOf(v: unknown): Known<RemovalFact> {
  return v === 'retain' || v === 'snapshot' || v === 'delete' ? v : undefined;
}

function alarmKind(n: Node): Known<AlarmKindFact> {
  const metric = str(n.p.metric);
  if (metric === undefined) return undefined;
  if (metric === 'AuroraGlobalDBReplicationLag' || metric === 'ReplicationLatency') return 'replication-lag';
  if (metric === 'AuroraGlobalDBRPOLag') return 'rpo-lag';
  if (metric === 'HealthCheckStatus') return 'health-check';
  if (metric === 'EngineUptime') return 'writer-unavailable';
  return 'other';
}

function alarmLevel(n: Node): Optional<'warning' | 'critical'> {
  const d = str(n.p.description) ?? '';
  const m = /^(warning|critical)\b/i.exec(d) ?? /-(warning|critical)$/.exec(str(n.p.name) ?? '');
  return m && m[1] ? (m[1].toLowerCase() as 'warning' | 'critical') : n.p.description === undefined ? undefined : null;
}

function statementFacts(raw: Known<readonly RawStatement[]>, idOf: (v: unknown) => Known<string>): Known<IamStatementFact[]> {
  if (raw === undefined) return undefined;
  return raw.map((s) => ({
    effect: s.effect === 'Allow' || s.effect === 'Deny' ? s.effect : undefined,
    actions: s.actions,
    resources: s.resources?.map(idOf),
    condition: s.condition === undefined ? null : (s.condition as IamStatementFact['condition']),
  }));
}

/** Turns a reader's nodes into one Facts per topology group. */
export function assemble(nodes: readonly Node[], opts: AssembleOptions): Facts[] {
  const groups = new Map<string, Node[]>();
  for (const n of nodes) {
    pushTo(groups, n.group, n);
    for (const g of n.sharedWith ?? []) pushTo(groups, g, n);
  }
  // The fallback name (the plugin's `app`, a folder's name) may be a deployment's name too: never report two topologies as one.
  const fallback = groups.has(opts.fallbackName) ? `${opts.fallbackName} (untagged)` : opts.fallbackName;
  const out: Facts[] = [];
  for (const [group, members] of [...groups.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    // Resources outside any group (no tag anywhere in their stack) form one group named after the input,
    // unless the input has topologies and these resources give no rule anything to judge (a stack of
    // buckets or of a zone beside two deployments is not a third deployment with unknown objectives).
    const facts = assembleGroup(group === '' ? fallback : group, members, nodes, opts.suppressions?.get(group) ?? []);
    if (group !== '' || groups.size === 1 || !isEmpty(facts)) out.push(facts);
  }
  return out;
}

/** Facts that hold nothing a rule reads besides the topology-wide declarations. */
function isEmpty(f: Facts): boolean {
  const lists = [
    f.regions, f.dns.records, f.dns.healthChecks, f.keys, f.databases, f.networks, f.peerings, f.alarms, f.experiments,
    f.securityGroups, f.routeTables, f.subnets, f.vpcEndpoints, f.secrets, f.logGroups,
  ];
  return lists.every((l) => (l ?? []).length === 0);
}

function assembleGroup(name: string, nodes: readonly Node[], all: readonly Node[], suppressions: readonly SuppressionFact[]): Facts {
  // Indexes built once: lookups inside per-resource loops must not rescan every node (100,000 resources).
  const index = (list: readonly Node[]) => {
    const m = new Map<NodeKind, Node[]>();
    for (const n of list) pushTo(m, n.kind, n);
    return (kind: NodeKind): readonly Node[] => m.get(kind) ?? [];
  };
  const of = index(nodes);
  const allOf = index(all);
  const clusterByIdentifier = new Map<unknown, Node>();
  for (const c of allOf('cluster')) if (c.p.identifier !== undefined && !clusterByIdentifier.has(c.p.identifier)) clusterByIdentifier.set(c.p.identifier, c);
  const globalByIdentifier = new Map<unknown, Node>();
  for (const g of allOf('global-cluster')) if (g.p.identifier !== undefined && !globalByIdentifier.has(g.p.identifier)) globalByIdentifier.set(g.p.identifier, g);

  const aliases = new Map<Node, string[]>();
  for (const a of allOf('alias')) {
    const target = a.p.target as Node | undefined;
    if (target && typeof target === 'object' && typeof a.p.name === 'string') pushTo(aliases, target, a.p.name as string);
  }

  const tagged = nodes.filter((n) => n.tags !== undefined && Object.keys(n.tags).some((k) => k.startsWith('meridian:')));
  const modeTag = tagAgreed(tagged, TAG.mode);
  const mode = MODES.find((m) => m === modeTag);

  // --- databases -----------------------------------------------------------------------------------------
  const instancesOf = new Map<unknown, number>();
  for (const i of allOf('instance')) {
    const c = i.p.cluster;
    if (c !== undefined) instancesOf.set(c, (instancesOf.get(c) ?? 0) + 1);
  }
  const clusters = of('cluster');
  const globals = of('global-cluster');
  const byIdentifier = (id: unknown) => clusterByIdentifier.get(id);
  const globalOf = (c: Node): Optional<Node | string> => {
    const g = c.p.global;
    if (g === null || g === undefined || typeof g === 'object') return g as Optional<Node>;
    return globalByIdentifier.get(g) ?? String(g);
  };
  const memberOfCluster = (c: Node, global: Optional<Node | string>): DatabaseMemberFact => {
    const gNode = global && typeof global === 'object' ? global : undefined;
    const source = gNode?.p.sourceCluster;
    const isSource = source !== undefined && source !== null && (source === c || source === c.p.identifier || byIdentifier(source) === c);
    const role = global === null || isSource || c.p.hasMasterCredentials === true ? 'primary'
      : c.p.hasMasterCredentials === false ? 'secondary' : undefined;
    const key = keyTarget(c.p.key as KeyLink, aliases);
    const id = str(c.p.identifier) ?? c.source.id ?? 'cluster';
    const count = (instancesOf.get(c) ?? 0) + (c.p.identifier !== undefined ? instancesOf.get(c.p.identifier) ?? 0 : 0);
    return {
      id, region: c.region, role, encrypted: c.p.encrypted, keyRegion: c.p.encrypted === false ? null : key.region,
      keyId: c.p.encrypted === false ? null : key.id,
      deletionProtection: c.p.deletionProtection, instances: count, removal: removalOf(c.p.removal),
      masterUsername: role === 'primary' ? c.p.masterUsername : null, parameters: c.p.parameters,
      logExports: c.p.logExports, sourceRegion: c.p.sourceRegion, backupRetentionDays: c.p.backupRetentionDays,
      source: c.source,
    };
  };
  const databases: DatabaseFact[] = [];
  const clustersByGlobal = new Map<Node | string, Node[]>();
  for (const c of clusters) {
    const g = globalOf(c);
    if (g === null || g === undefined) {
      databases.push({
        id: str(c.p.identifier) ?? c.source.id ?? 'cluster', engine: engineOf(c.p.engine), partitionId: tagOf(c, TAG.partition) ?? str(c.p.identifier),
        jurisdiction: jurisdictionOf([c], mode), backupRegions: [], members: [memberOfCluster(c, g)], removal: null,
        deletionProtection: null, storageEncrypted: null, source: c.source,
      });
    } else pushTo(clustersByGlobal, g, c);
  }
  for (const g of new Set<Node | string>([...globals, ...clustersByGlobal.keys()])) {
    const members = (clustersByGlobal.get(g) ?? []).map((c) => memberOfCluster(c, g));
    const gn = typeof g === 'object' ? g : undefined;
    const ms = clustersByGlobal.get(g) ?? [];
    const id = gn ? str(gn.p.identifier) ?? gn.source.id ?? 'global-cluster' : String(g);
    databases.push({
      id, engine: engineOf(gn?.p.engine ?? ms[0]?.p.engine), partitionId: tagAgreed([...(gn ? [gn] : []), ...ms], TAG.partition) ?? id,
      jurisdiction: jurisdictionOf([...(gn ? [gn] : []), ...ms], mode), backupRegions: [],
      members: members.sort((a, b) => (a.role === 'primary' ? -1 : b.role === 'primary' ? 1 : 0)),
      removal: gn ? removalOf(gn.p.removal) : undefined, deletionProtection: gn?.p.deletionProtection,
      storageEncrypted: gn?.p.storageEncrypted, source: gn?.source,
    });
  }
  for (const t of of('table')) {
    const tableName = str(t.p.name) ?? t.source.id ?? 'table';
    const replicas = (t.p.replicas as { region: Known<string>; key: KeyLink; deletionProtection: Known<boolean>; encrypted: Known<boolean> }[] | undefined);
    databases.push({
      id: tableName, engine: 'dynamodb', partitionId: tagOf(t, TAG.partition) ?? tableName, jurisdiction: jurisdictionOf([t], mode),
      // DynamoDB point-in-time recovery and backups stay in the table's region.
      backupRegions: [],
      members: (replicas ?? []).map((r) => {
        const key = keyTarget(r.key, aliases);
        return {
          id: `${tableName}@${r.region ?? '?'}`, region: r.region, role: 'replica', encrypted: r.encrypted,
          keyRegion: key.region, keyId: key.id, deletionProtection: r.deletionProtection, instances: null,
          removal: removalOf(t.p.removal), backupRetentionDays: null, source: t.source,
        };
      }),
      removal: null, deletionProtection: null, storageEncrypted: null, source: t.source,
    });
  }

  // --- keys ----------------------------------------------------------------------------------------------
  const dataKeyLinks: KeyLink[] = [
    ...allOf('cluster').map((c) => c.p.key as KeyLink), ...allOf('secret').map((s) => s.p.key as KeyLink), ...allOf('log-group').map((l) => l.p.key as KeyLink),
    ...allOf('table').flatMap((t) => ((t.p.replicas ?? []) as { key: KeyLink }[]).map((r) => r.key)),
  ];
  const dataKeyIds = new Set(dataKeyLinks.map((l) => keyTarget(l, aliases).id).filter((x): x is string => typeof x === 'string'));
  const someKeyUnknown = dataKeyLinks.some((l) => l === undefined);
  const keys: KmsKeyFact[] = of('key').map((k) => ({
    encryptsData: dataKeyIds.has(keyIdOf(k, aliases)) ? true : someKeyUnknown ? undefined : false,
    id: keyIdOf(k, aliases), region: k.region, rotation: k.p.rotation, multiRegion: k.p.multiRegion,
    aliases: aliases.get(k) ?? [], removal: removalOf(k.p.removal), pendingWindowDays: k.p.pendingWindowDays, source: k.source,
  }));

  // --- DNS -----------------------------------------------------------------------------------------------
  const hcId = (h: Node) => nameTag(h) ?? h.source.id ?? 'health-check';
  const healthChecks: HealthCheckFact[] = of('health-check').map((h) => ({
    id: hcId(h), region: tagOf(h, TAG.region) ?? (h.tags === undefined ? undefined : h.tags[TAG.region] === undefined ? undefined : null),
    type: h.p.type, fqdn: h.p.fqdn, intervalSeconds: h.p.intervalSeconds, failureThreshold: h.p.failureThreshold,
    port: h.p.port, path: h.p.path, searchString: h.p.searchString, checkerRegions: h.p.checkerRegions, source: h.source,
  }));
  const recordNames = new Set(of('record').map((r) => str(r.p.name)?.toLowerCase()).filter((n): n is string => n !== undefined));
  const records: DnsRecordFact[] = of('record').map((r) => {
    const p = r.p;
    const hc = p.healthCheck as Optional<Node | string>;
    const hcNode = hc && typeof hc === 'object' ? hc : undefined;
    const routing: Known<Routing | 'simple'> = p.routing;
    const alias = aliasFact(p.aliasTarget);
    // An alias without a health check that leads to another record set of the zone answers with no region
    // of its own; one that leads out of the zone answers with its target's region.
    const zoneAlias = hc === null && alias && typeof alias.dnsName === 'string' && recordNames.has(alias.dnsName.toLowerCase());
    const region = p.latencyRegion ?? p.geoproximity?.awsRegion
      ?? (hcNode ? tagOf(hcNode, TAG.region) : zoneAlias ? null : alias?.resource ? alias.resource.region : undefined);
    return {
      id: str(p.setIdentifier) ?? r.source.id ?? 'record', name: p.name, routing, ttlSeconds: p.ttlSeconds,
      setIdentifier: p.setIdentifier, region, failover: p.failover, geolocation: p.geolocation,
      healthCheckId: hc === null ? null : hc === undefined ? undefined : typeof hc === 'string' ? hc : hc.kind === 'health-check' ? hcId(hc) : undefined,
      type: p.type, values: p.values, aliasTarget: alias, latencyRegion: p.latencyRegion, weight: p.weight,
      geoproximity: p.geoproximity, zoneName: p.zoneName, source: r.source,
    };
  });

  // --- network -------------------------------------------------------------------------------------------
  const vpcId = (v: Node) => nameTag(v) ?? v.source.id ?? 'vpc';
  const linkId = (v: unknown, idOf: (n: Node) => string): Known<string> => (v && typeof v === 'object' ? idOf(v as Node) : typeof v === 'string' ? v : undefined);
  const networks: NetworkFact[] = of('vpc').map((v) => ({ id: vpcId(v), region: v.region, cidr: v.p.cidr, source: v.source }));
  const peeringId = (p: Node) => nameTag(p) ?? p.source.id ?? 'peering';
  const routes = allOf('route');
  const routesByTable = new Map<unknown, Node[]>();
  for (const r of routes) pushTo(routesByTable, r.p.table, r);
  const routesByPeering = new Map<unknown, Node[]>();
  for (const r of routes) pushTo(routesByPeering, r.p.peering, r);
  const unplacedRoutes = routes.filter((r) => r.region === undefined || (r.p.peering === undefined && r.p.target === undefined) || r.p.destination === undefined);
  const routeTables: RouteTableFact[] = of('route-table').map((t) => ({
    id: t.source.id ?? 'route-table', region: t.region, networkId: linkId(t.p.vpc, vpcId),
    routes: (routesByTable.get(t) ?? []).map((r) => ({
      destinationCidr: r.p.destination, peeringId: r.p.peering === null ? null : linkId(r.p.peering, peeringId), target: r.p.target ?? null,
    })),
    source: t.source,
  }));
  const peerings: PeeringFact[] = of('peering').map((p) => {
    const reqVpc = p.p.requesterVpc as Known<Node | string>;
    const accVpc = p.p.accepterVpc as Known<Node | string>;
    const requesterRegion: Known<string> = p.region;
    const accepterRegion: Known<string> = p.p.peerRegion === null ? p.region : p.p.peerRegion;
    const cidrOf = (v: Known<Node | string>) => (v && typeof v === 'object' ? str(v.p.cidr) : undefined);
    const side = (region: Known<string>, peerCidr: Known<string>): Known<boolean> => {
      const through = (routesByPeering.get(p) ?? []).filter((r) => r.region === undefined || r.region === region);
      if (through.some((r) => peerCidr === undefined || r.p.destination === peerCidr)) return true;
      // A route whose region, target or destination could not be resolved may be the missing one.
      const unsure = (r: Node) => (r.region === undefined || r.region === region) && (r.region === undefined || (r.p.peering === undefined && r.p.target === undefined) || (r.p.peering === p && r.p.destination === undefined));
      if (unplacedRoutes.some(unsure)) return undefined;
      return false;
    };
    return {
      id: peeringId(p), requesterRegion, accepterRegion,
      routes: { requester: side(requesterRegion, cidrOf(accVpc)), accepter: side(accepterRegion, cidrOf(reqVpc)) },
      requesterCidr: cidrOf(reqVpc), accepterCidr: cidrOf(accVpc), source: p.source,
    };
  });
  const ingressByGroup = new Map<unknown, Node[]>();
  for (const i of allOf('ingress')) pushTo(ingressByGroup, i.p.group, i);
  const securityGroups: SecurityGroupFact[] = of('security-group').map((g) => ({
    id: nameTag(g) ?? str(g.p.name) ?? g.source.id ?? 'security-group', region: g.region, networkId: linkId(g.p.vpc, vpcId),
    ingress: g.p.ingress === undefined ? undefined : [
      ...(g.p.ingress as IngressRuleFact[]),
      ...(ingressByGroup.get(g) ?? []).map((i) => i.p.rule as IngressRuleFact),
    ],
    source: g.source,
  }));
  const subnets: SubnetFact[] = of('subnet').map((s) => ({
    id: s.source.id ?? 'subnet', region: s.region, networkId: linkId(s.p.vpc, vpcId), cidr: s.p.cidr,
    availabilityZone: s.p.availabilityZone, tier: s.tags === undefined ? undefined : tagOf(s, TAG.tier) ?? null, source: s.source,
  }));
  const vpcEndpoints: VpcEndpointFact[] = of('vpc-endpoint').map((e) => {
    const networkId = linkId(e.p.vpc, vpcId);
    const serviceName: Known<string> = e.p.serviceName;
    return {
      id: serviceName !== undefined && networkId !== undefined ? `${serviceName}@${networkId}` : e.source.id ?? 'vpc-endpoint',
      region: e.region, networkId, serviceName, type: e.p.type, privateDns: e.p.privateDns, source: e.source,
    };
  });

  // --- alarms and experiments ----------------------------------------------------------------------------
  const alarmId = (a: Node) => str(a.p.name) ?? a.source.id ?? 'alarm';
  const clusterRegion = (id: Known<string>): Known<string> => (id === undefined ? undefined : clusterByIdentifier.get(id)?.region);
  const alarms: AlarmFact[] = of('alarm').map((a) => {
    const kind = alarmKind(a);
    const dims = a.p.dimensions as Known<Record<string, unknown>>;
    const dimValues: Known<Record<string, Known<string>>> = dims === undefined ? undefined : Object.fromEntries(Object.entries(dims).map(([k, v]) => [
      k, typeof v === 'string' ? v : v && typeof v === 'object' && (v as Node).kind === 'health-check' ? `{{healthCheck:${hcId(v as Node)}}}` : undefined,
    ]));
    let subject: Known<string> = a.region;
    if (kind === 'replication-lag' || kind === 'rpo-lag') {
      subject = str(dims?.ReceivingRegion) ?? (dims && 'DBClusterIdentifier' in dims ? clusterRegion(str(dims.DBClusterIdentifier)) ?? a.region : dims === undefined ? undefined : a.region);
    } else if (kind === 'health-check') {
      const h = dims?.HealthCheckId;
      subject = h && typeof h === 'object' ? tagOf(h as Node, TAG.region) : undefined;
    } else if (kind === 'writer-unavailable') {
      subject = clusterRegion(str(dims?.DBClusterIdentifier)) ?? a.region;
    }
    const threshold = a.p.threshold as Known<number>;
    return {
      id: alarmId(a), region: a.region, metric: a.p.metric, kind, level: alarmLevel(a),
      // The lag metrics are published in milliseconds (rpo_lag_in_msec / durability_lag_in_msec,
      // https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora_global_db_status.html); the facts compare seconds.
      thresholdSeconds: kind === 'replication-lag' || kind === 'rpo-lag' ? (threshold === undefined ? undefined : threshold / 1000) : null,
      subjectRegion: subject, namespace: a.p.namespace, dimensions: dimValues, unit: a.p.unit, statistic: a.p.statistic,
      threshold, comparison: a.p.comparison, periodSeconds: a.p.periodSeconds, evaluationPeriods: a.p.evaluationPeriods,
      treatMissingData: a.p.treatMissingData, name: a.p.name, expression: a.p.expression ?? null, source: a.source,
    };
  });
  const policies = allOf('policy');
  const resourceId = (v: unknown): Known<string> => {
    if (typeof v === 'string') return v;
    if (!v || typeof v !== 'object') return undefined;
    const n = v as Node;
    if (n.kind === 'cluster') return `cluster:${str(n.p.identifier) ?? n.source.id}`;
    if (n.kind === 'table') return `table:${str(n.p.name) ?? n.source.id}`;
    if (n.kind === 'alarm') return `alarm:${alarmId(n)}`;
    return n.source.id;
  };
  const roleFact = (r: Node): RoleFact => {
    const inline = r.p.statements as Known<RawStatement[]>;
    const attached = policies.filter((p) => (p.p.roles as unknown[] | undefined)?.includes(r) || (p.p.roles as unknown[] | undefined)?.includes(r.p.name));
    const raw = inline === undefined || attached.some((p) => p.p.statements === undefined) ? undefined
      : [...inline, ...attached.flatMap((p) => p.p.statements as RawStatement[])];
    return {
      id: str(r.p.name) ?? r.source.id ?? 'role', region: r.region, name: r.p.name, assumedBy: r.p.assumedBy,
      statements: statementFacts(raw, resourceId), managedPolicies: r.p.managedPolicies, source: r.source,
    };
  };
  const experiments: ExperimentFact[] = of('experiment').map((e) => {
    const actions = e.p.actions as Known<{ name: string; actionId: Known<string>; parameters: ExperimentActionFact['parameters']; targets: ExperimentActionFact['targets']; startAfter: Known<string[]> }[]>;
    const targets = e.p.targets as Known<{ key: string; resourceType: Known<string>; selectionMode: Known<string>; resourceTags: Optional<Record<string, string>>; resourceArns: Optional<unknown[]> }[]>;
    const stops = e.p.stopConditions as Known<{ source: Known<string>; alarm: unknown }[]>;
    const role = e.p.role as Optional<Node | string>;
    return {
      id: nameTag(e) ?? e.source.id ?? 'experiment', region: e.region, actions: actions?.map((a) => a.actionId as string),
      stopConditions: stops?.map((s) => ({
        source: s.source,
        alarmId: s.alarm === null ? null : s.alarm && typeof s.alarm === 'object' ? ((s.alarm as Node).kind === 'alarm' ? alarmId(s.alarm as Node) : undefined)
          : typeof s.alarm === 'string' ? /:alarm:(.+)$/.exec(s.alarm)?.[1] ?? s.alarm : undefined,
      })),
      actionDetails: actions, description: e.p.description,
      targets: targets?.map((t): ExperimentTargetFact => ({
        key: t.key, resourceType: t.resourceType, selectionMode: t.selectionMode, resourceTags: t.resourceTags,
        resourceArns: t.resourceArns === null || t.resourceArns === undefined ? t.resourceArns : t.resourceArns.map(resourceId),
      })),
      role: role === null ? null : role && typeof role === 'object' && role.kind === 'role' ? roleFact(role) : undefined,
      source: e.source,
    };
  });

  const secrets: SecretFact[] = of('secret').map((s) => ({
    id: str(s.p.name) ?? s.source.id ?? 'secret', region: s.region,
    replicaRegions: (s.p.replicas as Known<{ region: Known<string> }[]>)?.map((r) => r.region as string),
    keyRegion: keyTarget(s.p.key as KeyLink, aliases).region, removal: removalOf(s.p.removal), source: s.source,
  }));
  const logGroups: LogGroupFact[] = of('log-group').map((l) => ({
    id: str(l.p.name) ?? l.source.id ?? 'log-group', region: l.region, name: l.p.name, retentionDays: l.p.retentionDays,
    keyRegion: keyTarget(l.p.key as KeyLink, aliases).region, removal: removalOf(l.p.removal), source: l.source,
  }));

  // --- regions and data ----------------------------------------------------------------------------------
  const regionNames = [...new Set(nodes.map((n) => n.region).filter((r): r is string => typeof r === 'string'))];
  const dataRegions = new Set(databases.flatMap((d) => d.members.map((m) => m.region)));
  // Regions are the ones that hold data or a network; a stack that holds only global DNS is not a region of the deployment.
  const deploymentRegions = regionNames.filter((r) => dataRegions.has(r) || networks.some((n) => n.region === r) || nodes.some((n) => n.region === r && n.tags?.[TAG.role] !== undefined && n.kind !== 'health-check'));
  const regions: RegionFact[] = deploymentRegions.sort().map((region) => {
    // IAM and Route 53 are global: their resources sit in whatever region the stack or provider names.
    const here = nodes.filter((n) => n.tags !== undefined && (n.tags[TAG.region] !== undefined ? n.tags[TAG.region] === region
      : n.region === region && !GLOBAL_KINDS.has(n.kind) && !n.type.startsWith('AWS::IAM::') && !n.type.startsWith('aws_iam_')));
    const roleTag = tagAgreed(here, TAG.role);
    const members = databases.flatMap((d) => d.members.filter((m) => m.region === region).map((m) => ({ d, m })));
    const memberNodes = clusters.filter((c) => c.region === region);
    const writes: Known<boolean> = members.length === 0 ? undefined
      : members.some(({ m }) => m.role === 'primary' || m.role === 'replica') || memberNodes.some((c) => c.p.writeForwarding === true) ? true
        : members.some(({ m }) => m.role === undefined) || memberNodes.some((c) => c.p.writeForwarding === undefined) ? undefined : false;
    const partitions = new Set(members.map(({ d }) => d.partitionId));
    const partitionTag = tagAgreed(here, TAG.partition);
    return {
      name: region, role: ROLES.find((r) => r === roleTag), country: regionInfo(region)?.country,
      jurisdiction: mode !== undefined && mode !== 'partitioned' ? null : tagAgreed(here, TAG.jurisdiction) ?? undefined,
      partitionId: typeof partitionTag === 'string' ? partitionTag : partitions.size === 1 ? [...partitions][0] : undefined,
      acceptsWrites: writes, peakRps: parseNum(tagAgreed(here, TAG.peak)), capacityRps: parseNum(tagAgreed(here, TAG.capacity)),
    };
  });

  const engines = new Set(databases.map((d) => d.engine));
  const classificationTag = tagAgreed(tagged, TAG.classification);
  const residencyTag = tagAgreed(tagged, TAG.residency);
  const consistencyTag = tagAgreed(tagged, TAG.consistency);
  const quorumTag = tagAgreed(tagged, TAG.quorum);
  const rtoTag = tagAgreed(tagged, TAG.rto);
  const rpoTag = tagAgreed(tagged, TAG.rpo);
  const quorum = quorumTag === NONE ? null : typeof quorumTag === 'string' ? parseQuorum(quorumTag) : undefined;
  const data = databases.length === 0 && classificationTag === null ? null : {
    engine: engines.size === 1 ? [...engines][0] : undefined,
    classification: CLASSIFICATIONS.find((c) => c === classificationTag),
    residency: residencyTag === NONE ? null : typeof residencyTag === 'string' ? residencyTag.split(/[\s+]+/).filter(Boolean) : undefined,
    consistency: CONSISTENCIES.find((c) => c === consistencyTag),
    quorum,
  };
  // `none` declares no objectives; no tag at all leaves them unknown (an app not built with Meridian).
  const objectives: Facts['objectives'] = rtoTag === NONE && rpoTag === NONE ? null
    : rtoTag === null && rpoTag === null ? undefined
      : { rtoSeconds: parseNum(rtoTag) ?? undefined, rpoSeconds: parseNum(rpoTag) ?? undefined };
  return {
    topology: name, mode, regions, dns: { records, healthChecks }, keys, databases, networks, peerings, alarms, experiments,
    securityGroups, routeTables, subnets, vpcEndpoints, secrets, logGroups, data, objectives,
    suppressions: [...suppressions],
    automation: automationOf(of('region-switch-plan'), alarms),
  };
}

/**
 * Automated region failover: a Region switch plan with an `activate` trigger. Its sustained window is
 * the evaluation window of the alarm the trigger needs in `red`.
 */
function automationOf(plans: readonly Node[], alarms: readonly AlarmFact[]): Facts['automation'] {
  // Both readers see the whole artifact: no plan resource means no automation (the Terraform renderer never
  // builds one; provider 6.25 has no Region switch resource).
  if (plans.length === 0) return { regionFailover: false, writerFailover: false };
  const triggers = plans.flatMap((p) => (p.p.triggers as Known<readonly { action: Known<string>; redAlarms: readonly Known<string>[] }[]>) ?? []);
  const unknownTriggers = plans.some((p) => p.p.triggers === undefined);
  // What each activating trigger waits for: the kind of the alarm it needs red.
  const red = triggers.filter((t) => t.action === 'activate')
    .flatMap((t) => t.redAlarms.map((name) => alarms.find((x) => x.name !== undefined && x.name === name)));
  const health = red.filter((a) => a?.kind === 'health-check');
  const writer = red.some((a) => a?.kind === 'writer-unavailable');
  const unclassified = unknownTriggers || red.some((a) => a === undefined || a.kind === undefined);
  if (health.length === 0) return { regionFailover: unclassified ? undefined : false, writerFailover: writer || (unclassified ? undefined : false) };
  const windows = health.map((a) => (a?.periodSeconds !== undefined && a.evaluationPeriods !== undefined ? a.periodSeconds * a.evaluationPeriods : undefined));
  const known = windows.every((w): w is number => w !== undefined);
  return { regionFailover: true, writerFailover: writer || (unclassified ? undefined : false), sustainedSeconds: known ? Math.max(...windows) : undefined };
}

function parseQuorum(v: string): Known<{ replicas: number; writeQuorum: number; readQuorum: number }> {
  const m = /^n=(\d+)\s+w=(\d+)\s+r=(\d+)$/i.exec(v.trim());
  return m ? { replicas: Number(m[1]), writeQuorum: Number(m[2]), readQuorum: Number(m[3]) } : undefined;
}

function engineOf(v: unknown): Known<Engine> {
  return v === 'aurora-mysql' || v === 'aurora-postgresql' ? v : undefined;
}

function jurisdictionOf(nodes: readonly Node[], mode: Known<Mode>): Optional<string> {
  if (mode !== undefined && mode !== 'partitioned') return null;
  const j = tagAgreed(nodes, TAG.jurisdiction);
  return j === null ? (mode === 'partitioned' ? null : undefined) : j;
}

/** The topology a set of tagged nodes agrees on; '' when none carries the tag. */
export function groupOfTags(tags: readonly Known<Readonly<Record<string, Known<string>>>>[]): string {
  const counts = new Map<string, number>();
  for (const t of tags) {
    const v = t?.[TAG.topology];
    if (typeof v === 'string') counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
}
