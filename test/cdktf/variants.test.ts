import 'cdktf/lib/testing/adapters/jest';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { DynamodbTable } from '@cdktf/provider-aws/lib/dynamodb-table';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { GeoTerraformStack, PolicyViolationError, synthesizeGeoPlan, renderGeoPlanJson, iamRoleName } from '../../lib/cdktf';
import { plan, type GeoSpec } from '../../lib/model';
import { bankSpec, dynamoSpec, ordersSpec, render, resourcesOf } from './helpers';
import { at } from '../../lib/model/lookup';

Testing.setupJest();

describe('DynamoDB global table (active-active, latency routing, imported zone)', () => {
  const r = render(dynamoSpec());

  test('one table in the first region, a replica per other region with that region\'s own key, PITR and deletion protection', () => {
    expect(r.families.tables).toEqual([{
      tags: {
        'meridian:data-classification': 'internal', 'meridian:mode': 'active-active', 'meridian:region-role': 'active', 'meridian:topology': 'carts',
        // What the facts readers read back (plan factTags); dynamoSpec declares no residency, quorum, objectives or load.
        'meridian:region': 'us-east-1', 'meridian:partition': 'main', 'meridian:residency': 'none', 'meridian:consistency': 'eventual',
        'meridian:quorum': 'none', 'meridian:rto-seconds': 'none', 'meridian:rpo-seconds': 'none', 'meridian:peak-rps': 'none', 'meridian:capacity-rps': 'none',
      },
      name: 'carts', region: 'us-east-1', kmsKeyRegion: 'us-east-1', pitr: true, deletionProtection: true,
      replicas: [
        { region: 'us-east-2', kmsKeyRegion: 'us-east-2', pitr: true, deletionProtection: true },
        { region: 'us-west-2', kmsKeyRegion: 'us-west-2', pitr: true, deletionProtection: true },
      ],
    }]);
    expect(r.synthesized).toHaveResourceWithProperties(DynamodbTable, {
      name: 'carts', billing_mode: 'PAY_PER_REQUEST', stream_enabled: true, stream_view_type: 'NEW_AND_OLD_IMAGES',
      point_in_time_recovery: { enabled: true }, deletion_protection_enabled: true,
    });
    expect(r.families.clusters).toHaveLength(0);
    expect(resourcesOf(r, 'aws_security_group')).toHaveLength(0);
  });

  test('region keys may be used through DynamoDB and SNS only (no RDS, no Secrets Manager in a DynamoDB deployment)', () => {
    for (const [id, key] of resourcesOf(r, 'aws_kms_key').filter(([n]) => n.startsWith('Region-'))) {
      const via = JSON.parse(String(key.policy)).Statement.find((s: { Sid: string }) => s.Sid === 'RegionalServicesUseKey');
      expect([id, via.Condition.StringEquals['kms:ViaService']]).toEqual([id, [`dynamodb.${key.region}.amazonaws.com`, `sns.${key.region}.amazonaws.com`]]);
    }
  });

  test('latency records per region; the zone is used by id, with no zone resource and no lookup', () => {
    expect(r.families.records.map((x) => [x.setIdentifier, x.latencyRegion, x.ttl]).sort()).toEqual([
      ['carts-us-east-1', 'us-east-1', 60], ['carts-us-east-2', 'us-east-2', 60], ['carts-us-west-2', 'us-west-2', 60],
    ]);
    expect(r.synthesized).not.toHaveResource(Route53Zone);
    expect(r.synthesized).toHaveResourceWithProperties(Route53Record, { zone_id: 'Z0123456789ABC' });
    expect(Object.keys((r.json.data as Record<string, unknown>) ?? {})).not.toContain('aws_route53_zone');
  });

  test('replication-pause experiment targets the table and stops on the critical lag alarms', () => {
    const e = r.families.experimentTemplates.find((x) => x.name === 'carts-use1-dynamodb-replication-pause')!;
    expect(e.actions).toEqual([{ name: 'pause-replication', actionId: 'aws:dynamodb:global-table-pause-replication', target: 'Tables', parameters: { duration: 'PT10M' } }]);
    expect(e.targets).toMatchObject([{ name: 'Tables', resourceType: 'aws:dynamodb:global-table', resources: ['carts'] }]);
    const planned = r.plan.experiments.find((x) => x.kind === 'dynamodb-replication-pause')!;
    expect(e.stopConditions.map((s) => s.alarm).sort()).toEqual(planned.stopAlarmIds.map((id) => r.plan.alarms.list.find((a) => a.id === id)!.name).sort());
  });

  test('strong consistency asks DynamoDB for multi-Region strong consistency on the replicas', () => {
    const strong = render(dynamoSpec({ name: 'ledger', data: { engine: 'dynamodb', classification: 'financial', consistency: 'strong' } }));
    const [, table] = at(resourcesOf(strong, 'aws_dynamodb_table'), 0, 'DynamoDB table');
    for (const rep of table.replica as Record<string, unknown>[]) expect(rep.consistency_mode).toBe('STRONG');
  });
});

