/**
 * The deployment dashboard as data: its name, home region and widgets, decided once here from the plan's
 * health checks and planned alarms, so the AWS CDK and CDK for Terraform renderers draw the same one.
 *
 * The body follows the CloudWatch dashboard body structure (widgets with `type`, `x`, `y`, `width`,
 * `height`, `properties`; metric arrays `[namespace, name, dimension name, value, ..., options]`).
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html
 */
import type {
  AlarmLevel, GeoPlan, PlannedAlarm, PlannedDashboard, PlannedDashboardAnnotation, PlannedDashboardMetric,
  PlannedDashboardWidget,
} from './plan-types';

/** Width of the dashboard grid, in grid units (widgets wrap past it). */
export const DASHBOARD_GRID_WIDTH = 24;
/** The time range the dashboard opens with: the last three hours. */
export const DASHBOARD_DEFAULT_INTERVAL_SECONDS = 3 * 3600;
/** Annotation colours of the alarm levels. */
export const DASHBOARD_LEVEL_COLORS: Readonly<Record<AlarmLevel, string>> = { warning: '#ff7f0e', critical: '#d62728' };

/** The placeholder a health check's id takes in planned dimensions (the renderers fill it in). */
export function healthCheckPlaceholder(healthCheckId: string): string {
  return `{{healthCheck:${healthCheckId}}}`;
}

type PlanWithoutDashboard = Omit<GeoPlan, 'dashboard'>;

/**
 * The planned dashboard `<name>-geo` in the DNS home region, in rows:
 *
 * 1. a text widget naming the deployment, its mode, data, regions and DNS;
 * 2. one graph per lag / availability metric of the planned alarms (experiment guards and health-check
 *    alarms excluded: guards watch the same series, health checks have their own graph), in the metric's
 *    region, with the thresholds of every alarm on that metric as horizontal annotations;
 * 3. one graph of `AWS/Route53 HealthCheckStatus` of every health check (home region, 0..1).
 */
export function planDashboard(p: PlanWithoutDashboard): PlannedDashboard {
  const home = p.dns.homeRegion;
  const text: PlannedDashboardWidget = {
    kind: 'text',
    markdown: `# ${p.name}\n${p.mode}, data ${p.data.engine} (${p.data.classification}); regions: ${p.regions.map((r) => `${r.name} (${r.role})`).join(', ')}; DNS ${p.dns.recordName} (${p.dns.routing}, TTL ${p.dns.ttlSeconds} s)`,
    width: DASHBOARD_GRID_WIDTH,
    height: 2,
  };

  // One graph per metric; the warning and critical alarms of a metric share it.
  const groups = new Map<string, PlannedAlarm[]>();
  for (const alarm of p.alarms.list) {
    if (alarm.kind === 'health-check' || alarm.kind === 'replication-stalled') continue;
    const key = JSON.stringify([alarm.region, alarm.namespace, alarm.metricName, alarm.dimensions]);
    groups.set(key, [...(groups.get(key) ?? []), alarm]);
  }
  const lag: PlannedDashboardWidget[] = [];
  for (const [first, ...rest] of groups.values()) {
    if (!first) continue;
    const subject = Object.values(first.dimensions).join(' / ');
    lag.push({
      kind: 'graph',
      title: `${first.metricName} — ${first.region} (${subject})`,
      region: first.region,
      metrics: [{
        namespace: first.namespace, metricName: first.metricName, dimensions: first.dimensions,
        statistic: first.statistic, periodSeconds: first.periodSeconds, region: first.region,
        label: `${first.metricName} ${first.region}`,
      }],
      annotations: [first, ...rest].map((a): PlannedDashboardAnnotation => ({
        alarmId: a.id, value: a.threshold, label: `${a.level} (${a.comparison} ${a.threshold})`, color: DASHBOARD_LEVEL_COLORS[a.level],
      })),
      width: DASHBOARD_GRID_WIDTH / 2,
      height: 6,
    });
  }

  const healthAlarms = p.alarms.list.filter((a) => a.kind === 'health-check');
  const healthMetrics = p.dns.healthChecks.map((hc): PlannedDashboardMetric => {
    const placeholder = healthCheckPlaceholder(hc.id);
    const planned = healthAlarms.find((a) => Object.values(a.dimensions).includes(placeholder));
    return {
      namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', dimensions: { HealthCheckId: placeholder },
      statistic: planned?.statistic ?? 'Minimum', periodSeconds: planned?.periodSeconds ?? p.alarms.periodSeconds,
      region: home, label: `${hc.region} ${hc.fqdn}`,
    };
  });
  const health: PlannedDashboardWidget[] = healthMetrics.length === 0 ? [] : [{
    kind: 'graph',
    title: `Route 53 health checks — ${p.dns.recordName} (1 = healthy)`,
    region: home,
    metrics: healthMetrics,
    annotations: [],
    leftYAxis: { min: 0, max: 1 },
    width: DASHBOARD_GRID_WIDTH,
    height: 6,
  }];

  return {
    name: `${p.name}-geo`,
    region: home,
    defaultIntervalSeconds: DASHBOARD_DEFAULT_INTERVAL_SECONDS,
    rows: [[text], lag, health].filter((row) => row.length > 0),
  };
}

