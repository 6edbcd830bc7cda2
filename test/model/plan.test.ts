import fc from 'fast-check';
import {
  findOverlaps, loadSpecFile, parseCidr, parseSpec, plan, planParsed, REGION_CODES, regionInfo, SpecError, type GeoSpec,
} from '../../lib/model';

const activePassive: GeoSpec = {
  name: 'orders',
  mode: 'active-passive',
  regions: [
    { name: 'us-east-1', role: 'primary', endpoint: 'api-use1.example.com' },
    { name: 'us-west-2', role: 'secondary' },
    { name: 'eu-west-1', role: 'secondary', instances: 0 },
  ],
  data: { engine: 'aurora-postgresql', classification: 'confidential' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover' },
};

const partitioned: GeoSpec = {
  name: 'people',
  mode: 'partitioned',
  regions: [
    { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' },
    { name: 'eu-west-3', role: 'active', jurisdiction: 'EU' },
    { name: 'us-east-1', role: 'active', jurisdiction: 'US' },
    { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
  ],
  data: { engine: 'aurora-postgresql', classification: 'pii' },
  dns: { zoneName: 'example.eu', recordName: 'api.example.eu', routing: 'geolocation', defaultRegion: 'us-east-1' },
};

describe('plan()', () => {
  test('resolves the example spec file into names both renderers share', () => {
    // GIVEN the spec that bin/app.ts deploys
    const p = plan(loadSpecFile('examples/specs/orders.yaml'));
    // THEN stacks, keys and clusters are named per region
    expect(p.regions.map((r) => r.stackName)).toEqual(['orders-us-east-1', 'orders-us-west-2', 'orders-eu-west-1']);
    expect(p.regions.map((r) => r.clusterIdentifier)).toEqual(['orders-us-east-1', 'orders-us-west-2', 'orders-eu-west-1']);
    expect(p.data.partitions).toEqual([expect.objectContaining({ id: 'main', primaryRegion: 'us-east-1', globalClusterIdentifier: 'orders-global' })]);
    expect(p.dns).toMatchObject({ ttlSeconds: 60, homeRegion: 'us-east-1', stackName: 'orders-dns' });
    expect(p.dns.healthChecks.every((h) => h.intervalSeconds === 10 && h.failureThreshold === 3)).toBe(true);
  });

  test('allocates distinct /16s from the base CIDR in region order', () => {
    const p = plan(activePassive);
    expect(p.regions.map((r) => r.cidr)).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
    expect(p.regions.every((r) => !r.cidrFromSpec)).toBe(true);
  });

  test('keeps the CIDRs a user wrote and allocates around them', () => {
    const p = plan({ ...activePassive, regions: [
      { name: 'us-east-1', role: 'primary' },
      { name: 'us-west-2', role: 'secondary', cidr: '10.0.0.0/16' },
      { name: 'eu-west-1', role: 'secondary' },
    ] });
    expect(p.regions.map((r) => [r.cidr, r.cidrFromSpec])).toEqual([
      ['10.1.0.0/16', false], ['10.0.0.0/16', true], ['10.2.0.0/16', false],
    ]);
  });

  test('never rewrites overlapping CIDRs the user wrote; the NETWORK rule judges them', () => {
    const p = plan({ ...activePassive, regions: [
      { name: 'us-east-1', role: 'primary', cidr: '10.0.0.0/16' },
      { name: 'us-west-2', role: 'secondary', cidr: '10.0.4.0/24' },
    ] });
    expect(p.regions.map((r) => r.cidr)).toEqual(['10.0.0.0/16', '10.0.4.0/24']);
  });

  test('fails clearly when the base CIDR has no room left', () => {
    expect(() => plan({ ...activePassive, network: { baseCidr: '10.0.0.0/17', regionPrefixLength: 16 } }))
      .toThrow(/network.regionPrefixLength: must be at least the base prefix \/17/);
    expect(() => plan({ ...activePassive, network: { baseCidr: '10.0.0.0/16', regionPrefixLength: 17 } }))
      .toThrow(/regions\[2\]\.cidr: no free \/17 left in network.baseCidr 10.0.0.0\/16 for eu-west-1/);
  });

  test('active-passive: a PRIMARY and a SECONDARY failover record, each with a health check', () => {
    const p = plan(activePassive);
    expect(p.dns.records).toEqual([
      expect.objectContaining({ region: 'us-east-1', failover: 'PRIMARY', setIdentifier: 'orders-us-east-1-primary', healthCheckId: 'hc-use1' }),
      expect.objectContaining({ region: 'us-west-2', failover: 'SECONDARY', setIdentifier: 'orders-us-west-2-secondary', healthCheckId: 'hc-usw2' }),
    ]);
    expect(p.dns.healthChecks.find((h) => h.region === 'us-east-1')!.fqdn).toBe('api-use1.example.com');
    expect(p.dns.healthChecks.find((h) => h.region === 'us-west-2')!.fqdn).toBe('us-west-2.api.example.com');
  });

  test('partitioned: one data partition per jurisdiction; countries alias a failover set over their jurisdiction', () => {
    const p = plan(partitioned);
    expect(p.data.partitions.map((x) => [x.id, x.primaryRegion, x.regions, x.globalClusterIdentifier])).toEqual([
      ['eu', 'eu-central-1', ['eu-central-1', 'eu-west-3'], 'people-eu-global'],
      ['us', 'us-east-1', ['us-east-1', 'us-west-2'], 'people-us-global'],
    ]);
    // Each jurisdiction's set: the writer PRIMARY, the next region SECONDARY, each with its health check.
    expect(p.dns.records.filter((r) => r.name === 'eu.api.example.eu').map((r) => [r.region, r.failover, r.healthCheckId])).toEqual([
      ['eu-central-1', 'PRIMARY', 'hc-euc1'], ['eu-west-3', 'SECONDARY', 'hc-euw3'],
    ]);
    expect(p.dns.records.filter((r) => r.name === 'us.api.example.eu').map((r) => [r.region, r.failover])).toEqual([
      ['us-east-1', 'PRIMARY'], ['us-west-2', 'SECONDARY'],
    ]);
    const countries = p.dns.records.filter((r) => r.geolocation?.countryCode && r.geolocation.countryCode !== '*');
    // Country records are aliases without a health check and without evaluate-target-health (no cross-border fallback).
    expect(countries.filter((r) => r.aliasTo?.name === 'eu.api.example.eu')).toHaveLength(27);
    expect(countries.filter((r) => r.aliasTo?.name === 'us.api.example.eu').map((r) => r.geolocation!.countryCode)).toEqual(['US']);
    expect(countries.every((r) => r.name === 'api.example.eu' && r.region === undefined && r.healthCheckId === undefined && r.aliasTo?.evaluateTargetHealth === false)).toBe(true);
    expect(p.dns.records.filter((r) => r.geolocation?.countryCode === '*')).toEqual([
      expect.objectContaining({ aliasTo: { name: 'us.api.example.eu', evaluateTargetHealth: false }, setIdentifier: 'people-default' }),
    ]);
    // Alias targets are planned before the aliases that lead to them.
    const firstAlias = p.dns.records.findIndex((r) => r.aliasTo);
    expect(p.dns.records.slice(firstAlias).every((r) => r.aliasTo)).toBe(true);
    expect(new Set(p.dns.records.map((r) => `${r.name} ${r.setIdentifier}`)).size).toBe(p.dns.records.length);
    expect(p.regions.find((r) => r.name === 'eu-west-3')!.tags['meridian:jurisdiction']).toBe('EU');
  });

  test('partitioned: DynamoDB jurisdictions route by latency over every region; crossBorderFallback evaluates target health', () => {
    const p = plan({ ...partitioned, data: { engine: 'dynamodb', classification: 'pii' }, dns: { ...partitioned.dns, crossBorderFallback: true } });
    expect(p.dns.records.filter((r) => r.name === 'eu.api.example.eu').map((r) => [r.region, r.latencyRegion])).toEqual([
      ['eu-central-1', 'eu-central-1'], ['eu-west-3', 'eu-west-3'],
    ]);
    expect(p.dns.crossBorderFallback).toBe(true);
    expect(p.dns.records.filter((r) => r.aliasTo).every((r) => r.aliasTo?.evaluateTargetHealth === true)).toBe(true);
  });

  test('crossBorderFallback outside partitioned geolocation is refused', () => {
    expect(() => plan({ ...activePassive, dns: { ...activePassive.dns, crossBorderFallback: true } }))
      .toThrow(/dns\.crossBorderFallback.*applies to partitioned mode with geolocation routing; this deployment is active-passive with failover routing/);
  });

  test('lag alarms: warning 30 s and critical 300 s in each secondary, in milliseconds', () => {
    const p = plan(activePassive);
    const lag = p.alarms.list.filter((a) => a.metricName === 'AuroraGlobalDBReplicationLag');
    expect(lag.map((a) => [a.region, a.level, a.threshold])).toEqual([
      ['us-west-2', 'warning', 30000], ['us-west-2', 'critical', 300000],
      ['eu-west-1', 'warning', 30000], ['eu-west-1', 'critical', 300000],
    ]);
    expect(lag.every((a) => a.dimensions.DBClusterIdentifier === `orders-${a.region}`)).toBe(true);
  });

  test('DynamoDB: replication latency alarms for every ordered pair of regions', () => {
    const p = plan({ ...activePassive, mode: 'active-active',
      regions: [{ name: 'us-east-1', role: 'active' }, { name: 'eu-west-1', role: 'active' }, { name: 'ap-southeast-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal' },
      dns: { ...activePassive.dns, routing: 'latency' } });
    const critical = p.alarms.list.filter((a) => a.kind === 'replication-lag' && a.level === 'critical');
    expect(critical).toHaveLength(6);
    expect(p.regions.every((r) => r.acceptsWrites)).toBe(true);
    expect(p.experiments.map((e) => e.kind)).toEqual(['region-isolation', 'dynamodb-replication-pause']);
  });

  test('experiments stop on critical alarms of their own region', () => {
    const p = plan(activePassive);
    for (const e of p.experiments) {
      expect(e.stopAlarmIds.length).toBeGreaterThan(0);
      for (const id of e.stopAlarmIds) {
        const alarm = p.alarms.list.find((a) => a.id === id)!;
        expect(alarm).toMatchObject({ region: e.region, level: 'critical' });
      }
    }
    const iso = p.experiments.find((e) => e.kind === 'region-isolation')!;
    expect(iso.actions.map((a) => a.parameters.region)).toEqual(['us-west-2', 'eu-west-1']);
  });

  test('single-region DynamoDB partitions: default experiments that cannot stop are skipped, requested ones refused', () => {
    const spec: GeoSpec = { ...partitioned,
      regions: [{ name: 'eu-central-1', role: 'active', jurisdiction: 'EU' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' }],
      data: { engine: 'dynamodb', classification: 'pii' } };
    expect(plan(spec).experiments.map((e) => e.id)).toEqual(['use1-region-isolation', 'use1-dynamodb-replication-pause']);
    expect(() => plan({ ...spec, experiments: ['dynamodb-replication-pause'] }))
      .toThrow(/experiments: dynamodb-replication-pause: partition eu has one region, so there is no replication to pause/);
    expect(() => plan({ ...spec, experiments: ['region-isolation'] }))
      .toThrow(/region-isolation: eu-central-1 has no critical alarm to stop the experiment on/);
  });

  test('peering: full mesh pairs every region once; hub-and-spoke goes through the hub', () => {
    expect(plan(activePassive).network.peerings.map((x) => x.id)).toEqual(['use1-usw2', 'use1-euw1', 'usw2-euw1']);
    const hub = plan({ ...activePassive, network: { peering: 'hub-and-spoke', hub: 'us-west-2' } });
    expect(hub.network.peerings.map((x) => x.id)).toEqual(['usw2-use1', 'usw2-euw1']);
    expect(plan({ ...activePassive, network: { peering: 'none' } }).network.peerings).toEqual([]);
  });

  test.each([
    ['two primaries', { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'eu-west-1', role: 'primary' }] }, /exactly one primary region, got 2 \(us-east-1, eu-west-1\)/],
    ['a secondary in the primary region', { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-east-1', role: 'secondary' }] }, /regions\[1\]\.name: region us-east-1 is listed twice/],
    ['an active role in active-passive', { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'eu-west-1', role: 'active' }] }, /role "active" is not allowed in active-passive mode/],
    ['write forwarding on DynamoDB', { data: { engine: 'dynamodb', classification: 'internal', writeForwarding: true } }, /data.writeForwarding: write forwarding is an Aurora feature/],
    ['a record outside the zone', { dns: { zoneName: 'example.com', recordName: 'api.example.org', routing: 'failover' } }, /dns.recordName: api.example.org is not inside the zone example.com/],
    ['failover routing in active-active', { mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'eu-west-1', role: 'active' }] }, /failover routing needs active-passive/],
    ['a headless primary', { regions: [{ name: 'us-east-1', role: 'primary', instances: 0 }, { name: 'eu-west-1', role: 'secondary' }] }, /primary region needs at least one Aurora instance/],
    ['a meridian: tag', { tags: { 'meridian:topology': 'x' } }, /cannot be overridden/],
    ['strong DynamoDB outside one MRSC region set', { mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'eu-west-1', role: 'active' }], data: { engine: 'dynamodb', classification: 'internal', consistency: 'strong' }, dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' } }, /multi-Region strong consistency: exactly 3 regions/],
    ['regions in two partitions', { regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'cn-north-1', role: 'secondary' }] }, /several AWS partitions \(aws, aws-cn\)/],
    ['a STR_MATCH check without a search string', { dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', healthCheck: { protocol: 'HTTPS_STR_MATCH' } } }, /needs a searchString/],
  ] as Array<[string, Partial<GeoSpec>, RegExp]>)('refuses %s', (_what, override, message) => {
    expect(() => plan({ ...activePassive, ...override } as GeoSpec)).toThrow(SpecError);
    expect(() => plan({ ...activePassive, ...override } as GeoSpec)).toThrow(message);
  });

  test('property: allocated CIDRs never overlap each other or the ones the user wrote', () => {
    fc.assert(fc.property(
      fc.uniqueArray(fc.constantFrom(...REGION_CODES.filter((r) => regionInfo(r)!.partition === 'aws')), { minLength: 2, maxLength: 8 }),
      fc.array(fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }), { minLength: 8, maxLength: 8 }),
      (regions, fixed) => {
        const used = new Set<number>();
        const spec: GeoSpec = {
          ...activePassive,
          regions: regions.map((name, i) => {
            const octet = fixed[i];
            const cidr = octet !== undefined && !used.has(octet) ? (used.add(octet), `10.${octet}.0.0/16`) : undefined;
            return { name, role: i === 0 ? 'primary' : 'secondary', cidr };
          }),
        };
        const p = plan(spec);
        const items = p.regions.map((r) => ({ cidr: parseCidr(r.cidr)! }));
        expect(findOverlaps(items)).toEqual([]);
        p.regions.forEach((r, i) => {
          const cidr = spec.regions[i]?.cidr;
          if (cidr) expect(r.cidr).toBe(cidr);
        });
      },
    ), { numRuns: 200 });
  });
});

