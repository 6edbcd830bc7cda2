/**
 * The failure simulation's record resolution as it was before the DNS facts were indexed (each record's
 * health check, alias zone and name looked up by a scan of every fact: N⁴ over N regions), kept unchanged
 * as the reference the indexed simulation must agree with (failure-simulation-equivalence.test.ts).
 * Semantics added since (an alias to a resource of the artifact answers from that resource's region)
 * are written here in the same scanning style, so the equivalence test covers them too.
 */
import type { DnsRecordFact, Facts } from '../../lib/facts/types';
import type { ClientPopulation, RouteAnswer } from '../../lib/policy/failure-simulation';
import { regionDistanceKm } from '../../lib/model/regions';
import { aliasTakesTargetHealth } from '../../lib/policy/alias-health';

const MAX_ALIAS_DEPTH = 8;

class Unresolved extends Error {}

function norm(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
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

/** The answer Route 53 gives `population` while the regions in `down` are down. */
export function referenceRouteUnder(facts: Facts, population: ClientPopulation, down: readonly string[]): RouteAnswer {
  const downSet = new Set(down);
  try {
    const res = resolveName(facts, population.name, population, downSet, 0);
    return { regions: res.regions, healthy: res.regions.length > 0 && res.regions.every((r) => !downSet.has(r)) };
  } catch (e) {
    if (e instanceof Unresolved) return { regions: [], healthy: false, unknown: e.message };
    throw e;
  }
}

function resolveName(facts: Facts, name: string, client: ClientPopulation, down: ReadonlySet<string>, depth: number): Resolution {
  if (depth > MAX_ALIAS_DEPTH) throw new Unresolved(`the alias chain from ${client.name} (longer than ${MAX_ALIAS_DEPTH} or a loop)`);
  const records = facts.dns.records.filter((r) => typeof r.name === 'string' && norm(r.name) === norm(name));
  if (facts.dns.records.some((r) => r.name === undefined)) throw new Unresolved('the name of a DNS record');
  if (records.length === 0) return { regions: [], r53Healthy: false };
  const healthy = (r: DnsRecordFact) => recordHealthy(facts, r, client, down, depth);
  const pick = (chosen: readonly DnsRecordFact[], r53Healthy: boolean): Resolution => {
    const regions = new Set<string>();
    for (const r of chosen) answerOf(facts, r, client, down, depth).forEach((x) => regions.add(x));
    return { regions: [...regions], r53Healthy };
  };
  switch (routingOf(records)) {
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
      const geo = routingOf(records) === 'geoproximity';
      const live = records.filter(healthy);
      const pool = live.length > 0 ? live : records;
      if (!client.nearRegion) return pick(pool, live.length > 0);
      const near = client.nearRegion;
      const distance = (r: DnsRecordFact): number => {
        const to = geo ? r.geoproximity?.awsRegion : r.latencyRegion ?? r.region;
        if (typeof to !== 'string') throw new Unresolved(`the location of record ${r.id}`);
        const km = regionDistanceKm(near, to);
        if (km === undefined) throw new Unresolved(`the location of ${to}`);
        return geo ? km * (1 - (r.geoproximity?.bias ?? 0) / 100) : km;
      };
      const best = Math.min(...pool.map(distance));
      return pick(pool.filter((r) => distance(r) === best), live.length > 0);
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

function zoneTarget(facts: Facts, dnsName: string): boolean {
  return facts.dns.records.some((r) => typeof r.name === 'string' && norm(r.name) === norm(dnsName));
}

/** The record's alias target: null when it is not an alias (or, in hand-written facts, says nothing), undefined when unknown. */
function aliasOf(r: DnsRecordFact): DnsRecordFact['aliasTarget'] {
  return 'aliasTarget' in r ? r.aliasTarget : null;
}

/** Route 53's view of a record's health. */
function recordHealthy(facts: Facts, r: DnsRecordFact, client: ClientPopulation, down: ReadonlySet<string>, depth: number): boolean {
  if (r.healthCheckId === undefined) throw new Unresolved(`the health check of record ${r.id}`);
  if (r.healthCheckId !== null) {
    const hc = facts.dns.healthChecks.find((h) => h.id === r.healthCheckId);
    if (!hc || typeof hc.region !== 'string') throw new Unresolved(`the region probed by health check ${r.healthCheckId}`);
    if (down.has(hc.region)) return false;
  }
  const alias = aliasOf(r);
  if (alias === undefined) throw new Unresolved(`whether record ${r.id} is an alias`);
  if (alias === null) return true;
  const { dnsName, evaluateTargetHealth } = alias;
  if (evaluateTargetHealth === false) return true;
  const inZone = dnsName !== undefined && zoneTarget(facts, dnsName);
  // Out of the zone only a load balancer or Beanstalk environment passes its health on (the decision
  // GEO-DNS-002/005 use); any other target leaves the record healthy, whatever EvaluateTargetHealth says.
  if (!inZone && (dnsName !== undefined || alias.resource) && aliasTakesTargetHealth(alias) === false) return true;
  if (evaluateTargetHealth === undefined) throw new Unresolved(`EvaluateTargetHealth of record ${r.id}`);
  if (inZone && dnsName !== undefined) return resolveName(facts, dnsName, client, down, depth + 1).r53Healthy;
  if (dnsName === undefined && !alias.resource) throw new Unresolved(`the alias target of record ${r.id}`);
  const region = typeof alias.resource?.region === 'string' ? alias.resource.region : typeof r.region === 'string' ? r.region : alias.resource?.region;
  if (region === null) return true;
  if (region === undefined) throw new Unresolved(`the region of alias target ${dnsName ?? alias.resource?.id ?? r.id}`);
  return !down.has(region);
}

/** The regions a chosen record leads to. */
function answerOf(facts: Facts, r: DnsRecordFact, client: ClientPopulation, down: ReadonlySet<string>, depth: number): readonly string[] {
  const alias = aliasOf(r);
  if (alias === undefined) throw new Unresolved(`whether record ${r.id} is an alias`);
  if (alias !== null) {
    const target = alias.dnsName;
    if (target !== undefined && zoneTarget(facts, target)) return resolveName(facts, target, client, down, depth + 1).regions;
    if (target === undefined && !alias.resource) throw new Unresolved(`the alias target of record ${r.id}`);
    const region = typeof alias.resource?.region === 'string' ? alias.resource.region : r.region;
    if (typeof region !== 'string') throw new Unresolved(`the region record ${r.id} answers with`);
    return [region];
  }
  if (typeof r.region !== 'string') throw new Unresolved(`the region record ${r.id} answers with`);
  return [r.region];
}