/** Fills the `{{kind:id}}` placeholders of a dimension value; unknown ones are an error naming them. */
export type PlaceholderResolver = (kind: string, id: string) => string;

const PLACEHOLDER = /^\{\{(\w+):([^}]+)\}\}$/;

/**
 * The CloudWatch dashboard body of a planned dashboard, as the JSON object PutDashboard takes, laid out
 * row by row: a row places its widgets left to right and wraps at the grid width; each row starts below
 * the previous one. Dimensions are listed by sorted name; metric options appear only when they differ from CloudWatch's defaults (period
 * 300 s, statistic Average), as the AWS CDK renders them, so both renderers emit the same body.
 */
export function dashboardBody(d: PlannedDashboard, resolve: PlaceholderResolver): Record<string, unknown> {
  const widgets: Array<Record<string, unknown>> = [];
  let top = 0;
  for (const row of d.rows) {
    let x = 0;
    let y = top;
    let bottom = top;
    for (const w of row) {
      if (x + w.width > DASHBOARD_GRID_WIDTH) { x = 0; y = bottom; }
      widgets.push({ type: w.kind === 'text' ? 'text' : 'metric', width: w.width, height: w.height, x, y, properties: widgetProperties(w, resolve) });
      x += w.width;
      bottom = Math.max(bottom, y + w.height);
    }
    top = bottom;
  }
  return { start: `-PT${d.defaultIntervalSeconds / 3600}H`, widgets };
}

function widgetProperties(w: PlannedDashboardWidget, resolve: PlaceholderResolver): Record<string, unknown> {
  if (w.kind === 'text') return { markdown: w.markdown, background: 'transparent' };
  const fill = (value: string): string => {
    const m = PLACEHOLDER.exec(value);
    return m?.[1] !== undefined && m[2] !== undefined ? resolve(m[1], m[2]) : value;
  };
  return {
    view: 'timeSeries',
    title: w.title,
    region: w.region,
    metrics: w.metrics.map((m) => [
      m.namespace, m.metricName,
      // Dimension names in sorted order, as the AWS CDK lists them (their order does not change the series).
      ...Object.entries(m.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).flatMap(([k, v]) => [k, fill(v)]),
      {
        label: m.label,
        region: m.region,
        ...(m.periodSeconds !== 300 ? { period: m.periodSeconds } : {}),
        ...(m.statistic !== 'Average' ? { stat: m.statistic } : {}),
      },
    ]),
    ...(w.annotations.length > 0
      ? { annotations: { horizontal: w.annotations.map((a) => ({ value: a.value, label: a.label, color: a.color, yAxis: 'left' })) } }
      : {}),
    yAxis: w.leftYAxis ? { left: { min: w.leftYAxis.min, max: w.leftYAxis.max } } : {},
  };
}
