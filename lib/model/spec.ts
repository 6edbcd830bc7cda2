/**
 * The topology spec: what a user writes, as TypeScript props or as a YAML/JSON file. One zod schema
 * validates both and emits the JSON Schema that editors use (`schema/meridian.schema.json`).
 */
import { z } from 'zod';
import { cidrProblem } from './cidr';
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

export type Mode = (typeof MODES)[number];
export type Role = (typeof ROLES)[number];
export type Engine = (typeof ENGINES)[number];
export type Classification = (typeof CLASSIFICATIONS)[number];
export type Consistency = (typeof CONSISTENCIES)[number];
export type PeeringTopology = (typeof PEERINGS)[number];
export type Routing = (typeof ROUTINGS)[number];
export type HealthProtocol = (typeof HEALTH_PROTOCOLS)[number];
export type ExperimentKind = (typeof EXPERIMENTS)[number];

const NAME_RE = /^[a-z][a-z0-9-]*$/;
const HOST_RE = /^(?=.{1,253}$)([a-zA-Z0-9_]([a-zA-Z0-9-_]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.?$/;
const RULE_ID_RE = /^GEO-[A-Z]+-\d{3}$/;

const regionCode = z.string().superRefine((v, ctx) => {
  if (!regionInfo(v)) {
    ctx.addIssue({ code: 'custom', message: `unknown AWS region "${v}"; allowed: a region code from the catalog (${REGION_CODES.slice(0, 6).join(', ')}, …)` });
  }
});

const cidr = z.string().superRefine((v, ctx) => {
  const problem = cidrProblem(v);
  if (problem) ctx.addIssue({ code: 'custom', message: `malformed CIDR "${v}": ${problem}` });
});

const jurisdiction = z.string().superRefine((v, ctx) => {
  if (!isJurisdiction(v)) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a jurisdiction; allowed: an ISO 3166-1 alpha-2 country code (DE, US, …) or a group (EU, EEA)` });
  }
});

const hostname = (what: string) => z.string().regex(HOST_RE, { message: `expected a DNS name for ${what}, such as api.example.com` });

export const RegionSpecSchema = z.strictObject({
  name: regionCode.describe('AWS region code, e.g. us-east-1; must be in the catalog.'),
  role: z.enum(ROLES).describe('primary | secondary (active-passive); active (active-active, partitioned).'),
  cidr: cidr.optional().describe('VPC CIDR; allocated from network.baseCidr when absent.'),
  endpoint: hostname('endpoint').optional().describe("The region's application endpoint FQDN. Default: <region>.<dns.recordName>."),
  jurisdiction: jurisdiction.optional().describe("Partitioned mode: whose users and data this region serves (country code or EU/EEA)."),
  peakRps: z.number().positive().optional().describe('Peak requests per second this region serves; used by the capacity rule.'),
  capacityRps: z.number().positive().optional().describe('Requests per second this region can serve at most. Default: 2 × peakRps.'),
  instances: z.number().int().min(0).max(16).optional().describe('Aurora instances in this region; 0 makes a headless secondary. Default: 2 on a primary, 1 on a secondary.'),
  weight: z.number().int().min(0).max(255).optional().describe('Weighted routing: relative weight. Default 1.'),
  bias: z.number().int().min(-99).max(99).optional().describe('Geoproximity routing: bias. Default 0.'),
});

export const QuorumSchema = z.strictObject({
  replicas: z.number().int().min(1).describe('N: total replicas.'),
  writeQuorum: z.number().int().describe('W: replicas that must acknowledge a write.'),
  readQuorum: z.number().int().describe('R: replicas that must answer a read.'),
});

export const HealthCheckSchema = z.strictObject({
  protocol: z.enum(HEALTH_PROTOCOLS).default('HTTPS'),
  path: z.string().startsWith('/').default('/health'),
  port: z.number().int().min(1).max(65535).default(443),
  intervalSeconds: z.number().int().positive().default(10).describe('Route 53 allows 10 or 30.'),
  failureThreshold: z.number().int().default(3).describe('Route 53 allows 1 to 10.'),
  searchString: z.string().max(255).optional().describe('Required by the *_STR_MATCH protocols.'),
  checkerRegions: z.array(z.string().refine((r) => ROUTE53_HEALTH_CHECKER_REGIONS.includes(r), {
    message: `not a Route 53 health-checker region; allowed: ${ROUTE53_HEALTH_CHECKER_REGIONS.join(', ')}`,
  })).min(3, { message: 'Route 53 needs at least 3 checker regions' })
    .refine((rs) => new Set(rs).size === rs.length, { message: 'checker regions must not repeat' })
    .optional().describe('Route 53 checker regions (3 or more distinct). Default: all eight.'),
});

export const SpecSchema = z.strictObject({
  name: z.string().regex(NAME_RE, { message: 'must match [a-z][a-z0-9-]* (lower-case letters, digits and dashes, starting with a letter)' }).max(40),
  mode: z.enum(MODES),
  account: z.string().regex(/^\d{12}$/, { message: 'expected a 12-digit AWS account id' }).optional()
    .describe('AWS account of every stack. Default: environment-agnostic account.'),
  regions: z.array(RegionSpecSchema).min(1),
  network: z.strictObject({
    baseCidr: cidr.default('10.0.0.0/8'),
    regionPrefixLength: z.number().int().min(16).max(24).default(16).describe('Prefix length of allocated region CIDRs.'),
    peering: z.enum(PEERINGS).default('full-mesh'),
    hub: regionCode.optional().describe('hub-and-spoke: the hub region. Default: the primary (or first) region.'),
    availabilityZones: z.number().int().min(2).max(6).optional()
      .describe('Availability Zones each region spreads its data subnets over (Aurora needs 2). Default: 3, or fewer where accounts can rely on fewer (us-west-1: 2).'),
  }).default({ baseCidr: '10.0.0.0/8', regionPrefixLength: 16, peering: 'full-mesh' }),
  data: z.strictObject({
    engine: z.enum(ENGINES),
    classification: z.enum(CLASSIFICATIONS),
    residency: z.array(jurisdiction).optional().describe('Where the data may live: ISO 3166-1 alpha-2 codes and the groups EU, EEA.'),
    consistency: z.enum(CONSISTENCIES).default('eventual'),
    quorum: QuorumSchema.optional(),
    engineVersion: z.string().optional().describe('Aurora engine version. Default: 16.6 (PostgreSQL) or 8.0.mysql_aurora.3.08.0 (MySQL).'),
    instanceClass: z.string().optional().describe('Aurora instance class. Default: r6g.large (global databases need memory-optimised classes).'),
    writeForwarding: z.boolean().optional().describe('Aurora write forwarding on secondaries. Default: true in active-active, false otherwise.'),
    backupRetentionDays: z.number().int().min(1).max(35).default(7),
    databaseName: z.string().regex(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/).default('app'),
    port: z.number().int().min(1150).max(65535).optional().describe('Database port. Default: 5432 (PostgreSQL), 3306 (MySQL).'),
  }),
  dns: z.strictObject({
    zoneName: hostname('dns.zoneName'),
    zoneId: z.string().regex(/^Z[A-Z0-9]{1,32}$/, { message: 'expected a Route 53 hosted zone id such as Z0123456789ABC' }).optional()
      .describe('Import this existing zone (no lookup). Default: a new public hosted zone is created.'),
    recordName: hostname('dns.recordName'),
    routing: z.enum(ROUTINGS),
    ttlSeconds: z.number().int().min(0).default(60),
    healthCheck: HealthCheckSchema.default({ protocol: 'HTTPS', path: '/health', port: 443, intervalSeconds: 10, failureThreshold: 3 }),
    defaultRegion: regionCode.optional().describe('Geolocation: region that answers users no other record matches. Default: the first region.'),
  }),
  objectives: z.strictObject({
    rtoSeconds: z.number().positive(),
    rpoSeconds: z.number().min(0),
  }).optional(),
  alarms: z.strictObject({
    replicationLagWarningSeconds: z.number().positive().default(30),
    replicationLagCriticalSeconds: z.number().positive().default(300),
    periodSeconds: z.number().int().refine((v) => v === 10 || v === 30 || (v >= 60 && v % 60 === 0), { message: 'must be 10, 30 or a multiple of 60' }).default(60),
    email: z.string().email().optional().describe('Subscribe this address to every region’s alert topic.'),
  }).default({ replicationLagWarningSeconds: 30, replicationLagCriticalSeconds: 300, periodSeconds: 60 }),
  experiments: z.array(z.enum(EXPERIMENTS)).optional()
    .describe('FIS experiments to template. Default: region-isolation plus database-failover (Aurora) or dynamodb-replication-pause (DynamoDB).'),
  experimentDurationMinutes: z.number().int().min(1).max(720).default(10),
  suppressions: z.array(z.strictObject({
    rule: z.string().regex(RULE_ID_RE, { message: 'expected a rule id such as GEO-DNS-001' }),
    reason: z.string().trim().min(10, { message: 'a suppression needs a reason of at least 10 characters' }),
    expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date YYYY-MM-DD' }).optional(),
    resource: z.string().optional().describe('Only findings on this resource (or region). Default: all findings of the rule.'),
  })).default([]),
  tags: z.record(z.string(), z.string()).default({}),
});

/** The spec as a user writes it (defaults optional). */
export type GeoSpec = z.input<typeof SpecSchema>;
/** The spec after validation, with schema defaults applied. */
export type ValidSpec = z.output<typeof SpecSchema>;
export type RegionSpec = z.output<typeof RegionSpecSchema>;

/** The JSON Schema for editors, derived from the zod schema so the two cannot drift. */
export function specJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(SpecSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
