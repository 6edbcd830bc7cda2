/**
 * The decisions plan() makes once for both renderers: data settings per engine, the subnet layout and
 * Availability Zones per region, database clients, secrets and retention.
 */
import { plan, regionInfo, SpecError, type GeoSpec } from '../../lib/model';
import { THREE_REGION_SPEC } from './fixtures';

const base: GeoSpec = THREE_REGION_SPEC;

const withData = (data: Partial<GeoSpec['data']>, patch: Partial<GeoSpec> = {}): GeoSpec => ({ ...base, ...patch, data: { ...base.data, ...data } });

describe('cluster parameters per engine', () => {
  test.each([
    ['eventual', 'EVENTUAL'],
    ['read-your-writes', 'SESSION'],
    ['strong', 'GLOBAL'],
  ] as const)('PostgreSQL with write forwarding: apg_write_forward.consistency_mode follows consistency %s → %s', (consistency, mode) => {
    const p = plan(withData({ consistency, writeForwarding: true }));
    expect(p.data.clusterParameters).toEqual({ 'rds.force_ssl': '1', 'apg_write_forward.consistency_mode': mode });
    expect(p.data.clusterParameterFamily).toBe('aurora-postgresql16');
  });

  test('MySQL: TLS, the audit log (so the exported audit log is not empty) and, with forwarding, aurora_replica_read_consistency', () => {
    const p = plan(withData({ engine: 'aurora-mysql', consistency: 'read-your-writes', writeForwarding: true }));
    expect(p.data.clusterParameters).toEqual({
      require_secure_transport: 'ON',
      server_audit_logging: '1',
      server_audit_events: 'CONNECT,QUERY_DCL,QUERY_DDL',
      aurora_replica_read_consistency: 'SESSION',
    });
    expect(p.data.logExports).toEqual(['audit', 'error', 'slowquery']);
    expect(p.data.clusterParameterFamily).toBe('aurora-mysql8.0');
  });

  test('without write forwarding no consistency parameter is set; DynamoDB has no cluster settings', () => {
    expect(plan(withData({ writeForwarding: false })).data.clusterParameters).toEqual({ 'rds.force_ssl': '1' });
    const ddb = plan({ ...base, mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }], data: { engine: 'dynamodb', classification: 'internal' }, dns: { ...base.dns, routing: 'latency' } });
    expect(ddb.data).toMatchObject({ clusterParameters: {}, logExports: [], monitoringIntervalSeconds: 0 });
    expect(ddb.regions.every((r) => r.promotionTiers.length === 0 && r.databaseClientCidrs.length === 0)).toBe(true);
  });

  test('one master user name, promotion tiers writer first, and a master secret replicated to every other region of the partition', () => {
    const p = plan(base);
    expect(p.data.masterUsername).toBe('clusteradmin');
    expect(p.regions.map((r) => r.promotionTiers)).toEqual([[0, 1], [0], []]);
    expect(p.data.partitions[0]).toMatchObject({
      masterSecretName: 'meridian/orders/orders-global/master',
      masterSecretReplicaRegions: ['us-west-2', 'eu-west-1'],
    });
  });

  test('retention: keys, logs, secret, global cluster and tables retained; clusters snapshot', () => {
    expect(plan(base).retention).toEqual({
      hostedZone: 'retain', keys: 'retain', logGroups: 'retain', masterSecret: 'retain', globalCluster: 'retain', clusters: 'snapshot', tables: 'retain',
      logRetentionDays: 365, keyDeletionWindowDays: 30, secretRecoveryWindowDays: 30,
    });
  });
});

describe('Availability Zones and data subnets', () => {
  test('the catalog records the zones an account can rely on: two in us-west-1, three elsewhere', () => {
    expect(regionInfo('us-west-1')?.reliableAvailabilityZones).toBe(2);
    expect(regionInfo('us-east-1')?.reliableAvailabilityZones).toBe(3);
  });

  test('a region gets 3 zones by default, us-west-1 only 2; one /24 data subnet per zone at the bottom of its CIDR', () => {
    const p = plan({ ...base, regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-1', role: 'secondary' }] });
    const [east, west] = p.regions;
    expect(east?.availabilityZoneCount).toBe(3);
    expect(east?.dataSubnets).toEqual([
      { cidr: '10.0.0.0/24', zoneIndex: 0 }, { cidr: '10.0.1.0/24', zoneIndex: 1 }, { cidr: '10.0.2.0/24', zoneIndex: 2 },
    ]);
    // Never a zone index us-west-1 may not have.
    expect(west?.availabilityZoneCount).toBe(2);
    expect(west?.dataSubnets.map((s) => s.zoneIndex)).toEqual([0, 1]);
  });

  test('a spec asking for more zones than a region can rely on is refused, naming the region and the allowed range', () => {
    const spec: GeoSpec = { ...base, network: { availabilityZones: 3 }, regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-1', role: 'secondary' }] };
    expect(() => plan(spec)).toThrow(SpecError);
    expect(() => plan(spec)).toThrow(/network.availabilityZones: regions\[1\] us-west-1: accounts can rely on only 2 Availability Zones there .*allowed: 2 to 2 \(got 3\)/);
    expect(() => plan({ ...spec, network: { availabilityZones: 4 }, regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-east-2', role: 'secondary' }] }))
      .toThrow(/us-east-1: accounts can rely on only 3 Availability Zones there/);
  });

  test('small region CIDRs get smaller subnets; too small is refused with the field and the value', () => {
    const p = plan({ ...base, regions: [{ name: 'us-east-1', role: 'primary', cidr: '10.9.0.0/23' }, { name: 'us-west-2', role: 'secondary' }] });
    expect(p.regions[0]?.dataSubnets.map((s) => s.cidr)).toEqual(['10.9.0.0/25', '10.9.0.128/25', '10.9.1.0/25']);
    expect(() => plan({ ...base, regions: [{ name: 'us-east-1', role: 'primary', cidr: '10.9.0.0/28' }, { name: 'us-west-2', role: 'secondary' }] }))
      .toThrow(/regions\[0\].cidr: is too small for 3 data subnets of at least \/28; allowed: a prefix of \/26 or shorter \(got "10.9.0.0\/28"\)/);
  });

  test('database clients: the own CIDR, then the peers of the same data partition only', () => {
    const p = plan({
      ...base, mode: 'partitioned',
      regions: [
        { name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }, { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' },
        { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
      ],
      dns: { ...base.dns, routing: 'geolocation' },
    });
    const euw1 = p.regions[0];
    expect(euw1?.databaseClientCidrs).toEqual([
      { cidr: euw1?.cidr, region: 'eu-west-1' },
      { cidr: p.regions[1]?.cidr, region: 'eu-central-1' },
    ]);
  });
});

describe('health-checker regions', () => {
  test('a checker region listed twice is an error in the plan, not silently de-duplicated by a renderer', () => {
    const spec: GeoSpec = { ...base, dns: { ...base.dns, healthCheck: { checkerRegions: ['us-east-1', 'us-east-1', 'eu-west-1', 'us-west-2'] } } };
    expect(() => plan(spec)).toThrow(SpecError);
    expect(() => plan(spec)).toThrow(/dns.healthCheck.checkerRegions: checker regions must not repeat/);
  });
});
