/**
 * Opt-in automated region failover, planned once for every renderer: which alarms trigger it, which
 * guards hold it back, what it promotes, who may do it and how it is rehearsed.
 *
 * The mechanism is an ARC Region switch plan (`AWS::ARCRegionSwitch::Plan`): a trigger fires only when
 * all of its conditions (CloudWatch alarms in state `red` = ALARM or `green` = OK) hold, and runs the
 * `activate` workflow for its target region, at most once per `MinDelayMinutesBetweenExecutions`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-arcregionswitch-plan.html
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_Trigger.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-arcregionswitch-plan-triggercondition.html
 * The Aurora step's `switchoverOnly` behaviour calls SwitchoverGlobalCluster (no data loss) on a graceful
 * execution; its `Ungraceful: failover` calls FailoverGlobalCluster with AllowDataLoss when the primary
 * region is lost.
 * @see https://docs.aws.amazon.com/arc-region-switch/latest/api/API_GlobalAuroraConfiguration.html
 */
import { SpecError } from './errors';
import { fisStatements } from './experiments';
import type { ValidSpec } from './spec';
import type {
  PlannedAlarm, PlannedAutomation, PlannedDataPartition, PlannedExperiment, PlannedExperimentAction, PlannedHealthCheck, PlannedIamStatement,
  PlannedRegion, PlannedRegionFailover, PlannedTriggerCondition,
} from './plan-types';
import { at } from './lookup';
import { dataSubnetTargetTags } from './plan-network';

/** The health-check metric is published once a minute; the trigger alarm counts whole minutes. */
const HEALTH_METRIC_PERIOD_SECONDS = 60;
/**
 * The lock: after an automatic execution, no other for a day. A second automatic failover within that
 * time would be a flap (or a failback), and both are an operator's decision.
 */
export const FAILOVER_LOCK_MINUTES = 24 * 60;
/** Time the Aurora step may take before the execution reports failure, minutes. */
const PROMOTION_TIMEOUT_MINUTES = 15;
/** The rehearsal keeps the primary cut off this long past the sustained window, so the trigger can fire. */
const REHEARSAL_MARGIN_MINUTES = 5;

export interface AutomationPlan {
  readonly automation: PlannedAutomation;
  /** Alarms the automation adds (trigger alarms with a sustained window longer than one minute). */
  readonly alarms: readonly PlannedAlarm[];
  /** The rehearsals, one per automated partition, in the primary region. */
  readonly experiments: readonly PlannedExperiment[];
}

/**
 * Plans automated region failover when `spec.automation.regionFailover.enabled`; otherwise nothing.
 * Throws SpecError naming `automation.regionFailover` when the deployment cannot be failed over
 * automatically (DynamoDB, or no secondary with instances to promote).
 */
