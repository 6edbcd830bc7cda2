/**
 * The topology spec: what a user writes, as TypeScript props or as a YAML/JSON file. One zod schema
 * validates both and emits the JSON Schema that editors use (`schema/meridian.schema.json`).
 *
 * Written with zod/mini, zod 4's functional API (https://zod.dev/packages/mini): the same core
 * schemas, checks and messages as the classic `z.string().min(1)` API without its layer of methods
 * and `.describe()`/`.min()` copies. `meridian check` builds this schema on every start: with the
 * classic API, loading zod and building the schema were a sixth of a start without a code cache.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.cjs';
import { cidrProblem, overlaps, parseCidr, type Cidr } from './cidr';
import { ISO_3166_LOOKALIKES } from './iso3166';
import {
  AUTOMATION_MAX_SUSTAINED_SECONDS, clip, MAX_USER_TAGS, RESERVED_IPV4_RANGES, ROUTE53, SPEC_NAME, TAGS, VPC_CIDR,
} from './limits';
import type { HealthCheckerRegion, Jurisdiction, RegionCode } from './catalog-types';
import { isJurisdiction, regionInfo, REGION_CODES, ROUTE53_HEALTH_CHECKER_REGIONS } from './regions';

export const MODES = ['active-passive', 'active-active', 'partitioned'] as const;
export const ROLES = ['primary', 'secondary', 'active'] as const;
export const ENGINES = ['aurora-postgresql', 'aurora-mysql', 'dynamodb'] as const;
export const CLASSIFICATIONS = ['public', 'internal', 'confidential', 'pii', 'financial'] as const;
export const CONSISTENCIES = ['strong', 'read-your-writes', 'eventual'] as const;
export const PEERINGS = ['full-mesh', 'hub-and-spoke', 'none'] as const;
export const ROUTINGS = ['failover', 'latency', 'geolocation', 'geoproximity', 'weighted'] as const;
export const HEALTH_PROTOCOLS = ['HTTP', 'HTTPS', 'HTTP_STR_MATCH', 'HTTPS_STR_MATCH', 'TCP'] as const;
export const EXPERIMENTS = ['region-isolation', 'database-failover', 'dynamodb-replication-pause'] as const;
export const APPLICATION_SUBNET_LAYOUTS = ['none', 'public-and-private', 'private-with-endpoints'] as const;

export type Mode = (typeof MODES)[number];
export type Role = (typeof ROLES)[number];
export type Engine = (typeof ENGINES)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];
export type Consistency = (typeof CONSISTENCIES)[number];
export type PeeringTopology = (typeof PEERINGS)[number];
export type Routing = (typeof ROUTINGS)[number];
export type HealthProtocol = (typeof HEALTH_PROTOCOLS)[number];
export type ExperimentKind = (typeof EXPERIMENTS)[number];
export type ApplicationSubnetLayout = (typeof APPLICATION_SUBNET_LAYOUTS)[number];

// zod/mini sets no locale: without one every message is "Invalid input". English unless the program
// chose another, as the classic API does on its first schema (zod/v4/classic/schemas: ensureDefaultLocale).
if (!z.config().localeError) z.config(en());

/** A description for the JSON Schema (editors), registered as classic zod's `.describe()` does, on a schema of its own. */
function described<T extends z.ZodMiniType>(schema: T, description: string): T {
  z.globalRegistry.add(schema, { description });
  return schema;
}

const HOST_RE = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9-_]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$/;
const RULE_ID_RE = /^GEO-[A-Z]+-\d{3}$/;

// The refinement admits catalog codes only, so the validated value is a RegionCode: the cast narrows
// the output type (ValidSpec) without changing what is checked or the JSON Schema.
// A function: every use gets a schema of its own, so a description registered on one stays there.
const regionCode = () => z.string().check(z.superRefine((v, ctx) => {
  if (!regionInfo(v)) {
    ctx.addIssue({ code: 'custom', message: `unknown AWS region "${clip(v)}"; allowed: a region code from the catalog (${REGION_CODES.slice(0, 6).join(', ')}, …)` });
  }
})) as unknown as z.ZodMiniType<RegionCode, string>;

