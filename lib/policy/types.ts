/** The policy engine's public types: rules, findings and reports. Pure data, no side effects. */
import type { Facts } from '../facts/types';
import type { EvaluationMemo } from './memo';

export type Severity = 'error' | 'warning' | 'info';

/** Severities from most to least severe. */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** Numeric rank for comparisons: error 3, warning 2, info 1. */
export function severityRank(s: Severity): number {
  return s === 'error' ? 3 : s === 'warning' ? 2 : 1;
}

/** What a rule reports; the engine adds the rule id, severity and suppression state. */
export interface RuleFinding {
  readonly message: string;
  /** The resource the finding is about (record, key, cluster, region ...). */
  readonly resource: string;
  readonly region?: string;
  /** The value the rule computed or read, e.g. a TTL of 300. */
  readonly value?: number | string | boolean;
  /** The limit the value was checked against, e.g. 60. */
  readonly limit?: number | string | boolean;
  /** True when the rule could not decide because a fact is unknown; reported as a warning. */
  readonly unknown?: boolean;
}

export interface RuleContext {
  /** Evaluation time, for anything date-dependent. */
  readonly now: Date;
  /** Ids of every rule in the registry, for rules about suppressions; undefined when not known. */
  readonly ruleIds?: ReadonlySet<string>;
  /** Work shared by the rules of one evaluation (./memo.ts); absent: each rule does its own. */
  readonly memo?: EvaluationMemo;
}

export interface Rule {
  /** Stable id `GEO-<AREA>-<NNN>`; never reused for another meaning. */
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  /** Why the rule exists. */
  readonly rationale: string;
  /** What to change when it fires. */
  readonly remediation: string;
  /** Pure function: facts in, findings out (empty = compliant or not applicable). */
  readonly check: (facts: Facts, ctx: RuleContext) => readonly RuleFinding[];
}

/** Where a finding points in the input: the spec's YAML line, a template's logical id, a Terraform address. */
export interface FindingLocation {
  readonly file: string;
  /** 1-based line; absent when the input has no line for the resource. */
  readonly line?: number;
}

export interface Finding {
  readonly ruleId: string;
  readonly title: string;
  /** The rule's severity; `warning` for unknown findings. */
  readonly severity: Severity;
  readonly message: string;
  readonly resource: string;
  readonly region?: string;
  readonly value?: number | string | boolean;
  readonly limit?: number | string | boolean;
  readonly unknown: boolean;
  readonly suppressed: boolean;
  readonly suppressionReason?: string;
  /** Where the finding's resource is written; set by callers that read files (the CLI). */
  readonly location?: FindingLocation;
  /** The topology the finding belongs to; set when the reports of several topologies are merged into one. */
  readonly topology?: string;
}

export interface ReportSummary {
  /** Unsuppressed findings by severity. */
  readonly error: number;
  readonly warning: number;
  readonly info: number;
  /** Unsuppressed findings whose facts were unknown (already counted as warnings). */
  readonly unknown: number;
  /** Suppressed findings (any severity). */
  readonly suppressed: number;
  readonly total: number;
  readonly rulesEvaluated: number;
}

export interface Report {
  readonly topology?: string;
  /** Findings in registry order, then in the order each rule reported them. */
  readonly findings: readonly Finding[];
  readonly summary: ReportSummary;
}

export interface EvaluateOptions {
  /** Evaluation time; suppressions whose `expires` date is before today (UTC) no longer apply. Default: now. */
  readonly now?: Date;
  /** The rules to run. Default: every rule in the registry. */
  readonly rules?: readonly Rule[];
}
