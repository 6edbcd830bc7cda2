/**
 * Failure simulation: which region answers each client population while regions are down, worked out
 * from the facts alone (so it runs on a plan, a cloud assembly or Terraform JSON alike).
 *
 * Route 53 is modelled the way its developer guide describes record selection:
 * - a record with a health check is healthy while the probed endpoint's region is up; a record without
 *   one is always healthy, even when its region is down;
 * - an alias with EvaluateTargetHealth takes the health of its target: another record set of the zone
 *   is healthy while Route 53 would pick a healthy record of it; a load balancer or Elastic Beanstalk
 *   environment outside the zone (named by its endpoint name or by the resource the facts found behind
 *   it) while its region (else the record's) is up; any other target outside the zone (a CloudFront
 *   distribution, an S3 website, an API Gateway domain, ...) passes on no health, so the record is
 *   always healthy (`aliasTakesTargetHealth`, shared with GEO-DNS-002 and GEO-DNS-005);
 * - geolocation answers with the most specific record (country, continent, then the default `*`),
 *   falling back to the more general one while a record is unhealthy;
 * - failover answers with the PRIMARY while it is healthy, else the SECONDARY; latency with the
 *   healthy record nearest the client; weighted with any healthy record of non-zero weight (zero
 *   weights only when those are all unhealthy); geoproximity with the healthy record at the smallest
 *   biased distance (distance × (1 − bias/100));
 * - when no candidate is healthy, Route 53 answers as if all were.
 * Latency is approximated by great-circle distance between regions; a client without a known location
 * may get any of the candidates, and the simulation reports them all.
 *
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geo.html
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy-geoproximity.html
 */
import type { DnsRecordFact, Facts, HealthCheckFact } from '../facts/types';
import { EEA_COUNTRIES, expandJurisdictions, regionDistanceKm, regionInfo } from '../model/regions';
import { aliasTakesTargetHealth } from './alias-health';
import type { EvaluationMemo } from './memo';

export type PopulationKind = 'country' | 'continent' | 'default' | 'latency' | 'geoproximity' | 'all';

/** A group of clients that Route 53 answers alike. */
export interface ClientPopulation {
  /** Stable key, `<record name> <kind>:<code>`. */
  readonly id: string;
  /** For messages: `DE users`, `users nearest eu-west-1`, `users outside every listed location`, `all users`. */
  readonly label: string;
  /** The DNS name the clients query. */
  readonly name: string;
  readonly kind: PopulationKind;
  /** Country populations: ISO 3166-1 alpha-2 code. */
  readonly country?: string;
  /** Continent of the clients when known (Route 53 continent codes). */
  readonly continent?: string;
  /** Latency and geoproximity populations: the region the clients are nearest to. */
  readonly nearRegion?: string;
}

/** What Route 53 answers a population. */
export interface RouteAnswer {
  /** Regions the answer may lead to (several for weighted routing or clients of unknown location); empty = no answer. */
  readonly regions: readonly string[];
  /** True when the answer is not empty and every region in it is up. */
  readonly healthy: boolean;
  /** What could not be resolved; the answer is then unknown and `regions` empty. */
  readonly unknown?: string;
}

export interface FailureCase {
  /** Regions that are down (empty: every region is up). */
  readonly down: readonly string[];
  /** `eu-central-1 is down`, `eu-central-1 and eu-west-3 are down`, `every region is up`. */
  readonly label: string;
}

export interface SimulatedRoute {
  readonly population: ClientPopulation;
  readonly failure: FailureCase;
  readonly answer: RouteAnswer;
}

export interface FailureSimulation {
  /** Regions of the deployment, each taken down in turn. */
  readonly regions: readonly string[];
  readonly populations: readonly ClientPopulation[];
  readonly failures: readonly FailureCase[];
  /** One route per population and failure, populations in order, the healthy day first. */
  readonly routes: readonly SimulatedRoute[];
  /** Facts that keep the simulation from finding every population (a record whose name is unresolved). */
  readonly unknown: readonly string[];
}

