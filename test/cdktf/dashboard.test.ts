import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard';
import { plan, type GeoPlan } from '../../lib/model';
import { DeploymentDashboard } from '../../lib/cdktf/dashboard';
import { ordersSpec, render, resourcesOf, type Rendered } from './helpers';

Testing.setupJest();

interface BodyWidget {
  readonly type: string;
  readonly width: number;
  readonly x: number;
  readonly y: number;
  readonly properties: { readonly title?: string; readonly region?: string; readonly metrics?: unknown[][] };
}

function dashboards(r: Rendered): Array<{ name: unknown; region: unknown; widgets: BodyWidget[] }> {
  return resourcesOf(r, 'aws_cloudwatch_dashboard').map(([, d]) => ({
    name: d.dashboard_name, region: d.region, widgets: (JSON.parse(String(d.dashboard_body)) as { widgets: BodyWidget[] }).widgets,
  }));
}

describe('cdktf dashboard on examples/specs/orders.yaml', () => {
  let r: Rendered;
  beforeAll(() => { r = render(ordersSpec()); });

  test('one aws_cloudwatch_dashboard, named and placed as planned (the DNS home region)', () => {
    expect(r.synthesized).toHaveResourceWithProperties(CloudwatchDashboard, { dashboard_name: 'orders-geo', region: 'us-east-1' });
    expect(dashboards(r)).toHaveLength(1);
    expect(r.plan.dashboard?.region).toBe(r.plan.dns.homeRegion);
  });

  test('the planned widgets, in planned order, each graph in its planned region', () => {
    const [d] = dashboards(r);
    const planned = r.plan.dashboard?.rows.flat() ?? [];
    expect(d?.widgets).toHaveLength(planned.length);
    expect(d?.widgets.map((w) => w.type)).toEqual(planned.map((w) => (w.kind === 'text' ? 'text' : 'metric')));
    expect(d?.widgets.map((w) => w.properties.title)).toEqual(planned.map((w) => (w.kind === 'graph' ? w.title : undefined)));
    expect(d?.widgets.map((w) => w.properties.region)).toEqual(planned.map((w) => (w.kind === 'graph' ? w.region : undefined)));
  });

  test('the lag graph shows the planned metric with its region, period and statistic', () => {
    const [d] = dashboards(r);
    const lag = d?.widgets.find((w) => w.properties.title === 'AuroraGlobalDBReplicationLag — eu-west-1 (orders-eu-west-1)');
    expect(lag?.properties.metrics).toEqual([
      ['AWS/RDS', 'AuroraGlobalDBReplicationLag', 'DBClusterIdentifier', 'orders-eu-west-1', { label: 'AuroraGlobalDBReplicationLag eu-west-1', region: 'eu-west-1', period: 60, stat: 'Maximum' }],
    ]);
  });

  test('health graph: the ids of the Route 53 health checks of this stack, one per planned check', () => {
    const [d] = dashboards(r);
    const health = d?.widgets.find((w) => w.properties.title?.startsWith('Route 53 health checks'));
    const ids = (health?.properties.metrics ?? []).map((m) => m[3]);
    const checks = resourcesOf(r, 'aws_route53_health_check').map(([name]) => `\${aws_route53_health_check.${name}.id}`);
    expect(ids).toHaveLength(r.plan.dns.healthChecks.length);
    expect([...ids].sort()).toEqual([...checks].sort());
    // Each series is labelled with the endpoint of the health check it reads.
    const fqdnOf = new Map(resourcesOf(r, 'aws_route53_health_check').map(([name, hc]) => [`\${aws_route53_health_check.${name}.id}`, hc.fqdn]));
    for (const m of health?.properties.metrics ?? []) {
      expect(String((m[4] as { label: string }).label)).toBe(`${r.plan.dns.healthChecks.find((hc) => hc.fqdn === fqdnOf.get(String(m[3])))?.region} ${String(fqdnOf.get(String(m[3])))}`);
    }
  });

  test('a plan built without a dashboard (older plans) still gets the planned one', () => {
    const { dashboard: _dropped, ...older } = plan(ordersSpec());
    const rendered = render(older as GeoPlan);
    expect(dashboards(rendered).map((d) => d.name)).toEqual(['orders-geo']);
  });

  test('a placeholder without a value is an error naming it and the known ids', () => {
    const p = plan(ordersSpec());
    const planned = p.dashboard;
    if (!planned) throw new Error('no planned dashboard');
    expect(() => Testing.synthScope((scope) => {
      new DeploymentDashboard(scope, 'D', { dashboard: planned, placeholders: { healthCheck: { 'hc-other': 'x' } } });
    })).toThrow(/dashboard orders-geo: placeholder \{\{healthCheck:hc-use1\}\} has no value; known healthCheck ids: hc-other/);
  });
});
