/**
 * The failure simulation indexes the DNS facts once (records by name, health checks by id, distances)
 * instead of scanning every fact for every record it looks at. Its answers must not change: on random
 * record graphs (alias chains and loops, every routing policy, mixed policies under one name, missing
 * and unknown fields, duplicate health-check ids, names that differ only in case or a trailing dot) it
 * gives the answer of the scanning resolver it replaced (failure-simulation-reference.ts) to every
 * population under every failure case, unknowns with the same reason.
 */
import fc from 'fast-check';
import { isDeepStrictEqual } from 'util';
import type { DnsRecordFact, Facts, HealthCheckFact } from '../../lib/facts';
import { routeUnder, simulateFailures, type ClientPopulation } from '../../lib/policy/failure-simulation';
import { baseFacts } from './helpers';
import { referenceRouteUnder } from './failure-simulation-reference';

const REGIONS = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'xx-nowhere-1'];
const NAMES = ['api.example.com', 'eu.example.com', 'US.example.com.', 'us.example.com', 'deep.example.com'];
const KINDS = ['failover', 'geolocation', 'latency', 'geoproximity', 'weighted', 'simple'] as const;
const BASE = baseFacts();

/** Mostly a value of `arb`, sometimes unknown (undefined), or (maybe) absent (null) where the type allows it. */
const known = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(undefined) });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.oneof({ weight: 30, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) });

const healthCheck = fc.record({
  id: fc.constantFrom('hc0', 'hc1', 'hc2', 'hc3'),
  region: fc.oneof({ weight: 10, arbitrary: fc.constantFrom(...REGIONS) }, { weight: 1, arbitrary: fc.constant(undefined) }),
});

const alias = fc.oneof(
  { weight: 3, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: fc.record({ dnsName: known(fc.constantFrom(...NAMES, 'lb-1.elb.amazonaws.com', 'dualstack.lb-2.eu-west-1.elb.amazonaws.com.', 'site.s3-website-us-east-1.amazonaws.com')), evaluateTargetHealth: known(fc.boolean()) }) },
  // A resource of the artifact (a load balancer, or a global distribution): the DNS name is deploy-time, or a name of the zone.
  {
    weight: 2,
    arbitrary: fc.record({
      dnsName: fc.oneof({ weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom(...NAMES) }),
      evaluateTargetHealth: known(fc.boolean()),
      // Mostly a load balancer; sometimes a target that passes on no health (an S3 website) or a global one.
      resource: fc.oneof(
        { weight: 4, arbitrary: fc.record({ kind: fc.constant('load-balancer'), type: fc.constant('AWS::ElasticLoadBalancingV2::LoadBalancer'), id: fc.constant('Lb'), region: maybe(fc.constantFrom(...REGIONS)) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('s3-website'), type: fc.constant('AWS::S3::Bucket'), id: fc.constant('Site'), region: maybe(fc.constantFrom(...REGIONS)) }) },
        { weight: 1, arbitrary: fc.record({ kind: fc.constant('cloudfront-distribution'), type: fc.constant('AWS::CloudFront::Distribution'), id: fc.constant('Cdn'), region: fc.constant(null) }) },
      ),
    }),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
  // Hand-written facts without the field at all: not an alias.
  { weight: 1, arbitrary: fc.constant('absent' as const) },
);

const record = fc.record({
  name: fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...NAMES) }, { weight: 1, arbitrary: fc.constant(undefined) }),
  kind: fc.constantFrom(...KINDS),
  region: maybe(fc.constantFrom(...REGIONS)),
  failover: maybe(fc.constantFrom('PRIMARY' as const, 'SECONDARY' as const)),
  geolocation: maybe(fc.oneof(fc.record({ countryCode: fc.constantFrom('DE', 'US', 'FR', 'JP', '*') }), fc.record({ continentCode: fc.constantFrom('EU', 'NA', 'AS') }))),
  weight: maybe(fc.constantFrom(0, 1, 10)),
  bias: fc.constantFrom(0, 25, -50),
  healthCheckId: fc.oneof({ weight: 6, arbitrary: fc.constantFrom('hc0', 'hc1', 'hc2', 'hc3', 'hc0', 'hc1', 'hc2', 'hc3', 'hc-missing') }, { weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constant(undefined) }),
  alias,
});

type RecordDraft = typeof record extends fc.Arbitrary<infer T> ? T : never;