/** Longest alias chain followed before the simulation gives up (Route 53 itself refuses loops). */
const MAX_ALIAS_DEPTH = 8;

/**
 * A fact the simulation needs is unknown. Thrown from anywhere in the resolution and caught by `route`,
 * which makes it the answer's `unknown` reason; it never leaves this module. Not an Error: an Error
 * captures a stack trace when created, and facts with unresolved values throw one for most routes.
 */
class Unresolved {
  constructor(readonly message: string) {}
}

/** The label of a failure case. */
export function failureLabel(down: readonly string[]): string {
  if (down.length === 0) return 'every region is up';
  if (down.length === 1) return `${down[0]} is down`;
  return `${down.slice(0, -1).join(', ')} and ${down[down.length - 1]} are down`;
}

/** The regions the facts name: region facts, record regions and health-check regions, in that order. */
export function deploymentRegions(facts: Facts): string[] {
  const out: string[] = [];
  const add = (r: unknown) => { if (typeof r === 'string' && !out.includes(r)) out.push(r); };
  facts.regions.forEach((r) => add(r.name));
  facts.dns.records.forEach((r) => add(r.region));
  facts.dns.healthChecks.forEach((h) => add(h.region));
  return out;
}

/** Names clients query: record names that no record of the zone aliases to. */
export function entryNames(facts: Facts): string[] {
  const names = [...new Set(facts.dns.records.map((r) => r.name).filter((n): n is string => typeof n === 'string'))];
  const targets = new Set(facts.dns.records.map((r) => aliasOf(r)?.dnsName).filter((n): n is string => typeof n === 'string').map(norm));
  return names.filter((n) => !targets.has(norm(n)));
}

