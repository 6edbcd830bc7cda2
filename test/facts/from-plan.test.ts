import { emptyFacts, factsFromPlan } from '../../lib/facts';
import { loadSpecFile, plan } from '../../lib/model';
import { evaluate } from '../../lib/policy';

describe('factsFromPlan', () => {
  const orders = factsFromPlan(plan(loadSpecFile('examples/specs/orders.yaml')));

  test('regions carry role, catalog country and load', () => {
    expect(orders.regions).toEqual([
      { name: 'us-east-1', role: 'primary', country: 'US', jurisdiction: null, partitionId: 'main', acceptsWrites: true, peakRps: 4000, capacityRps: 8000 },
      { name: 'us-west-2', role: 'secondary', country: 'US', jurisdiction: null, partitionId: 'main', acceptsWrites: false, peakRps: 2500, capacityRps: 8000 },
      { name: 'eu-west-1', role: 'secondary', country: 'IE', jurisdiction: null, partitionId: 'main', acceptsWrites: false, peakRps: 1500, capacityRps: 3000 },
    ]);
  });

  test('failover records point at health checks by id', () => {
    expect(orders.dns.records).toEqual([
      { id: 'orders-us-east-1-primary', name: 'api.example.com', routing: 'failover', ttlSeconds: 60, setIdentifier: 'orders-us-east-1-primary', region: 'us-east-1', failover: 'PRIMARY', geolocation: null, healthCheckId: 'orders-us-east-1-health', type: 'CNAME', values: ['api-use1.example.com'], aliasTarget: null, latencyRegion: null, weight: null, geoproximity: null, zoneName: 'example.com' },
      { id: 'orders-us-west-2-secondary', name: 'api.example.com', routing: 'failover', ttlSeconds: 60, setIdentifier: 'orders-us-west-2-secondary', region: 'us-west-2', failover: 'SECONDARY', geolocation: null, healthCheckId: 'orders-us-west-2-health', type: 'CNAME', values: ['api-usw2.example.com'], aliasTarget: null, latencyRegion: null, weight: null, geoproximity: null, zoneName: 'example.com' },
    ]);
    expect(orders.dns.healthChecks.map((h) => h.id)).toEqual(['orders-us-east-1-health', 'orders-us-west-2-health', 'orders-eu-west-1-health']);
    expect(orders.dns.healthChecks[0]).toMatchObject({ region: 'us-east-1', type: 'HTTPS', fqdn: 'api-use1.example.com', intervalSeconds: 10, failureThreshold: 3 });
    // Each record answers with its region's endpoint (orders.yaml), in the plan's zone.
    expect(orders.dns.records.map((r) => [r.type, r.values, r.aliasTarget, r.zoneName])).toEqual([
      ['CNAME', ['api-use1.example.com'], null, 'example.com'], ['CNAME', ['api-usw2.example.com'], null, 'example.com'],
    ]);
  });

  test('one Aurora global cluster with a writer, secondaries and the headless one', () => {
    expect(orders.databases).toMatchObject([{
      id: 'orders-global', engine: 'aurora-postgresql', partitionId: 'main', jurisdiction: null, backupRegions: [],
      members: [
        { id: 'orders-us-east-1', region: 'us-east-1', role: 'primary', encrypted: true, keyRegion: 'us-east-1', deletionProtection: true, instances: 2 },
        { id: 'orders-us-west-2', region: 'us-west-2', role: 'secondary', encrypted: true, keyRegion: 'us-west-2', deletionProtection: true, instances: 1 },
        { id: 'orders-eu-west-1', region: 'eu-west-1', role: 'secondary', encrypted: true, keyRegion: 'eu-west-1', deletionProtection: true, instances: 0 },
      ],
    }]);
    // plan.protection decides removal; each member is encrypted with its own region's key.
    expect(orders.databases[0]).toMatchObject({ removal: 'retain', deletionProtection: true, storageEncrypted: true });
    expect(orders.databases[0]?.members.map((m) => [m.keyId, m.removal])).toEqual([
      ['alias/meridian/orders@us-east-1', 'snapshot'], ['alias/meridian/orders@us-west-2', 'snapshot'], ['alias/meridian/orders@eu-west-1', 'snapshot'],
    ]);
  });

  test('protection values come from the plan: a plan that turns them off makes GEO-KMS-002, GEO-KMS-003 and GEO-DATA-001 fire', () => {
    const p = plan(loadSpecFile('examples/specs/orders.yaml'));
    const off = factsFromPlan({ ...p, protection: { ...p.protection!, keyRotation: false, storageEncrypted: false, deletionProtection: false } });
    const ids = evaluate(off).findings.filter((f) => !f.unknown).map((f) => `${f.ruleId} ${f.resource}`);
    expect(ids).toEqual(expect.arrayContaining([
      'GEO-KMS-002 alias/meridian/orders@us-east-1', 'GEO-KMS-003 orders-us-west-2', 'GEO-DATA-001 orders-eu-west-1',
    ]));
  });

  test('a plan without protection or routes (built by hand) gives unknowns, not passes', () => {
    const p = plan(loadSpecFile('examples/specs/orders.yaml'));
    const bare = factsFromPlan({ ...p, protection: undefined, network: { ...p.network, peerings: p.network.peerings.map(({ routes: _r, ...rest }) => rest) } });
    expect(bare.keys.every((k) => k.rotation === undefined)).toBe(true);
    expect(bare.databases[0]?.members.every((m) => m.encrypted === undefined && m.deletionProtection === undefined)).toBe(true);
    expect(bare.peerings.every((x) => x.routes === null)).toBe(true);
    const unknown = evaluate(bare).findings.filter((f) => f.unknown).map((f) => f.ruleId);
    expect(unknown).toEqual(expect.arrayContaining(['GEO-KMS-002', 'GEO-KMS-003', 'GEO-DATA-001']));
  });

  test('keys, networks, peerings (routes on both sides), objectives and data', () => {
    expect(orders.keys.map((k) => [k.id, k.region, k.rotation])).toEqual([
      ['alias/meridian/orders@us-east-1', 'us-east-1', true], ['alias/meridian/orders@us-west-2', 'us-west-2', true], ['alias/meridian/orders@eu-west-1', 'eu-west-1', true],
    ]);
    expect(orders.networks.map((n) => n.cidr)).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
    expect(orders.peerings).toHaveLength(3);
    expect(orders.peerings.map((p) => [p.id, p.routes, p.requesterCidr, p.accepterCidr])).toEqual([
      ['orders-use1-usw2', { requester: true, accepter: true }, '10.0.0.0/16', '10.1.0.0/16'],
      ['orders-use1-euw1', { requester: true, accepter: true }, '10.0.0.0/16', '10.2.0.0/16'],
      ['orders-usw2-euw1', { requester: true, accepter: true }, '10.1.0.0/16', '10.2.0.0/16'],
    ]);
    expect(orders.objectives).toEqual({ rtoSeconds: 900, rpoSeconds: 30 });
    expect(orders.data).toEqual({ engine: 'aurora-postgresql', classification: 'confidential', residency: null, consistency: 'read-your-writes', quorum: null });
    expect(orders.mode).toBe('active-passive');
    expect(orders.topology).toBe('orders');
  });

  test('alarms in seconds with subject regions; experiments stop on alarm names', () => {
    const lag = orders.alarms.filter((a) => a.kind === 'replication-lag');
    expect(lag.map((a) => [a.subjectRegion, a.level, a.thresholdSeconds])).toEqual([
      ['us-west-2', 'warning', 30], ['us-west-2', 'critical', 300], ['eu-west-1', 'warning', 30], ['eu-west-1', 'critical', 300],
    ]);
    expect(orders.alarms.find((a) => a.kind === 'writer-unavailable')?.thresholdSeconds).toBeNull();
    const ids = new Set(orders.alarms.map((a) => a.id));
    for (const e of orders.experiments) {
      expect(e.stopConditions!.length).toBeGreaterThan(0);
      for (const s of e.stopConditions!) expect(ids.has(s.alarmId as string)).toBe(true);
    }
  });

  test('DynamoDB partitions: every member is a replica of its jurisdiction', () => {
    const facts = factsFromPlan(plan({
      name: 'eu', mode: 'partitioned',
      regions: [{ name: 'eu-west-1', role: 'active', jurisdiction: 'EU' }, { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }],
      data: { engine: 'dynamodb', classification: 'pii', residency: ['EU', 'US'] },
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
      suppressions: [{ rule: 'GEO-RESILIENCE-002', reason: 'US partition is rebuilt from the ledger', resource: 'eu-us' }],
    }));
    expect(facts.databases.map((d) => [d.id, d.jurisdiction, d.members.map((m) => [m.id, m.role, m.instances])])).toEqual([
      ['eu-eu', 'EU', [['eu-eu@eu-west-1', 'replica', null], ['eu-eu@eu-central-1', 'replica', null]]],
      ['eu-us', 'US', [['eu-us@us-east-1', 'replica', null]]],
    ]);
    expect(facts.regions.map((r) => r.jurisdiction)).toEqual(['EU', 'EU', 'US']);
    expect(facts.suppressions).toEqual([{ rule: 'GEO-RESILIENCE-002', reason: 'US partition is rebuilt from the ledger', resource: 'eu-us' }]);
  });

  test('empty facts evaluate to no findings', () => {
    expect(evaluate(emptyFacts()).findings).toEqual([]);
  });
});
