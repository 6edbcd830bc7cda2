import type { DnsRecordFact, Facts } from '../../lib/facts';
import { plan, type GeoSpec } from '../../lib/model';
import { factsFromPlan } from '../../lib/facts';
import { answerLabel, routeUnder, simulateFailures, type ClientPopulation } from '../../lib/policy';
import { failureNoAnswer, failureResidency, failureSingleRegionJurisdiction } from '../../lib/policy/rules';
import { baseFacts, patch, run } from './helpers';

const partitioned = (dns: Partial<GeoSpec['dns']> = {}, overrides: Partial<GeoSpec> = {}): GeoSpec => ({
  name: 'patients',
  mode: 'partitioned',
  regions: [
    { name: 'eu-central-1', role: 'active', jurisdiction: 'EU' }, { name: 'eu-west-3', role: 'active', jurisdiction: 'EU' },
    { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' },
  ],
  data: { engine: 'aurora-postgresql', classification: 'pii', residency: ['EU', 'US'] },
  dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geolocation', defaultRegion: 'us-east-1', ...dns },
  ...overrides,
});
const factsOf = (spec: GeoSpec) => factsFromPlan(plan(spec));
const records = (facts: Facts, change: (r: DnsRecordFact) => DnsRecordFact): Facts =>
  patch(facts, { dns: { ...facts.dns, records: facts.dns.records.map(change) } });
const population = (facts: Facts, id: string): ClientPopulation => {
  const found = simulateFailures(facts).populations.find((p) => p.id === id);
  if (!found) throw new Error(`no population ${id}`);
  return found;
};

/**
 * The partitioned layout before issue 9: every EU country straight at eu-central-1 with its health
 * check, the default at us-east-1. Route 53 falls back from an unhealthy country record to the default.
 */
function legacyPartitioned(): Facts {
  const facts = factsOf(partitioned());
  const hcOf = (region: string) => facts.dns.healthChecks.find((h) => h.region === region)?.id;
  const leaf = (r: DnsRecordFact, region: string): DnsRecordFact => ({
    ...r, region, healthCheckId: hcOf(region), aliasTarget: null, values: [`${region}.api.example.com`], ttlSeconds: 60,
  });
  return patch(facts, {
    dns: {
      ...facts.dns,
      records: facts.dns.records.filter((r) => r.name === 'api.example.com').map((r) => {
        const cc = r.geolocation?.countryCode;
        return leaf(r, cc === '*' || cc === 'US' ? 'us-east-1' : 'eu-central-1');
      }),
    },
  });
}

describe('failure simulation (Route 53 record selection)', () => {
  test('partitioned: EU countries alias a failover set over the EU regions', () => {
    // GIVEN the planned partitioned deployment
    const facts = factsOf(partitioned());
    const de = population(facts, 'api.example.com country:DE');
    // THEN DE users stay in the EU with any one region down
    expect(routeUnder(facts, de, []).regions).toEqual(['eu-central-1']);
    expect(routeUnder(facts, de, ['eu-central-1'])).toEqual({ regions: ['eu-west-3'], healthy: true });
    expect(routeUnder(facts, de, ['us-east-1']).regions).toEqual(['eu-central-1']);
    // and with both EU regions down they get the (dead) EU primary, not the US: no evaluate-target-health fallback
    expect(routeUnder(facts, de, ['eu-central-1', 'eu-west-3'])).toEqual({ regions: ['eu-central-1'], healthy: false });
  });

  test('crossBorderFallback sends a jurisdiction whose regions are all down to the default', () => {
    const facts = factsOf(partitioned({ crossBorderFallback: true }));
    const de = population(facts, 'api.example.com country:DE');
    expect(routeUnder(facts, de, ['eu-central-1', 'eu-west-3'])).toEqual({ regions: ['us-east-1'], healthy: true });
    expect(routeUnder(facts, de, ['eu-central-1'])).toEqual({ regions: ['eu-west-3'], healthy: true });
  });

  test('legacy layout: an unhealthy country record falls back to the default record', () => {
    const facts = legacyPartitioned();
    expect(routeUnder(facts, population(facts, 'api.example.com country:FR'), ['eu-central-1'])).toEqual({ regions: ['us-east-1'], healthy: true });
  });

  test('latency: the nearest healthy region, by distance', () => {
    const facts = baseFacts({
      mode: 'active-active',
      regions: [{ name: 'us-east-1', role: 'active' }, { name: 'eu-west-1', role: 'active' }, { name: 'ap-southeast-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal' },
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'latency' },
    });
    const eu = population(facts, 'api.example.com latency:eu-west-1');
    expect(routeUnder(facts, eu, []).regions).toEqual(['eu-west-1']);
    // Dublin is nearer to N. Virginia than to Sydney.
    expect(routeUnder(facts, eu, ['eu-west-1']).regions).toEqual(['us-east-1']);
  });

  test('failover: SECONDARY while the PRIMARY is down; PRIMARY when both are (all unhealthy = all healthy)', () => {
    const facts = baseFacts();
    const all = population(facts, 'api.example.com all');
    expect(routeUnder(facts, all, ['us-east-1']).regions).toEqual(['us-west-2']);
    expect(routeUnder(facts, all, ['us-east-1', 'us-west-2'])).toEqual({ regions: ['us-east-1'], healthy: false });
  });

  test('weighted: healthy records of non-zero weight, zero weights only as a last resort', () => {
    const facts = baseFacts({
      mode: 'active-active',
      regions: [{ name: 'us-east-1', role: 'active', weight: 3 }, { name: 'us-west-2', role: 'active', weight: 0 }, { name: 'eu-west-1', role: 'active', weight: 1 }],
      data: { engine: 'dynamodb', classification: 'internal' },
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'weighted' },
    });
    const all = population(facts, 'api.example.com all');
    expect(routeUnder(facts, all, []).regions).toEqual(['us-east-1', 'eu-west-1']);
    expect(routeUnder(facts, all, ['us-east-1', 'eu-west-1']).regions).toEqual(['us-west-2']);
  });

  test('geoproximity: bias stretches a region\'s area (biased distance = distance × (1 − bias/100))', () => {
    const spec = (bias: number): Partial<GeoSpec> => ({
      mode: 'active-active',
      regions: [{ name: 'us-east-1', role: 'active' }, { name: 'eu-west-1', role: 'active', bias }, { name: 'us-west-2', role: 'active' }],
      data: { engine: 'dynamodb', classification: 'internal' },
      dns: { zoneName: 'example.com', recordName: 'api.example.com', routing: 'geoproximity' },
    });
    const plain = baseFacts(spec(0));
    // Oregon is ~3,700 km from N. Virginia and ~7,900 km from Dublin: us-east-1 takes over.
    expect(routeUnder(plain, population(plain, 'api.example.com geoproximity:us-west-2'), ['us-west-2']).regions).toEqual(['us-east-1']);
    // Bias 60 on Dublin: 7,900 × 0.4 ≈ 3,200 km < 3,700 km.
    const stretched = baseFacts(spec(60));
    expect(routeUnder(stretched, population(stretched, 'api.example.com geoproximity:us-west-2'), ['us-west-2']).regions).toEqual(['eu-west-1']);
  });

  test('an unresolved alias target makes the answer unknown, never a guess', () => {
    const facts = records(factsOf(partitioned()), (r) => (r.aliasTarget ? { ...r, aliasTarget: { ...r.aliasTarget, dnsName: undefined } } : r));
    const answer = routeUnder(facts, population(facts, 'api.example.com country:DE'), []);
    expect(answer.unknown).toMatch(/alias target/);
    expect(answerLabel(answer)).toBe('no answer');
  });
});