const specName = z.string().check(z.superRefine((v, ctx) => {
  const problems = [
    v.length > SPEC_NAME.maxLength && `is ${v.length} characters long; allowed: at most ${SPEC_NAME.maxLength}, the budget the longest derived name (the FIS role <name>-<region>-fis-<kind>, IAM limit 64) leaves`,
    !/^[a-z][a-z0-9-]*$/.test(v) && 'must match [a-z][a-z0-9-]* (lower-case letters, digits and dashes, starting with a letter)',
    /^[a-z][a-z0-9-]*$/.test(v) && !SPEC_NAME.pattern.test(v) && 'must not end with a hyphen or contain two hyphens in a row: it starts the Aurora cluster identifiers, which refuse both (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBCluster.html)',
  ].filter((p): p is string => typeof p === 'string');
  for (const message of problems) ctx.addIssue({ code: 'custom', message });
}));

const cidr = z.string().check(z.superRefine((v, ctx) => {
  const problem = cidrProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `malformed CIDR "${clip(v)}": ${problem}` });
}));

function reservedRangeOf(block: Cidr): string | undefined {
  return RESERVED_IPV4_RANGES.find((r) => overlaps(parseCidr(r.cidr) as Cidr, block))?.what;
}

/** A region's VPC block: a well-formed CIDR with a /16–/28 netmask outside the reserved ranges. */
const vpcCidr = cidr.check(z.superRefine((v, ctx) => {
  const block = parseCidr(v);
  if (!block) return;
  if (block.prefix < VPC_CIDR.minPrefix || block.prefix > VPC_CIDR.maxPrefix) {
    ctx.addIssue({ code: 'custom', message: `a VPC CIDR block must have a netmask between /${VPC_CIDR.minPrefix} and /${VPC_CIDR.maxPrefix}, got /${block.prefix} (${VPC_CIDR.source})` });
  }
  const reserved = reservedRangeOf(block);
  if (reserved) ctx.addIssue({ code: 'custom', message: `${block.text} overlaps the ${reserved} range, which no VPC may use (${VPC_CIDR.source})` });
}));

/** The base the region blocks are allocated from: any size, but never over a reserved range. */
const baseCidr = cidr.check(z.superRefine((v, ctx) => {
  const block = parseCidr(v);
  const reserved = block && reservedRangeOf(block);
  if (block && reserved) {
    ctx.addIssue({ code: 'custom', message: `${block.text} overlaps the ${reserved} range, which no VPC may use; use a private range such as 10.0.0.0/8 (${VPC_CIDR.source})` });
  }
}));

const jurisdiction = z.string().check(z.superRefine((v, ctx) => {
  if (!isJurisdiction(v)) {
    const upper = v.toUpperCase();
    const suggestion = Object.prototype.hasOwnProperty.call(ISO_3166_LOOKALIKES, upper) ? ISO_3166_LOOKALIKES[upper]
      : upper !== v && isJurisdiction(upper) ? upper : undefined;
    const hint = suggestion ? ` (did you mean ${suggestion}?)` : '';
    ctx.addIssue({ code: 'custom', message: `"${clip(v)}" is not a jurisdiction${hint}; allowed: an ISO 3166-1 alpha-2 country code (DE, US, GB, …) or a group (EU, EEA)` });
  }
})) as unknown as z.ZodMiniType<Jurisdiction, string>; // as regionCode: what the refinement admits

const hostname = (what: string) => z.string().check(z.regex(HOST_RE, {
  message: `expected a DNS name for ${what}, such as api.example.com: at most ${ROUTE53.domainNameMaxLength} characters, labels of at most ${ROUTE53.labelMaxLength} (${ROUTE53.domainSource})`,
}));

/** A real calendar day, YYYY-MM-DD: 2099-02-31 is refused, not read as 3 March. */
const calendarDate = z.string().check(z.superRefine((v, ctx) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v);
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'expected a date YYYY-MM-DD' });
    return;
  }
  // The pattern has three mandatory groups, so a match always carries all three.
  const [y = NaN, mo = NaN, d = NaN] = m.slice(1).map(Number);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
    ctx.addIssue({ code: 'custom', message: `${v} is not a calendar date (month ${mo} ${mo >= 1 && mo <= 12 ? `has no day ${d}` : 'does not exist'}); expected YYYY-MM-DD` });
  }
}));