/** A record fact of the drafted routing policy; fields of the other policies stay null. */
function toFact(d: RecordDraft, i: number, kindOfName: Map<string, (typeof KINDS)[number]>): DnsRecordFact {
  // Records of one name share a policy most of the time, as Route 53 requires; sometimes they do not.
  const kind = d.name !== undefined && i % 7 !== 0 ? kindOfName.get(d.name) ?? d.kind : d.kind;
  if (d.name !== undefined && !kindOfName.has(d.name)) kindOfName.set(d.name, d.kind);
  const { alias: aliasTarget } = d;
  return {
    id: `r${i}`,
    name: d.name,
    routing: kind === 'simple' ? 'simple' : kind,
    ttlSeconds: 60,
    setIdentifier: `r${i}`,
    region: d.region,
    failover: kind === 'failover' ? d.failover : null,
    geolocation: kind === 'geolocation' ? d.geolocation : null,
    healthCheckId: d.healthCheckId,
    latencyRegion: kind === 'latency' ? d.region : null,
    weight: kind === 'weighted' ? d.weight : null,
    geoproximity: kind === 'geoproximity' ? (typeof d.region === 'string' ? { awsRegion: d.region, bias: d.bias } : d.region) : null,
    ...(aliasTarget === 'absent' ? {} : { aliasTarget }),
  } as DnsRecordFact;
}

const graph = fc.record({
  records: fc.array(record, { minLength: 1, maxLength: 14 }),
  healthChecks: fc.array(healthCheck, { maxLength: 6 }),
});

function factsOf(g: { records: RecordDraft[]; healthChecks: Array<{ id: string; region: string | undefined }> }): Facts {
  const kinds = new Map<string, (typeof KINDS)[number]>();
  const healthChecks = g.healthChecks.map((h) => ({ ...BASE.dns.healthChecks[0], ...h }) as HealthCheckFact);
  return { ...BASE, dns: { records: g.records.map((d, i) => toFact(d, i, kinds)), healthChecks } };
}

/**
 * `expect(actual).toEqual(expected)`, asked only when a strict comparison finds a difference: Jest's
 * matcher costs tens of microseconds a call (thousands of answers per run), and isDeepStrictEqual is
 * stricter than toEqual, so every answer toEqual would refuse still reaches it.
 */
function expectEqual(actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
}

/** Populations the facts do not produce themselves: a country of unknown continent, clients of unknown location. */
const EXTRA: ClientPopulation[] = NAMES.flatMap((name) => [
  { id: `${name} country:BR`, label: 'BR users', name, kind: 'country', country: 'BR' },
  { id: `${name} all`, label: 'all users', name, kind: 'all' },
  { id: `${name} latency:xx`, label: 'users nearest xx-nowhere-1', name, kind: 'latency', nearRegion: 'xx-nowhere-1' },
]);

test('the indexed simulation answers every population under every failure as the scanning resolver did', () => {
  const seen = { answered: 0, unknown: 0, empty: 0, aliasFollowed: 0 };
  fc.assert(fc.property(graph, fc.subarray(REGIONS.slice(0, 4), { minLength: 2 }), (g, pair) => {
    const facts = factsOf(g);
    const failures = [[], ...REGIONS.map((r) => [r]), pair];
    const sim = simulateFailures(facts, { failures });
    for (const route of sim.routes) {
      const expected = referenceRouteUnder(facts, route.population, route.failure.down);
      expectEqual(route.answer, expected);
      if (expected.unknown !== undefined) seen.unknown++;
      else if (expected.regions.length === 0) seen.empty++;
      else seen.answered++;
      if (facts.dns.records.some((r) => r.aliasTarget?.dnsName !== undefined && NAMES.includes(String(r.aliasTarget?.dnsName)) && expected.unknown === undefined)) seen.aliasFollowed++;
    }
    for (const population of EXTRA) {
      for (const down of failures) expectEqual(routeUnder(facts, population, down), referenceRouteUnder(facts, population, down));
    }
  }), { numRuns: Number(process.env.FUZZ_RUNS ?? 150), seed: process.env.FUZZ_SEED === 'random' ? undefined : 12 });
  if (process.env.SHOW) console.log(seen);
  // The comparison is not empty: answers, unknowns and followed alias chains all occurred.
  expect(seen.answered).toBeGreaterThan(100);
  expect(seen.unknown).toBeGreaterThan(100);
  expect(seen.empty).toBeGreaterThan(0);
  expect(seen.aliasFollowed).toBeGreaterThan(50);
});
