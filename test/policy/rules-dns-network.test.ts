import { evaluate } from '../../lib/policy';
import type { DnsRecordFact, Facts } from '../../lib/facts';
import {
  dnsFailoverPair, dnsGeoDefault, dnsPrimaryHealth, dnsRoutedHealth, dnsTtl, healthInterval, healthThreshold,
  networkOverlap, networkRoutes,
} from '../../lib/policy/rules';
import { baseFacts, patch, run } from './helpers';
import { at } from '../../lib/model/lookup';

const records = (facts: Facts, change: (r: DnsRecordFact, i: number) => DnsRecordFact | undefined): Facts =>
  patch(facts, { dns: { ...facts.dns, records: facts.dns.records.map(change).filter((r): r is DnsRecordFact => !!r) } });

const geoFacts = () => baseFacts({
  mode: 'active-active',
  regions: [{ name: 'us-east-1', role: 'active' }, { name: 'eu-west-1', role: 'active' }],
  data: { engine: 'dynamodb', classification: 'internal' },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation' },
});

/** A record made an alias to a resource of the artifact (kind as the readers name it), without a health check of its own. */
const aliasTo = (r: DnsRecordFact, kind: string, evaluateTargetHealth: boolean | undefined): DnsRecordFact => ({
  ...r, healthCheckId: null, ttlSeconds: null, values: null,
  aliasTarget: { dnsName: undefined, evaluateTargetHealth, resource: { kind, type: kind === 'load-balancer' ? 'AWS::ElasticLoadBalancingV2::LoadBalancer' : 'AWS::CloudFront::Distribution', id: `Target${r.id}`, region: r.region ?? null } },
});

describe('GEO-DNS-001 routed TTL <= 60 s', () => {
  test('compliant: default 60 s', () => expect(run(dnsTtl, baseFacts())).toEqual([]));
  test('non-compliant: 300 s on both failover records', () => {
    const facts = baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', ttlSeconds: 300 } });
    expect(run(dnsTtl, facts)).toEqual(['GEO-DNS-001 shop-us-east-1-primary', 'GEO-DNS-001 shop-us-west-2-secondary']);
  });
  test('simple and alias records are not routed', () => {
    const facts = records(baseFacts(), (r, i) => (i === 0 ? { ...r, routing: 'simple', ttlSeconds: 3600 } : { ...r, ttlSeconds: null }));
    expect(run(dnsTtl, facts)).toEqual([]);
  });
  test('unknown TTL', () => {
    expect(run(dnsTtl, records(baseFacts(), (r, i) => (i === 1 ? { ...r, ttlSeconds: undefined } : r)))).toEqual(['GEO-DNS-001 shop-us-west-2-secondary ?']);
  });
});

describe('GEO-DNS-002 failover PRIMARY has a health check', () => {
  test('compliant', () => expect(run(dnsPrimaryHealth, baseFacts())).toEqual([]));
  test('non-compliant: PRIMARY without health check', () => {
    expect(run(dnsPrimaryHealth, records(baseFacts(), (r) => ({ ...r, healthCheckId: null })))).toEqual(['GEO-DNS-002 shop-us-east-1-primary']);
  });
  test('unknown health check', () => {
    expect(run(dnsPrimaryHealth, records(baseFacts(), (r) => ({ ...r, healthCheckId: undefined })))).toEqual(['GEO-DNS-002 shop-us-east-1-primary ?']);
  });
  test('unknown failover role', () => {
    expect(run(dnsPrimaryHealth, records(baseFacts(), (r, i) => (i === 0 ? { ...r, failover: undefined } : r)))).toEqual(['GEO-DNS-002 shop-us-east-1-primary ?']);
  });
  test('compliant: an alias to the region\'s load balancer that evaluates target health needs no health check of its own', () => {
    expect(run(dnsPrimaryHealth, records(baseFacts(), (r) => aliasTo(r, 'load-balancer', true)))).toEqual([]);
  });
  test('non-compliant: the same alias with EvaluateTargetHealth off, or to a CloudFront distribution (which cannot evaluate it)', () => {
    expect(run(dnsPrimaryHealth, records(baseFacts(), (r) => aliasTo(r, 'load-balancer', false)))).toEqual(['GEO-DNS-002 shop-us-east-1-primary']);
    expect(run(dnsPrimaryHealth, records(baseFacts(), (r) => aliasTo(r, 'cloudfront-distribution', true)))).toEqual(['GEO-DNS-002 shop-us-east-1-primary']);
  });
  test('unknown: an alias to a load balancer whose EvaluateTargetHealth is unresolved', () => {
    expect(run(dnsPrimaryHealth, records(baseFacts(), (r) => aliasTo(r, 'load-balancer', undefined)))).toEqual(['GEO-DNS-002 shop-us-east-1-primary ?']);
  });
});

