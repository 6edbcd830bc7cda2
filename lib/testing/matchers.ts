/**
 * Jest matchers for Meridian policy reports:
 *
 * ```ts
 * import { meridianMatchers } from 'meridian-geo/testing';
 * expect.extend(meridianMatchers);
 * expect(checkPlan(plan)).toPassMeridianPolicy();
 * expect(report).toHaveFinding('GEO-DNS-001', { resource: 'api.example.com', suppressed: false });
 * ```
 *
 * They work on the report's shape only (`{ findings: [...] }`), so reports read back from JSON work too.
 */
import type { Report } from '../policy/types';

export type FindingSeverity = 'error' | 'warning' | 'info';

/** The part of a policy finding the matchers read. */
export interface FindingLike {
  readonly ruleId: string;
  readonly severity: FindingSeverity;
  readonly message: string;
  readonly resource?: string;
  readonly region?: string;
  readonly value?: unknown;
  readonly limit?: unknown;
  readonly unknown?: boolean;
  readonly suppressed: boolean;
  readonly suppressionReason?: string;
}

/** The part of a policy report the matchers read. */
export interface PolicyReportLike {
  readonly findings: readonly FindingLike[];
}

// The policy engine's Report must stay usable with these matchers.
const reportIsCompatible: (r: Report) => PolicyReportLike = (r) => r;
void reportIsCompatible;

/** Options of `toPassMeridianPolicy`. */
export interface PassOptions {
  /**
   * The least severe unsuppressed finding that fails the report.
   *
   * @default 'error'
   */
  readonly failOn?: FindingSeverity;
}

/** What a finding must match for `toHaveFinding`; every given field must match. */
export interface FindingCriteria {
  /** The resource, exactly or by pattern. @default - any resource */
  readonly resource?: string | RegExp;
  /** @default - any region */
  readonly region?: string;
  /** @default - any severity */
  readonly severity?: FindingSeverity;
  /** @default - suppressed or not */
  readonly suppressed?: boolean;
  /** @default - known or unknown */
  readonly unknown?: boolean;
  /** The computed value, compared with `===`. @default - any value */
  readonly value?: number | string | boolean;
  /** The limit the value was checked against, compared with `===`. @default - any limit */
  readonly limit?: number | string | boolean;
  /** Part of the message, or a pattern. @default - any message */
  readonly message?: string | RegExp;
}

/** The result a Jest matcher returns. */
export interface MatcherResult {
  readonly pass: boolean;
  readonly message: () => string;
}

const RANK: Record<FindingSeverity, number> = { error: 3, warning: 2, info: 1 };

function isReport(value: unknown): value is PolicyReportLike {
  return typeof value === 'object' && value !== null && Array.isArray((value as { findings?: unknown }).findings);
}

function notAReport(matcher: string, received: unknown): MatcherResult {
  const got = received === null ? 'null' : Array.isArray(received) ? 'an array' : typeof received;
  return { pass: false, message: () => `${matcher}: expected a Meridian policy report ({ findings: [...] }, e.g. from checkPlan(plan)), got ${got}` };
}

/** One line per finding: `GEO-DNS-001 error api.example.com (us-east-1): message [value 300, limit 60] (suppressed: reason)`. */
export function describeFinding(f: FindingLike): string {
  const where = [f.resource, f.region ? `(${f.region})` : undefined].filter(Boolean).join(' ');
  const numbers = [f.value !== undefined ? `value ${String(f.value)}` : undefined, f.limit !== undefined ? `limit ${String(f.limit)}` : undefined].filter(Boolean);
  return [
    f.ruleId, f.severity, where ? `${where}:` : '', f.message,
    numbers.length > 0 ? `[${numbers.join(', ')}]` : '',
    f.unknown ? '(unknown)' : '',
    f.suppressed ? `(suppressed${f.suppressionReason ? `: ${f.suppressionReason}` : ''})` : '',
  ].filter((part) => part !== '').join(' ');
}

function list(findings: readonly FindingLike[]): string {
  return findings.length === 0 ? '  (none)' : findings.map((f) => `  - ${describeFinding(f)}`).join('\n');
}

