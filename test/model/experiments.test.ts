import { FIS_ACTIONS, FIS_QUOTAS, fisStatements, plan, subnetTags, type GeoSpec, type RegionCode } from '../../lib/model';

const aurora: GeoSpec = {
  name: 'shop',
  mode: 'active-passive',
  regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary' }, { name: 'eu-west-1', role: 'secondary' }],
  data: { engine: 'aurora-postgresql', classification: 'confidential' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
};
const dynamo: GeoSpec = {
  ...aurora,
  mode: 'active-active',
  regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-east-2', role: 'active' }, { name: 'us-west-2', role: 'active' }],
  data: { engine: 'dynamodb', classification: 'internal' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
};
const experiment = (spec: GeoSpec, kind: string) => {
  const found = plan(spec).experiments.find((e) => e.kind === kind);
  if (!found) throw new Error(`no ${kind} experiment`);
  return found;
};

describe('region isolation', () => {
  test('one destination region per action, each starting after the previous one (never two on the same subnets)', () => {
    const iso = experiment(aurora, 'region-isolation');
    expect(iso.actions.map((a) => [a.name, a.parameters.region, a.startAfter])).toEqual([
      ['isolate-from-usw2', 'us-west-2', undefined],
      ['isolate-from-euw1', 'eu-west-1', ['isolate-from-usw2']],
    ]);
    expect(iso.actions.every((a) => a.parameters.duration === 'PT10M')).toBe(true);
  });

  test('only the regions the experiment region is peered with (hub-and-spoke spoke: the hub alone)', () => {
    const spoke = plan({ ...aurora, network: { peering: 'hub-and-spoke', hub: 'us-west-2' } }).experiments.find((e) => e.kind === 'region-isolation');
    expect(spoke?.actions.map((a) => a.parameters.region)).toEqual(['us-west-2']);
  });

  test('Aurora: says what it does not disrupt (global replication), stops on the writer alarm', () => {
    const iso = experiment(aurora, 'region-isolation');
    expect(iso.description).toMatch(/Does not disrupt Aurora global database replication/);
    expect(iso.stopAlarmIds).toEqual(['use1-writer-unavailable']);
  });

  test('DynamoDB with peering: the route cuts plus a replication pause over their whole length, stopping on the guards', () => {
    const p = plan(dynamo);
    const iso = p.experiments.find((e) => e.kind === 'region-isolation');
    expect(iso?.actions.map((a) => [a.name, a.actionId, a.parameters.duration, a.startAfter])).toEqual([
      ['isolate-from-use2', 'aws:network:route-table-disrupt-cross-region-connectivity', 'PT10M', undefined],
      ['isolate-from-usw2', 'aws:network:route-table-disrupt-cross-region-connectivity', 'PT10M', ['isolate-from-use2']],
      ['pause-replication', 'aws:dynamodb:global-table-pause-replication', 'PT20M', undefined],
    ]);
    expect(iso?.description).toMatch(/does not travel through customer subnets, so pausing it is what cuts the data path/);
    expect(iso?.stopAlarmIds).toEqual(['use1-to-use2-replication-stalled', 'use1-to-usw2-replication-stalled']);
  });

  test('targets every subnet of the deployment in the region (topology tag alone), whatever the application layout', () => {
    // GIVEN a region without application subnets, one with public + private, one private only
    const spec: GeoSpec = {
      ...aurora,
      network: { applicationSubnets: 'public-and-private' },
      regions: [{ name: 'us-east-1', role: 'primary', applicationSubnets: 'none' }, { name: 'us-west-2', role: 'secondary' }, { name: 'eu-west-1', role: 'secondary', applicationSubnets: 'private-with-endpoints' }],
    };
    // WHEN planned with each layout on the primary (isolation runs in the primary region)
    for (const [primaryLayout, words] of [
      ['none', 'data subnets'],
      ['public-and-private', 'data and application subnets (public and private)'],
      ['private-with-endpoints', 'data and application subnets'],
    ] as const) {
      const regions = spec.regions.map((r, i) => (i === 0 ? { ...r, applicationSubnets: primaryLayout } : r));
      const iso = experiment({ ...spec, regions }, 'region-isolation');
      // THEN one target: the subnets carrying the plan's topology tag, no tier in the selection (FIS ANDs the tags)
      expect(iso.targets).toEqual([{ key: 'Subnets', resourceType: 'aws:ec2:subnet', selectionMode: 'ALL', resourceTags: { 'meridian:topology': 'shop' } }]);
      // and the description says which subnets are cut, from the plan's layout of that region
      expect(iso.description).toMatch(new RegExp(`^Cut us-east-1's ${words.replace(/[()]/g, '\\$&')} off from us-west-2, then eu-west-1, 10 min each`));
    }
  });

  test('the target tags are what every planned subnet carries: topology for all tiers, the tier tag tells them apart', () => {
    expect(subnetTags('shop', 'data')).toEqual({ 'meridian:topology': 'shop', 'meridian:subnet-tier': 'data' });
    expect(subnetTags('shop', 'public')).toEqual({ 'meridian:topology': 'shop', 'meridian:subnet-tier': 'public' });
    expect(subnetTags('shop', 'application')).toEqual({ 'meridian:topology': 'shop', 'meridian:subnet-tier': 'application' });
    const target = experiment(aurora, 'region-isolation').targets[0]?.resourceTags ?? {};
    // FIS selects a subnet when it carries every tag of the target: each tier's tags contain the target's
    for (const tier of ['data', 'public', 'application'] as const) expect(subnetTags('shop', tier)).toMatchObject(target);
    // and the region's own tags (on every resource of the region) hold the same topology
    expect(plan(aurora).regions.every((r) => r.tags['meridian:topology'] === target['meridian:topology'])).toBe(true);
  });

  test('DynamoDB: the description names the subnets cut beside the replication pause', () => {
    const iso = experiment({ ...dynamo, network: { applicationSubnets: 'private-with-endpoints' } }, 'region-isolation');
    expect(iso.description).toMatch(/^Cut us-east-1's data and application subnets off from us-east-2, then us-west-2/);
    expect(iso.targets.map((t) => [t.key, t.resourceTags])).toEqual([['Subnets', { 'meridian:topology': 'shop' }], ['Tables', undefined]]);
  });

  test('with many peers the description fits FIS (512 characters), marked as cut, while the actions still name every peer', () => {
    // GIVEN: sixteen DynamoDB regions in full mesh, so the isolation lists fifteen peers (about 560 characters uncut)
    const names: RegionCode[] = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-southeast-2', 'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1', 'sa-east-1'];
    const many: GeoSpec = { ...dynamo, regions: names.map((name) => ({ name, role: 'active' as const })), network: { peering: 'full-mesh', applicationSubnets: 'public-and-private' } };
    // WHEN
    const isolations = plan(many).experiments.filter((e) => e.kind === 'region-isolation');
    // THEN
    expect(isolations.length).toBeGreaterThan(0);
    for (const iso of isolations) {
      expect(iso.description.length).toBeLessThanOrEqual(FIS_QUOTAS.descriptionMaxLength);
      expect(iso.actions.filter((a) => a.name.startsWith('isolate-from-'))).toHaveLength(names.length - 1);
    }
    expect(isolations.some((e) => e.description.endsWith('…') && e.description.length === FIS_QUOTAS.descriptionMaxLength)).toBe(true);
  });

  test('without peering: refused on Aurora, and on DynamoDB when the pause experiment already covers it', () => {
    expect(() => plan({ ...aurora, network: { peering: 'none' }, experiments: ['region-isolation'] }))
      .toThrow(/experiments: region-isolation: us-east-1 is peered with no region, so cutting its cross-region routes disrupts nothing, and Aurora global replication does not travel through its subnets/);
    expect(plan({ ...aurora, network: { peering: 'none' } }).experiments.map((e) => e.kind)).toEqual(['database-failover']);
    expect(() => plan({ ...dynamo, network: { peering: 'none' }, experiments: ['region-isolation', 'dynamodb-replication-pause'] }))
      .toThrow(/region-isolation: us-east-1 is peered with no region, so isolating it only pauses replication, which dynamodb-replication-pause already rehearses/);
    // Asked for alone, it pauses replication: the only part of isolation that reaches the data path.
    const alone = plan({ ...dynamo, network: { peering: 'none' }, experiments: ['region-isolation'] }).experiments;
    expect(alone.map((e) => e.actions.map((a) => a.actionId))).toEqual([['aws:dynamodb:global-table-pause-replication']]);
  });
});

describe('stop conditions that can trip', () => {
  test('replication pause stops on guards: missing data breaching, over more than the pause plus 5 minutes', () => {
    const p = plan(dynamo);
    const pause = p.experiments.find((e) => e.kind === 'dynamodb-replication-pause');
    const guards = p.alarms.list.filter((a) => pause?.stopAlarmIds.includes(a.id));
    expect(guards.map((g) => [g.id, g.metricName, g.dimensions.ReceivingRegion, g.treatMissingData])).toEqual([
      ['use1-to-use2-replication-stalled', 'ReplicationLatency', 'us-east-2', 'breaching'],
      ['use1-to-usw2-replication-stalled', 'ReplicationLatency', 'us-west-2', 'breaching'],
    ]);
    // The longest pause in us-east-1 is the isolation's 20 min; 25 one-minute periods outlast it.
    expect(guards.every((g) => g.evaluationPeriods === 25 && g.periodSeconds === 60)).toBe(true);
    // The lag alarms (missing data "missing", silent while paused) are not stop conditions of a pause.
    expect(pause?.stopAlarmIds.some((id) => id.includes('replication-latency'))).toBe(false);
  });

  test('lag alarm ids stay as they were', () => {
    const ids = plan(dynamo).alarms.list.filter((a) => a.kind === 'replication-lag').map((a) => a.id);
    expect(ids).toContain('use1-to-use2-replication-latency-critical');
    expect(ids).toContain('use2-to-use1-replication-latency-warning');
  });

  test('database failover says it rehearses the writer instance, not the region', () => {
    expect(experiment(aurora, 'database-failover').description).toMatch(/not losing the region: cross-region failover of the global database is not a FIS action/);
  });
});

describe('IAM statements: a table the plan owns', () => {
  test('every action has a target type and statements; the failover role may touch only its target cluster', () => {
    for (const entry of Object.values(FIS_ACTIONS)) expect(entry.statements.length).toBeGreaterThan(0);
    const dbfo = experiment(aurora, 'database-failover');
    expect(dbfo.statements.find((s) => s.sid === 'FailoverTargetCluster')).toEqual({
      sid: 'FailoverTargetCluster', actions: ['rds:FailoverDBCluster', 'rds:DescribeDBClusters'], resources: [{ target: 'Clusters' }],
    });
    // Log delivery comes last, once.
    expect(dbfo.statements.slice(-2).map((s) => s.sid)).toEqual(['DeliverExperimentLogs', 'FindExperimentLogGroup']);
  });

  test('dynamodb:InjectError only for multi-Region strong consistency tables', () => {
    const pauses = [{ actionId: 'aws:dynamodb:global-table-pause-replication' }];
    expect(fisStatements(pauses, false).flatMap((s) => s.actions)).not.toContain('dynamodb:InjectError');
    expect(fisStatements(pauses, true).find((s) => s.actions.includes('dynamodb:InjectError'))?.resources).toEqual([{ target: 'Tables' }]);
    const strong = experiment({ ...dynamo, data: { engine: 'dynamodb', classification: 'internal', consistency: 'strong' } }, 'dynamodb-replication-pause');
    expect(strong.statements.map((s) => s.sid)).toContain('InjectErrorsIntoStrongTable');
  });

  test('isolation: network-interface and VPC-endpoint permissions, deletions only of what FIS created', () => {
    const iso = experiment(aurora, 'region-isolation');
    const sids = iso.statements.map((s) => s.sid);
    expect(sids).toEqual(expect.arrayContaining(['CreateManagedNetworkInterface', 'DeleteManagedNetworkInterface', 'RerouteGatewayEndpoints']));
    for (const s of iso.statements.filter((x) => x.actions.some((a) => /^ec2:Delete(RouteTable|ManagedPrefixList|NetworkInterface)$/.test(a)))) {
      const onVpcOnly = s.resources.every((r) => r !== '*' && 'arn' in r && r.arn.resource === 'vpc/*');
      if (!onVpcOnly) expect(s.conditions).toEqual({ StringEquals: { 'aws:ResourceTag/managedByFIS': 'true' } });
    }
  });

  test('an action without a table entry is refused', () => {
    expect(() => fisStatements([{ actionId: 'aws:fis:inject-api-unavailable' }], false)).toThrow(/no permissions known for FIS action aws:fis:inject-api-unavailable; supported: aws:network:route-table-disrupt-cross-region-connectivity/);
  });
});