describe('GEO-DNS-003 geolocation default record', () => {
  test('compliant: the plan adds a * record', () => expect(run(dnsGeoDefault, geoFacts())).toEqual([]));
  test('not applicable to failover routing', () => expect(run(dnsGeoDefault, baseFacts())).toEqual([]));
  test('non-compliant: no default', () => {
    expect(run(dnsGeoDefault, records(geoFacts(), (r) => (r.geolocation?.countryCode === '*' ? undefined : r)))).toEqual(['GEO-DNS-003 api.example.com']);
  });
  test('unknown location', () => {
    const facts = records(geoFacts(), (r) => (r.geolocation?.countryCode === '*' ? { ...r, geolocation: undefined } : r));
    expect(run(dnsGeoDefault, facts)).toEqual(['GEO-DNS-003 api.example.com ?']);
  });
});

describe('GEO-DNS-004 one PRIMARY and a SECONDARY', () => {
  test('compliant', () => expect(run(dnsFailoverPair, baseFacts())).toEqual([]));
  test('compliant: active-active with latency routing needs no failover records', () => {
    expect(run(dnsFailoverPair, baseFacts({
      mode: 'active-active', regions: [{ name: 'us-east-1', role: 'active' }, { name: 'us-west-2', role: 'active' }],
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    }))).toEqual([]);
  });
  test('non-compliant: two PRIMARY records and no SECONDARY', () => {
    expect(run(dnsFailoverPair, records(baseFacts(), (r) => ({ ...r, failover: 'PRIMARY' })))).toEqual([
      'GEO-DNS-004 api.example.com', 'GEO-DNS-004 api.example.com',
    ]);
  });
  test('non-compliant: active-passive routed by latency has no failover records', () => {
    expect(run(dnsFailoverPair, baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' } }))).toEqual(['GEO-DNS-004 dns']);
  });
  test('unknown mode with no failover records', () => {
    const f = baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' } });
    expect(run(dnsFailoverPair, patch(f, { mode: undefined }))).toEqual(['GEO-DNS-004 mode ?']);
  });
  test('unknown failover role', () => {
    expect(run(dnsFailoverPair, records(baseFacts(), (r, i) => (i === 1 ? { ...r, failover: undefined } : r)))).toEqual(['GEO-DNS-004 api.example.com ?']);
  });
});

describe('GEO-DNS-005 routed records have health checks', () => {
  test('compliant', () => expect(run(dnsRoutedHealth, geoFacts())).toEqual([]));
  test('failover records are GEO-DNS-002\'s business', () => {
    expect(run(dnsRoutedHealth, records(baseFacts(), (r) => ({ ...r, healthCheckId: null })))).toEqual([]);
  });
  test('non-compliant: geolocation record without a health check', () => {
    const facts = records(geoFacts(), (r, i) => (i === 0 ? { ...r, healthCheckId: null } : r));
    expect(run(dnsRoutedHealth, facts)).toEqual([`GEO-DNS-005 ${at(geoFacts().dns.records, 0, 'DNS record').id}`]);
  });
  test('unknown', () => {
    const facts = records(geoFacts(), (r, i) => (i === 0 ? { ...r, healthCheckId: undefined } : r));
    expect(run(dnsRoutedHealth, facts)).toEqual([`GEO-DNS-005 ${at(geoFacts().dns.records, 0, 'DNS record').id} ?`]);
  });
  test('aliases to a load balancer: compliant when they evaluate target health, non-compliant when not, unknown when unresolved', () => {
    const first = at(geoFacts().dns.records, 0, 'DNS record').id;
    const withFirst = (kind: string, eth: boolean | undefined) => records(geoFacts(), (r, i) => (i === 0 ? aliasTo(r, kind, eth) : r));
    expect(run(dnsRoutedHealth, withFirst('load-balancer', true))).toEqual([]);
    expect(run(dnsRoutedHealth, withFirst('load-balancer', false))).toEqual([`GEO-DNS-005 ${first}`]);
    expect(run(dnsRoutedHealth, withFirst('cloudfront-distribution', true))).toEqual([`GEO-DNS-005 ${first}`]);
    expect(run(dnsRoutedHealth, withFirst('load-balancer', undefined))).toEqual([`GEO-DNS-005 ${first} ?`]);
  });
});

const checks = (facts: Facts, change: Partial<Facts['dns']['healthChecks'][number]>): Facts =>
  patch(facts, { dns: { ...facts.dns, healthChecks: facts.dns.healthChecks.map((h, i) => (i === 0 ? { ...h, ...change } : h)) } });

describe('GEO-HEALTH-001 interval 10 or 30', () => {
  test.each([10, 30])('compliant: %i s', (intervalSeconds) => expect(run(healthInterval, checks(baseFacts(), { intervalSeconds }))).toEqual([]));
  test.each([15, 60, 0])('non-compliant: %i s', (intervalSeconds) => {
    expect(run(healthInterval, checks(baseFacts(), { intervalSeconds }))).toEqual(['GEO-HEALTH-001 shop-us-east-1-health']);
  });
  test('unknown', () => expect(run(healthInterval, checks(baseFacts(), { intervalSeconds: undefined }))).toEqual(['GEO-HEALTH-001 shop-us-east-1-health ?']));
});

describe('GEO-HEALTH-002 failure threshold 1..10', () => {
  test.each([1, 3, 10])('compliant: %i', (failureThreshold) => expect(run(healthThreshold, checks(baseFacts(), { failureThreshold }))).toEqual([]));
  test.each([0, 11, 2.5])('non-compliant: %d', (failureThreshold) => {
    expect(run(healthThreshold, checks(baseFacts(), { failureThreshold }))).toEqual(['GEO-HEALTH-002 shop-us-east-1-health']);
  });
  test('unknown', () => expect(run(healthThreshold, checks(baseFacts(), { failureThreshold: undefined }))).toEqual(['GEO-HEALTH-002 shop-us-east-1-health ?']));
  test('the spec schema lets 11 through so the rule can judge it', () => {
    const facts = baseFacts({ dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'failover', healthCheck: { failureThreshold: 11 } } });
    expect(run(healthThreshold, facts)).toEqual(['GEO-HEALTH-002 shop-us-east-1-health', 'GEO-HEALTH-002 shop-us-west-2-health']);
  });
});

describe('GEO-NETWORK-001 CIDRs disjoint', () => {
  const nets = (...cidrs: (string | undefined)[]): Facts => patch(baseFacts(), {
    networks: cidrs.map((cidr, i) => ({ id: `vpc-${i}`, region: `r${i}`, cidr })),
  });
  test('compliant', () => expect(run(networkOverlap, nets('10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16'))).toEqual([]));
  test('non-compliant: containment', () => expect(run(networkOverlap, nets('10.1.0.0/16', '10.0.0.0/8'))).toEqual(['GEO-NETWORK-001 vpc-0']));
  test('non-compliant: every overlapping pair once', () => {
    expect(run(networkOverlap, nets('10.0.0.0/16', '10.2.0.0/16', '10.0.128.0/17', '10.0.0.0/15'))).toEqual([
      'GEO-NETWORK-001 vpc-0', 'GEO-NETWORK-001 vpc-2', 'GEO-NETWORK-001 vpc-2',
    ]);
  });
  test('malformed CIDR is a finding', () => expect(run(networkOverlap, nets('10.0.0.1/16'))).toEqual(['GEO-NETWORK-001 vpc-0']));
  test('unknown CIDR', () => expect(run(networkOverlap, nets('10.0.0.0/16', undefined))).toEqual(['GEO-NETWORK-001 vpc-1 ?']));
  test('message says which contains which', () => {
    const f = evaluate(nets('10.1.0.0/16', '10.0.0.0/8'), { rules: [networkOverlap] }).findings[0];
    expect(f?.message).toBe('vpc-1 (r1) 10.0.0.0/8 contains vpc-0 (r0) 10.1.0.0/16');
  });
  test('the plan allocates disjoint CIDRs', () => {
    expect(run(networkOverlap, baseFacts({ regions: [{ name: 'us-east-1', role: 'primary' }, { name: 'us-west-2', role: 'secondary', cidr: '10.0.0.0/16' }] }))).toEqual([]);
  });
});

describe('GEO-NETWORK-002 routes both sides', () => {
  const peer = (routes: Facts['peerings'][number]['routes']): Facts =>
    patch(baseFacts(), { peerings: [{ id: 'pcx', requesterRegion: 'us-east-1', accepterRegion: 'us-west-2', routes }] });
  test('not applicable when facts carry no routes (plans)', () => expect(run(networkRoutes, baseFacts())).toEqual([]));
  test('compliant', () => expect(run(networkRoutes, peer({ requester: true, accepter: true }))).toEqual([]));
  test('non-compliant: accepter side missing', () => expect(run(networkRoutes, peer({ requester: true, accepter: false }))).toEqual(['GEO-NETWORK-002 pcx']));
  test('unknown', () => expect(run(networkRoutes, peer({ requester: undefined, accepter: true }))).toEqual(['GEO-NETWORK-002 pcx ?']));
  test('unknown routes', () => expect(run(networkRoutes, peer(undefined))).toEqual(['GEO-NETWORK-002 pcx ?']));
});