/** User tags: AWS tag rules, and room left for the tags Meridian adds to every resource. */
const userTags = z.record(z.string(), z.string()).check(z.superRefine((tags, ctx) => {
  const keys = Object.keys(tags);
  if (keys.length > MAX_USER_TAGS) {
    ctx.addIssue({ code: 'custom', message: `${keys.length} tags; allowed: at most ${MAX_USER_TAGS}, because a resource takes ${TAGS.perResource} tags and Meridian adds up to ${TAGS.meridianPerResource} of its own (${TAGS.source})` });
  }
  let reported = 0;
  for (const [key, value] of Object.entries(tags)) {
    if (reported >= 20) break;
    const problems = [
      (key.length < 1 || key.length > TAGS.keyMaxLength) && `the key must be 1 to ${TAGS.keyMaxLength} characters, got ${key.length}`,
      value.length > TAGS.valueMaxLength && `the value must be at most ${TAGS.valueMaxLength} characters, got ${value.length}`,
      key.toLowerCase().startsWith(TAGS.reservedPrefix) && `the "${TAGS.reservedPrefix}" prefix is reserved for AWS`,
      (!TAGS.pattern.test(key) || !TAGS.pattern.test(value)) && `keys and values may contain only ${TAGS.allowed}`,
    ].filter((p): p is string => typeof p === 'string');
    if (problems.length > 0) {
      reported++;
      ctx.addIssue({ code: 'custom', path: [key], message: `${problems.join('; ')} (${TAGS.source})` });
    }
  }
}));

/** `z.number()` with an integer check and optional bounds, in the order classic zod's `.int().min().max()` attached them. */
function integer(min?: number, max?: number) {
  return z.number().check(...[z.int(), ...(min === undefined ? [] : [z.gte(min)]), ...(max === undefined ? [] : [z.lte(max)])]);
}

export const RegionSpecSchema = z.strictObject({
  name: described(regionCode(), 'AWS region code, e.g. us-east-1; must be in the catalog.'),
  role: described(z.enum(ROLES), 'primary | secondary (active-passive); active (active-active, partitioned).'),
  cidr: described(z.optional(vpcCidr), 'VPC CIDR (/16 to /28, no reserved range); allocated from network.baseCidr when absent.'),
  endpoint: described(z.optional(hostname('endpoint')), "The region's application endpoint FQDN. Default: <region>.<dns.recordName>."),
  jurisdiction: described(z.optional(jurisdiction), "Partitioned mode: whose users and data this region serves (country code or EU/EEA)."),
  peakRps: described(z.optional(z.number().check(z.positive())), 'Peak requests per second this region serves; used by the capacity rule.'),
  capacityRps: described(z.optional(z.number().check(z.positive())), 'Requests per second this region can serve at most. Default: 2 × peakRps.'),
  instances: described(z.optional(integer(0, 16)), 'Aurora instances in this region; 0 makes a headless secondary. Default: 2 on a primary, 1 on a secondary.'),
  weight: described(z.optional(integer(0, 255)), 'Weighted routing: relative weight. Default 1.'),
  bias: described(z.optional(integer(-99, 99)), 'Geoproximity routing: bias. Default 0.'),
  applicationSubnets: described(z.optional(z.enum(APPLICATION_SUBNET_LAYOUTS)),
    "Subnets for the region's services beside the data subnets. Default: network.applicationSubnets."),
});

export const QuorumSchema = z.strictObject({
  replicas: described(integer(1), 'N: total replicas.'),
  writeQuorum: described(integer(), 'W: replicas that must acknowledge a write.'),
  readQuorum: described(integer(), 'R: replicas that must answer a read.'),
});

export const HealthCheckSchema = z.strictObject({
  protocol: z._default(z.enum(HEALTH_PROTOCOLS), 'HTTPS'),
  path: z._default(z.string().check(z.startsWith('/'), z.maxLength(ROUTE53.healthCheckPathMaxLength, {
    message: `Route 53 allows a health-check path of at most ${ROUTE53.healthCheckPathMaxLength} characters (${ROUTE53.healthCheckSource})`,
  })), '/health'),
  port: z._default(integer(1, 65535), 443),
  intervalSeconds: described(z._default(z.number().check(z.int(), z.positive()), 10), 'Route 53 allows 10 or 30.'),
  failureThreshold: described(z._default(integer(), 3), 'Route 53 allows 1 to 10.'),
  searchString: described(z.optional(z.string().check(z.maxLength(255))), 'Required by the *_STR_MATCH protocols.'),
  checkerRegions: described(z.optional(z.array(z.string().check(z.refine((r) => (ROUTE53_HEALTH_CHECKER_REGIONS as readonly string[]).includes(r), {
    message: `not a Route 53 health-checker region; allowed: ${ROUTE53_HEALTH_CHECKER_REGIONS.join(', ')}`,
  })) as unknown as z.ZodMiniType<HealthCheckerRegion, string>).check(
    z.minLength(3, { message: 'Route 53 needs at least 3 checker regions' }),
    z.refine((rs) => new Set(rs).size === rs.length, { message: 'checker regions must not repeat' }),
  )), 'Route 53 checker regions (3 or more distinct). Default: all eight.'),
});