/** Passes when the report has no unsuppressed finding at or above `failOn` (default: error). */
export function toPassMeridianPolicy(received: unknown, options: PassOptions = {}): MatcherResult {
  if (!isReport(received)) return notAReport('toPassMeridianPolicy', received);
  const failOn = options.failOn ?? 'error';
  if (!(failOn in RANK)) {
    return { pass: false, message: () => `toPassMeridianPolicy: failOn must be one of error, warning, info; got ${String(failOn)}` };
  }
  const failing = received.findings.filter((f) => !f.suppressed && RANK[f.severity] >= RANK[failOn]);
  const pass = failing.length === 0;
  return {
    pass,
    message: pass
      ? () => `expected the report to fail the Meridian policy at ${failOn}, but it has no unsuppressed finding of severity ${failOn} or above (${received.findings.length} findings in all):\n${list(received.findings)}`
      : () => `expected the report to pass the Meridian policy at ${failOn}, but ${failing.length} unsuppressed finding${failing.length === 1 ? '' : 's'} fail${failing.length === 1 ? 's' : ''} it:\n${list(failing)}`,
  };
}

function matches(f: FindingLike, ruleId: string, c: FindingCriteria): boolean {
  if (f.ruleId !== ruleId) return false;
  if (c.resource !== undefined && !(typeof c.resource === 'string' ? f.resource === c.resource : c.resource.test(f.resource ?? ''))) return false;
  if (c.region !== undefined && f.region !== c.region) return false;
  if (c.severity !== undefined && f.severity !== c.severity) return false;
  if (c.suppressed !== undefined && f.suppressed !== c.suppressed) return false;
  if (c.unknown !== undefined && Boolean(f.unknown) !== c.unknown) return false;
  if (c.value !== undefined && f.value !== c.value) return false;
  if (c.limit !== undefined && f.limit !== c.limit) return false;
  if (c.message !== undefined && !(typeof c.message === 'string' ? f.message.includes(c.message) : c.message.test(f.message))) return false;
  return true;
}

function describeCriteria(ruleId: string, c: FindingCriteria): string {
  const parts = Object.entries(c).filter(([, v]) => v !== undefined).map(([k, v]) => `${k} ${v instanceof RegExp ? String(v) : JSON.stringify(v)}`);
  return parts.length > 0 ? `${ruleId} with ${parts.join(', ')}` : ruleId;
}

/** Passes when some finding has the rule id and matches every given criterion. */
export function toHaveFinding(received: unknown, ruleId: string, criteria: FindingCriteria = {}): MatcherResult {
  if (!isReport(received)) return notAReport('toHaveFinding', received);
  if (typeof ruleId !== 'string') {
    return { pass: false, message: () => `toHaveFinding: expected a rule id such as GEO-DNS-001, got ${typeof ruleId}` };
  }
  const hits = received.findings.filter((f) => matches(f, ruleId, criteria));
  const sameRule = received.findings.filter((f) => f.ruleId === ruleId);
  const pass = hits.length > 0;
  const wanted = describeCriteria(ruleId, criteria);
  return {
    pass,
    message: pass
      ? () => `expected no finding ${wanted}, but found ${hits.length}:\n${list(hits)}`
      : () => sameRule.length > 0
        ? `expected a finding ${wanted}; the findings of ${ruleId} differ:\n${list(sameRule)}`
        : `expected a finding ${wanted}, but the report has none of ${ruleId}; its findings:\n${list(received.findings)}`,
  };
}

/** Pass to `expect.extend`. */
export const meridianMatchers = {
  toPassMeridianPolicy(received: unknown, options?: PassOptions): MatcherResult {
    return toPassMeridianPolicy(received, options);
  },
  toHaveFinding(received: unknown, ruleId: string, criteria?: FindingCriteria): MatcherResult {
    return toHaveFinding(received, ruleId, criteria);
  },
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace jest {
    interface Matchers<R> {
      /** The report has no unsuppressed finding at or above `failOn` (default: error). */
      toPassMeridianPolicy(options?: PassOptions): R;
      /** The report has a finding of `ruleId` that matches every given criterion. */
      toHaveFinding(ruleId: string, criteria?: FindingCriteria): R;
    }
  }
}