describe('Aurora MySQL active-active with write forwarding', () => {
  const spec: GeoSpec = {
    name: 'shop',
    mode: 'active-active',
    regions: [{ name: 'eu-west-1', role: 'active' }, { name: 'eu-central-1', role: 'active' }],
    data: { engine: 'aurora-mysql', classification: 'pii', residency: ['EU'] },
    dns: { zoneName: 'example.eu', recordName: 'shop.example.eu', routing: 'geoproximity' },
  };
  const r = render(spec);

  test('secondaries forward writes; every cluster carries the planned parameters (consistency from the spec, audit log on)', () => {
    const secondary = r.families.clusters.find((c) => c.region === 'eu-central-1')!;
    expect(secondary).toMatchObject({ writeForwarding: true, hasMasterCredentials: false, kmsKeyRegion: 'eu-central-1' });
    expect(r.families.clusters.find((c) => c.region === 'eu-west-1')).toMatchObject({ writeForwarding: false, hasMasterCredentials: true });
    // The spec leaves consistency at its default, eventual: forwarded sessions read EVENTUAL. The primary gets the
    // same parameters, because after a failover it may become a forwarding secondary itself.
    const parameter = [
      { name: 'aurora_replica_read_consistency', value: 'EVENTUAL' },
      { name: 'require_secure_transport', value: 'ON' },
      { name: 'server_audit_events', value: 'CONNECT,QUERY_DCL,QUERY_DDL' },
      { name: 'server_audit_logging', value: '1' },
    ];
    for (const region of ['eu-central-1', 'eu-west-1']) {
      expect(r.synthesized).toHaveResourceWithProperties(RdsClusterParameterGroup, { family: 'aurora-mysql8.0', region, parameter });
    }
    expect(r.families.clusters[0]?.logExports).toEqual(['audit', 'error', 'slowquery']);
  });

  test('geoproximity records with the planned region and bias; DNS lives in the partition\'s own home region', () => {
    expect(r.families.records.map((x) => [x.setIdentifier, x.geoproximity])).toEqual(expect.arrayContaining([
      ['shop-eu-west-1', { aws_region: 'eu-west-1', bias: 0 }],
      ['shop-eu-central-1', { aws_region: 'eu-central-1', bias: 0 }],
    ]));
    expect(r.families.topics.find((t) => t.name === 'shop-dns-alerts')).toMatchObject({ region: r.plan.dns.homeRegion, kmsKeyAlias: 'alias/meridian/shop/dns' });
  });
});