export const SpecSchema = z.strictObject({
  name: specName,
  mode: z.enum(MODES),
  account: described(z.optional(z.string().check(z.regex(/^\d{12}$/, { message: 'expected a 12-digit AWS account id' }))),
    'AWS account of every stack. Default: environment-agnostic account.'),
  regions: z.array(RegionSpecSchema).check(z.minLength(1)),
  network: z._default(z.strictObject({
    baseCidr: z._default(baseCidr, '10.0.0.0/8'),
    regionPrefixLength: described(z._default(integer(16, 24), 16), 'Prefix length of allocated region CIDRs.'),
    peering: z._default(z.enum(PEERINGS), 'full-mesh'),
    hub: described(z.optional(regionCode()), 'hub-and-spoke: the hub region. Default: the primary (or first) region.'),
    availabilityZones: described(z.optional(integer(2, 6)),
      'Availability Zones each region spreads its data subnets over (Aurora needs 2). Default: 3, or fewer where accounts can rely on fewer (us-west-1: 2).'),
    applicationSubnets: described(z.optional(z.enum(APPLICATION_SUBNET_LAYOUTS)),
      'Subnets for services beside the data subnets: public + private with egress (NAT per zone), or private only with interface endpoints for Secrets Manager, KMS, CloudWatch Logs and STS. Default: none.'),
  }), { baseCidr: '10.0.0.0/8', regionPrefixLength: 16, peering: 'full-mesh' }),
  data: z.strictObject({
    engine: z.enum(ENGINES),
    classification: z.enum(CLASSIFICATIONS),
    residency: described(z.optional(z.array(jurisdiction).check(z.minLength(1, { message: 'residency must name at least one jurisdiction; leave it out when the data may live anywhere' }))), 'Where the data may live: ISO 3166-1 alpha-2 codes and the groups EU, EEA.'),
    consistency: z._default(z.enum(CONSISTENCIES), 'eventual'),
    quorum: z.optional(QuorumSchema),
    engineVersion: described(z.optional(z.string()), 'Aurora engine version. Default: 16.6 (PostgreSQL) or 8.0.mysql_aurora.3.08.0 (MySQL).'),
    instanceClass: described(z.optional(z.string()), 'Aurora instance class. Default: r6g.large (global databases need memory-optimised classes).'),
    writeForwarding: described(z.optional(z.boolean()), 'Aurora write forwarding on secondaries. Default: true in active-active, false otherwise.'),
    backupRetentionDays: z._default(integer(1, 35), 7),
    databaseName: z._default(z.string().check(z.regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/)), 'app'),
    port: described(z.optional(integer(1150, 65535)), 'Database port. Default: 5432 (PostgreSQL), 3306 (MySQL).'),
    writeVolume: described(z.optional(z.strictObject({
      gbPerMonth: described(z.number().check(z.gte(0)), 'Data written per month in GB (what replication carries across regions).'),
      writesPerSecond: described(z.number().check(z.gte(0)), 'Average writes per second.'),
    })), 'Write volume for the replication cost in `meridian estimate`. Default: no cost estimate.'),
  }),
  dns: z.strictObject({
    zoneName: hostname('dns.zoneName'),
    zoneId: described(z.optional(z.string().check(z.regex(/^Z[A-Z0-9]{1,32}$/, { message: 'expected a Route 53 hosted zone id such as Z0123456789ABC' }))),
      'Import this existing zone (no lookup). Default: a new public hosted zone is created.'),
    recordName: hostname('dns.recordName'),
    routing: z.enum(ROUTINGS),
    ttlSeconds: z._default(integer(0), 60),
    healthCheck: z._default(HealthCheckSchema, { protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 }),
    defaultRegion: described(z.optional(regionCode()), 'Geolocation: region that answers users no other record matches. Default: the first region.'),
    crossBorderFallback: described(z._default(z.boolean(), false), 'Partitioned geolocation: when every region of a jurisdiction is down, send its users to the default record (another jurisdiction) instead of leaving them without a healthy answer. A policy error on pii and financial data. Default: false.'),
  }),
  objectives: z.optional(z.strictObject({
    rtoSeconds: z.number().check(z.positive()),
    rpoSeconds: z.number().check(z.gte(0)),
  })),
  alarms: z._default(z.strictObject({
    replicationLagWarningSeconds: z._default(z.number().check(z.positive()), 30),
    replicationLagCriticalSeconds: z._default(z.number().check(z.positive()), 300),
    periodSeconds: z._default(z.number().check(z.int(), z.refine((v) => v === 10 || v === 30 || (v >= 60 && v % 60 === 0), { message: 'must be 10, 30 or a multiple of 60' })), 60),
    email: described(z.optional(z.string().check(z.email())), 'Subscribe this address to every region’s alert topic.'),
  }), { replicationLagWarningSeconds: 30, replicationLagCriticalSeconds: 300, periodSeconds: 60 }),
  automation: described(z.optional(z.strictObject({
    regionFailover: described(z.optional(z.strictObject({
      enabled: described(z.boolean(), 'Let an alarm promote a secondary region (no human decision).'),
      sustainedSeconds: described(z._default(integer(60, AUTOMATION_MAX_SUSTAINED_SECONDS)
        .check(z.refine((v) => v % 60 === 0, { message: 'must be a multiple of 60 (whole minutes of the health-check metric)' })), 60),
      'How long the primary must be reported unhealthy before the failover starts, seconds (60 to 3600, whole minutes). Default: 60.'),
    })), 'Automated region failover. Default: off; a human decides.'),
  })), 'Automation that removes human decisions. Default: none.'),
  experiments: described(z.optional(z.array(z.enum(EXPERIMENTS))
    .check(z.refine((es) => new Set(es).size === es.length, { message: 'experiments must not repeat; each kind is templated once per partition' }))),
  'FIS experiments to template. Default: region-isolation plus database-failover (Aurora) or dynamodb-replication-pause (DynamoDB).'),
  experimentDurationMinutes: z._default(integer(1, 720), 10),
  suppressions: z._default(z.array(z.strictObject({
    rule: z.string().check(z.regex(RULE_ID_RE, { message: 'expected a rule id such as GEO-DNS-001' })),
    reason: z.string().check(z.trim(), z.minLength(10, { message: 'a suppression needs a reason of at least 10 characters' })),
    expires: z.optional(calendarDate),
    resource: described(z.optional(z.string()), 'Only findings on this resource (or region). Default: all findings of the rule.'),
  })), []),
  tags: z._default(userTags, {}),
});

