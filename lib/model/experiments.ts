/**
 * FIS experiments of a plan: which actions rehearse a regional loss, their targets and parameters,
 * the IAM statements each action needs (a data table both renderers translate as-is), the stop
 * alarms, and what each experiment does and does not disrupt.
 *
 * Facts the design rests on:
 * - `aws:network:route-table-disrupt-cross-region-connectivity` swaps the target subnets' route tables
 *   for copies without routes to one destination region. Traffic of managed services — Aurora global
 *   database and DynamoDB global-table replication — does not travel through customer subnets and is
 *   not blocked, so isolation says so and, for DynamoDB, adds `aws:dynamodb:global-table-pause-replication`,
 *   which does cut the data path.
 * - The action "blocks traffic that originates in the target subnets and is destined for the specified
 *   Region" (FIS actions reference): it works on where traffic starts, whatever the next hop (peering,
 *   internet gateway, NAT gateway). So isolation targets every subnet of the deployment in the region
 *   (data, public, private application: `isolationTargetTags`), not the data tier alone — a service in an
 *   application subnet would otherwise keep talking to the peers, through peering or, from behind a NAT
 *   gateway, to their public endpoints. A team includes subnets of its own by tagging them
 *   `meridian:topology=<name>`; FIS selects only resources that carry every tag of a target (AND).
 * - Each disruption action swaps route-table associations of the same subnets; two at once would
 *   race over them, so one destination region per action, sequenced with `startAfter`.
 * - The FIS actions reference lists, for Aurora, only in-region actions (`aws:rds:failover-db-cluster`,
 *   `aws:rds:reboot-db-instances`); a cross-region failover or switchover of a global database is not
 *   one of its actions, so the database experiment rehearses losing the writer, and says so.
 * - While replication is paused, DynamoDB publishes no `ReplicationLatency`; an alarm on it with
 *   missing data "missing" never trips. Experiments that pause replication stop on a guard alarm that
 *   treats missing data as breaching over more than the planned pause (plus 5 minutes): it trips when
 *   replication does not come back. A table without writes for that long trips it too (and notifies, like
 *   every alarm); FIS does not start an experiment whose stop alarm is in ALARM, so the pause is
 *   rehearsed under write traffic.
 *
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html
 * @see https://docs.aws.amazon.com/fis/latest/userguide/targets.html
 * @see https://docs.aws.amazon.com/resilience-hub/latest/userguide/next-gen-resilience-testing-multi-region-isolation.html
 * @see https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_monitoring.html
 */
import { SpecError } from './errors';
import type {
  PlannedAlarm, PlannedDataPartition, PlannedExperiment, PlannedExperimentAction, PlannedExperimentTarget,
  PlannedPeering, PlannedRegion, PlannedStatement,
} from './plan-types';
import type { ExperimentKind, ValidSpec } from './spec';
import { at } from './lookup';
import { FIS_QUOTAS, fitLength } from './limits';
import { isolationTargetTags } from './plan-network';

/** Which subnets region isolation cuts, in words: the data subnets, and the application subnets the region has. */
export function isolatedSubnets(region: Pick<PlannedRegion, 'applicationSubnets'>): string {
  const app = region.applicationSubnets;
  if (app.public.length > 0 && app.private.length > 0) return 'data and application subnets (public and private)';
  if (app.public.length > 0) return 'data and public subnets';
  if (app.private.length > 0) return 'data and application subnets';
  return 'data subnets';
}

/** When a statement applies beyond the action itself. */
type StatementWhen = 'dynamodb-strong-consistency';

interface FisActionEntry {
  /** The target resource type FIS requires for the action. */
  readonly targetType: string;
  /** Statements of the action's permissions; `when` limits one to some deployments. */
  readonly statements: readonly (PlannedStatement & { readonly when?: StatementWhen })[];
}