describe('GEO-FAILURE-001 personal and financial data stays in place when regions fail', () => {
  test('compliant: partitioned plan, every EU population in EU regions in every case', () => {
    expect(run(failureResidency, factsOf(partitioned()))).toEqual([]);
  });
  test('not applicable to internal data', () => {
    expect(run(failureResidency, factsOf(partitioned({ crossBorderFallback: true }, {
      data: { engine: 'aurora-postgresql', classification: 'internal' },
    })))).toEqual([]);
  });
  test('non-compliant: crossBorderFallback sends EU users to us-east-1 when both EU regions are down', () => {
    const facts = factsOf(partitioned({ crossBorderFallback: true }));
    expect(run(failureResidency, facts)).toEqual(['GEO-FAILURE-001 api.example.com']);
    const [finding] = failureResidency.check(facts, { now: new Date() });
    expect(finding?.message).toMatch(/^AT, BE, BG and 24 more users -> us-east-1 when eu-central-1 and eu-west-3 are down/);
  });
  test('non-compliant: the legacy layout sends EU users to the US when eu-central-1 is down', () => {
    const messages = failureResidency.check(legacyPartitioned(), { now: new Date() }).map((f) => f.message);
    expect(messages.some((m) => /users -> us-east-1 when eu-central-1 is down/.test(m))).toBe(true);
    // The DE population is named in the single-region case.
    const de = failureResidency.check(patch(legacyPartitioned(), {
      dns: { ...legacyPartitioned().dns, records: legacyPartitioned().dns.records.filter((r) => ['DE', 'US', '*'].includes(r.geolocation?.countryCode ?? '')) },
    }), { now: new Date() }).map((f) => f.message);
    expect(de).toContain('DE users -> us-east-1 when eu-central-1 is down: us-east-1 is outside the EU partition, so pii data would be served from the wrong place');
  });
  test('unknown: unresolved classification, and an unresolved health check', () => {
    const facts = factsOf(partitioned());
    expect(run(failureResidency, patch(facts, { data: facts.data ? { ...facts.data, classification: undefined } : null }))).toEqual(['GEO-FAILURE-001 data ?']);
    const unresolved = records(facts, (r) => (r.geolocation?.countryCode === 'DE' ? r : r.region === 'eu-central-1' ? { ...r, healthCheckId: undefined } : r));
    expect(run(failureResidency, unresolved)).toContain('GEO-FAILURE-001 api.example.com ?');
  });
});