describe('findOverlaps', () => {
  test('property: agrees with the pairwise check', () => {
    const block = fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 8, max: 24 }))
      .map(([o, prefix]) => parseCidr(`10.${o}.0.0/${Math.max(prefix, 16)}`) ?? parseCidr('10.0.0.0/8')!);
    fc.assert(fc.property(fc.array(block, { maxLength: 12 }), (cidrs) => {
      const items = cidrs.map((cidr, i) => ({ i, cidr }));
      const pairwise = new Set<string>();
      items.forEach((a, x) => items.slice(x + 1).forEach((b) => {
        if (a.cidr.start <= b.cidr.end && b.cidr.start <= a.cidr.end) pairwise.add([a.i, b.i].sort().join('-'));
      }));
      const swept = new Set(findOverlaps(items).map(([a, b]) => [a.i, b.i].sort().join('-')));
      expect(swept).toEqual(pairwise);
    }));
  });
});

describe('planParsed', () => {
  test.each([['active-passive', activePassive], ['partitioned', partitioned]])('plans a parsed %s spec as plan() does', (_name, spec) => {
    // GIVEN the parser's result (defaults filled, as `meridian check` holds it)
    const parsed = parseSpec(spec);
    // THEN skipping the second schema pass changes nothing
    expect(planParsed(parsed)).toEqual(plan(spec));
  });

  test('still applies the checks no schema can express', () => {
    // GIVEN a parsed spec with two primaries (the schema accepts it, plan() does not)
    const parsed = parseSpec({ ...activePassive, regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'primary' }] });
    // THEN
    expect(() => planParsed(parsed)).toThrow(/active-passive needs exactly one primary region, got 2 \(us-east-1, us-west-2\)/);
  });
});