describe('routing policies', () => {
  test.each([
    ['weighted', (x: { weight?: number }) => x.weight, [3, 1]],
    ['latency', (x: { latencyRegion?: string }) => x.latencyRegion, ['us-east-1', 'eu-west-1']],
  ] as const)('%s records carry their policy block', (routing, pick, expected) => {
    const spec: GeoSpec = {
      name: `r-${routing}`,
      mode: 'active-active',
      regions: [{ name: 'us-east-1', role: 'active', weight: 3 }, { name: 'eu-west-1', role: 'active', weight: 1 }],
      data: { engine: 'dynamodb', classification: 'internal' },
      dns: { zoneName: 'example.com', recordName: 'x.example.com', routing },
    };
    const r = render(spec);
    expect(r.families.records.map((x) => [x.setIdentifier, (pick as (y: unknown) => unknown)(x)]).sort()).toEqual(
      [[`r-${routing}-us-east-1`, expected[0]], [`r-${routing}-eu-west-1`, expected[1]]].sort(),
    );
  });

  test('geolocation records per jurisdiction plus the default (*) record', () => {
    const spec: GeoSpec = {
      name: 'geo',
      mode: 'partitioned',
      regions: [{ name: 'eu-central-1', role: 'active', jurisdiction: 'DE' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }],
      data: { engine: 'dynamodb', classification: 'pii' },
      dns: { zoneName: 'example.com', recordName: 'geo.example.com', routing: 'geolocation', defaultRegion: 'us-east-1' },
    };
    // Single-region partitions have no replicas to alarm on; the policy engine rightly objects (GEO-ALARM-001,
    // GEO-FIS-001). This test is about the renderer's records, so it renders without the engine.
    const r = render(spec, { policyChecker: false });
    // Each jurisdiction's set (latency over its one region, with its health check); countries and the default alias a set.
    expect(r.families.records.map((x) => [x.name, x.setIdentifier, x.latencyRegion ?? null, x.geolocation ?? null, x.alias ?? null]).sort()).toEqual([
      ['de.geo.example.com', 'geo-eu-central-1', 'eu-central-1', null, null],
      ['geo.example.com', 'geo-de', null, { country: 'DE' }, { name: 'de.geo.example.com', evaluateTargetHealth: false }],
      ['geo.example.com', 'geo-default', null, { country: '*' }, { name: 'us.geo.example.com', evaluateTargetHealth: false }],
      ['geo.example.com', 'geo-us', null, { country: 'US' }, { name: 'us.geo.example.com', evaluateTargetHealth: false }],
      ['us.geo.example.com', 'geo-us-east-1', 'us-east-1', null, null],
    ]);
    expect(r.families.records.filter((x) => x.alias).every((x) => x.ttl === undefined && x.healthCheck === undefined)).toBe(true);
    expect(r.families.records.filter((x) => !x.alias).every((x) => x.ttl === 60 && x.healthCheck !== undefined)).toBe(true);
    // One table per jurisdiction, no replica across jurisdictions.
    expect(r.families.tables.map((t) => [t.name, t.region, t.replicas.length]).sort()).toEqual([['geo-de', 'eu-central-1', 0], ['geo-us', 'us-east-1', 0]]);
  });
});