describe('GEO-FAILURE-002 every population keeps a healthy answer when one region fails', () => {
  test('compliant: partitioned plan and failover plan', () => {
    expect(run(failureNoAnswer, factsOf(partitioned()))).toEqual([]);
    expect(run(failureNoAnswer, baseFacts())).toEqual([]);
  });
  test('non-compliant: a SECONDARY without a health check keeps answering while its region is down', () => {
    const facts = records(baseFacts(), (r) => (r.failover === 'PRIMARY' ? { ...r, healthCheckId: null } : r));
    // PRIMARY without health check: Route 53 never leaves it.
    expect(run(failureNoAnswer, facts)).toEqual(['GEO-FAILURE-002 api.example.com']);
    const [finding] = failureNoAnswer.check(facts, { now: new Date() });
    expect(finding?.message).toBe('all users -> us-east-1 when us-east-1 is down, although us-west-2 could serve them');
  });
  test('not reported when no region inside the jurisdiction is left', () => {
    const spec = partitioned({}, {
      regions: [{ name: 'eu-central-1', role: 'active', jurisdiction: 'DE' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' }],
    });
    expect(run(failureNoAnswer, factsOf(spec))).toEqual([]);
  });
  test('unknown: unresolved failover role', () => {
    const facts = records(baseFacts(), (r) => (r.failover === 'SECONDARY' ? { ...r, failover: undefined } : r));
    expect(run(failureNoAnswer, facts)).toEqual(['GEO-FAILURE-002 api.example.com ?']);
  });
});

describe('GEO-FAILURE-003 each jurisdiction is served by at least two regions', () => {
  test('compliant: two regions per jurisdiction', () => expect(run(failureSingleRegionJurisdiction, factsOf(partitioned()))).toEqual([]));
  test('not applicable outside partitioned mode', () => expect(run(failureSingleRegionJurisdiction, baseFacts())).toEqual([]));
  test('non-compliant: DE served by eu-central-1 alone', () => {
    const facts = factsOf(partitioned({}, {
      regions: [{ name: 'eu-central-1', role: 'active', jurisdiction: 'DE' }, { name: 'us-east-1', role: 'active', jurisdiction: 'US' }, { name: 'us-west-2', role: 'active', jurisdiction: 'US' }],
    }));
    expect(run(failureSingleRegionJurisdiction, facts)).toEqual(['GEO-FAILURE-003 DE']);
  });
  test('unknown: unresolved jurisdiction, unresolved mode', () => {
    const facts = factsOf(partitioned());
    expect(run(failureSingleRegionJurisdiction, patch(facts, { regions: facts.regions.map((r, i) => (i === 0 ? { ...r, jurisdiction: undefined } : r)) })))
      .toEqual(['GEO-FAILURE-003 eu-central-1 ?']);
    expect(run(failureSingleRegionJurisdiction, patch(facts, { mode: undefined }))).toEqual(['GEO-FAILURE-003 mode ?']);
  });
});
