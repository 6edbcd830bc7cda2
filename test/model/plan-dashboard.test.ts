/**
 * The deployment dashboard plan() decides once for both renderers: name, home region, widgets (metrics,
 * thresholds by planned alarm id, layout), and the body both renderers emit from it.
 */
import {
  DASHBOARD_LEVEL_COLORS, dashboardBody, healthCheckPlaceholder, plan, planDashboard, type GeoPlan, type GeoSpec,
  type PlannedDashboard, type PlannedDashboardWidget,
} from '../../lib/model';
import { THREE_REGION_SPEC } from './fixtures';

const orders: GeoSpec = THREE_REGION_SPEC;

const carts: GeoSpec = {
  name: 'carts',
  mode: 'active-active',
  regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
  data: { engine: 'dynamodb', classification: 'internal' },
  dns: { zoneName: 'example.com', recordName: 'carts.example.com', routing: 'latency', zoneId: 'Z0123456789ABC' },
};

type Graph = Extract<PlannedDashboardWidget, { kind: 'graph' }>;
const graphs = (d: PlannedDashboard): Graph[] => d.rows.flat().filter((w): w is Graph => w.kind === 'graph');
const dashboardOf = (p: GeoPlan): PlannedDashboard => {
  if (!p.dashboard) throw new Error('plan() planned no dashboard');
  return p.dashboard;
};

describe('planned dashboard', () => {
  const p = plan(orders);
  const d = dashboardOf(p);

  test('named <name>-geo, in the DNS home region, opening on the last three hours', () => {
    expect(d.name).toBe('orders-geo');
    expect(d.region).toBe(p.dns.homeRegion);
    expect(d.region).toBe('us-east-1');
    expect(d.defaultIntervalSeconds).toBe(3 * 3600);
  });

  test('first row: a full-width text widget naming mode, data, regions and DNS', () => {
    const [first] = d.rows;
    expect(first).toHaveLength(1);
    const text = first?.[0];
    expect(text).toMatchObject({ kind: 'text', width: 24, height: 2 });
    expect(text?.kind === 'text' && text.markdown).toBe(
      '# orders\nactive-passive, data aurora-postgresql (confidential); regions: us-east-1 (primary), us-west-2 (secondary), eu-west-1 (secondary); DNS api.example.com (failover, TTL 60 s)',
    );
  });

  test('one half-width graph per lag / availability metric, in the metric\'s region, with the planned metric', () => {
    const lag = graphs(d).filter((g) => !g.title.startsWith('Route 53'));
    const drawn = p.alarms.list.filter((a) => a.kind !== 'health-check' && a.kind !== 'replication-stalled');
    const series = new Set(drawn.map((a) => JSON.stringify([a.region, a.namespace, a.metricName, a.dimensions])));
    expect(lag).toHaveLength(series.size);
    const rep = lag.find((g) => g.title === 'AuroraGlobalDBReplicationLag — us-west-2 (orders-us-west-2)');
    expect(rep).toMatchObject({ region: 'us-west-2', width: 12, height: 6 });
    expect(rep?.metrics).toEqual([{
      namespace: 'AWS/RDS', metricName: 'AuroraGlobalDBReplicationLag', dimensions: { DBClusterIdentifier: 'orders-us-west-2' },
      statistic: 'Maximum', periodSeconds: 60, region: 'us-west-2', label: 'AuroraGlobalDBReplicationLag us-west-2',
    }]);
    for (const g of lag) for (const m of g.metrics) expect(m.region).toBe(g.region);
  });

  test('thresholds are drawn by planned alarm id: warning then critical, each alarm\'s own threshold and colour', () => {
    const byId = new Map(p.alarms.list.map((a) => [a.id, a]));
    const rep = graphs(d).find((g) => g.title.startsWith('AuroraGlobalDBReplicationLag — us-west-2'));
    // 30 s and 300 s, the spec defaults, in milliseconds.
    expect(rep?.annotations.map((a) => [byId.get(a.alarmId)?.level, a.value, a.color])).toEqual([
      ['warning', 30000, DASHBOARD_LEVEL_COLORS.warning], ['critical', 300000, DASHBOARD_LEVEL_COLORS.critical],
    ]);
    for (const g of graphs(d)) {
      for (const a of g.annotations) {
        const alarm = byId.get(a.alarmId);
        expect(alarm).toBeDefined();
        expect(a.value).toBe(alarm?.threshold);
        expect(alarm?.region).toBe(g.region);
      }
    }
  });

  test('experiment guards and health-check alarms get no graph of their own', () => {
    const annotated = new Set(graphs(d).flatMap((g) => g.annotations.map((a) => a.alarmId)));
    const kinds = new Set(p.alarms.list.filter((a) => annotated.has(a.id)).map((a) => a.kind));
    expect(kinds.has('health-check')).toBe(false);
    expect(kinds.has('replication-stalled')).toBe(false);
  });

  test('last row: every health check\'s status in the home region, with the health-check alarm\'s statistic and period, axis 0..1', () => {
    const last = d.rows[d.rows.length - 1];
    const health = last?.[0];
    expect(health).toMatchObject({ kind: 'graph', title: 'Route 53 health checks — api.example.com (1 = healthy)', region: 'us-east-1', width: 24, leftYAxis: { min: 0, max: 1 } });
    const metrics = health?.kind === 'graph' ? health.metrics : [];
    expect(metrics.map((m) => m.dimensions.HealthCheckId)).toEqual(p.dns.healthChecks.map((hc) => healthCheckPlaceholder(hc.id)));
    const alarm = p.alarms.list.find((a) => a.kind === 'health-check');
    for (const m of metrics) {
      expect(m).toMatchObject({ namespace: 'AWS/Route53', metricName: 'HealthCheckStatus', region: 'us-east-1', statistic: alarm?.statistic, periodSeconds: alarm?.periodSeconds });
    }
  });

  test('DynamoDB: a ReplicationLatency graph per replication direction', () => {
    const titles = graphs(dashboardOf(plan(carts))).map((g) => g.title).filter((t) => t.startsWith('ReplicationLatency'));
    expect(titles).toHaveLength(2);
    expect(new Set(titles).size).toBe(2);
  });

  test('planDashboard of a plan is what plan() planned (renderers re-plan hand-built plans without one)', () => {
    expect(planDashboard(p)).toEqual(d);
  });
});