function norm(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/** The continent Route 53 places a country on, where the catalog can tell. */
function continentOf(country: string): string | undefined {
  if (EEA_COUNTRIES.includes(country) || country === 'GB' || country === 'CH') return 'EU';
  for (const code of ['US', 'CA', 'MX']) if (country === code) return 'NA';
  return undefined;
}

/** The client populations of every entry name, from its records. */
export function clientPopulations(facts: Facts): ClientPopulation[] {
  const out: ClientPopulation[] = [];
  for (const name of entryNames(facts)) {
    const records = facts.dns.records.filter((r) => r.name === name);
    const routing = routingOf(records);
    if (routing === 'geolocation') {
      for (const r of records) {
        const g = r.geolocation;
        if (!g) continue;
        if (g.countryCode === '*') continue;
        if (g.countryCode) {
          out.push({ id: `${name} country:${g.countryCode}`, label: `${g.countryCode} users`, name, kind: 'country', country: g.countryCode, continent: continentOf(g.countryCode) });
        } else if (g.continentCode) {
          out.push({ id: `${name} continent:${g.continentCode}`, label: `continent ${g.continentCode} users`, name, kind: 'continent', continent: g.continentCode });
        }
      }
      out.push({ id: `${name} default`, label: 'users outside every listed location', name, kind: 'default' });
    } else if (routing === 'latency' || routing === 'geoproximity') {
      const near = records.map((r) => (routing === 'latency' ? r.latencyRegion ?? r.region : r.geoproximity?.awsRegion ?? r.region));
      for (const region of [...new Set(near.filter((x): x is string => typeof x === 'string'))]) {
        out.push({ id: `${name} ${routing}:${region}`, label: `users nearest ${region}`, name, kind: routing, nearRegion: region, continent: regionInfo(region)?.continent });
      }
    } else {
      out.push({ id: `${name} all`, label: 'all users', name, kind: 'all' });
    }
  }
  return out;
}

type Routing = 'failover' | 'latency' | 'geolocation' | 'geoproximity' | 'weighted' | 'simple' | 'unknown';

function routingOf(records: readonly DnsRecordFact[]): Routing {
  const kinds = new Set<Routing>(records.map((r) => {
    if (r.failover) return 'failover';
    if (r.geolocation) return 'geolocation';
    if (r.latencyRegion) return 'latency';
    if (r.geoproximity) return 'geoproximity';
    if (typeof r.weight === 'number') return 'weighted';
    if (r.routing === undefined) return 'unknown';
    return r.routing === 'simple' ? 'simple' : r.routing;
  }));
  const [only] = kinds;
  return kinds.size === 1 && only !== undefined ? only : 'unknown';
}

interface Resolution {
  readonly regions: readonly string[];
  /** Route 53's view: a record it considers healthy was chosen (not the all-unhealthy fallback). */
  readonly r53Healthy: boolean;
}

/**
 * The DNS facts indexed once per simulation: records by normalised name (in fact order), the routing of
 * each name, health checks by id (the first of an id, as a search would find it) and region distances.
 * Without it every record's health looked up its health check and every alias its zone in a full scan,
 * so a simulation over N regions (N populations × N failures × N records × N scans) grew as N⁴.
 */
interface DnsIndex {
  readonly byName: ReadonlyMap<string, readonly DnsRecordFact[]>;
  readonly routing: ReadonlyMap<string, Routing>;
  /** A record whose name is unknown: every resolution is then unknown. */
  readonly anyUnnamed: boolean;
  readonly healthChecks: ReadonlyMap<string, HealthCheckFact>;
  /** Latency or geoproximity distance from a client's region to each record (or why it is unknown), filled as asked. */
  readonly distances: Map<string, Map<DnsRecordFact, number | Unresolved>>;
}

function indexDns(facts: Facts): DnsIndex {
  const byName = new Map<string, DnsRecordFact[]>();
  for (const r of facts.dns.records) {
    if (typeof r.name !== 'string') continue;
    const key = norm(r.name);
    const list = byName.get(key);
    if (list) list.push(r);
    else byName.set(key, [r]);
  }
  const healthChecks = new Map<string, HealthCheckFact>();
  for (const h of facts.dns.healthChecks) if (!healthChecks.has(h.id)) healthChecks.set(h.id, h);
  return {
    byName,
    routing: new Map([...byName].map(([name, records]) => [name, routingOf(records)])),
    anyUnnamed: facts.dns.records.some((r) => r.name === undefined),
    healthChecks,
    distances: new Map(),
  };
}

/** Distance Route 53 ranks `r` by for clients near `near`: great-circle km, scaled by the bias for geoproximity. */
function recordDistance(ix: DnsIndex, near: string, r: DnsRecordFact, geo: boolean): number {
  let byRecord = ix.distances.get(near);
  if (!byRecord) ix.distances.set(near, byRecord = new Map());
  let d = byRecord.get(r);
  if (d === undefined) {
    const to = geo ? r.geoproximity?.awsRegion : r.latencyRegion ?? r.region;
    const km = typeof to === 'string' ? regionDistanceKm(near, to) : undefined;
    d = typeof to !== 'string' ? new Unresolved(`the location of record ${r.id}`)
      : km === undefined ? new Unresolved(`the location of ${to}`)
        : geo ? km * (1 - (r.geoproximity?.bias ?? 0) / 100) : km;
    byRecord.set(r, d);
  }
  if (d instanceof Unresolved) throw d;
  return d;
}

/** The answer Route 53 gives `population` while the regions in `down` are down. */
export function routeUnder(facts: Facts, population: ClientPopulation, down: readonly string[]): RouteAnswer {
  return route(indexDns(facts), population, down);
}

function route(ix: DnsIndex, population: ClientPopulation, down: readonly string[]): RouteAnswer {
  const downSet = new Set(down);
  try {
    const res = resolveName(ix, population.name, population, downSet, 0);
    return { regions: res.regions, healthy: res.regions.length > 0 && res.regions.every((r) => !downSet.has(r)) };
  } catch (e) {
    if (e instanceof Unresolved) return { regions: [], healthy: false, unknown: e.message };
    throw e;
  }
}

function resolveName(ix: DnsIndex, name: string, client: ClientPopulation, down: ReadonlySet<string>, depth: number): Resolution {
  if (depth > MAX_ALIAS_DEPTH) throw new Unresolved(`the alias chain from ${client.name} (longer than ${MAX_ALIAS_DEPTH} or a loop)`);
  const key = norm(name);
  const records = ix.byName.get(key) ?? [];
  if (ix.anyUnnamed) throw new Unresolved('the name of a DNS record');
  if (records.length === 0) return { regions: [], r53Healthy: false };
  const healthy = (r: DnsRecordFact) => recordHealthy(ix, r, client, down, depth);
  const pick = (chosen: readonly DnsRecordFact[], r53Healthy: boolean): Resolution => {
    const regions = new Set<string>();
    for (const r of chosen) answerOf(ix, r, client, down, depth).forEach((x) => regions.add(x));
    return { regions: [...regions], r53Healthy };
  };
  const routing = ix.routing.get(key) ?? 'unknown';
  switch (routing) {
    case 'simple':
      return pick(records, records.every(healthy));
    case 'failover': {
      const unsure = records.find((r) => r.failover === undefined);
      if (unsure) throw new Unresolved(`the failover role of record ${unsure.id}`);
      const primary = records.find((r) => r.failover === 'PRIMARY');
      const secondary = records.find((r) => r.failover === 'SECONDARY');
      const order = [primary, secondary].filter((r): r is DnsRecordFact => r !== undefined);
      const first = order.find(healthy);
      return first ? pick([first], true) : pick(order.slice(0, 1), false);
    }
    case 'geolocation': {
      const unsure = records.find((r) => r.geolocation === undefined);
      if (unsure) throw new Unresolved(`the location of record ${unsure.id}`);
      const byCountry = (cc: string) => records.find((r) => r.geolocation?.countryCode === cc);
      const chain: DnsRecordFact[] = [];
      if (client.country) {
        const c = byCountry(client.country);
        if (c) chain.push(c);
      }
      const continentRecords = records.filter((r) => r.geolocation?.continentCode && !r.geolocation.countryCode);
      if (client.kind !== 'default' && continentRecords.length > 0) {
        if (client.continent === undefined && client.kind === 'country') throw new Unresolved(`the continent of ${client.country}`);
        const c = continentRecords.find((r) => r.geolocation?.continentCode === client.continent);
        if (c) chain.push(c);
      }
      const def = byCountry('*');
      if (def) chain.push(def);
      if (chain.length === 0) return { regions: [], r53Healthy: false };
      const first = chain.find(healthy);
      return first ? pick([first], true) : pick(chain.slice(0, 1), false);
    }
    case 'latency':
    case 'geoproximity': {
      const geo = routing === 'geoproximity';
      const live = records.filter(healthy);
      const pool = live.length > 0 ? live : records;
      if (!client.nearRegion) return pick(pool, live.length > 0);
      const near = client.nearRegion;
      const distance = (r: DnsRecordFact): number => recordDistance(ix, near, r, geo);
      const distances = pool.map(distance);
      const best = Math.min(...distances);
      return pick(pool.filter((_r, i) => distances[i] === best), live.length > 0);
    }
    case 'weighted': {
      const weight = (r: DnsRecordFact) => {
        if (typeof r.weight !== 'number') throw new Unresolved(`the weight of record ${r.id}`);
        return r.weight;
      };
      const live = records.filter(healthy);
      const livePositive = live.filter((r) => weight(r) > 0);
      if (livePositive.length > 0) return pick(livePositive, true);
      if (live.length > 0) return pick(live, true);
      const positive = records.filter((r) => weight(r) > 0);
      return pick(positive.length > 0 ? positive : records, false);
    }
    default:
      throw new Unresolved(`the routing policy of ${name}`);
  }
}

/** The record's alias target: null when it is not an alias (or, in hand-written facts, says nothing), undefined when unknown. */
function aliasOf(r: DnsRecordFact): DnsRecordFact['aliasTarget'] {
  return 'aliasTarget' in r ? r.aliasTarget : null;
}

/** Route 53's view of a record's health. */
function recordHealthy(ix: DnsIndex, r: DnsRecordFact, client: ClientPopulation, down: ReadonlySet<string>, depth: number): boolean {
  if (r.healthCheckId === undefined) throw new Unresolved(`the health check of record ${r.id}`);
  if (r.healthCheckId !== null) {
    const hc = ix.healthChecks.get(r.healthCheckId);
    if (!hc || typeof hc.region !== 'string') throw new Unresolved(`the region probed by health check ${r.healthCheckId}`);
    if (down.has(hc.region)) return false;
  }
  const alias = aliasOf(r);
  if (alias === undefined) throw new Unresolved(`whether record ${r.id} is an alias`);
  if (alias === null) return true;
  const { dnsName, evaluateTargetHealth } = alias;
  if (evaluateTargetHealth === false) return true;
  const inZone = dnsName !== undefined && ix.byName.has(norm(dnsName));
  // Out of the zone only a load balancer or Beanstalk environment passes its health on (the decision
  // GEO-DNS-002/005 use); any other target leaves the record healthy, whatever EvaluateTargetHealth says.
  if (!inZone && (dnsName !== undefined || alias.resource) && aliasTakesTargetHealth(alias) === false) return true;
  if (evaluateTargetHealth === undefined) throw new Unresolved(`EvaluateTargetHealth of record ${r.id}`);
  if (inZone && dnsName !== undefined) return resolveName(ix, dnsName, client, down, depth + 1).r53Healthy;
  if (dnsName === undefined && !alias.resource) throw new Unresolved(`the alias target of record ${r.id}`);
  const region = targetRegion(r, alias);
  if (region === null) return true;
  if (region === undefined) throw new Unresolved(`the region of alias target ${dnsName ?? alias.resource?.id ?? r.id}`);
  return !down.has(region);
}

/**
 * The region an alias out of the zone answers from: its target resource's region when the facts name it
 * (null for a global one, such as a CloudFront distribution), else the record's region.
 */
function targetRegion(r: DnsRecordFact, alias: NonNullable<DnsRecordFact['aliasTarget']>): string | null | undefined {
  const own = alias.resource?.region;
  if (typeof own === 'string') return own;
  if (typeof r.region === 'string') return r.region;
  return own === null ? null : undefined;
}

/** The regions a chosen record leads to. */
function answerOf(ix: DnsIndex, r: DnsRecordFact, client: ClientPopulation, down: ReadonlySet<string>, depth: number): readonly string[] {
  const alias = aliasOf(r);
  if (alias === undefined) throw new Unresolved(`whether record ${r.id} is an alias`);
  if (alias !== null) {
    const target = alias.dnsName;
    if (target !== undefined && ix.byName.has(norm(target))) return resolveName(ix, target, client, down, depth + 1).regions;
    if (target === undefined && !alias.resource) throw new Unresolved(`the alias target of record ${r.id}`);
    const region = targetRegion(r, alias);
    if (typeof region !== 'string') throw new Unresolved(`the region record ${r.id} answers with`);
    return [region];
  }
  if (typeof r.region !== 'string') throw new Unresolved(`the region record ${r.id} answers with`);
  return [r.region];
}

/**
 * Simulates every failure case (default: the healthy day, then each region down alone) for every
 * client population of the facts.
 */
export function simulateFailures(facts: Facts, options: { readonly failures?: readonly (readonly string[])[]; readonly memo?: EvaluationMemo } = {}): FailureSimulation {
  const regions = deploymentRegions(facts);
  const failures: FailureCase[] = (options.failures ?? [[], ...regions.map((r) => [r])])
    .map((down) => ({ down: [...down], label: failureLabel(down) }));
  // With a memo, the rules of one evaluation share the index, the populations and every answer worked out.
  const shared = options.memo?.get(facts, 'failure-simulation', () => ({ ix: indexDns(facts), populations: clientPopulations(facts), answers: new Map<string, RouteAnswer>() }));
  const populations = shared?.populations ?? clientPopulations(facts);
  const ix = shared?.ix ?? indexDns(facts);
  const routes: SimulatedRoute[] = [];
  populations.forEach((population, i) => {
    for (const failure of failures) {
      // The population's place in the (shared) list and the regions down name the question.
      const key = `${i}\u0000${failure.down.join('\u0000')}`;
      let answer = shared?.answers.get(key);
      if (!answer) {
        answer = route(ix, population, failure.down);
        shared?.answers.set(key, answer);
      }
      routes.push({ population, failure, answer });
    }
  });
  const unnamed = facts.dns.records.filter((r) => r.name === undefined).map((r) => `the name of DNS record ${r.id}`);
  return { regions, populations, failures, routes, unknown: unnamed };
}

/**
 * The jurisdiction whose users a population is, in a partitioned deployment: the jurisdiction of a
 * region (from the facts) that covers the population's country, or the country of the region it is
 * nearest to. Undefined when the population belongs to none.
 */
export function populationJurisdiction(facts: Facts, population: ClientPopulation): string | undefined {
  const country = population.country ?? (population.nearRegion ? regionInfo(population.nearRegion)?.country : undefined);
  if (!country) return undefined;
  const jurisdictions = [...new Set(facts.regions.map((r) => r.jurisdiction).filter((j): j is string => typeof j === 'string'))];
  return jurisdictions.find((j) => expandJurisdictions([j]).includes(country));
}

/**
 * The fact that keeps {@link allowedRegions} from deciding, if any: the mode of a deployment whose
 * regions carry jurisdictions, a region's jurisdiction in a partitioned one, or the declared residency.
 */
export function unresolvedPlacement(facts: Facts): string | undefined {
  if (facts.mode === undefined && facts.regions.some((r) => r.jurisdiction !== null)) return 'the deployment mode';
  const unsure = facts.regions.find((r) => r.jurisdiction === undefined);
  if (facts.mode === 'partitioned' && unsure) return `the jurisdiction of ${unsure.name}`;
  if (facts.data && facts.data.residency === undefined) return 'the data residency';
  return undefined;
}

/**
 * Regions that may serve a population without moving its data out of place: in a partitioned
 * deployment the regions of its jurisdiction; otherwise (and for users of no jurisdiction) the
 * regions inside the declared residency. Undefined when nothing restricts it.
 */
export function allowedRegions(facts: Facts, population: ClientPopulation): { readonly regions: readonly string[]; readonly why: string } | undefined {
  const regions = deploymentRegions(facts);
  const j = facts.mode === 'partitioned' ? populationJurisdiction(facts, population) : undefined;
  if (j !== undefined) {
    return { regions: facts.regions.filter((r) => r.jurisdiction === j).map((r) => r.name), why: `the ${j} partition` };
  }
  const residency = facts.data?.residency;
  if (!residency) return undefined;
  const countries = expandJurisdictions(residency);
  return {
    regions: regions.filter((r) => {
      const c = facts.regions.find((x) => x.name === r)?.country ?? regionInfo(r)?.country;
      return c !== undefined && countries.includes(c);
    }),
    why: `the residency ${residency.join(', ')}`,
  };
}

/** `DE users`, `DE, FR and 3 more users`, or the labels joined. */
export function populationsLabel(populations: readonly ClientPopulation[]): string {
  if (populations.length > 0 && populations.every((p) => p.kind === 'country')) {
    const codes = populations.map((p) => p.country as string);
    const shown = codes.length <= 4 ? codes.join(', ') : `${codes.slice(0, 3).join(', ')} and ${codes.length - 3} more`;
    return `${shown} users`;
  }
  return populations.map((p) => p.label).join(', ');
}

/** `eu-central-1`, `eu-central-1 or eu-west-3`, `no answer`. */
export function answerLabel(answer: RouteAnswer): string {
  return answer.regions.length === 0 ? 'no answer' : answer.regions.join(' or ');
}
