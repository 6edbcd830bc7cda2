import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DeploymentDashboard } from '../../lib/cdk/dashboard';
import { GeoDns } from '../../lib/cdk/dns';
import { plan, type GeoSpec } from '../../lib/model';
import { SHOP_AURORA, SHOP_DYNAMO } from './unit-fixtures';
import { at } from '../../lib/model/lookup';

const aurora = SHOP_AURORA;

/** The dashboard body with its tokens resolved, as parsed JSON. */
interface Widget {
  readonly type: string;
  readonly properties: {
    readonly title: string;
    readonly region?: string;
    readonly metrics?: unknown[];
    readonly annotations?: { readonly horizontal: Array<{ readonly value: number }> };
  };
}

function body(stack: Stack): { widgets: Widget[] } {
  const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
  const dashboard = at(Object.values(dashboards), 0, 'dashboard');
  const parts = dashboard.Properties.DashboardBody['Fn::Join'][1] as unknown[];
  const text = parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p).replace(/"/g, "'"))).join('');
  return JSON.parse(text);
}

function synth(s: GeoSpec, withDns = true, dnsFirst = true) {
  const p = plan(s);
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Dns', { env: { region: 'us-east-1' } });
  if (withDns && dnsFirst) new GeoDns(stack, 'Dns', { plan: p });
  const dashboard = new DeploymentDashboard(stack, 'Dashboard', { plan: p });
  if (withDns && !dnsFirst) new GeoDns(stack, 'Dns', { plan: p });
  return { p, app, stack, dashboard };
}

describe('DeploymentDashboard', () => {
  test('one dashboard named <plan.name>-geo', () => {
    // GIVEN / WHEN
    const { stack } = synth(aurora);
    // THEN
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'shop-geo' });
  });

  test('a cross-region widget per lag metric with the warning and critical thresholds', () => {
    // GIVEN / WHEN
    const { stack } = synth(aurora);
    const widgets = body(stack).widgets.filter((w) => w.type === 'metric');
    // THEN
    const lag = widgets.find((w) => w.properties.title.startsWith('AuroraGlobalDBReplicationLag'))!;
    expect(lag.properties.region).toBe('us-west-2');
    expect(lag.properties.metrics).toEqual([
      ['AWS/RDS', 'AuroraGlobalDBReplicationLag', 'DBClusterIdentifier', 'shop-us-west-2', { label: 'AuroraGlobalDBReplicationLag us-west-2', period: 60, region: 'us-west-2', stat: 'Maximum' }],
    ]);
    expect(lag.properties.annotations!.horizontal.map((a) => a.value)).toEqual([30000, 300000]);
    const rpo = widgets.find((w) => w.properties.title.startsWith('AuroraGlobalDBRPOLag'));
    expect(rpo).toBeDefined();
    const writer = widgets.find((w) => w.properties.title.startsWith('EngineUptime'))!;
    expect(writer.properties.region).toBe('us-east-1');
  });

  test('DynamoDB: a widget per replication direction', () => {
    // GIVEN
    const dynamo = SHOP_DYNAMO;
    // WHEN
    const { stack } = synth(dynamo);
    const titles = body(stack).widgets.filter((w) => w.type === 'metric').map((w) => w.properties.title);
    // THEN
    expect(titles.filter((t) => t.startsWith('ReplicationLatency'))).toHaveLength(2);
  });

  test('health-check widget with the real health check ids, even when GeoDns is created later', () => {
    // GIVEN / WHEN
    const { stack } = synth(aurora, true, false);
    const health = body(stack).widgets.find((w) => w.type === 'metric' && w.properties.title.startsWith('Route 53 health checks'))!;
    // THEN
    expect(health.properties.region).toBe('us-east-1');
    expect(health.properties.metrics).toHaveLength(2);
    expect(JSON.stringify(health.properties.metrics![0])).toContain('HealthCheckId');
    expect(JSON.stringify(health.properties.metrics)).toContain('Dnshcuse1');
  });

  test('fails synthesis with a clear message when there is no GeoDns', () => {
    // GIVEN
    const { app } = synth(aurora, false);
    // WHEN / THEN
    expect(() => app.synth()).toThrow(/no GeoDns construct in stack Dns to take health check ids from; pass `dns`/);
  });
});