export function planAutomation(
  spec: ValidSpec, regions: readonly PlannedRegion[], partitions: readonly PlannedDataPartition[],
  healthChecks: readonly PlannedHealthCheck[], alarms: readonly PlannedAlarm[], homeRegion: string,
): AutomationPlan {
  const option = spec.automation?.regionFailover;
  if (!option?.enabled) return { automation: { regionFailover: [] }, alarms: [], experiments: [] };
  const path = 'automation.regionFailover';
  if (spec.data.engine === 'dynamodb') {
    throw new SpecError([{ path, message: 'automated region failover promotes an Aurora global database secondary; DynamoDB global tables take writes in every region already, so there is nothing to promote (remove automation.regionFailover)', value: spec.data.engine }]);
  }
  const sustained = option.sustainedSeconds;
  const periods = sustained / HEALTH_METRIC_PERIOD_SECONDS;
  const byName = (n: string) => regions.find((r) => r.name === n) as PlannedRegion;
  const extraAlarms: PlannedAlarm[] = [];
  const failovers: PlannedRegionFailover[] = [];
  const experiments: PlannedExperiment[] = [];

  for (const p of partitions) {
    if (p.regions.length < 2) continue;
    const primary = byName(p.primaryRegion);
    // The failover SECONDARY first (active-passive), then spec order; a headless secondary would need an
    // instance created first (minutes), which defeats the point of automation.
    const candidates = p.regions.filter((n) => n !== p.primaryRegion).map(byName);
    const target = candidates.find((r) => r.role === 'secondary' && r.instances > 0) ?? candidates.find((r) => r.instances > 0);
    if (!target) {
      throw new SpecError([{ path, message: `partition ${p.id}: every secondary (${candidates.map((c) => c.name).join(', ')}) is headless (0 instances); automated failover needs a secondary with at least one instance to promote`, value: true }]);
    }
    const alarmOf = (id: string) => alarms.find((a) => a.id === id) as PlannedAlarm;
    const hcOf = (region: string) => healthChecks.find((h) => h.region === region) as PlannedHealthCheck;
    const primaryHealth = alarmOf(`${hcOf(primary.name).id}-unhealthy`);
    // One minute: the region's health-check alarm already says it. Longer: an alarm that needs that many
    // consecutive minutes with an unhealthy report, so a flapping endpoint never triggers.
    const trigger: PlannedAlarm = periods === 1 ? primaryHealth : {
      ...primaryHealth,
      id: `${hcOf(primary.name).id}-failover-trigger`,
      name: `${spec.name}-${primary.short}-failover-trigger`,
      evaluationPeriods: periods,
      description: `critical: Route 53 has reported ${primary.endpoint} (${primary.name}) unhealthy in each of the last ${periods} minutes; starts automated failover`,
    };
    if (trigger !== primaryHealth) extraAlarms.push(trigger);
    const targetHealth = alarmOf(`${hcOf(target.name).id}-unhealthy`);
    const targetLag = alarmOf(`${target.short}-replication-lag-critical`);
    const condition = (a: PlannedAlarm, state: 'red' | 'green', why: string): PlannedTriggerCondition =>
      ({ alarmId: a.id, alarmName: a.name, alarmRegion: a.region, condition: state, why });
    const guards = [
      condition(targetHealth, 'green', `target healthy: ${target.name} answers its health check`),
      // OK needs data: a lag alarm with no recent data is INSUFFICIENT_DATA and holds the trigger.
      condition(targetLag, 'green', `target lag known: ${target.name} reports replication lag below ${spec.alarms.replicationLagCriticalSeconds} s`),
    ];
    const triggerConditions = [condition(trigger, 'red', `sustained failure: ${primary.name} unhealthy for ${sustained} s`), ...guards];
    // The writer alarm is already sustained (replicationLagCriticalSeconds of no writer), and it lives in
    // the primary region, which answers in this case; an in-cluster failover clears it long before.
    const writer = alarmOf(`${primary.short}-writer-unavailable`);
    const writerTriggerConditions = [condition(writer, 'red', `writer lost: ${primary.clusterIdentifier} has had no writer for ${spec.alarms.replicationLagCriticalSeconds} s`), ...guards];
    const watched = [...triggerConditions, at(writerTriggerConditions, 0, 'writer trigger condition')];
    const planName = `${spec.name}-${p.id}-failover`;
    const clusters = Object.fromEntries(p.regions.map((n) => [n, byName(n).clusterIdentifier]));
    const statements: PlannedIamStatement[] = [
      // https://docs.aws.amazon.com/r53recovery/latest/dg/security_iam_region_switch_aurora.html: the
      // Describe calls have no resource-level permissions; the promotion is limited to this database.
      { sid: 'DescribeGlobalDatabase', actions: ['rds:DescribeDBClusters', 'rds:DescribeGlobalClusters'], resources: ['*'] },
      {
        sid: 'PromoteThisGlobalDatabase',
        actions: ['rds:FailoverGlobalCluster', 'rds:SwitchoverGlobalCluster'],
        resources: [
          `arn:{partition}:rds::{account}:global-cluster:${p.globalClusterIdentifier}`,
          ...p.regions.map((n) => `arn:{partition}:rds:${n}:{account}:cluster:${clusters[n]}`),
        ],
      },
      {
        sid: 'ReadTriggerAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: watched.map((c) => `arn:{partition}:cloudwatch:${c.alarmRegion}:{account}:alarm:${c.alarmName}`),
      },
    ];
    failovers.push({
      partitionId: p.id, planName, homeRegion, primaryRegion: primary.name, targetRegion: target.name,
      regions: [primary.name, target.name], globalClusterIdentifier: p.globalClusterIdentifier, clusters,
      sustainedSeconds: sustained, triggerConditions, writerTriggerConditions, minMinutesBetweenExecutions: FAILOVER_LOCK_MINUTES,
      promotion: { behavior: 'switchoverOnly', ungraceful: 'failover', timeoutMinutes: PROMOTION_TIMEOUT_MINUTES },
      failback: 'manual',
      // Whole minutes, rounded up from the objective (the service takes minutes); 5 without objectives.
      recoveryTimeObjectiveMinutes: Math.max(1, Math.ceil((spec.objectives?.rtoSeconds ?? 300) / 60)),
      roleName: `${spec.name}-${p.id}-failover`,
      statements,
      notificationTopicName: `${spec.name}-dns-alerts`,
      notificationRuleName: `${spec.name}-${p.id}-failover-events`,
    });
    const minutes = Math.ceil(sustained / 60) + REHEARSAL_MARGIN_MINUTES;
    const rehearsal: PlannedExperimentAction[] = [{ name: 'disrupt-all-connectivity', actionId: 'aws:network:disrupt-connectivity', parameters: { scope: 'all', duration: `PT${minutes}M` }, targetKey: 'Subnets' }];
    experiments.push({
      id: `${primary.short}-region-failover-rehearsal`, kind: 'region-failover-rehearsal',
      name: `${spec.name}-${primary.short}-region-failover-rehearsal`, region: primary.name,
      description: `Cut ${primary.name}'s data subnets off entirely for ${minutes} min so a health endpoint that checks its database fails and the Region switch plan ${planName} promotes ${target.name}`,
      durationMinutes: minutes,
      targets: [{ key: 'Subnets', resourceType: 'aws:ec2:subnet', selectionMode: 'ALL', resourceTags: dataSubnetTargetTags(spec.name) }],
      actions: rehearsal,
      statements: fisStatements(rehearsal, false),
      // Like every experiment of the region: it stops on the region's critical alarms (the rehearsal cuts
      // the network; it must never be what loses the writer).
      stopAlarmIds: alarms.filter((a) => a.region === primary.name && a.level === 'critical' && a.kind !== 'health-check' && a.kind !== 'replication-stalled').map((a) => a.id),
      roleName: `${spec.name}-${primary.short}-fis-rsw`,
      logGroupName: `/meridian/${spec.name}/fis/${primary.name}/region-failover-rehearsal`,
    });
  }
  return { automation: { regionFailover: failovers }, alarms: extraAlarms, experiments };
}
