/**
 * One CloudWatch dashboard per deployment, in the DNS stack: every lag alarm's metric in the region
 * where it is published, with the warning and critical thresholds drawn, and the Route 53 health
 * checks of every region endpoint.
 */
import { Duration, Lazy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { planDashboard, type GeoPlan } from '../model';
import { GeoDns } from './dns';
import { applyTags } from './tags';

const PLACEHOLDER = /^\{\{(\w+):([^}]+)\}\}$/;

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
   * @default - the planned name (`plan.dashboard.name`, `<plan.name>-geo`)
   */
  readonly dashboardName?: string;
}

/**
 * The deployment dashboard as planned (`plan.dashboard`, see `planDashboard` of the model): a text
 * widget naming the deployment, one cross-region graph per lag / availability metric with the planned
 * thresholds drawn, and the Route 53 health checks. This construct only translates the planned widgets;
 * the `{{healthCheck:<id>}}` placeholders become the ids of the `GeoDns` health checks.
 */
export class DeploymentDashboard extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: DeploymentDashboardProps) {
    super(scope, id);
    const { plan } = props;
    const planned = plan.dashboard ?? planDashboard(plan);
    this.dashboard = new cloudwatch.Dashboard(this, 'Resource', {
      dashboardName: props.dashboardName ?? planned.name,
      defaultInterval: Duration.seconds(planned.defaultIntervalSeconds),
    });

    const dnsOf = (): GeoDns => {
      if (props.dns) return props.dns;
      const found = Stack.of(this).node.findAll().find((c): c is GeoDns => c instanceof GeoDns);
      if (!found) throw new Error(this.missingDnsMessage());
      return found;
    };
    const usesPlaceholders = planned.rows.some((row) => row.some((w) => w.kind === 'graph'
      && w.metrics.some((m) => Object.values(m.dimensions).some((v) => PLACEHOLDER.test(v)))));
    if (!props.dns && usesPlaceholders) {
      this.node.addValidation({
        validate: () => (Stack.of(this).node.findAll().some((c) => c instanceof GeoDns) ? [] : [this.missingDnsMessage()]),
      });
    }
    const fill = (value: string): string => {
      const m = PLACEHOLDER.exec(value);
      if (m?.[1] === undefined || m[2] === undefined) return value;
      const [, kind, ref] = m;
      if (kind !== 'healthCheck') throw new Error(`DeploymentDashboard ${this.node.path}: unknown placeholder ${value} in the planned dashboard; only {{healthCheck:<id>}} is filled`);
      return Lazy.string({
        produce: () => {
          const hc = dnsOf().healthChecks[ref];
          if (!hc) throw new Error(`DeploymentDashboard ${this.node.path}: the planned dashboard shows health check ${ref}, which GeoDns did not create`);
          return hc.attrHealthCheckId;
        },
      });
    };

    for (const row of planned.rows) {
      this.dashboard.addWidgets(...row.map((w): cloudwatch.IWidget => (w.kind === 'text'
        ? new cloudwatch.TextWidget({ markdown: w.markdown, width: w.width, height: w.height })
        : new cloudwatch.GraphWidget({
          title: w.title,
          region: w.region,
          left: w.metrics.map((m) => new cloudwatch.Metric({
            namespace: m.namespace,
            metricName: m.metricName,
            dimensionsMap: Object.fromEntries(Object.entries(m.dimensions).map(([k, v]) => [k, fill(v)])),
            statistic: m.statistic,
            period: Duration.seconds(m.periodSeconds),
            region: m.region,
            label: m.label,
          })),
          ...(w.annotations.length > 0
            ? { leftAnnotations: w.annotations.map((a) => ({ value: a.value, label: a.label, color: a.color })) }
            : {}),
          ...(w.leftYAxis ? { leftYAxis: { min: w.leftYAxis.min, max: w.leftYAxis.max } } : {}),
          width: w.width,
          height: w.height,
        }))));
    }
    applyTags(this, plan.tags);
  }

  private missingDnsMessage(): string {
    return `DeploymentDashboard ${this.node.path}: no GeoDns construct in stack ${Stack.of(this).stackName} to take health check ids from; pass \`dns\``;
  }
}
