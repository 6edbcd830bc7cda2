/**
 * Helpers shared by the CDK for Terraform constructs: account context, tags, ARNs, CIDR carving and
 * IAM/KMS policy documents. Only this folder may import cdktf; these helpers are plain TypeScript.
 */
import { MeridianValidationError } from '../model/errors';
import type { GeoPlan, PlannedRegion, PlannedRemoval } from '../model/plan-types';

const PREVENT_DESTROY: Readonly<Record<PlannedRemoval, boolean>> = { retain: true, snapshot: false };

/**
 * `lifecycle.prevent_destroy` of a planned removal: `retain` keeps the resource from `terraform destroy`
 * (CloudFormation `Retain`); `snapshot` lets it go with a final snapshot (`skip_final_snapshot = false`,
 * CloudFormation `Snapshot`), deletion protection still refusing it until lifted.
 */
export function preventDestroy(removal: PlannedRemoval): boolean {
  return PREVENT_DESTROY[removal];
}

/**
 * Where resources live: the account id (a literal when the plan names the account, otherwise a
 * Terraform reference to `data.aws_caller_identity`) and the ARN partition.
 */
export interface AccountContext {
  /** 12-digit account id, or a Terraform token resolving to it at plan time. */
  readonly accountId: string;
  /** ARN partition, e.g. `aws`, `aws-cn`, `aws-us-gov`. */
  readonly partition: string;
}

/** Tags a regional resource carries: the plan's region tags plus a `Name`. */
export function regionTags(region: PlannedRegion, name?: string): Record<string, string> {
  return sortKeys({ ...region.tags, ...(name ? { Name: name } : {}) });
}

/** Tags a global (or home-region) resource carries: the plan's deployment tags plus a `Name`. */
export function planTags(plan: GeoPlan, name?: string): Record<string, string> {
  return sortKeys({ ...plan.tags, ...(name ? { Name: name } : {}) });
}

/** Copy of an object with its keys sorted, so synthesized JSON is stable. */
export function sortKeys<T>(obj: Readonly<Record<string, T>>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(obj).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = v;
  return out;
}

/** The plan region with this name; throws when the plan does not contain it (a plan bug). */
export function regionOf(plan: GeoPlan, name: string): PlannedRegion {
  const r = plan.regions.find((x) => x.name === name);
  if (!r) throw new Error(`plan "${plan.name}" has no region ${name}; regions: ${plan.regions.map((x) => x.name).join(', ')}`);
  return r;
}

/**
 * An IAM role name `<base>-<suffix>` of at most 64 characters: when too long, the base is shortened and
 * a stable 8-hex-digit hash of the full name keeps it unique.
 */
export function iamRoleName(base: string, suffix: string): string {
  const full = `${base}-${suffix}`;
  if (full.length <= 64) return full;
  let h = 0x811c9dc5;
  for (let i = 0; i < full.length; i++) {
    h ^= full.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  const hash = h.toString(16).padStart(8, '0');
  return `${base.slice(0, 64 - suffix.length - hash.length - 2)}-${hash}-${suffix}`;
}

/**
 * Retention periods CloudWatch Logs accepts, in days (0 = never expire); the provider refuses any other
 * `retention_in_days` at `terraform validate`.
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
  0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

/** The retention, checked against {@link LOG_RETENTION_DAYS}; throws naming `where`, the value and the allowed ones. */
export function logRetentionDays(where: string, days: number): number {
  if (!LOG_RETENTION_DAYS.includes(days)) {
    throw new MeridianValidationError({ construct: where, prop: 'logRetentionDays', value: days, allowed: `one of ${LOG_RETENTION_DAYS.join(', ')}`, message: `logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')}, got ${days}` });
  }
  return days;
}

/** Aurora instance class with the `db.` prefix the RDS API expects. */
export function dbInstanceClass(planned: string): string {
  return planned.startsWith('db.') ? planned : `db.${planned}`;
}

/** An IAM / KMS policy statement. */
export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: Record<string, string | string[]> | '*';
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[]>>;
}

/** A policy document as a JSON string (Terraform references inside it resolve at plan time). */
export function policyDocument(statements: readonly PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

const ATTRIBUTE_READS = new WeakMap<object, Map<PropertyKey, unknown>>();

/**
 * `resource[name]` (an attribute such as `id` or `arn`), read once per resource and attribute and shared
 * by every later caller. Each read of a cdktf attribute getter makes a new token, and cdktf 0.21 captures
 * an unbounded stack trace for every token it makes (`cdktf/lib/tokens/private/stack-trace.js`, with no
 * switch to turn it off): reading a VPC id for every subnet, route and rule cost more than creating them.
 * One token renders the same reference wherever it is used.
 */
export function attr<T extends object, K extends keyof T>(resource: T, name: K): T[K] {
  let reads = ATTRIBUTE_READS.get(resource);
  if (!reads) {
    reads = new Map();
    ATTRIBUTE_READS.set(resource, reads);
  }
  if (!reads.has(name)) reads.set(name, resource[name]);
  return reads.get(name) as T[K];
}

/** `arn:<partition>:<service>:<region>:<account>:<resource>` */
export function arn(ctx: AccountContext, service: string, region: string, resource: string): string {
  return `arn:${ctx.partition}:${service}:${region}:${ctx.accountId}:${resource}`;
}
