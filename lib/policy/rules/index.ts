/** The rule registry, in report order. Ids are stable: a retired id is never reused. */
import type { Rule } from '../types';
import { alarmLagPresent } from './alarm-lag-present';
import { alarmThresholdOrder } from './alarm-threshold-order';
import { capacityFailover } from './capacity-failover';
import { dataDeletionProtection } from './data-deletion-protection';
import { dnsFailoverPair } from './dns-failover-pair';
import { dnsGeoDefault } from './dns-geo-default';
import { dnsPrimaryHealth } from './dns-primary-health';
import { dnsRoutedHealth } from './dns-routed-health';
import { dnsTtl } from './dns-ttl';
import { failureNoAnswer } from './failure-no-answer';
import { failureResidency } from './failure-residency';
import { failureSingleRegionJurisdiction } from './failure-single-region-jurisdiction';
import { fisStopAlarm } from './fis-stop-alarm';
import { fisStopCondition } from './fis-stop-condition';
import { healthInterval } from './health-interval';
import { healthThreshold } from './health-threshold';
import { kmsKeyPerRegion } from './kms-key-per-region';
import { kmsOwnRegion } from './kms-own-region';
import { kmsRotation } from './kms-rotation';
import { metaSuppressionExpired } from './meta-suppression-expired';
import { metaSuppressionReason } from './meta-suppression-reason';
import { metaSuppressionUnmatched } from './meta-suppression-unmatched';
import { networkOverlap } from './network-overlap';
import { networkRoutes } from './network-routes';
import { quorumBounds } from './quorum-bounds';
import { quorumNoTolerance } from './quorum-no-tolerance';
import { quorumStrong } from './quorum-strong';
import { quorumTolerance } from './quorum-tolerance';
import { quorumWriters } from './quorum-writers';
import { residencyAllowed } from './residency-allowed';
import { residencyPartitioned } from './residency-partitioned';
import { residencyUndeclared } from './residency-undeclared';
import { resilienceRpo } from './resilience-rpo';
import { resilienceRto } from './resilience-rto';

export const RULES: readonly Rule[] = Object.freeze([
  quorumBounds, quorumStrong, quorumWriters, quorumTolerance, quorumNoTolerance,
  residencyAllowed, residencyPartitioned, residencyUndeclared,
  dnsTtl, dnsPrimaryHealth, dnsGeoDefault, dnsFailoverPair, dnsRoutedHealth,
  healthInterval, healthThreshold,
  failureResidency, failureNoAnswer, failureSingleRegionJurisdiction,
  networkOverlap, networkRoutes,
  kmsKeyPerRegion, kmsRotation, kmsOwnRegion,
  dataDeletionProtection,
  alarmLagPresent, alarmThresholdOrder,
  resilienceRto, resilienceRpo,
  capacityFailover,
  fisStopCondition, fisStopAlarm,
  metaSuppressionExpired, metaSuppressionReason, metaSuppressionUnmatched,
]);

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}

/** Every registered rule id. */
export const RULE_IDS: ReadonlySet<string> = new Set(RULES.map((r) => r.id));

export {
  alarmLagPresent, alarmThresholdOrder, capacityFailover, dataDeletionProtection, dnsFailoverPair, dnsGeoDefault,
  failureNoAnswer, failureResidency, failureSingleRegionJurisdiction,
  dnsPrimaryHealth, dnsRoutedHealth, dnsTtl, fisStopAlarm, fisStopCondition, healthInterval, healthThreshold,
  kmsKeyPerRegion, kmsOwnRegion, kmsRotation, metaSuppressionExpired, metaSuppressionReason, metaSuppressionUnmatched, networkOverlap,
  networkRoutes, quorumBounds, quorumNoTolerance, quorumStrong, quorumTolerance, quorumWriters, residencyAllowed,
  residencyPartitioned, residencyUndeclared, resilienceRpo, resilienceRto,
};