describe('errors', () => {
  test('a policy error stops synthesis with the rule id and message (TTL 300 → GEO-DNS-001)', () => {
    const spec = ordersSpec();
    spec.dns.ttlSeconds = 300;
    expect(() => render(spec)).toThrow(/GEO-DNS-001.*TTL 300/);
    expect(() => render(spec)).toThrow(PolicyViolationError);
  });

  test('all unsuppressed errors are listed at once', () => {
    const spec = ordersSpec();
    spec.dns.ttlSeconds = 300;
    // A human-decided failover cannot recover in 300 s (worst case 700 s): GEO-RESILIENCE-001 too.
    spec.objectives = { rtoSeconds: 300, rpoSeconds: 30 };
    let err: PolicyViolationError | undefined;
    try { render(spec); } catch (e) { err = e as PolicyViolationError; }
    expect(err).toBeInstanceOf(PolicyViolationError);
    expect(err!.findings.length).toBeGreaterThanOrEqual(2);
    expect(new Set(err!.findings.map((f) => f.ruleId))).toEqual(new Set(['GEO-DNS-001', 'GEO-RESILIENCE-001']));
  });

  test('a suppressed error does not stop synthesis', () => {
    const spec = ordersSpec();
    spec.dns.ttlSeconds = 300;
    spec.objectives = { rtoSeconds: 900, rpoSeconds: 30 };
    spec.suppressions = [{ rule: 'GEO-DNS-001', reason: 'resolver pinning tested separately, TTL kept for cost' }];
    expect(() => render(spec)).not.toThrow();
  });

  test('a custom checker is used, and its errors stop synthesis too', () => {
    const checker = () => ({ findings: [{ ruleId: 'GEO-TEST-001', severity: 'error' as const, message: 'always fails', suppressed: false }] });
    expect(() => render(ordersSpec(), { policyChecker: checker })).toThrow(/GEO-TEST-001: always fails/);
  });

  test('Route 53 limits are enforced by the renderer even without the policy engine', () => {
    const spec = ordersSpec();
    spec.dns.healthCheck.intervalSeconds = 15;
    expect(() => render(spec, { policyChecker: false })).toThrow(/intervalSeconds must be one of 10, 30, got 15/);
    const t = ordersSpec();
    t.dns.healthCheck.failureThreshold = 11;
    expect(() => render(t, { policyChecker: false })).toThrow(/failureThreshold must be between 1 and 10, got 11/);
  });

  test.each([
    [['us-east-1', 'eu-west-1', 'eu-central-1'], /checkerRegions must be among us-east-1, .*sa-east-1, got eu-central-1/],
    [['us-east-1', 'us-east-1', 'eu-west-1'], /checkerRegions needs at least 3 distinct regions, got 2 \(us-east-1, us-east-1, eu-west-1\)/],
    [['us-east-1', 'eu-west-1'], /checkerRegions needs at least 3 distinct regions, got 2/],
  ])('health-check checker regions %j are refused: only Route 53 checker regions, at least 3 distinct', (checkerRegions, message) => {
    // The schema refuses these in a spec; the renderer checks plans built by hand.
    const p = plan(ordersSpec());
    const handBuilt = { ...p, dns: { ...p.dns, healthChecks: p.dns.healthChecks.map((h) => ({ ...h, checkerRegions })) } };
    expect(() => render(handBuilt, { policyChecker: false })).toThrow(message);
  });

  test('valid checker regions reach the health checks', () => {
    const spec = ordersSpec();
    spec.dns.healthCheck.checkerRegions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
    const r = render(spec, { policyChecker: false });
    for (const [, hc] of resourcesOf(r, 'aws_route53_health_check')) expect(hc.regions).toEqual(['us-east-1', 'eu-west-1', 'ap-southeast-1']);
  });

  test.each([
    [{ logRetentionDays: 10 }, /Region-use1\/Network: logRetentionDays must be one of 0, 1, 3, .*, 3653, got 10/],
    [{ logRetentionDays: 10, flowLogs: false }, /Aurora-main: logRetentionDays must be one of .*, got 10/],
    [{ logRetentionDays: 366 }, /logRetentionDays must be one of .*365, 400.*, got 366/],
  ])('a log retention CloudWatch Logs does not offer (%j) is refused before Terraform sees it', (props, message) => {
    expect(() => render(ordersSpec(), props)).toThrow(message);
  });

  test('a log retention CloudWatch Logs offers reaches every log group', () => {
    const r = render(ordersSpec(), { logRetentionDays: 731 });
    const groups = resourcesOf(r, 'aws_cloudwatch_log_group');
    expect(groups.length).toBeGreaterThan(0);
    for (const [, g] of groups) expect(g.retention_in_days).toBe(731);
  });

  test('a CNAME cannot sit at the zone apex', () => {
    const spec = ordersSpec();
    spec.dns.recordName = 'example.com';
    expect(() => render(spec, { policyChecker: false })).toThrow(/CNAME cannot sit at the zone apex example.com/);
  });

  test('data subnets are the planned ones: CIDR and zone index from plan.regions[].dataSubnets', () => {
    // GIVEN a plan with us-west-1, where accounts can rely on two zones only
    const spec = ordersSpec();
    const p = plan(spec);
    const { json } = renderGeoPlanJson(p, { policyChecker: false });
    const subnets = Object.values(json.resource?.aws_subnet ?? {}) as Array<{ region: string; cidr_block: string; availability_zone: string }>;
    // THEN every planned subnet is rendered once, in its region, at its planned zone index
    const planned = p.regions.flatMap((r) => r.dataSubnets.map((s) => ({ region: r.name, cidr: s.cidr, zone: s.zoneIndex })));
    expect(subnets.map((s) => ({ region: s.region, cidr: s.cidr_block })).sort((a, b) => a.cidr.localeCompare(b.cidr)))
      .toEqual(planned.map((s) => ({ region: s.region, cidr: s.cidr })).sort((a, b) => a.cidr.localeCompare(b.cidr)));
    for (const s of subnets) {
      const zone = planned.find((x) => x.cidr === s.cidr_block)?.zone;
      expect(s.availability_zone).toMatch(new RegExp(`element\\(data\\.aws_availability_zones\\.[^.]+\\.names, ${String(zone)}\\)`));
    }
  });
});