const ec2 = (resource: string) => ({ arn: { service: 'ec2', resource } });
const MANAGED = { StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } };
const TAGGING = { StringEquals: { 'aws:RequestTag/managedByFIS': 'true' } };
/** FIS resolves targets through the Resource Groups Tagging API; read-only, no resource-level permissions. */
const RESOLVE_TARGETS: PlannedStatement = { sid: 'ResolveTargets', actions: ['tag:GetResources'], resources: ['*'] };

/**
 * The FIS actions Meridian plans, with the target type each needs and the permissions of its role.
 *
 * @see https://docs.aws.amazon.com/fis/latest/userguide/fis-actions-reference.html
 */
export const FIS_ACTIONS: Readonly<Record<string, FisActionEntry>> = {
  'aws:network:route-table-disrupt-cross-region-connectivity': {
    targetType: 'aws:ec2:subnet',
    statements: [
      RESOLVE_TARGETS,
      {
        sid: 'DescribeNetwork',
        actions: [
          'ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeRouteTables',
          'ec2:DescribeSubnets', 'ec2:DescribeVpcEndpoints', 'ec2:DescribeVpcPeeringConnections', 'ec2:DescribeVpcs',
        ],
        resources: ['*'], // EC2 Describe* calls have no resource-level permissions
      },
      { sid: 'SwapSubnetRouteTables', actions: ['ec2:AssociateRouteTable', 'ec2:DisassociateRouteTable', 'ec2:ReplaceRouteTableAssociation'], resources: [ec2('route-table/*'), ec2('subnet/*')] },
      // FIS fills only the route tables it created; the application's route tables stay untouchable.
      { sid: 'AddRoutesToManagedRouteTable', actions: ['ec2:CreateRoute'], resources: [ec2('route-table/*')], conditions: MANAGED },
      { sid: 'CreateManagedRouteTable', actions: ['ec2:CreateRouteTable'], resources: [ec2('route-table/*')], conditions: TAGGING },
      // The VPC is a second resource of these calls; the route table itself is checked by the statements around.
      { sid: 'ManageRouteTablesInVpc', actions: ['ec2:CreateRouteTable', 'ec2:DeleteRouteTable'], resources: [ec2('vpc/*')] },
      { sid: 'DeleteManagedRouteTable', actions: ['ec2:DeleteRouteTable'], resources: [ec2('route-table/*')], conditions: MANAGED },
      { sid: 'CreateManagedPrefixList', actions: ['ec2:CreateManagedPrefixList'], resources: [ec2('prefix-list/*')], conditions: TAGGING },
      { sid: 'ChangeManagedPrefixList', actions: ['ec2:ModifyManagedPrefixList', 'ec2:DeleteManagedPrefixList'], resources: [ec2('prefix-list/*')], conditions: MANAGED },
      // Read-only; AWS-managed prefix lists are owned by the account "aws", hence any account.
      { sid: 'ReadPrefixListEntries', actions: ['ec2:GetManagedPrefixListEntries'], resources: [{ arn: { service: 'ec2', resource: 'prefix-list/*', anyAccount: true } }] },
      { sid: 'CreateManagedNetworkInterface', actions: ['ec2:CreateNetworkInterface'], resources: [ec2('network-interface/*')], conditions: TAGGING },
      { sid: 'CreateNetworkInterfaceInSubnet', actions: ['ec2:CreateNetworkInterface'], resources: [ec2('subnet/*'), ec2('security-group/*')] },
      { sid: 'DeleteManagedNetworkInterface', actions: ['ec2:DeleteNetworkInterface'], resources: [ec2('network-interface/*')], conditions: MANAGED },
      {
        sid: 'TagOnlyWhatFisCreates',
        actions: ['ec2:CreateTags'],
        resources: [ec2('route-table/*'), ec2('prefix-list/*'), ec2('network-interface/*')],
        conditions: {
          StringEquals: {
            'ec2:CreateAction': ['CreateRouteTable', 'CreateManagedPrefixList', 'CreateNetworkInterface'],
            'aws:RequestTag/managedByFIS': 'true',
          },
        },
      },
      { sid: 'RerouteGatewayEndpoints', actions: ['ec2:ModifyVpcEndpoint'], resources: [ec2('vpc-endpoint/*'), ec2('route-table/*')] },
    ],
  },
  // The region-failover rehearsal (plan-automation.ts): FIS swaps the target subnets' network ACL for one
  // it creates (tagged managedByFIS) that denies the traffic, and restores the original association.
  // https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSFaultInjectionSimulatorNetworkAccess.html
  'aws:network:disrupt-connectivity': {
    targetType: 'aws:ec2:subnet',
    statements: [
      RESOLVE_TARGETS,
      {
        sid: 'DescribeNetworkAcls',
        actions: ['ec2:DescribeManagedPrefixLists', 'ec2:DescribeNetworkAcls', 'ec2:DescribeSubnets', 'ec2:DescribeVpcs'],
        resources: ['*'], // EC2 Describe* calls have no resource-level permissions
      },
      { sid: 'CreateManagedNetworkAcl', actions: ['ec2:CreateNetworkAcl'], resources: [ec2('network-acl/*')], conditions: TAGGING },
      { sid: 'CreateNetworkAclInVpc', actions: ['ec2:CreateNetworkAcl'], resources: [ec2('vpc/*')] },
      {
        sid: 'TagOnlyTheNetworkAclFisCreates',
        actions: ['ec2:CreateTags'],
        resources: [ec2('network-acl/*')],
        conditions: { StringEquals: { 'ec2:CreateAction': 'CreateNetworkAcl', 'aws:RequestTag/managedByFIS': 'true' } },
      },
      { sid: 'FillAndDeleteManagedNetworkAcl', actions: ['ec2:CreateNetworkAclEntry', 'ec2:DeleteNetworkAcl'], resources: [ec2('network-acl/*')], conditions: MANAGED },
      // Moves a subnet between its own ACL and the FIS one; the subnet and both ACLs are resources of the call.
      { sid: 'SwapSubnetNetworkAcl', actions: ['ec2:ReplaceNetworkAclAssociation'], resources: [ec2('network-acl/*'), ec2('subnet/*')] },
      { sid: 'ReadPrefixListEntries', actions: ['ec2:GetManagedPrefixListEntries'], resources: [{ arn: { service: 'ec2', resource: 'prefix-list/*', anyAccount: true } }] },
    ],
  },
  'aws:rds:failover-db-cluster': {
    targetType: 'aws:rds:cluster',
    statements: [
      { sid: 'FailoverTargetCluster', actions: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'], resources: [{ target: 'Clusters' }] },
      RESOLVE_TARGETS,
    ],
  },
  'aws:dynamodb:global-table-pause-replication': {
    targetType: 'aws:dynamodb:global-table',
    statements: [
      {
        sid: 'PauseTargetTableReplication',
        actions: ['dynamodb:DescribeTable', 'dynamodb:GetResourcePolicy', 'dynamodb:PutResourcePolicy', 'dynamodb:DeleteResourcePolicy'],
        resources: [{ target: 'Tables' }],
      },
      // FIS pauses a multi-Region strong consistency (MRSC) table by injecting errors.
      { sid: 'InjectErrorsIntoStrongTable', actions: ['dynamodb:InjectError'], resources: [{ target: 'Tables' }], when: 'dynamodb-strong-consistency' },
      RESOLVE_TARGETS,
    ],
  },
};

/**
 * What FIS needs to deliver experiment logs to CloudWatch Logs (vended log delivery).
 *
 * @see https://docs.aws.amazon.com/fis/latest/userguide/monitoring-logging.html
 */
export const FIS_LOG_DELIVERY_STATEMENTS: readonly PlannedStatement[] = [
  // These log-delivery calls have no resource-level permissions.
  { sid: 'DeliverExperimentLogs', actions: ['logs:CreateLogDelivery', 'logs:PutResourcePolicy', 'logs:DescribeResourcePolicies'], resources: ['*'] },
  { sid: 'FindExperimentLogGroup', actions: ['logs:DescribeLogGroups'], resources: [{ arn: { service: 'logs', resource: 'log-group:*' } }] },
];

/** FIS action ids the plan uses (the keys of {@link FIS_ACTIONS}). */
export const SUPPORTED_FIS_ACTIONS: readonly string[] = Object.keys(FIS_ACTIONS);
/** Target resource types of those actions. */
export const SUPPORTED_FIS_TARGETS: readonly string[] = [...new Set(Object.values(FIS_ACTIONS).map((a) => a.targetType))];

/** The role statements of a set of actions: each action's once, in action order, then log delivery. */
export function fisStatements(actions: readonly Pick<PlannedExperimentAction, 'actionId'>[], strongDynamoDb: boolean): PlannedStatement[] {
  const out: PlannedStatement[] = [];
  const sids = new Set<string>();
  for (const a of actions) {
    const entry = FIS_ACTIONS[a.actionId];
    if (!entry) throw new SpecError([{ path: 'experiments', message: `no permissions known for FIS action ${a.actionId}; supported: ${SUPPORTED_FIS_ACTIONS.join(', ')}`, value: a.actionId }]);
    for (const { when, ...statement } of entry.statements) {
      if (when === 'dynamodb-strong-consistency' && !strongDynamoDb) continue;
      if (sids.has(statement.sid)) continue;
      sids.add(statement.sid);
      out.push(statement);
    }
  }
  return [...out, ...FIS_LOG_DELIVERY_STATEMENTS];
}

const EXPERIMENT_ABBREV: Record<ExperimentKind, string> = {
  'region-isolation': 'iso',
  'database-failover': 'dbfo',
  'dynamodb-replication-pause': 'ddbp',
};

/** Margin over the planned pause before the replication guard trips. */
const PAUSE_GUARD_MARGIN_SECONDS = 300;

interface Draft {
  readonly base: Omit<PlannedExperiment, 'description' | 'targets' | 'actions' | 'stopAlarmIds' | 'statements'>;
  readonly description: string;
  readonly targets: PlannedExperimentTarget[];
  readonly actions: PlannedExperimentAction[];
  /** Minutes replication stays paused; 0 when the experiment does not pause it. */
  readonly pauseMinutes: number;
  readonly partition: PlannedDataPartition;
}

/**
 * The experiments of a plan and the guard alarms that stop the ones pausing replication. Defaults
 * skip what cannot run or rehearse nothing; an experiment the user asked for is refused instead.
 */
export function planExperiments(
  spec: ValidSpec, regions: readonly PlannedRegion[], partitions: readonly PlannedDataPartition[],
  alarms: readonly PlannedAlarm[], peerings: readonly PlannedPeering[],
): { experiments: PlannedExperiment[]; alarms: PlannedAlarm[] } {
  const aurora = spec.data.engine !== 'dynamodb';
  const kinds: ExperimentKind[] = spec.experiments ?? ['region-isolation', aurora ? 'database-failover' : 'dynamodb-replication-pause'];
  const minutes = spec.experimentDurationMinutes;
  const duration = (m: number) => `PT${m}M`;
  const drafts: Draft[] = [];
  const refuse = (kind: PlannedExperiment['kind'], problem: string) => {
    if (spec.experiments) throw new SpecError([{ path: 'experiments', message: `${kind}: ${problem}; remove it or change the deployment`, value: kind }]);
  };
  for (const p of partitions) {
    const region = regions.find((r) => r.name === p.primaryRegion);
    if (!region) continue;
    const replicated = p.regions.length >= 2;
    for (const kind of kinds) {
      const base = {
        id: `${region.short}-${kind}`, kind, name: `${spec.name}-${region.short}-${kind}`, region: region.name,
        durationMinutes: minutes,
        roleName: `${spec.name}-${region.short}-fis-${EXPERIMENT_ABBREV[kind]}`,
        logGroupName: `/meridian/${spec.name}/fis/${region.name}/${kind}`,
      };
      const tables: PlannedExperimentTarget = { key: 'Tables', resourceType: 'aws:dynamodb:global-table', selectionMode: 'ALL', resource: { kind: 'table', region: region.name } };
      if (kind === 'region-isolation') {
        const peers = peerings
          .flatMap((x) => (x.requesterRegion === region.name ? [x.accepterRegion] : x.accepterRegion === region.name ? [x.requesterRegion] : []))
          .map((n) => regions.find((r) => r.name === n))
          .filter((r): r is PlannedRegion => r !== undefined)
          .sort((a, b) => a.index - b.index);
        if (peers.length === 0 && !aurora && replicated && kinds.includes('dynamodb-replication-pause')) {
          // Without peering, isolating a DynamoDB region means pausing its replication: the pause experiment already does.
          refuse(kind, `${region.name} is peered with no region, so isolating it only pauses replication, which dynamodb-replication-pause already rehearses`);
          continue;
        }
        if (peers.length === 0 && (aurora || !replicated)) {
          refuse(kind, `${region.name} is peered with no region, so cutting its cross-region routes disrupts nothing${aurora ? ', and Aurora global replication does not travel through its subnets' : ''}`);
          continue;
        }
        const actions: PlannedExperimentAction[] = peers.map((o, i) => ({
          name: `isolate-from-${o.short}`, actionId: 'aws:network:route-table-disrupt-cross-region-connectivity',
          parameters: { region: o.name, duration: duration(minutes) }, targetKey: 'Subnets',
          // One destination at a time: every action swaps the route tables of the same subnets.
          ...(i > 0 ? { startAfter: [`isolate-from-${at(peers, i - 1, 'peer region').short}`] } : {}),
        }));
        // Every subnet of the deployment in the region: the services in the application subnets route to the
        // peers as the data tier does, and a region cut off loses both.
        const targets: PlannedExperimentTarget[] = peers.length > 0
          ? [{ key: 'Subnets', resourceType: 'aws:ec2:subnet', selectionMode: 'ALL', resourceTags: isolationTargetTags(spec.name) }]
          : [];
        const cut = peers.length > 0
          ? `Cut ${region.name}'s ${isolatedSubnets(region)} off from ${peers.map((o) => o.name).join(', then ')}, ${minutes} min each, one destination at a time.`
          : '';
        let pauseMinutes = 0;
        let description: string;
        if (aurora) {
          description = `${cut} Disrupts traffic through those subnets to the other regions (VPC peering). Does not disrupt Aurora global database replication, which RDS carries outside customer subnets.`;
        } else if (replicated) {
          pauseMinutes = Math.max(1, peers.length) * minutes;
          actions.push({ name: 'pause-replication', actionId: 'aws:dynamodb:global-table-pause-replication', parameters: { duration: duration(pauseMinutes) }, targetKey: 'Tables' });
          targets.push(tables);
          description = `${cut ? `${cut} ` : ''}Pauses replication of ${p.tableName} in ${region.name} for ${pauseMinutes} min: global-table replication does not travel through customer subnets, so pausing it is what cuts the data path.${cut ? '' : ` ${region.name} is peered with no region, so no routes are cut.`}`;
        } else {
          description = `${cut} Disrupts traffic through those subnets to the other regions (VPC peering); ${p.tableName} has no replica to cut off.`;
        }
        drafts.push({ base, description, targets, actions, pauseMinutes, partition: p });
      } else if (kind === 'database-failover') {
        drafts.push({
          base, pauseMinutes: 0, partition: p,
          description: `Fail over the writer of ${region.clusterIdentifier} to a replica in ${region.name}. Rehearses losing the writer instance inside the region, not losing the region: cross-region failover of the global database is not a FIS action. Does not disrupt global replication.`,
          targets: [{ key: 'Clusters', resourceType: 'aws:rds:cluster', selectionMode: 'ALL', resource: { kind: 'cluster', region: region.name } }],
          actions: [{ name: 'failover-writer', actionId: 'aws:rds:failover-db-cluster', parameters: {}, targetKey: 'Clusters' }],
        });
      } else {
        if (!replicated) {
          refuse(kind, `partition ${p.id} has one region, so there is no replication to pause`);
          continue;
        }
        drafts.push({
          base, pauseMinutes: minutes, partition: p,
          description: `Pause replication of ${p.tableName} in ${region.name} for ${minutes} min. Disrupts global-table replication to and from that replica; does not disrupt application traffic or the region's endpoint.`,
          targets: [tables],
          actions: [{ name: 'pause-replication', actionId: 'aws:dynamodb:global-table-pause-replication', parameters: { duration: duration(minutes) }, targetKey: 'Tables' }],
        });
      }
    }
  }

  const guards = guardAlarms(spec, regions, drafts);
  const strong = !aurora && spec.data.consistency === 'strong';
  const experiments: PlannedExperiment[] = [];
  for (const d of drafts) {
    const stopAlarmIds = d.pauseMinutes > 0
      // Lag alarms go silent while replication is paused; the guards do not.
      ? guards.filter((g) => g.region === d.base.region).map((g) => g.id)
      : alarms.filter((a) => a.region === d.base.region && a.level === 'critical' && a.kind !== 'health-check' && a.kind !== 'replication-stalled').map((a) => a.id);
    if (stopAlarmIds.length === 0) {
      refuse(d.base.kind, `${d.base.region} has no critical alarm to stop the experiment on (partition ${d.partition.id} has one region)`);
      continue;
    }
    experiments.push({
      // Many peers make a long list; the actions name every one of them, so the description may be cut.
      ...d.base, description: fitLength(d.description, FIS_QUOTAS.descriptionMaxLength), targets: d.targets, actions: d.actions, stopAlarmIds,
      statements: fisStatements(d.actions, strong),
    });
  }
  return { experiments, alarms: guards.filter((g) => experiments.some((e) => e.stopAlarmIds.includes(g.id))) };
}

/**
 * One guard per replica an experiment region replicates to, tripping when replication has published
 * nothing for longer than the longest planned pause in that region plus a margin.
 */
function guardAlarms(spec: ValidSpec, regions: readonly PlannedRegion[], drafts: readonly Draft[]): PlannedAlarm[] {
  const period = spec.alarms.periodSeconds;
  const out: PlannedAlarm[] = [];
  const byRegion = new Map<string, Draft[]>();
  for (const d of drafts.filter((x) => x.pauseMinutes > 0)) byRegion.set(d.base.region, [...(byRegion.get(d.base.region) ?? []), d]);
  for (const [regionName, list] of byRegion) {
    const source = regions.find((r) => r.name === regionName);
    if (!source) continue;
    const pauseSeconds = Math.max(...list.map((d) => d.pauseMinutes * 60));
    const p = at(list, 0, 'draft of the region').partition;
    for (const receiving of p.regions.filter((r) => r !== regionName)) {
      const to = regions.find((r) => r.name === receiving);
      if (!to) continue;
      const id = `${source.short}-to-${to.short}-replication-stalled`;
      out.push({
        id, name: `${spec.name}-${id}`, region: regionName, kind: 'replication-stalled', level: 'critical',
        namespace: 'AWS/DynamoDB', metricName: 'ReplicationLatency',
        dimensions: { TableName: p.tableName, ReceivingRegion: receiving },
        statistic: 'Maximum', threshold: spec.alarms.replicationLagCriticalSeconds * 1000, thresholdSeconds: spec.alarms.replicationLagCriticalSeconds,
        comparison: 'GreaterThanOrEqualToThreshold', periodSeconds: period,
        evaluationPeriods: Math.ceil((pauseSeconds + PAUSE_GUARD_MARGIN_SECONDS) / period),
        // No data for longer than the pause: replication did not come back. Missing data must breach here.
        treatMissingData: 'breaching', subjectRegion: receiving,
        description: `critical: experiment guard, replication of ${p.tableName} from ${regionName} to ${receiving} has published nothing for ${Math.round((pauseSeconds + PAUSE_GUARD_MARGIN_SECONDS) / 60)} min, or lags ${spec.alarms.replicationLagCriticalSeconds} s or more; stops the FIS experiments that pause replication`,
      });
    }
  }
  return out;
}