/** What the zod schema accepts; {@link GeoSpec} (./spec-types.ts) is the same shape, documented and narrower. */
export type SpecInput = z.input<typeof SpecSchema>;
/** The spec as a user writes it (defaults optional): documented interfaces in ./spec-types.ts. */
export type { GeoSpec } from './spec-types';
/** The spec after validation, with schema defaults applied. */
export type ValidSpec = z.output<typeof SpecSchema>;
export type RegionSpec = z.output<typeof RegionSpecSchema>;

/**
 * The JSON Schema for editors, derived from the zod schema so the two cannot drift. It compiles under
 * Ajv's strict mode: zod's `startsWith` check becomes only the `pattern` it already emits (zod also writes
 * `"format": "starts_with"`, which no JSON Schema validator knows), and the ±2^53 bounds zod puts on
 * every unbounded integer are dropped (they restate JSON's safe-integer range, not a rule of ours).
 */
export function specJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SpecSchema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ jsonSchema }) => {
      const node = jsonSchema as Record<string, unknown>;
      if (node.format === 'starts_with' && typeof node.pattern === 'string') delete node.format;
      if (node.minimum === -Number.MAX_SAFE_INTEGER) delete node.minimum;
      if (node.maximum === Number.MAX_SAFE_INTEGER) delete node.maximum;
    },
  }) as Record<string, unknown>;
}
