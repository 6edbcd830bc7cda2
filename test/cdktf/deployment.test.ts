import 'cdktf/lib/testing/adapters/jest';
import { Testing } from 'cdktf';
import { RdsGlobalCluster } from '@cdktf/provider-aws/lib/rds-global-cluster';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record';
import { VpcPeeringConnection } from '@cdktf/provider-aws/lib/vpc-peering-connection';
import { VpcPeeringConnectionAccepterA } from '@cdktf/provider-aws/lib/vpc-peering-connection-accepter';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { familyCounts } from '../../lib/cdktf';
import { ordersSpec, render, resourcesOf, type Rendered } from './helpers';
import { at } from '../../lib/model/lookup';

Testing.setupJest();

describe('GeoTerraformStack on examples/specs/orders.yaml (active-passive, Aurora PostgreSQL)', () => {
  let r: Rendered;
  beforeAll(() => {
    // GIVEN the example spec / WHEN rendered with validations on
    r = render(ordersSpec());
  });

  test('is valid Terraform JSON with one resource per planned object, per family', () => {
    // THEN
    expect(familyCounts(r.families)).toEqual({
      keys: 4, // one per region + the DNS key
      globalClusters: 1,
      clusters: 3,
      tables: 0,
      healthChecks: 3,
      records: 2,
      peerings: 3,
      routes: 6,
      dbIngress: 9,
      alarms: r.plan.alarms.list.length,
      topics: 4,
      experimentTemplates: r.plan.experiments.length,
      // FIS roles, a flow-log role per region, an enhanced-monitoring role per cluster with instances
      roles: r.plan.experiments.length + 3 + 2,
    });
  });

  test('global cluster: identifier from the plan, encrypted, deletion protection', () => {
    expect(r.synthesized).toHaveResourceWithProperties(RdsGlobalCluster, {
      global_cluster_identifier: 'orders-global',
      engine: 'aurora-postgresql',
      engine_version: '16.6',
      storage_encrypted: true,
      deletion_protection: true,
      force_destroy: false,
      region: 'us-east-1',
    });
  });

  test('every cluster is encrypted with its own region\'s key and protected from deletion', () => {
    for (const c of r.families.clusters) {
      expect(c).toMatchObject({
        storageEncrypted: true,
        kmsKeyRegion: c.region,
        kmsKeyAlias: 'alias/meridian/orders',
        deletionProtection: true,
        globalCluster: 'orders-global',
        iamAuth: true,
        backupRetentionDays: 7,
        logExports: ['postgresql'],
        ignoreChanges: ['engine_version', 'replication_source_identifier'],
      });
    }
    expect(r.families.clusters.map((c) => [c.identifier, c.region]).sort()).toEqual([
      ['orders-eu-west-1', 'eu-west-1'], ['orders-us-east-1', 'us-east-1'], ['orders-us-west-2', 'us-west-2'],
    ]);
  });

  test('primary: master password generated at apply (ephemeral) into the secret, read back from the secret for the cluster; secondaries carry no master credentials', () => {
    const primary = r.families.clusters.find((c) => c.region === 'us-east-1')!;
    // RDS-managed passwords are not supported for global database members.
    expect(primary).toMatchObject({ hasMasterCredentials: true, managedMasterPassword: false });
    const [, cluster] = resourcesOf(r, 'aws_rds_cluster').find(([, c]) => c.cluster_identifier === 'orders-us-east-1')!;
    expect(cluster).toMatchObject({
      master_username: r.plan.data.masterUsername,
      // The secret is the single source: the cluster reads the password back from it, never from the generator.
      master_password_wo: '${jsondecode(ephemeral.aws_secretsmanager_secret_version.orders_global_master_secret.secret_string).password}',
      master_password_wo_version: 1,
    });
    expect(cluster).not.toHaveProperty('manage_master_user_password');
    const [secretAddress] = at(resourcesOf(r, 'aws_secretsmanager_secret'), 0, 'secret');
    const [versionAddress] = at(resourcesOf(r, 'aws_secretsmanager_secret_version'), 0, 'secret version');
    expect(r.json.ephemeral).toEqual({
      aws_secretsmanager_random_password: {
        orders_global_master_password: { region: 'us-east-1', password_length: 32, exclude_characters: '/"@\'\\ ', include_space: false, require_each_included_type: true },
      },
      // Opened only after the secret's value is written in the same apply.
      aws_secretsmanager_secret_version: {
        orders_global_master_secret: {
          region: 'us-east-1',
          secret_id: `\${aws_secretsmanager_secret.${secretAddress}.id}`,
          depends_on: [`aws_secretsmanager_secret_version.${versionAddress}`],
        },
      },
    });
    expect(r.json.terraform).toMatchObject({ required_version: '>= 1.11.0' });
    for (const c of r.families.clusters.filter((x) => x.region !== 'us-east-1')) {
      expect(c).toMatchObject({ hasMasterCredentials: false, managedMasterPassword: false, writeForwarding: false });
    }
    for (const [, c] of resourcesOf(r, 'aws_rds_cluster')) {
      expect(c).not.toHaveProperty('master_password');
      if (c.cluster_identifier !== 'orders-us-east-1') {
        expect(c).not.toHaveProperty('master_username');
        expect(c).not.toHaveProperty('master_password_wo');
      }
    }
    expect(r.synthesized).not.toMatch(/"master_password":/);
  });

  test('master credentials are kept in a secret under the primary key, replicated to every region under its own key, written write-only', () => {
    const [, secret] = at(resourcesOf(r, 'aws_secretsmanager_secret'), 0, 'secret');
    expect(secret).toMatchObject({
      name: 'meridian/orders/orders-global/master', region: 'us-east-1', recovery_window_in_days: 30,
      kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Region-use1_Key_/),
      replica: [
        { region: 'us-west-2', kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Region-usw2_Key_/) },
        { region: 'eu-west-1', kms_key_id: expect.stringMatching(/^\$\{aws_kms_key\.Region-euw1_Key_/) },
      ],
    });
    const [, version] = at(resourcesOf(r, 'aws_secretsmanager_secret_version'), 0, 'secret version');
    expect(version).not.toHaveProperty('secret_string');
    expect(version).toMatchObject({
      secret_string_wo_version: 1,
      secret_string_wo: expect.stringContaining('password = ephemeral.aws_secretsmanager_random_password.orders_global_master_password.random_password'),
    });
  });

  test('instances follow the plan: 2 on the primary, 1 on us-west-2, headless eu-west-1', () => {
    expect(Object.fromEntries(r.families.clusters.map((c) => [c.region, c.instances]))).toEqual({
      'us-east-1': 2, 'us-west-2': 1, 'eu-west-1': 0,
    });
  });

  test('secondaries join after the primary has instances', () => {
    const secondary = resourcesOf(r, 'aws_rds_cluster').find(([, c]) => c.cluster_identifier === 'orders-us-west-2')![1];
    expect(secondary.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_rds_cluster_instance\./)]));
    expect(secondary).toMatchObject({ global_cluster_identifier: expect.stringMatching(/^\$\{aws_rds_global_cluster\./) });
  });

  test('keys: one per region plus the DNS key, rotation on, single-region, 30-day deletion window, planned aliases', () => {
    expect(r.families.keys.map((k) => [k.region, k.alias]).sort()).toEqual([
      ['eu-west-1', 'alias/meridian/orders'],
      ['us-east-1', 'alias/meridian/orders'],
      ['us-east-1', 'alias/meridian/orders/dns'],
      ['us-west-2', 'alias/meridian/orders'],
    ]);
    for (const k of r.families.keys) expect(k).toMatchObject({ rotation: true, multiRegion: false, deletionWindowInDays: 30 });
    expect(r.synthesized).toHaveResourceWithProperties(KmsAlias, { name: 'alias/meridian/orders', region: 'eu-west-1' });
  });

  test('key policy lets the region\'s services use the key through kms:ViaService', () => {
    const key = resourcesOf(r, 'aws_kms_key').find(([, k]) => k.region === 'eu-west-1')![1];
    const doc = JSON.parse(String(key.policy));
    const via = doc.Statement.find((s: { Sid: string }) => s.Sid === 'RegionalServicesUseKey');
    // Aurora deployment: the clusters, their secret and the topic; no DynamoDB.
    expect(via.Condition.StringEquals['kms:ViaService']).toEqual([
      'rds.eu-west-1.amazonaws.com', 'secretsmanager.eu-west-1.amazonaws.com', 'sns.eu-west-1.amazonaws.com',
    ]);
    const logs = doc.Statement.find((s: { Sid: string }) => s.Sid === 'CloudWatchLogsUseKey');
    expect(logs.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(r.synthesized).toHaveResourceWithProperties(KmsKey, { enable_key_rotation: true, region: 'eu-west-1' });
  });

  test('VPCs use the plan CIDRs; data subnets are tagged for FIS and never map public IPs', () => {
    const vpcs = resourcesOf(r, 'aws_vpc').map(([, v]) => [v.region, v.cidr_block]).sort();
    expect(vpcs).toEqual(r.plan.regions.map((x) => [x.name, x.cidr]).sort());
    expect(r.synthesized).toHaveResourceWithProperties(Subnet, {
      region: 'us-west-2',
      // The plan's first data subnet of the us-west-2 VPC (10.1.0.0/16): a /24 at its bottom.
      cidr_block: '10.1.0.0/24',
      map_public_ip_on_launch: false,
      tags: expect.objectContaining({ 'meridian:subnet-tier': 'data', 'meridian:topology': 'orders' }),
    });
    expect(resourcesOf(r, 'aws_subnet')).toHaveLength(9);
  });

  test('data subnets are placed in Availability Zones only, never in an opted-in Local or Wavelength Zone', () => {
    const zones = Object.values((r.json.data as Record<string, Record<string, Record<string, unknown>>>).aws_availability_zones ?? {});
    expect(zones).toHaveLength(3);
    for (const z of zones) expect(z).toMatchObject({ state: 'available', filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }] });
  });

  test('peering: requester with peer_region and auto_accept=false, accepter in the other region with auto_accept=true', () => {
    for (const p of r.families.peerings) {
      expect(p.requesterAutoAccept).toBe(false);
      expect(p.acceptedBy).toEqual({ region: p.accepterRegion, autoAccept: true });
    }
    expect(r.families.peerings.map((p) => [p.name, p.requesterRegion, p.accepterRegion])).toEqual(expect.arrayContaining(
      r.plan.network.peerings.map((p) => [p.name, p.requesterRegion, p.accepterRegion]),
    ));
    expect(r.synthesized).toHaveResourceWithProperties(VpcPeeringConnection, { peer_region: 'eu-west-1', auto_accept: false, region: 'us-east-1' });
    expect(r.synthesized).toHaveResourceWithProperties(VpcPeeringConnectionAccepterA, { auto_accept: true, region: 'eu-west-1' });
  });

  test('routes on both sides of every peering', () => {
    const routes = r.families.routes.map((x) => [x.peering, x.region, x.destination]).sort();
    const expected = r.plan.network.peerings.flatMap((p) => [
      [p.name, p.requesterRegion, p.accepterCidr],
      [p.name, p.accepterRegion, p.requesterCidr],
    ]).sort();
    expect(routes).toEqual(expected);
  });

  test('DB security group: only the DB port, only from the VPC and its peers', () => {
    const rules = resourcesOf(r, 'aws_vpc_security_group_ingress_rule').filter(([, x]) => x.region === 'us-east-1').map(([, x]) => x);
    expect(rules.map((x) => x.cidr_ipv4).sort()).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
    for (const x of rules) expect(x).toMatchObject({ ip_protocol: 'tcp', from_port: 5432, to_port: 5432 });
    expect(resourcesOf(r, 'aws_vpc_security_group_egress_rule')).toHaveLength(0);
  });

  test('health checks: interval and threshold from the plan', () => {
    expect(r.synthesized).toHaveResourceWithProperties(Route53HealthCheck, {
      type: 'HTTPS', fqdn: 'api-usw2.example.com', port: 443, resource_path: '/health', request_interval: 10, failure_threshold: 3, enable_sni: true,
    });
    expect(r.families.healthChecks.map((h) => [h.name, h.intervalSeconds, h.failureThreshold]).sort()).toEqual([
      ['orders-eu-west-1-health', 10, 3], ['orders-us-east-1-health', 10, 3], ['orders-us-west-2-health', 10, 3],
    ]);
  });

  test('records: TTL 60, failover PRIMARY/SECONDARY with planned set identifiers and their region\'s health check', () => {
    expect(r.families.records.map((x) => ({ ttl: x.ttl, failover: x.failover, setIdentifier: x.setIdentifier, healthCheck: x.healthCheck, values: x.values })).sort((a, b) => a.setIdentifier!.localeCompare(b.setIdentifier!))).toEqual([
      { ttl: 60, failover: 'PRIMARY', setIdentifier: 'orders-us-east-1-primary', healthCheck: 'orders-us-east-1-health', values: ['api-use1.example.com'] },
      { ttl: 60, failover: 'SECONDARY', setIdentifier: 'orders-us-west-2-secondary', healthCheck: 'orders-us-west-2-health', values: ['api-usw2.example.com'] },
    ]);
    expect(r.synthesized).toHaveResourceWithProperties(Route53Record, {
      name: 'api.example.com', type: 'CNAME', ttl: 60, failover_routing_policy: { type: 'PRIMARY' },
    });
  });

  test('alarms exactly as planned: metric, dimensions, threshold, period, evaluation periods; health checks resolved', () => {
    for (const a of r.plan.alarms.list) {
      const got = r.families.alarms.find((x) => x.name === a.name);
      expect(got).toBeDefined();
      const dims = { ...a.dimensions };
      if (dims.HealthCheckId) dims.HealthCheckId = `{{${r.plan.dns.healthChecks.find((h) => `{{healthCheck:${h.id}}}` === a.dimensions.HealthCheckId)!.name}}}`;
      expect(got).toEqual({
        tags: expect.objectContaining({ 'meridian:topology': 'orders' }),
        name: a.name, region: a.region, namespace: a.namespace, metricName: a.metricName, dimensions: dims,
        statistic: a.statistic, threshold: a.threshold, comparison: a.comparison, periodSeconds: a.periodSeconds,
        evaluationPeriods: a.evaluationPeriods, treatMissingData: a.treatMissingData,
        topics: [a.kind === 'health-check' ? 'orders-dns-alerts' : `orders-${a.region}-alerts`],
        ...(a.math ? { expression: a.math.expression } : {}),
      });
    }
    expect(r.synthesized).not.toMatch(/\{\{healthCheck:/);
  });

  test('topics: one per region plus the DNS topic, each encrypted with its own region\'s key', () => {
    expect(r.families.topics.map((t) => [t.name, t.region, t.kmsKeyRegion, t.kmsKeyAlias]).sort()).toEqual([
      ['orders-dns-alerts', 'us-east-1', 'us-east-1', 'alias/meridian/orders/dns'],
      ['orders-eu-west-1-alerts', 'eu-west-1', 'eu-west-1', 'alias/meridian/orders'],
      ['orders-us-east-1-alerts', 'us-east-1', 'us-east-1', 'alias/meridian/orders'],
      ['orders-us-west-2-alerts', 'us-west-2', 'us-west-2', 'alias/meridian/orders'],
    ]);
  });

  test('every alert topic carries the planned topic policy: TLS only, CloudWatch alarms of this account may publish', () => {
    const policies = resourcesOf(r, 'aws_sns_topic_policy');
    expect(policies).toHaveLength(r.families.topics.length);
    for (const [, p] of policies) {
      const doc = JSON.parse(String(p.policy)) as { Statement: Array<{ Sid: string; Effect: string; Condition: Record<string, Record<string, string>> }> };
      expect(doc.Statement.map((st) => [st.Sid, st.Effect])).toEqual([['AllowPublishThroughSSLOnly', 'Deny'], ['AllowCloudWatchAlarmsOfThisAccount', 'Allow']]);
      expect(doc.Statement[0]?.Condition).toEqual({ Bool: { 'aws:SecureTransport': 'false' } });
      expect(doc.Statement[1]?.Condition.ArnLike?.['aws:SourceArn']).toMatch(new RegExp(`^arn:aws:cloudwatch:${String(p.region)}:.+:alarm:\\*$`));
    }
  });

  test('FIS: planned action ids, targets and stop conditions; encrypted logs; role per experiment', () => {
    const byName = Object.fromEntries(r.families.experimentTemplates.map((e) => [e.name, e]));
    expect(byName['orders-use1-region-isolation']).toEqual({
      tags: {
        'meridian:data-classification': 'confidential', 'meridian:mode': 'active-passive', 'meridian:region-role': 'primary', 'meridian:topology': 'orders',
        // What the facts readers read back (plan factTags): no residency, quorum or load declared in orders.yaml.
        'meridian:region': 'us-east-1', 'meridian:partition': 'main', 'meridian:residency': 'none', 'meridian:consistency': 'read-your-writes',
        'meridian:quorum': 'none', 'meridian:rto-seconds': String(r.plan.objectives?.rtoSeconds), 'meridian:rpo-seconds': String(r.plan.objectives?.rpoSeconds), 'meridian:peak-rps': '4000', 'meridian:capacity-rps': '8000',
      },
      name: 'orders-use1-region-isolation', region: 'us-east-1', role: 'orders-use1-fis-iso',
      logGroup: '/meridian/orders/fis/us-east-1/region-isolation', logKeyRegion: 'us-east-1',
      actions: [
        { name: 'isolate-from-usw2', actionId: 'aws:network:route-table-disrupt-cross-region-connectivity', target: 'Subnets', parameters: { duration: 'PT10M', region: 'us-west-2' } },
        { name: 'isolate-from-euw1', actionId: 'aws:network:route-table-disrupt-cross-region-connectivity', target: 'Subnets', parameters: { duration: 'PT10M', region: 'eu-west-1' } },
      ],
      // every subnet of the deployment in the region, whatever its tier
      targets: [{ name: 'Subnets', resourceType: 'aws:ec2:subnet', selectionMode: 'ALL', resourceTags: { 'meridian:topology': 'orders' }, resources: undefined }],
      stopConditions: [{ source: 'aws:cloudwatch:alarm', alarm: 'orders-use1-writer-unavailable' }],
    });
    expect(byName['orders-use1-database-failover']).toMatchObject({
      role: 'orders-use1-fis-dbfo',
      actions: [{ name: 'failover-writer', actionId: 'aws:rds:failover-db-cluster', target: 'Clusters', parameters: {} }],
      targets: [{ name: 'Clusters', resourceType: 'aws:rds:cluster', selectionMode: 'ALL', resources: ['orders-us-east-1'] }],
      stopConditions: [{ source: 'aws:cloudwatch:alarm', alarm: 'orders-use1-writer-unavailable' }],
    });
    const logGroups = resourcesOf(r, 'aws_fis_experiment_template').map(([, e]) => (e.log_configuration as { cloudwatch_logs_configuration: { log_group_arn: string } }).cloudwatch_logs_configuration.log_group_arn);
    for (const arn of logGroups) expect(arn).toMatch(/^\$\{aws_cloudwatch_log_group\.[^}]+\.arn\}:\*$/);
  });

  test('IAM: FIS roles trust only fis.amazonaws.com, for this account; failover may touch only the primary cluster', () => {
    const fisRoles = r.families.roles.filter((x) => x.name.includes('-fis-'));
    expect(fisRoles.map((x) => x.name).sort()).toEqual(r.plan.experiments.map((e) => e.roleName).sort());
    for (const role of fisRoles) expect(role.trustedServices).toEqual(['fis.amazonaws.com']);
    const [, role] = resourcesOf(r, 'aws_iam_role').find(([, x]) => x.name === 'orders-use1-fis-dbfo')!;
    const trust = JSON.parse(String(role.assume_role_policy));
    expect(trust.Statement[0].Condition.StringEquals).toEqual({ 'aws:SourceAccount': expect.stringMatching(/data\.aws_caller_identity\./) });
    const [, policy] = resourcesOf(r, 'aws_iam_role_policy').find(([, x]) => x.name === 'orders-use1-fis-dbfo-policy')!;
    const doc = JSON.parse(String(policy.policy));
    const failover = doc.Statement.find((s: { Sid: string }) => s.Sid === 'FailoverTargetCluster');
    expect(failover.Action).toEqual(['rds:FailoverDBCluster', 'rds:DescribeDBClusters']);
    expect(failover.Resource).toEqual(expect.stringMatching(/^\$\{aws_rds_cluster\.Aurora-main_Region-use1_Cluster_[0-9A-F]+\.arn\}$/));
  });

  test('region isolation role: describes anywhere, mutations only in its region, deletions only of what FIS created', () => {
    const [, policy] = resourcesOf(r, 'aws_iam_role_policy').find(([, x]) => x.name === 'orders-use1-fis-iso-policy')!;
    const doc = JSON.parse(String(policy.policy)) as { Statement: { Sid: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }[] };
    for (const st of doc.Statement) {
      const actions = ([] as string[]).concat(st.Action);
      const mutating = actions.some((a) => !/^(ec2:Describe|ec2:GetManagedPrefixListEntries|tag:GetResources|logs:)/.test(a));
      if (mutating) {
        for (const res of ([] as string[]).concat(st.Resource)) expect(res).toMatch(/^arn:aws:ec2:us-east-1:/);
      }
      if (actions.some((a) => /^ec2:Delete/.test(a)) && ([] as string[]).concat(st.Resource).some((x) => /route-table|prefix-list/.test(x))) {
        expect(st.Condition).toEqual({ StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } });
      }
    }
  });

  test('VPC flow logs: all traffic to an encrypted log group, through a role only the flow-logs service can assume', () => {
    const flowLogs = resourcesOf(r, 'aws_flow_log').map(([, f]) => f);
    expect(flowLogs).toHaveLength(3);
    for (const f of flowLogs) expect(f).toMatchObject({ traffic_type: 'ALL', log_destination_type: 'cloud-watch-logs' });
    const groups = resourcesOf(r, 'aws_cloudwatch_log_group').map(([, g]) => g).filter((g) => String(g.name).includes('vpc-flow-logs'));
    expect(groups.map((g) => [g.name, g.region]).sort()).toEqual([
      ['/meridian/orders/vpc-flow-logs/eu-west-1', 'eu-west-1'],
      ['/meridian/orders/vpc-flow-logs/us-east-1', 'us-east-1'],
      ['/meridian/orders/vpc-flow-logs/us-west-2', 'us-west-2'],
    ]);
    for (const g of groups) expect(g.kms_key_id).toMatch(/^\$\{aws_kms_key\.Region-[a-z0-9]+_Key_/);
    expect(r.families.roles.filter((x) => x.trustedServices.includes('vpc-flow-logs.amazonaws.com'))).toHaveLength(3);
  });

  test('Aurora: TLS-only parameter group, encrypted log-export groups, enhanced monitoring where there are instances', () => {
    const groups = resourcesOf(r, 'aws_rds_cluster_parameter_group').map(([, g]) => g);
    expect(groups).toHaveLength(3);
    for (const g of groups) expect(g).toMatchObject({ family: 'aurora-postgresql16', parameter: [{ name: 'rds.force_ssl', value: '1' }] });
    const exportGroups = resourcesOf(r, 'aws_cloudwatch_log_group').map(([, g]) => String(g.name)).filter((n) => n.startsWith('/aws/rds/')).sort();
    expect(exportGroups).toEqual([
      '/aws/rds/cluster/orders-eu-west-1/postgresql', '/aws/rds/cluster/orders-us-east-1/postgresql', '/aws/rds/cluster/orders-us-west-2/postgresql',
    ]);
    const instances = resourcesOf(r, 'aws_rds_cluster_instance').map(([, i]) => i);
    for (const i of instances) expect(i).toMatchObject({ monitoring_interval: 60, monitoring_role_arn: expect.stringMatching(/^\$\{aws_iam_role\./) });
    expect(r.families.roles.filter((x) => x.trustedServices.includes('monitoring.rds.amazonaws.com')).map((x) => x.name).sort())
      .toEqual(['orders-us-east-1-rds-monitoring', 'orders-us-west-2-rds-monitoring']);
  });

  test('the DNS key may be used through SNS only: it encrypts nothing but the DNS alert topic', () => {
    const dnsKey = resourcesOf(r, 'aws_kms_key').find(([id]) => id.startsWith('Dns_Key_'))![1];
    const doc = JSON.parse(String(dnsKey.policy));
    const via = doc.Statement.find((s: { Sid: string }) => s.Sid === 'RegionalServicesUseKey');
    expect(via.Condition.StringEquals['kms:ViaService']).toEqual(['sns.us-east-1.amazonaws.com']);
  });

  test('key policy lets CloudWatch Logs use the key only for this deployment\'s log groups', () => {
    const key = resourcesOf(r, 'aws_kms_key').find(([, k]) => k.region === 'us-west-2')![1];
    const doc = JSON.parse(String(key.policy));
    const logs = doc.Statement.find((s: { Sid: string }) => s.Sid === 'CloudWatchLogsUseKey');
    expect(logs.Condition.ArnLike['kms:EncryptionContext:aws:logs:arn']).toEqual([
      expect.stringMatching(/:logs:us-west-2:.*:log-group:\/aws\/rds\/cluster\/orders-us-west-2\/\*$/),
      expect.stringMatching(/:logs:us-west-2:.*:log-group:\/meridian\/orders\/\*$/),
    ]);
  });

  test('tags: every regional resource carries the topology and region role', () => {
    for (const [, v] of resourcesOf(r, 'aws_rds_cluster')) {
      expect(v.tags).toMatchObject({ 'meridian:topology': 'orders', 'meridian:data-classification': 'confidential', 'meridian:region-role': expect.any(String) });
    }
  });

  test('outputs name what an application needs, by plan names', () => {
    expect(Object.keys(r.json.output as object).sort()).toEqual([
      'alert_topic_euw1', 'alert_topic_use1', 'alert_topic_usw2',
      'cluster_endpoint_euw1', 'cluster_endpoint_use1', 'cluster_endpoint_usw2',
      'cluster_reader_endpoint_euw1', 'cluster_reader_endpoint_use1', 'cluster_reader_endpoint_usw2',
      'global_cluster_main', 'master_secret_main', 'zone_id',
    ]);
  });

  test('snapshot (a second net behind the assertions above)', () => {
    expect(r.synthesized).toMatchSnapshot();
  });

  test('state backend is explicit and relative; provider in the DNS home region', () => {
    // Outside build output: from cdktf.out/stacks/orders/ up to the folder that holds cdktf.out.
    expect(r.json.terraform).toMatchObject({ backend: { local: { path: '../../../terraform.orders.tfstate' } } });
    expect(r.json.provider).toEqual({ aws: [{ region: 'us-east-1' }] });
  });
});