describe('dashboardBody', () => {
  const metric = { namespace: 'NS', metricName: 'M', dimensions: { Id: 'x' }, region: 'us-east-1', label: 'l' } as const;
  const graph = (title: string, width: number, extra: Partial<Graph> = {}): Graph => ({
    kind: 'graph', title, region: 'us-east-1', width, height: 6, annotations: [],
    metrics: [{ ...metric, statistic: 'Maximum', periodSeconds: 60 }], ...extra,
  });
  const noPlaceholders = (kind: string, id: string): string => { throw new Error(`unexpected ${kind}:${id}`); };

  test('rows stack top to bottom; a row fills left to right and wraps at 24', () => {
    const d: PlannedDashboard = {
      name: 'n', region: 'us-east-1', defaultIntervalSeconds: 3 * 3600,
      rows: [[{ kind: 'text', markdown: '# n', width: 24, height: 2 }], [graph('a', 12), graph('b', 12), graph('c', 12)], [graph('d', 24)]],
    };
    const body = dashboardBody(d, noPlaceholders) as { start: string; widgets: Array<{ x: number; y: number; type: string }> };
    expect(body.start).toBe('-PT3H');
    expect(body.widgets.map((w) => [w.type, w.x, w.y])).toEqual([
      ['text', 0, 0], ['metric', 0, 2], ['metric', 12, 2], ['metric', 0, 8], ['metric', 0, 14],
    ]);
  });

  test('metric options: label and region always; period and statistic only when not CloudWatch\'s defaults (300 s, Average)', () => {
    const d: PlannedDashboard = {
      name: 'n', region: 'us-east-1', defaultIntervalSeconds: 3600,
      rows: [[graph('g', 24, { metrics: [{ ...metric, statistic: 'Average', periodSeconds: 300 }, { ...metric, statistic: 'Minimum', periodSeconds: 60 }] })]],
    };
    const [w] = (dashboardBody(d, noPlaceholders) as { widgets: Array<{ properties: { metrics: unknown[] } }> }).widgets;
    expect(w?.properties.metrics).toEqual([
      ['NS', 'M', 'Id', 'x', { label: 'l', region: 'us-east-1' }],
      ['NS', 'M', 'Id', 'x', { label: 'l', region: 'us-east-1', period: 60, stat: 'Minimum' }],
    ]);
  });

  test('dimensions are listed by sorted name, whatever order the plan gives them', () => {
    const d: PlannedDashboard = {
      name: 'n', region: 'us-east-1', defaultIntervalSeconds: 3600,
      rows: [[graph('g', 24, { metrics: [{ ...metric, dimensions: { TableName: 't', ReceivingRegion: 'eu-west-1' }, statistic: 'Maximum', periodSeconds: 60 }] })]],
    };
    const [w] = (dashboardBody(d, noPlaceholders) as { widgets: Array<{ properties: { metrics: unknown[][] } }> }).widgets;
    expect(w?.properties.metrics[0]?.slice(0, 6)).toEqual(['NS', 'M', 'ReceivingRegion', 'eu-west-1', 'TableName', 't']);
  });

  test('annotations on the left axis; axis bounds when planned', () => {
    const d: PlannedDashboard = {
      name: 'n', region: 'us-east-1', defaultIntervalSeconds: 3600,
      rows: [[graph('g', 24, { annotations: [{ alarmId: 'a1', value: 5, label: 'warning', color: '#ff7f0e' }], leftYAxis: { min: 0, max: 1 } })]],
    };
    const [w] = (dashboardBody(d, noPlaceholders) as { widgets: Array<{ properties: Record<string, unknown> }> }).widgets;
    expect(w?.properties.annotations).toEqual({ horizontal: [{ value: 5, label: 'warning', color: '#ff7f0e', yAxis: 'left' }] });
    expect(w?.properties.yAxis).toEqual({ left: { min: 0, max: 1 } });
  });

  test('placeholders in dimension values go through the resolver; its error propagates', () => {
    const d = dashboardOf(plan(orders));
    const body = JSON.stringify(dashboardBody(d, (kind, id) => `${kind}=${id}`));
    expect(body).toContain('"HealthCheckId","healthCheck=hc-use1"');
    expect(body).not.toContain('{{');
    expect(() => dashboardBody(d, noPlaceholders)).toThrow(/unexpected healthCheck:hc-use1/);
  });
});
