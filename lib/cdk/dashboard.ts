/**
 * One CloudWatch dashboard per deployment, in the DNS stack: every lag alarm's metric in the region
 * where it is published, with the warning and critical thresholds drawn, and the Route 53 health
 * checks of every region endpoint.
 */
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { GeoPlan, PlannedAlarm } from '../model';
import { plannedMetric } from './alarms';
import { GeoDns } from './dns';
import { applyTags } from './tags';

/** Props of {@link DeploymentDashboard}. */
export interface DeploymentDashboardProps {
  /** The resolved deployment plan. */
  readonly plan: GeoPlan;
  /**
   * The deployment's DNS construct, whose health check ids the health widget shows.
   *
   * @default - the `GeoDns` construct in the same stack, found at synthesis; synthesis fails with a
   * clear error when there is none.
   */
  readonly dns?: GeoDns;
  /**
   * Name of the dashboard.
   *
   * @default `<plan.name>-geo`
   */
  readonly dashboardName?: string;
}

const COLORS = { warning: '#ff7f0e', critical: '#d62728' } as const;

/**
 * The deployment dashboard `<plan.name>-geo`:
 *
 * - a text widget naming the deployment, its mode and regions;
 * - one graph per lag / availability metric of `plan.alarms.list` (replication lag, RPO lag,
 *   DynamoDB replication latency, writer uptime), with the metric's `region` set so one dashboard
 *   shows every region, and the planned thresholds as horizontal annotations;
 * - one graph of `AWS/Route53 HealthCheckStatus` of every health check (home region).
 */
export class DeploymentDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DeploymentDashboardProps) {
    super(scope, id);
    const { plan } = props;
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName ?? `${plan.name}-geo`,
      defaultInterval: Duration.hours(3),
    });

    this.dashboard.addWidgets(new cloudwatch.TextWidget({
      markdown: `# ${plan.name}\n${plan.mode}, data ${plan.data.engine} (${plan.data.classification}); regions: ${plan.regions.map((r) => `${r.name} (${r.role})`).join(', ')}; DNS ${plan.dns.recordName} (${plan.dns.routing}, TTL ${plan.dns.ttlSeconds} s)`,
      width: 24,
      height: 2,
    }));

    // One widget per metric; the warning and critical alarms of a metric share it.
    const groups = new Map<string, PlannedAlarm[]>();
    for (const alarm of plan.alarms.list) {
      // Experiment guards watch the same series as the lag alarms; their threshold adds nothing to the graph.
      if (alarm.kind === 'health-check' || alarm.kind === 'replication-stalled') continue;
      const key = JSON.stringify([alarm.region, alarm.namespace, alarm.metricName, alarm.dimensions]);
      groups.set(key, [...(groups.get(key) ?? []), alarm]);
    }
    const lagWidgets: cloudwatch.IWidget[] = [];
    for (const alarms of groups.values()) {
      const first = alarms[0];
      const subject = Object.values(first.dimensions).join(' / ');
      lagWidgets.push(new cloudwatch.GraphWidget({
        title: `${first.metricName} — ${first.region} (${subject})`,
        region: first.region,
        left: [plannedMetric(first, { region: first.region, label: `${first.metricName} ${first.region}` })],
        leftAnnotations: alarms.map((a) => ({
          value: a.threshold,
          label: `${a.level} (${a.comparison} ${a.threshold})`,
          color: COLORS[a.level],
        })),
        width: 12,
        height: 6,
      }));
    }
    if (lagWidgets.length > 0) this.dashboard.addWidgets(...lagWidgets);

    const dnsOf = (): GeoDns => {
      if (props.dns) return props.dns;
      const found = Stack.of(this).node.findAll().find((c): c is GeoDns => c instanceof GeoDns);
      if (!found) throw new Error(this.missingDnsMessage());
      return found;
    };
    if (!props.dns) {
      this.node.addValidation({
        validate: () => (Stack.of(this).node.findAll().some((c) => c instanceof GeoDns) ? [] : [this.missingDnsMessage()]),
      });
    }
    const healthAlarms = plan.alarms.list.filter((a) => a.kind === 'health-check');
    const healthMetrics = plan.dns.healthChecks.map((hc) => {
      const planned = healthAlarms.find((a) => Object.values(a.dimensions).includes(`{{healthCheck:${hc.id}}}`));
      return new cloudwatch.Metric({
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensionsMap: { HealthCheckId: Lazy.string({ produce: () => dnsOf().healthChecks[hc.id].attrHealthCheckId }) },
        statistic: planned?.statistic ?? 'Minimum',
        period: Duration.seconds(planned?.periodSeconds ?? plan.alarms.periodSeconds),
        region: plan.dns.homeRegion,
        label: `${hc.region} ${hc.fqdn}`,
      });
    });
    if (healthMetrics.length > 0) {
      this.dashboard.addWidgets(new cloudwatch.GraphWidget({
        title: `Route 53 health checks — ${plan.dns.recordName} (1 = healthy)`,
        region: plan.dns.homeRegion,
        left: healthMetrics,
        leftYAxis: { min: 0, max: 1 },
        width: 24,
        height: 6,
      }));
    }
    applyTags(this, plan.tags);
  }

  private missingDnsMessage(): string {
    return `DeploymentDashboard ${this.node.path}: no GeoDns construct in stack ${Stack.of(this).stackName} to take health check ids from; pass \`dns\``;
  }
}
