/**
 * Dashboard parity: the AWS CDK and CDK for Terraform outputs of every example carry the same dashboard
 * (name, widgets, layout, metrics, thresholds), built from the one planned in `plan.dashboard`. The facts
 * have no dashboard family, so parity.test.ts cannot compare it; this file does, on the synthesized outputs.
 */
import { cdkTemplates, EXAMPLE_NAMES, examplePlan, terraformJson, type ExampleName } from '../support/outputs';

/** Health check references of either renderer become this marker; the series labels name the endpoint. */
const HEALTH_CHECK = '<health-check-id>';

interface Dashboard { readonly name: unknown; readonly body: { readonly widgets: unknown[]; readonly [k: string]: unknown } }

function cdkDashboards(example: ExampleName): Dashboard[] {
  const out: Dashboard[] = [];
  for (const template of Object.values(cdkTemplates(example))) {
    for (const res of Object.values(template.Resources)) {
      if (res.Type !== 'AWS::CloudWatch::Dashboard') continue;
      const body = res.Properties?.DashboardBody as string | { 'Fn::Join': [string, unknown[]] };
      const text = typeof body === 'string' ? body : body['Fn::Join'][1].map((part) => {
        if (typeof part === 'string') return part;
        const att = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'];
        const target = att ? template.Resources[att[0]] : undefined;
        if (att?.[1] === 'HealthCheckId' && target?.Type === 'AWS::Route53::HealthCheck') return HEALTH_CHECK;
        throw new Error(`unexpected token in the CDK dashboard body: ${JSON.stringify(part)}`);
      }).join('');
      out.push({ name: res.Properties?.DashboardName, body: JSON.parse(text) });
    }
  }
  return out;
}

function terraformDashboards(example: ExampleName): Dashboard[] {
  const json = terraformJson(example);
  return Object.values(json.resource?.aws_cloudwatch_dashboard ?? {}).map((d) => {
    const text = String(d.dashboard_body).replace(/\$\{aws_route53_health_check\.[^.}]+\.id\}/g, HEALTH_CHECK);
    if (text.includes('${')) throw new Error(`unexpected reference in the Terraform dashboard body: ${text}`);
    return { name: d.dashboard_name, body: JSON.parse(text) };
  });
}

describe.each(EXAMPLE_NAMES)('dashboard parity: %s', (example) => {
  test('both renderers emit one dashboard with the planned name and the same body', () => {
    const planned = examplePlan(example).dashboard;
    const cdk = cdkDashboards(example);
    const tf = terraformDashboards(example);
    expect(cdk).toHaveLength(1);
    expect(tf).toHaveLength(1);
    expect(cdk[0]?.name).toBe(planned?.name);
    expect(tf[0]?.name).toBe(planned?.name);
    // Same widgets in the same places with the same metrics, thresholds and axes.
    expect(tf[0]?.body).toEqual(cdk[0]?.body);
    expect(cdk[0]?.body.widgets).toHaveLength(planned?.rows.flat().length ?? -1);
  });

  test('every graph\'s metrics agree series by series (namespace, name, dimensions, statistic, period, region)', () => {
    type MetricWidget = { type: string; properties: { title?: string; metrics?: unknown[][] } };
    const series = (d: Dashboard | undefined) => (d?.body.widgets as MetricWidget[] | undefined ?? [])
      .filter((w) => w.type === 'metric').map((w) => [w.properties.title, w.properties.metrics]);
    const cdk = series(cdkDashboards(example)[0]);
    expect(cdk.length).toBeGreaterThan(0);
    expect(series(terraformDashboards(example)[0])).toEqual(cdk);
  });
});
