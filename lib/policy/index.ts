/**
 * meridian-geo/policy: the rule registry, the engine and the report formatters. Pure TypeScript: loading
 * this entry point must not load aws-cdk-lib, constructs or cdktf (a test checks require.cache).
 */
export * from './types';
export { RULES, ruleById } from './rules';
export { evaluate, checkPlan, failsAt, summarise } from './engine';
export { formatText, formatJson, formatLocation, toJson, type TextOptions, type JsonReport } from './format';
export { formatSarif, formatJunit, formatMarkdown, mergeReports, ruleHelpUri, toSarif, type CiFormatOptions } from './format-ci';
export { echo, escapeControl, pathToUri, truncate, xmlText, MAX_ECHO_CHARS } from './escape';
export * from './failure-simulation';
// One memo per evaluate() (the engine makes it): what rules of that evaluation share.
export { EvaluationMemo } from './memo';
export * from './estimate';
export * from './capacity';
export { renderRulesMarkdown } from './rules-doc';
// The facts the rules read, so other sources (synthesized templates, third-party apps) can build them.
export * from '../facts';
// Spec to plan, so a pipeline checks a spec with this entry point alone (no aws-cdk-lib, no cdktf).
export { loadSpecFile, parseSpec, parseSpecText, plan, SpecError } from '../model';
export type { GeoPlan, GeoSpec, ValidSpec } from '../model';
// AWS limits, defined once in the model and shared with renderers and other tools from here.
export {
  AURORA_GLOBAL, FIS_QUOTAS, MAX_ROUTED_TTL_SECONDS, MAX_USER_TAGS, NAME_RULES, nameProblem, RESERVED_IPV4_RANGES, ROUTE53, SPEC_NAME, TAGS, VPC_CIDR,
  type NameRule,
} from '../model/limits';