describe('synthesis', () => {
  test('two synths give byte-identical JSON, free of the checkout path', () => {
    const p = plan(ordersSpec());
    const dirs = [0, 1].map(() => fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-cdktf-')));
    try {
      const [a, b] = dirs.map((outdir) => fs.readFileSync(synthesizeGeoPlan(p, { outdir }).file));
      if (!a || !b) throw new Error('expected two synthesized files');
      expect(a.equals(b)).toBe(true);
      const text = a.toString('utf8');
      expect(text).not.toContain(process.cwd());
      expect(text).not.toContain(os.tmpdir());
    } finally {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  test('renderGeoPlanJson gives in memory exactly what synthesizeGeoPlan writes', () => {
    const p = plan(ordersSpec());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'meridian-cdktf-'));
    try {
      const written = JSON.parse(fs.readFileSync(synthesizeGeoPlan(p, { outdir: dir }).file, 'utf8'));
      const rendered = renderGeoPlanJson(p).json;
      expect(rendered).toEqual(written);
      // Both return the synthesis the policy gate's check read (lib/cdktf/synthesize-once.ts): the check
      // left it as a synthesis of the stack alone gives it.
      const alone = new GeoTerraformStack(new App({ stackTraces: false }), p.name, { plan: p, policyChecker: false });
      expect(rendered).toEqual(JSON.parse(JSON.stringify(alone.toTerraform())));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('S3 backend from props', () => {
    const app = Testing.app();
    const stack = new GeoTerraformStack(app, 'orders', {
      plan: plan(ordersSpec()),
      backend: { type: 's3', bucket: 'tf-state', region: 'us-east-1', dynamodbTable: 'tf-locks' },
    });
    const json = JSON.parse(Testing.synth(stack));
    expect(json.terraform.backend).toEqual({ s3: { bucket: 'tf-state', key: 'orders/terraform.tfstate', region: 'us-east-1', encrypt: true, dynamodb_table: 'tf-locks', use_lockfile: true } });
  });

  test('a plan with an account pins the provider to it and writes it literally into policies', () => {
    const spec = ordersSpec();
    spec.account = '123456789012';
    const r = render(spec);
    expect(r.json.provider).toEqual({ aws: [{ region: 'us-east-1', allowed_account_ids: ['123456789012'] }] });
    expect(Object.keys(r.json.data as object)).toEqual(['aws_availability_zones']);
    expect(r.synthesized).toContain('arn:aws:iam::123456789012:root');
  });
});

describe('names', () => {
  test('IAM role names stay within 64 characters, stable and unique', () => {
    expect(iamRoleName('orders-us-east-1', 'rds-monitoring')).toBe('orders-us-east-1-rds-monitoring');
    const long = iamRoleName(`${'a'.repeat(40)}-ap-southeast-2`, 'rds-monitoring');
    expect(long.length).toBeLessThanOrEqual(64);
    expect(long).toBe(iamRoleName(`${'a'.repeat(40)}-ap-southeast-2`, 'rds-monitoring'));
    expect(long).not.toBe(iamRoleName(`${'a'.repeat(40)}-ap-southeast-1`, 'rds-monitoring'));
    expect(long).toMatch(/-rds-monitoring$/);
  });
});

describe('more of the plan', () => {
  test('policy warnings stay warnings: synthesis goes on and the stack carries them as annotations', () => {
    // us-west-2 at its default capacity (2 × peak) cannot absorb us-east-1's load: a capacity warning.
    const spec = ordersSpec();
    const r = render({ ...spec, regions: spec.regions.map((x) => ({ ...x, capacityRps: undefined })) });
    const warnings = r.stack.policyReport!.findings.filter((f) => f.severity === 'warning' && !f.suppressed);
    expect(warnings.map((f) => f.ruleId)).toContain('GEO-CAPACITY-001');
    const annotations = r.stack.node.metadata.filter((m) => m.type === '@cdktf/warn').map((m) => String(m.data));
    expect(annotations).toEqual(expect.arrayContaining([expect.stringMatching(/^GEO-CAPACITY-001/)]));
  });

  test('alarm email is subscribed to every topic, the DNS topic included', () => {
    const spec = ordersSpec();
    spec.alarms.email = 'oncall@example.com';
    const r = render(spec);
    const subs = resourcesOf(r, 'aws_sns_topic_subscription').map(([, s]) => [s.region, s.protocol, s.endpoint]).sort();
    expect(subs).toEqual([
      ['eu-west-1', 'email', 'oncall@example.com'],
      ['us-east-1', 'email', 'oncall@example.com'],
      ['us-east-1', 'email', 'oncall@example.com'],
      ['us-west-2', 'email', 'oncall@example.com'],
    ]);
  });

  test('hub-and-spoke peers every spoke with the hub only, with routes both ways', () => {
    const spec = ordersSpec();
    spec.network.peering = 'hub-and-spoke';
    const r = render(spec, { policyChecker: false });
    expect(r.families.peerings.map((p) => [p.name, p.requesterRegion, p.accepterRegion]).sort()).toEqual([
      ['orders-use1-euw1', 'us-east-1', 'eu-west-1'], ['orders-use1-usw2', 'us-east-1', 'us-west-2'],
    ]);
    expect(r.families.routes).toHaveLength(4);
    // The spokes' databases are reachable only from their own VPC and the hub.
    const euw1 = resourcesOf(r, 'aws_vpc_security_group_ingress_rule').filter(([, x]) => x.region === 'eu-west-1').map(([, x]) => x.cidr_ipv4).sort();
    expect(euw1).toEqual(['10.0.0.0/16', '10.2.0.0/16']);
  });

  test('no peering: no peering resources and a DB open to its own VPC only', () => {
    const spec = ordersSpec();
    spec.network.peering = 'none';
    // Without peering, cutting the data subnets' cross-region routes disrupts nothing: the plan refuses it.
    expect(() => render(spec, { policyChecker: false })).toThrow(/region-isolation: us-east-1 is peered with no region, so cutting its cross-region routes disrupts nothing/);
    spec.experiments = ['database-failover'];
    const r = render(spec, { policyChecker: false });
    expect(r.families.peerings).toHaveLength(0);
    expect(r.families.routes).toHaveLength(0);
    const use1 = resourcesOf(r, 'aws_vpc_security_group_ingress_rule').filter(([, x]) => x.region === 'us-east-1').map(([, x]) => x.cidr_ipv4);
    expect(use1).toEqual(['10.0.0.0/16']);
  });

  test('instances with enhanced monitoring wait for the monitoring policy to be attached', () => {
    const r = render(ordersSpec());
    const attachments = resourcesOf(r, 'aws_iam_role_policy_attachment');
    const instances = resourcesOf(r, 'aws_rds_cluster_instance').map(([, i]) => i);
    expect(instances.length).toBeGreaterThan(0);
    for (const i of instances) {
      const cluster = String(i.cluster_identifier).match(/Aurora-main_(Region-[a-z0-9]+)_Cluster/)![1];
      const own = attachments.filter(([id]) => id.includes(`${cluster}_MonitoringPolicy`)).map(([id]) => `aws_iam_role_policy_attachment.${id}`);
      expect(own).toHaveLength(1);
      expect(i.depends_on).toEqual(own);
    }
  });

  test.each([7, 120, -1])('an enhanced monitoring interval RDS does not offer (%d s) is refused', (seconds) => {
    expect(() => render(ordersSpec(), { monitoringIntervalSeconds: seconds }))
      .toThrow(new RegExp(`Aurora-main: monitoringIntervalSeconds must be one of 0, 1, 5, 10, 15, 30, 60, got ${seconds}`));
  });

  test('flow logs and enhanced monitoring can be turned off', () => {
    const r = render(ordersSpec(), { flowLogs: false, monitoringIntervalSeconds: 0 });
    expect(resourcesOf(r, 'aws_flow_log')).toHaveLength(0);
    for (const [, i] of resourcesOf(r, 'aws_rds_cluster_instance')) expect(i).not.toHaveProperty('monitoring_interval');
    expect(r.families.roles.map((x) => x.name).sort()).toEqual(['orders-use1-fis-dbfo', 'orders-use1-fis-iso']);
  });
});

describe('partitioned mode', () => {
  const spec = bankSpec({ network: { peering: 'none' } });

  test('one global cluster per jurisdiction, members only inside it, each secret replicated only inside it', () => {
    const r = render(spec);
    expect(r.families.globalClusters.map((g) => [g.identifier, g.region]).sort()).toEqual([
      ['bank-eu-global', 'eu-west-1'], ['bank-us-global', 'us-east-1'],
    ]);
    expect(r.families.clusters.map((c) => [c.identifier, c.globalCluster, c.kmsKeyRegion]).sort()).toEqual([
      ['bank-eu-central-1', 'bank-eu-global', 'eu-central-1'],
      ['bank-eu-west-1', 'bank-eu-global', 'eu-west-1'],
      ['bank-us-east-1', 'bank-us-global', 'us-east-1'],
      ['bank-us-west-2', 'bank-us-global', 'us-west-2'],
    ]);
    const secrets = resourcesOf(r, 'aws_secretsmanager_secret').map(([, x]) => [x.name, x.region, (x.replica as { region: string }[]).map((y) => y.region)]).sort();
    expect(secrets).toEqual([
      ['meridian/bank/bank-eu-global/master', 'eu-west-1', ['eu-central-1']],
      ['meridian/bank/bank-us-global/master', 'us-east-1', ['us-west-2']],
    ]);
    expect(Object.keys((r.json.ephemeral as Record<string, Record<string, unknown>>).aws_secretsmanager_random_password ?? {}).sort())
      .toEqual(['bank_eu_global_master_password', 'bank_us_global_master_password']);
    // The password is generated in its partition's primary region, never through the provider's home region.
    expect(Object.entries((r.json.ephemeral as Record<string, Record<string, { region?: string }>>).aws_secretsmanager_random_password ?? {})
      .map(([n, e]) => [n, e.region]).sort()).toEqual([['bank_eu_global_master_password', 'eu-west-1'], ['bank_us_global_master_password', 'us-east-1']]);
    for (const [, c] of resourcesOf(r, 'aws_rds_cluster')) expect(c.tags).toMatchObject({ 'meridian:jurisdiction': expect.stringMatching(/^(EU|US)$/) });
  });

  test('a database admits only its own jurisdiction\'s CIDRs, even where other jurisdictions are peered', () => {
    const r = render({ ...spec, network: { peering: 'full-mesh' } });
    const byRegion = (region: string) => r.families.dbIngress.filter((x) => x.region === region).map((x) => x.cidr).sort();
    const cidr = (name: string) => r.plan.regions.find((x) => x.name === name)!.cidr;
    expect(byRegion('eu-west-1')).toEqual([cidr('eu-west-1'), cidr('eu-central-1')].sort());
    expect(byRegion('us-east-1')).toEqual([cidr('us-east-1'), cidr('us-west-2')].sort());
    expect(r.families.peerings).toHaveLength(6);
  });
});

describe('DNS key', () => {
  test('takes the alias the plan gives it (plan.dns.keyAlias), not one of its own', () => {
    // GIVEN a plan whose DNS key alias differs from the default naming
    const p = plan(ordersSpec());
    const custom = { ...p, dns: { ...p.dns, keyAlias: 'alias/meridian/orders/route53-alerts' } };
    // WHEN rendered
    const stack = new GeoTerraformStack(Testing.app(), custom.name, { plan: custom });
    const json = JSON.parse(Testing.synth(stack, true)) as { resource: Record<string, Record<string, Record<string, unknown>>> };
    // THEN the DNS key's alias and Name tag follow the plan
    const aliases = Object.values(json.resource.aws_kms_alias ?? {}).map((a) => a.name);
    expect(aliases).toContain('alias/meridian/orders/route53-alerts');
    expect(aliases).not.toContain('alias/meridian/orders/dns');
    const dnsKey = Object.entries(json.resource.aws_kms_key ?? {}).find(([id]) => id.startsWith('Dns_Key_'))?.[1];
    expect(dnsKey?.tags).toMatchObject({ Name: 'meridian/orders/route53-alerts' });
  });
});

describe('master user name', () => {
  test.each([
    ['1admin', /masterUsername must start with a letter and hold only letters, digits and underscores, at most 63 characters for aurora-postgresql, got "1admin"/],
    ['db-admin', /got "db-admin"/],
    ['admin${x}', /got "admin\$\{x\}"/],
    ['a'.repeat(64), /at most 63 characters for aurora-postgresql/],
  ])('%s is refused before RDS refuses it at apply', (masterUsername, message) => {
    expect(() => render(ordersSpec(), { masterUsername })).toThrow(message);
  });

  test('a valid name reaches the primary cluster and the secret', () => {
    const r = render(ordersSpec(), { masterUsername: 'orders_owner' });
    const [, cluster] = resourcesOf(r, 'aws_rds_cluster').find(([, c]) => c.cluster_identifier === 'orders-us-east-1')!;
    expect(cluster.master_username).toBe('orders_owner');
    expect(resourcesOf(r, 'aws_secretsmanager_secret_version')[0]?.[1].secret_string_wo).toContain('username = "orders_owner"');
  });
});

describe('master password rotation', () => {
  test('masterPasswordVersion reaches the cluster and the secret together', () => {
    const r = render(ordersSpec(), { masterPasswordVersion: 2 });
    const [, cluster] = resourcesOf(r, 'aws_rds_cluster').find(([, c]) => c.cluster_identifier === 'orders-us-east-1')!;
    expect(cluster.master_password_wo_version).toBe(2);
    expect(resourcesOf(r, 'aws_secretsmanager_secret_version')[0]?.[1].secret_string_wo_version).toBe(2);
  });
});

describe('region validation', () => {
  test('a regional resource without a region fails synthesis with validations on', () => {
    const stack = new GeoTerraformStack(Testing.app(), 'orders', { plan: plan(ordersSpec()) });
    new SnsTopic(stack, 'Stray', { name: 'stray' });
    expect(() => Testing.synth(stack, true)).toThrow(/orders\/Stray \(aws_sns_topic\) has no region/);
    expect(() => Testing.synth(stack, false)).not.toThrow();
  });
});
